//! Renewal policy for Aspera support contracts moving to IBM (seed 003, section 5,
//! "ソフトウェア・サブスクリプション＆サポート更新").
//!
//! This module owns which of the three renewal windows a renewal date falls in and what that
//! means: who sends the quote, by when the partner must confirm, and how IBM sets the end
//! date. The dates are data ([`RenewalPolicyConfig`]) with the seed's values as defaults:
//!
//! | renewal date              | window             | quote from     | confirm by                      | end of month |
//! |---------------------------|--------------------|----------------|---------------------------------|--------------|
//! | before 2015-07-01         | `before-cutover`   | `aspera-sales` | earlier of the date and 06-30   | no           |
//! | 2015-07-01 – 2015-09-30   | `transition`       | `ibm-renewal`  | 2015-06-30 (early renewal)      | yes          |
//! | 2015-10-01 or later       | `after-transition` | `ibm-renewal`  | —                               | yes          |
//!
//! Not renewed in time, every window ends on IBM's standard terms (`terms_if_late: ibm`).
//!
//! It also owns the *action deadlines* sales reps are reminded of ([`RenewalPolicy::actions`]):
//! before the cutover the confirm-by day (Aspera sales rep); in the transition window 06-30 to
//! renew early on current terms (Aspera renewal rep), after which IBM's new quote is due by the
//! renewal date (IBM's S&S renewal rep); after the transition IBM's S&S quote by the renewal
//! date. Reminders count down in business days to the deadline ([`countdown_days`]).
//! The seed words the third window "更新日が 2015 年 10 月 1 日より後"; since the second window
//! ends on 09-30, 10-01 itself belongs to the third.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The policy's dates, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RenewalPolicyConfig {
    /// Contracts move to IBM on this day (2015-07-01).
    pub cutover: NaiveDate,
    /// Last renewal date of the transition window (2015-09-30).
    pub transition_end: NaiveDate,
    /// Last day to renew on the current (Aspera) contract (2015-06-30).
    pub early_renewal_deadline: NaiveDate,
}

impl Default for RenewalPolicyConfig {
    fn default() -> Self {
        Self {
            cutover: ymd(2015, 7, 1),
            transition_end: ymd(2015, 9, 30),
            early_renewal_deadline: ymd(2015, 6, 30),
        }
    }
}

/// Seed dates are compile-time constants; `from_ymd_opt` cannot fail for them.
fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Renewal dates that are not in order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid renewal setting `{key}` = {value}: {expected}")]
pub struct RenewalConfigError {
    pub key: &'static str,
    pub value: NaiveDate,
    pub expected: String,
    /// The cutover the date is compared with.
    pub cutover: NaiveDate,
}

impl RenewalPolicyConfig {
    /// Checks `early_renewal_deadline < cutover <= transition_end`.
    pub fn build(&self) -> Result<RenewalPolicy, RenewalConfigError> {
        if self.early_renewal_deadline >= self.cutover {
            return Err(RenewalConfigError {
                key: "early_renewal_deadline",
                value: self.early_renewal_deadline,
                expected: format!("must be before cutover ({})", self.cutover),
                cutover: self.cutover,
            });
        }
        if self.transition_end < self.cutover {
            return Err(RenewalConfigError {
                key: "transition_end",
                value: self.transition_end,
                expected: format!("must be on or after cutover ({})", self.cutover),
                cutover: self.cutover,
            });
        }
        Ok(RenewalPolicy { config: *self })
    }
}

/// Which section-5 case a renewal date falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenewalWindow {
    BeforeCutover,
    Transition,
    AfterTransition,
}

impl RenewalWindow {
    pub fn code(self) -> &'static str {
        match self {
            Self::BeforeCutover => "before-cutover",
            Self::Transition => "transition",
            Self::AfterTransition => "after-transition",
        }
    }

    /// Fluent message id in `locales/*/rules.ftl`: `renewal-` + [`Self::code`].
    pub fn message_id(self) -> &'static str {
        match self {
            Self::BeforeCutover => "renewal-before-cutover",
            Self::Transition => "renewal-transition",
            Self::AfterTransition => "renewal-after-transition",
        }
    }
}

