//! The session of one workflow request (`Chat`: the caller read from the database, the reply
//! language, the clock) and the dispatch of workflow commands and buttons to the role files
//! beside it (`partner`, `apa`, `admin`). The same handlers serve the console and Discord;
//! every action resolves the caller and their roles from the database first, and every button
//! names the database row it acts on.

use chrono::{DateTime, Utc};

use crate::chat::context::Context;
use crate::chat::identity::{self, Caller};
use crate::chat::language;
use crate::chat::model::{Command, Reply, Request, Session};
use crate::i18n::text::{one_line, zone_of, Msg};
use crate::i18n::{tr, Locale};
use crate::store::{Actor, Person, Store};
use crate::workflows::level::PermissionLevel;
use crate::workflows::service::{Ctx, WfResult, WorkflowError};
use crate::workflows::validate;

/// Workflow commands, in the order `/help` lists them.
pub const COMMANDS: &[&str] = &[
    "register",
    "join",
    "status",
    "profile",
    "contacts",
    "link",
    "verify",
    "pending",
    "approve",
    "reject",
    "add-member",
    "token",
    "review",
];

/// Handles a workflow command; `None` when `command` is not one.
pub async fn command(
    desk: &Context<'_>,
    session: &mut Session,
    request: &Request,
    command: &Command,
) -> Option<Vec<Reply>> {
    if !COMMANDS.contains(&command.name.as_str()) {
        return None;
    }
    let chat = match Chat::open(desk, session, request).await {
        Ok(chat) => chat,
        Err(reply) => return Some(vec![reply]),
    };
    let result = match command.name.as_str() {
        "register" => chat.register(command).await,
        "join" => chat.join(command).await,
        "status" => chat.status().await,
        "profile" => chat.profile(command).await,
        "contacts" => chat.contacts(command).await,
        "link" => chat.link(command).await,
        "verify" => chat.verify(request, command).await,
        "pending" => chat.pending().await,
        "approve" => chat.approve(command).await,
        "reject" => chat.reject(command).await,
        "add-member" => chat.add_member(command).await,
        "token" => chat.token(command).await,
        "review" => chat.review(command).await,
        _ => return None,
    };
    Some(chat.finish(result))
}

/// The review steps an admin can take with a button (`review:<step>:<registration>`); the ones
/// that need text (a note, a reason) ask for it first.
pub(super) const REVIEW_BUTTONS: &[&str] = &[
    "start",
    "request-documents",
    "documents-received",
    "complete",
    "reject",
];

/// Handles a button press; `None` when no workflow owns `custom_id`.
pub async fn button(
    desk: &Context<'_>,
    session: &mut Session,
    request: &Request,
    custom_id: &str,
) -> Option<Vec<Reply>> {
    let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
    if let Some(rest) = custom_id.strip_prefix("review:") {
        let (action, id) = rest.split_once(':')?;
        let id = number(id)?;
        if !REVIEW_BUTTONS.contains(&action) {
            return None;
        }
        let chat = match Chat::open(desk, session, request).await {
            Ok(chat) => chat,
            Err(reply) => return Some(vec![reply]),
        };
        let result = chat.review_button(action, id).await;
        return Some(chat.finish(result));
    }
    if let Some(company) = custom_id.strip_prefix("token:reveal:") {
        let company = number(company)?;
        let chat = match Chat::open(desk, session, request).await {
            Ok(chat) => chat,
            Err(reply) => return Some(vec![reply]),
        };
        let result = chat.reveal_button(company).await;
        return Some(chat.finish(result));
    }
    let rest = custom_id.strip_prefix("join:")?;
    let parts: Vec<&str> = rest.split(':').collect();
    let chat = match Chat::open(desk, session, request).await {
        Ok(chat) => chat,
        Err(reply) => return Some(vec![reply]),
    };
    let result = match parts.as_slice() {
        ["pick", company, location] => match (number(company), number(location)) {
            (Some(c), Some(l)) => chat.pick(c, l).await,
            _ => return None,
        },
        ["approve", id] => match number(id) {
            Some(id) => chat.level_buttons(id).await,
            None => return None,
        },
        ["level", id, level] => match (number(id), PermissionLevel::parse(level)) {
            (Some(id), Some(level)) => chat.decide(id, true, Some(level), None).await,
            _ => return None,
        },
        ["reject", id] => match number(id) {
            Some(id) => chat.ask_reason(id).await,
            None => return None,
        },
        ["ask-apa", company] => match number(company) {
            Some(company) => chat.ask_apa(company).await,
            None => return None,
        },
        _ => return None,
    };
    Some(chat.finish(result))
}

/// For a linked member who asks in free text about their contacts or APA: the names recorded
/// for their companies (a private reply) in `locale`, the language of the answer it follows.
/// `None` when there is nothing of theirs to add.
pub async fn recorded_contacts(
    desk: &Context<'_>,
    session: &Session,
    request: &Request,
    locale: Locale,
) -> Option<Vec<Reply>> {
    desk.store.as_ref()?;
    let mut chat = Chat::open(desk, session, request).await.ok()?;
    chat.locale = locale;
    if chat.caller.person.is_none() || chat.caller.companies().is_empty() {
        return None;
    }
    chat.contacts(&Command::default()).await.ok()
}

