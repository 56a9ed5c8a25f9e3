//! The operators' workflow commands (`company`, `location`, `person`, `role`, `token`,
//! `registration`, `join`, `audit`, and `import companies|people`). `--json` makes every
//! listing one JSON object per line. Bad input exits 2, runtime failures 1; messages are in the
//! operator's language (`LC_ALL`/`LC_MESSAGES`/`LANG`, else `i18n.default_locale`).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use clap::Subcommand;
use serde_json::json;

use super::args::{
    cli_locale, parse_join_status, parse_level, parse_locale, parse_registration_status,
};
use super::companies::{self, CompanyCommand, LocationCommand, PersonCommand, RoleCommand};
use super::output::{out, say};
use crate::config::Config;
use crate::error::Failure;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{
    AuditFilter, DecideOutcome, JoinFilter, RegistrationFilter, RegistrationStatus, Store,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::service::{operator, Ctx, WfResult, WorkflowError};
use crate::workflows::{directory, joins, registrations, tokens};

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Companies: add, list, show.
    #[command(subcommand)]
    Company(CompanyCommand),
    /// Locations of a company.
    #[command(subcommand)]
    Location(LocationCommand),
    /// People, by IBM ID (their email address).
    #[command(subcommand)]
    Person(PersonCommand),
    /// Roles: apa, sales-rep, admin, primary-contact, technical-contact, member.
    #[command(subcommand)]
    Role(RoleCommand),
    /// Company tokens (shown once, stored only as a hash).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Company registrations and their review.
    #[command(subcommand)]
    Registration(RegistrationCommand),
    /// Join requests (会社トークン方式 and プロフィール管理者による登録).
    #[command(subcommand)]
    Join(JoinCommand),
    /// The audit log of decisions, token events and role changes.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// `import companies|people`: meant to be flattened into the top-level `import` command.
#[derive(Debug, Subcommand)]
pub enum ImportWorkflowCommand {
    /// Companies: name (required), lang, icn, site_number, status, locations (`;`-separated).
    Companies {
        file: PathBuf,
        /// Import the good rows even when some are bad.
        #[arg(long)]
        skip_bad: bool,
        #[arg(long)]
        json: bool,
    },
    /// People: ibm_id and name (required), lang, time_zone, company, location, role, level.
    People {
        file: PathBuf,
        /// Import the good rows even when some are bad.
        #[arg(long)]
        skip_bad: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create or replace the company token and show it once; the old one stops working.
    Rotate {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
    /// When and by whom the token was made (never the token).
    Show {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RegistrationCommand {
    /// Record a company's application; the applicant is created when not known yet.
    Submit {
        #[arg(long)]
        company: i64,
        /// The applicant's IBM ID.
        #[arg(long)]
        applicant: String,
        /// The applicant's name (for a new person).
        #[arg(long)]
        name: Option<String>,
        /// The applicant's language (for a new person; default: the company's).
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long, value_parser = parse_registration_status)]
        status: Option<RegistrationStatus>,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Start the review (under-review).
    Review {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Ask the applicant for documents; the note says what is needed and is emailed.
    RequestDocuments {
        id: i64,
        #[arg(long)]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Complete the review: the applicant gets 「手続き完了のご案内」 with the company name as
    /// its subject, becomes a member and (unless --apa names another) the company's APA; the
    /// first location and a company token (shown once to the APA in chat) are made.
    Complete {
        id: i64,
        /// The IBM ID of the company's APA, when not the registrant (a registered person).
        #[arg(long)]
        apa: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The requested documents arrived (documents-received); the applicant is told.
    DocumentsReceived {
        id: i64,
        /// A note for the applicant.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Reject {
        id: i64,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum JoinCommand {
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long, value_parser = parse_join_status)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Approve {
        id: i64,
        #[arg(long, value_parser = parse_level)]
        level: PermissionLevel,
        #[arg(long)]
        json: bool,
    },
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Newest last.
    List {
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Only actions starting with this (`token.`, `join.approved`).
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// `import companies|people`.
pub async fn run_import(command: ImportWorkflowCommand, config: &Config) -> Result<(), Failure> {
    match command {
        ImportWorkflowCommand::Companies {
            file,
            skip_bad,
            json,
        } => super::import::import_companies(config, &file, skip_bad, json).await,
        ImportWorkflowCommand::People {
            file,
            skip_bad,
            json,
        } => super::import::import_people(config, &file, skip_bad, json).await,
    }
}

pub async fn run(command: WorkflowCommand, config: &Config) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let store = crate::store::open_and_migrate(config).await?;
    let journeys = crate::config::JourneySettings::from_config(config);
    let result = execute(command, store.clone(), locale, &journeys).await;
    store.close().await;
    result
}

async fn execute(
    command: WorkflowCommand,
    store: Arc<dyn Store>,
    locale: Locale,
    journeys: &crate::config::JourneySettings,
) -> Result<(), Failure> {
    let ctx = Ctx {
        store: &*store,
        actor: operator(),
        now: Utc::now(),
    };
    let outcome: WfResult<()> = match command {
        WorkflowCommand::Company(c) => companies::company(&ctx, c, locale).await,
        WorkflowCommand::Location(c) => companies::location(&ctx, c, locale).await,
        WorkflowCommand::Person(c) => companies::person(&ctx, c, locale).await,
        WorkflowCommand::Role(c) => companies::role(&ctx, c, locale).await,
        WorkflowCommand::Token(c) => token(&ctx, c, locale).await,
        WorkflowCommand::Registration(c) => registration(&ctx, c, locale, journeys).await,
        WorkflowCommand::Join(c) => join(&ctx, c, locale).await,
        WorkflowCommand::Audit(c) => audit(&ctx, c).await,
    };
    outcome.map_err(|e| e.into_failure(locale))
}

async fn token(ctx: &Ctx<'_>, command: TokenCommand, locale: Locale) -> WfResult<()> {
    match command {
        TokenCommand::Rotate { company, json } => {
            let (token, stored) = tokens::rotate_token(ctx, company).await?;
            if json {
                out(&json!({
                    "company_id": stored.company_id,
                    "token": token.as_str(),
                    "created_at": stored.created_at,
                }))
            } else {
                say(
                    Msg::new("wf-cli-token-rotated")
                        .num("company", company)
                        .arg("token", token.as_str()),
                    locale,
                );
                Ok(())
            }
        }
        TokenCommand::Show { company, json } => {
            let c = directory::company(ctx, company).await?;
            let token = ctx.store.company_token(c.id).await?;
            if json {
                out(&json!({"company_id": c.id, "token": token}))
            } else {
                match token {
                    Some(t) => println!("{} {}", t.created_at.to_rfc3339(), t.created_by),
                    None => say(Msg::new("wf-cli-token-none").num("company", c.id), locale),
                }
                Ok(())
            }
        }
    }
}

async fn registration(
    ctx: &Ctx<'_>,
    command: RegistrationCommand,
    locale: Locale,
    journeys: &crate::config::JourneySettings,
) -> WfResult<()> {
    let mut apa = None;
    let (id, to, note, reason, json) = match command {
        RegistrationCommand::Submit {
            company,
            applicant,
            name,
            lang,
            json,
        } => {
            let outcome =
                registrations::submit_registration(ctx, company, &applicant, name.as_deref(), lang)
                    .await?;
            let r = outcome.registration;
            return if json {
                out(&json!({"id": r.id, "status": r.status, "created": outcome.created}))
            } else {
                say(
                    Msg::new(if outcome.created {
                        "wf-cli-registration-submitted"
                    } else {
                        "wf-cli-registration-open"
                    })
                    .num("id", r.id)
                    .arg("company", r.company_name),
                    locale,
                );
                Ok(())
            };
        }
        RegistrationCommand::List {
            status,
            company,
            json,
        } => {
            let list = ctx
                .store
                .list_registrations(&RegistrationFilter {
                    company_id: company,
                    status: status.map(|s| s.as_str().to_string()),
                    applicant_id: None,
                })
                .await?;
            for r in list {
                if json {
                    out(&r)?;
                } else {
                    println!(
                        "{:>6}  {:<20} {:<30} {}",
                        r.id, r.status, r.applicant_ibm_id, r.company_name
                    );
                }
            }
            return Ok(());
        }
        RegistrationCommand::Show { id, json } => {
            let Some(r) = ctx.store.registration_by_id(id).await? else {
                return Err(WorkflowError::input(
                    Msg::new("wf-error-no-registration").arg("value", id.to_string()),
                ));
            };
            if json {
                out(&r)?;
            } else {
                println!(
                    "{} {} {} {} {}",
                    r.id,
                    r.status,
                    r.company_name,
                    r.applicant_ibm_id,
                    r.note.unwrap_or_default()
                );
            }
            return Ok(());
        }
        RegistrationCommand::Review { id, json } => {
            (id, RegistrationStatus::UnderReview, None, None, json)
        }
        RegistrationCommand::RequestDocuments { id, note, json } => (
            id,
            RegistrationStatus::DocumentsRequested,
            Some(note),
            None,
            json,
        ),
        RegistrationCommand::Complete {
            id,
            apa: named,
            json,
        } => {
            apa = named;
            (id, RegistrationStatus::Completed, None, None, json)
        }
        RegistrationCommand::DocumentsReceived { id, note, json } => {
            (id, RegistrationStatus::DocumentsReceived, note, None, json)
        }
        RegistrationCommand::Reject { id, reason, json } => {
            (id, RegistrationStatus::Rejected, None, reason, json)
        }
    };
    let options = registrations::ReviewOptions {
        apa: apa.as_deref(),
        journeys: Some(journeys),
    };
    let r = registrations::review_step(ctx, id, to, note, reason, options).await?;
    if json {
        out(&r)
    } else if to == RegistrationStatus::DocumentsReceived {
        say(
            Msg::new("jr-cli-documents-received")
                .num("id", r.id)
                .arg("company", r.company_name)
                .arg("applicant", r.applicant_ibm_id),
            locale,
        );
        Ok(())
    } else {
        say(
            Msg::new("wf-cli-registration-moved")
                .num("id", r.id)
                .arg("company", r.company_name)
                .label("status", format!("wf-reg-status-{}", r.status))
                .arg("applicant", r.applicant_ibm_id),
            locale,
        );
        Ok(())
    }
}

async fn join(ctx: &Ctx<'_>, command: JoinCommand, locale: Locale) -> WfResult<()> {
    let (id, approve, level, reason, json) = match command {
        JoinCommand::List {
            company,
            status,
            json,
        } => {
            let list = ctx
                .store
                .list_join_requests(&JoinFilter {
                    company_id: company,
                    status,
                    person_id: None,
                })
                .await?;
            for j in list {
                if json {
                    out(&j)?;
                } else {
                    println!(
                        "{:>6}  {:<9} {:<6} {:<30} {} / {} {}",
                        j.id,
                        j.status,
                        j.method,
                        j.person_ibm_id,
                        j.company_name,
                        j.location_name,
                        j.permission_level.unwrap_or_default()
                    );
                }
            }
            return Ok(());
        }
        JoinCommand::Approve { id, level, json } => (id, true, Some(level), None, json),
        JoinCommand::Reject { id, reason, json } => (id, false, None, Some(reason), json),
    };
    match joins::decide_join(ctx, id, approve, level, reason, None).await? {
        DecideOutcome::Decided(j) => {
            if json {
                out(&j)
            } else {
                say(
                    Msg::new("wf-cli-join-decided")
                        .num("id", j.id)
                        .arg("ibm_id", j.person_ibm_id)
                        .label("status", format!("wf-join-status-{}", j.status)),
                    locale,
                );
                Ok(())
            }
        }
        DecideOutcome::AlreadyDecided(j) => Err(WorkflowError::refused(
            Msg::new("wf-cli-join-already-decided")
                .num("id", j.id)
                .label("status", format!("wf-join-status-{}", j.status))
                .arg("by", j.decided_by.unwrap_or_default())
                .arg(
                    "date",
                    j.decided_at
                        .map(|at| crate::i18n::text::when(locale, at, chrono_tz::Tz::Asia__Tokyo))
                        .unwrap_or_default(),
                ),
        )),
        DecideOutcome::NotAuthorized(_) | DecideOutcome::NotFound => Err(WorkflowError::input(
            Msg::new("wf-error-no-request").arg("value", id.to_string()),
        )),
    }
}

async fn audit(ctx: &Ctx<'_>, command: AuditCommand) -> WfResult<()> {
    let AuditCommand::List {
        limit,
        action,
        actor,
        json,
    } = command;
    let mut entries = ctx
        .store
        .list_audit(&AuditFilter {
            action_prefix: action,
            actor,
            limit: limit.clamp(1, 100_000),
        })
        .await?;
    entries.reverse();
    for e in entries {
        if json {
            out(&e)?;
        } else {
            println!(
                "{} {:<8} {:<28} {:<24} {} {}",
                e.at.to_rfc3339(),
                e.channel,
                e.actor,
                e.action,
                e.subject,
                e.detail
            );
        }
    }
    Ok(())
}
