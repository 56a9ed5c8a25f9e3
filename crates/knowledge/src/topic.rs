//! The topic catalogue: the fixed set of things the bot can answer.
//!
//! This module owns the topic ids (their spelling is a contract with the Fluent files, where each
//! topic has a `topic-<id>` message, and with the chat layer), and nothing else: no wording, no
//! matching rules.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One answerable topic. The kebab-case id ([`TopicId::as_str`]) is fixed: the answer for a topic
/// is the Fluent message `topic-<id>` ([`TopicId::message_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TopicId {
    /// First-time PartnerWorld registration of a company.
    RegisterCompany,
    /// Getting an IBM ID and password; activation delay.
    IbmId,
    /// Adding yourself to an already-registered company (token or APA method).
    JoinCompany,
    /// The 16-character company token.
    CompanyToken,
    /// The profile administrator (APA).
    Apa,
    /// The PartnerWorld agreement (participation terms).
    Agreement,
    /// Screening after applying and the completion email.
    Review,
    /// PartnerWorld Profile System.
    Pps,
    /// PartnerWorld Contact Service: phone and hours.
    Pwcs,
    /// Aspera contracts inherited by IBM on 2015-07-01 (FCT, vetting).
    ContractTransfer,
    /// Credit review for partners trading directly with IBM.
    CreditReview,
    /// The IBM profile (account profile, FAQ, registration helpdesk).
    IbmProfile,
    /// Invoices, counterparty name, whom to pay, bank details.
    Billing,
    /// 30 days from the invoice date; existing terms; late-payment notices.
    PaymentTerms,
    /// Yen and Japanese documents.
    CurrencyLanguage,
    /// Consumption tax.
    Tax,
    /// IBM customer number (ICN) and site number.
    CustomerNumber,
    /// New product numbers and names; IBM document format.
    ProductNames,
    /// Aspera support after the transfer (phone, web, tickets, ADN, KB, forums).
    AsperaSupport,
    /// Primary contact and technical support contact.
    SupportContacts,
    /// Software subscription & support renewal windows.
    Renewal,
    /// Personal data transfer and the privacy policy.
    Privacy,
    /// Greetings and "what can you do?".
    Help,
    /// Anything the bot has no answer for.
    Unknown,
}

impl TopicId {
    /// Every topic, in catalogue order (`Unknown` last).
    pub const ALL: [TopicId; 24] = [
        TopicId::RegisterCompany,
        TopicId::IbmId,
        TopicId::JoinCompany,
        TopicId::CompanyToken,
        TopicId::Apa,
        TopicId::Agreement,
        TopicId::Review,
        TopicId::Pps,
        TopicId::Pwcs,
        TopicId::ContractTransfer,
        TopicId::CreditReview,
        TopicId::IbmProfile,
        TopicId::Billing,
        TopicId::PaymentTerms,
        TopicId::CurrencyLanguage,
        TopicId::Tax,
        TopicId::CustomerNumber,
        TopicId::ProductNames,
        TopicId::AsperaSupport,
        TopicId::SupportContacts,
        TopicId::Renewal,
        TopicId::Privacy,
        TopicId::Help,
        TopicId::Unknown,
    ];

    /// The fixed kebab-case id, e.g. `"company-token"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TopicId::RegisterCompany => "register-company",
            TopicId::IbmId => "ibm-id",
            TopicId::JoinCompany => "join-company",
            TopicId::CompanyToken => "company-token",
            TopicId::Apa => "apa",
            TopicId::Agreement => "agreement",
            TopicId::Review => "review",
            TopicId::Pps => "pps",
            TopicId::Pwcs => "pwcs",
            TopicId::ContractTransfer => "contract-transfer",
            TopicId::CreditReview => "credit-review",
            TopicId::IbmProfile => "ibm-profile",
            TopicId::Billing => "billing",
            TopicId::PaymentTerms => "payment-terms",
            TopicId::CurrencyLanguage => "currency-language",
            TopicId::Tax => "tax",
            TopicId::CustomerNumber => "customer-number",
            TopicId::ProductNames => "product-names",
            TopicId::AsperaSupport => "aspera-support",
            TopicId::SupportContacts => "support-contacts",
            TopicId::Renewal => "renewal",
            TopicId::Privacy => "privacy",
            TopicId::Help => "help",
            TopicId::Unknown => "unknown",
        }
    }

    /// The Fluent message holding this topic's answer, e.g. `"topic-company-token"`.
    pub fn message_id(self) -> String {
        format!("topic-{}", self.as_str())
    }

    /// Position in [`TopicId::ALL`]; used to index per-topic score arrays.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// Whether the answer message takes the `$status` variable (the caller's pre-rendered
    /// "open now / closed" sentence for PWCS).
    pub const fn needs_status(self) -> bool {
        matches!(self, TopicId::Pwcs | TopicId::Unknown)
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`TopicId::from_str`]: the text is not one of the fixed ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTopicId(pub String);

impl fmt::Display for UnknownTopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown topic id {:?}", self.0)
    }
}

impl std::error::Error for UnknownTopicId {}

impl FromStr for TopicId {
    type Err = UnknownTopicId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TopicId::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownTopicId(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_index_matches_position() {
        for (i, t) in TopicId::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(t.as_str().parse::<TopicId>(), Ok(*t));
            assert_eq!(t.message_id(), format!("topic-{t}"));
        }
        assert!("nope".parse::<TopicId>().is_err());
    }

    #[test]
    fn serde_uses_the_kebab_id() {
        // serde_json is not a dependency; the derive's rename rule is checked via the
        // Deserialize impl on a borrowed str through the `IntoDeserializer` helper.
        use serde::de::{value::StrDeserializer, IntoDeserializer};
        let d: StrDeserializer<'_, serde::de::value::Error> = "aspera-support".into_deserializer();
        assert_eq!(TopicId::deserialize(d), Ok(TopicId::AsperaSupport));
    }
}
