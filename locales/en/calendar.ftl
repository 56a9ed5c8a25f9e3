# The sales reps' calendar feed (.ics) and `partnerdesk rep calendar-url`. Same ids as
# ja/calendar.ftl.

cal-name = partnerdesk renewal deadlines
# $company, $contract, $product, $renewal (the renewal date), $days
cal-event-summary = Renewal deadline: { $company } (contract { $contract })
cal-event-description = { $company }, contract { $contract } ({ $product }), renewal date { $renewal }.
cal-alarm = Renewal deadline in { $days } days: { $company } (contract { $contract })

# $ibm_id
wf-cli-calendar-no-contracts = No contract names { $ibm_id } as its sales rep, so there is no calendar to publish. Import the contracts first (partnerdesk import contracts FILE).
wf-cli-calendar-exists = { $ibm_id } already has a calendar URL. It was shown once, when it was made, and is stored only hashed. To issue a new one run again with --rotate; the old URL then stops working.
# $url: the feed URL
wf-cli-calendar-url = Calendar URL (shown only now; anyone with it can read the feed): { $url }
