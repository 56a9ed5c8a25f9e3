//! The daemon operators' commands: `jobs`, `outbox`, `import contracts`, `contract ack|list`.

use super::args::{parse_age, parse_contract_status, parse_instant, parse_status};
use super::output::json_line;
use crate::i18n::text::Msg;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use tokio::sync::Notify;

use crate::clock::{Clock, ManualClock, SystemClock};
use crate::config::Config;
use crate::daemon::jobs::JobContext;
use crate::daemon::scheduler::{FireOutcome, Scheduler, OUTBOX_DISPATCH};
use crate::error::Failure;
use crate::notify::mail::InstallationMailer;
use crate::notify::outbox::Dispatcher;
use crate::store::{ContractStatus, OutboxStatus, Store};
use partnerdesk_domain::renewal::{RenewalPolicy, RenewalWindow};

#[derive(Debug, Subcommand)]
pub enum OpsCommand {
    /// Scheduled jobs: their next fires and last runs, or run one now.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// The outbox of notifications.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Contracts: a sales rep's acknowledgement.
    #[command(subcommand)]
    Contract(ContractCommand),
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Each job's schedule, next fires, and last run with its outcome.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Run one job now (or as if at --at); a fire already claimed is not run twice.
    Run {
        name: String,
        #[arg(long, value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Messages, oldest first; JSON is one object per line.
    List {
        #[arg(long, value_parser = parse_status)]
        status: Option<OutboxStatus>,
        #[arg(long, default_value_t = 1_000)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Make a dead message pending again.
    Retry { id: i64 },
    /// Send every due message now (or every message due at --at: mail queued for simulated
    /// dates is delivered as at that instant) and report.
    Dispatch {
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
    /// Delete sent and dead messages older than the given age (e.g. 30d, 12h).
    Purge {
        #[arg(long, value_parser = parse_age)]
        older_than: chrono::Duration,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContractCommand {
    /// Record a sales rep's acknowledgement; anything but `open` stops reminders.
    Ack {
        contract: String,
        #[arg(long, value_parser = parse_contract_status)]
        status: ContractStatus,
    },
    /// Contracts with their renewal window, current action deadline (seed 003 §5) and status,
    /// in renewal-date order; JSON is one object per line.
    List {
        /// Only this sales rep's contracts (email).
        #[arg(long)]
        rep: Option<String>,
        /// Only this renewal window: before-cutover, transition, after-transition.
        #[arg(long, value_parser = parse_window)]
        window: Option<RenewalWindow>,
        #[arg(long)]
        json: bool,
        /// The day the current action is read on (default now).
        #[arg(long, value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
}

const WINDOWS: [RenewalWindow; 3] = [
    RenewalWindow::BeforeCutover,
    RenewalWindow::Transition,
    RenewalWindow::AfterTransition,
];

/// A renewal window by its code (`before-cutover`, `transition`, `after-transition`).
fn parse_window(text: &str) -> Result<RenewalWindow, String> {
    let wanted = text.trim();
    WINDOWS
        .into_iter()
        .find(|w| w.code() == wanted)
        .ok_or_else(|| {
            Msg::new("sales-bad-window")
                .arg("value", format!("{text:?}"))
                .arg("allowed", WINDOWS.map(RenewalWindow::code).join(", "))
                .render(crate::i18n::operator_locale())
        })
}

pub fn scheduler(
    config: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Result<Scheduler, Failure> {
    Ok(Scheduler {
        jobs: Scheduler::jobs_from_config(config)?,
        context: JobContext::new(config, store)?,
        clock,
        outbox_wake: Arc::new(Notify::new()),
        owner: format!("cli-{}", std::process::id()),
    })
}

/// The outbox dispatcher of the CLI: mail Message-IDs scoped to this installation; delivering
/// as at `at` when given (what is due then is sent), else now.
pub async fn dispatcher(
    config: &Config,
    store: Arc<dyn Store>,
    at: Option<DateTime<Utc>>,
) -> Result<Dispatcher, Failure> {
    let mailer = crate::notify::mailer_from_config(config).await?;
    let mailer = InstallationMailer::for_store(mailer, store.as_ref()).await?;
    let clock: Arc<dyn Clock> = match at {
        Some(at) => Arc::new(ManualClock::new(at)),
        None => Arc::new(SystemClock),
    };
    Ok(Dispatcher::new(
        store,
        mailer,
        None,
        clock,
        config.outbox.clone(),
    ))
}

pub async fn run(command: OpsCommand, config: &Config) -> Result<(), Failure> {
    let store = crate::store::open_and_migrate(config).await?;
    let result = run_with(command, config, store.clone()).await;
    store.close().await;
    result
}

async fn run_with(
    command: OpsCommand,
    config: &Config,
    store: Arc<dyn Store>,
) -> Result<(), Failure> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let locale = super::args::cli_locale(config);
    match command {
        OpsCommand::Jobs(JobsCommand::List { json }) => {
            let scheduler = scheduler(config, store.clone(), clock.clone())?;
            let now = clock.now();
            // Every instant in one zone, the configured one (`[calendar] zone`), with its offset.
            let zone = scheduler.context.calendar.zone();
            let local = |t: DateTime<Utc>| t.with_timezone(&zone).to_rfc3339();
            for job in &scheduler.jobs {
                let mut next = Vec::new();
                let mut cursor = now;
                for _ in 0..3 {
                    match job.next_fire(cursor, &scheduler.context.calendar) {
                        Some(fire) => {
                            next.push(local(fire));
                            cursor = fire;
                        }
                        None => break,
                    }
                }
                let last = store.last_job_run(&job.name).await?;
                if json {
                    println!(
                        "{}",
                        json_line(&serde_json::json!({
                            "name": job.name,
                            "schedule": job.config.schedule,
                            "zone": job.config.zone,
                            "misfire": job.config.misfire,
                            "business_days": job.config.business_days,
                            "next_fires": next,
                            "last_run": last.as_ref().map(|r| serde_json::json!({
                                "job": r.job,
                                "scheduled_for": local(r.scheduled_for),
                                "claimed_by": r.claimed_by,
                                "started_at": local(r.started_at),
                                "finished_at": r.finished_at.map(local),
                                "outcome": r.outcome,
                                "detail": r.detail,
                            })),
                            "display_zone": zone.name(),
                        }))?
                    );
                } else {
                    let last = last
                        .map(|r| {
                            format!(
                                "{} {}",
                                local(r.scheduled_for),
                                r.outcome
                                    .unwrap_or_else(|| Msg::new("ops-job-running").render(locale))
                            )
                        })
                        .unwrap_or_else(|| Msg::new("ops-job-never").render(locale));
                    println!(
                        "{:<20} {:<16} {:<11} next {}  last {}",
                        job.name,
                        job.config.schedule,
                        job.config.zone,
                        next.first().map(String::as_str).unwrap_or("-"),
                        last
                    );
                }
            }
            Ok(())
        }
        OpsCommand::Jobs(JobsCommand::Run { name, at }) => {
            if name == OUTBOX_DISPATCH {
                let report = dispatcher(config, store, at).await?.drain().await?;
                println!("{}", json_line(&report)?);
                return Ok(());
            }
            let scheduler = scheduler(config, store, clock.clone())?;
            let Some(job) = scheduler.job(&name) else {
                // Every configured job, `outbox-dispatch` included once (it runs above).
                let mut names: Vec<&str> = scheduler.jobs.iter().map(|j| j.name.as_str()).collect();
                if !names.contains(&OUTBOX_DISPATCH) {
                    names.push(OUTBOX_DISPATCH);
                }
                return Err(Failure::usage(
                    Msg::new("ops-job-unknown")
                        .arg("job", name.clone())
                        .arg("jobs", names.join(", "))
                        .render(locale),
                ));
            };
            let fire = at.unwrap_or_else(|| clock.now());
            match scheduler.fire(job, fire).await? {
                FireOutcome::Ran { report } => {
                    println!("{}", json_line(&report)?);
                    Ok(())
                }
                FireOutcome::Failed { error } => Err(Failure::runtime(
                    Msg::new("ops-job-failed")
                        .arg("job", name.clone())
                        .arg("error", error.to_string())
                        .render(locale),
                )),
                FireOutcome::AlreadyClaimed => {
                    println!(
                        "{}",
                        Msg::new("ops-job-already-ran")
                            .arg("job", name.clone())
                            .arg("at", fire.to_rfc3339())
                            .render(locale)
                    );
                    Ok(())
                }
            }
        }
        OpsCommand::Outbox(OutboxCommand::List {
            status,
            limit,
            json,
        }) => {
            // One more than asked tells whether the listing was cut short.
            let mut messages = store
                .outbox_messages(status, limit.max(0).saturating_add(1))
                .await?;
            let cut_short = messages.len() as i64 > limit.max(0);
            messages.truncate(limit.max(0) as usize);
            if cut_short {
                // On stderr, so `--json` output stays one object per line.
                eprintln!(
                    "{}",
                    Msg::new("ops-outbox-list-cut")
                        .num("limit", limit)
                        .render(super::args::cli_locale(config))
                );
            }
            for m in messages {
                if json {
                    println!(
                        "{}",
                        json_line(&serde_json::json!({
                            "id": m.id,
                            "channel": m.channel,
                            "recipient": m.recipient,
                            "subject": m.subject,
                            "status": m.status,
                            "dedupe_key": m.dedupe_key,
                            "attempts": m.attempts,
                            "last_error": m.last_error,
                            "next_attempt_at": m.next_attempt_at,
                            "created_at": m.created_at,
                            "sent_at": m.sent_at,
                        }))?
                    );
                } else {
                    println!(
                        "{:>6} {:<8} {:<7} {:<30} {:>2} {} {}",
                        m.id,
                        m.channel,
                        m.status,
                        m.recipient,
                        m.attempts,
                        m.subject,
                        m.last_error.map(|e| format!("[{e}]")).unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        OpsCommand::Outbox(OutboxCommand::Retry { id }) => {
            if store.retry_dead_outbox(id, clock.now()).await? {
                println!(
                    "{}",
                    Msg::new("ops-outbox-retried").num("id", id).render(locale)
                );
                Ok(())
            } else {
                Err(Failure::usage(match store.outbox_message(id).await? {
                    Some(m) => Msg::new("ops-outbox-not-dead")
                        .num("id", id)
                        .arg("status", m.status)
                        .render(locale),
                    None => Msg::new("ops-outbox-missing").num("id", id).render(locale),
                }))
            }
        }
        OpsCommand::Outbox(OutboxCommand::Dispatch { json, at }) => {
            let report = dispatcher(config, store, at).await?.drain().await?;
            if json {
                println!("{}", json_line(&report)?);
            } else {
                println!(
                    "{}",
                    Msg::new("ops-outbox-dispatched")
                        .num("claimed", report.claimed as i64)
                        .num("sent", report.sent as i64)
                        .num("retried", report.retried as i64)
                        .num("dead", report.dead as i64)
                        .render(locale)
                );
            }
            Ok(())
        }
        OpsCommand::Outbox(OutboxCommand::Purge { older_than }) => {
            let before = clock
                .now()
                .checked_sub_signed(older_than)
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let purged = store.purge_outbox(before).await?;
            println!(
                "{}",
                Msg::new("ops-outbox-purged")
                    .num("count", purged as i64)
                    .render(locale)
            );
            Ok(())
        }
        OpsCommand::Contract(ContractCommand::Ack { contract, status }) => {
            match store
                .set_contract_status(&contract, status, clock.now())
                .await?
            {
                Some(c) => {
                    println!(
                        "{}",
                        Msg::new("ops-contract-acked")
                            .arg("contract", c.id)
                            .arg("status", c.status)
                            .render(locale)
                    );
                    Ok(())
                }
                None => Err(Failure::usage(
                    Msg::new("ops-contract-missing")
                        .arg("contract", contract)
                        .render(locale),
                )),
            }
        }
        OpsCommand::Contract(ContractCommand::List {
            rep,
            window,
            json,
            at,
        }) => {
            let context = JobContext::new(config, store.clone())?;
            let now = at.unwrap_or_else(|| clock.now());
            for contract in store.contracts_of_rep(rep.as_deref()).await? {
                let explanation = context.renewal.explain(contract.renewal_date);
                if window.is_some_and(|w| w != explanation.window) {
                    continue;
                }
                // The step current on the rep's own day.
                let zone = crate::i18n::text::zone_of(&contract.sales_rep_tz);
                let today = now.with_timezone(&zone).date_naive();
                let action = context.renewal.action_on(contract.renewal_date, today);
                let days_left =
                    RenewalPolicy::business_days_left(&context.calendar, today, action.deadline);
                if json {
                    println!(
                        "{}",
                        json_line(&serde_json::json!({
                            "id": contract.id,
                            "rep": contract.sales_rep_email,
                            "rep_name": contract.sales_rep_name,
                            "rep_lang": contract.sales_rep_lang,
                            "company": contract.company,
                            "product": contract.product,
                            "renewal_date": contract.renewal_date,
                            "window": explanation.window,
                            "action_deadline": action.deadline,
                            "action": action.step,
                            "contact": action.contact,
                            "business_days_left": days_left,
                            "renewal_end_date": explanation.renewal_end_date,
                            "status": contract.status,
                        }))?
                    );
                } else {
                    println!(
                        "{}",
                        Msg::new("sales-contract-line")
                            .arg("contract", contract.id.clone())
                            .arg("rep", contract.sales_rep_email.clone())
                            .arg("renewal_date", contract.renewal_date.to_string())
                            .arg("window", explanation.window.code())
                            .arg("deadline", action.deadline.to_string())
                            .arg("status", contract.status.clone())
                            .label("contact", action.contact.message_id())
                            .render(locale)
                    );
                }
            }
            Ok(())
        }
    }
}
