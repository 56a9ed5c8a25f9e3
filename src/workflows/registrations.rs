//! Registration review: a registrant submits a company, and a reviewer moves it through
//! `under-review`, `documents-requested`, `completed` or `rejected`, with the applicant told at
//! each step.

use super::directory::{company, new_person};
use super::level::PermissionLevel;
use super::notices;
use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::config::JourneySettings;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::secret::CompanyToken;
use crate::store::{
    Completion, RegistrationFilter, RegistrationStatus, RegistrationStep, StepExtras,
    SubmitOutcome, TransitionOutcome,
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

/// What a review step may name beyond the status: the APA on completion (an IBM ID; the
/// registrant when `None`) and the journeys' settings (where documents go).
#[derive(Debug, Default, Clone, Copy)]
pub struct ReviewOptions<'a> {
    pub apa: Option<&'a str>,
    pub journeys: Option<&'a JourneySettings>,
}

/// Records a company's application with its applicant (created when not known yet).
pub async fn submit_registration(
    ctx: &Ctx<'_>,
    company_id: i64,
    applicant: &str,
    name: Option<&str>,
    locale: Option<Locale>,
) -> WfResult<SubmitOutcome> {
    submit_registration_at(ctx, company_id, applicant, name, locale, None).await
}

/// [`submit_registration`] with the first location the registrant gave; a name given for a
/// known applicant whose stored name is only a stand-in becomes their registered name.
pub async fn submit_registration_at(
    ctx: &Ctx<'_>,
    company_id: i64,
    applicant: &str,
    name: Option<&str>,
    locale: Option<Locale>,
    location: Option<&str>,
) -> WfResult<SubmitOutcome> {
    let location = location.map(validate::location_name).transpose()?;
    let company = company(ctx, company_id).await?;
    let ibm_id = validate::ibm_id(applicant)?;
    let person = match ctx.store.person_by_ibm_id(&ibm_id).await? {
        Some(p) => match name {
            Some(given) if notices::registered_name(&p.name, &p.ibm_id).is_none() => {
                let given = validate::person_name(given)?;
                ctx.store
                    .update_profile(p.id, &given, &p.locale, &ctx.actor, ctx.now)
                    .await?
                    .unwrap_or(p)
            }
            _ => p,
        },
        None => {
            let default_name = ibm_id.split('@').next().unwrap_or(&ibm_id).to_string();
            let locale = locale.unwrap_or_else(|| crate::i18n::text::locale_of(&company.locale));
            let new = new_person(&ibm_id, name.unwrap_or(&default_name), locale, "Asia/Tokyo")?;
            ctx.store.add_person(&new, &ctx.actor, ctx.now).await?
        }
    };
    Ok(ctx
        .store
        .submit_registration_at(
            company.id,
            person.id,
            location.as_deref(),
            &ctx.actor,
            ctx.now,
        )
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
    review_step(ctx, id, to, note, reason, ReviewOptions::default()).await
}

/// One review step with its options. Requesting documents needs somewhere to send them (from
/// the configuration); completing makes the registrant a member, the APA (or the person the
/// reviewer named), the first location and a company token shown once to the APA in chat.
pub async fn review_step(
    ctx: &Ctx<'_>,
    id: i64,
    to: RegistrationStatus,
    note: Option<String>,
    reason: Option<String>,
    options: ReviewOptions<'_>,
) -> WfResult<crate::store::Registration> {
    let mut extras = StepExtras::default();
    if to == RegistrationStatus::DocumentsRequested {
        if let Some(journeys) = options.journeys {
            let Some(destination) = &journeys.documents else {
                return Err(WorkflowError::input(Msg::new(
                    "jr-error-documents-destination",
                )));
            };
            if !journeys.documents_step {
                return Err(WorkflowError::refused(Msg::new(
                    "jr-error-documents-step-off",
                )));
            }
            extras.documents_to = serde_json::to_string(destination).ok();
        }
    }
    if to == RegistrationStatus::Completed {
        let Some(current) = ctx.store.registration_by_id(id).await? else {
            return Err(WorkflowError::input(
                Msg::new("wf-error-no-registration").arg("value", id.to_string()),
            ));
        };
        let apa_person_id = match options.apa {
            None => current.applicant_id,
            Some(raw) => {
                let ibm_id = validate::ibm_id(raw)?;
                match ctx.store.person_by_ibm_id(&ibm_id).await? {
                    Some(p) => p.id,
                    None => {
                        return Err(WorkflowError::input(
                            Msg::new("jr-error-no-apa-person").arg("ibm_id", ibm_id),
                        ))
                    }
                }
            }
        };
        extras.completion = Some(Completion {
            apa_person_id,
            // The plaintext is dropped here: the APA is shown a fresh token once, in chat.
            token_hash: CompanyToken::generate().hash(),
            default_location: current.company_name.chars().take(100).collect(),
            level: PermissionLevel::Administrator.as_str().to_string(),
        });
    }
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
        RegistrationStatus::DocumentsReceived => notices::registration_documents_received(r, now),
        RegistrationStatus::Completed => notices::registration_completed(r, now),
        RegistrationStatus::Rejected => notices::registration_rejected(r, now),
        _ => Vec::new(),
    };
    match ctx
        .store
        .move_registration_with(&step, &extras, &ctx.actor, ctx.now, &render)
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
