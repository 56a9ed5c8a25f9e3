# Notifications the scheduled jobs write to the outbox.

# Renewal reminder to a sales rep.
#   $rep $company $product $contract: names; $renewal_date $deadline: formatted dates;
#   $days: whole days left until the deadline.
reminder-subject = { $days ->
        [0] [Renewal deadline today]
        [one] [Renewal deadline in { $days } day]
       *[other] [Renewal deadline in { $days } days]
    } { $company } / { $product }
reminder-body =
    Dear { $rep },

    The renewal deadline of this contract is approaching.
    - Customer: { $company }
    - Product: { $product }
    - Contract: { $contract }
    - Renewal date: { $renewal_date }
    - Deadline: { $deadline } ({ $days ->
        [0] today
        [one] { $days } day left
       *[other] { $days } days left
    })

    Please record where it stands with the /ack chat command. Once it is acknowledged, reminders for this contract stop.

# Weekly digest. $rep; $count: contracts listed; $days: horizon; $lines: one digest-line each.
digest-subject = Contracts with a renewal deadline in the next { $days } days ({ $count })
digest-body =
    Dear { $rep },

    { $count ->
        [one] This contract reaches its
       *[other] These { $count } contracts reach their
    } renewal deadline in the next { $days } days:
    { $lines }
# One contract in the digest: $deadline $company $product $contract.
digest-line = - { $deadline } { $company } / { $product } (contract { $contract })

# A join request waits for approval. $name: recipient; $requester $requester_id; $company
# $location; $days: business days waited; $request: request number.
escalation-subject = [Waiting for approval] Request to join { $company } (request { $request })
escalation-body =
    Dear { $name },

    { $requester } ({ $requester_id }) asked to join { $company } at { $location } and has been waiting { $days ->
        [one] { $days } business day
       *[other] { $days } business days
    } for approval.
    Please review it with /pending in the chat and approve or reject it.
