//! The identity link rule, whole: a chat account proves it owns an IBM ID with a six-digit code
//! mailed to that ID. A code is valid for 10 minutes and 5 tries; an account gets at most 5
//! codes an hour, and one IBM ID at most 3 code mails an hour. The limits, the code's making and the refusal wording are here;
//! `store::links` applies them atomically, and writes the code's mail in the same transaction.

use chrono::{DateTime, Duration, Utc};

use super::notices;
use super::service::{Ctx, WfResult, WorkflowError};
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::secret;
use crate::store::{LinkAttempt, LinkCodeOutcome, NewLinkCode, NewPerson, Person, VerifyOutcome};

/// A link code is valid for 10 minutes and 5 tries; at most 5 codes per account per hour.
pub const LINK_CODE_MINUTES: i64 = 10;
pub const LINK_CODE_TRIES: i64 = 5;
pub const LINK_CODES_PER_HOUR: i64 = 5;
/// At most 3 code mails an hour to one IBM ID, whichever chat accounts ask: nobody's inbox can
/// be flooded from many accounts.
pub const LINK_CODES_PER_IBM_ID_PER_HOUR: i64 = 3;

/// Mails a fresh code for `platform_id` to `ibm_id` (in `locale`); returns what to tell the
/// account. `when` words an instant in the user's language and zone.
pub async fn request_code(
    ctx: &Ctx<'_>,
    platform_id: &str,
    ibm_id: &str,
    locale: Locale,
    when: impl Fn(DateTime<Utc>) -> String,
) -> WfResult<Msg> {
    let code = secret::link_code();
    let new = NewLinkCode {
        platform_id: platform_id.to_string(),
        ibm_id: ibm_id.to_string(),
        code_hash: secret::link_code_hash(platform_id, &code),
        expires_at: ctx.now + Duration::minutes(LINK_CODE_MINUTES),
        max_per_hour: LINK_CODES_PER_HOUR,
        max_per_target_per_hour: LINK_CODES_PER_IBM_ID_PER_HOUR,
    };
    let now = ctx.now;
    let render = |id: &i64| notices::link_code(ibm_id, &code, locale, *id, now);
    match ctx
        .store
        .create_link_code(&new, &ctx.actor, ctx.now, &render)
        .await?
    {
        LinkCodeOutcome::Sent(_) => Ok(Msg::new("wf-chat-link-sent")
            .arg("ibm_id", ibm_id.to_string())
            .num("minutes", LINK_CODE_MINUTES)
            .num("tries", LINK_CODE_TRIES)),
        LinkCodeOutcome::TooMany { retry_after } => Err(WorkflowError::refused(
            Msg::new("wf-chat-link-too-many").arg("until", when(retry_after)),
        )),
    }
}

/// Checks a typed code for `platform_id`; on success the account is linked to the code's
/// person (created from `new_person` when the IBM ID is new) and that person is returned.
pub async fn verify_code(
    ctx: &Ctx<'_>,
    platform_id: &str,
    typed: &str,
    new_person: NewPerson,
) -> WfResult<Person> {
    let attempt = LinkAttempt {
        platform_id: platform_id.to_string(),
        code_hash: secret::link_code_hash(platform_id, typed),
        max_tries: LINK_CODE_TRIES,
        new_person,
    };
    match ctx
        .store
        .verify_link_code(&attempt, &ctx.actor, ctx.now)
        .await?
    {
        VerifyOutcome::Linked(person) => Ok(person),
        // The last wrong try says the code is used up, not "0 tries left".
        VerifyOutcome::Wrong { remaining: 0 } | VerifyOutcome::TooManyTries => {
            Err(WorkflowError::refused(Msg::new("wf-chat-verify-too-many")))
        }
        VerifyOutcome::Wrong { remaining } => Err(WorkflowError::refused(
            Msg::new("wf-chat-verify-wrong").num("remaining", remaining),
        )),
        VerifyOutcome::Expired => Err(WorkflowError::refused(Msg::new("wf-chat-verify-expired"))),
        VerifyOutcome::NoCode => Err(WorkflowError::refused(Msg::new("wf-chat-verify-none"))),
    }
}
