//! Registration review: a registrant submits a company, and a reviewer moves it through
//! `under-review`, `documents-requested`, `completed` or `rejected`, with the applicant told at
//! each step.

use super::directory::{company, new_person};
use super::notices;
use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{
    RegistrationFilter, RegistrationStatus, RegistrationStep, SubmitOutcome, TransitionOutcome,
};

/// Registrations one applicant (a linked chat account's IBM ID) may have open at once: enough
/// for a group of companies, and no more companies created from one account than that.
pub const OPEN_REGISTRATIONS_PER_APPLICANT: usize = 3;

/// Refuses a new registration from `ibm_id` while it has
/// [`OPEN_REGISTRATIONS_PER_APPLICANT`] registrations not yet completed or rejected.
pub async fn check_open_registrations(ctx: &Ctx<'_>, ibm_id: &str) -> WfResult<()> {
    let Some(person) = ctx.store.person_by_ibm_id(&ibm_id.to_lowercase()).await? else {
        return Ok(());
    };
    let mut open = 0;
    for status in [
        RegistrationStatus::Submitted,
        RegistrationStatus::UnderReview,
        RegistrationStatus::DocumentsRequested,
    ] {
        let filter = RegistrationFilter {
            company_id: None,
            status: Some(status.as_str().to_string()),
            applicant_id: Some(person.id),
        };
        open += ctx.store.list_registrations(&filter).await?.len();
    }
    if open >= OPEN_REGISTRATIONS_PER_APPLICANT {
        return Err(WorkflowError::refused(
            Msg::new("wf-chat-register-too-many")
                .num("max", OPEN_REGISTRATIONS_PER_APPLICANT as i64),
        ));
    }
    Ok(())
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
