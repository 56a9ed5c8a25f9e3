# Operator commands: jobs, outbox, contract, import contracts (src/ops_cli.rs).

ops-job-never = never
ops-job-running = running
ops-job-already-ran = { $job } at { $at } already ran.
ops-job-failed = Job { $job } failed: { $error }
ops-job-unknown = There is no job named "{ $job }". Jobs: { $jobs }
ops-outbox-retried = Message { $id } is pending again.
ops-outbox-not-dead = Message { $id } is { $status }, not dead: only dead messages can be retried.
ops-outbox-missing = There is no message { $id } in the outbox.
ops-outbox-dispatched = claimed { $claimed }, sent { $sent }, retrying { $retried }, dead { $dead }
ops-outbox-purged = { $count ->
        [one] Purged { $count } message.
       *[other] Purged { $count } messages.
    }
ops-contract-acked = Contract { $contract } is now { $status }.
ops-contract-missing = There is no contract "{ $contract }".

# import contracts FILE.csv
ops-import-summary = inserted { $inserted }, updated { $updated }, unchanged { $unchanged }, bad rows { $bad }
ops-import-duplicate-column = The column "{ $column }" appears more than once.
ops-import-empty = { $column } is empty.
ops-import-line-break = { $column } contains a line break or another control character.
ops-import-bad-date = renewal_date "{ $value }" is not a date: { $problem }. Accepted forms: { $forms }
ops-import-bad-email = sales_rep_email "{ $value }" is not an email address.
ops-import-bad-lang = sales_rep_lang "{ $value }" is not allowed. Allowed: ja, en
ops-import-bad-zone = sales_rep_tz "{ $value }" is not a time zone; use an IANA name such as Asia/Tokyo.
ops-bad-age = { $value } is not an age such as 30d, 12h, 90m or 45s
ops-outbox-list-cut = Showing the oldest { $limit } messages only; there are more. Narrow with --status, or raise --limit.
