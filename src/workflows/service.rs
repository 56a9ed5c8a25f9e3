//! The use cases behind the chat commands and the admin CLI. Each takes the store, the acting
//! identity and the instant as parameters; authorization comes from the database; refusals
//! are localized messages (`Msg`), store failures are passed up.

use chrono::{DateTime, Duration, Utc};

use super::level::PermissionLevel;
use super::notices;
use super::secret::{self, CompanyToken};
use super::validate;
use crate::error::Failure;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{
    Actor, Company, CompanyToken as StoredToken, DecideOutcome, GrantOutcome, JoinDecision,
    Location, NewCompany, NewPerson, Person, RegistrationStatus, RegistrationStep, Role, RoleGrant,
    Store, StoreError, SubmitOutcome, TokenEntry, TokenOutcome, TransitionOutcome,
};

/// Five failed token entries within an hour lock a user out of token entry for an hour.
pub const TOKEN_MAX_FAILURES: i64 = 5;
pub const TOKEN_WINDOW_MINUTES: i64 = 60;
pub const TOKEN_LOCKOUT_MINUTES: i64 = 60;
/// How long a correct token lets its user pick a location.
pub const PICK_MINUTES: i64 = 30;
/// A link code is valid for 10 minutes and 5 tries; at most 5 codes per account per hour.
pub const LINK_CODE_MINUTES: i64 = 10;
pub const LINK_CODE_TRIES: i64 = 5;
pub const LINK_CODES_PER_HOUR: i64 = 5;

/// Why a workflow step did not happen.
#[derive(Debug)]
pub enum WorkflowError {
    /// Bad input (exit 2 on the CLI).
    Input(Msg),
    /// Not allowed or not possible in the current state (exit 1 on the CLI).
    Refused(Msg),
    Store(StoreError),
}

impl From<StoreError> for WorkflowError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl WorkflowError {
    pub fn input(msg: Msg) -> Self {
        Self::Input(msg)
    }

    pub fn refused(msg: Msg) -> Self {
        Self::Refused(msg)
    }

    pub fn render(&self, locale: Locale) -> String {
        match self {
            Self::Input(m) | Self::Refused(m) => m.render(locale),
            Self::Store(e) => {
                tracing::error!(error = %e, "workflow store failure");
                crate::i18n::tr(locale, "error-internal", &[])
            }
        }
    }

    pub fn into_failure(self, locale: Locale) -> Failure {
        match &self {
            Self::Input(_) => Failure::usage(self.render(locale)),
            Self::Refused(_) => Failure::runtime(self.render(locale)),
            Self::Store(e) => Failure::runtime(e.to_string()),
        }
    }
}

pub type WfResult<T> = Result<T, WorkflowError>;

impl From<Msg> for WorkflowError {
    fn from(m: Msg) -> Self {
        Self::Input(m)
    }
}

/// The store, who acts, and when.
pub struct Ctx<'a> {
    pub store: &'a dyn Store,
    pub actor: Actor,
    pub now: DateTime<Utc>,
}

pub async fn company(ctx: &Ctx<'_>, id: i64) -> WfResult<Company> {
    ctx.store.company(id).await?.ok_or_else(|| {
        WorkflowError::input(Msg::new("wf-error-no-company").arg("value", id.to_string()))
    })
}

/// A company by id or exact name.
pub async fn company_by_ref(ctx: &Ctx<'_>, text: &str) -> WfResult<Company> {
    let text = text.trim();
    if let Ok(id) = text.trim_start_matches('#').parse::<i64>() {
        if let Some(c) = ctx.store.company(id).await? {
            return Ok(c);
        }
    }
    ctx.store
        .find_company_by_name(text)
        .await?
        .ok_or_else(|| WorkflowError::input(Msg::new("wf-error-no-company").arg("value", text)))
}

pub async fn person(ctx: &Ctx<'_>, ibm_id: &str) -> WfResult<Person> {
    let ibm_id = validate::ibm_id(ibm_id)?;
    ctx.store
        .person_by_ibm_id(&ibm_id)
        .await?
        .ok_or_else(|| WorkflowError::input(Msg::new("wf-error-no-person").arg("ibm_id", ibm_id)))
}

pub async fn add_company(
    ctx: &Ctx<'_>,
    name: &str,
    locale: Locale,
    icn: Option<String>,
    site_number: Option<String>,
    registering: bool,
) -> WfResult<Company> {
    let name = validate::company_name(name)?;
    let clean = |v: Option<String>| -> WfResult<Option<String>> {
        match v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            Some(v) if v.chars().any(char::is_control) || v.len() > 64 => {
                Err(WorkflowError::input(
                    Msg::new("wf-error-bad-number").arg("value", crate::i18n::text::one_line(&v)),
                ))
            }
            other => Ok(other),
        }
    };
    let new = NewCompany {
        name,
        icn: clean(icn)?,
        site_number: clean(site_number)?,
        status: if registering { "registering" } else { "active" }.into(),
        locale: locale.code().into(),
    };
    Ok(ctx.store.add_company(&new, &ctx.actor, ctx.now).await?)
}

