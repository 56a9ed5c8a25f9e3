//! A conversation's context: the last topic the desk answered and the slots it used (date,
//! contact, company), plus the last few turns for a hand-off to staff. Stored in the database
//! (table `conversations`, migration 0006), so a follow-up is understood after a restart and on
//! every replica; the session keeps a copy for surfaces without a database. Forgotten after
//! `desk.conversation_idle_minutes` without a message.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use partnerdesk_knowledge::TopicId;
use serde::{Deserialize, Serialize};

use crate::store::{ConversationRow, Store};

/// How many turns a hand-off shows staff.
pub const KEPT_TURNS: usize = 3;

/// The slots a topic's answer used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slots {
    /// The date asked about (an invoice date, a renewal date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Which contact the answer named (`pwcs`, `aspera-support`, `sales`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The asker's company, when the desk knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

/// One turn: what was asked and which topics answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub question: String,
    pub topics: Vec<String>,
    /// The recorded answer (`desk_questions.id`), so a 👎 finds its own question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_id: Option<i64>,
}

/// A conversation's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub topic: TopicId,
    #[serde(default)]
    pub slots: Slots,
    #[serde(default)]
    pub turns: Vec<Turn>,
    pub updated_at: DateTime<Utc>,
}

/// The contact a topic's answer names, as a slot.
pub fn contact_of(topic: TopicId) -> Option<&'static str> {
    match topic {
        TopicId::Pwcs
        | TopicId::Apa
        | TopicId::Review
        | TopicId::JoinCompany
        | TopicId::CompanyToken => Some("pwcs"),
        TopicId::AsperaSupport => Some("aspera-support"),
        TopicId::Renewal | TopicId::ContractTransfer => Some("sales"),
        _ => None,
    }
}

/// The conversation's context at `now`, or `None` when there is none or it went idle. The
/// database is asked first; a database error (logged) falls back to the session's copy.
pub async fn load(
    store: Option<&dyn Store>,
    kept: Option<&Conversation>,
    key: &str,
    now: DateTime<Utc>,
    idle: Duration,
) -> Option<Conversation> {
    let fresh_since = now - idle;
    if let Some(store) = store {
        match store.conversation(key, fresh_since).await {
            Ok(Some(row)) => {
                if let Ok(conversation) = serde_json::from_str::<Conversation>(&row.state) {
                    return Some(conversation);
                }
            }
            Ok(None) => return None,
            Err(e) => tracing::warn!(error = %e, "cannot read the conversation"),
        }
    }
    kept.filter(|c| c.updated_at >= fresh_since).cloned()
}

/// Saves the context in `kept` (the session's copy) and, when there is one, the database; a
/// database error only costs the follow-up after a restart (logged).
pub async fn save(
    store: Option<&dyn Store>,
    kept: &mut Option<Conversation>,
    key: &str,
    conversation: Conversation,
) {
    if let Some(store) = store {
        match serde_json::to_string(&conversation) {
            Ok(state) => {
                let row = ConversationRow {
                    conversation_key: key.to_string(),
                    last_topic: conversation.topic.as_str().to_string(),
                    state,
                    updated_at: conversation.updated_at,
                };
                if let Err(e) = store.save_conversation(&row).await {
                    tracing::warn!(error = %e, "cannot save the conversation");
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot encode the conversation"),
        }
    }
    *kept = Some(conversation);
}
