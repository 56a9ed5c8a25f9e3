//! `partnerdesk rep …`: the sales reps' own things; today the URL of their calendar feed of
//! renewal deadlines (`rep calendar-url --ibm-id EMAIL [--rotate]`).

use std::sync::Arc;

use chrono::Utc;
use clap::Subcommand;

use super::args::cli_locale;
use crate::config::Config;
use crate::error::Failure;
use crate::i18n::text::Msg;
use crate::store::Store;
use crate::workflows::calendar::{feed_url, issue_feed_secret};
use crate::workflows::service::{operator, Ctx};

#[derive(Debug, Subcommand)]
pub enum RepCommand {
    /// Make the secret URL of a sales rep's .ics feed of renewal deadlines and print it (once:
    /// it is stored only hashed). The URL is `http.public_url` + /calendar/<secret>.ics.
    CalendarUrl {
        /// The rep's IBM ID, as the contracts name them (sales_rep_email).
        #[arg(long = "ibm-id", value_name = "EMAIL")]
        ibm_id: String,
        /// Replace the rep's URL with a new one; the old one stops working.
        #[arg(long)]
        rotate: bool,
        /// One JSON object: ibm_id, url.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: RepCommand, config: &Config) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let store: Arc<dyn Store> = crate::store::open_and_migrate(config).await?;
    let RepCommand::CalendarUrl {
        ibm_id,
        rotate,
        json,
    } = command;
    let ctx = Ctx {
        store: &*store,
        actor: operator(),
        now: Utc::now(),
    };
    let issued = issue_feed_secret(&ctx, &ibm_id, rotate).await;
    store.close().await;
    let secret = issued.map_err(|e| e.into_failure(locale))?;
    let url = feed_url(&config.public_base_url(), &secret);
    if json {
        println!(
            "{}",
            serde_json::json!({"ibm_id": ibm_id.trim().to_lowercase(), "url": url})
        );
    } else {
        // The URL alone on standard output, for scripts; the warning beside it on stderr.
        eprintln!(
            "{}",
            Msg::new("wf-cli-calendar-url")
                .arg("url", url.clone())
                .render(locale)
        );
        println!("{url}");
    }
    Ok(())
}
