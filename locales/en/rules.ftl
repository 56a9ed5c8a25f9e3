### partnerdesk: texts of the business rules (crates/domain), English.
###
### Message ids follow the machine codes of the domain crate:
###   reason-  + ClosedReason::reason_code()   (reason-holiday, reason-year-end, ...)
###   renewal- + RenewalWindow::code()         (renewal-before-cutover, ...)
###   payment- + Payee::code()                 (payment-aspera, payment-ibm-japan)
### Every variable is a string the caller has already formatted for this locale
### (dates like June 30, 2015, times like Tuesday, November 24, 9:00). Facts are quoted
### from the seeds.

## Contact hours

# PWCS hours, from the PartnerWorld registration guide. No variables.
hours-pwcs = Contact hours: weekdays 9:00–12:00 and 13:00–17:00 JST (closed on national holidays, on IBM Japan's founding anniversary, and from December 30 to January 3)

# How to reach PWCS, from the PartnerWorld registration guide. No variables.
hours-pwcs-phone = PartnerWorld Contact Service (PWCS): 0120-07-2004 (also reachable from mobile phones and PHS). You are first connected to BP Contact IBM; press 3 as the voice guide instructs to reach PWCS.

# The desk is open now.
#   $until     end of the current open period (e.g. 12:00)
hours-open = We are open now, until { $until }.

# The desk is closed now.
#   $reason    the rendered reason-* message for the status's reason code
#   $next_open start of the next open period (e.g. Tuesday, November 24, 9:00)
hours-closed = We are closed now because { $reason }. Next opening: { $next_open }.

# The desk is closed and will not open again within the calendar's horizon.
#   $reason    the rendered reason-* message for the status's reason code
hours-closed-no-next = We are closed now because { $reason }. The next opening is not scheduled yet.

## Closed reasons: fragments placed into hours-closed as $reason

# Reason code "open". No variables.
reason-open = we are open
# Reason code "weekend". No variables.
reason-weekend = it is the weekend
# Reason code "holiday".
#   $name      the holiday's English name (e.g. Labor Thanksgiving Day, Substitute Holiday)
reason-holiday = it is a national holiday ({ $name })
# Reason code "anniversary". No variables.
reason-anniversary = it is IBM Japan's founding anniversary
# Reason code "year-end". No variables.
reason-year-end = of the year-end and New Year closure (December 30 to January 3)
# Reason code "lunch-break". No variables.
reason-lunch-break = it is the lunch break
# Reason code "before-hours". No variables.
reason-before-hours = today's hours have not started yet
# Reason code "after-hours". No variables.
reason-after-hours = today's hours are over
# Reason code "closed-day" (an extra closed day set by the operators). No variables.
reason-closed-day = it is a special closing day

## Renewal of software subscription & support (seed 003, section 5).
## Callers may pass all three variables to every renewal message.

# Window "before-cutover": renewal date before 2015-07-01.
#   $renewal_date  the contract's renewal date
#   $confirm_by    the earlier of the renewal date and 2015-06-30
renewal-before-cutover =
    Your renewal date ({ $renewal_date }) is before July 1, 2015. Your Aspera sales representative will send you a quote; so that service continues without interruption, please confirm the renewal by { $confirm_by }, the earlier of your current contract's renewal date and June 30, 2015.
    If the renewal is not completed by June 30, 2015, a contract under IBM's standard terms will be required. If you have not received a quote yet, please contact your Aspera sales representative.

# Window "transition": renewal date from 2015-07-01 to 2015-09-30.
#   $renewal_date  the contract's renewal date
#   $confirm_by    the last day to renew the current contract early (June 30, 2015)
#   $end_date      the renewal end date under IBM: the last day of the renewal date's month
renewal-transition =
    Your renewal date ({ $renewal_date }) is between July 1, 2015 and September 30, 2015. You can renew your current contract early by completing the procedure by { $confirm_by }. If it is not renewed by { $confirm_by }, IBM will issue a new quote.
    From July 1, 2015, product numbers, ordering documents, invoices and payment terms follow IBM's contract terms, and under an IBM contract the renewal end date is the last day of the month ({ $end_date }). If you are considering early renewal and have not received a quote yet, please contact your Aspera renewal representative.

# Window "after-transition": renewal date 2015-10-01 or later.
#   $renewal_date  the contract's renewal date
#   $end_date      the renewal end date: the last day of the renewal date's month
renewal-after-transition =
    Your renewal date ({ $renewal_date }) is on or after October 1, 2015. The quote for your software subscription and support renewal will come from IBM's subscription and support renewal representative. It follows IBM's standard contract terms, and the renewal end date is the last day of the month ({ $end_date }).

## Payment of invoices (seed 003, section 3)

# Payee "aspera": invoice issued by Aspera before 2015-07-01. Paid as the invoice states: no
# computed due date (seed 003 §3).
#   $invoice_date  the invoice date
payment-aspera =
    Invoice date: { $invoice_date }
    Note: invoices issued by Aspera before July 1 are paid to Aspera as before, following the payment method stated on the invoice. Pay as the invoice states; no due date is computed for it.

# Payee "ibm-japan": invoice dated 2015-07-01 or later.
#   $invoice_date  the invoice date
#   $due_date      the invoice date + 30 days (standard terms)
payment-ibm-japan =
    From July 1, 2015, payments go to 日本アイ・ビー・エム株式会社 (IBM Japan) instead of Aspera. The bank account is printed on the back of the IBM invoice.
    Under the standard payment terms, payment is due within 30 days of the invoice date ({ $invoice_date }): by { $due_date }. Please check your invoice for details.

# Existing contract terms take precedence (contract_terms_override); shown after the IBM
# payment message only. No variables.
payment-contract-terms = Note: if your valid contract with Aspera sets its own payment terms, IBM applies those terms. If IBM contacts you about a late payment, please tell them that the contract was carried over from Aspera.
