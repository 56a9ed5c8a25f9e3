//! Every port trait of the store, for code that calls store methods on a concrete backend
//! (`SqliteStore`, `PostgresStore`) or a generic: `use partnerdesk::store::prelude::*;`.
//! (Through `dyn Store` the methods are callable without it.)

pub use super::audit::AuditStore;
pub use super::calendars::CalendarFeedStore;
pub use super::companies::CompanyStore;
pub use super::contracts::ContractStore;
pub use super::conversations::ConversationStore;
pub use super::dashboard::DashboardStore;
pub use super::installation::InstallationStore;
pub use super::jobs::JobStore;
pub use super::joins::JoinStore;
pub use super::links::LinkStore;
pub use super::operators::OperatorStore;
pub use super::outbox::OutboxStore;
pub use super::people::PeopleStore;
pub use super::port::Store;
pub use super::registrations::RegistrationStore;
pub use super::tokens::TokenStore;
