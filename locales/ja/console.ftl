# 運用担当者の Web コンソール (/console)。locales/en/console.ftl と同じ ID。

console-product = partnerdesk コンソール
console-nav-overview = 概要
console-nav-outbox = 送信キュー
console-nav-jobs = ジョブ
console-nav-approvals = 承認
console-nav-renewals = 更新
console-nav-questions = 質問
console-nav-audit = 監査ログ
console-logout = ログアウト
console-back = コンソールに戻る
console-back-to-outbox = 送信キューに戻る
console-none = 表示するものはありません。
console-any = すべて
console-filter = 絞り込む
console-search = 検索
console-cancel = キャンセル
console-apply = 適用
console-approve = 承認する
console-reject = 却下する
console-reason = 理由
console-note-or-reason = メモまたは理由
console-overdue = 期限超過
console-business-days = { $days } 営業日待機中

## errors
console-error-title = 問題が発生しました
console-csrf-refused = このフォームは期限切れか、コンソール以外から送信されました (CSRF チェック失敗)。ページを再読み込みしてやり直してください。
console-internal-error = コンソールはこの要求を完了できませんでした。詳細はデーモンのログにあります。
console-not-found = そのページまたはレコードはありません。

## login, logout, setup
console-login-title = ログイン
console-login-ibm-id = IBM ID (メールアドレス)
console-login-password = パスワード
console-login-submit = ログイン
console-login-failed = IBM ID またはパスワードが違います。
console-login-limited = ログインの失敗が多すぎます。{ $minutes } 分後にもう一度お試しください。
console-logged-out = ログアウトしました。
console-setup-title = パスワードの設定
console-setup-intro = { $ibm_id } のコンソール用パスワードを設定してください。
console-setup-password = 新しいパスワード
console-setup-confirm = 同じパスワードをもう一度
console-setup-submit = パスワードを保存
console-setup-invalid = この設定用リンクは無効です (使用済み、期限切れ、または新しいリンクに置き換えられました)。新しいリンクを依頼してください (`partnerdesk operator add`)。
console-setup-mismatch = 2 つのパスワードが一致しません。
console-setup-done = パスワードを保存しました。そのパスワードでログインしてください。
console-password-short = パスワードは { $min } 文字以上にしてください。
console-password-long = パスワードは { $max } 文字以内にしてください。
console-password-control = パスワードに制御文字 (タブや改行など) は使えません。

## operator add (CLI)
console-cli-added = 運用担当者 { $ibm_id } を追加しました。
console-cli-updated = 運用担当者 { $ibm_id } を更新しました。
console-cli-setup-link = この 1 回限りの設定用リンクを運用担当者に送ってください ({ $hours } 時間有効):
console-cli-disabled = 注意: コンソールは無効です。[console] enabled = true (PARTNERDESK_CONSOLE__ENABLED=true) で有効にしてください。
config-allowed-ip = 使える値: 127.0.0.1 や ::1 のような IP アドレス

## overview
console-overview-joins = 承認待ちの参加申請: { $count } 件 (期限超過 { $overdue } 件)
console-overview-registrations = 審査中の登録: { $count } 件 (期限超過 { $overdue } 件)
console-overview-month = { $month } の対応期限 (更新区分別)

## outbox
console-outbox-status-pending = 送信待ち
console-outbox-status-sent = 送信済み
console-outbox-status-dead = 送信不能
console-outbox-filter-status = 状態
console-outbox-filter-recipient = 宛先
console-outbox-channel = チャネル
console-outbox-recipient = 宛先
console-outbox-subject = 件名
console-outbox-status = 状態
console-outbox-attempts = 試行回数
console-outbox-last-error = 最後のエラー
console-outbox-created = 作成日時
console-outbox-sent = 送信日時
console-outbox-next-attempt = 次の試行
console-outbox-dedupe-key = 重複排除キー
console-outbox-body = 本文
console-outbox-message-title = メッセージ { $id }
console-outbox-retry = このメッセージを再送する
console-outbox-retried = メッセージを送信待ちに戻しました。まもなく送信されます。
console-outbox-not-dead = 再送できるのは送信不能のメッセージだけです。
console-outbox-purge-title = 古いメッセージの削除
console-outbox-purge-days = 次の日数より古い送信済み・送信不能のメッセージを削除
console-outbox-purge-submit = 削除する
console-outbox-purged = { $count } 件のメッセージを削除しました。
console-outbox-purge-bad-days = 「{ $value }」は 1 から 3650 までの日数ではありません。

