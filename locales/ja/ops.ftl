# 運用コマンド: jobs、outbox、contract、import contracts (src/ops_cli.rs)。

ops-job-never = 未実行
ops-job-running = 実行中
ops-job-already-ran = { $job } の { $at } の実行は済んでいます。
ops-job-failed = ジョブ { $job } が失敗しました: { $error }
ops-job-unknown = 「{ $job }」というジョブはありません。ジョブ: { $jobs }
ops-outbox-retried = メッセージ { $id } を送信待ちに戻しました。
ops-outbox-not-dead = メッセージ { $id } の状態は { $status } です。再送できるのは dead のメッセージだけです。
ops-outbox-missing = アウトボックスにメッセージ { $id } はありません。
ops-outbox-dispatched = 取得 { $claimed }、送信 { $sent }、再試行待ち { $retried }、dead { $dead }
ops-outbox-purged = { $count } 件のメッセージを削除しました。
ops-contract-acked = 契約 { $contract } の状態を { $status } にしました。
ops-contract-missing = 契約「{ $contract }」はありません。

# import contracts FILE.csv
ops-import-summary = 追加 { $inserted }、更新 { $updated }、変更なし { $unchanged }、不正な行 { $bad }
ops-import-duplicate-column = 列「{ $column }」が複数あります。
ops-import-empty = { $column } が空です。
ops-import-line-break = { $column } に改行などの制御文字が含まれています。
ops-import-bad-date = renewal_date「{ $value }」は日付ではありません: { $problem }。使える書き方: { $forms }
ops-import-bad-email = sales_rep_email「{ $value }」はメールアドレスではありません。
ops-import-bad-lang = sales_rep_lang「{ $value }」は使えません。使える値: ja、en
ops-import-bad-zone = sales_rep_tz「{ $value }」はタイムゾーンではありません。Asia/Tokyo のような IANA 名で指定してください。
ops-bad-age = { $value } は経過時間ではありません: 30d、12h、90m、45s のように指定してください
ops-outbox-list-cut = 古い順に { $limit } 件だけ表示しています(ほかにもあります)。--status で絞り込むか、--limit を増やしてください。
