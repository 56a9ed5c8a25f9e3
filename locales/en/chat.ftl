# Replies of the chat core that are not knowledge answers.

# $id: the custom_id of a button nobody knows.
chat-button-unknown = This button ({ $id }) no longer works. Please try again from the command.
chat-command-missing = The command has no name. Type /help to see the commands.
# $key: the option whose quote was not closed.
chat-command-unclosed-quote = The value of "{ $key }:" has an opening quote (") that is never closed.
# $name: what was typed; $commands: the commands available.
chat-command-unknown = There is no command "/{ $name }". Available commands: { $commands }
chat-ask-empty = Please type a question, for example: /ask What is a company token?
# $value: what was given as a date.
chat-renewal-bad-date = "{ $value }" could not be read as a date. Example: /renewal date:2015-08-15
chat-lang-set = I will answer in English from now on.
chat-lang-not-saved = I will answer in English in this conversation, but could not save the choice; please try /lang again later.
# $value: what was given as a language.
chat-lang-bad = "{ $value }" is not supported. Please choose ja or en.

# Sales reps' commands (/renewals, /ack).
sales-no-database = This needs the database.
sales-not-linked = This needs your chat account linked to your IBM ID. Please link it with /link.
sales-not-a-rep = /renewals is for sales reps: you have no contracts and no sales-rep role. An administrator can grant the role.
# $value: what was given as days.
sales-bad-days = "{ $value }" is not a number of days. Please give a whole number from 1 to 366.
# $days: horizon.
sales-renewals-none = None of your contracts reaches its renewal deadline in the next { $days } days.
# $days: horizon; $count: contracts.
sales-renewals-head = Your contracts with a renewal deadline in the next { $days } days ({ $count }):
# $contract $company $product $deadline.
sales-renewals-line = - { $deadline } { $company } / { $product } (contract { $contract })
sales-status-quoted = quoted
sales-status-renewed = renewed
sales-status-lost = lost
# $value: what was given as a status.
sales-bad-status = "{ $value }" is not a status. Please choose quoted, renewed or lost.
# $contract: the contract id.
sales-no-contract = There is no contract "{ $contract }".
sales-not-yours = Contract "{ $contract }" is not yours, so it cannot be updated.
# $contract; $status: localized status.
sales-acked = Contract "{ $contract }" is recorded as { $status }. Renewal reminders for it stop.
