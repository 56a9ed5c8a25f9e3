### partnerdesk: texts of the business rules (crates/domain), Japanese.
###
### Message ids follow the machine codes of the domain crate:
###   reason-  + ClosedReason::reason_code()   (reason-holiday, reason-year-end, ...)
###   renewal- + RenewalWindow::code()         (renewal-before-cutover, ...)
###   payment- + Payee::code()                 (payment-aspera, payment-ibm-japan)
### Every variable is a string the caller has already formatted for this locale
### (dates like 2015年6月30日, times like 11月24日(火) 9:00). Facts are quoted from the seeds.

## Contact hours

# PWCS hours, quoted from the PartnerWorld registration guide. No variables.
hours-pwcs = 窓口受付時間: 営業時間 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日、12/30~1/3 を除く)

# How to reach PWCS, quoted from the PartnerWorld registration guide. No variables.
hours-pwcs-phone = PartnerWorld コンタクト・サービス (PWCS) ☎ 0120-07-2004 (携帯電話・PHSからもつながります)。はじめに BP コンタクト IBM につながります。音声ガイドに従って「3」を押すと PWCS につながります。

# The desk is open now.
#   $until     end of the current open period (e.g. 12:00)
hours-open = ただいま受付時間内です。{ $until } まで受け付けています。

# The desk is closed now.
#   $reason    the rendered reason-* message for the status's reason code
#   $next_open start of the next open period (e.g. 11月24日(火) 9:00)
hours-closed = { $reason }、ただいま受付時間外です。次の受付開始は { $next_open } です。

# The desk is closed and will not open again within the calendar's horizon.
#   $reason    the rendered reason-* message for the status's reason code
hours-closed-no-next = { $reason }、ただいま受付時間外です。次の受付開始日時は未定です。

## Closed reasons: fragments placed into hours-closed as $reason

# Reason code "open". No variables.
reason-open = 受付時間内です
# Reason code "weekend". No variables.
reason-weekend = 土曜日・日曜日のため
# Reason code "holiday".
#   $name      the holiday's Japanese name (e.g. 勤労感謝の日, 振替休日, 国民の休日)
reason-holiday = 祝日 ({ $name }) のため
# Reason code "anniversary". No variables.
reason-anniversary = 日本 IBM 創立記念日のため
# Reason code "year-end". No variables.
reason-year-end = 年末年始 (12/30~1/3) のため
# Reason code "lunch-break". No variables.
reason-lunch-break = 昼休みのため
# Reason code "before-hours". No variables.
reason-before-hours = 本日の受付開始前のため
# Reason code "after-hours". No variables.
reason-after-hours = 本日の受付は終了したため
# Reason code "closed-day" (an extra closed day set by the operators). No variables.
reason-closed-day = 臨時休業日のため

## Renewal of software subscription & support (seed 003, section 5).
## Callers may pass all three variables to every renewal message.

# Window "before-cutover": renewal date before 2015-07-01.
#   $renewal_date  the contract's renewal date
#   $confirm_by    the earlier of the renewal date and 2015-06-30
renewal-before-cutover =
    更新日 ({ $renewal_date }) が 2015年7月1日より前の場合です。Aspera 営業担当員からお見積書を提示いたしますので、サービスを滞りなくご提供できるように、現行契約の更新日または 2015年6月30日のいずれか早い方の日付 ({ $confirm_by }) までに更新のご確認を行っていただきますようお願い申し上げます。
    2015年6月30日の時点で更新が完了していない場合、IBM標準の契約条件でのご契約が必要となります。お見積書がまだ届いていない場合は、Aspera 営業担当員にお問い合わせください。

# Window "transition": renewal date from 2015-07-01 to 2015-09-30.
#   $renewal_date  the contract's renewal date
#   $confirm_by    the last day to renew the current contract early (2015年6月30日)
#   $end_date      the renewal end date under IBM: the last day of the renewal date's month
renewal-transition =
    更新日 ({ $renewal_date }) が 2015年7月1日から 2015年9月30日までの場合です。{ $confirm_by } までにお手続きいただくことで、現行契約を事前に更新することができます。{ $confirm_by } までに更新されない場合は、IBMが新たにお見積書を発行いたします。
    2015年7月1日以降は、製品番号やご発注に関する書類、請求書、お支払条件は IBMのご契約条件となります。また、IBMでのご契約では、更新終了日は該当月の最終日 ({ $end_date }) となります。事前の更新をご検討いただくにあたり、お見積書がまだ届いていない場合には、Aspera 更新担当員にお問い合わせください。

# Window "after-transition": renewal date 2015-10-01 or later.
#   $renewal_date  the contract's renewal date
#   $end_date      the renewal end date: the last day of the renewal date's month
renewal-after-transition =
    更新日 ({ $renewal_date }) が 2015年10月1日以降の場合です。ソフトウェア・サブスクリプション＆サポート更新のお見積書は、IBM サブスクリプション＆サポート更新担当員よりご連絡します。このお見積もりは IBMの標準契約条件に準拠し、更新終了日は該当月の最終日 ({ $end_date }) となります。

## Payment of invoices (seed 003, section 3)

# Payee "aspera": invoice issued by Aspera before 2015-07-01. Paid as the invoice states: no
# computed due date (seed 003 §3, quoted exactly).
#   $invoice_date  the invoice date
payment-aspera =
    請求書発行日: { $invoice_date }
    （注）：7月 1日より前に Asperaから発行される請求書は、これまで同様「Aspera」へのお支払となり、請求書に明記される支払方法に従って送金する必要があります。

# Payee "ibm-japan": invoice dated 2015-07-01 or later.
#   $invoice_date  the invoice date
#   $due_date      the invoice date + 30 days (standard terms)
payment-ibm-japan =
    2015年7月1日以降のお支払は、Asperaではなく「日本アイ・ビー・エム株式会社」に対して行っていただく必要があります。振込先については IBM請求書裏面に記載されます。
    請求書発行日 ({ $invoice_date }) から 30日以内のお支払が標準決済条件となります (お支払期限: { $due_date })。詳しくはご請求書をご確認ください。

# Existing contract terms take precedence (contract_terms_override); shown after the IBM
# payment message only. No variables.
payment-contract-terms = （注）：IBMは、貴社と Asperaとの有効な契約で固有の支払い条件が規定されている場合には、そのお支払条件が優先されます。IBMよりお支払の遅延について連絡を受けた場合には、Asperaから継承されたご契約であることを伝えてください。
