//! The sales reps' calendar feed: each open contract's action deadline as an all-day event
//! with an alarm, in RFC 5545 (`icalendar`), served at a secret URL (`/calendar/<secret>.ics`)
//! that `partnerdesk rep calendar-url` prints once and `--rotate` replaces. The secret is
//! stored only hashed (`store::calendars`). The feed is built from the database on every
//! request, so a re-import or a `contract ack` shows at the calendar's next refresh.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use fluent_bundle::FluentValue;
use icalendar::{Alarm, Calendar, Component, Event, EventLike};
use partnerdesk_domain::renewal::RenewalPolicy;
use rand::distributions::{Alphanumeric, Distribution};
use rand::rngs::OsRng;

use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::format;
use crate::i18n::rules_text::renewal_text;
use crate::i18n::text::{locale_of, Msg};
use crate::i18n::{tr, Locale};
use crate::store::secret::token_entry_hash;
use crate::store::{Contract, NewAuditEntry, Store, StoreResult};

/// Characters of a feed secret (about 190 bits from the operating system's CSPRNG).
pub const SECRET_LEN: usize = 32;

/// How long before the deadline the calendar reminds the rep.
pub const ALARM_DAYS_BEFORE: i64 = 7;

/// The day a sales rep must act on a renewal by, per the renewal windows (seed 003 §5): before
/// the cutover the earlier of the renewal date and the early-renewal deadline (06-30); in the
/// transition window (07-01 – 09-30) the early-renewal deadline; after it the renewal date,
/// by which IBM's S&S quote (a term ending on the last day of the month) must be accepted.
///
/// The rule itself is the domain's (`RenewalPolicy::actions`, the steps reminders count down
/// to); the feed shows each contract's first step.
pub fn action_deadline(policy: &RenewalPolicy, renewal_date: NaiveDate) -> NaiveDate {
    policy
        .actions(renewal_date)
        .first()
        .map_or(renewal_date, |action| action.deadline)
}

/// A fresh feed secret.
fn generate_secret() -> String {
    Alphanumeric
        .sample_iter(&mut OsRng)
        .take(SECRET_LEN)
        .map(char::from)
        .collect()
}

