### Sales reps: renewal reminders, the weekly digest, renewal steps and whom to contact
### (seed 003 §5).

# Renewal reminder to a sales rep, counting down in business days to the action deadline.
#   $rep $company $product $contract: names; $renewal_date $deadline: formatted dates;
#   $days: business days left until the deadline; $step: a renewal-step-* text;
#   $contact: a renewal-contact-* text; $rule: the window's rule (renewal-* of rules.ftl).
sales-reminder-subject = [{ $days ->
        [0] Action deadline today
        [one] { $days } business day to { $deadline }
       *[other] { $days } business days to { $deadline }
    }] { $company } / { $product }
sales-reminder-body =
    Dear { $rep },

    The action deadline of this renewal is approaching.
    - Customer: { $company }
    - Product: { $product }
    - Contract: { $contract }
    - Renewal date: { $renewal_date }
    - Deadline: { $deadline } ({ $days ->
        [0] today
        [one] { $days } business day left
       *[other] { $days } business days left
    })
    - What to do: { $step }
    - Contact: { $contact }

    { $rule }

    Please record where it stands with the /ack chat command. Once it is acknowledged, reminders for this contract stop.

# Weekly digest. $rep; $count: contracts listed; $days: horizon in days; $lines: one
# sales-digest-line each.
sales-digest-subject = Renewal deadlines in the next { $days } days ({ $count })
sales-digest-body =
    Dear { $rep },

    { $count ->
        [one] This contract reaches its
       *[other] These { $count } contracts reach their
    } action deadline in the next { $days } days:
    { $lines }

# One contract in the digest.
#   $deadline $renewal_date: formatted dates; $days: business days left; $company $product
#   $contract: names; $step: a renewal-step-* text; $contact: a renewal-contact-* text.
sales-digest-line = - { $deadline } ({ $days ->
        [one] { $days } business day left
       *[other] { $days } business days left
    }) { $company } / { $product } (contract { $contract }, renewal date { $renewal_date }): { $step }. Contact: { $contact }

## What the partner does in each step of a renewal (RenewalStep::message_id). No variables.

# Before the cutover: confirm the Aspera quote. No variables.
renewal-step-confirm-quote = Confirm the renewal on the quote from the Aspera sales representative
# Transition window, until the early-renewal deadline. No variables.
renewal-step-early-renewal = Renew the current contract early (if it is not renewed by the deadline, IBM issues a new quote)
# Transition window after the early-renewal deadline, and after the transition. No variables.
renewal-step-ibm-quote = Renew on IBM's quote under IBM's standard terms (the term ends on the last day of the month)

## Whom to contact (RenewalContact::message_id), as seed 003 §5 names them. No variables.

# No variables.
renewal-contact-aspera-sales = the Aspera sales representative
# No variables.
renewal-contact-aspera-renewal = the Aspera renewal representative
# No variables.
renewal-contact-ibm-renewal = IBM's subscription and support renewal representative

## contract list (CLI), one line per contract.

# $contract $rep $status: words; $renewal_date $deadline: dates; $window: window code;
# $contact: a renewal-contact-* text.
sales-contract-line = { $contract }  { $rep }  renewal { $renewal_date }  { $window }  deadline { $deadline }  { $status }  contact: { $contact }
# `contract list --window` with an unknown window. $value: what was given; $allowed: the codes.
sales-bad-window = There is no renewal window { $value }. Allowed: { $allowed }.

## /renewals (chat), under each sales-renewals-line.

# $step: a renewal-step-* text; $contact: a renewal-contact-* text.
sales-renewals-action = {"  "}{ $step }. Contact: { $contact }

# The greeting of a rep whose name neither the CSV nor a person record gave. No variables.
sales-rep-unnamed = sales representative
