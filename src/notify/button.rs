//! A button under a chat message or a Discord DM: the chat replies and the outbox's Discord
//! notices carry the same kind, so an Approve button works the same wherever it was sent.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button {
    /// Names the database row it acts on (`join:approve:42`), so a press works after a restart
    /// and on any replica.
    pub id: String,
    pub label: String,
    pub style: ButtonStyle,
}
