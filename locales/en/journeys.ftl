# Journeys (issue 13): the registrant becomes the APA, asking the APA, documents received,
# admins deciding, primary-contact handover.

config-allowed-documents-url = allowed: an http:// or https:// URL such as https://example.com/upload
config-allowed-documents-postal = allowed: an address of at most 500 bytes without control characters
config-documents-destination-needed = registration.documents_step = true, but there is nowhere to send documents: set registration.documents_reply_to, registration.documents_upload_url or registration.documents_postal_address.

wf-reg-status-documents-received = documents received
jr-addressee-unknown = partner

## Documents
jr-documents-where = Where to send the documents:
jr-documents-reply-to = - by email to { $address } (replying to this email works too)
jr-documents-upload = - upload: { $url }
jr-documents-postal = - by post: { $address }
jr-error-documents-step-off = Requesting documents is switched off in this configuration (registration.documents_step = false).
jr-error-documents-destination = No destination for documents is configured. Set registration.documents_reply_to, registration.documents_upload_url or registration.documents_postal_address, then try again.
jr-error-not-requested = Registration { $id } ({ $company }) is not waiting for documents (status: { $status }), so their receipt cannot be recorded.
jr-mail-received-subject = Documents received ({ $company })
jr-mail-received-body =
    Dear { $name },

    We have received the documents for the PartnerWorld registration of { $company } (application { $id }). The review continues.
jr-mail-received-note = Note: { $note }
jr-chat-status-documents-where = Where to send the documents: { $where }
jr-chat-status-received = Documents received ({ $date }). The review continues.
jr-chat-review-received = Recorded the documents of registration { $id } ({ $company }) as received; { $applicant } is told.
jr-chat-review-button-received = Documents received
jr-cli-documents-received = Registration { $id } ({ $company }): documents received. The applicant { $applicant } is told.

## Review complete: the registrant and the APA
jr-mail-colleagues =
    Adding your colleagues (for the profile administrator)
    { $apa } is the profile administrator (APA) of { $company }.
    - The company token (16 letters and digits) is shown once to { $apa } in the chat: type /status there. It is never sent by email.
    - Company token: give your colleagues the company token. They type /join token:COMPANY-TOKEN in the chat and pick their location; the profile administrator approves the request.
    - Added by the profile administrator: take a colleague's IBM ID and type /add-member ibm-id:IBM_ID location:LOCATION level:standard in the chat. A colleague without the company token can type /join company:{ $company } in the chat, and their request reaches you with buttons.
jr-mail-completed-apa-other = Your company's profile administrator (APA) is { $apa } ({ $apa_id }), who adds your colleagues.
jr-mail-apa-subject = You are the profile administrator (APA) of { $company }
jr-mail-apa-body =
    Dear { $name },

    The review of the PartnerWorld registration of { $company } (application { $id }) is complete, and you are registered as its profile administrator (APA).
jr-dm-token-ready = The registration of { $company } is complete and you are its profile administrator (APA). The company token is shown once: press the button when you are ready to pass it on to your colleagues.
jr-button-show-token = Show the company token
jr-chat-token-shown =
    The company token of { $company }: { $token }
    It is shown only this once. Give it to your colleagues: they join with /join token:COMPANY-TOKEN.
jr-chat-token-gone = The company token of { $company } has already been shown (it is shown once). If you need a new one, type /token rotate.
jr-error-no-apa-person = { $ibm_id }, who is to become the profile administrator on completion, is not registered. Add them first: partnerdesk person add --ibm-id { $ibm_id } --name "NAME".

## No company token: added by the profile administrator
jr-chat-join-routes =
    There are two ways to join your company.
    - Company token: get the company token (16 letters and digits) from your profile administrator (APA) and type /join token:COMPANY-TOKEN.
    - Added by the profile administrator: if you don't have the company token, type /join company:COMPANY-NAME. You get a button that sends your IBM ID and name to your company's profile administrators.
jr-chat-ask-apa-offer = You can ask the profile administrators (APA) of { $company } to add you: your IBM ID ({ $ibm_id }) and name ({ $name }) are sent to them.
jr-button-ask-apa = Ask my profile administrator
jr-chat-ask-apa-sent = Your request to join { $company } went to its profile administrators (request { $id }, { $apas } notified). Once they add you, you receive the registration confirmation and guide by email.
jr-chat-company-unknown = No company named “{ $company }” was found.
jr-chat-ask-apa-no-location = { $company } has no locations registered yet.
jr-mail-ask-apa-subject = Please add { $name } to { $company }
jr-mail-ask-apa-body =
    Dear { $apa },

    { $name } ({ $ibm_id }) asks you to add them to { $company } (added by the profile administrator, request { $id }).
    To add them, type /approve request:{ $id } level:standard in the chat (levels: basic, standard, administrator); they are added to the location { $location }. If you don't know them, type /reject request:{ $id } reason:"your reason".
jr-dm-ask-apa = { $name } ({ $ibm_id }) asks to be added to { $company } (request { $id }). Pick a permission level to add them to the location { $location }.

## Decided by an admin
jr-chat-overdue-header = Requests waiting more than { $days } business days (all companies): { $count }
jr-chat-overdue-none = No request has waited more than { $days } business days.
jr-mail-admin-decided-subject = Decided by an admin: join request { $id } for { $company }
jr-mail-admin-decided-body =
    Dear { $apa },

    The request of { $name } ({ $ibm_id }) to join { $company } ({ $location }) (request { $id }) waited too long and was decided by the admin { $admin }.
    Result: { $status } { $detail }

## Primary-contact handover
jr-error-primary-held = { $holder } ({ $holder_id }) is the primary contact of { $company }. Revoke { $holder } first (partnerdesk role revoke --ibm-id { $holder_id } --role primary-contact --company { $company_id }), or hand over with --handover member or --handover technical-contact.
jr-error-handover-role = The role after a handover (--handover) is member or technical-contact: { $value }
jr-cli-handover-done = The primary contact of { $company } passed from { $from } to { $to }; { $from } is now { $role }. Both are told.
jr-mail-handover-subject = Primary contact handover ({ $company })
jr-mail-handover-to-body =
    Dear { $name },

    You are now the primary contact of { $company }, taking over from { $from }.
jr-mail-handover-from-body =
    Dear { $name },

    The primary contact of { $company } passed from you to { $to }. Your role is now { $role }.

## Discord slash commands (names stay English; descriptions are localized)
discord-opt-register-name = name
    .description = Your name as the registrant (e.g. Taro Yamada)
discord-opt-register-location = location
    .description = The first location's name (default: the company's name)
discord-opt-join-company = company
    .description = Without a company token: the company's name (asks its profile administrator)
discord-sub-review-documents-received = documents-received
    .description = The requested documents arrived (the applicant is emailed)
discord-opt-review-received-note = note
    .description = A note for the applicant
discord-opt-review-apa = apa
    .description = To make someone other than the registrant the APA: their IBM ID
