# Notifications the scheduled jobs write to the outbox.

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
