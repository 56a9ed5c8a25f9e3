# 運用者向けの設定エラー・コマンドライン引数エラーと応答 (src/config.rs, src/cli.rs)。
# どのエラーも 1 行で、キー・値・設定元・使える値を示す。

config-invalid = 設定キー `{ $key }` の値 { $value } は使えません: { $allowed }
config-invalid-kind = 設定キー `{ $key }` の値 { $value }{ $origin } は使えません: { $kind }。{ $allowed }
config-origin-env = {" "}({ $variable } で設定)
config-origin-none = {""}
config-unknown-section = 設定セクション [{ $key }]{ $origin } はありません。使えるセクション: { $allowed }
config-unknown-key = 設定キー `{ $key }` (値 { $value }){ $origin } はありません。[{ $section }] で使えるキー: { $allowed }
config-kind-type = 型が違います
config-kind-variant = 選択肢のどれでもありません
config-kind-missing = 必須のキーがありません
config-kind-length = 要素の数が違います
config-kind-value = 値が正しくありません
config-kind-other = { $kind }
config-allowed-serde = 使える値: { $allowed }
config-allowed-none = 使える値は partnerdesk.example.toml を参照してください
config-expected-names = { $names }
config-expected-u8 = 0 から 255 までの整数
config-expected-u16 = 0 から 65535 までの整数
config-expected-u32 = 0 から 4294967295 までの整数
config-expected-unsigned = 0 以上の整数
config-expected-integer = 整数
config-expected-number = 数値
config-expected-boolean = true または false
config-expected-string = 文字列
config-expected-list = [1, 2] のようなリスト
config-expected-env-list = a,b や [1, 2] のようなリスト
config-expected-table = キーの表 ([section])
config-expected-any = キーの型に合う値
config-file-unreadable = 設定ファイル { $path } を読めません: { $reason }
config-toml = 設定ファイル { $place }: TOML として正しくありません: { $reason }
config-token-in-file = 設定キー `discord.token` は { $path } に書けません: PARTNERDESK_DISCORD__TOKEN か discord.token_file で指定してください
config-env-not-key = 環境変数 { $variable } は設定キーを指していません: PARTNERDESK_<SECTION>__<KEY> の形にしてください
config-env-not-section = 環境変数 { $variable }: `{ $section }` はキーであり、セクションではありません
config-unknown-contact = 窓口 { $id } はありません。使える窓口: { $known } (ほかの窓口は [contacts.ID] で設定します)
config-unknown-job = 設定セクション `jobs.{ $name }` に当たるジョブはありません。使えるジョブ: { $jobs }
config-smtp-url-missing = 設定キー `mail.smtp_url` がありません: mail.transport = "smtp" には smtp://user@host:587?tls=required のような URL が必要です
config-internal = 内部エラー: { $detail }