impl fmt::Display for RenewalWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Who sends the renewal quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteFrom {
    /// The Aspera sales rep (Aspera 営業担当員).
    AsperaSales,
    /// IBM: its subscription & support renewal rep (IBM サブスクリプション＆サポート更新担当員).
    IbmRenewal,
}

/// Contract terms that apply when the renewal is not done in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractTerms {
    /// IBM standard terms (IBM標準の契約条件).
    Ibm,
}

/// What section 5 says about one renewal date. Serializes as
/// `{"renewal_date", "window", "confirm_by", "quote_from", "terms_if_late", "end_of_month",
/// "renewal_end_date"}` with dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalExplanation {
    pub renewal_date: NaiveDate,
    pub window: RenewalWindow,
    /// Last day to confirm the renewal on the current contract; `None` after the transition.
    pub confirm_by: Option<NaiveDate>,
    pub quote_from: QuoteFrom,
    pub terms_if_late: ContractTerms,
    /// Under IBM the renewal end date is the last day of its month.
    pub end_of_month: bool,
    /// The renewal date moved to the end of its month when `end_of_month`, else unchanged.
    pub renewal_end_date: NaiveDate,
}

/// The section-5 rules with validated dates. `default()` is the seed's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenewalPolicy {
    config: RenewalPolicyConfig,
}

impl RenewalPolicy {
    pub fn config(&self) -> &RenewalPolicyConfig {
        &self.config
    }

    pub fn window(&self, renewal_date: NaiveDate) -> RenewalWindow {
        if renewal_date < self.config.cutover {
            RenewalWindow::BeforeCutover
        } else if renewal_date <= self.config.transition_end {
            RenewalWindow::Transition
        } else {
            RenewalWindow::AfterTransition
        }
    }

    pub fn explain(&self, renewal_date: NaiveDate) -> RenewalExplanation {
        let window = self.window(renewal_date);
        let deadline = self.config.early_renewal_deadline;
        let (confirm_by, quote_from, end_of_month) = match window {
            // "現行契約の更新日または 2015 年 6 月 30 日のいずれか早い方の日付までに"
            RenewalWindow::BeforeCutover => (
                Some(renewal_date.min(deadline)),
                QuoteFrom::AsperaSales,
                false,
            ),
            // Early renewal on the current contract by 06-30, else IBM quotes on IBM terms.
            RenewalWindow::Transition => (Some(deadline), QuoteFrom::IbmRenewal, true),
            RenewalWindow::AfterTransition => (None, QuoteFrom::IbmRenewal, true),
        };
        RenewalExplanation {
            renewal_date,
            window,
            confirm_by,
            quote_from,
            terms_if_late: ContractTerms::Ibm,
            end_of_month,
            renewal_end_date: if end_of_month {
                last_day_of_month(renewal_date)
            } else {
                renewal_date
            },
        }
    }