## jobs
console-job-name = ジョブ
console-job-schedule = スケジュール
console-job-next = 次回の実行
console-job-last = 前回の実行
console-job-last-runs = 最近の実行
console-job-never = 未実行
console-job-running = 実行中
console-job-business-days = 営業日のみ
console-job-run-now = 今すぐ実行…
console-job-confirm-title = ジョブを今すぐ実行
console-job-confirm = { $job } を今すぐ実行しますか? この時刻に予定されていたものとして 1 回だけ実行されます。
console-job-run-confirm = はい、今すぐ実行する
console-job-ran = { $job }: { $outcome } { $detail }
console-job-outcome-ok = 成功
console-job-outcome-error = 失敗
console-job-outcome-claimed = 別のレプリカが実行済み
console-job-outcome-woken = 送信処理を起動しました

## approvals
console-approvals-joins = 参加申請
console-approvals-registrations = 会社登録
console-approvals-person = 申請者
console-approvals-company = 会社
console-approvals-applicant = 申請者
console-approvals-method = 方式
console-approvals-status = 状態
console-approvals-since = 待機開始
console-approvals-decide = 判断
console-join-method-token = 会社トークン方式
console-join-method-apa = プロフィール管理者による登録
console-approvals-join-approved = 参加申請 { $id } を承認しました。本人に通知されます。
console-approvals-join-rejected = 参加申請 { $id } を却下しました。本人に通知されます。
console-approvals-registration-moved = 会社登録 { $id } を更新しました。必要な段階では申請者に通知されます。
console-approvals-already-decided = 参加申請 { $id } は { $by } がすでに判断しています。
console-approvals-no-join = 参加申請 { $id } はありません。
console-approvals-bad-step = 「{ $value }」は登録審査の段階ではありません。

## renewals
console-renewals-weeks = 週数
console-renewals-rep = 営業担当者
console-renewals-range = { $from } から { $to } までの対応期限 (未対応および見積済みの契約)。
console-renewals-chart = 週ごとの対応期限 (更新区分別)
console-renewals-chart-week = { $week } の週: 期限 { $count } 件
console-renewals-by-window = 更新区分別
console-renewals-by-rep = 営業担当者別
console-renewals-quoted = うち見積済み
console-window-before-cutover = 移行日より前
console-window-transition = 移行期間
console-window-after-transition = 移行期間後

## questions
console-questions-unavailable = まだ利用できません: デスクが回答できなかった質問の記録 (desk_questions テーブル) は会話機能の作業とともに追加される予定で、このデータベースにはまだありません。
console-questions-meanwhile = それまでは、回答できなかった質問はデーモンのログにのみ記録されます。
console-questions-none = 記録された質問にはすべて回答済みで、👎 もありません。
console-questions-at = 質問日時
console-questions-question = 質問
console-questions-outcome = 結果
console-questions-topics = トピック
console-questions-lang = 言語
console-questions-confidence = 確信度 { $confidence }
console-questions-outcome-answered = 回答済み
console-questions-outcome-clarified = 聞き返し
console-questions-outcome-unknown = 不明
console-questions-outcome-handed-off = 担当者へ引き継ぎ

## audit
console-audit-person = 人 (IBM ID)
console-audit-company = 会社 (ID または名前)
console-audit-action = 操作
console-audit-at = 日時
console-audit-actor = 実行者
console-audit-channel = 経路
console-audit-subject = 対象
console-audit-detail = 詳細
console-audit-no-company = 「{ $value }」という会社はありません。