config-allowed-at-least-one = 使える値: 1 以上の整数
config-allowed-api-proxy = 使える値: http://127.0.0.1:8081 のような http:// または https:// の URL
config-allowed-locale = 使える値: ja, en
config-allowed-mailbox = 使える値: `Desk <desk@example.com>` のようなメールアドレス 1 件
config-allowed-mailbox-why = { $reason }。使える値: `Desk <desk@example.com>` のようなメールアドレス 1 件
config-allowed-contact-id = 使える値: 英小文字・数字・'-' からなる `pwcs` 以外の ID (PWCS は [calendar] で設定します)
config-allowed-send-at = 使える値: 09:00 のような現地時刻 HH:MM
config-allowed-listen = 使える値: 127.0.0.1:8080 や [::1]:8080 のような IP:ポート
config-allowed-smtp-url = 使える値: smtp://[user[:pass]@]host[:port][?tls=required|opportunistic] または smtps://...
config-allowed-smtp-url-why = { $why }。使える値: smtp://[user[:pass]@]host[:port][?tls=required|opportunistic] または smtps://[user[:pass]@]host[:port]
config-smtp-detail = { $detail }
config-smtp-no-host = ホストがありません
config-smtp-unknown-parameter = パラメーター `{ $parameter }` は使えません
config-smtp-scheme = スキーム `{ $scheme }` または tls={ $tls } は使えません
config-smtp-not-utf8 = パーセントデコードしたユーザー名またはパスワードが UTF-8 ではありません
config-smtp-password-without-user = パスワードがあるのに URL にユーザー名がありません: smtp://USER@host の形にしてください
config-smtp-user-without-password = URL にユーザー名があるのにパスワードがありません: PARTNERDESK_MAIL__SMTP_PASSWORD に設定してください
config-allowed-database-url = 使える値: sqlite://パス または postgres://USER@HOST:PORT/DATABASE
config-allowed-database-scheme = スキーム `{ $scheme }` は使えません。使える値: sqlite://パス または postgres://USER@HOST:PORT/DATABASE
config-allowed-sqlite-path = SQLite のパスが空です。使える値: sqlite://var/partnerdesk.db のような値
config-allowed-postgres-database = PostgreSQL の URL にデータベース名がありません。使える値: postgres://USER@HOST:PORT/DATABASE
config-allowed-sqlite-open = { $reason }。使える値: フォルダーを作成・書き込みできる sqlite:// のパス
config-postgres-unreachable = PostgreSQL に接続できません ({ $reason })。サーバーが動いていてこのユーザーを受け付けるか確かめるか、別の URL を設定してください
config-postgres-refused = PostgreSQL が接続を拒否しました ({ $reason })。サーバーが動いていてこのユーザーを受け付けるか確かめるか、別の URL を設定してください
config-allowed-token-file-empty = ファイルが空です。使える値: Discord ボットのトークンが入った読み取り可能なファイル
config-allowed-token-file-unreadable = 読めません ({ $reason })。使える値: Discord ボットのトークンが入った読み取り可能なファイル
config-allowed-folder-create = フォルダーを作成できません ({ $reason })。使える値: 作成・書き込みできるフォルダー
config-allowed-folder-write = フォルダーに書き込めません ({ $reason })。使える値: 作成・書き込みできるフォルダー
config-listen-not-here = そこでは待ち受けできません ({ $reason })。使える値: このマシンのアドレス、特権なしなら 1023 より大きいポート
config-listen-in-use = そこでは待ち受けできません ({ $reason })。別のプロセスがポートを使っています: そのプロセスを止めるか別のアドレスにしてください
config-listen-failed = そこでは待ち受けできません ({ $reason })
config-allowed-zone = 使える値: Asia/Tokyo や UTC のような IANA タイムゾーン名 (大文字・小文字を区別します)
config-allowed-hours = 使える値: "09:00-12:00" のような受付時間帯を 1 つ以上
config-allowed-period = 使える値: "09:00-12:00" のような受付時間帯 HH:MM-HH:MM
config-allowed-period-order = 時間帯は時刻順に並べ、重ならないようにしてください。前の時間帯は { $previous_end } に終わります
config-allowed-month-day = 使える値: "{ $example }" のような月日 MM-DD
config-allowed-date = 使える値: "2026-08-14" のような日付 YYYY-MM-DD
config-allowed-before-cutover = 使える値: 移管日 ({ $cutover }) より前の日付
config-allowed-after-cutover = 使える値: 移管日 ({ $cutover }) 以降の日付
config-allowed-due-days = 使える値: 1 から { $max } までの日数
config-allowed-schedule = { $place }: { $detail }。使える値: "0 9 * * 1-5" のような crontab の 5 フィールド "分 時 日 月 曜日"、または秒を先頭に付けた 6〜7 フィールド
config-schedule-field = { $field } フィールドの { $position } 文字目
config-schedule-position = { $position } 文字目

# コマンドライン引数と応答。
cli-error = エラー: { $message }
cli-bad-choice = `{ $value }` はここでは使えません。使える値: { $allowed }
cli-bad-instant = { $value } は 2026-11-24T10:00:00+09:00 のような RFC 3339 の日時ではありません ({ $detail })
cli-bad-date = { $what } { $value } は日付ではありません: 2015-06-30 のように YYYY-MM-DD で指定してください
cli-arg-renewal-date = 更新日
cli-arg-invoice-date = 請求書発行日
cli-bad-schedule = スケジュール { $value }: { $problem }
cli-bad-zone = --tz { $value } はタイムゾーンではありません: Asia/Tokyo や UTC のような IANA 名を指定してください (大文字・小文字を区別します)
cli-config-ok = { $file }: OK ({ $database } データベース)
cli-migrate-created = データベースを作成しました
cli-migrate-up-to-date = スキーマは最新です
cli-migrate-applied = { $name } を適用しました
cli-system-runtime = 非同期ランタイムを起動できません: { $detail }
cli-system-stdin = 標準入力を読めません: { $detail }
cli-system-console = コンソールが停止しました: { $detail }
cli-system-json = JSON を書き出せません: { $detail }
discord-client-failed = Discord クライアントを起動できません: { $detail }
cli-bad-argument = { $argument }: { $reason }
cli-unknown-argument = 引数 { $argument } はありません
cli-unknown-command = コマンド `{ $command }` はありません
cli-missing-argument = { $argument } が必要です
cli-see-help = partnerdesk --help または partnerdesk コマンド --help を参照してください
cli-with-help = { $message }({ $help })
