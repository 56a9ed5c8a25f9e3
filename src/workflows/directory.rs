//! Companies, locations, people and their roles: lookups by id or name, additions with their
//! validation, and role grants with their scope rules (an admin has no company; every other
//! role has one).

use super::level::PermissionLevel;
use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{
    Company, GrantOutcome, Location, NewCompany, NewPerson, Person, Role, RoleGrant,
};

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

/// The company whose name is `name` when spaces, case, full- or half-width forms and invisible
/// characters are ignored ([`validate::name_key`]): `/register company:ａｌｐｈａ kk` finds
/// "Alpha KK". Companies are few (one per partner), so they are compared here, not in SQL.
pub async fn company_named_like(ctx: &Ctx<'_>, name: &str) -> WfResult<Option<Company>> {
    let key = validate::name_key(name);
    Ok(ctx
        .store
        .list_companies()
        .await?
        .into_iter()
        .find(|c| validate::name_key(&c.name) == key))
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
    let key = validate::name_key(&name);
    if let Some(same) = existing.iter().find(|l| validate::name_key(&l.name) == key) {
        return Err(WorkflowError::refused(
            Msg::new("wf-error-location-exists")
                .arg("company", company.name)
                .arg("location", same.name.clone()),
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
    grant_role_with_handover(ctx, ibm_id, role, company_id, location_id, level, None).await
}

/// [`grant_role`], where granting primary-contact while another person holds it is explicit:
/// without `handover` it is refused ("revoke them first"); with it (member or
/// technical-contact) the holder gets that role, loses primary-contact, and both are told,
/// each change audited.
pub async fn grant_role_with_handover(
    ctx: &Ctx<'_>,
    ibm_id: &str,
    role: Role,
    company_id: Option<i64>,
    location_id: Option<i64>,
    level: Option<PermissionLevel>,
    handover: Option<Role>,
) -> WfResult<GrantOutcome> {
    check_role_scope(role, company_id)?;
    let person = person(ctx, ibm_id).await?;
    if let (Role::PrimaryContact, Some(company_id)) = (role, company_id) {
        let holder = ctx
            .store
            .company_members(company_id)
            .await?
            .into_iter()
            .find(|m| m.role() == Some(Role::PrimaryContact) && m.person_id != person.id);
        if let Some(holder) = holder {
            let company = company(ctx, company_id).await?;
            let Some(fallback) = handover else {
                return Err(WorkflowError::refused(
                    Msg::new("jr-error-primary-held")
                        .arg("company", company.name)
                        .num("company_id", company_id)
                        .arg("holder", holder.name)
                        .arg("holder_id", holder.ibm_id),
                ));
            };
            if !matches!(fallback, Role::Member | Role::TechnicalContact) {
                return Err(WorkflowError::input(
                    Msg::new("jr-error-handover-role").arg("value", fallback.as_str()),
                ));
            }
            let demoted = RoleGrant {
                person_id: holder.person_id,
                role: fallback,
                company_id: Some(company_id),
                location_id: holder.location_id,
                permission_level: None,
            };
            ctx.store
                .grant_role_audited(&demoted, &ctx.actor, ctx.now)
                .await?;
            ctx.store
                .revoke_role_audited(
                    holder.person_id,
                    Role::PrimaryContact,
                    Some(company_id),
                    &ctx.actor,
                    ctx.now,
                )
                .await?;
            for message in super::notices::handover(&company, &holder, &person, fallback, ctx.now) {
                ctx.store.enqueue(&message, ctx.now).await?;
            }
        }
    }
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
