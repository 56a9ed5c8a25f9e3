## partnerdesk knowledge answers (English).
##
## One message per topic: `topic-<id>`, the ids of partnerdesk-knowledge's TopicId. Each has a
## `.title` attribute (a short name of the topic, for "did you mean" lists and low-confidence
## replies). These are faithful translations of the Japanese answers in
## locales/ja/knowledge.ftl, which quote the seed documents; numbers, names and URLs are kept
## exactly. Japanese appears only in quoted titles and names, in 「」 with a translation.
##
## Variables: only `topic-pwcs` and `topic-unknown` take any: `$status` (see above each) and
## `$anniversary`, the founding-anniversary date from the calendar (" (June 17)", or empty). For
## renewal and invoice questions with a date, the caller appends the computed window / payee /
## due date after the message; the messages themselves state only the fixed rules.

topic-register-company =
    Registering with PartnerWorld for the first time (creating a new company profile) takes two steps: getting an IBM ID, then registering with PartnerWorld.
    1. Go to the PartnerWorld portal (ibm.com/partnerworld/jp/) and click 「初めての方はこちら」 ("first time here"). On the 「ご参加の利点」 ("benefits of joining") page, click the 「PartnerWorldに参加する」 ("Join PartnerWorld") button to reach the registration steps page.
    2. Click 「IBM IDのご登録はこちらから」 ("Register for an IBM ID here") and get your IBM ID and password (enter the required details as the screen instructs).
    3. Back on the 「ご登録の手順」 ("registration steps") page, click 「PartnerWorldへのご登録はこちら」 ("Register for PartnerWorld here") and log in to the PartnerWorld Profile System with your IBM ID and password.
    4. Read the "PartnerWorld Agreement (PartnerWorld participation terms)" and click the 「同意する」 ("Agree") button.
    5. Following the screens, enter your company's basic information to create the company profile, then your personal information to create your employee profile. Click the submit button to send both profiles.
    6. After you apply, a brief membership review takes place. When it is complete, we email you 「手続き完了のご案内」 ("Notice of completion of procedures") with your company name as the subject. Depending on the review, we may ask you to submit documents.
    If your company is already registered with PartnerWorld, add yourself to its company profile instead (ask me about "joining my company").
    .title = Registering your company with PartnerWorld

topic-ibm-id =
    An IBM ID is a personal ID and password that you can use on all IBM websites. You get it from IBM Registration, which centrally manages the user information used across IBM websites. The IBM ID is your access ID for IBM web applications: with this one access ID and password you can access the other applications based on IBM ID.
    - How to get one: on the PartnerWorld portal (ibm.com/partnerworld/jp/) click 「IBM IDのご登録はこちらから」 ("Register for an IBM ID here"), or go to the following site and register a valid email address. Enter the required details as the screen instructs.
    https://www.ibm.com/account/profile/us?page=reg
    - A new IBM ID can take up to 15 minutes before it can be used. If it does not work right after you create it, allow for this time.
    - For help setting up your IBM ID, see the FAQ page https://www.ibm.com/account/profile/us?page=faqhelp or contact the Worldwide IBM Registration Helpdesk at https://www.ibm.com/account/profile/us?page=helpdesk
    .title = Getting an IBM ID

topic-join-company =
    If your company is already registered with PartnerWorld, add yourself to its company registration (company profile) to use the individual benefits.
    First get an IBM ID and password (same steps as a first registration: on ibm.com/partnerworld/jp/ click 「初めての方はこちら」 ("first time here"), then 「PartnerWorldに参加する」 ("Join PartnerWorld"), then the 「社員の追加登録をされる方」 ("for employees adding themselves") tab). Then use one of these two methods:
    ■ Company token method (you create your own employee profile and apply to be added)
    - Get your company's "company token (16 alphanumeric characters)" in advance from your company's profile administrator (APA).
    - Log in to the PartnerWorld Profile System (ibm.com/partnerworld/partnertools/) with your IBM ID and password, click 「自分のプロフィールをロケーションに関連付ける」 ("Associate my profile with a location") at the bottom of the screen, enter the company token and submit.
    - From the list of locations shown, select the location you want to be added to, then create and save your employee profile as the screen instructs.
    - When the profile administrator approves your request, PartnerWorld emails you a registration confirmation and a guide.
    ■ Registration by the profile administrator (the administrator creates your employee profile and adds you manually)
    - Tell your company's profile administrator (APA) the IBM ID you obtained.
    - The profile administrator creates an employee profile from that IBM ID, adds it to the location profile and submits it. When registration is complete, PartnerWorld emails you a registration confirmation and a guide.
    Each company's profile administrator decides and sets the permission level given to each user. If you do not know your profile administrator, contact the PartnerWorld Contact Service (PWCS).
    .title = Joining a company that is already registered

