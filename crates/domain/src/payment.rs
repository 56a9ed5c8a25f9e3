//! Invoice payment: whom to pay and by when (seed 003, section 3 "お支払とご発注に関する変更点").
//!
//! This module owns the payee rule and the standard due date:
//! - invoices issued by Aspera before 2015-07-01 are paid to 「Aspera」 as before
//!   ("7月 1日より前に Asperaから発行される請求書は、これまで同様「Aspera」へのお支払となり");
//! - from 2015-07-01 payment goes to 「日本アイ・ビー・エム株式会社」;
//! - those Aspera invoices are paid as the invoice states ("請求書に明記される支払方法に従って
//!   送金する必要があります"): no due date is computed for them (`due_date: null`,
//!   `pay_as_invoice_states: true`);
//! - IBM invoices: the standard terms are payment within 30 days of the invoice date
//!   ("請求書発行日から 30日以内のお支払が 標準決済条件となります"), but payment terms in the
//!   partner's existing Aspera contract take precedence, so an IBM explanation carries
//!   `contract_terms_override: true` and the texts say so.
//!
//! The seed names the Aspera payee only as 「Aspera」 (not a Japanese company name), so that
//! is the payee name used here.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Payee name for Aspera, exactly as seed 003 writes it.
pub const ASPERA_PAYEE_NAME: &str = "Aspera";
/// Payee name for IBM Japan, exactly as seed 003 writes it.
pub const IBM_JAPAN_PAYEE_NAME: &str = "日本アイ・ビー・エム株式会社";

/// Payment settings from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentConfig {
    /// Invoices dated on or after this day are paid to IBM Japan (2015-07-01).
    pub cutover: NaiveDate,
    /// Standard payment term in calendar days after the invoice date (30).
    pub due_days: u32,
}

impl Default for PaymentConfig {
    fn default() -> Self {
        Self {
            cutover: NaiveDate::from_ymd_opt(2015, 7, 1).unwrap_or(NaiveDate::MIN),
            due_days: 30,
        }
    }
}

/// Largest accepted `due_days`.
pub const MAX_DUE_DAYS: u32 = 366;

/// A payment setting that was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid payment setting `{key}` = {value}: {expected}")]
pub struct PaymentConfigError {
    pub key: &'static str,
    pub value: String,
    pub expected: String,
}

impl PaymentConfig {
    pub fn build(&self) -> Result<PaymentPolicy, PaymentConfigError> {
        if self.due_days == 0 || self.due_days > MAX_DUE_DAYS {
            return Err(PaymentConfigError {
                key: "due_days",
                value: self.due_days.to_string(),
                expected: format!("expected a number of days from 1 to {MAX_DUE_DAYS}"),
            });
        }
        Ok(PaymentPolicy { config: *self })
    }
}

/// Who is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payee {
    Aspera,
    IbmJapan,
}

impl Payee {
    pub fn code(self) -> &'static str {
        match self {
            Self::Aspera => "aspera",
            Self::IbmJapan => "ibm-japan",
        }
    }

    /// The payee's name exactly as the seed writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Aspera => ASPERA_PAYEE_NAME,
            Self::IbmJapan => IBM_JAPAN_PAYEE_NAME,
        }
    }

    /// Fluent message id in `locales/*/rules.ftl`: `payment-` + [`Self::code`].
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Aspera => "payment-aspera",
            Self::IbmJapan => "payment-ibm-japan",
        }
    }
}

impl fmt::Display for Payee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whom to pay for one invoice and the standard due date. Serializes as
/// `{"invoice_date", "payee", "payee_name", "due_date", "pay_as_invoice_states",
/// "contract_terms_override"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentExplanation {
    pub invoice_date: NaiveDate,
    pub payee: Payee,
    pub payee_name: String,
    /// IBM invoices: invoice date + `due_days` (calendar days; the seed says "within 30 days",
    /// so this is the last day, not moved to a business day). `None` for an Aspera invoice,
    /// which is paid as the invoice itself states.
    pub due_date: Option<NaiveDate>,
    /// True for an Aspera invoice before the cutover: pay by the method and terms printed on it.
    pub pay_as_invoice_states: bool,
    /// True for IBM invoices: payment terms in the existing Aspera contract take precedence
    /// over `due_date`.
    pub contract_terms_override: bool,
}

/// The payment rules with validated settings. `default()` is the seed's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaymentPolicy {
    config: PaymentConfig,
}

impl PaymentPolicy {
    pub fn config(&self) -> &PaymentConfig {
        &self.config
    }

    pub fn payee(&self, invoice_date: NaiveDate) -> Payee {
        if invoice_date < self.config.cutover {
            Payee::Aspera
        } else {
            Payee::IbmJapan
        }
    }