/// What a URL's secret must look like before the database is asked about it.
pub fn well_formed_secret(text: &str) -> bool {
    text.len() == SECRET_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The feed's URL under `base` (`http.public_url`, e.g. `https://desk.example.com`).
pub fn feed_url(base: &str, secret: &str) -> String {
    format!("{}/calendar/{secret}.ics", base.trim_end_matches('/'))
}

/// Makes (or with `rotate` replaces) the feed secret of the rep `ibm_id` and returns it; it is
/// never shown again. Refused when the rep has no contracts, or already has a feed and
/// `rotate` is not set (its URL cannot be shown again, and replacing it silently would break
/// the calendar that subscribed to it).
pub async fn issue_feed_secret(ctx: &Ctx<'_>, ibm_id: &str, rotate: bool) -> WfResult<String> {
    let ibm_id = validate::ibm_id(ibm_id)?;
    if ctx.store.contracts_of_rep_count(&ibm_id).await? == 0 {
        return Err(WorkflowError::refused(
            Msg::new("wf-cli-calendar-no-contracts").arg("ibm_id", ibm_id),
        ));
    }
    let existed = ctx.store.has_calendar_secret(&ibm_id).await?;
    if existed && !rotate {
        return Err(WorkflowError::refused(
            Msg::new("wf-cli-calendar-exists").arg("ibm_id", ibm_id),
        ));
    }
    let secret = generate_secret();
    ctx.store
        .set_calendar_secret(&ibm_id, &token_entry_hash(&secret), &ctx.actor.who, ctx.now)
        .await?;
    let audit = NewAuditEntry {
        actor: ctx.actor.who.clone(),
        channel: ctx.actor.channel.clone(),
        action: if existed {
            "calendar.rotate"
        } else {
            "calendar.create"
        }
        .into(),
        subject: ibm_id,
        detail: String::new(),
    };
    ctx.store.append_audit(&audit, ctx.now).await?;
    Ok(secret)
}

/// The feed behind `secret`, or `None` when no rep has it (a wrong or rotated-away secret).
pub async fn feed_for_secret(
    store: &dyn Store,
    policy: &RenewalPolicy,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<String>> {
    if !well_formed_secret(secret) {
        return Ok(None);
    }
    let Some(ibm_id) = store.calendar_owner(&token_entry_hash(secret)).await? else {
        return Ok(None);
    };
    let contracts = store.open_contracts_of_rep(&ibm_id).await?;
    Ok(Some(render_feed(&contracts, policy, now)))
}

/// The calendar of `contracts`: one all-day event per contract on its action deadline, with
/// an alarm [`ALARM_DAYS_BEFORE`] days before, worded in the rep's language.
pub fn render_feed(contracts: &[Contract], policy: &RenewalPolicy, now: DateTime<Utc>) -> String {
    let locale = contracts
        .first()
        .map_or(Locale::Ja, |c| locale_of(&c.sales_rep_lang));
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//partnerdesk//renewal deadlines//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&tr(locale, "cal-name", &[]))
        .ttl(&Duration::hours(1));
    for contract in contracts {
        calendar.push(event(contract, policy, locale, now));
    }
    calendar.done().to_string()
}

fn event(contract: &Contract, policy: &RenewalPolicy, locale: Locale, now: DateTime<Utc>) -> Event {
    let deadline = action_deadline(policy, contract.renewal_date);
    let args = [
        ("company", FluentValue::from(contract.company.as_str())),
        ("contract", FluentValue::from(contract.id.as_str())),
        ("product", FluentValue::from(contract.product.as_str())),
        (
            "renewal",
            FluentValue::from(format::date(locale, contract.renewal_date)),
        ),
        ("days", FluentValue::from(ALARM_DAYS_BEFORE)),
    ];
    let summary = tr(locale, "cal-event-summary", &args);
    let description = format!(
        "{}\n\n{}",
        tr(locale, "cal-event-description", &args),
        renewal_text(locale, &policy.explain(contract.renewal_date))
    );
    Event::new()
        // Stable across refreshes and re-imports: the calendar updates the event in place.
        .uid(&format!("renewal-{}@partnerdesk", contract.id))
        .timestamp(now)
        .last_modified(contract.updated_at)
        .summary(&summary)
        .description(&description)
        .starts(deadline)
        .ends(deadline + Duration::days(1))
        .add_property("TRANSP", "TRANSPARENT")
        .add_property("CATEGORIES", policy.window(contract.renewal_date).code())
        .alarm(Alarm::display(
            &tr(locale, "cal-alarm", &args),
            -Duration::days(ALARM_DAYS_BEFORE),
        ))
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(id: &str, lang: &str, renewal: NaiveDate) -> Contract {
        Contract {
            id: id.into(),
            company: "株式会社サンプル, Tokyo; HQ".into(),
            product: "Aspera Faspex".into(),
            renewal_date: renewal,
            sales_rep_email: "aiko.sato@example.com".into(),
            sales_rep_name: "佐藤 愛子".into(),
            sales_rep_lang: lang.into(),
            sales_rep_tz: "Asia/Tokyo".into(),
            status: "open".into(),
            updated_at: DateTime::from_timestamp(1_430_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn japanese_text_is_folded_within_75_octets_and_escaped() {
        let renewal = NaiveDate::from_ymd_opt(2015, 8, 15).unwrap_or_default();
        let feed = render_feed(
            &[contract("C-1", "ja", renewal)],
            &RenewalPolicy::default(),
            Utc::now(),
        );
        assert!(feed.split("\r\n").all(|line| line.len() <= 75), "{feed}");
        let unfolded = feed.replace("\r\n ", "");
        assert!(
            unfolded.contains("DTSTART;VALUE=DATE:20150630\r\n"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains("SUMMARY:更新期限: 株式会社サンプル\\, Tokyo\\; HQ"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains("X-WR-CALNAME:partnerdesk 更新期限"),
            "{unfolded}"
        );
    }
}