    /// The steps a renewal goes through, in order, each with the day it must be acted on by
    /// and whom to contact (seed 003 §5):
    ///
    /// - before the cutover: one step, confirm the Aspera quote by the earlier of the renewal
    ///   date and the early-renewal deadline (「現行契約の更新日または 2015 年 6 月 30 日のいずれか
    ///   早い方の日付までに」), asking the Aspera sales rep;
    /// - in the transition window: renew early on current terms by the early-renewal deadline
    ///   (「2015 年 6 月 30 日までにお手続きいただくことで、現行契約を事前に更新することができます」),
    ///   asking the Aspera renewal rep; after it, IBM's new quote (「IBMが新たにお見積書を発行
    ///   いたします」) by the renewal date, from IBM's S&S renewal rep;
    /// - after the transition: IBM's S&S quote by the renewal date, from IBM's S&S renewal rep,
    ///   the term ending on the last day of the month.
    pub fn actions(&self, renewal_date: NaiveDate) -> Vec<RenewalAction> {
        let window = self.window(renewal_date);
        let early = self.config.early_renewal_deadline;
        let ibm_quote = RenewalAction {
            window,
            step: RenewalStep::IbmQuote,
            deadline: renewal_date,
            contact: RenewalContact::IbmRenewal,
        };
        match window {
            RenewalWindow::BeforeCutover => vec![RenewalAction {
                window,
                step: RenewalStep::ConfirmQuote,
                deadline: renewal_date.min(early),
                contact: RenewalContact::AsperaSales,
            }],
            RenewalWindow::Transition => vec![
                RenewalAction {
                    window,
                    step: RenewalStep::EarlyRenewal,
                    deadline: early,
                    contact: RenewalContact::AsperaRenewal,
                },
                ibm_quote,
            ],
            RenewalWindow::AfterTransition => vec![ibm_quote],
        }
    }

    /// The step that is current on `today`: the first whose deadline is today or later, else
    /// the last one (its deadline has passed).
    pub fn action_on(&self, renewal_date: NaiveDate, today: NaiveDate) -> RenewalAction {
        let actions = self.actions(renewal_date);
        let fallback = RenewalAction {
            window: self.window(renewal_date),
            step: RenewalStep::IbmQuote,
            deadline: renewal_date,
            contact: RenewalContact::IbmRenewal,
        };
        actions
            .iter()
            .copied()
            .find(|a| a.deadline >= today)
            .or_else(|| actions.last().copied())
            .unwrap_or(fallback)
    }

    /// The first action deadline of this renewal: the day the desk must have reached the rep
    /// by (for a renewal on 2015-08-15, 2015-06-30).
    pub fn first_deadline(&self, renewal_date: NaiveDate) -> NaiveDate {
        self.actions(renewal_date)
            .first()
            .map(|a| a.deadline)
            .unwrap_or(renewal_date)
    }
}

/// What the partner must do in one step of a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenewalStep {
    /// Confirm the Aspera sales rep's quote (before the cutover).
    ConfirmQuote,
    /// Renew early on the current terms (transition window, until the early-renewal deadline).
    EarlyRenewal,
    /// Accept IBM's S&S quote on IBM's terms, the term ending on the last day of the month.
    IbmQuote,
}

impl RenewalStep {
    pub fn code(self) -> &'static str {
        match self {
            Self::ConfirmQuote => "confirm-quote",
            Self::EarlyRenewal => "early-renewal",
            Self::IbmQuote => "ibm-quote",
        }
    }

    /// Fluent message id in `locales/*/sales.ftl`: `renewal-step-` + [`Self::code`].
    pub fn message_id(self) -> &'static str {
        match self {
            Self::ConfirmQuote => "renewal-step-confirm-quote",
            Self::EarlyRenewal => "renewal-step-early-renewal",
            Self::IbmQuote => "renewal-step-ibm-quote",
        }
    }
}

/// Whom to contact about a renewal step, as seed 003 §5 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenewalContact {
    /// 「Aspera 営業担当員」
    AsperaSales,
    /// 「Aspera 更新担当員」
    AsperaRenewal,
    /// 「IBM サブスクリプション＆サポート更新担当員」
    IbmRenewal,
}

impl RenewalContact {
    pub fn code(self) -> &'static str {
        match self {
            Self::AsperaSales => "aspera-sales",
            Self::AsperaRenewal => "aspera-renewal",
            Self::IbmRenewal => "ibm-renewal",
        }
    }

    /// Fluent message id in `locales/*/sales.ftl`: `renewal-contact-` + [`Self::code`].
    pub fn message_id(self) -> &'static str {
        match self {
            Self::AsperaSales => "renewal-contact-aspera-sales",
            Self::AsperaRenewal => "renewal-contact-aspera-renewal",
            Self::IbmRenewal => "renewal-contact-ibm-renewal",
        }
    }
}