    /// `due_date` saturates at the end of chrono's date range rather than failing.
    pub fn explain(&self, invoice_date: NaiveDate) -> PaymentExplanation {
        let payee = self.payee(invoice_date);
        let ibm = payee == Payee::IbmJapan;
        PaymentExplanation {
            invoice_date,
            payee,
            payee_name: payee.name().to_owned(),
            due_date: ibm.then(|| {
                invoice_date
                    .checked_add_days(Days::new(u64::from(self.config.due_days)))
                    .unwrap_or(NaiveDate::MAX)
            }),
            pay_as_invoice_states: !ibm,
            contract_terms_override: ibm,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn payee_switches_on_july_first() {
        let p = PaymentPolicy::default();
        assert_eq!(p.payee(d(2015, 6, 30)), Payee::Aspera);
        assert_eq!(p.payee(d(2015, 7, 1)), Payee::IbmJapan);
        assert_eq!(p.payee(d(2014, 1, 1)), Payee::Aspera);
        assert_eq!(p.payee(d(2030, 1, 1)), Payee::IbmJapan);
    }

    #[test]
    fn due_in_thirty_days() {
        let p = PaymentPolicy::default();
        assert_eq!(p.explain(d(2015, 7, 1)).due_date, Some(d(2015, 7, 31)));
        assert_eq!(p.explain(d(2016, 2, 1)).due_date, Some(d(2016, 3, 2)));
        assert_eq!(p.explain(d(2015, 12, 15)).due_date, Some(d(2016, 1, 14)));
        assert_eq!(p.explain(NaiveDate::MAX).due_date, Some(NaiveDate::MAX));
    }

    #[test]
    fn aspera_invoices_are_paid_as_they_state() {
        let p = PaymentPolicy::default();
        for date in [d(2015, 6, 30), d(2015, 1, 5), d(2014, 1, 1)] {
            let e = p.explain(date);
            assert_eq!(e.payee, Payee::Aspera);
            assert_eq!(e.due_date, None, "no computed due date for {date}");
            assert!(e.pay_as_invoice_states);
            assert!(!e.contract_terms_override);
        }
        let e = p.explain(d(2015, 7, 1));
        assert!(!e.pay_as_invoice_states);
        assert!(e.contract_terms_override);
    }

    #[test]
    fn explanation_json_shape() {
        let p = PaymentPolicy::default();
        assert_eq!(
            serde_json::to_value(p.explain(d(2015, 6, 30))).expect("json"),
            json!({
                "invoice_date": "2015-06-30",
                "payee": "aspera",
                "payee_name": "Aspera",
                "due_date": null,
                "pay_as_invoice_states": true,
                "contract_terms_override": false,
            })
        );
        assert_eq!(
            serde_json::to_value(p.explain(d(2015, 7, 1))).expect("json"),
            json!({
                "invoice_date": "2015-07-01",
                "payee": "ibm-japan",
                "payee_name": "日本アイ・ビー・エム株式会社",
                "due_date": "2015-07-31",
                "pay_as_invoice_states": false,
                "contract_terms_override": true,
            })
        );
    }

    #[test]
    fn payee_names_are_quoted_from_the_seed() {
        // Seed 003: 「Aspera」 から、「日本アイ・ビー・エム株式会社」に変更なります。
        assert_eq!(Payee::Aspera.name(), "Aspera");
        assert_eq!(Payee::IbmJapan.name(), "日本アイ・ビー・エム株式会社");
        // The middle dots are U+30FB KATAKANA MIDDLE DOT, as in the seed.
        assert_eq!(IBM_JAPAN_PAYEE_NAME.matches('\u{30FB}').count(), 2);
        assert_eq!(Payee::IbmJapan.message_id(), "payment-ibm-japan");
        assert_eq!(Payee::Aspera.to_string(), "aspera");
    }

    #[test]
    fn config() {
        let c: PaymentConfig = toml::from_str("due_days = 45").expect("valid");
        assert_eq!(c.cutover, d(2015, 7, 1));
        let p = c.build().expect("valid");
        assert_eq!(p.explain(d(2015, 7, 1)).due_date, Some(d(2015, 8, 15)));
        assert!(toml::from_str::<PaymentConfig>("due = 45").is_err());
        assert!(toml::from_str::<PaymentConfig>("due_days = -1").is_err());
        let err = PaymentConfig {
            due_days: 0,
            ..PaymentConfig::default()
        }
        .build()
        .expect_err("zero days");
        assert_eq!(
            err.to_string(),
            "invalid payment setting `due_days` = 0: expected a number of days from 1 to 366"
        );
        assert_eq!(
            PaymentConfig::default().build(),
            Ok(PaymentPolicy::default())
        );
    }
}
