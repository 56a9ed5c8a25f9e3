//! What a company's profile administrator (APA) does in the chat: `/pending` join requests,
//! `/approve` and `/reject` them (or press their buttons, choosing a permission level),
//! `/add-member` by IBM ID, and `/token show|rotate`.

use crate::chat::model::{Command, Reply};
use crate::i18n::text::{locale_of, one_line, Msg};
use crate::i18n::tr;
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{
    AddMember, AddMemberOutcome, Company, DecideOutcome, JoinRequest, NewPerson, Person,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::notices;
use crate::workflows::service::{WfResult, WorkflowError};
use crate::workflows::validate;
use crate::workflows::{directory, joins, tokens};

use super::workflow::Chat;

impl Chat<'_> {
    pub(super) fn require_apa(&self) -> WfResult<(&Person, Vec<i64>)> {
        let person = self.person()?;
        let companies = self.caller.apa_companies();
        if companies.is_empty() {
            return Err(WorkflowError::refused(Msg::new("wf-chat-not-apa-any")));
        }
        Ok((person, companies))
    }

    pub(super) fn decision_buttons(&self, id: i64) -> Vec<Button> {
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

    /// The companies whose requests the caller may decide; for an admin, every company's
    /// overdue requests too.
    pub(super) fn require_decider(&self) -> WfResult<(&Person, Vec<i64>)> {
        if self.caller.is_admin() {
            let person = self.person()?;
            return Ok((person, self.caller.apa_companies()));
        }
        self.require_apa()
    }

    /// Pending requests that waited longer than the admins' escalation threshold.
    async fn overdue(&self) -> WfResult<Vec<JoinRequest>> {
        let calendar = self.desk.calendar;
        let zone = calendar.zone();
        let today = self.now.with_timezone(&zone).date_naive();
        let threshold = self.desk.journeys.admin_overdue_after_business_days;
        let pending = self
            .store
            .list_join_requests(&crate::store::JoinFilter {
                status: Some("pending".into()),
                ..Default::default()
            })
            .await?;
        Ok(pending
            .into_iter()
            .filter(|r| {
                let mut day = r.created_at.with_timezone(&zone).date_naive();
                let mut waited = 0u32;
                while day < today && waited <= threshold {
                    match day.succ_opt() {
                        Some(next) => day = next,
                        None => break,
                    }
                    if calendar.is_business_day(day) {
                        waited += 1;
                    }
                }
                waited > threshold
            })
            .collect())
    }

    pub(super) async fn pending(&self) -> WfResult<Vec<Reply>> {
        if self.caller.is_admin() {
            return self.pending_for_admin().await;
        }
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

    /// An admin's `/pending`: every overdue request across companies (and those of companies
    /// the admin is an APA of), with the same buttons.
    async fn pending_for_admin(&self) -> WfResult<Vec<Reply>> {
        let person = self.person()?.clone();
        let days = i64::from(self.desk.journeys.admin_overdue_after_business_days);
        let mut requests = self.overdue().await?;
        for own in self.store.pending_joins_for_apa(person.id).await? {
            if !requests.iter().any(|r| r.id == own.id) {
                requests.push(own);
            }
        }
        requests.sort_by_key(|r| r.id);
        if requests.is_empty() {
            return Ok(vec![
                self.reply(Msg::new("jr-chat-overdue-none").num("days", days))
            ]);
        }
        let mut replies = vec![self.reply(
            Msg::new("jr-chat-overdue-header")
                .num("days", days)
                .num("count", requests.len() as i64),
        )];
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
    pub(super) async fn decidable(&self, id: i64) -> WfResult<JoinRequest> {
        let (_, companies) = self.require_decider()?;
        let Some(request) = self.store.join_request_by_id(id).await? else {
            return Err(WorkflowError::input(
                Msg::new("wf-error-no-request").arg("value", id.to_string()),
            ));
        };
        if !companies.contains(&request.company_id) && !self.caller.is_admin() {
            return Err(WorkflowError::refused(
                Msg::new("wf-chat-not-apa").arg("company", request.company_name),
            ));
        }
        if request.status != "pending" {
            return Err(self.already_decided(&request).await?);
        }
        Ok(request)
    }

    pub(super) async fn already_decided(&self, r: &JoinRequest) -> WfResult<WorkflowError> {
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

    pub(super) async fn level_buttons(&self, id: i64) -> WfResult<Vec<Reply>> {
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

    pub(super) async fn ask_reason(&self, id: i64) -> WfResult<Vec<Reply>> {
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

    pub(super) async fn decide(
        &self,
        id: i64,
        approve: bool,
        level: Option<PermissionLevel>,
        reason: Option<String>,
    ) -> WfResult<Vec<Reply>> {
        let (person, companies) = self.require_decider()?;
        let ctx = self.ctx();
        let request = self.store.join_request_by_id(id).await?;
        let as_admin =
            self.caller.is_admin() && request.is_some_and(|r| !companies.contains(&r.company_id));
        let outcome = if as_admin {
            joins::decide_join_as_admin(&ctx, id, approve, level, reason).await?
        } else {
            joins::decide_join(&ctx, id, approve, level, reason, Some(person.id)).await?
        };
        match outcome {
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

    pub(super) fn request_id(command: &Command) -> WfResult<i64> {
        let Some(raw) = Self::option_or_word(command, &["request", "id"]) else {
            return Err(WorkflowError::input(Msg::new("wf-chat-request-missing")));
        };
        Ok(validate::id(raw, "request")?)
    }

    pub(super) async fn approve(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.require_decider()?;
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

    pub(super) async fn reject(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.require_decider()?;
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

    pub(super) async fn add_member(&self, command: &Command) -> WfResult<Vec<Reply>> {
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
    pub(super) async fn find_location(
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

    pub(super) async fn token(&self, command: &Command) -> WfResult<Vec<Reply>> {
        if command.sub.as_deref() != Some("rotate") {
            return Err(WorkflowError::input(Msg::new("wf-chat-token-usage")));
        }
        let (_, companies) = self.require_apa()?;
        let ctx = self.ctx();
        let company_id = match Self::option(command, &["company"]) {
            Some(reference) => {
                let company = directory::company_by_ref(&ctx, reference).await?;
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
        let (token, _) = tokens::rotate_token(&ctx, company_id).await?;
        Ok(vec![self.reply(
            Msg::new("wf-chat-token-rotated")
                .arg("company", self.company_name(company_id).await?)
                .arg("token", token.as_str()),
        )])
    }
}
