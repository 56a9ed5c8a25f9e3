# The operators' web console (/console). Same ids in locales/ja/console.ftl.

console-product = partnerdesk console
console-nav-overview = Overview
console-nav-outbox = Outbox
console-nav-jobs = Jobs
console-nav-approvals = Approvals
console-nav-renewals = Renewals
console-nav-questions = Questions
console-nav-audit = Audit log
console-logout = Sign out
console-back = Back to the console
console-back-to-outbox = Back to the outbox
console-none = Nothing to show.
console-any = any
console-filter = Filter
console-search = Search
console-cancel = Cancel
console-apply = Apply
console-approve = Approve
console-reject = Reject
console-reason = reason
console-note-or-reason = note or reason
console-overdue = overdue
console-business-days = { $days ->
    [one] waiting 1 business day
   *[other] waiting { $days } business days
}

## errors
console-error-title = Something is not right
console-csrf-refused = This form has expired or did not come from the console (CSRF check failed). Reload the page and try again.
console-internal-error = The console could not complete this request; the details are in the daemon's log.
console-not-found = There is no such page or record.

## login, logout, setup
console-login-title = Sign in
console-login-ibm-id = IBM ID (email address)
console-login-password = Password
console-login-submit = Sign in
console-login-failed = The IBM ID or the password is wrong.
console-login-limited = Too many failed sign-ins. Try again in { $minutes } minutes.
console-logged-out = You have signed out.
console-setup-title = Choose your password
console-setup-intro = Choose the console password for { $ibm_id }.
console-setup-password = New password
console-setup-confirm = The same password again
console-setup-submit = Save the password
console-setup-invalid = This setup link is not valid: it was already used, has expired, or was replaced by a newer one. Ask for a new one (`partnerdesk operator add`).
console-setup-mismatch = The two passwords differ.
console-setup-done = Your password is saved. Sign in with it.
console-password-short = The password needs at least { $min } characters.
console-password-long = The password may have at most { $max } characters.
console-password-control = The password may not contain control characters (such as tabs or line breaks).

## operator add (CLI)
console-cli-added = Operator { $ibm_id } added.
console-cli-updated = Operator { $ibm_id } updated.
console-cli-setup-link = Send this one-time setup link to the operator (valid for { $hours } hours):
console-cli-disabled = Note: the console is off; turn it on with [console] enabled = true (PARTNERDESK_CONSOLE__ENABLED=true).
config-allowed-ip = allowed: an IP address such as 127.0.0.1 or ::1

## overview
console-overview-joins = Join requests waiting: { $count } ({ $overdue } overdue)
console-overview-registrations = Registrations open: { $count } ({ $overdue } overdue)
console-overview-month = Action deadlines in { $month }, by window

## outbox
console-outbox-status-pending = pending
console-outbox-status-sent = sent
console-outbox-status-dead = dead
console-outbox-filter-status = Status
console-outbox-filter-recipient = Recipient
console-outbox-channel = Channel
console-outbox-recipient = Recipient
console-outbox-subject = Subject
console-outbox-status = Status
console-outbox-attempts = Attempts
console-outbox-last-error = Last error
console-outbox-created = Created
console-outbox-sent = Sent
console-outbox-next-attempt = Next attempt
console-outbox-dedupe-key = Dedupe key
console-outbox-body = Text
console-outbox-message-title = Message { $id }
console-outbox-retry = Retry this message
console-outbox-retried = The message is pending again and will be sent shortly.
console-outbox-not-dead = Only a dead message can be retried.
console-outbox-purge-title = Purge old messages
console-outbox-purge-days = Delete sent and dead messages older than (days)
console-outbox-purge-submit = Purge
console-outbox-purged = { $count ->
    [one] 1 message purged.
   *[other] { $count } messages purged.
}
console-outbox-purge-bad-days = “{ $value }” is not a number of days from 1 to 3650.

## jobs
console-job-name = Job
console-job-schedule = Schedule
console-job-next = Next fires
console-job-last = Last fire
console-job-last-runs = Last runs
console-job-never = never ran
console-job-running = running
console-job-business-days = business days only
console-job-run-now = Run now…
console-job-confirm-title = Run a job now
console-job-confirm = Run { $job } now? It runs once, as if it were scheduled for this instant.
console-job-run-confirm = Yes, run it now
console-job-ran = { $job }: { $outcome } { $detail }
console-job-outcome-ok = ok
console-job-outcome-error = failed
console-job-outcome-claimed = already run by another replica
console-job-outcome-woken = the dispatcher was woken up

## approvals
console-approvals-joins = Join requests
console-approvals-registrations = Registrations
console-approvals-person = Person
console-approvals-company = Company
console-approvals-applicant = Applicant
console-approvals-method = Method
console-approvals-status = Status
console-approvals-since = Waiting since
console-approvals-decide = Decision
console-join-method-token = company token
console-join-method-apa = added by the APA
console-approvals-join-approved = Join request { $id } approved; the person is told.
console-approvals-join-rejected = Join request { $id } rejected; the person is told.
console-approvals-registration-moved = Registration { $id } updated; the applicant is told where the step calls for it.
console-approvals-already-decided = Join request { $id } was already decided by { $by }.
console-approvals-no-join = There is no join request { $id }.
console-approvals-bad-step = “{ $value }” is not a registration step.

## renewals
console-renewals-weeks = Weeks
console-renewals-rep = Sales rep
console-renewals-range = Action deadlines from { $from } to { $to } (open and quoted contracts).
console-renewals-chart = Action deadlines per week, by renewal window
console-renewals-chart-week = Week of { $week }: { $count } deadlines
console-renewals-by-window = By window
console-renewals-by-rep = By sales rep
console-renewals-quoted = of which quoted
console-window-before-cutover = before the cutover
console-window-transition = transition window
console-window-after-transition = after the transition

## questions
console-questions-unavailable = Not available yet: the log of questions the desk could not answer (the desk_questions table) arrives with the conversation work, which has not landed in this database.
console-questions-meanwhile = Until then, unanswered questions are only in the daemon's log.
console-questions-none = Every recorded question was answered, and none was given a 👎.
console-questions-at = Asked
console-questions-question = Question
console-questions-outcome = Outcome
console-questions-topics = Topics
console-questions-lang = Language
console-questions-confidence = confidence { $confidence }
console-questions-outcome-answered = answered
console-questions-outcome-clarified = asked back
console-questions-outcome-unknown = not known
console-questions-outcome-handed-off = handed to a person

## audit
console-audit-person = Person (IBM ID)
console-audit-company = Company (id or name)
console-audit-action = Action
console-audit-at = When
console-audit-actor = Who
console-audit-channel = Through
console-audit-subject = Subject
console-audit-detail = Detail
console-audit-no-company = There is no company named “{ $value }”.
