# Configuration and command-line errors and replies for operators (src/config.rs, src/cli.rs).
# Each error is one line: the key, its value, where it came from, and what is allowed.

config-invalid = configuration key `{ $key }` has value { $value }: { $allowed }
config-invalid-kind = configuration key `{ $key }` has value { $value }{ $origin }: { $kind }; { $allowed }
config-origin-env = {" "}(set by { $variable })
config-origin-none = {""}
config-unknown-section = configuration section [{ $key }]{ $origin } is not a known section; allowed sections: { $allowed }
config-unknown-key = configuration key `{ $key }` (value { $value }){ $origin } is not a known key; allowed keys in [{ $section }]: { $allowed }
config-kind-type = wrong type
config-kind-variant = not one of the choices
config-kind-missing = a required key is missing
config-kind-length = wrong number of items
config-kind-value = invalid value
config-kind-other = { $kind }
config-allowed-serde = allowed: { $allowed }
config-allowed-none = see partnerdesk.example.toml for the allowed values
config-expected-names = { $names }
config-expected-u8 = a whole number from 0 to 255
config-expected-u16 = a whole number from 0 to 65535
config-expected-u32 = a whole number from 0 to 4294967295
config-expected-unsigned = a whole number of 0 or more
config-expected-integer = a whole number
config-expected-number = a number
config-expected-boolean = true or false
config-expected-string = a string
config-expected-list = a list such as [1, 2]
config-expected-env-list = a list such as a,b or [1, 2]
config-expected-table = a table of keys ([section])
config-expected-any = a value of the key's type
config-file-unreadable = cannot read configuration file { $path }: { $reason }
config-toml = configuration file { $place }: not valid TOML: { $reason }
config-token-in-file = configuration key `discord.token` must not be in { $path }: set PARTNERDESK_DISCORD__TOKEN or discord.token_file
config-env-not-key = environment variable { $variable } does not name a key: use PARTNERDESK_<SECTION>__<KEY>
config-env-not-section = environment variable { $variable }: `{ $section }` is a key, not a section
config-unknown-contact = unknown contact { $id }; allowed: { $known } (configure others under [contacts.ID])
config-unknown-job = configuration section `jobs.{ $name }` names no job; allowed: { $jobs }
config-smtp-url-missing = configuration key `mail.smtp_url` is missing: mail.transport = "smtp" needs an URL such as smtp://user@host:587?tls=required
config-internal = internal error: { $detail }

