//! The workflow commands and buttons of the chat (`/register`, `/join`, `/approve`, ...). The
//! same handlers serve the console and Discord; every action resolves the caller and their
//! roles from the database first, and every button names the database row it acts on.

use chrono::{DateTime, Utc};

use crate::chat::context::Context;
use crate::chat::identity::{self, Caller};
use crate::chat::model::{Command, Reply, Request, Session};
use crate::i18n::text::{locale_of, one_line, zone_of, Msg};
use crate::i18n::{tr, Locale};
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{
    Actor, AddMember, AddMemberOutcome, Company, DecideOutcome, JoinFilter, JoinPick, JoinRequest,
    LinkAttempt, LinkCodeOutcome, NewLinkCode, NewPerson, Person, PickOutcome, RegistrationFilter,
    RegistrationStatus, Role, Store, TokenOutcome, VerifyOutcome,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::notices;
use crate::workflows::secret;
use crate::workflows::service::{self, Ctx, WfResult, WorkflowError};
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
const REVIEW_BUTTONS: &[&str] = &["start", "request-documents", "complete", "reject"];

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

struct Chat<'a> {
    desk: &'a Context<'a>,
    store: &'a dyn Store,
    caller: Caller,
    locale: Locale,
    now: DateTime<Utc>,
    display_name: String,
    /// The language chosen in this session (`/lang`, `--lang`), which beats every other.
    chosen: Option<Locale>,
}

