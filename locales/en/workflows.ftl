# Partner workflows: registration review, company tokens, joining a location, approvals and
# identity links. Same ids as ja/workflows.ftl.

## Labels

wf-level-basic = Basic
wf-level-standard = Standard
wf-level-administrator = Administrator
wf-lang-ja = Japanese
wf-lang-en = English
wf-role-member = member
wf-role-apa = profile administrator (APA)
wf-role-primary-contact = primary contact
wf-role-technical-contact = technical support contact
wf-role-sales-rep = sales rep
wf-role-admin = admin
wf-reg-status-submitted = submitted
wf-reg-status-under-review = under review
wf-reg-status-documents-requested = documents requested
wf-reg-status-completed = completed
wf-reg-status-rejected = rejected
wf-join-status-pending = pending
wf-join-status-approved = approved
wf-join-status-rejected = rejected
wf-join-status-expired = expired
wf-what-company = The company name
wf-what-location = The location name
wf-what-person = The name
wf-what-note = The note on the documents needed
wf-what-reason = The reason
wf-what-request = The request number
wf-what-registration = The registration number
wf-button-approve = Approve
wf-button-reject = Reject

## Input errors

# $value: what was given
wf-error-bad-ibm-id = "{ $value }" is not an IBM ID (an email address). Example: hanako.yamada@example.com
# $what: the field, $value: the input (line breaks shown as spaces)
wf-error-name-line-break = { $what } cannot contain a line break (CR/LF): "{ $value }"
# $code: the control character's code
wf-error-name-control = { $what } cannot contain the control character { $code }.
wf-error-name-empty = { $what } is empty.
wf-error-name-long = { $what } is too long (at most { $max } characters).
wf-error-note-empty = { $what } is missing.
wf-error-bad-lang = "{ $value }" is not supported. Please choose ja or en.
wf-error-bad-id = { $what } "{ $value }" is not a number. Example: 42
wf-error-bad-zone = "{ $value }" is not a time zone. Example: Asia/Tokyo
wf-error-bad-number = "{ $value }" is too long for a number or contains characters that are not allowed.
wf-error-no-company = There is no company "{ $value }".
wf-error-no-location = There is no location "{ $value }".
wf-error-no-person = Nobody with the IBM ID "{ $ibm_id }" is registered. Add them first with "partnerdesk person add".
wf-error-no-registration = There is no registration { $value }.
wf-error-no-request = There is no request { $value }.
wf-error-location-exists = { $company } already has a location "{ $location }".
# $role: the role's label
wf-error-role-needs-company = The { $role } role belongs to a company: please give the company (--company).
wf-error-admin-no-company = The admin role belongs to no company: please do not give one.
# $levels: the permission levels
wf-error-level-needed = Please choose a permission level: { $levels }
wf-error-bad-level = "{ $value }" is not a permission level. Choose one of { $levels }.
wf-error-reason-needed = Please give a reason for rejecting it, for example: /reject request:{ $id } reason:"wrong location"
wf-error-note-needed = Please say which documents are needed (the applicant receives it by email).
# $from, $to: status labels
wf-error-registration-step = Registration { $id } ({ $company }) is { $from }, so it cannot become { $to }.

## Chat: common