config-allowed-at-least-one = allowed: a whole number of at least 1
config-allowed-api-proxy = allowed: an http:// or https:// URL such as http://127.0.0.1:8081
config-allowed-locale = allowed: ja, en
config-allowed-mailbox = allowed: one mailbox such as `Desk <desk@example.com>`
config-allowed-mailbox-why = { $reason }; allowed: one mailbox such as `Desk <desk@example.com>`
config-allowed-contact-id = allowed: an id of lower-case letters, digits and '-', other than `pwcs` (PWCS is [calendar])
config-allowed-send-at = allowed: a local time HH:MM such as 09:00
config-allowed-listen = allowed: IP:PORT such as 127.0.0.1:8080 or [::1]:8080
config-allowed-smtp-url = allowed: smtp://[user[:pass]@]host[:port][?tls=required|opportunistic] or smtps://...
config-allowed-smtp-url-why = { $why }; allowed: smtp://[user[:pass]@]host[:port][?tls=required|opportunistic] or smtps://[user[:pass]@]host[:port]
config-smtp-detail = { $detail }
config-smtp-no-host = it names no host
config-smtp-unknown-parameter = unknown parameter `{ $parameter }`
config-smtp-scheme = unknown scheme `{ $scheme }` or tls={ $tls }
config-smtp-not-utf8 = the user or password is not UTF-8 once percent-decoded
config-smtp-password-without-user = a password is set but the URL names no user: smtp://USER@host
config-smtp-user-without-password = the URL names a user but no password: put it in PARTNERDESK_MAIL__SMTP_PASSWORD
config-allowed-database-url = allowed: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE
config-allowed-database-scheme = unknown scheme `{ $scheme }`; allowed: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE
config-allowed-sqlite-path = the SQLite path is empty; allowed: sqlite://var/partnerdesk.db
config-allowed-postgres-database = the PostgreSQL URL names no database; allowed: postgres://USER@HOST:PORT/DATABASE
config-allowed-sqlite-open = { $reason }; allowed: a sqlite:// path whose folder can be created and written
config-postgres-unreachable = PostgreSQL is unreachable ({ $reason }); check that the server runs and accepts this user, or set another URL
config-postgres-refused = PostgreSQL refused the connection ({ $reason }); check that the server runs and accepts this user, or set another URL
config-allowed-token-file-empty = the file is empty; allowed: a readable file holding the Discord bot token
config-allowed-token-file-unreadable = cannot read it ({ $reason }); allowed: a readable file holding the Discord bot token
config-allowed-folder-create = cannot create the folder ({ $reason }); allowed: a folder that can be created and written
config-allowed-folder-write = the folder is not writable ({ $reason }); allowed: a folder that can be created and written
config-listen-not-here = cannot listen there ({ $reason }); allowed: an address of this machine, a port above 1023 without privileges
config-listen-in-use = cannot listen there ({ $reason }); another process holds the port: stop it or choose another address
config-listen-failed = cannot listen there ({ $reason })
config-allowed-zone = allowed: an IANA time zone name such as Asia/Tokyo or UTC (names are case-sensitive)
config-allowed-hours = allowed: at least one opening period such as "09:00-12:00"
config-allowed-period = allowed: an opening period HH:MM-HH:MM such as "09:00-12:00"
config-allowed-period-order = periods must be in time order and must not overlap; the previous one ends at { $previous_end }
config-allowed-month-day = allowed: a month and day MM-DD such as "{ $example }"
config-allowed-date = allowed: a date YYYY-MM-DD such as "2026-08-14"
config-allowed-before-cutover = allowed: a date before the cutover ({ $cutover })
config-allowed-after-cutover = allowed: a date on or after the cutover ({ $cutover })
config-allowed-due-days = allowed: a number of days from 1 to { $max }
config-allowed-schedule = { $place }: { $detail }; allowed: five crontab fields "MIN HOUR DAY MONTH WEEKDAY" such as "0 9 * * 1-5", or six or seven with seconds first
config-schedule-field = { $field } field, character { $position }
config-schedule-position = character { $position }

# Command-line arguments and replies.
cli-error = error: { $message }
cli-bad-choice = `{ $value }` is not allowed here; allowed: { $allowed }
cli-bad-instant = { $value } is not an RFC 3339 instant such as 2026-11-24T10:00:00+09:00 ({ $detail })
cli-bad-date = { $what } { $value } is not a date: use YYYY-MM-DD such as 2015-06-30
cli-arg-renewal-date = renewal date
cli-arg-invoice-date = invoice date
cli-bad-schedule = schedule { $value }: { $problem }
cli-bad-zone = --tz { $value } is not a time zone: use an IANA name such as Asia/Tokyo or UTC (names are case-sensitive)
cli-config-ok = { $file }: ok ({ $database } database)
cli-migrate-created = created database
cli-migrate-up-to-date = schema is up to date
cli-migrate-applied = applied { $name }
cli-system-runtime = cannot start the async runtime: { $detail }
cli-system-stdin = cannot read standard input: { $detail }
cli-system-console = the console stopped: { $detail }
cli-system-json = cannot write JSON: { $detail }
discord-client-failed = cannot start the Discord client: { $detail }
cli-bad-argument = { $argument }: { $reason }
cli-unknown-argument = there is no argument { $argument }
cli-unknown-command = there is no command `{ $command }`
cli-missing-argument = { $argument } is required
cli-see-help = see partnerdesk --help or partnerdesk COMMAND --help
cli-with-help = { $message } ({ $help })