pub(super) struct Chat<'a> {
    pub(super) desk: &'a Context<'a>,
    pub(super) store: &'a dyn Store,
    pub(super) caller: Caller,
    pub(super) locale: Locale,
    pub(super) now: DateTime<Utc>,
    pub(super) display_name: String,
    /// The language chosen in this session (`/lang`, `--lang`), which beats every other.
    pub(super) chosen: Option<Locale>,
}

impl<'a> Chat<'a> {
    pub(super) async fn open(
        desk: &'a Context<'a>,
        session: &Session,
        request: &Request,
    ) -> Result<Self, Reply> {
        let fallback = desk.reply_locale(session, request);
        let Some(store) = desk.store.as_deref() else {
            return Err(Reply::private(
                fallback,
                tr(fallback, "wf-chat-no-store", &[]),
            ));
        };
        let caller = identity::resolve(store, session, request)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "cannot resolve the chat caller");
                Reply::private(fallback, tr(fallback, "error-internal", &[]))
            })?;
        let locale = caller.locale(desk, session, request);
        Ok(Self {
            desk,
            store,
            caller,
            locale,
            now: desk.clock.now(),
            display_name: request.user.display_name.clone(),
            chosen: language::chosen(session),
        })
    }

    pub(super) fn finish(&self, result: WfResult<Vec<Reply>>) -> Vec<Reply> {
        match result {
            Ok(replies) => replies,
            Err(e) => vec![Reply::private(self.locale, e.render(self.locale))],
        }
    }

    pub(super) fn t(&self, msg: Msg) -> String {
        msg.render(self.locale)
    }

    pub(super) fn reply(&self, msg: Msg) -> Reply {
        Reply::private(self.locale, self.t(msg))
    }

    pub(super) fn ctx(&self) -> Ctx<'a> {
        let who = self
            .caller
            .ibm_id
            .clone()
            .unwrap_or_else(|| self.caller.platform_id.clone());
        Ctx {
            store: self.store,
            actor: Actor::new(who, self.caller.channel),
            now: self.now,
        }
    }

    pub(super) fn zone(&self) -> chrono_tz::Tz {
        self.caller
            .person
            .as_ref()
            .map(|p| zone_of(&p.time_zone))
            .unwrap_or_else(|| self.desk.calendar.zone())
    }

    pub(super) fn when(&self, at: DateTime<Utc>) -> String {
        crate::i18n::text::when(self.locale, at, self.zone())
    }

    /// "Contact PWCS at 0120-07-2004 (press 3) ... Open now until 12:00."
    pub(super) fn pwcs(&self) -> String {
        let status = crate::i18n::rules_text::hours_now(self.locale, self.desk.calendar, self.now);
        self.t(Msg::new("wf-chat-pwcs").arg("status", status))
    }

    pub(super) fn linked(&self) -> WfResult<String> {
        self.caller
            .ibm_id
            .clone()
            .ok_or_else(|| WorkflowError::refused(Msg::new("wf-chat-link-first")))
    }

    pub(super) fn person(&self) -> WfResult<&Person> {
        self.linked()?;
        self.caller
            .person
            .as_ref()
            .ok_or_else(|| WorkflowError::refused(Msg::new("wf-chat-no-profile")))
    }

    /// A name to start a profile with: the saved one, else the chat display name, else the
    /// part of the IBM ID before `@`.
    pub(super) fn default_name(&self, ibm_id: &str) -> String {
        if let Some(p) = &self.caller.person {
            return p.name.clone();
        }
        let display = one_line(&self.display_name);
        if !display.is_empty() && !display.contains('@') && display != "operator" {
            return display;
        }
        ibm_id.split('@').next().unwrap_or(ibm_id).to_string()
    }

    pub(super) fn option<'c>(command: &'c Command, keys: &[&str]) -> Option<&'c str> {
        keys.iter().find_map(|k| command.option(k))
    }

    /// The value of `keys`, else the first free word.
    pub(super) fn option_or_word<'c>(command: &'c Command, keys: &[&str]) -> Option<&'c str> {
        Self::option(command, keys).or_else(|| command.rest.split_whitespace().next())
    }

    pub(super) fn lang_option(command: &Command) -> WfResult<Option<Locale>> {
        Ok(Self::option(command, &["lang", "language"])
            .map(validate::locale)
            .transpose()?)
    }

    pub(super) fn who(&self, decided_by: &str, person: Option<&Person>) -> String {
        match (decided_by.strip_prefix("operator:"), person) {
            (Some(user), _) => self.t(Msg::new("wf-chat-by-operator").arg("user", user)),
            (None, Some(p)) => format!("{} ({})", p.name, p.ibm_id),
            (None, None) => decided_by.to_string(),
        }
    }

    pub(super) async fn company_name(&self, id: i64) -> WfResult<String> {
        Ok(self
            .store
            .company(id)
            .await?
            .map(|c| c.name)
            .unwrap_or_else(|| format!("#{id}")))
    }

    // ---- identity -------------------------------------------------------------------------

    // ---- joining ----------------------------------------------------------------------------

    // ---- APA --------------------------------------------------------------------------------

    // ---- registration -------------------------------------------------------------------------
}
