//! What a command handler gets from the desk: the business rules, the clock, the database and
//! the default language, borrowed for one request. Handlers take this value rather than the
//! `Desk`, so the router can call them without the handlers reaching back into the router.

use std::sync::Arc;

use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::payment::PaymentPolicy;
use partnerdesk_domain::renewal::RenewalPolicy;

use super::language;
use super::model::{Request, Session};
use crate::clock::Clock;
use crate::i18n::Locale;
use crate::store::Store;

/// The desk's rules and ports, for one request.
pub struct Context<'a> {
    pub calendar: &'a BusinessCalendar,
    pub renewal: &'a RenewalPolicy,
    pub payment: &'a PaymentPolicy,
    pub clock: Arc<dyn Clock>,
    pub default_locale: Locale,
    /// The database, for workflow commands; `None` where only questions are answered (`ask`).
    pub store: Option<Arc<dyn Store>>,
    /// Where documents go and when a join request is overdue for an admin.
    pub journeys: &'a crate::config::JourneySettings,
}

impl Context<'_> {
    /// The language of a reply that is not an answer to a question ([`super::language`]).
    pub fn reply_locale(&self, session: &Session, request: &Request) -> Locale {
        language::for_reply(session, request, self.default_locale)
    }
}
