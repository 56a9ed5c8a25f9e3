//! The daemon operators' commands: `jobs`, `outbox`, `import contracts`, `contract ack`.

use crate::i18n::Locale;
use crate::workflows::text::Msg;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;
use tokio::sync::Notify;

use crate::app;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::error::Failure;
use crate::jobs::JobContext;
use crate::outbox::Dispatcher;
use crate::scheduler::{FireOutcome, Scheduler, OUTBOX_DISPATCH};
use crate::store::{ContractStatus, NewContract, OutboxStatus, Store, UpsertOutcome};

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
        #[arg(long, value_parser = crate::cli::parse_instant)]
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
    /// Send every due message now and report.
    Dispatch {
        #[arg(long)]
        json: bool,
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
}

fn parse_status(text: &str) -> Result<OutboxStatus, String> {
    text.parse()
}

fn parse_contract_status(text: &str) -> Result<ContractStatus, String> {
    text.parse()
}

/// `30d`, `12h`, `90m`, `45s`: a whole number of 0 or more and a unit.
pub fn parse_age(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let refused = || {
        Msg::new("ops-bad-age")
            .arg("value", format!("{text:?}"))
            .render(crate::i18n::operator_locale())
    };
    // The unit is the last character, whatever its width (`30日` must not split a byte).
    let Some(unit) = text.chars().last() else {
        return Err(refused());
    };
    let number = &text[..text.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused());
    }
    let n: i64 = number.parse().map_err(|_| refused())?;
    let age = match unit {
        'd' => chrono::Duration::try_days(n),
        'h' => chrono::Duration::try_hours(n),
        'm' => chrono::Duration::try_minutes(n),
        's' => chrono::Duration::try_seconds(n),
        _ => None,
    };
    // A century is older than anything an outbox keeps; beyond it instants overflow.
    age.filter(|a| *a <= chrono::Duration::days(36_525))
        .ok_or_else(refused)
}

fn json_line(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| Failure::runtime(e.to_string()))
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

pub async fn dispatcher(config: &Config, store: Arc<dyn Store>) -> Result<Dispatcher, Failure> {
    let mailer = crate::notify::mailer_from_config(config).await?;
    Ok(Dispatcher::new(
        store,
        mailer,
        None,
        Arc::new(SystemClock),
        config.outbox.clone(),
    ))
}

