//! What the scheduled jobs do. Each job only writes outbox rows (with dedupe keys, so re-running
//! a fire enqueues nothing twice); the dispatcher sends them.
//!
//! - [`context`]: the `JobContext` every job runs with, and the `JobReport` it ends with.
//! - [`reminders`]: renewal reminders and the weekly digest for sales reps.
//! - [`approvals`]: escalation and expiry of waiting join requests; the review-mail safety net.
//! - [`retention`]: deleting what is kept no longer.

pub mod approvals;
pub mod context;
pub mod reminders;
pub mod retention;

pub use context::{single_line, JobContext, JobReport};
pub use reminders::DueReminder;
