//! The command line: every operator and script entry point. Commands parse their arguments
//! into domain types here and call the same services the chat and the daemon use.

pub mod args;
pub mod companies;
pub mod csv_table;
pub mod import;
pub mod import_contracts;
pub mod operators;
pub mod ops;
pub mod output;
pub mod partners;
pub mod questions;
pub mod reps;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Datelike, Utc};
use clap::{CommandFactory, Parser, Subcommand};

use crate::chat::{self, Desk, Session};
use crate::clock::{Clock, ManualClock, SystemClock};
use crate::config::{Config, LogFormat};
use crate::daemon::telemetry;
use crate::error::system_failure;
use crate::error::Failure;
use crate::i18n::rules_text;
use crate::i18n::{operator_locale, Locale, Msg};
use crate::{daemon, store};
use args::{parse_date_arg, parse_instant, parse_locale};

#[derive(Debug, Parser)]
#[command(
    name = "partnerdesk",
    version,
    about = "Front desk of a partner program: chat bot, workflows and notification daemon"
)]
pub struct Cli {
    /// TOML configuration file (settings not in it keep their defaults; environment variables
    /// PARTNERDESK_<SECTION>__<KEY> override it).
    #[arg(long, global = true, env = "PARTNERDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format: human-readable text or JSON lines. The level comes from RUST_LOG.
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: HTTP health endpoints, scheduler, outbox dispatcher and chat.
    Run,
    /// Create the PostgreSQL database if needed and apply the database migrations.
    Migrate,
    /// Show or check the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Whether PWCS is open at an instant (default: now), and when it next opens and closes.
    Hours {
        /// The instant to ask about: RFC 3339 (2026-11-24T10:00:00+09:00), or a date and time
        /// as the chat reads them in the calendar's zone (2026-06-17 10:00, 明日の10時, tomorrow
        /// 4pm); a date alone asks about that day.
        #[arg(long)]
        at: Option<String>,
        /// One JSON object: open, next_open and next_close (RFC 3339 or null), reason (why it
        /// is closed: the holiday's name on a holiday, else weekend, anniversary, year-end
        /// closure, lunch break, outside hours, closed day; open when open), reason_code (the
        /// finer code: holiday, year-end, lunch-break, before-hours, after-hours, ...), holiday,
        /// holiday_en and text.
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        /// Whose hours: `pwcs` (the default) or a contact configured under [contacts.ID].
        #[arg(long, default_value = crate::config::PWCS_CONTACT)]
        contact: String,
    },
    /// The renewal policy for one renewal date.
    #[command(subcommand)]
    Renewal(RenewalCommand),
    /// Whom to pay and by when, for one invoice date.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Cron schedules.
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// Answer a question (or, without one, each line of stdin) from the knowledge catalogue.
    Ask {
        /// The question; omit it to read one question per line from stdin.
        question: Vec<String>,
        /// Answer in this language (default: the question's language).
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        /// One JSON object per answer: topic, confidence, lang, text.
        #[arg(long)]
        json: bool,
        /// Answer as if it were this instant (RFC 3339), for "open now?".
        #[arg(long, value_parser = parse_instant)]
        now: Option<DateTime<Utc>>,
    },
    /// What the desk could not answer well, grouped (`questions unanswered`).
    #[command(subcommand)]
    Questions(crate::cli::questions::QuestionsCommand),
    /// Daemon operations: jobs, outbox, contracts.
    #[command(flatten)]
    Ops(crate::cli::ops::OpsCommand),
    /// Import data from CSV files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Partner workflows for operators: companies, people, roles, tokens, registrations, joins,
    /// imports, audit.
    #[command(flatten)]
    Workflow(crate::cli::partners::WorkflowCommand),
    /// Sales reps: the secret URL of their calendar feed of renewal deadlines.
    #[command(subcommand)]
    Rep(crate::cli::reps::RepCommand),
    /// Operators of the web console: `operator add --ibm-id EMAIL`.
    #[command(subcommand)]
    Operator(crate::cli::operators::OperatorCommand),
    /// Print a shell completion script to standard output (`partnerdesk completions bash >
    /// /etc/bash_completion.d/partnerdesk`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output (`partnerdesk man | man -l -`).
    Man,
    /// Discord: `discord commands` prints the slash commands the bot registers (JSON).
    #[command(subcommand)]
    Discord(crate::discord::DiscordCommand),
    /// The chat in the terminal: questions and slash commands, as in Discord.
    Chat {
        /// Act as this linked identity (an IBM ID).
        #[arg(long = "as", value_name = "IBM_ID")]
        acting_as: Option<String>,
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        /// One JSON reply per input line: text, buttons, ephemeral, lang, topic.
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_instant)]
        now: Option<DateTime<Utc>>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    #[command(flatten)]
    Partners(crate::cli::partners::ImportWorkflowCommand),
    /// Contracts: contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,
    /// sales_rep_lang,sales_rep_tz. Re-importing updates in place.
    Contracts {
        file: PathBuf,
        /// Import the good rows even when some are bad.
        #[arg(long)]
        skip_bad: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RenewalCommand {
    /// Explain the renewal window of DATE (2015-08-15, 2015/8/15, 2015年8月15日, 平成27年8月15日,
    /// Aug 15 2015, ...; without a year, the transition year 2015).
    Explain {
        date: String,
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Explain payee and due date of an invoice dated INVOICE_DATE (any form `renewal explain`
    /// reads).
    Explain {
        invoice_date: String,
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Print the next fire instants of EXPR, one RFC 3339 timestamp per line.
    Next {
        /// 5-field crontab expression, or the cron crate's 6/7-field form with seconds.
        expr: String,
        /// IANA time zone the expression is read in.
        #[arg(long, default_value = "Asia/Tokyo")]
        tz: String,
        /// Start after this instant (RFC 3339; default: now).
        #[arg(long, value_parser = parse_instant)]
        after: Option<DateTime<Utc>>,
        /// How many fires to print (1 to 10,000).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=10_000))]
        count: u16,
        /// Keep only fires on business days of the configured calendar.
        #[arg(long)]
        business_days: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (defaults < file < environment), secrets redacted.
    Show,
    /// Validate a configuration file (with the environment applied) and say what is wrong.
    Check {
        /// The TOML file to check.
        file: PathBuf,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return argument_error(e),
    };
    if !matches!(cli.command, Command::Run) {
        quiet_on_closed_stdout();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!(
                "{}",
                Msg::new("cli-error")
                    .arg("message", failure.message)
                    .render(operator_locale())
            );
            ExitCode::from(failure.exit_code)
        }
    }
}

/// `partnerdesk jobs list | head -1`: when the reader of our output goes away, a command ends
/// at once and quietly, as `cat` or `grep` do, instead of panicking in `println!` (Rust ignores
/// SIGPIPE, so the write fails and `println!` panics with exit 101). Only for the one-shot
/// commands: the daemon keeps ignoring SIGPIPE, where a closed socket is an error to handle.
fn quiet_on_closed_stdout() {
    #[cfg(unix)]
    // SAFETY: called once at start, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A command line clap refused, worded in the operator's language (exit 2). Help and version
/// requests, and refusals without a wording of ours, are clap's own.
fn argument_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(list)) => list.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(list)) => list
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let argument = context(ContextKind::InvalidArg);
    let message = match e.kind() {
        // Our value parsers word their own reason.
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_else(|| context(ContextKind::InvalidValue));
            Msg::new("cli-bad-argument")
                .arg("argument", argument)
                .arg("reason", reason)
        }
        ErrorKind::InvalidValue => Msg::new("cli-bad-argument").arg("argument", argument).sub(
            "reason",
            Msg::new("cli-bad-choice")
                .arg("value", context(ContextKind::InvalidValue))
                .arg("allowed", context(ContextKind::ValidValue)),
        ),
        ErrorKind::UnknownArgument => Msg::new("cli-unknown-argument").arg("argument", argument),
        ErrorKind::InvalidSubcommand => {
            Msg::new("cli-unknown-command").arg("command", context(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => {
            Msg::new("cli-missing-argument").arg("argument", argument)
        }
        _ => e.exit(),
    };
    // One line, like every other error: the refusal, then where to look.
    let message = Msg::new("cli-with-help")
        .sub("message", message)
        .sub("help", Msg::new("cli-see-help"));
    eprintln!(
        "{}",
        Msg::new("cli-error")
            .sub("message", message)
            .render(operator_locale())
    );
    ExitCode::from(2)
}

/// Loads the configuration; its default language then words the operator's messages.
fn load_config(file: Option<&Path>) -> Result<Config, Failure> {
    let config = Config::load(file, std::env::vars())?;
    crate::i18n::set_operator_default(&config.i18n.default_locale);
    Ok(config)
}

/// Writes `bytes` to standard output; a reader that went away (`| head`) ends it quietly.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(system_failure("cli-system-stdout", e))
        }
        _ => Ok(()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| system_failure("cli-system-runtime", e))
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    // Documentation needs no configuration: it must work before one exists.
    match &cli.command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "partnerdesk", &mut script);
            return write_stdout(&script);
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| system_failure("cli-system-stdout", e))?;
            return write_stdout(&page);
        }
        _ => {}
    }
    if let Command::Config(ConfigCommand::Check { file }) = &cli.command {
        let config = load_config(Some(file))?;
        println!(
            "{}",
            Msg::new("cli-config-ok")
                .arg("file", file.display().to_string())
                .arg("database", describe_db(&config))
                .render(operator_locale())
        );
        return Ok(());
    }
    let config = load_config(cli.config.as_deref())?;
    telemetry::init(cli.log_format.unwrap_or(config.log.format));
    match cli.command {
        Command::Run => {
            let runtime = runtime()?;
            let result = runtime.block_on(daemon::run(config));
            // Work stuck in blocking IO must not hold the exit (5 s after a stop signal).
            runtime.shutdown_timeout(std::time::Duration::from_millis(300));
            result
        }
        Command::Discord(command) => command.run(),
        // Answered above, before the configuration is read.
        Command::Completions { .. } | Command::Man => Ok(()),
        Command::Migrate => {
            let report = runtime()?.block_on(store::migrate(&config))?;
            let locale = operator_locale();
            if report.database_created {
                println!("{}", Msg::new("cli-migrate-created").render(locale));
            }
            if report.applied.is_empty() {
                println!("{}", Msg::new("cli-migrate-up-to-date").render(locale));
            } else {
                for name in &report.applied {
                    println!(
                        "{}",
                        Msg::new("cli-migrate-applied")
                            .arg("name", name.clone())
                            .render(locale)
                    );
                }
            }
            Ok(())
        }
        Command::Config(ConfigCommand::Show) => {
            print!("{}", config.redacted_toml());
            Ok(())
        }
        Command::Config(ConfigCommand::Check { .. }) => Ok(()),
        Command::Hours {
            at,
            json,
            lang,
            contact,
        } => {
            let calendar = config.contact_calendar(&contact)?;
            let now = Utc::now();
            let asked = at
                .map(|text| args::parse_at(&text, &calendar, now))
                .transpose()?;
            let locale = lang.unwrap_or_else(|| args::cli_locale(&config));
            let this_year = calendar.local_time(now).year();
            let (status, text) = match asked {
                None => {
                    let status = calendar.status_at(now);
                    let text = rules_text::hours_sentence(locale, &calendar, &status);
                    (status, text)
                }
                Some(args::AskedAt::Instant(at)) => {
                    let status = calendar.status_at(at);
                    let text = rules_text::hours_sentence(locale, &calendar, &status);
                    (status, text)
                }
                // A whole day: the JSON is the status as the day begins; the text says whether
                // it is a business day and its hours.
                Some(args::AskedAt::Day(day)) => {
                    let midnight = day.and_time(chrono::NaiveTime::MIN);
                    let start = calendar.instant_of(midnight).unwrap_or(now);
                    let text = rules_text::hours_on_day(locale, &calendar, day, this_year);
                    (calendar.status_at(start), text)
                }
            };
            if json {
                let mut value = serde_json::to_value(status.to_report(calendar.zone()))
                    .map_err(|e| Failure::runtime(e.to_string()))?;
                value["text"] = text.into();
                println!("{value}");
            } else {
                println!("{text}");
            }
            Ok(())
        }
        Command::Renewal(RenewalCommand::Explain { date, json, lang }) => {
            let desk = desk(&config, None)?;
            let (now, year) = date_context(&desk);
            let date = parse_date_arg("cli-arg-renewal-date", &date, now, year)?;
            let locale = lang.unwrap_or_else(|| args::cli_locale(&config));
            let explanation = desk.renewal.explain(date);
            print_explained(
                &explanation,
                rules_text::renewal_text(locale, &explanation),
                json,
            )
        }
        Command::Payment(PaymentCommand::Explain {
            invoice_date,
            json,
            lang,
        }) => {
            let desk = desk(&config, None)?;
            let (now, year) = date_context(&desk);
            let date = parse_date_arg("cli-arg-invoice-date", &invoice_date, now, year)?;
            let locale = lang.unwrap_or_else(|| args::cli_locale(&config));
            let explanation = desk.payment.explain(date);
            print_explained(
                &explanation,
                rules_text::payment_text(locale, &explanation),
                json,
            )
        }
        Command::Schedule(ScheduleCommand::Next {
            expr,
            tz,
            after,
            count,
            business_days,
        }) => {
            let schedule = partnerdesk_domain::Schedule::parse(&expr).map_err(|e| {
                Failure::usage(
                    Msg::new("cli-bad-schedule")
                        .arg("value", format!("{expr:?}"))
                        .sub("problem", crate::config::schedule_problem(&e))
                        .render(operator_locale()),
                )
            })?;
            let zone = partnerdesk_domain::parse_zone(&tz).map_err(|_| {
                Failure::usage(
                    Msg::new("cli-bad-zone")
                        .arg("value", format!("{tz:?}"))
                        .render(operator_locale()),
                )
            })?;
            let after = after.unwrap_or_else(Utc::now);
            let calendar = desk(&config, None)?.calendar;
            let fires: Vec<DateTime<Utc>> = if business_days {
                schedule
                    .upcoming_on_business_days(after, zone, &calendar)
                    .take(usize::from(count))
                    .collect()
            } else {
                schedule
                    .upcoming(after, zone)
                    .take(usize::from(count))
                    .collect()
            };
            for fire in fires {
                println!("{}", fire.with_timezone(&zone).to_rfc3339());
            }
            Ok(())
        }
        Command::Ask {
            question,
            lang,
            json,
            now,
        } => {
            let desk = desk(&config, now)?;
            let print = |q: &str| -> Result<(), Failure> {
                let answer = desk.answer(q, lang);
                if json {
                    let line = serde_json::to_string(&answer)
                        .map_err(|e| Failure::runtime(e.to_string()))?;
                    println!("{line}");
                } else if question.is_empty() {
                    // Batch mode: one answer per line.
                    println!(
                        "{}",
                        answer.text.split_whitespace().collect::<Vec<_>>().join(" ")
                    );
                } else {
                    println!("{}", answer.text);
                }
                Ok(())
            };
            if question.is_empty() {
                // Bytes, not `lines()`: a line that is not UTF-8 is answered (with replacement
                // characters) instead of ending the run and losing the lines after it.
                // At most a bounded part of each line is kept: an over-long line is answered
                // "too long" without holding it in memory.
                let mut stdin = std::io::stdin().lock();
                while let Some(line) = chat::line_reader::next_line_blocking(&mut stdin)
                    .map_err(|e| system_failure("cli-system-stdin", e))?
                {
                    if line.too_long {
                        let session = Session {
                            chosen_locale: lang,
                            ..Session::default()
                        };
                        let reply = chat::console::too_long_reply(&desk, &session, &line.text);
                        if json {
                            println!(
                                "{}",
                                serde_json::json!({"topic": null, "confidence": 0.0,
                                    "lang": reply.lang, "text": reply.text, "too_long": true})
                            );
                        } else {
                            println!("{}", reply.text);
                        }
                        continue;
                    }
                    let line = line.text;
                    if line.trim().is_empty() {
                        // Keep one output line per input line, so answers line up with
                        // the questions in a script.
                        if json {
                            println!(
                                r#"{{"topic":null,"topics":[],"confidence":0.0,"lang":null,"text":""}}"#
                            );
                        } else {
                            println!();
                        }
                    } else {
                        print(line.trim())?;
                    }
                }
                Ok(())
            } else {
                print(&question.join(" "))
            }
        }
        Command::Ops(command) => runtime()?.block_on(crate::cli::ops::run(command, &config)),
        Command::Operator(command) => {
            runtime()?.block_on(crate::cli::operators::run(command, &config))
        }
        Command::Questions(command) => {
            runtime()?.block_on(crate::cli::questions::run(command, &config))
        }
        Command::Import(ImportCommand::Contracts {
            file,
            skip_bad,
            json,
        }) => runtime()?.block_on(import_contracts::import_contracts(
            &config, file, skip_bad, json,
        )),
        Command::Import(ImportCommand::Partners(command)) => {
            runtime()?.block_on(crate::cli::partners::run_import(command, &config))
        }
        Command::Workflow(command) => {
            runtime()?.block_on(crate::cli::partners::run(command, &config))
        }
        Command::Rep(command) => runtime()?.block_on(crate::cli::reps::run(command, &config)),
        Command::Chat {
            acting_as,
            lang,
            json,
            now,
        } => runtime()?.block_on(async {
            let store = store::open_and_migrate(&config).await?;
            let mut desk = desk(&config, now)?;
            desk.store = Some(store.clone());
            let session = Session {
                chosen_locale: lang,
                ..Session::default()
            };
            let options = chat::console::ConsoleOptions { acting_as, json };
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            let result =
                chat::console::run(&desk, session, &options, stdin, std::io::stdout().lock())
                    .await
                    .map_err(|e| system_failure("cli-system-console", e));
            store.close().await;
            result
        }),
    }
}

