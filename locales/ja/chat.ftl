# Replies of the chat core that are not knowledge answers.

# $id: the custom_id of a button nobody knows.
chat-button-unknown = このボタン({ $id })は使えなくなりました。もう一度コマンドからお試しください。
chat-command-missing = コマンド名がありません。「/help」で使えるコマンドを表示します。
# $key: the option whose quote was not closed.
chat-command-unclosed-quote = 「{ $key }:」の値の引用符 (") が閉じていません。
# $name: what was typed; $commands: the commands available.
chat-command-unknown = 「/{ $name }」というコマンドはありません。使えるコマンド: { $commands }
chat-ask-empty = 質問を入力してください。例: /ask 会社トークンとは何ですか？
# $value: what was given as a date.
chat-renewal-bad-date = 「{ $value }」を日付として読み取れませんでした。例: /renewal date:2015-08-15
chat-lang-set = これから日本語でお答えします。
chat-lang-not-saved = この会話では日本語でお答えしますが、設定を保存できませんでした。後でもう一度 /lang をお試しください。
# $value: what was given as a language.
chat-lang-bad = 「{ $value }」には対応していません。ja または en を指定してください。

# Sales reps' commands (/renewals, /ack).
sales-no-database = この操作にはデータベースが必要です。
sales-not-linked = この操作には、チャットのアカウントと IBM ID の関連付けが必要です。/link で関連付けてください。
sales-not-a-rep = /renewals は営業担当者向けのコマンドです。担当契約も営業担当者の役割もありません。役割は管理者が付与できます。
# $value: what was given as days.
sales-bad-days = 「{ $value }」は日数として使えません。1 から 366 の整数を指定してください。
# $days: horizon.
sales-renewals-none = 今後{ $days }日間に更新期限を迎える担当契約はありません。
# $days: horizon; $count: contracts.
sales-renewals-head = 今後{ $days }日間に更新期限を迎える担当契約 ({ $count }件):
# $contract $company $product $deadline.
sales-renewals-line = ・{ $deadline } { $company } / { $product } (契約番号 { $contract })
sales-status-quoted = 見積提示済み
sales-status-renewed = 更新済み
sales-status-lost = 失注
# $value: what was given as a status.
sales-bad-status = 「{ $value }」は状態として使えません。quoted (見積提示済み)、renewed (更新済み)、lost (失注) のいずれかを指定してください。
# $contract: the contract id.
sales-no-contract = 契約番号「{ $contract }」は見つかりません。
sales-not-yours = 契約番号「{ $contract }」はあなたの担当ではないため、更新できません。
# $contract; $status: localized status.
sales-acked = 契約番号「{ $contract }」を「{ $status }」として記録しました。この契約の更新期限のお知らせは停止します。
