//! partnerdesk's pure business rules: synchronous, no IO.
//!
//! - [`calendar`]: opening hours, closures and business-day arithmetic (PWCS by default).
//! - [`holiday`]: Japanese national holidays (jpholiday rules, verified, with overrides).
//! - [`renewal`]: the three renewal windows of the Aspera → IBM move.
//! - [`payment`]: payee and due date of an invoice.
//! - [`schedule`]: cron expressions (crontab(5) 5-field, and the `cron` crate's form).
//! - [`zone`]: IANA time-zone names.
//!
//! Texts for people are not here: each rule exposes a machine code and a Fluent message id
//! (`locales/{ja,en}/rules.ftl`); callers format dates and render the message.

pub mod calendar;
pub mod holiday;
pub mod payment;
pub mod renewal;
pub mod schedule;
pub mod zone;

pub use calendar::{
    BusinessCalendar, CalendarConfig, CalendarConfigError, CalendarProblem, ClosedReason,
    HoursReport, HoursStatus, YearEndClosureConfig,
};
pub use holiday::{japanese_holiday, Holiday};
pub use payment::{Payee, PaymentConfig, PaymentConfigError, PaymentExplanation, PaymentPolicy};
pub use renewal::{
    ContractTerms, QuoteFrom, RenewalAction, RenewalConfigError, RenewalContact, RenewalDate,
    RenewalDateError, RenewalExplanation, RenewalPolicy, RenewalPolicyConfig, RenewalStep,
    RenewalWindow,
};
pub use schedule::{CronField, Schedule, ScheduleError};
pub use zone::{parse_zone, ZoneError};
