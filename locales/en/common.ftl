# Shared words and the service's own errors.
app-name = PartnerWorld Desk
error-internal = Sorry, something went wrong on our side. Please try again in a moment.
