### partnerdesk: asked dates and times (src/chat/asked.rs, src/i18n/rules_text.rs) and date
### refusals (CLI arguments, CSV cells, chat commands), Japanese. Every variable is a string
### the caller has already formatted for this locale.

## The desk at an asked instant or day

# An asked instant inside the hours.
#   $when   the asked day and time (e.g. 6月18日(木) 10:00)
#   $until  end of that open period (e.g. 12:00)
asked-hours-open = { $when } は受付時間内です。{ $until } まで受け付けています。

# An asked instant outside the hours.
#   $when       the asked day and time (e.g. 6月17日(水) 10:00)
#   $reason     a reason-* or asked-reason-* fragment (e.g. 日本 IBM 創立記念日のため)
#   $next_open  start of the next open period after it (e.g. 6月18日(木) 9:00)
asked-hours-closed = { $when } は{ $reason }受付時間外です。次の受付開始は { $next_open } です。

# As asked-hours-closed, when the calendar never opens again.
#   $when, $reason as above
asked-hours-closed-no-next = { $when } は{ $reason }受付時間外です。次の受付開始日時は未定です。

# An asked day (no time) that is a business day.
#   $day    the asked day (e.g. 6月18日(木))
#   $hours  that day's periods (e.g. 9:00~12:00 および 13:00~17:00)
asked-day-open = { $day } は営業日です。受付時間は { $hours } です。

# An asked day (no time) that is closed all day.
#   $day        the asked day (e.g. 6月17日(水))
#   $reason     a reason-* fragment (e.g. 日本 IBM 創立記念日のため)
#   $next_open  the first opening after that day began (e.g. 6月18日(木) 9:00)
asked-day-closed = { $day } は{ $reason }休業日です。次の受付開始は { $next_open } です。

# As asked-day-closed, when the calendar never opens again.
asked-day-closed-no-next = { $day } は{ $reason }休業日です。次の受付開始日時は未定です。

# One opening period in asked-day-open.
#   $from, $to  e.g. 9:00, 12:00
asked-period = { $from }~{ $to }
# Joins the periods of asked-day-open. No variables.
asked-period-join = { " " }および{ " " }

# Reasons for an asked instant of a business day (reason-before-hours says "today").
asked-reason-before-hours = 受付開始前のため
asked-reason-after-hours = 受付終了後のため

## Dates that cannot be read

# The accepted forms, listed in every refusal. No variables.
dates-forms = 2015-08-15、2015/8/15、8/15/2015、2015年8月15日、平成27年8月15日、H27.8.15、R8.1.5、Aug 15 2015、15 August 2015、8月15日、Aug 15、明日、来週月曜、tomorrow、next Monday
# Time forms, listed where a time may be given. No variables.
dates-time-forms = 10時、12時半、午前10時、午後4時半、正午、10:00、4:30pm、noon、RFC 3339 (2026-06-17T10:00:00+09:00)

# Date and time forms together, where a time may be given. No variables.
dates-date-time-forms = { dates-forms }、{ dates-time-forms }

# Why a text is not a date (placed into the refusals below as $problem). No variables.
dates-empty = 何も指定されていません
dates-no-such-date = その日付・時刻は存在しません
dates-not-a-date = 読み取れる書き方ではありません
dates-year-missing = 年がありません (年を含めて指定してください)

# A date that cannot be read, in chat.
#   $value    the text as given
#   $problem  one of the dates-* reasons above
#   $forms    dates-forms (and, where a time may be given, dates-date-time-forms)
dates-refused = 「{ $value }」は日付ではありません: { $problem }。使える書き方: { $forms }

# The name of `hours --at` in cli-bad-date. No variables.
dates-arg-at = --at の日時