pub async fn add_location(ctx: &Ctx<'_>, company_id: i64, name: &str) -> WfResult<Location> {
    let name = validate::location_name(name)?;
    let company = company(ctx, company_id).await?;
    let existing = ctx.store.locations(company.id).await?;
    if existing.iter().any(|l| l.name == name) {
        return Err(WorkflowError::refused(
            Msg::new("wf-error-location-exists")
                .arg("company", company.name)
                .arg("location", name),
        ));
    }
    Ok(ctx
        .store
        .add_location(company.id, &name, &ctx.actor, ctx.now)
        .await?)
}

pub fn new_person(
    ibm_id: &str,
    name: &str,
    locale: Locale,
    time_zone: &str,
) -> WfResult<NewPerson> {
    let ibm_id = validate::ibm_id(ibm_id)?;
    let name = validate::person_name(name)?;
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(WorkflowError::input(
            Msg::new("wf-error-bad-zone").arg("value", crate::i18n::text::one_line(time_zone)),
        ));
    }
    Ok(NewPerson {
        ibm_id,
        name,
        locale: locale.code().into(),
        time_zone: time_zone.into(),
    })
}

pub async fn add_person(ctx: &Ctx<'_>, new: &NewPerson) -> WfResult<Person> {
    Ok(ctx.store.add_person(new, &ctx.actor, ctx.now).await?)
}

/// What a role needs: APA, member and the contacts belong to a company; admin to none.
fn check_role_scope(role: Role, company: Option<i64>) -> WfResult<()> {
    let needs_company = matches!(
        role,
        Role::Apa | Role::Member | Role::PrimaryContact | Role::TechnicalContact
    );
    if needs_company && company.is_none() {
        return Err(WorkflowError::input(
            Msg::new("wf-error-role-needs-company")
                .label("role", format!("wf-role-{}", role.as_str())),
        ));
    }
    if role == Role::Admin && company.is_some() {
        return Err(WorkflowError::input(Msg::new("wf-error-admin-no-company")));
    }
    Ok(())
}

pub async fn grant_role(
    ctx: &Ctx<'_>,
    ibm_id: &str,
    role: Role,
    company_id: Option<i64>,
    location_id: Option<i64>,
    level: Option<PermissionLevel>,
) -> WfResult<GrantOutcome> {
    check_role_scope(role, company_id)?;
    let person = person(ctx, ibm_id).await?;
    if let Some(id) = company_id {
        company(ctx, id).await?;
    }
    if let Some(location) = location_id {
        let found = ctx.store.location_by_id(location).await?;
        if found.is_none_or(|l| Some(l.company_id) != company_id) {
            return Err(WorkflowError::input(
                Msg::new("wf-error-no-location").arg("value", location.to_string()),
            ));
        }
    }
    let grant = RoleGrant {
        person_id: person.id,
        role,
        company_id,
        location_id,
        permission_level: level.map(|l| l.as_str().to_string()),
    };
    Ok(ctx
        .store
        .grant_role_audited(&grant, &ctx.actor, ctx.now)
        .await?)
}

pub async fn revoke_role(
    ctx: &Ctx<'_>,
    ibm_id: &str,
    role: Role,
    company_id: Option<i64>,
) -> WfResult<bool> {
    let person = person(ctx, ibm_id).await?;
    Ok(ctx
        .store
        .revoke_role_audited(person.id, role, company_id, &ctx.actor, ctx.now)
        .await?)
}

/// Creates or replaces the company token; the caller shows it once.
pub async fn rotate_token(ctx: &Ctx<'_>, company_id: i64) -> WfResult<(CompanyToken, StoredToken)> {
    let company = company(ctx, company_id).await?;
    let token = CompanyToken::generate();
    let stored = ctx
        .store
        .rotate_company_token(company.id, &token.hash(), &ctx.actor, ctx.now)
        .await?;
    Ok((token, stored))
}

/// One token entry by `actor_key` (an IBM ID).
pub async fn enter_token(
    ctx: &Ctx<'_>,
    actor_key: &str,
    typed: &str,
    profile_name: Option<String>,
    profile_locale: Option<Locale>,
) -> WfResult<TokenOutcome> {
    let entry = TokenEntry {
        actor_key: actor_key.to_lowercase(),
        token_hash: secret::token_entry_hash(typed),
        profile_name,
        profile_locale: profile_locale.map(|l| l.code().to_string()),
        max_failures: TOKEN_MAX_FAILURES,
        window: Duration::minutes(TOKEN_WINDOW_MINUTES),
        lockout: Duration::minutes(TOKEN_LOCKOUT_MINUTES),
        grant_ttl: Duration::minutes(PICK_MINUTES),
    };
    Ok(ctx
        .store
        .enter_company_token(&entry, &ctx.actor, ctx.now)
        .await?)
}

