//! Rows as the store reads and writes them. Enumerations are stored as their kebab-case
//! names so that both databases and operators reading them see the same words.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::i18n::Msg::new("cli-bad-choice")
                        .arg("value", other)
                        .arg("allowed", [$($text),+].join(", "))
                        .render(crate::i18n::operator_locale())),
                }
            }
        }
    };
}

text_enum!(
    /// What a person is to a company (or, for `Admin`, to the whole program).
    Role {
        Member => "member",
        Apa => "apa",
        PrimaryContact => "primary-contact",
        TechnicalContact => "technical-contact",
        SalesRep => "sales-rep",
        Admin => "admin",
    }
);

text_enum!(
    /// Delivery channel of an outbox message.
    Channel {
        Email => "email",
        Discord => "discord",
    }
);

text_enum!(
    /// Where a contract's renewal stands; anything but `Open` stops reminders.
    ContractStatus {
        Open => "open",
        Quoted => "quoted",
        Renewed => "renewed",
        Lost => "lost",
    }
);

text_enum!(
    OutboxStatus {
        Pending => "pending",
        Sent => "sent",
        Dead => "dead",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub icn: Option<String>,
    pub site_number: Option<String>,
    pub status: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCompany {
    pub name: String,
    pub icn: Option<String>,
    pub site_number: Option<String>,
    pub status: String,
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Location {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    /// The IBM ID, which is an email address, stored lower-case.
    pub ibm_id: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
    pub discord_user_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub ibm_id: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Membership {
    pub id: i64,
    pub person_id: i64,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub role: String,
    pub permission_level: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Membership {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

#[derive(Debug, Clone)]
pub struct RoleGrant {
    pub person_id: i64,
    pub role: Role,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub permission_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: String,
    pub company: String,
    pub product: String,
    pub renewal_date: NaiveDate,
    pub sales_rep_email: String,
    pub sales_rep_name: String,
    pub sales_rep_lang: String,
    pub sales_rep_tz: String,
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    pub id: String,
    pub company: String,
    pub product: String,
    pub renewal_date: NaiveDate,
    pub sales_rep_email: String,
    pub sales_rep_name: String,
    pub sales_rep_lang: String,
    pub sales_rep_tz: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Channel-specific JSON (Discord buttons and mentions).
    pub payload: Option<String>,
    pub locale: String,
    pub dedupe_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewOutboxMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Channel-specific JSON (Discord buttons and mentions).
    pub payload: Option<String>,
    pub locale: String,
    pub dedupe_key: String,
    /// Earliest send time.
    pub not_before: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    New(i64),
    /// A message with that dedupe key was already written.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobRun {
    pub job: String,
    pub scheduled_for: DateTime<Utc>,
    pub claimed_by: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    /// Who acted: an IBM ID, `system`, or `operator:<unix user>`.
    pub actor: String,
    /// Through what: `cli`, `console`, `discord`, `scheduler`.
    pub channel: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub channel: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// A pending join request, with the names its escalation message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PendingJoin {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub location_name: String,
    pub person_name: String,
    pub person_ibm_id: String,
    pub created_at: DateTime<Utc>,
}