fn desk(config: &Config, now: Option<DateTime<Utc>>) -> Result<Desk, Failure> {
    let clock: std::sync::Arc<dyn Clock> = match now {
        Some(at) => std::sync::Arc::new(ManualClock::new(at)),
        None => std::sync::Arc::new(SystemClock),
    };
    Ok(Desk::from_config(config, clock)?)
}

/// What a date argument of `renewal explain` / `payment explain` is read against: now in the
/// desk's zone, and the transition year a date without a year means (as in chat).
fn date_context(desk: &Desk) -> (chrono::NaiveDateTime, i32) {
    let now = desk.calendar.local_time(desk.clock.now());
    (now, desk.renewal.config().cutover.year())
}

fn print_explained(value: &impl serde::Serialize, text: String, json: bool) -> Result<(), Failure> {
    if json {
        let mut value = serde_json::to_value(value).map_err(|e| Failure::runtime(e.to_string()))?;
        value["text"] = text.into();
        println!("{value}");
    } else {
        println!("{text}");
    }
    Ok(())
}

fn describe_db(config: &Config) -> &'static str {
    match config.database_target() {
        Ok(crate::config::DatabaseTarget::Sqlite { .. }) => "SQLite",
        Ok(crate::config::DatabaseTarget::Postgres { .. }) => "PostgreSQL",
        Err(_) => "unknown",
    }
}
