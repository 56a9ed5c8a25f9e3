### 営業担当者向け: 更新リマインダー、週次ダイジェスト、更新の手順と連絡先 (seed 003 §5)。

# Renewal reminder to a sales rep, counting down in business days to the action deadline.
#   $rep $company $product $contract: names; $renewal_date $deadline: formatted dates;
#   $days: business days left until the deadline; $step: a renewal-step-* text;
#   $contact: a renewal-contact-* text; $rule: the window's rule (renewal-* of rules.ftl).
sales-reminder-subject = 【{ $deadline } まで残り{ $days }営業日】{ $company } / { $product }
sales-reminder-body =
    { $rep } 様

    次の契約の更新期限 (アクション期限) が近づいています。
    ・お客様: { $company }
    ・製品: { $product }
    ・契約番号: { $contract }
    ・更新日: { $renewal_date }
    ・期限: { $deadline } (残り{ $days }営業日)
    ・手続き: { $step }
    ・お問い合わせ先: { $contact }

    { $rule }

    状況はチャットの /ack コマンドで記録してください。記録すると、この契約のリマインダーは停止します。

# Weekly digest. $rep; $count: contracts listed; $days: horizon in days; $lines: one
# sales-digest-line each.
sales-digest-subject = 今後{ $days }日間に期限を迎える更新 ({ $count }件)
sales-digest-body =
    { $rep } 様

    今後{ $days }日間に更新期限 (アクション期限) を迎える契約は次の{ $count }件です。
    { $lines }

# One contract in the digest.
#   $deadline $renewal_date: formatted dates; $days: business days left; $company $product
#   $contract: names; $step: a renewal-step-* text; $contact: a renewal-contact-* text.
sales-digest-line = ・{ $deadline } (残り{ $days }営業日) { $company } / { $product } (契約番号 { $contract }、更新日 { $renewal_date }): { $step }。お問い合わせ先: { $contact }

## What the partner does in each step of a renewal (RenewalStep::message_id). No variables.

# Before the cutover: confirm the Aspera quote. No variables.
renewal-step-confirm-quote = Aspera 営業担当員からのお見積書による更新のご確認
# Transition window, until the early-renewal deadline. No variables.
renewal-step-early-renewal = 現行契約の事前更新 (期限までに更新されない場合は、IBMが新たにお見積書を発行いたします)
# Transition window after the early-renewal deadline, and after the transition. No variables.
renewal-step-ibm-quote = IBM の標準契約条件によるお見積書での更新 (更新終了日は該当月の最終日となります)

## Whom to contact (RenewalContact::message_id), as seed 003 §5 names them. No variables.

# No variables.
renewal-contact-aspera-sales = Aspera 営業担当員
# No variables.
renewal-contact-aspera-renewal = Aspera 更新担当員
# No variables.
renewal-contact-ibm-renewal = IBM サブスクリプション＆サポート更新担当員

## contract list (CLI), one line per contract.

# $contract $rep $status: words; $renewal_date $deadline: dates; $window: window code;
# $contact: a renewal-contact-* text.
sales-contract-line = { $contract }  { $rep }  更新日 { $renewal_date }  { $window }  期限 { $deadline }  { $status }  お問い合わせ先: { $contact }
# `contract list --window` with an unknown window. $value: what was given; $allowed: the codes.
sales-bad-window = 更新期間 { $value } はありません。指定できるのは { $allowed } です。

## /renewals (chat), under each sales-renewals-line.

# $step: a renewal-step-* text; $contact: a renewal-contact-* text.
sales-renewals-action = 　{ $step }。お問い合わせ先: { $contact }

# The greeting of a rep whose name neither the CSV nor a person record gave. No variables.
sales-rep-unnamed = ご担当者
