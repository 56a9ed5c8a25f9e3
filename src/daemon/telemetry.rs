//! Logging through `tracing`: readable lines on a terminal, JSON lines for log collectors.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The filter without RUST_LOG: `info`, except PostgreSQL's routine notices (such as "relation
/// _sqlx_migrations already exists, skipping" on every start), which are only noise.
const DEFAULT_FILTER: &str = "info,sqlx::postgres::notice=warn";

/// Installs the global subscriber; the level comes from RUST_LOG (default [`DEFAULT_FILTER`]).
/// Logs go to stderr so that command output on stdout stays machine-readable.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
}
