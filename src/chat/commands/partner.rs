//! A partner's own commands: `/register` a company, `/join` one (by company token or by
//! picking a location), `/status`, `/profile`, `/contacts`, and linking a chat account to an
//! IBM ID with `/link` + `/verify`.

use crate::chat::model::{Command, Reply, Request};
use crate::i18n::text::{locale_of, Msg};
use crate::i18n::tr;
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{
    JoinFilter, JoinPick, JoinRequest, NewPerson, PickOutcome, RegistrationFilter,
    RegistrationStatus, Role,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::links;
use crate::workflows::notices;
use crate::workflows::service::{WfResult, WorkflowError};
use crate::workflows::validate;
use crate::workflows::{directory, registrations, tokens};

use super::workflow::Chat;

impl Chat<'_> {
    pub(super) async fn link(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let Some(raw) = Self::option_or_word(command, &["ibm-id", "ibm_id", "email"]) else {
            return Err(WorkflowError::input(Msg::new("wf-chat-link-usage")));
        };
        let ibm_id = validate::ibm_id(raw)?;
        let ctx = self.ctx();
        let sent =
            links::request_code(&ctx, &self.caller.platform_id, &ibm_id, self.locale, |at| {
                self.when(at)
            })
            .await?;
        Ok(vec![self.reply(sent)])
    }

    pub(super) async fn verify(
        &self,
        request: &Request,
        command: &Command,
    ) -> WfResult<Vec<Reply>> {
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
        let new_person = NewPerson {
            ibm_id: String::new(),
            name,
            locale: self.locale.code().into(),
            time_zone: self.desk.calendar.zone().name().into(),
        };
        let ctx = self.ctx();
        let person = links::verify_code(&ctx, &self.caller.platform_id, code, new_person).await?;
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

    pub(super) async fn profile(&self, command: &Command) -> WfResult<Vec<Reply>> {
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

    pub(super) async fn join(&self, command: &Command) -> WfResult<Vec<Reply>> {
        if let Some(company) = Self::option(command, &["company"]) {
            return self.offer_apa_route(company).await;
        }
        // `/join 株式会社サンプル`: a company token is 16 ASCII letters and digits, so words
        // that are not ASCII name the company (the APA route).
        let rest = command.rest.trim();
        if command.option("token").is_none() && !rest.is_empty() && !rest.is_ascii() {
            return self.offer_apa_route(rest).await;
        }
        let Some(typed) = Self::option_or_word(command, &["token"]) else {
            let text = format!(
                "{}\n{}",
                self.t(Msg::new("jr-chat-join-routes")),
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
        let (company, locations) =
            tokens::enter_token(&ctx, &ibm_id, typed, name, lang, |at| self.when(at)).await?;
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
                    .num("minutes", tokens::PICK_MINUTES),
            )
            .with_buttons(buttons)])
    }

    pub(super) async fn pick(&self, company_id: i64, location_id: i64) -> WfResult<Vec<Reply>> {
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
                        crate::i18n::rules_text::hours_now(locale, self.desk.calendar, self.now);
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

    pub(super) async fn status(&self) -> WfResult<Vec<Reply>> {
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
            let status = r.status();
            // The request note matters only while documents are awaited.
            let note = match status {
                Some(RegistrationStatus::DocumentsRequested) => r.note.clone(),
                _ => None,
            };
            lines.push(
                self.t(Msg::new("wf-chat-status-registration")
                    .num("id", r.id)
                    .arg("company", r.company_name.clone())
                    .label("status", format!("wf-reg-status-{}", r.status))
                    .arg("date", self.when(r.updated_at))
                    .arg("note", note.unwrap_or_default())),
            );
            match status {
                Some(RegistrationStatus::DocumentsRequested) => {
                    let places = notices::documents_where(r.documents_to.as_deref(), self.locale);
                    if !places.is_empty() {
                        lines.push(
                            self.t(Msg::new("jr-chat-status-documents-where")
                                .arg("where", format!("\n{}", places.join("\n")))),
                        );
                    }
                }
                Some(RegistrationStatus::DocumentsReceived) => {
                    lines.push(self.t(
                        Msg::new("jr-chat-status-received").arg("date", self.when(r.updated_at)),
                    ));
                }
                _ => {}
            }
        }
        // A company token made on completion is shown here once, to its APA.
        for company_id in self.store.pending_token_reveals(person.id).await? {
            lines.push(self.reveal_text(company_id, person.id).await?);
        }
        if self.caller.roles.is_empty() && joins.is_empty() && registrations.is_empty() {
            lines.push(self.t(Msg::new("wf-chat-status-nothing")));
            lines.push(self.pwcs());
        }
        Ok(vec![Reply::private(self.locale, lines.join("\n"))])
    }

    pub(super) async fn contacts(&self, command: &Command) -> WfResult<Vec<Reply>> {
        self.linked()?;
        let ctx = self.ctx();
        let companies: Vec<i64> = match Self::option(command, &["company"]) {
            Some(reference) => {
                let company = directory::company_by_ref(&ctx, reference).await?;
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

    pub(super) async fn register(&self, command: &Command) -> WfResult<Vec<Reply>> {
        let Some(company_name) = Self::option(command, &["company", "name"]) else {
            return Ok(vec![self.reply(Msg::new("wf-chat-register-usage"))]);
        };
        let ibm_id = self.linked()?;
        let lang = Self::lang_option(command)?.unwrap_or(self.locale);
        let ctx = self.ctx();
        let company_name = validate::company_name(company_name)?;
        registrations::check_open_registrations(&ctx, &ibm_id).await?;
        if let Some(location) = Self::option(command, &["location"]) {
            validate::location_name(location)?;
        }
        if let Some(given) = Self::option(command, &["name"]) {
            validate::person_name(given)?;
        }
        if let Some(existing) = directory::company_named_like(&ctx, &company_name).await? {
            return Err(WorkflowError::refused(
                Msg::new("wf-chat-register-exists")
                    .arg("company", existing.name)
                    .num("id", existing.id),
            ));
        }
        let company = directory::add_company(&ctx, &company_name, lang, None, None, true).await?;
        let applicant_name = match Self::option(command, &["name"]) {
            Some(given) => validate::person_name(given)?,
            None => self.default_name(&ibm_id),
        };
        let location = Self::option(command, &["location"]);
        let outcome = registrations::submit_registration_at(
            &ctx,
            company.id,
            &ibm_id,
            Some(&applicant_name),
            Some(lang),
            location,
        )
        .await?;
        Ok(vec![self.reply(
            Msg::new("wf-chat-register-done")
                .num("id", outcome.registration.id)
                .arg("company", company.name),
        )])
    }

    /// The company token waiting for `person_id`, shown once; or why it is not shown.
    pub(super) async fn reveal_text(&self, company_id: i64, person_id: i64) -> WfResult<String> {
        let ctx = self.ctx();
        let company = self.company_name(company_id).await?;
        Ok(
            match tokens::reveal_token(&ctx, company_id, person_id).await? {
                Some(token) => self.t(Msg::new("jr-chat-token-shown")
                    .arg("company", company)
                    .arg("token", token.as_str())),
                None => self.t(Msg::new("jr-chat-token-gone").arg("company", company)),
            },
        )
    }

    /// `token:reveal:<company>`: the completion DM's button.
    pub(super) async fn reveal_button(&self, company_id: i64) -> WfResult<Vec<Reply>> {
        let person = self.person()?.clone();
        let text = self.reveal_text(company_id, person.id).await?;
        Ok(vec![Reply::private(self.locale, text)])
    }

    /// プロフィール管理者による登録, step one: `/join company:NAME` without a token offers a
    /// button that sends the person's IBM ID and name to every APA of that company. An unknown
    /// company, or one without an APA or a location, gets PWCS's number and hours.
    pub(super) async fn offer_apa_route(&self, reference: &str) -> WfResult<Vec<Reply>> {
        let ibm_id = self.linked()?;
        let ctx = self.ctx();
        let company = match directory::company_by_ref(&ctx, reference).await {
            Ok(c) => c,
            Err(WorkflowError::Input(_)) => {
                let text = format!(
                    "{}\n{}",
                    self.t(Msg::new("jr-chat-company-unknown")
                        .arg("company", crate::i18n::text::one_line(reference))),
                    self.pwcs()
                );
                return Ok(vec![Reply::private(self.locale, text)]);
            }
            Err(e) => return Err(e),
        };
        if let Some(unreachable) = self.apa_unreachable(&company).await? {
            return Ok(vec![unreachable]);
        }
        let name = self.default_name(&ibm_id);
        Ok(vec![self
            .reply(
                Msg::new("jr-chat-ask-apa-offer")
                    .arg("company", company.name.clone())
                    .arg("ibm_id", ibm_id)
                    .arg("name", name),
            )
            .with_buttons(vec![Button {
                id: format!("join:ask-apa:{}", company.id),
                label: tr(self.locale, "jr-button-ask-apa", &[]),
                style: ButtonStyle::Primary,
            }])])
    }

    /// The PWCS answer when nobody at `company` can add a person: no APA, or no location.
    async fn apa_unreachable(&self, company: &crate::store::Company) -> WfResult<Option<Reply>> {
        let members = self.store.company_members(company.id).await?;
        let why = if !members.iter().any(|m| m.role() == Some(Role::Apa)) {
            self.t(Msg::new("wf-chat-no-apa"))
        } else if self.store.locations(company.id).await?.is_empty() {
            self.t(Msg::new("jr-chat-ask-apa-no-location").arg("company", company.name.clone()))
        } else {
            return Ok(None);
        };
        Ok(Some(Reply::private(
            self.locale,
            format!("{why}\n{}", self.pwcs()),
        )))
    }

    /// プロフィール管理者による登録, step two: the button sends the request to the APAs.
    pub(super) async fn ask_apa(&self, company_id: i64) -> WfResult<Vec<Reply>> {
        let ibm_id = self.linked()?;
        let ctx = self.ctx();
        let company = directory::company(&ctx, company_id).await?;
        if let Some(unreachable) = self.apa_unreachable(&company).await? {
            return Ok(vec![unreachable]);
        }
        let profile = NewPerson {
            ibm_id: ibm_id.clone(),
            name: self.default_name(&ibm_id),
            locale: self.locale.code().into(),
            time_zone: self.desk.calendar.zone().name().into(),
        };
        match crate::workflows::joins::ask_apa(&ctx, &profile, company.id).await? {
            PickOutcome::Created { request, apas } => Ok(vec![self.reply(
                Msg::new("jr-chat-ask-apa-sent")
                    .arg("company", request.company_name)
                    .num("id", request.id)
                    .num("apas", apas as i64),
            )]),
            PickOutcome::AlreadyMember => Err(WorkflowError::refused(
                Msg::new("wf-chat-join-already-member").arg("company", company.name),
            )),
            PickOutcome::AlreadyPending(r) => Err(WorkflowError::refused(
                Msg::new("wf-chat-join-already-pending")
                    .num("id", r.id)
                    .arg("company", r.company_name)
                    .arg("location", r.location_name),
            )),
            PickOutcome::NoGrant | PickOutcome::UnknownLocation => {
                let text = format!(
                    "{}\n{}",
                    self.t(Msg::new("jr-chat-ask-apa-no-location").arg("company", company.name)),
                    self.pwcs()
                );
                Ok(vec![Reply::private(self.locale, text)])
            }
        }
    }
}