/// One step of a renewal: its window, what to do, by when, and whom to contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalAction {
    pub window: RenewalWindow,
    pub step: RenewalStep,
    /// The action deadline: the last day the step can be done.
    pub deadline: NaiveDate,
    pub contact: RenewalContact,
}

/// The days a rep is reminded of a deadline, counting down in business days of `calendar`:
/// for each offset `n`, the business day with `n` business days left before the deadline
/// (the deadline itself, or the business day before it when it is closed, has 0 left). So a
/// reminder never falls on a weekend, holiday or closure. Returns `(offset, day)` pairs,
/// offsets that run off the calendar left out.
pub fn countdown_days(
    calendar: &crate::calendar::BusinessCalendar,
    deadline: NaiveDate,
    offsets_business_days: &[u32],
) -> Vec<(u32, NaiveDate)> {
    let Some(last) = calendar.on_or_before_business_day(deadline) else {
        return Vec::new();
    };
    offsets_business_days
        .iter()
        .filter_map(|&n| {
            let n = i32::try_from(n).ok()?;
            Some((n.unsigned_abs(), calendar.add_business_days(last, -n)?))
        })
        .collect()
}

impl RenewalPolicy {
    /// Business days from `today` (exclusive) to `deadline` (inclusive) in `calendar`: what a
    /// reminder counts down. 0 on the deadline and after it.
    pub fn business_days_left(
        calendar: &crate::calendar::BusinessCalendar,
        today: NaiveDate,
        deadline: NaiveDate,
    ) -> u32 {
        let mut days = 0;
        let mut cursor = today;
        while cursor < deadline && days < crate::calendar::MAX_BUSINESS_DAYS {
            match cursor.succ_opt() {
                Some(next) => cursor = next,
                None => break,
            }
            if calendar.is_business_day(cursor) {
                days += 1;
            }
        }
        days
    }
}

/// Last day of `date`'s month.
pub fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    // Day 31, 30, 29, 28: the first that exists is the last day; never overflows.
    [31, 30, 29, 28]
        .into_iter()
        .find_map(|day| date.with_day(day))
        .unwrap_or(date)
}

/// A renewal date given by a person, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RenewalDate(NaiveDate);

/// Text that is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a date: expected YYYY-MM-DD such as 2015-06-30")]
pub struct RenewalDateError {
    pub input: String,
}

