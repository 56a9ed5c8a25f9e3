//! `company`, `location`, `person` and `role`: the operators' commands for the directory of
//! companies, their locations, people and the roles people hold. `--json` makes every listing
//! one JSON object per line.

use clap::Subcommand;
use serde_json::json;

use super::args::{parse_level, parse_locale, parse_role};
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{GrantOutcome, RegistrationFilter, Role};
use crate::workflows::directory;
use crate::workflows::level::PermissionLevel;
use crate::workflows::service::{Ctx, WfResult};

use super::output::{out, say};

#[derive(Debug, Subcommand)]
pub enum CompanyCommand {
    /// Add a company; prints its id.
    Add {
        #[arg(long)]
        name: String,
        /// The company's language.
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        /// IBM customer number.
        #[arg(long)]
        icn: Option<String>,
        #[arg(long)]
        site_number: Option<String>,
        /// Mark it as still registering (its registration is under review).
        #[arg(long)]
        registering: bool,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// A company with its locations, people, token state and registrations.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LocationCommand {
    Add {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person, or update the name, language and zone of the one with that IBM ID.
    Add {
        #[arg(long = "ibm-id")]
        ibm_id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_locale)]
        lang: Option<Locale>,
        #[arg(long, default_value = "Asia/Tokyo")]
        tz: String,
        #[arg(long)]
        json: bool,
    },
    /// A person with their roles.
    Show {
        ibm_id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    Grant {
        #[arg(long = "ibm-id")]
        ibm_id: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        location: Option<i64>,
        /// Permission level (members): basic, standard, administrator.
        #[arg(long, value_parser = parse_level)]
        level: Option<PermissionLevel>,
        /// Granting primary-contact while someone else holds it: the role the previous holder
        /// keeps (member or technical-contact). Without it such a grant is refused.
        #[arg(long, value_parser = parse_role)]
        handover: Option<Role>,
        #[arg(long)]
        json: bool,
    },
    Revoke {
        #[arg(long = "ibm-id")]
        ibm_id: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Roles of a company.
    List {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn company(ctx: &Ctx<'_>, command: CompanyCommand, locale: Locale) -> WfResult<()> {
    match command {
        CompanyCommand::Add {
            name,
            lang,
            icn,
            site_number,
            registering,
            json,
        } => {
            let c = directory::add_company(
                ctx,
                &name,
                lang.unwrap_or_default(),
                icn,
                site_number,
                registering,
            )
            .await?;
            if json {
                out(&json!({"id": c.id, "name": c.name, "status": c.status}))
            } else {
                say(
                    Msg::new("wf-cli-company-added")
                        .num("id", c.id)
                        .arg("name", c.name),
                    locale,
                );
                Ok(())
            }
        }
        CompanyCommand::List { json } => {
            for c in ctx.store.list_companies().await? {
                if json {
                    out(&c)?;
                } else {
                    println!("{:>6}  {:<12} {:<3} {}", c.id, c.status, c.locale, c.name);
                }
            }
            Ok(())
        }
        CompanyCommand::Show { id, json } => {
            let c = directory::company(ctx, id).await?;
            let locations = ctx.store.locations(c.id).await?;
            let members = ctx.store.company_members(c.id).await?;
            let token = ctx.store.company_token(c.id).await?;
            let registrations = ctx
                .store
                .list_registrations(&RegistrationFilter {
                    company_id: Some(c.id),
                    ..RegistrationFilter::default()
                })
                .await?;
            if json {
                out(&json!({
                    "company": c,
                    "locations": locations,
                    "members": members,
                    "token": token,
                    "registrations": registrations,
                }))
            } else {
                println!("{} (#{}) {} {}", c.name, c.id, c.status, c.locale);
                for l in &locations {
                    println!("  location {:>5}  {}", l.id, l.name);
                }
                for m in &members {
                    println!(
                        "  {:<18} {} <{}> {} {}",
                        m.role,
                        m.name,
                        m.ibm_id,
                        m.location_name.clone().unwrap_or_default(),
                        m.permission_level.clone().unwrap_or_default()
                    );
                }
                match &token {
                    Some(t) => println!("  token: {} {}", t.created_at.to_rfc3339(), t.created_by),
                    None => println!("  token: -"),
                }
                for r in &registrations {
                    println!(
                        "  registration {:>5}  {} {}",
                        r.id, r.status, r.applicant_ibm_id
                    );
                }
                Ok(())
            }
        }
    }
}

pub async fn location(ctx: &Ctx<'_>, command: LocationCommand, locale: Locale) -> WfResult<()> {
    match command {
        LocationCommand::Add {
            company,
            name,
            json,
        } => {
            let l = directory::add_location(ctx, company, &name).await?;
            if json {
                out(&json!({"id": l.id, "company_id": l.company_id, "name": l.name}))
            } else {
                say(
                    Msg::new("wf-cli-location-added")
                        .num("id", l.id)
                        .arg("name", l.name),
                    locale,
                );
                Ok(())
            }
        }
        LocationCommand::List { company, json } => {
            let c = directory::company(ctx, company).await?;
            for l in ctx.store.locations(c.id).await? {
                if json {
                    out(&l)?;
                } else {
                    println!("{:>6}  {}", l.id, l.name);
                }
            }
            Ok(())
        }
    }
}

pub async fn person(ctx: &Ctx<'_>, command: PersonCommand, locale: Locale) -> WfResult<()> {
    match command {
        PersonCommand::Add {
            ibm_id,
            name,
            lang,
            tz,
            json,
        } => {
            let new = directory::new_person(&ibm_id, &name, lang.unwrap_or_default(), &tz)?;
            let p = directory::add_person(ctx, &new).await?;
            if json {
                out(&json!({"id": p.id, "ibm_id": p.ibm_id}))
            } else {
                say(
                    Msg::new("wf-cli-person-saved")
                        .num("id", p.id)
                        .arg("ibm_id", p.ibm_id),
                    locale,
                );
                Ok(())
            }
        }
        PersonCommand::Show { ibm_id, json } => {
            let p = directory::person(ctx, &ibm_id).await?;
            let roles = ctx.store.roles_of(p.id).await?;
            if json {
                out(&json!({"person": p, "roles": roles}))
            } else {
                println!("{} <{}> {} {}", p.name, p.ibm_id, p.locale, p.time_zone);
                for r in roles {
                    println!(
                        "  {:<18} company {} {} {}",
                        r.role,
                        r.company_id.map(|c| c.to_string()).unwrap_or("-".into()),
                        r.location_name.unwrap_or_default(),
                        r.permission_level.unwrap_or_default()
                    );
                }
                Ok(())
            }
        }
    }
}

pub async fn role(ctx: &Ctx<'_>, command: RoleCommand, locale: Locale) -> WfResult<()> {
    match command {
        RoleCommand::Grant {
            ibm_id,
            role,
            company,
            location,
            level,
            handover,
            json,
        } => {
            let outcome = directory::grant_role_with_handover(
                ctx, &ibm_id, role, company, location, level, handover,
            )
            .await?;
            let (membership, new) = match outcome {
                GrantOutcome::Granted(m) => (m, true),
                GrantOutcome::AlreadyHeld(m) => (m, false),
            };
            if json {
                out(&json!({"id": membership.id, "granted": new, "membership": membership}))
            } else {
                say(
                    Msg::new(if new {
                        "wf-cli-role-granted"
                    } else {
                        "wf-cli-role-held"
                    })
                    .arg("ibm_id", ibm_id.trim().to_lowercase())
                    .label("role", format!("wf-role-{}", role.as_str())),
                    locale,
                );
                Ok(())
            }
        }
        RoleCommand::Revoke {
            ibm_id,
            role,
            company,
            json,
        } => {
            let revoked = directory::revoke_role(ctx, &ibm_id, role, company).await?;
            if json {
                out(&json!({"revoked": revoked}))
            } else {
                say(
                    Msg::new(if revoked {
                        "wf-cli-role-revoked"
                    } else {
                        "wf-cli-role-not-held"
                    })
                    .arg("ibm_id", ibm_id.trim().to_lowercase())
                    .label("role", format!("wf-role-{}", role.as_str())),
                    locale,
                );
                Ok(())
            }
        }
        RoleCommand::List { company, json } => {
            let c = directory::company(ctx, company).await?;
            for m in ctx.store.company_members(c.id).await? {
                if json {
                    out(&m)?;
                } else {
                    println!(
                        "{:<18} {} <{}> {} {}",
                        m.role,
                        m.name,
                        m.ibm_id,
                        m.location_name.unwrap_or_default(),
                        m.permission_level.unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
    }
}
