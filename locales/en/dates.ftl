### partnerdesk: asked dates and times (src/chat/asked.rs, src/i18n/rules_text.rs) and date
### refusals (CLI arguments, CSV cells, chat commands), English. Every variable is a string
### the caller has already formatted for this locale.

## The desk at an asked instant or day

# An asked instant inside the hours.
#   $when   the asked day and time (e.g. Thu, June 18, 10:00)
#   $until  end of that open period (e.g. 12:00)
asked-hours-open = { $when } is within our hours: we take calls until { $until }.

# An asked instant outside the hours.
#   $when       the asked day and time (e.g. Wed, June 17, 10:00)
#   $reason     a reason-* or asked-reason-* fragment (e.g. it is IBM Japan's founding anniversary)
#   $next_open  start of the next open period after it (e.g. Thu, June 18, 9:00)
asked-hours-closed = { $when } is outside our hours because { $reason }. Next opening: { $next_open }.

# As asked-hours-closed, when the calendar never opens again.
#   $when, $reason as above
asked-hours-closed-no-next = { $when } is outside our hours because { $reason }. The next opening is not scheduled yet.

# An asked day (no time) that is a business day.
#   $day    the asked day (e.g. Thu, June 18)
#   $hours  that day's periods (e.g. 9:00–12:00 and 13:00–17:00)
asked-day-open = { $day } is a business day: we are open { $hours } (JST).

# An asked day (no time) that is closed all day.
#   $day        the asked day (e.g. Wed, June 17)
#   $reason     a reason-* fragment (e.g. it is IBM Japan's founding anniversary)
#   $next_open  the first opening after that day began (e.g. Thu, June 18, 9:00)
asked-day-closed = { $day } is not a business day because { $reason }. Next opening: { $next_open }.

# As asked-day-closed, when the calendar never opens again.
asked-day-closed-no-next = { $day } is not a business day because { $reason }. The next opening is not scheduled yet.

# One opening period in asked-day-open.
#   $from, $to  e.g. 9:00, 12:00
asked-period = { $from }–{ $to }
# Joins the periods of asked-day-open. No variables.
asked-period-join = { " " }and{ " " }

# Reasons for an asked instant of a business day (reason-before-hours says "today").
asked-reason-before-hours = that day's hours have not started yet
asked-reason-after-hours = that day's hours are over

## Dates that cannot be read

# The accepted forms, listed in every refusal. No variables.
dates-forms = 2015-08-15, 2015/8/15, 8/15/2015, 2015年8月15日, 平成27年8月15日, H27.8.15, R8.1.5, Aug 15 2015, 15 August 2015, 8月15日, Aug 15, 明日, 来週月曜, tomorrow, next Monday
# Time forms, listed where a time may be given. No variables.
dates-time-forms = 10時, 12時半, 午前10時, 午後4時半, 正午, 10:00, 4:30pm, noon, RFC 3339 (2026-06-17T10:00:00+09:00)

# Date and time forms together, where a time may be given. No variables.
dates-date-time-forms = { dates-forms }, { dates-time-forms }

# Why a text is not a date (placed into the refusals below as $problem). No variables.
dates-empty = nothing was given
dates-no-such-date = no such day or time exists
dates-not-a-date = it is not a form we can read
dates-year-missing = it has no year (write the year too)

# A date that cannot be read, in chat.
#   $value    the text as given
#   $problem  one of the dates-* reasons above
#   $forms    dates-forms (and, where a time may be given, dates-date-time-forms)
dates-refused = "{ $value }" is not a date: { $problem }. Accepted forms: { $forms }

# The name of `hours --at` in cli-bad-date. No variables.
dates-arg-at = --at instant
