# 誤りや悪意ある入力に対する制限 (issue 14): 互いに矛盾する設定値、秘密情報、入力の上限、
# 名前、HTTP の待ち受け、Discord との接続。

## 設定 (src/config/validate.rs, src/config/load.rs, src/config/smtp_url.rs)
config-password-in-file = 設定キー `mail.smtp_password` は { $path } に書けません: PARTNERDESK_MAIL__SMTP_PASSWORD で指定してください
config-allowed-token-blank = トークンが空です。使える値: Discord ボットのトークン (Discord を使わないなら設定しないでください)
config-allowed-token-prefix = トークンが "Bot " で始まっています。使える値: Developer Portal に表示されるトークンそのもの
config-allowed-token-malformed = Discord ボットのトークンの形ではありません。使える値: Developer Portal に表示されるトークン (英数字・'.'・'_'・'-')
config-allowed-range = 使える値: { $min } 以上 { $max } 以下の整数
config-allowed-lease = リースは 1 回の送信 (mail.timeout_secs = { $timeout }) より長くなければ二重送信になり、0 では何も送れません。使える値: { $timeout } 〜 { $max } 秒
config-allowed-backoff-order = 最初の再試行間隔は最長の間隔 (outbox.max_backoff_secs = { $max }) を超えられません。使える値: 1 〜 { $max } 秒
config-allowed-escalation-admin = 管理者への催促は APA への催促 (reminders.escalate_to_apa_after_business_days = { $apa }) より後です。使える値: { $apa } 〜 { $max } 営業日
config-allowed-escalation-expire = 申請の期限切れは管理者への催促 (reminders.escalate_to_admin_after_business_days = { $admin }) より後です。使える値: 0 (期限切れにしない) または { $admin } より大きく { $max } 以下の営業日
config-allowed-string-cap = 値が { $length } 文字あります。使える値: { $max } 文字まで
config-allowed-plaintext-auth = SMTP のユーザーとパスワードが TLS なしで送られます。使える値: ?tls=required か smtps://。承知のうえで使うなら mail.allow_plaintext_auth = true

## Discord (src/discord/mod.rs)
discord-token-rejected = Discord がボットのトークンを拒否しました ({ $status })。PARTNERDESK_DISCORD__TOKEN か discord.token_file を確認してください。停止します
discord-gateway-rejected = Discord のゲートウェイがボットを拒否しました ({ $reason })。停止します

## 入力の上限 (src/chat/console.rs, src/cli)
input-line-too-long = メッセージが長すぎます。{ $max } 文字以内でお願いします。

## 名前 (src/workflows/validate.rs)
wf-error-name-invisible = { $what }に見えない文字や表示方向を変える文字 ({ $code }: ゼロ幅スペース、右から左への上書きなど) は使えません。別の名前に見せかけられるためです。それを除いて入力し直してください。

## 取り込み (src/cli/import_contracts.rs)
ops-import-interrupted = { $file } の取り込みは { $done } 行を読んでトランザクション内に書いたところで中断されました。ロールバックしたので何も変わっていません。同じコマンドをもう一度実行すると取り込めます (既にある行はその場で更新されます)。
