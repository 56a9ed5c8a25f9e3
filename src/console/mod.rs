//! The operators' web console at `/console`: server-rendered HTML (maud), no scripts, every
//! string from Fluent in ja or en by `Accept-Language`. An adapter beside `daemon/`: the daemon
//! mounts [`router`] on its HTTP listener when `[console] enabled = true`.
//!
//! - `state`: what handlers share; `auth`: the visit (language, client, session), cookies and
//!   CSRF; `lang`: language negotiation; `page`: the frame, headers and error pages;
//!   `routes`: the URL map.
//! - Pages: `login` (sign in and out, setup links), `overview`, `outbox`, `jobs`, `approvals`,
//!   `renewals` (with the SVG chart), `questions`, `audit`.

pub mod approvals;
pub mod audit;
pub mod auth;
pub mod jobs;
pub mod lang;
pub mod login;
pub mod outbox;
pub mod overview;
pub mod page;
pub mod questions;
pub mod renewals;
pub mod routes;
pub mod state;

pub use routes::router;
pub use state::ConsoleState;
