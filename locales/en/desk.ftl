## The free-text desk: parts, asking back, hand-off, feedback, sources (src/chat/desk.rs,
## src/chat/conversation.rs) and `partnerdesk questions` (src/cli/questions.rs).

# Heading over one part of a reply that answers several questions.
# Variables: $title (String) - the topic's `.title`.
desk-part-heading = ■ { $title }

# Asking back when two topics fit about equally; one button per candidate follows.
desk-ambiguous = Which of these is your question about? Please pick one.

# Under an unknown answer when a staff channel is configured.
desk-handoff-button = Talk to a person
desk-handoff-sent = I've passed your question to our staff; someone will get back to you.
desk-handoff-unavailable = Sorry, I can't pass your question on right now. Please contact PWCS as above.
# The post in the staff channel.
# Variables: $user (String) - who asked; $question (String) - the question; $turns (String) - the last turns, one per line.
desk-handoff-post = [Hand-off] Question from { $user }: { $question }
    Last turns:
    { $turns }

# Feedback buttons under an answer (Discord) and what a press says.
desk-feedback-up = 👍 Helpful
desk-feedback-down = 👎 Not helpful
desk-feedback-thanks = Thank you for your feedback.
desk-feedback-unknown = That answer is no longer on record.

# After 「日本 IBM 創立記念日」 / "founding anniversary" in PWCS's hours: the calendar's date.
# Variables: $month (Number), $day (Number).
desk-anniversary-date = { " " }({ $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $day })

# One short line under each answer: where it comes from.
# Variables: $source (String) - the document and section, from `desk-source-<topic>`.
desk-source = Source: { $source }
desk-source-register-company = PartnerWorld registration guide, "Registering with PartnerWorld for the first time (new company profile)"
desk-source-ibm-id = PartnerWorld registration guide, "Step 1 Getting an IBM ID" / Aspera partner guide, "2. Important actions for Aspera partners"
desk-source-join-company = PartnerWorld registration guide, "Your company is registered: adding yourself"
desk-source-company-token = PartnerWorld registration guide, "Adding yourself with the company token"
desk-source-apa = PartnerWorld registration guide, "Adding your information to an existing company profile"
desk-source-agreement = PartnerWorld registration guide, "Agreeing to the PartnerWorld Agreement"
desk-source-review = PartnerWorld registration guide, "Review and completion notice"
desk-source-pps = PartnerWorld registration guide, "What is the PartnerWorld Profile System (PPS)?"
desk-source-pwcs = PartnerWorld registration guide, "PartnerWorld Contact Service (PWCS)"
desk-source-contract-transfer = Aspera partner guide, "1. Contracts moving to IBM"
desk-source-credit-review = Aspera partner guide, "1. Contracts moving to IBM" (credit review)
desk-source-ibm-profile = Aspera partner guide, "2. Important actions for Aspera partners" (creating the IBM profile)
desk-source-billing = Aspera partner guide, "3. Changes to payment and ordering" (counterparty name, invoicing)
desk-source-payment-terms = Aspera partner guide, "3. Changes to payment and ordering" (payment terms)
desk-source-currency-language = Aspera partner guide, "3. Changes to payment and ordering" (currency, language)
desk-source-tax = Aspera partner guide, "3. Changes to payment and ordering" (tax)
desk-source-customer-number = Aspera partner guide, "3. Changes to payment and ordering" (IBM customer number)
desk-source-product-names = Aspera partner guide, "3. Changes to payment and ordering" (product numbers and names, document format)
desk-source-aspera-support = Aspera partner guide, "4. Software support"
desk-source-support-contacts = Aspera partner guide, "4. Software support" (primary and technical support contacts)
desk-source-renewal = Aspera partner guide, "5. Software subscription & support renewal"
desk-source-privacy = Aspera partner guide, "6. Privacy policy"

## `partnerdesk questions unanswered`
# Variables: $count (Number) - how many questions; $example (String) - one of them; $topics (String) - topics or "unknown"; $outcome (String).
questions-group = { $count } × [{ $outcome }; { $topics }] e.g. { $example }
questions-none = No unanswered questions recorded.
questions-no-text = (text not kept)
config-allowed-idle-minutes = allowed: a whole number of minutes from 1 to 1440