topic-company-token =
    The company token is your company's "company token (16 alphanumeric characters)". It is used in the company token method of adding yourself to an existing company profile.
    - Where to get it: obtain it in advance from your company's profile administrator (APA).
    - Where to enter it: log in to the PartnerWorld Profile System (ibm.com/partnerworld/partnertools/) with your IBM ID and password, click 「自分のプロフィールをロケーションに関連付ける」 ("Associate my profile with a location") at the bottom of the screen, enter the company token and submit.
    - What follows: a list of locations you can be added to is shown. Select the location you want to be added to, then create and save your personal information (employee profile) as the screen instructs. When the profile administrator approves your request, PartnerWorld emails you a registration confirmation and a guide.
    - If you don't have the company token (registration by the profile administrator): tell your company's profile administrator (APA) the IBM ID you obtained. In this chat, type /join company:COMPANY-NAME to get a button that sends your IBM ID and name to your profile administrators.
    If you do not know your profile administrator, contact the PartnerWorld Contact Service (PWCS).
    .title = Company token

topic-apa =
    The profile administrator (APA) is the person who adds your company's employees to its PartnerWorld company profile.
    - Company token method: employees get your company's "company token (16 alphanumeric characters)" from the APA and apply; the profile administrator approves the request.
    - Registration by the profile administrator: from the IBM ID an employee sends, the profile administrator creates the employee profile, adds it to the location profile and submits it.
    - Permissions: when employees are added, each company's profile administrator decides and sets the permission level given to each user.
    If you do not know your profile administrator, contact the PartnerWorld Contact Service (PWCS): 0120-07-2004, then press 3 in the voice guide to reach PWCS.
    .title = Profile administrator (APA)

topic-agreement =
    Joining PartnerWorld requires agreeing to the "PartnerWorld Agreement (PartnerWorld participation terms)".
    It is shown during registration, after you log in to the PartnerWorld Profile System with your IBM ID and password. Please read it and click the 「同意する」 ("Agree") button. After agreeing, you go on to create the company profile and your employee profile.
    .title = PartnerWorld Agreement

topic-review =
    After you apply for registration, a brief membership review takes place. When the review is complete, we email you 「手続き完了のご案内」 ("Notice of completion of procedures") with your company name as the subject.
    Depending on the review, we may ask you to submit documents. Thank you for your understanding.
    For questions about registration, contact the PartnerWorld Contact Service (PWCS).
    .title = Membership review and completion notice

topic-pps =
    All company and personal information of PartnerWorld members is managed in the PartnerWorld Profile System (PPS). What you enter when you register is stored there as your profile, and PartnerWorld provides its benefits and support services based on PPS.
    - You can check at any time the information needed to work with IBM, such as the details of your PartnerWorld membership level, your registered sites (locations) and employee information.
    - Everything IBM sends to Business Partners is delivered according to your PPS settings: the content of the "IBM PartnerWorld News", the top page of the members-only site, your access scope and so on are selected from what you set in PPS.
    - Keeping your "employee profile (personal information)" up to date means you regularly get the information you need and can access more detailed information.
    PartnerWorld Profile System (PPS): ibm.com/partnerworld/partnertools/
    .title = PartnerWorld Profile System (PPS)

# Variables:
#   $status (String) - one pre-rendered sentence computed by the caller from the business
#       calendar (Asia/Tokyo), e.g. "Open now until 12:00." or
#       "Closed now; opens again on January 4 at 9:00."
topic-pwcs =
    PartnerWorld Contact Service (PWCS)
    Phone: 0120-07-2004 (also reachable from mobile phones and PHS)
    The call first reaches BP Contact IBM; press 3 in the voice guide to be connected to PWCS.
    Hours (JST): weekdays 9:00-12:00 and 13:00-17:00, except national holidays, IBM Japan's founding anniversary{ $anniversary }, and December 30 to January 3.
    { $status }
    .title = PartnerWorld Contact Service (PWCS)

topic-contract-transfer =
    As of July 1, 2015 (2015-07-01), partner contracts with Aspera are inherited by IBM as IBM's Flexible Contract Type (FCT). (IBM completed its acquisition of Aspera, Inc. on January 17, 2014.)
    - As of July 1, 2015, your valid contracts with Aspera are inherited by IBM.
    - As part of this process, IBM carries out a compliance vetting process. If you are already an IBM Business Partner, this process has already been completed.
    - If you received an IBM Business Partner confirmation document about this, please fill in the required information and send it back.
    If you have any questions, contact the IBM team or your IBM Aspera sales representative.
    .title = Aspera contracts moving to IBM (FCT)