pub async fn run(command: OpsCommand, config: &Config) -> Result<(), Failure> {
    let store = app::open_and_migrate(config).await?;
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
    let locale = crate::workflows::cli::cli_locale(config);
    match command {
        OpsCommand::Jobs(JobsCommand::List { json }) => {
            let scheduler = scheduler(config, store.clone(), clock.clone())?;
            let now = clock.now();
            for job in &scheduler.jobs {
                let mut next = Vec::new();
                let mut cursor = now;
                for _ in 0..3 {
                    match job.next_fire(cursor, &scheduler.context.calendar) {
                        Some(fire) => {
                            next.push(fire.with_timezone(&job.zone).to_rfc3339());
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
                            "last_run": last,
                        }))?
                    );
                } else {
                    let last = last
                        .map(|r| {
                            format!(
                                "{} {}",
                                r.scheduled_for.to_rfc3339(),
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
                let report = dispatcher(config, store).await?.drain().await?;
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
                        .render(crate::workflows::cli::cli_locale(config))
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
        OpsCommand::Outbox(OutboxCommand::Dispatch { json }) => {
            let report = dispatcher(config, store).await?.drain().await?;
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
    }
}

pub use crate::csv_table::BadRow;

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub bad: Vec<BadRow>,
}

const CONTRACT_COLUMNS: [&str; 8] = [
    "contract_id",
    "company",
    "product",
    "renewal_date",
    "sales_rep_email",
    "sales_rep_name",
    "sales_rep_lang",
    "sales_rep_tz",
];

/// Reads and validates a contracts CSV: good rows, and each bad row with its line and reason
/// (in `locale`).
pub fn read_contracts(
    path: &Path,
    locale: Locale,
) -> Result<(Vec<NewContract>, Vec<BadRow>), Failure> {
    let file = path.display().to_string();
    let input = std::fs::File::open(path).map_err(|e| {
        Failure::usage(
            Msg::new("wf-import-cannot-open")
                .arg("file", file.clone())
                .arg("error", crate::config::io_reason(&e))
                .render(locale),
        )
    })?;
    // Contracts come from other systems' exports: their extra columns are left out.
    let columns = crate::csv_table::Columns {
        known: &CONTRACT_COLUMNS,
        required: &CONTRACT_COLUMNS,
        extra: crate::csv_table::ExtraColumns::Ignore,
    };
    let table = crate::csv_table::read(std::io::BufReader::new(input), columns, locale)
        .map_err(|msg| Failure::usage(format!("{file}: {}", msg.render(locale))))?;
    let mut good = Vec::new();
    let mut bad = table.bad;
    // A contract named twice in one file: the first row counts, the repeat is reported.
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for row in &table.rows {
        match contract_from_row(row) {
            Ok(c) => {
                if let Some(first) = seen.get(&c.id) {
                    bad.push(BadRow {
                        line: row.line,
                        reason: Msg::new("wf-import-duplicate")
                            .arg("value", c.id.clone())
                            .num("line", *first as i64)
                            .render(locale),
                    });
                    continue;
                }
                seen.insert(c.id.clone(), row.line);
                good.push(c);
            }
            Err(msg) => bad.push(BadRow {
                line: row.line,
                reason: msg.render(locale),
            }),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok((good, bad))
}

fn contract_from_row(row: &crate::csv_table::Row) -> Result<NewContract, Msg> {
    let required = |slot: usize| {
        let value = row
            .get(CONTRACT_COLUMNS[slot])
            .unwrap_or_default()
            .to_string();
        if value.is_empty() {
            Err(Msg::new("ops-import-empty").arg("column", CONTRACT_COLUMNS[slot]))
        } else if value.chars().any(char::is_control) {
            Err(Msg::new("ops-import-line-break").arg("column", CONTRACT_COLUMNS[slot]))
        } else {
            Ok(value)
        }
    };
    let renewal = required(3)?;
    let renewal_date = partnerdesk_domain::RenewalDate::parse(&renewal)
        .map_err(|_| Msg::new("ops-import-bad-date").arg("value", renewal.clone()))?
        .date();
    let email = required(4)?;
    email
        .parse::<lettre::Address>()
        .map_err(|_| Msg::new("ops-import-bad-email").arg("value", email.clone()))?;
    let lang = required(6)?;
    if !matches!(lang.as_str(), "ja" | "en") {
        return Err(Msg::new("ops-import-bad-lang").arg("value", lang));
    }
    let tz = required(7)?;
    partnerdesk_domain::parse_zone(&tz)
        .map_err(|_| Msg::new("ops-import-bad-zone").arg("value", tz.clone()))?;
    Ok(NewContract {
        id: required(0)?,
        company: required(1)?,
        product: required(2)?,
        renewal_date,
        sales_rep_email: email.to_lowercase(),
        sales_rep_name: required(5)?,
        sales_rep_lang: lang,
        sales_rep_tz: tz,
    })
}

/// `import contracts FILE.csv`: nothing is imported when a row is bad, unless `skip_bad`.
pub async fn import_contracts(
    config: &Config,
    file: PathBuf,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = crate::workflows::cli::cli_locale(config);
    let (good, bad) = read_contracts(&file, locale)?;
    let mut report = ImportReport {
        bad,
        ..ImportReport::default()
    };
    let refuse = !report.bad.is_empty() && !skip_bad;
    if !refuse {
        let store = app::open_and_migrate(config).await?;
        let progress = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(good.len() as u64)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let now = Utc::now();
        for chunk in good.chunks(1_000) {
            for outcome in store.upsert_contracts(chunk, now).await? {
                match outcome {
                    UpsertOutcome::Inserted => report.inserted += 1,
                    UpsertOutcome::Updated => report.updated += 1,
                    UpsertOutcome::Unchanged => report.unchanged += 1,
                }
            }
            progress.inc(chunk.len() as u64);
        }
        progress.finish_and_clear();
        store.close().await;
    }
    if json {
        println!("{}", json_line(&report)?);
    } else {
        for row in &report.bad {
            eprintln!("{}:{}: {}", file.display(), row.line, row.reason);
        }
        println!(
            "{}",
            Msg::new("ops-import-summary")
                .num("inserted", report.inserted as i64)
                .num("updated", report.updated as i64)
                .num("unchanged", report.unchanged as i64)
                .num("bad", report.bad.len() as i64)
                .render(locale)
        );
    }
    if refuse {
        return Err(Failure::usage(
            Msg::new("wf-import-refused")
                .arg("file", file.display().to_string())
                .num("bad", report.bad.len() as i64)
                .render(locale),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_whole_numbers_with_a_unit_and_anything_else_is_refused() {
        assert_eq!(parse_age("30d"), Ok(chrono::Duration::days(30)));
        assert_eq!(parse_age(" 12h "), Ok(chrono::Duration::hours(12)));
        assert_eq!(parse_age("90m"), Ok(chrono::Duration::minutes(90)));
        assert_eq!(parse_age("0s"), Ok(chrono::Duration::zero()));
        // Multi-byte input, negative or signed ages, no number, overflow: refused, no panic.
        for bad in [
            "30日",
            "100000000d",
            "36526d",
            "日",
            "-5d",
            "+5d",
            "d",
            "",
            "5",
            "5 d",
            "5w",
            "99999999999999999999d",
            "9999999999999999d",
            "３０d",
        ] {
            let err = parse_age(bad).expect_err(bad);
            assert!(err.contains("30d"), "{bad}: {err}");
        }
    }
}
