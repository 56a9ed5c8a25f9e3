# Limits against mistakes and hostile input (issue 14): configuration values that do not fit
# together, secrets, input caps, names, the HTTP listener and the Discord connection.

## Configuration (src/config/validate.rs, src/config/load.rs, src/config/smtp_url.rs)
config-password-in-file = configuration key `mail.smtp_password` must not be in { $path }: set PARTNERDESK_MAIL__SMTP_PASSWORD
config-allowed-token-blank = the token is empty or blank; allowed: the Discord bot token, or leave it unset to run without Discord
config-allowed-token-prefix = the token starts with "Bot "; allowed: the token alone, as the Developer Portal shows it
config-allowed-token-malformed = this is not a Discord bot token; allowed: the token as the Developer Portal shows it (letters, digits, '.', '_' and '-')
config-allowed-range = allowed: a whole number from { $min } to { $max }
config-allowed-lease = a lease must outlast one send (mail.timeout_secs = { $timeout }) or a message is sent twice, and a lease of 0 sends nothing; allowed: seconds from { $timeout } to { $max }
config-allowed-backoff-order = the first retry delay must not be longer than the longest one (outbox.max_backoff_secs = { $max }); allowed: seconds from 1 to { $max }
config-allowed-escalation-admin = the admins are reminded after the APAs (reminders.escalate_to_apa_after_business_days = { $apa }); allowed: business days from { $apa } to { $max }
config-allowed-escalation-expire = a request expires only after the admins were reminded (reminders.escalate_to_admin_after_business_days = { $admin }); allowed: 0 (never expire) or business days above { $admin }, up to { $max }
config-allowed-string-cap = the value is { $length } characters long; allowed: at most { $max } characters
config-allowed-plaintext-auth = the SMTP user and password would be sent without TLS; allowed: ?tls=required or smtps://, or set mail.allow_plaintext_auth = true to accept that risk

## Discord (src/discord/mod.rs)
discord-token-rejected = Discord refused the bot token ({ $status }): check PARTNERDESK_DISCORD__TOKEN or discord.token_file; stopping
discord-gateway-rejected = the Discord gateway refused the bot ({ $reason }); stopping

## Input limits (src/chat/console.rs, src/cli)
input-line-too-long = That message is too long. Please keep it to { $max } characters.

## Names (src/workflows/validate.rs)
wf-error-name-invisible = { $what } cannot contain the invisible or direction-changing character { $code } (a zero-width space, a right-to-left override, ...): they make one name look like another. Please type it again without it.

## Import (src/cli/import_contracts.rs)
ops-import-interrupted = Import of { $file } interrupted after { $done } rows had been read and written in its transaction: it was rolled back, so nothing changed. Run the same command again to import the file (rows already there are updated in place).