topic-credit-review =
    IBM Business Partners who trade directly with IBM go through a credit review as part of order management.
    In most cases IBM uses commercial credit ratings; where there is none, you may be asked to submit financial statements for the credit decision.
    .title = Credit review

topic-ibm-profile =
    After getting your IBM ID, register your IBM profile information. On the following site partners can register, modify and add their details:
    https://www.ibm.com/account/profile/us
    If you are already registered as an IBM partner, you can use your existing profile.
    For more information and guidance on setting up the IBM profile and IBM registration ID, see the FAQ page: https://www.ibm.com/account/profile/us?page=faqhelp
    Or contact the Worldwide IBM Registration Helpdesk: https://www.ibm.com/account/profile/us?page=helpdesk
    .title = IBM profile

# The caller may append the computed payee / due date for an invoice date in the question.
topic-billing =
    From July 1, 2015, Aspera payment and ordering move to IBM.
    - Counterparty name: changes from "Aspera" to 「日本アイ・ビー・エム株式会社」 (IBM Japan, Ltd.).
    - Invoices: paper invoices from July 1, 2015 are sent by IBM to the invoice address you designated. Quotes, invoices and other documents are issued in IBM's format by 「日本アイ・ビー・エム株式会社」 (IBM Japan, Ltd.).
    - Whom to pay: from July 1, 2015, payments must be made to 「日本アイ・ビー・エム株式会社」 (IBM Japan, Ltd.), not to Aspera. The bank details for the transfer are printed on the back of the IBM invoice.
    - Note: invoices issued by Aspera before July 1 are paid to "Aspera" as before, following the payment method stated on the invoice.
    .title = Invoices and whom to pay

# The caller may append the computed due date for an invoice date in the question.
topic-payment-terms =
    Payment terms (IBM invoices): the standard terms are payment within 30 days from the invoice date. See your invoice for details.
    - Note: invoices issued by Aspera before July 1 are paid to "Aspera" as before, following the payment method stated on the invoice; no due date is computed for them.
    - Note: if your valid contract with Aspera specifies its own payment terms, those terms take precedence.
    - If IBM contacts you about a late payment, tell them that the contract was inherited from Aspera.
    .title = Payment terms

topic-currency-language =
    - Currency: from July 1, 2015, transactions are in Japanese yen.
    - Language: documents and notices are provided in Japanese (with some exceptions).
    .title = Currency and language

