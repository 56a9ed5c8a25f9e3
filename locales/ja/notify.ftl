# Notifications the scheduled jobs write to the outbox.

# Renewal reminder to a sales rep.
#   $rep $company $product $contract: names; $renewal_date $deadline: formatted dates;
#   $days: whole days left until the deadline.
reminder-subject = 【更新期限まで残り{ $days }日】{ $company } / { $product }
reminder-body =
    { $rep } 様

    次の契約の更新期限が近づいています。
    ・お客様: { $company }
    ・製品: { $product }
    ・契約番号: { $contract }
    ・更新日: { $renewal_date }
    ・更新期限: { $deadline } (残り{ $days }日)

    お見積書の提示などの対応状況を、チャットの /ack コマンドまたは担当者にお知らせください。対応済みと登録されると、この契約のお知らせは停止します。

# Weekly digest. $rep; $count: contracts listed; $days: horizon; $lines: one digest-line each.
digest-subject = 今後{ $days }日間に更新期限を迎える契約 ({ $count }件)
digest-body =
    { $rep } 様

    今後{ $days }日間に更新期限を迎える契約は次の{ $count }件です。
    { $lines }
# One contract in the digest: $deadline $company $product $contract.
digest-line = ・{ $deadline } { $company } / { $product } (契約番号 { $contract })

# A join request waits for approval. $name: recipient; $requester $requester_id; $company
# $location; $days: business days waited; $request: request number.
escalation-subject = 【承認待ち】{ $company } への追加登録申請 (申請番号 { $request })
escalation-body =
    { $name } 様

    { $requester } さん ({ $requester_id }) から { $company } の { $location } への追加登録申請が、{ $days }営業日承認を待っています。
    チャットの /pending で内容を確認し、承認または却下してください。
