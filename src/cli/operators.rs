//! `partnerdesk operator add --ibm-id EMAIL`: an operator account of the web console. Prints a
//! one-time setup link (valid `console.setup_link_hours`) where the operator chooses a
//! password; with `--password-stdin` the password is read from the first line of standard
//! input instead. Audited as the Unix user who ran it.

use std::io::BufRead;

use chrono::Utc;
use clap::Subcommand;

use super::args::cli_locale;
use crate::config::Config;
use crate::error::{system_failure, Failure};
use crate::i18n::text::Msg;
use crate::workflows::operators::add_operator;
use crate::workflows::service::{operator, Ctx};

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Add an operator of the web console (or give an existing one a new setup link or
    /// password).
    Add {
        /// The operator's IBM ID (their email address).
        #[arg(long = "ibm-id", value_name = "EMAIL")]
        ibm_id: String,
        /// Read the password from the first line of standard input instead of printing a
        /// setup link.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(command: OperatorCommand, config: &Config) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let OperatorCommand::Add {
        ibm_id,
        password_stdin,
    } = command;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| system_failure("cli-system-stdin", e))?;
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        None
    };
    let store = crate::store::open_and_migrate(config).await?;
    let ctx = Ctx {
        store: &*store,
        actor: operator(),
        now: Utc::now(),
    };
    let link_valid = chrono::Duration::hours(i64::from(config.console.setup_link_hours));
    let result = add_operator(&ctx, &ibm_id, password.as_deref(), link_valid).await;
    store.close().await;
    let added = result.map_err(|e| e.into_failure(locale))?;
    let who = added.operator.ibm_id.clone();
    let headline = if added.created {
        Msg::new("console-cli-added").arg("ibm_id", who)
    } else {
        Msg::new("console-cli-updated").arg("ibm_id", who)
    };
    println!("{}", headline.render(locale));
    if let Some(token) = added.setup_token {
        let base = if config.console.public_url.is_empty() {
            format!("http://{}", config.http.listen)
        } else {
            config.console.public_url.trim_end_matches('/').to_string()
        };
        println!(
            "{}",
            Msg::new("console-cli-setup-link")
                .arg("hours", config.console.setup_link_hours.to_string())
                .render(locale)
        );
        println!("{base}/console/setup?token={token}");
        if !config.console.enabled {
            eprintln!("{}", Msg::new("console-cli-disabled").render(locale));
        }
    }
    Ok(())
}