/// Approves (with a level) or rejects (with a reason) a join request. `require_apa`: the
/// person who must be an APA of the request's company (chat); `None` for operators.
pub async fn decide_join(
    ctx: &Ctx<'_>,
    request_id: i64,
    approve: bool,
    level: Option<PermissionLevel>,
    reason: Option<String>,
    require_apa: Option<i64>,
) -> WfResult<DecideOutcome> {
    if approve && level.is_none() {
        return Err(WorkflowError::input(
            Msg::new("wf-error-level-needed").arg("levels", PermissionLevel::words()),
        ));
    }
    let reason = match (approve, reason) {
        (false, Some(r)) => Some(validate::note(&r, "reason")?),
        (false, None) => {
            return Err(WorkflowError::input(
                Msg::new("wf-error-reason-needed").arg("id", request_id.to_string()),
            ))
        }
        (true, _) => None,
    };
    let decision = JoinDecision {
        request_id,
        approve,
        level: level.map(|l| l.as_str().to_string()),
        reason,
        require_apa,
    };
    let now = ctx.now;
    let render = move |r: &crate::store::JoinRequest| {
        if approve {
            notices::welcome(r, now)
        } else {
            notices::join_rejected(r, now)
        }
    };
    Ok(ctx
        .store
        .decide_join_request(&decision, &ctx.actor, ctx.now, &render)
        .await?)
}

/// Records a company's application with its applicant (created when not known yet).
pub async fn submit_registration(
    ctx: &Ctx<'_>,
    company_id: i64,
    applicant: &str,
    name: Option<&str>,
    locale: Option<Locale>,
) -> WfResult<SubmitOutcome> {
    let company = company(ctx, company_id).await?;
    let ibm_id = validate::ibm_id(applicant)?;
    let person = match ctx.store.person_by_ibm_id(&ibm_id).await? {
        Some(p) => p,
        None => {
            let default_name = ibm_id.split('@').next().unwrap_or(&ibm_id).to_string();
            let locale = locale.unwrap_or_else(|| crate::i18n::text::locale_of(&company.locale));
            let new = new_person(&ibm_id, name.unwrap_or(&default_name), locale, "Asia/Tokyo")?;
            ctx.store.add_person(&new, &ctx.actor, ctx.now).await?
        }
    };
    Ok(ctx
        .store
        .submit_registration(company.id, person.id, &ctx.actor, ctx.now)
        .await?)
}

/// Moves a registration through the review, mailing the applicant where the step calls for it.
pub async fn move_registration(
    ctx: &Ctx<'_>,
    id: i64,
    to: RegistrationStatus,
    note: Option<String>,
    reason: Option<String>,
) -> WfResult<crate::store::Registration> {
    let note = match (to, note) {
        (RegistrationStatus::DocumentsRequested, Some(n)) => Some(validate::note(&n, "note")?),
        (RegistrationStatus::DocumentsRequested, None) => {
            return Err(WorkflowError::input(Msg::new("wf-error-note-needed")))
        }
        (_, n) => n.map(|n| validate::note(&n, "note")).transpose()?,
    };
    let reason = reason.map(|r| validate::note(&r, "reason")).transpose()?;
    let step = RegistrationStep {
        id,
        to,
        note,
        reason,
    };
    let now = ctx.now;
    let render = move |r: &crate::store::Registration| match to {
        RegistrationStatus::DocumentsRequested => notices::registration_documents(r, now),
        RegistrationStatus::Completed => notices::registration_completed(r, now),
        RegistrationStatus::Rejected => notices::registration_rejected(r, now),
        _ => Vec::new(),
    };
    match ctx
        .store
        .move_registration(&step, &ctx.actor, ctx.now, &render)
        .await?
    {
        TransitionOutcome::Moved(r) => Ok(r),
        TransitionOutcome::NotFound => Err(WorkflowError::input(
            Msg::new("wf-error-no-registration").arg("value", id.to_string()),
        )),
        TransitionOutcome::NotAllowed(r) => Err(WorkflowError::refused(
            Msg::new("wf-error-registration-step")
                .arg("id", r.id.to_string())
                .arg("company", r.company_name)
                .label("from", format!("wf-reg-status-{}", r.status))
                .label("to", format!("wf-reg-status-{}", to.as_str())),
        )),
    }
}

/// The IBM ID of whoever runs the CLI: `operator:<unix user>`. USER or LOGNAME when set (not in
/// containers and cron jobs, as a rule), else the process's user from /proc and /etc/passwd,
/// so the audit log always says who acted.
pub fn operator() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(process_user)
        .unwrap_or_else(|| "unknown".into());
    Actor::new(format!("operator:{user}"), "cli")
}

/// The name of the real user id of this process (`uid-N` when /etc/passwd does not list it).
fn process_user() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    });
    Some(name.unwrap_or_else(|| format!("uid-{uid}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_user_is_known_without_user_or_logname() {
        let user = process_user().expect("a user id on Linux");
        assert!(!user.is_empty() && !user.contains(':'), "{user}");
    }
}
