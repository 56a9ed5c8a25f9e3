//! What a program administrator does in the chat: `/review` registrations through their steps
//! (start, request documents, complete, reject), by command or button.

use crate::chat::model::{Command, Reply};
use crate::i18n::text::Msg;
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{RegistrationFilter, RegistrationStatus};
use crate::workflows::service::{WfResult, WorkflowError};
use crate::workflows::validate;
use crate::workflows::{directory, registrations};

use super::workflow::{Chat, REVIEW_BUTTONS};

impl Chat<'_> {
    pub(super) async fn review(&self, command: &Command) -> WfResult<Vec<Reply>> {
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
            "documents-received" | "received" => RegistrationStatus::DocumentsReceived,
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
                let company = directory::company_by_ref(&ctx, reference).await?;
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
        let note = matches!(
            to,
            RegistrationStatus::DocumentsRequested | RegistrationStatus::DocumentsReceived
        )
        .then(|| text_option(&["note"]))
        .flatten();
        let reason = (to == RegistrationStatus::Rejected)
            .then(|| text_option(&["reason"]))
            .flatten();
        let options = registrations::ReviewOptions {
            apa: Self::option(command, &["apa", "apa-ibm-id"]),
            journeys: Some(self.desk.journeys),
        };
        let moved = registrations::review_step(&ctx, id, to, note, reason, options).await?;
        let id_msg = match to {
            RegistrationStatus::DocumentsRequested => "wf-chat-review-documents",
            RegistrationStatus::DocumentsReceived => "jr-chat-review-received",
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

    pub(super) async fn review_list(&self) -> WfResult<Vec<Reply>> {
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
                    .filter(|step| {
                        **step != "documents-received" || r.status == "documents-requested"
                    })
                    .map(|step| Button {
                        id: format!("review:{step}:{}", r.id),
                        label: self.t(Msg::new(match *step {
                            "start" => "wf-chat-review-button-start",
                            "request-documents" => "wf-chat-review-button-request-documents",
                            "complete" => "wf-chat-review-button-complete",
                            "documents-received" => "jr-chat-review-button-received",
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
    pub(super) async fn review_button(&self, step: &str, id: i64) -> WfResult<Vec<Reply>> {
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