wf-chat-no-store = Workflow commands are not available here because there is no database.
wf-chat-link-first = This needs your identity. Type /link ibm-id:YOUR-EMAIL to receive a code, then /verify code:123456 to link this chat account to your IBM ID. You can keep asking questions without it.
wf-chat-no-profile = You have no employee profile yet. Ask to join your company with /join token:COMPANY-TOKEN, or contact your company's profile administrator (APA).
# $status: whether PWCS is open now
wf-chat-pwcs = If you do not know your profile administrator, please contact the PartnerWorld Contact Service (PWCS): ☎ 0120-07-2004 (also from mobile phones; you reach BP Contact IBM first, then press 3 in the voice guide for PWCS). Hours: weekdays 9:00–12:00 and 13:00–17:00 JST (closed on national holidays, on IBM Japan's founding anniversary and from December 30 to January 3). { $status }
wf-chat-no-apa = This company has no profile administrator (APA) registered yet.
# $user: the operator's user name
wf-chat-by-operator = an operator ({ $user })

## Chat: identity

wf-chat-link-usage = Please give your IBM ID (email address), for example: /link ibm-id:hanako.yamada@example.com
wf-chat-link-sent = A 6-digit code was sent to { $ibm_id }. Type it within { $minutes } minutes as /verify code:123456 ({ $tries } tries).
wf-chat-link-too-many = Too many codes were requested. Please try again after { $until }.
wf-chat-verify-usage = Please type the 6-digit code from the email, for example: /verify code:123456
wf-chat-verify-linked = Verified. This account now acts as { $name } ({ $ibm_id }).
wf-chat-verify-wrong = That code is not right. { $remaining ->
        [one] You have 1 more try.
       *[other] You have { $remaining } more tries.
    }
wf-chat-verify-expired = The code has expired. Please ask for a new one with /link ibm-id:YOUR-EMAIL.
wf-chat-verify-too-many = Too many wrong codes. Please ask for a new one with /link ibm-id:YOUR-EMAIL.
wf-chat-verify-none = There is no valid code. Please ask for one first with /link ibm-id:YOUR-EMAIL.

## Chat: joining with the company token

wf-chat-join-pick = Company token accepted for { $company }. Please pick your location (within { $minutes } minutes).
wf-chat-join-no-locations = { $company } has no locations yet. Please contact your company's profile administrator (APA).
# $remaining: tries left before the lock
wf-chat-token-wrong = That company token is not valid. A company token is 16 letters and digits (upper and lower case differ). { $remaining ->
        [one] One more wrong entry locks token entry for an hour.
       *[other] { $remaining } more wrong entries lock token entry for an hour.
    }
wf-chat-token-locked-now = That was the { $max }th wrong company token, so you cannot enter a company token until { $until }.
wf-chat-token-locked = Too many wrong company tokens: you cannot enter a company token until { $until }.
wf-chat-join-sent =
    Your request to join { $company } ({ $location }) was sent (request { $id }). When the profile administrator approves it, you will receive the registration confirmation and guide by email.
    Employee profile: { $name } / IBM ID: { $ibm_id } / language: { $lang }
    To change it, type /profile name:"Hanako Yamada" lang:en
wf-chat-join-no-grant = Please enter the company token again with /join token:COMPANY-TOKEN before picking a location (the pick has expired or the company token has changed).
wf-chat-join-bad-location = That location does not belong to this company. Please start again with /join token:COMPANY-TOKEN.
wf-chat-join-already-member = You are already registered with { $company }.
wf-chat-join-already-pending = Your request to join { $company } ({ $location }) (request { $id }) is already waiting for the profile administrator's approval.
wf-chat-profile = Employee profile: { $name } / IBM ID: { $ibm_id } / language: { $lang }

## Chat: status and contacts

wf-chat-status-unknown = { $ibm_id } is not registered yet. To join your company, type /join token:COMPANY-TOKEN or contact your company's profile administrator (APA).
wf-chat-status-header = Status of { $name } ({ $ibm_id })
# $role: the role, $level: the permission level (may be empty)
wf-chat-status-role = - { $company } { $location }: { $role } { $level }
wf-chat-status-join = - Join request { $id }: { $company } ({ $location }) { $status } ({ $date }) { $reason }
wf-chat-status-registration = - Company registration { $id }: { $company } { $status } ({ $date }) { $note }
wf-chat-status-nothing = You have no company registrations or requests yet.
wf-chat-contacts-no-company = You are not registered with any company yet, so there are no contacts to show.
wf-chat-contacts-not-yours = The contacts of { $company } are only shown to its people.
wf-chat-contacts-none = (none registered)
wf-chat-contacts =
    Contacts of { $company }
    - Primary contact: { $primary }
    - Technical support contact: { $technical }
    - Profile administrators (APA): { $apas }

## Chat: profile administrators (APA)

wf-chat-not-apa-any = Only a company's profile administrator (APA) can do this.
wf-chat-not-apa = Only a profile administrator (APA) of { $company } can do this.
wf-chat-pending-none = No requests are waiting for approval.
wf-chat-pending-header = { $count ->
        [one] 1 request is waiting for approval.
       *[other] { $count } requests are waiting for approval.
    }
wf-chat-pending-item = Request { $id }: { $name } ({ $ibm_id }) → { $company } ({ $location }), sent { $date }
wf-chat-request-missing = Please give the request number, for example: /approve request:42 level:standard
wf-chat-approve-pick-level = Approving request { $id } ({ $name } → { $company }). Please choose the permission level.
wf-chat-reject-ask-reason = To reject request { $id } ({ $name }), type /reject request:{ $id } reason:"your reason". The applicant receives the reason.
wf-chat-reject-prompt-title = Reject request { $id }
wf-chat-reject-prompt-label = Reason (sent to the applicant)
wf-chat-approved = Request { $id } approved: { $name } ({ $ibm_id }) joins { $company } ({ $location }) with the permission level { $level }. The registration confirmation and guide are on their way by email.
wf-chat-rejected = Request { $id } ({ $name }, { $ibm_id }) rejected. They will receive the reason by email: { $reason }
# $status: approved/rejected, $by: who decided, $date: when
wf-chat-already-decided = Request { $id } ({ $name }) was already { $status } by { $by } on { $date }. Nothing more is needed.
wf-chat-add-member-usage = Please give the IBM ID, the location and the permission level, for example: /add-member ibm-id:taro@example.com location:Tokyo level:standard (levels: { $levels })
wf-chat-location-unknown = There is no location "{ $value }". Locations you can choose: { $choices }
wf-chat-member-added = { $name } ({ $ibm_id }) now belongs to { $company } ({ $location }) with the permission level { $level }. The registration confirmation and guide are on their way by email.
wf-chat-member-exists = { $ibm_id } is already registered with { $company }.
wf-chat-token-usage = To replace the company token, type /token rotate. The old company token stops working at once.
wf-chat-token-which = You administer several companies. Please choose one: { $choices }
wf-chat-token-rotated =
    The new company token of { $company }: { $token }
    It is shown only this once: pass it to your employees safely. The old company token no longer works.

## Chat: company registration

wf-chat-register-usage = Registering with PartnerWorld for the first time (a new company profile) takes two steps: getting an IBM ID, and registering with PartnerWorld. After you apply, a short membership review follows; when it is complete, you receive 「手続き完了のご案内」 (the notice that the procedure is complete) by email, with your company name as its subject. To record your application here, type /register company:"Example Inc."
wf-chat-register-exists = "{ $company }" is already registered (company { $id }). To join it as an employee, type /join token:COMPANY-TOKEN.
wf-chat-register-done = The registration of { $company } was received (application { $id }). When the review is complete, you will receive 「手続き完了のご案内」 by email with your company name as its subject. Depending on the review, we may ask you for documents.
wf-chat-not-admin = Only an admin can do this.
wf-chat-review-usage = Usage: /review list, /review start company:COMPANY, /review request-documents company:COMPANY note:"documents needed", /review complete company:COMPANY, /review reject company:COMPANY reason:"why"
wf-chat-review-none = { $company } has no registration under review.
wf-chat-review-list-none = No registrations are under review.
wf-chat-review-list-item = - Application { $id }: { $company }, applicant { $applicant }, { $status } ({ $date })
wf-chat-review-button-start = Start review
wf-chat-review-button-request-documents = Request documents
wf-chat-review-button-complete = Complete
wf-chat-review-button-reject = Reject
wf-chat-review-prompt-request-documents = Documents for application { $id }
wf-chat-review-prompt-reject = Reject application { $id }
wf-chat-review-prompt-note = Documents needed (emailed to the applicant)
wf-chat-review-prompt-reason = Reason (emailed to the applicant)
wf-chat-review-ask-note = To request documents for application { $id }, type /review request-documents registration:{ $id } note:"documents needed". The applicant receives the note by email.
wf-chat-review-ask-reason = To reject application { $id }, type /review reject registration:{ $id } reason:"why". The applicant receives the reason by email.
wf-chat-review-moved = Registration { $id } ({ $company }) is now { $status }.
wf-chat-review-documents = Registration { $id } ({ $company }): { $applicant } was asked by email for the documents needed.
wf-chat-review-completed = Registration { $id } ({ $company }) is complete. { $applicant } will receive 「手続き完了のご案内」 with the subject "{ $company }".
wf-chat-review-rejected = Registration { $id } ({ $company }) was rejected; { $applicant } will be told.

## Email

wf-mail-pwcs = For questions about your registration, please contact the PartnerWorld Contact Service (PWCS): ☎ 0120-07-2004 (press 3 in the voice guide for PWCS). Hours: weekdays 9:00–12:00 and 13:00–17:00 JST (closed on national holidays, on IBM Japan's founding anniversary and from December 30 to January 3).
wf-mail-join-alert-subject = Join request: { $name } → { $company }
wf-mail-join-alert-body =
    Dear { $apa },

    { $name } ({ $ibm_id }) asked to join { $company } ({ $location }) with the company token (request { $id }).
    To approve, type /approve request:{ $id } level:standard in the chat (levels: basic, standard, administrator); to reject, type /reject request:{ $id } reason:"your reason". /pending lists the requests waiting for you.
wf-dm-join-alert = { $name } ({ $ibm_id }) asked to join { $company } ({ $location }) (request { $id }). To approve, choose the permission level.
wf-mail-welcome-subject = PartnerWorld registration confirmation and guide ({ $company })
wf-mail-welcome-approved =
    Dear { $name },

    Your request to join { $company } ({ $location }) was approved by the profile administrator.
    IBM ID: { $ibm_id }
    Permission level: { $level }
wf-mail-welcome-added =
    Dear { $name },

    The profile administrator of { $company } created your employee profile and added you to the location { $location }.
    IBM ID: { $ibm_id }
    Permission level: { $level }
wf-mail-welcome-guide =
    Guide
    - In the PartnerWorld Profile System (PPS) (ibm.com/partnerworld/partnertools/) you can see your company's information, its locations and its employees at any time.
    - Keeping your employee profile up to date brings you the information you need regularly and gives you access to more detailed information.
    - Information from IBM is delivered according to your settings in the PartnerWorld Profile System.
wf-mail-join-rejected-subject = About your join request ({ $company })
wf-mail-join-rejected-body =
    Dear { $name },

    Your request to join { $company } ({ $location }) was not approved by the profile administrator.
    Reason: { $reason }
    For questions, please contact your company's profile administrator (APA).
wf-mail-join-expired-subject = Your join request has expired ({ $company })
wf-mail-join-expired-body =
    Dear { $name },

    Your request to join { $company } ({ $location }) was not decided in time, so it has expired.
    You may apply again with your company token, or ask your company's profile administrator (APA) to register you.
wf-mail-documents-subject = Documents needed for your registration ({ $company })
wf-mail-documents-body =
    Dear { $name },

    To review the PartnerWorld registration of { $company } (application { $id }), we need the following documents:
    { $note }

    We will continue the review once we have them.
wf-mail-completed-body =
    Dear { $name },

    「手続き完了のご案内」 (your registration is complete)

    The review of the PartnerWorld registration of { $company } (application { $id }) is complete.
    PartnerWorld Profile System (PPS): ibm.com/partnerworld/partnertools/
wf-mail-registration-rejected-subject = About your PartnerWorld registration ({ $company })
wf-mail-registration-rejected-body =
    Dear { $name },

    After review, the PartnerWorld registration of { $company } (application { $id }) was not approved.
    Reason: { $reason }
wf-mail-link-subject = Your code for linking your chat account
wf-mail-link-body =
    This code links a chat account to your IBM ID ({ $ibm_id }):
    { $code }
    Type /verify code:{ $code } in the chat within 10 minutes. If you did not ask for it, please ignore this email.

## Operator commands

wf-cli-company-added = Added company { $id }: { $name }
wf-cli-location-added = Added location { $id }: { $name }
wf-cli-person-saved = Saved { $ibm_id } (person { $id }).
wf-cli-role-granted = Granted the { $role } role to { $ibm_id }.
wf-cli-role-held = { $ibm_id } already has the { $role } role.
wf-cli-role-revoked = Revoked the { $role } role of { $ibm_id }.
wf-cli-role-not-held = { $ibm_id } does not have the { $role } role.
wf-cli-token-rotated =
    New company token of company { $company }: { $token }
    It is shown only this once. The old company token no longer works.
wf-cli-token-none = Company { $company } has no company token yet.
wf-cli-registration-submitted = Registration { $id } recorded: { $company }
wf-cli-registration-open = { $company } already has registration { $id } under review.
wf-cli-registration-moved = Registration { $id } ({ $company }) is now { $status } (applicant { $applicant }).
wf-cli-join-decided = Request { $id } ({ $ibm_id }) is now { $status }.
wf-cli-join-already-decided = Request { $id } was already { $status } by { $by } on { $date }.

## Import (CSV)

wf-import-cannot-open = Cannot open { $file }: { $error }
wf-import-unreadable-header = Cannot read the header line: { $error }
wf-import-unreadable-row = Cannot read this row: { $error }
wf-import-unknown-column = The column "{ $column }" is not known. Columns: { $allowed }
wf-import-missing-column = The required column "{ $column }" is missing. Columns: { $allowed }
wf-import-columns = Wrong number of fields (the header has { $expected }, this row { $found }).
wf-import-duplicate = "{ $value }" repeats line { $line }.
wf-import-bad-status = The status "{ $value }" is not allowed. Allowed: { $allowed }
wf-import-bad-role = The role "{ $value }" is not allowed. Allowed: { $allowed }
wf-import-ambiguous-company = Several companies are named "{ $value }". Please use the company number.
wf-import-no-location = { $company } has no location "{ $value }".
wf-import-location-without-company = A location needs its company.
wf-import-summary = created { $created }, updated { $updated }, locations { $locations }, roles { $roles }, bad rows { $bad }
wf-import-refused = { $file } has { $bad } bad rows, so nothing was imported. Fix them, or pass --skip-bad to import the good rows.