impl RenewalDate {
    pub fn parse(text: &str) -> Result<Self, RenewalDateError> {
        let trimmed = text.trim();
        // Four-digit years only, so "15-06-30" is not read as the year 15.
        let well_formed = trimmed.len() == 10
            && trimmed.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        well_formed
            .then(|| NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").ok())
            .flatten()
            .map(Self)
            .ok_or_else(|| RenewalDateError {
                input: text.to_owned(),
            })
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl FromStr for RenewalDate {
    type Err = RenewalDateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RenewalDate {
    type Error = RenewalDateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RenewalDate> for String {
    fn from(d: RenewalDate) -> String {
        d.0.format("%Y-%m-%d").to_string()
    }
}

impl From<RenewalDate> for NaiveDate {
    fn from(d: RenewalDate) -> NaiveDate {
        d.0
    }
}

impl fmt::Display for RenewalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn explain(y: i32, m: u32, day: u32) -> RenewalExplanation {
        RenewalPolicy::default().explain(d(y, m, day))
    }

    #[test]
    fn default_config_is_the_seed() {
        let config = RenewalPolicyConfig::default();
        assert_eq!(config.cutover, d(2015, 7, 1));
        assert_eq!(config.transition_end, d(2015, 9, 30));
        assert_eq!(config.early_renewal_deadline, d(2015, 6, 30));
        assert_eq!(config.build(), Ok(RenewalPolicy::default()));
    }

    #[test]
    fn config_from_toml_and_validation() {
        let config: RenewalPolicyConfig = toml::from_str("").expect("defaults");
        assert_eq!(config, RenewalPolicyConfig::default());
        let config: RenewalPolicyConfig =
            toml::from_str("cutover = \"2016-01-01\"\ntransition_end = \"2016-03-31\"\nearly_renewal_deadline = \"2015-12-31\"")
                .expect("valid");
        let policy = config.build().expect("valid");
        assert_eq!(policy.window(d(2015, 12, 31)), RenewalWindow::BeforeCutover);
        assert!(
            toml::from_str::<RenewalPolicyConfig>("cutover = \"2015-07-01\"\nfoo = 1").is_err()
        );

        let err = RenewalPolicyConfig {
            early_renewal_deadline: d(2015, 7, 1),
            ..RenewalPolicyConfig::default()
        }
        .build()
        .expect_err("deadline not before cutover");
        assert_eq!(err.key, "early_renewal_deadline");
        assert_eq!(
            err.to_string(),
            "invalid renewal setting `early_renewal_deadline` = 2015-07-01: must be before cutover (2015-07-01)"
        );
        let err = RenewalPolicyConfig {
            transition_end: d(2015, 6, 30),
            ..RenewalPolicyConfig::default()
        }
        .build()
        .expect_err("transition before cutover");
        assert_eq!(err.key, "transition_end");
    }

    #[test]
    fn before_cutover_confirms_by_the_earlier_date() {
        // Renewal before June 30: confirm by the renewal date itself.
        let e = explain(2015, 5, 15);
        assert_eq!(e.window, RenewalWindow::BeforeCutover);
        assert_eq!(e.confirm_by, Some(d(2015, 5, 15)));
        assert_eq!(e.quote_from, QuoteFrom::AsperaSales);
        assert_eq!(e.terms_if_late, ContractTerms::Ibm);
        assert!(!e.end_of_month);
        assert_eq!(e.renewal_end_date, d(2015, 5, 15));

        assert_eq!(explain(2015, 6, 29).confirm_by, Some(d(2015, 6, 29)));
        let e = explain(2015, 6, 30);
        assert_eq!(e.window, RenewalWindow::BeforeCutover);
        assert_eq!(e.confirm_by, Some(d(2015, 6, 30)));
        // Long before: still the renewal date (the earlier one).
        assert_eq!(explain(2014, 1, 1).confirm_by, Some(d(2014, 1, 1)));
    }

    #[test]
    fn transition_window_bounds() {
        for (m, day) in [(7, 1), (7, 31), (8, 15), (9, 30)] {
            let e = explain(2015, m, day);
            assert_eq!(e.window, RenewalWindow::Transition, "2015-{m}-{day}");
            assert_eq!(e.confirm_by, Some(d(2015, 6, 30)));
            assert_eq!(e.quote_from, QuoteFrom::IbmRenewal);
            assert!(e.end_of_month);
        }
        assert_eq!(explain(2015, 7, 1).renewal_end_date, d(2015, 7, 31));
        assert_eq!(explain(2015, 9, 30).renewal_end_date, d(2015, 9, 30));
        assert_eq!(explain(2015, 9, 1).renewal_end_date, d(2015, 9, 30));
    }

    #[test]
    fn after_transition() {
        let e = explain(2015, 10, 1);
        assert_eq!(e.window, RenewalWindow::AfterTransition);
        assert_eq!(e.confirm_by, None);
        assert_eq!(e.quote_from, QuoteFrom::IbmRenewal);
        assert_eq!(e.terms_if_late, ContractTerms::Ibm);
        assert!(e.end_of_month);
        assert_eq!(e.renewal_end_date, d(2015, 10, 31));
        // Leap February and ordinary February.
        assert_eq!(explain(2016, 2, 10).renewal_end_date, d(2016, 2, 29));
        assert_eq!(explain(2017, 2, 10).renewal_end_date, d(2017, 2, 28));
        assert_eq!(explain(2016, 2, 29).renewal_end_date, d(2016, 2, 29));
        assert_eq!(explain(2015, 11, 30).renewal_end_date, d(2015, 11, 30));
        assert_eq!(explain(2015, 12, 31).renewal_end_date, d(2015, 12, 31));
    }

    #[test]
    fn last_day_of_month_everywhere() {
        assert_eq!(last_day_of_month(d(2024, 2, 1)), d(2024, 2, 29));
        assert_eq!(last_day_of_month(d(2100, 2, 1)), d(2100, 2, 28));
        assert_eq!(last_day_of_month(d(2000, 2, 1)), d(2000, 2, 29));
        assert_eq!(last_day_of_month(d(2015, 4, 30)), d(2015, 4, 30));
        assert_eq!(last_day_of_month(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(
            last_day_of_month(NaiveDate::MIN).month(),
            NaiveDate::MIN.month()
        );
    }

    #[test]
    fn action_deadlines_follow_the_windows() {
        let p = RenewalPolicy::default();
        // Before 7/1: the earlier of the renewal date and 6/30, from the Aspera sales rep.
        let a = p.actions(d(2015, 5, 15));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].deadline, d(2015, 5, 15));
        assert_eq!(a[0].step, RenewalStep::ConfirmQuote);
        assert_eq!(a[0].contact, RenewalContact::AsperaSales);
        assert_eq!(p.first_deadline(d(2015, 6, 30)), d(2015, 6, 30));
        // 7/1–9/30: renew early by 6/30 (Aspera renewal rep), then IBM's new quote.
        for renewal in [d(2015, 7, 1), d(2015, 8, 15), d(2015, 9, 30)] {
            let a = p.actions(renewal);
            assert_eq!(a.len(), 2, "{renewal}");
            assert_eq!(a[0].deadline, d(2015, 6, 30));
            assert_eq!(a[0].step, RenewalStep::EarlyRenewal);
            assert_eq!(a[0].contact, RenewalContact::AsperaRenewal);
            assert_eq!(a[1].deadline, renewal);
            assert_eq!(a[1].step, RenewalStep::IbmQuote);
            assert_eq!(a[1].contact, RenewalContact::IbmRenewal);
            assert_eq!(p.first_deadline(renewal), d(2015, 6, 30));
        }
        assert_eq!(
            p.action_on(d(2015, 8, 15), d(2015, 6, 30)).deadline,
            d(2015, 6, 30)
        );
        let after = p.action_on(d(2015, 8, 15), d(2015, 7, 1));
        assert_eq!(
            (after.deadline, after.step),
            (d(2015, 8, 15), RenewalStep::IbmQuote)
        );
        // Every deadline passed: the last step stays current.
        assert_eq!(
            p.action_on(d(2015, 8, 15), d(2016, 1, 1)).deadline,
            d(2015, 8, 15)
        );
        // From 10/1: IBM's S&S quote by the renewal date.
        let a = p.actions(d(2015, 10, 1));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].window, RenewalWindow::AfterTransition);
        assert_eq!(a[0].deadline, d(2015, 10, 1));
        assert_eq!(a[0].contact, RenewalContact::IbmRenewal);
        // The cutover dates are configuration.
        let moved = RenewalPolicyConfig {
            cutover: d(2016, 1, 1),
            transition_end: d(2016, 3, 31),
            early_renewal_deadline: d(2015, 12, 25),
        }
        .build()
        .expect("valid");
        assert_eq!(moved.first_deadline(d(2016, 2, 10)), d(2015, 12, 25));
        assert_eq!(moved.first_deadline(d(2015, 12, 28)), d(2015, 12, 25));
    }

    #[test]
    fn reminders_count_down_in_business_days() {
        let calendar = crate::calendar::BusinessCalendar::pwcs();
        // 2015-06-30 is a Tuesday: 0 → that day, 1 → Monday 6/29, 5 → Tuesday 6/23.
        let days = countdown_days(&calendar, d(2015, 6, 30), &[5, 1, 0]);
        assert_eq!(
            days,
            vec![
                (5, d(2015, 6, 23)),
                (1, d(2015, 6, 29)),
                (0, d(2015, 6, 30))
            ]
        );
        // A deadline on a holiday (2015-09-23, 秋分の日, in Silver Week 9/19–9/23) counts from
        // the business day before it; no reminder day is ever closed.
        let days = countdown_days(&calendar, d(2015, 9, 23), &[0, 1]);
        assert_eq!(days, vec![(0, d(2015, 9, 18)), (1, d(2015, 9, 17))]);
        for (_, day) in countdown_days(&calendar, d(2016, 1, 4), &[30, 14, 7, 3, 1, 0]) {
            assert!(calendar.is_business_day(day), "{day}");
        }
        assert_eq!(
            RenewalPolicy::business_days_left(&calendar, d(2015, 6, 23), d(2015, 6, 30)),
            5
        );
        assert_eq!(
            RenewalPolicy::business_days_left(&calendar, d(2015, 7, 1), d(2015, 6, 30)),
            0
        );
    }

    #[test]
    fn explanation_json_shape() {
        assert_eq!(
            serde_json::to_value(explain(2015, 6, 29)).expect("json"),
            json!({
                "renewal_date": "2015-06-29",
                "window": "before-cutover",
                "confirm_by": "2015-06-29",
                "quote_from": "aspera-sales",
                "terms_if_late": "ibm",
                "end_of_month": false,
                "renewal_end_date": "2015-06-29",
            })
        );
        assert_eq!(
            serde_json::to_value(explain(2015, 8, 10)).expect("json"),
            json!({
                "renewal_date": "2015-08-10",
                "window": "transition",
                "confirm_by": "2015-06-30",
                "quote_from": "ibm-renewal",
                "terms_if_late": "ibm",
                "end_of_month": true,
                "renewal_end_date": "2015-08-31",
            })
        );
        assert_eq!(
            serde_json::to_value(explain(2016, 2, 3)).expect("json"),
            json!({
                "renewal_date": "2016-02-03",
                "window": "after-transition",
                "confirm_by": null,
                "quote_from": "ibm-renewal",
                "terms_if_late": "ibm",
                "end_of_month": true,
                "renewal_end_date": "2016-02-29",
            })
        );
    }

    #[test]
    fn window_codes_and_message_ids() {
        for w in [
            RenewalWindow::BeforeCutover,
            RenewalWindow::Transition,
            RenewalWindow::AfterTransition,
        ] {
            assert_eq!(w.message_id(), format!("renewal-{}", w.code()));
            assert_eq!(serde_json::to_value(w).expect("json"), json!(w.code()));
            assert_eq!(w.to_string(), w.code());
        }
    }

    #[test]
    fn renewal_date_parsing() {
        assert_eq!(
            RenewalDate::parse("2015-06-30").map(NaiveDate::from),
            Ok(d(2015, 6, 30))
        );
        assert_eq!(
            " 2015-06-30 ".parse::<RenewalDate>().map(|r| r.date()),
            Ok(d(2015, 6, 30))
        );
        for bad in [
            "2015-6-30",
            "15-06-30",
            "2015-02-30",
            "2015/06/30",
            "",
            "tomorrow",
            "２０１５-06-30",
        ] {
            let err = RenewalDate::parse(bad).expect_err(bad);
            assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
        }
        let r: RenewalDate = serde_json::from_str("\"2016-02-29\"").expect("json");
        assert_eq!(r.to_string(), "2016-02-29");
        assert_eq!(serde_json::to_string(&r).expect("json"), "\"2016-02-29\"");
        assert!(serde_json::from_str::<RenewalDate>("\"2015-02-29\"").is_err());
    }
}