topic-tax =
    Where tax applies to sales or services provided by IBM Japan (excluding IBM Japan's own corporate tax), you pay the tax amount stated on the invoice.
    On all invoices issued by IBM Japan from July 1, 2015, consumption tax is added separately for every transaction.
    .title = Tax (consumption tax)

topic-customer-number =
    As of July 1, 2015, Aspera partners are assigned an IBM customer number ("ICN") and a site number.
    Your ICN and site number are stated in the notice 「IBMソフトウェア・ライセンスご登録内容のお知らせ」 ("IBM software license registration details"), which IBM will send later.
    .title = IBM customer number (ICN) and site number

topic-product-names =
    Aspera product names are replaced by new IBM product numbers and product names. Quotes and invoices issued by IBM show these new product numbers and names.
    Quotes, invoices and other documents issued from July 1, 2015 are issued in IBM's format by 「日本アイ・ビー・エム株式会社」 (IBM Japan, Ltd.).
    .title = New product numbers and names

topic-aspera-support =
    Aspera supported products and support systems remain available after July 1, 2015. The IBM Aspera support team remains committed to delivering your satisfaction without compromise.
    - For now, the Aspera customer support phone number and website do not change. Keep using the Aspera Technical Support Customer Center.
    - For now, ADN (Aspera Developer Network) does not change either.
    - Support tickets: log on as before through the Aspera support website, email or web portal, or by calling Aspera directly. Your existing Aspera username and password keep working.
    - Aspera's Knowledge Base and Forums are accessible as before.
    Aspera support channels:
    - Support site: https://support.asperasoft.com/home
    - Email: support@aspera.zendesk.com
    - Web form (anonymous requests): https://support.asperasoft.com/anonymous_requests/new
    - Knowledge Base: https://support.asperasoft.com/categories/20004723-Aspera-Knowledgebase-
    - Contact: http://asperasoft.com/contact-us/
    Changes to the Aspera customer support site and phone access will be announced separately by email. For the latest updates, see the IBM Aspera Technical Support Customer Center (http://www.ibm.com/software/info/aspera/support/).
    .title = Aspera support

topic-support-contacts =
    As part of the move to IBM systems and processes, IBM registers each Aspera partner's primary contact, technical support contact and invoice contact. The contacts for using IBM customer support are described below (available once Aspera's support system has switched over to IBM's).
    ■ Primary contact
    - The point of contact for notifying all changes to software services and other contracts; responsible for notifying IBM of all necessary changes to your account.
    - Manages access to the IBM download site: approves requests within your company for access to the IBM download site, manages download accounts and coordinates the related information.
    - Please name one person as the primary contact.
    ■ Technical support contact
    - Manages access to IBM technical services and customer support services: approves requests within your company for access to the IBM customer support site and coordinates information about access to IBM customer support.
    .title = Primary and technical support contacts

# The caller appends the computed window when the question gives a renewal date.
topic-renewal =
    If you have a valid Aspera support contract, the way to renew (software subscription & support renewal) depends on each contract's renewal date:
    ■ Renewal date before July 1, 2015
    Your Aspera sales representative sends you a quote. Please confirm the renewal by the contract's renewal date or June 30, 2015, whichever is earlier. If the renewal is not complete by June 30, 2015, a contract on IBM's standard terms is required. If you have not received a quote, contact your Aspera sales representative.
    ■ Renewal date from July 1, 2015 to September 30, 2015
    You can renew your current contract early by completing the procedure by June 30, 2015. If you do not renew by June 30, 2015, IBM issues a new quote. From July 1, 2015, product numbers, ordering documents, invoices and payment terms follow IBM's contract terms, and the renewal end date is the last day of the month. If you are considering early renewal and have not received a quote, contact your Aspera renewals representative.
    ■ Renewal date after October 1, 2015
    An IBM Subscription & Support renewals representative contacts you with the software subscription & support renewal quote. The quote follows IBM's standard contract terms, and the renewal end date is the last day of the month.
    .title = Support renewal

topic-privacy =
    As part of the move to IBM systems and processes, personal information may be transferred from Aspera to IBM.
    IBM's privacy policy is online at http://www.ibm.com/privacy
    .title = Personal data and privacy policy

topic-help =
    Hello! I answer questions about registering with PartnerWorld and about Aspera contracts moving to IBM.
    { knowledge-help }
    .title = Help

# Variables:
#   $status (String) - the same pre-rendered PWCS opening sentence as in `topic-pwcs`.
topic-unknown =
    Sorry, I can't answer that question. I answer questions about PartnerWorld registration and about Aspera contracts moving to IBM (type "help" to see what I can answer).
    For questions about registration, contact the PartnerWorld Contact Service (PWCS): 0120-07-2004 (press 3 in the voice guide), weekdays 9:00-12:00 and 13:00-17:00 JST, except national holidays, IBM Japan's founding anniversary{ $anniversary }, and December 30 to January 3. { $status }
    For questions about the Aspera contract move, contact the IBM team or your IBM Aspera sales representative.
    .title = Other questions

## Glue

# What the bot can do: the topics and the slash commands. No variables.
knowledge-help =
    Ask me in plain words, in English or Japanese, about:
    - PartnerWorld: registering your company, getting an IBM ID, joining a registered company, the company token, the profile administrator (APA), the PartnerWorld Agreement, the membership review, the PartnerWorld Profile System (PPS)
    - The PartnerWorld Contact Service (PWCS): phone number and hours
    - Aspera contracts moving to IBM: credit review, IBM profile, invoices and whom to pay, payment terms, currency and language, consumption tax, customer number (ICN) and site number, product names, Aspera support, primary and technical support contacts, support renewal, privacy policy
    Commands:
    /ask ask a question
    /hours PWCS hours and whether it is open now
    /renewal give a renewal date to see how that contract renews
    /register register your company with PartnerWorld
    /join join a registered company with its company token
    /status the status of your requests
    /link link your chat account to your IBM ID (a code is emailed to you)
    /verify enter the code you received
    /lang change the reply language
    /profile your name, language and time zone
    /contacts your company's primary and technical support contacts
    /help this list
    For profile administrators (APA): /pending requests waiting for you, /approve and /reject a request, /add-member add someone to a location, /token rotate a new company token
    For sales reps: /renewals your contracts with a deadline coming up, /ack mark a reminder done
    For administrators: /review registrations under review

# Lead line before an answer the matcher was not sure about.
# Variables:
#   $title (String) - the `.title` attribute of the chosen topic.
knowledge-low-confidence = I understood your question as being about "{ $title }". If not, please rephrase it.
