# Notifications the scheduled jobs write to the outbox.

# A join request waits for approval. $name: recipient; $requester $requester_id; $company
# $location; $days: business days waited; $request: request number.
escalation-subject = 【承認待ち】{ $company } への追加登録申請 (申請番号 { $request })
escalation-body =
    { $name } 様

    { $requester } さん ({ $requester_id }) から { $company } の { $location } への追加登録申請が、{ $days }営業日承認を待っています。
    チャットの /pending で内容を確認し、承認または却下してください。
