//! The company token rule, whole: a token is shown once and stored hashed; five wrong entries
//! within an hour lock the user out of token entry for an hour; a correct entry lets its user
//! pick a location for 30 minutes; 100 wrong entries an hour from all users together pause token
//! entry for everyone. The limits, the entry and the refusal wording are here;
//! `store::tokens` applies the limits atomically in one transaction.

use chrono::{DateTime, Duration, Utc};

use super::directory::company;
use super::service::{Ctx, WfResult, WorkflowError};
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::secret::{self, CompanyToken};
use crate::store::{Company, CompanyToken as StoredToken, Location, TokenEntry, TokenOutcome};

/// Five failed token entries within an hour lock a user out of token entry for an hour.
pub const TOKEN_MAX_FAILURES: i64 = 5;
pub const TOKEN_WINDOW_MINUTES: i64 = 60;
pub const TOKEN_LOCKOUT_MINUTES: i64 = 60;
/// The design limits wrong entries per company as well as per user. A wrong token names no
/// company, so all companies share one budget: after 100 wrong entries within the window from
/// all users together, token entry pauses for everyone until the window has room again (APAs
/// can still add members directly).
pub const TOKEN_MAX_FAILURES_ALL_USERS: i64 = 100;
/// How long a correct token lets its user pick a location.
pub const PICK_MINUTES: i64 = 30;

pub async fn rotate_token(ctx: &Ctx<'_>, company_id: i64) -> WfResult<(CompanyToken, StoredToken)> {
    let company = company(ctx, company_id).await?;
    let token = CompanyToken::generate();
    let stored = ctx
        .store
        .rotate_company_token(company.id, &token.hash(), &ctx.actor, ctx.now)
        .await?;
    Ok((token, stored))
}

/// One token entry by `actor_key` (an IBM ID): the company and its locations to pick from,
/// or the refusal (wrong, locked out now, or already locked out) worded with the limits above.
/// `when` words an instant in the user's language and zone.
pub async fn enter_token(
    ctx: &Ctx<'_>,
    actor_key: &str,
    typed: &str,
    profile_name: Option<String>,
    profile_locale: Option<Locale>,
    when: impl Fn(DateTime<Utc>) -> String,
) -> WfResult<(Company, Vec<Location>)> {
    let entry = TokenEntry {
        actor_key: actor_key.to_lowercase(),
        token_hash: secret::token_entry_hash(typed),
        profile_name,
        profile_locale: profile_locale.map(|l| l.code().to_string()),
        max_failures: TOKEN_MAX_FAILURES,
        window: Duration::minutes(TOKEN_WINDOW_MINUTES),
        lockout: Duration::minutes(TOKEN_LOCKOUT_MINUTES),
        grant_ttl: Duration::minutes(PICK_MINUTES),
        max_failures_all_users: TOKEN_MAX_FAILURES_ALL_USERS,
    };
    let refusal = match ctx
        .store
        .enter_company_token(&entry, &ctx.actor, ctx.now)
        .await?
    {
        TokenOutcome::Accepted { company, locations } => return Ok((company, locations)),
        TokenOutcome::Rejected {
            locked_until: Some(until),
            ..
        } => Msg::new("wf-chat-token-locked-now")
            .num("max", TOKEN_MAX_FAILURES)
            .arg("until", when(until)),
        TokenOutcome::Rejected { failures, .. } => {
            Msg::new("wf-chat-token-wrong").num("remaining", (TOKEN_MAX_FAILURES - failures).max(0))
        }
        TokenOutcome::Locked { until } => {
            Msg::new("wf-chat-token-locked").arg("until", when(until))
        }
        TokenOutcome::Paused { until } => {
            Msg::new("wf-chat-token-paused").arg("until", when(until))
        }
    };
    Err(WorkflowError::refused(refusal))
}

/// Shows the company token made on completion, once, to the APA it waits for: a fresh token
/// replaces the hash stored at completion (whose plaintext nobody saw). `None` when nothing
/// waits for that person (already shown, or rotated since).
pub async fn reveal_token(
    ctx: &Ctx<'_>,
    company_id: i64,
    person_id: i64,
) -> WfResult<Option<CompanyToken>> {
    let token = CompanyToken::generate();
    let shown = ctx
        .store
        .reveal_company_token(company_id, person_id, &token.hash(), &ctx.actor, ctx.now)
        .await?;
    Ok(shown.then_some(token))
}