impl<'a> Chat<'a> {
    async fn open(
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
            chosen: session.chosen(),
        })
    }

    fn finish(&self, result: WfResult<Vec<Reply>>) -> Vec<Reply> {
        match result {
            Ok(replies) => replies,
            Err(e) => vec![Reply::private(self.locale, e.render(self.locale))],
        }
    }

    fn t(&self, msg: Msg) -> String {
        msg.render(self.locale)
    }

    fn reply(&self, msg: Msg) -> Reply {
        Reply::private(self.locale, self.t(msg))
    }

    fn ctx(&self) -> Ctx<'a> {
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

    fn zone(&self) -> chrono_tz::Tz {
        self.caller
            .person
            .as_ref()
            .map(|p| zone_of(&p.time_zone))
            .unwrap_or_else(|| self.desk.calendar.zone())
    }

    fn when(&self, at: DateTime<Utc>) -> String {
        crate::i18n::text::when(self.locale, at, self.zone())
    }

    /// "Contact PWCS at 0120-07-2004 (press 3) ... Open now until 12:00."
    fn pwcs(&self) -> String {
        let status = crate::i18n::rules_text::hours_now(self.locale, &self.desk.calendar, self.now);
        self.t(Msg::new("wf-chat-pwcs").arg("status", status))
    }

    fn linked(&self) -> WfResult<String> {
        self.caller
            .ibm_id
            .clone()
            .ok_or_else(|| WorkflowError::refused(Msg::new("wf-chat-link-first")))
    }

    fn person(&self) -> WfResult<&Person> {
        self.linked()?;
        self.caller
            .person
            .as_ref()
            .ok_or_else(|| WorkflowError::refused(Msg::new("wf-chat-no-profile")))
    }

    /// A name to start a profile with: the saved one, else the chat display name, else the
    /// part of the IBM ID before `@`.
    fn default_name(&self, ibm_id: &str) -> String {
        if let Some(p) = &self.caller.person {
            return p.name.clone();
        }
        let display = one_line(&self.display_name);
        if !display.is_empty() && !display.contains('@') && display != "operator" {
            return display;
        }
        ibm_id.split('@').next().unwrap_or(ibm_id).to_string()
    }

    fn option<'c>(command: &'c Command, keys: &[&str]) -> Option<&'c str> {
        keys.iter().find_map(|k| command.option(k))
    }

    /// The value of `keys`, else the first free word.
    fn option_or_word<'c>(command: &'c Command, keys: &[&str]) -> Option<&'c str> {
        Self::option(command, keys).or_else(|| command.rest.split_whitespace().next())
    }

    fn lang_option(command: &Command) -> WfResult<Option<Locale>> {
        Ok(Self::option(command, &["lang", "language"])
            .map(validate::locale)
            .transpose()?)
    }

    fn who(&self, decided_by: &str, person: Option<&Person>) -> String {
        match (decided_by.strip_prefix("operator:"), person) {
            (Some(user), _) => self.t(Msg::new("wf-chat-by-operator").arg("user", user)),
            (None, Some(p)) => format!("{} ({})", p.name, p.ibm_id),
            (None, None) => decided_by.to_string(),
        }
    }

    async fn company_name(&self, id: i64) -> WfResult<String> {
        Ok(self
            .store
            .company(id)
            .await?
            .map(|c| c.name)
            .unwrap_or_else(|| format!("#{id}")))
    }

    // ---- identity -------------------------------------------------------------------------

    async fn link(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let Some(raw) = Self::option_or_word(command, &["ibm-id", "ibm_id", "email"]) else {
            return Err(WorkflowError::input(Msg::new("wf-chat-link-usage")));
        };
        let ibm_id = validate::ibm_id(raw)?;
        let code = secret::link_code();
        let new = NewLinkCode {
            platform_id: self.caller.platform_id.clone(),
            ibm_id: ibm_id.clone(),
            code_hash: secret::link_code_hash(&self.caller.platform_id, &code),
            expires_at: self.now + chrono::Duration::minutes(service::LINK_CODE_MINUTES),
            max_per_hour: service::LINK_CODES_PER_HOUR,
        };
        let (locale, now) = (self.locale, self.now);
        let render = |id: &i64| notices::link_code(&ibm_id, &code, locale, *id, now);
        let ctx = self.ctx();
        match self
            .store
            .create_link_code(&new, &ctx.actor, self.now, &render)
            .await?
        {
            LinkCodeOutcome::Sent(_) => Ok(vec![self.reply(
                Msg::new("wf-chat-link-sent")
                    .arg("ibm_id", ibm_id.clone())
                    .num("minutes", service::LINK_CODE_MINUTES)
                    .num("tries", service::LINK_CODE_TRIES),
            )]),
            LinkCodeOutcome::TooMany { retry_after } => Err(WorkflowError::refused(
                Msg::new("wf-chat-link-too-many").arg("until", self.when(retry_after)),
            )),
        }
    }

    async fn verify(&self, request: &Request, command: &Command) -> WfResult<Vec<Reply>> {
        let code = Self::option_or_word(command, &["code"])
            .map(str::trim)
            .filter(|c| c.len() == 6 && c.chars().all(|ch| ch.is_ascii_digit()));
        let Some(code) = code else {
            return Err(WorkflowError::input(Msg::new("wf-chat-verify-usage")));
        };
        let name = validate::person_name(&request.user.display_name)
            .ok()
            .filter(|n| !n.contains('@'))
            .unwrap_or_else(|| "-".to_string());
        let attempt = LinkAttempt {
            platform_id: self.caller.platform_id.clone(),
            code_hash: secret::link_code_hash(&self.caller.platform_id, code),
            max_tries: service::LINK_CODE_TRIES,
            new_person: NewPerson {
                ibm_id: String::new(),
                name,
                locale: self.locale.code().into(),
                time_zone: self.desk.calendar.zone().name().into(),
            },
        };
        let ctx = self.ctx();
        match self
            .store
            .verify_link_code(&attempt, &ctx.actor, self.now)
            .await?
        {
            VerifyOutcome::Linked(person) => {
                // From now on the person's saved language applies.
                let locale = self.chosen.unwrap_or_else(|| locale_of(&person.locale));
                Ok(vec![Reply::private(
                    locale,
                    Msg::new("wf-chat-verify-linked")
                        .arg("name", person.name)
                        .arg("ibm_id", person.ibm_id)
                        .render(locale),
                )])
            }
            // The last wrong try says the code is used up, not "0 tries left".
            VerifyOutcome::Wrong { remaining: 0 } | VerifyOutcome::TooManyTries => {
                Err(WorkflowError::refused(Msg::new("wf-chat-verify-too-many")))
            }
            VerifyOutcome::Wrong { remaining } => Err(WorkflowError::refused(
                Msg::new("wf-chat-verify-wrong").num("remaining", remaining),
            )),
            VerifyOutcome::Expired => {
                Err(WorkflowError::refused(Msg::new("wf-chat-verify-expired")))
            }
            VerifyOutcome::NoCode => Err(WorkflowError::refused(Msg::new("wf-chat-verify-none"))),
        }
    }

    async fn profile(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let person = self.person()?.clone();
        let name = Self::option(command, &["name"])
            .map(validate::person_name)
            .transpose()?;
        let lang = Self::lang_option(command)?;
        let shown = if name.is_some() || lang.is_some() {
            let name = name.unwrap_or(person.name.clone());
            let lang = lang.unwrap_or(locale_of(&person.locale));
            let ctx = self.ctx();
            self.store
                .update_profile(person.id, &name, lang.code(), &ctx.actor, self.now)
                .await?
                .unwrap_or(person)
        } else {
            person
        };
        let locale = if Self::lang_option(command)?.is_some() {
            locale_of(&shown.locale)
        } else {
            self.locale
        };
        Ok(vec![Reply::private(
            locale,
            Msg::new("wf-chat-profile")
                .arg("name", shown.name.clone())
                .arg("ibm_id", shown.ibm_id.clone())
                .label(
                    "lang",
                    format!("wf-lang-{}", locale_of(&shown.locale).code()),
                )
                .render(locale),
        )])
    }

    // ---- joining ----------------------------------------------------------------------------

    async fn join(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let Some(typed) = Self::option_or_word(command, &["token"]) else {
            let text = format!(
                "{}\n{}",
                self.t(Msg::new("wf-chat-join-usage")),
                self.pwcs()
            );
            return Ok(vec![Reply::private(self.locale, text)]);
        };
        let ibm_id = self.linked()?;
        let name = Self::option(command, &["name"])
            .map(validate::person_name)
            .transpose()?;
        let lang = Self::lang_option(command)?;
        let ctx = self.ctx();
        match service::enter_token(&ctx, &ibm_id, typed, name, lang).await? {
            TokenOutcome::Accepted { company, locations } => {
                if locations.is_empty() {
                    let text = format!(
                        "{}\n{}",
                        self.t(Msg::new("wf-chat-join-no-locations").arg("company", company.name)),
                        self.pwcs()
                    );
                    return Ok(vec![Reply::private(self.locale, text)]);
                }
                let buttons = locations
                    .iter()
                    .map(|l| Button {
                        id: format!("join:pick:{}:{}", company.id, l.id),
                        label: l.name.clone(),
                        style: ButtonStyle::Primary,
                    })
                    .collect();
                Ok(vec![self
                    .reply(
                        Msg::new("wf-chat-join-pick")
                            .arg("company", company.name)
                            .num("minutes", service::PICK_MINUTES),
                    )
                    .with_buttons(buttons)])
            }
            TokenOutcome::Rejected {
                locked_until: Some(until),
                ..
            } => Err(WorkflowError::refused(
                Msg::new("wf-chat-token-locked-now")
                    .num("max", service::TOKEN_MAX_FAILURES)
                    .arg("until", self.when(until)),
            )),
            TokenOutcome::Rejected { failures, .. } => Err(WorkflowError::refused(
                Msg::new("wf-chat-token-wrong")
                    .num("remaining", (service::TOKEN_MAX_FAILURES - failures).max(0)),
            )),
            TokenOutcome::Locked { until } => Err(WorkflowError::refused(
                Msg::new("wf-chat-token-locked").arg("until", self.when(until)),
            )),
        }
    }

    async fn pick(&self, company_id: i64, location_id: i64) -> WfResult<Vec<Reply>> {
        let ibm_id = self.linked()?;
        let pick = JoinPick {
            actor_key: ibm_id.clone(),
            company_id,
            location_id,
            profile: NewPerson {
                ibm_id: ibm_id.clone(),
                name: self.default_name(&ibm_id),
                locale: self.locale.code().into(),
                time_zone: self.desk.calendar.zone().name().into(),
            },
        };
        let now = self.now;
        let render = |input: &(JoinRequest, Vec<crate::store::MemberRow>)| {
            notices::join_alerts(&input.0, &input.1, now)
        };
        let ctx = self.ctx();
        match self
            .store
            .create_join_request(&pick, &ctx.actor, self.now, &render)
            .await?
        {
            PickOutcome::Created { request, apas } => {
                // The profile's language is the person's choice from now on.
                let locale = self
                    .chosen
                    .unwrap_or_else(|| locale_of(&request.person_locale));
                let mut text = Msg::new("wf-chat-join-sent")
                    .num("id", request.id)
                    .arg("company", request.company_name.clone())
                    .arg("location", request.location_name.clone())
                    .arg("name", request.person_name.clone())
                    .arg("ibm_id", request.person_ibm_id.clone())
                    .label(
                        "lang",
                        format!("wf-lang-{}", locale_of(&request.person_locale).code()),
                    )
                    .num("apas", apas as i64)
                    .render(locale);
                if apas == 0 {
                    text.push('\n');
                    text.push_str(&Msg::new("wf-chat-no-apa").render(locale));
                    text.push('\n');
                    let status =
                        crate::i18n::rules_text::hours_now(locale, &self.desk.calendar, self.now);
                    text.push_str(
                        &Msg::new("wf-chat-pwcs")
                            .arg("status", status)
                            .render(locale),
                    );
                }
                Ok(vec![Reply::private(locale, text)])
            }
            PickOutcome::NoGrant => Err(WorkflowError::refused(Msg::new("wf-chat-join-no-grant"))),
            PickOutcome::UnknownLocation => Err(WorkflowError::refused(Msg::new(
                "wf-chat-join-bad-location",
            ))),
            PickOutcome::AlreadyMember => Err(WorkflowError::refused(
                Msg::new("wf-chat-join-already-member")
                    .arg("company", self.company_name(company_id).await?),
            )),
            PickOutcome::AlreadyPending(r) => Err(WorkflowError::refused(
                Msg::new("wf-chat-join-already-pending")
                    .num("id", r.id)
                    .arg("company", r.company_name)
                    .arg("location", r.location_name),
            )),
        }
    }

    async fn status(&self) -> WfResult<Vec<Reply>> {
        let ibm_id = self.linked()?;
        let Some(person) = &self.caller.person else {
            let text = format!(
                "{}\n{}",
                self.t(Msg::new("wf-chat-status-unknown").arg("ibm_id", ibm_id)),
                self.pwcs()
            );
            return Ok(vec![Reply::private(self.locale, text)]);
        };
        let mut lines = vec![self.t(Msg::new("wf-chat-status-header")
            .arg("name", person.name.clone())
            .arg("ibm_id", person.ibm_id.clone()))];
        for m in &self.caller.roles {
            let company = match m.company_id {
                Some(id) => self.company_name(id).await?,
                None => String::new(),
            };
            lines.push(
                self.t(Msg::new("wf-chat-status-role")
                    .arg("company", company)
                    .label("role", format!("wf-role-{}", m.role))
                    .arg("location", m.location_name.clone().unwrap_or_default())
                    .arg(
                        "level",
                        m.permission_level
                            .as_deref()
                            .map(|l| PermissionLevel::label_of(l, self.locale))
                            .unwrap_or_default(),
                    )),
            );
        }
        let joins = self
            .store
            .list_join_requests(&JoinFilter {
                person_id: Some(person.id),
                ..JoinFilter::default()
            })
            .await?;
        for j in &joins {
            lines.push(
                self.t(Msg::new("wf-chat-status-join")
                    .num("id", j.id)
                    .arg("company", j.company_name.clone())
                    .arg("location", j.location_name.clone())
                    .label("status", format!("wf-join-status-{}", j.status))
                    .arg("date", self.when(j.decided_at.unwrap_or(j.created_at)))
                    .arg("reason", j.reason.clone().unwrap_or_default())),
            );
        }
        let registrations = self
            .store
            .list_registrations(&RegistrationFilter {
                applicant_id: Some(person.id),
                ..RegistrationFilter::default()
            })
            .await?;
        for r in &registrations {
            lines.push(
                self.t(Msg::new("wf-chat-status-registration")
                    .num("id", r.id)
                    .arg("company", r.company_name.clone())
                    .label("status", format!("wf-reg-status-{}", r.status))
                    .arg("date", self.when(r.updated_at))
                    .arg("note", r.note.clone().unwrap_or_default())),
            );
        }
        if self.caller.roles.is_empty() && joins.is_empty() && registrations.is_empty() {
            lines.push(self.t(Msg::new("wf-chat-status-nothing")));
            lines.push(self.pwcs());
        }
        Ok(vec![Reply::private(self.locale, lines.join("\n"))])
    }

    async fn contacts(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.linked()?;
        let ctx = self.ctx();
        let companies: Vec<i64> = match Self::option(command, &["company"]) {
            Some(reference) => {
                let company = service::company_by_ref(&ctx, reference).await?;
                if !self.caller.is_admin() && !self.caller.companies().contains(&company.id) {
                    return Err(WorkflowError::refused(
                        Msg::new("wf-chat-contacts-not-yours").arg("company", company.name),
                    ));
                }
                vec![company.id]
            }
            None => self.caller.companies(),
        };
        if companies.is_empty() {
            let text = format!(
                "{}\n{}",
                self.t(Msg::new("wf-chat-contacts-no-company")),
                self.pwcs()
            );
            return Ok(vec![Reply::private(self.locale, text)]);
        }
        let mut replies = Vec::new();
        for id in companies {
            let name = self.company_name(id).await?;
            let members = self.store.company_members(id).await?;
            let list = |role: Role| -> String {
                let names: Vec<String> = members
                    .iter()
                    .filter(|m| m.role() == Some(role))
                    .map(|m| format!("{} ({})", m.name, m.ibm_id))
                    .collect();
                if names.is_empty() {
                    tr(self.locale, "wf-chat-contacts-none", &[])
                } else {
                    names.join(", ")
                }
            };
            let has_apa = members.iter().any(|m| m.role() == Some(Role::Apa));
            let mut text = self.t(Msg::new("wf-chat-contacts")
                .arg("company", name)
                .arg("primary", list(Role::PrimaryContact))
                .arg("technical", list(Role::TechnicalContact))
                .arg("apas", list(Role::Apa)));
            if !has_apa {
                text.push('\n');
                text.push_str(&self.t(Msg::new("wf-chat-no-apa")));
                text.push('\n');
                text.push_str(&self.pwcs());
            }
            replies.push(Reply::private(self.locale, text));
        }
        Ok(replies)
    }

    // ---- APA --------------------------------------------------------------------------------

    fn require_apa(&self) -> WfResult<(&Person, Vec<i64>)> {
        let person = self.person()?;
        let companies = self.caller.apa_companies();
        if companies.is_empty() {
            return Err(WorkflowError::refused(Msg::new("wf-chat-not-apa-any")));
        }
        Ok((person, companies))
    }

    fn decision_buttons(&self, id: i64) -> Vec<Button> {
        vec![
            Button {
                id: format!("join:approve:{id}"),
                label: tr(self.locale, "wf-button-approve", &[]),
                style: ButtonStyle::Success,
            },
            Button {
                id: format!("join:reject:{id}"),
                label: tr(self.locale, "wf-button-reject", &[]),
                style: ButtonStyle::Danger,
            },
        ]
    }

    async fn pending(&self) -> WfResult<Vec<Reply>> {
        let (person, _) = self.require_apa()?;
        let requests = self.store.pending_joins_for_apa(person.id).await?;
        if requests.is_empty() {
            return Ok(vec![self.reply(Msg::new("wf-chat-pending-none"))]);
        }
        let mut replies = vec![
            self.reply(Msg::new("wf-chat-pending-header").num("count", requests.len() as i64))
        ];
        for r in requests {
            replies.push(
                self.reply(
                    Msg::new("wf-chat-pending-item")
                        .num("id", r.id)
                        .arg("name", r.person_name.clone())
                        .arg("ibm_id", r.person_ibm_id.clone())
                        .arg("company", r.company_name.clone())
                        .arg("location", r.location_name.clone())
                        .arg("date", self.when(r.created_at)),
                )
                .with_buttons(self.decision_buttons(r.id)),
            );
        }
        Ok(replies)
    }

    /// A request the caller may decide, still pending; otherwise the polite refusal.
    async fn decidable(&self, id: i64) -> WfResult<JoinRequest> {
        let (_, companies) = self.require_apa()?;
        let Some(request) = self.store.join_request_by_id(id).await? else {
            return Err(WorkflowError::input(
                Msg::new("wf-error-no-request").arg("value", id.to_string()),
            ));
        };
        if !companies.contains(&request.company_id) {
            return Err(WorkflowError::refused(
                Msg::new("wf-chat-not-apa").arg("company", request.company_name),
            ));
        }
        if request.status != "pending" {
            return Err(self.already_decided(&request).await?);
        }
        Ok(request)
    }

    async fn already_decided(&self, r: &JoinRequest) -> WfResult<WorkflowError> {
        let by = r.decided_by.clone().unwrap_or_default();
        let person = if by.contains('@') {
            self.store.person_by_ibm_id(&by).await?
        } else {
            None
        };
        Ok(WorkflowError::refused(
            Msg::new("wf-chat-already-decided")
                .num("id", r.id)
                .arg("name", r.person_name.clone())
                .label("status", format!("wf-join-status-{}", r.status))
                .arg("by", self.who(&by, person.as_ref()))
                .arg(
                    "date",
                    r.decided_at.map(|at| self.when(at)).unwrap_or_default(),
                ),
        ))
    }

    async fn level_buttons(&self, id: i64) -> WfResult<Vec<Reply>> {
        let request = self.decidable(id).await?;
        let buttons = PermissionLevel::ALL
            .into_iter()
            .map(|level| Button {
                id: format!("join:level:{id}:{}", level.as_str()),
                label: level.label(self.locale),
                style: ButtonStyle::Success,
            })
            .collect();
        Ok(vec![self
            .reply(
                Msg::new("wf-chat-approve-pick-level")
                    .num("id", id)
                    .arg("name", request.person_name)
                    .arg("company", request.company_name),
            )
            .with_buttons(buttons)])
    }

    async fn ask_reason(&self, id: i64) -> WfResult<Vec<Reply>> {
        let request = self.decidable(id).await?;
        let prompt = crate::chat::model::Prompt {
            command: "reject".into(),
            sub: None,
            options: [("request".to_string(), id.to_string())].into(),
            field: "reason".into(),
            title: self.t(Msg::new("wf-chat-reject-prompt-title").num("id", id)),
            label: self.t(Msg::new("wf-chat-reject-prompt-label")),
        };
        Ok(vec![self
            .reply(
                Msg::new("wf-chat-reject-ask-reason")
                    .num("id", id)
                    .arg("name", request.person_name),
            )
            .with_prompt(prompt)])
    }

    async fn decide(
        &self,
        id: i64,
        approve: bool,
        level: Option<PermissionLevel>,
        reason: Option<String>,
    ) -> WfResult<Vec<Reply>> {
        let (person, _) = self.require_apa()?;
        let ctx = self.ctx();
        match service::decide_join(&ctx, id, approve, level, reason, Some(person.id)).await? {
            DecideOutcome::Decided(r) if approve => Ok(vec![self.reply(
                Msg::new("wf-chat-approved")
                    .num("id", r.id)
                    .arg("name", r.person_name)
                    .arg("ibm_id", r.person_ibm_id)
                    .arg("company", r.company_name)
                    .arg("location", r.location_name)
                    .arg(
                        "level",
                        r.permission_level
                            .as_deref()
                            .map(|l| PermissionLevel::label_of(l, self.locale))
                            .unwrap_or_default(),
                    ),
            )]),
            DecideOutcome::Decided(r) => Ok(vec![self.reply(
                Msg::new("wf-chat-rejected")
                    .num("id", r.id)
                    .arg("name", r.person_name)
                    .arg("ibm_id", r.person_ibm_id)
                    .arg("reason", r.reason.unwrap_or_default()),
            )]),
            DecideOutcome::AlreadyDecided(r) => Err(self.already_decided(&r).await?),
            DecideOutcome::NotAuthorized(r) => Err(WorkflowError::refused(
                Msg::new("wf-chat-not-apa").arg("company", r.company_name),
            )),
            DecideOutcome::NotFound => Err(WorkflowError::input(
                Msg::new("wf-error-no-request").arg("value", id.to_string()),
            )),
        }
    }

    fn request_id(command: &Command) -> WfResult<i64> {
        let Some(raw) = Self::option_or_word(command, &["request", "id"]) else {
            return Err(WorkflowError::input(Msg::new("wf-chat-request-missing")));
        };
        Ok(validate::id(raw, "request")?)
    }

    async fn approve(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.require_apa()?;
        let id = Self::request_id(command)?;
        match Self::option(command, &["level"]) {
            None => self.level_buttons(id).await,
            Some(raw) => {
                let level = PermissionLevel::parse(raw).ok_or_else(|| {
                    WorkflowError::input(
                        Msg::new("wf-error-bad-level")
                            .arg("value", one_line(raw))
                            .arg("levels", PermissionLevel::words()),
                    )
                })?;
                self.decide(id, true, Some(level), None).await
            }
        }
    }

    async fn reject(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.require_apa()?;
        let id = Self::request_id(command)?;
        let reason = Self::option(command, &["reason"])
            .map(str::to_string)
            .or_else(|| {
                // `/reject 12 wrong company`: the words after the id.
                let mut words = command.rest.split_whitespace();
                if command.option("request").is_none() && command.option("id").is_none() {
                    words.next();
                }
                let rest: Vec<&str> = words.collect();
                (!rest.is_empty()).then(|| rest.join(" "))
            });
        if reason.is_none() {
            self.decidable(id).await?;
            return Err(WorkflowError::input(
                Msg::new("wf-error-reason-needed").arg("id", id.to_string()),
            ));
        }
        self.decide(id, false, None, reason).await
    }

    async fn add_member(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let (apa, companies) = self.require_apa()?;
        let (Some(raw_id), Some(raw_location), Some(raw_level)) = (
            Self::option(command, &["ibm-id", "ibm_id", "email"]),
            Self::option(command, &["location"]),
            Self::option(command, &["level"]),
        ) else {
            return Err(WorkflowError::input(
                Msg::new("wf-chat-add-member-usage").arg("levels", PermissionLevel::words()),
            ));
        };
        let ibm_id = validate::ibm_id(raw_id)?;
        let level = PermissionLevel::parse(raw_level).ok_or_else(|| {
            WorkflowError::input(
                Msg::new("wf-error-bad-level")
                    .arg("value", one_line(raw_level))
                    .arg("levels", PermissionLevel::words()),
            )
        })?;
        let location = self.find_location(&companies, raw_location).await?;
        let company: Option<Company> = self.store.company(location.company_id).await?;
        let name = match Self::option(command, &["name"]) {
            Some(n) => validate::person_name(n)?,
            None => ibm_id.split('@').next().unwrap_or(&ibm_id).to_string(),
        };
        let lang = Self::lang_option(command)?
            .or_else(|| company.as_ref().map(|c| locale_of(&c.locale)))
            .unwrap_or(self.locale);
        let add = AddMember {
            location_id: location.id,
            person: NewPerson {
                ibm_id: ibm_id.clone(),
                name,
                locale: lang.code().into(),
                time_zone: self.desk.calendar.zone().name().into(),
            },
            level: level.as_str().into(),
            require_apa: Some(apa.id),
        };
        let now = self.now;
        let render = |r: &JoinRequest| notices::welcome(r, now);
        let ctx = self.ctx();
        let company_name = company.map(|c| c.name).unwrap_or_default();
        match self
            .store
            .add_member_by_apa(&add, &ctx.actor, self.now, &render)
            .await?
        {
            AddMemberOutcome::Added(r) => Ok(vec![self.reply(
                Msg::new("wf-chat-member-added")
                    .arg("name", r.person_name)
                    .arg("ibm_id", r.person_ibm_id)
                    .arg("company", r.company_name)
                    .arg("location", r.location_name)
                    .arg("level", level.label(self.locale)),
            )]),
            AddMemberOutcome::AlreadyMember => Err(WorkflowError::refused(
                Msg::new("wf-chat-member-exists")
                    .arg("ibm_id", ibm_id)
                    .arg("company", company_name),
            )),
            AddMemberOutcome::NotAuthorized => Err(WorkflowError::refused(
                Msg::new("wf-chat-not-apa").arg("company", company_name),
            )),
            AddMemberOutcome::UnknownLocation => Err(WorkflowError::input(
                Msg::new("wf-error-no-location").arg("value", one_line(raw_location)),
            )),
        }
    }

    /// A location of one of `companies`, by id or by name.
    async fn find_location(
        &self,
        companies: &[i64],
        raw: &str,
    ) -> WfResult<crate::store::Location> {
        let raw = raw.trim();
        let mut all = Vec::new();
        for id in companies {
            all.extend(self.store.locations(*id).await?);
        }
        if let Ok(id) = raw.trim_start_matches('#').parse::<i64>() {
            if let Some(l) = all.iter().find(|l| l.id == id) {
                return Ok(l.clone());
            }
        }
        let matching: Vec<_> = all
            .iter()
            .filter(|l| l.name == raw || l.name.to_lowercase() == raw.to_lowercase())
            .collect();
        if let [one] = matching.as_slice() {
            return Ok((*one).clone());
        }
        let choices = all
            .iter()
            .map(|l| format!("{} (location:{})", l.name, l.id))
            .collect::<Vec<_>>()
            .join(", ");
        Err(WorkflowError::input(
            Msg::new("wf-chat-location-unknown")
                .arg("value", one_line(raw))
                .arg("choices", choices),
        ))
    }

    async fn token(&self, command: &Command) -> WfResult<Vec<Reply>> {
        if command.sub.as_deref() != Some("rotate") {
            return Err(WorkflowError::input(Msg::new("wf-chat-token-usage")));
        }
        let (_, companies) = self.require_apa()?;
        let ctx = self.ctx();
        let company_id = match Self::option(command, &["company"]) {
            Some(reference) => {
                let company = service::company_by_ref(&ctx, reference).await?;
                if !companies.contains(&company.id) {
                    return Err(WorkflowError::refused(
                        Msg::new("wf-chat-not-apa").arg("company", company.name),
                    ));
                }
                company.id
            }
            None => match companies.as_slice() {
                [one] => *one,
                _ => {
                    let mut names = Vec::new();
                    for id in &companies {
                        names.push(format!("{} (company:{id})", self.company_name(*id).await?));
                    }
                    return Err(WorkflowError::input(
                        Msg::new("wf-chat-token-which").arg("choices", names.join(", ")),
                    ));
                }
            },
        };
        let (token, _) = service::rotate_token(&ctx, company_id).await?;
        Ok(vec![self.reply(
            Msg::new("wf-chat-token-rotated")
                .arg("company", self.company_name(company_id).await?)
                .arg("token", token.as_str()),
        )])
    }

    // ---- registration -------------------------------------------------------------------------

    async fn register(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let Some(company_name) = Self::option(command, &["company", "name"]) else {
            return Ok(vec![self.reply(Msg::new("wf-chat-register-usage"))]);
        };
        let ibm_id = self.linked()?;
        let lang = Self::lang_option(command)?.unwrap_or(self.locale);
        let ctx = self.ctx();
        let company_name = validate::company_name(company_name)?;
        if let Some(existing) = self.store.find_company_by_name(&company_name).await? {
            return Err(WorkflowError::refused(
                Msg::new("wf-chat-register-exists")
                    .arg("company", existing.name)
                    .num("id", existing.id),
            ));
        }
        let company = service::add_company(&ctx, &company_name, lang, None, None, true).await?;
        let applicant_name = self.default_name(&ibm_id);
        let outcome = service::submit_registration(
            &ctx,
            company.id,
            &ibm_id,
            Some(&applicant_name),
            Some(lang),
        )
        .await?;
        Ok(vec![self.reply(
            Msg::new("wf-chat-register-done")
                .num("id", outcome.registration.id)
                .arg("company", company.name),
        )])
    }

    async fn review(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.linked()?;
        if !self.caller.is_admin() {
            return Err(WorkflowError::refused(Msg::new("wf-chat-not-admin")));
        }
        let ctx = self.ctx();
        let sub = command.sub.as_deref().unwrap_or("");
        let to = match sub {
            "list" => return self.review_list().await,
            "start" => RegistrationStatus::UnderReview,
            "request-documents" | "documents" => RegistrationStatus::DocumentsRequested,
            "complete" => RegistrationStatus::Completed,
            "reject" => RegistrationStatus::Rejected,
            _ => return Err(WorkflowError::input(Msg::new("wf-chat-review-usage"))),
        };
        let id = match (
            Self::option(command, &["registration", "id"]),
            Self::option(command, &["company"]),
        ) {
            (Some(raw), _) => validate::id(raw, "registration")?,
            (None, Some(reference)) => {
                let company = service::company_by_ref(&ctx, reference).await?;
                let open = self
                    .store
                    .list_registrations(&RegistrationFilter {
                        company_id: Some(company.id),
                        ..RegistrationFilter::default()
                    })
                    .await?
                    .into_iter()
                    .rfind(|r| r.status().is_some_and(|s| s.is_open()));
                match open {
                    Some(r) => r.id,
                    None => {
                        return Err(WorkflowError::refused(
                            Msg::new("wf-chat-review-none").arg("company", company.name),
                        ))
                    }
                }
            }
            (None, None) => return Err(WorkflowError::input(Msg::new("wf-chat-review-usage"))),
        };
        let text_option = |keys: &[&str]| -> Option<String> {
            Self::option(command, keys)
                .map(str::to_string)
                .or_else(|| (!command.rest.trim().is_empty()).then(|| command.rest.clone()))
        };
        let note = (to == RegistrationStatus::DocumentsRequested)
            .then(|| text_option(&["note"]))
            .flatten();
        let reason = (to == RegistrationStatus::Rejected)
            .then(|| text_option(&["reason"]))
            .flatten();
        let moved = service::move_registration(&ctx, id, to, note, reason).await?;
        let id_msg = match to {
            RegistrationStatus::DocumentsRequested => "wf-chat-review-documents",
            RegistrationStatus::Completed => "wf-chat-review-completed",
            RegistrationStatus::Rejected => "wf-chat-review-rejected",
            _ => "wf-chat-review-moved",
        };
        Ok(vec![self.reply(
            Msg::new(id_msg)
                .num("id", moved.id)
                .arg("company", moved.company_name)
                .arg("applicant", moved.applicant_ibm_id)
                .label("status", format!("wf-reg-status-{}", moved.status)),
        )])
    }

    async fn review_list(&self) -> WfResult<Vec<Reply>> {
        let open: Vec<_> = self
            .store
            .list_registrations(&RegistrationFilter::default())
            .await?
            .into_iter()
            .filter(|r| r.status().is_some_and(|s| s.is_open()))
            .collect();
        if open.is_empty() {
            return Ok(vec![self.reply(Msg::new("wf-chat-review-list-none"))]);
        }
        // One message per application, with the review steps as buttons.
        Ok(open
            .iter()
            .map(|r| {
                let text = self.t(Msg::new("wf-chat-review-list-item")
                    .num("id", r.id)
                    .arg("company", r.company_name.clone())
                    .arg("applicant", r.applicant_ibm_id.clone())
                    .label("status", format!("wf-reg-status-{}", r.status))
                    .arg("date", self.when(r.updated_at)));
                let buttons = REVIEW_BUTTONS
                    .iter()
                    .filter(|step| !(**step == "start" && r.status == "under-review"))
                    .map(|step| Button {
                        id: format!("review:{step}:{}", r.id),
                        label: self.t(Msg::new(match *step {
                            "start" => "wf-chat-review-button-start",
                            "request-documents" => "wf-chat-review-button-request-documents",
                            "complete" => "wf-chat-review-button-complete",
                            _ => "wf-chat-review-button-reject",
                        })),
                        style: match *step {
                            "complete" => ButtonStyle::Success,
                            "reject" => ButtonStyle::Danger,
                            _ => ButtonStyle::Secondary,
                        },
                    })
                    .collect();
                Reply::private(self.locale, text).with_buttons(buttons)
            })
            .collect())
    }

    /// A review button: start and complete act at once; request-documents and reject first ask
    /// for the note or the reason (a form on Discord), which completes `/review`.
    async fn review_button(&self, step: &str, id: i64) -> WfResult<Vec<Reply>> {
        let (field, title, label, ask) = match step {
            "request-documents" => (
                "note",
                "wf-chat-review-prompt-request-documents",
                "wf-chat-review-prompt-note",
                "wf-chat-review-ask-note",
            ),
            "reject" => (
                "reason",
                "wf-chat-review-prompt-reject",
                "wf-chat-review-prompt-reason",
                "wf-chat-review-ask-reason",
            ),
            _ => {
                let command = Command {
                    name: "review".into(),
                    sub: Some(step.to_string()),
                    options: [("registration".to_string(), id.to_string())].into(),
                    rest: String::new(),
                };
                return self.review(&command).await;
            }
        };
        self.linked()?;
        if !self.caller.is_admin() {
            return Err(WorkflowError::refused(Msg::new("wf-chat-not-admin")));
        }
        let prompt = crate::chat::model::Prompt {
            command: "review".into(),
            sub: Some(step.to_string()),
            options: [("registration".to_string(), id.to_string())].into(),
            field: field.into(),
            title: self.t(Msg::new(title).num("id", id)),
            label: self.t(Msg::new(label)),
        };
        Ok(vec![self
            .reply(Msg::new(ask).num("id", id))
            .with_prompt(prompt)])
    }
}
