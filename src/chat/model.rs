//! The chat core's request/reply model, the same for the console and Discord: adapters turn
//! their events into a `Request` and render the `Reply`; no adapter formats or queries.

use std::collections::BTreeMap;

use serde::Serialize;

use super::conversation::Conversation;
use crate::i18n::Locale;
use crate::notify::button::Button;
use crate::store::Person;

/// Where a message was written; private data is only ever answered ephemerally or in a DM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelKind {
    /// A direct message (or the operator's console): private.
    Direct,
    /// A public channel of a server.
    Public,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatUser {
    /// Stable platform id: `console:<name>` or `discord:<snowflake>`.
    pub platform_id: String,
    pub display_name: String,
}

/// A slash command: `/name [sub] key:value ... [free text]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    pub name: String,
    /// `rotate` in `/token rotate`, `complete` in `/review complete`.
    pub sub: Option<String>,
    pub options: BTreeMap<String, String>,
    /// Words that were not `key:value` options, joined by spaces (e.g. the question of `/ask`).
    pub rest: String,
}

impl Command {
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Free text: a DM, a mention, or a console line not starting with `/`.
    Text(String),
    Command(Command),
    /// A pressed button, by its `custom_id`.
    Button(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub user: ChatUser,
    /// The locale the platform reports (Discord's interaction locale), if any.
    pub platform_locale: Option<Locale>,
    pub channel: ChannelKind,
    pub input: Input,
}

/// A request for one piece of text that completes a command, e.g. the reason of a rejection.
/// Discord shows it as a form (a modal); the console only shows the reply's text, which says
/// how to type the command instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prompt {
    /// The command the text completes (`reject`), and its subcommand (`request-documents` of
    /// `/review`), if any.
    pub command: String,
    pub sub: Option<String>,
    /// Options already known (`request` → `42`): ids, never free text.
    pub options: BTreeMap<String, String>,
    /// The option the typed text fills (`reason`).
    pub field: String,
    pub title: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub text: String,
    pub buttons: Vec<Button>,
    /// Only the asker sees it (Discord ephemeral message); always true for private data.
    pub ephemeral: bool,
    pub lang: Locale,
    /// The knowledge topic that answered, when a question was answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Every part's topic, when a question with several parts was answered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Text the user is asked for, where the surface can ask (Discord).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Prompt>,
}

impl Reply {
    pub fn text(lang: Locale, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            buttons: Vec::new(),
            ephemeral: false,
            lang,
            topic: None,
            topics: Vec::new(),
            confidence: None,
            prompt: None,
        }
    }

    pub fn private(lang: Locale, text: impl Into<String>) -> Self {
        Self {
            ephemeral: true,
            ..Self::text(lang, text)
        }
    }

    pub fn with_buttons(mut self, buttons: Vec<Button>) -> Self {
        self.buttons = buttons;
        self
    }

    pub fn with_prompt(mut self, prompt: Prompt) -> Self {
        self.prompt = Some(prompt);
        self
    }
}

/// Per-conversation state a surface keeps for its user (the console keeps one for the whole
/// run; Discord starts a fresh one per event, because everything lasting is in the database).
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The language chosen for this session (`chat --lang`, or `/lang` just now): beats all.
    pub chosen_locale: Option<Locale>,
    /// The language the account saved with `/lang` (table `chat_preferences`), read from the
    /// database on every request so it is the same after a restart and on every replica.
    pub saved_locale: Option<Locale>,
    /// Who this request acts as, read once by [`Desk::handle`] for every handler of the request
    /// (its person's `people.locale` is the profile language).
    pub acting: Option<Acting>,
    /// The IBM ID the console acts as (`chat --as`): a linked identity for workflow commands.
    /// Discord resolves identity from the database instead.
    pub acting_as: Option<String>,
    /// The key of this conversation's stored context: the console sets one per run; without
    /// it the account's platform id is used (one conversation per Discord account).
    pub conversation_key: Option<String>,
    /// This session's copy of the conversation's context (the database holds the shared one).
    pub conversation: Option<Conversation>,
}

/// Who a request acts as: the IBM ID (a valid `--as`, or the linked account's) and the person
/// with it, when the database knows them.
#[derive(Debug, Clone, Default)]
pub struct Acting {
    pub ibm_id: Option<String>,
    pub person: Option<Person>,
}
