//! The desk: routes every chat request (console and Discord alike) to its handler, answers
//! free-text questions from the knowledge catalogue, and owns the knowledge commands `/ask`,
//! `/hours`, `/renewal`, `/lang`, `/help`. Workflow commands live in [`super::commands`].

use std::sync::Arc;

use fluent_bundle::FluentValue;
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::payment::PaymentPolicy;
use partnerdesk_domain::renewal::RenewalPolicy;
use partnerdesk_knowledge::{Lang, Matcher, TopicId};
use serde::Serialize;

use super::command::{self, ParseError};
use super::commands;
use super::context::Context;
use super::language;
use super::model::{Command, Input, Reply, Request, Session};
use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::i18n::rules_text;
use crate::i18n::{tr, Locale};
use crate::metrics::ChatOutcome;
use crate::store::Store;

/// The knowledge commands, in the order `/help` lists them (workflow commands follow).
pub const COMMANDS: &[&str] = &["ask", "hours", "renewal", "lang", "help"];

/// What a question got: the reply and how it was classified.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub topic: TopicId,
    pub confidence: f32,
    pub lang: Locale,
    pub text: String,
}

/// The front desk: knowledge, business rules and the clock.
pub struct Desk {
    pub matcher: Matcher,
    pub calendar: BusinessCalendar,
    pub renewal: RenewalPolicy,
    pub payment: PaymentPolicy,
    pub clock: Arc<dyn Clock>,
    pub default_locale: Locale,
    /// The database, for workflow commands; `None` where only questions are answered (`ask`).
    pub store: Option<Arc<dyn Store>>,
}

fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::Ja => Locale::Ja,
        Lang::En => Locale::En,
    }
}

impl Desk {
    /// The desk the configuration describes (a validated configuration cannot fail here).
    pub fn from_config(config: &Config, clock: Arc<dyn Clock>) -> Result<Self, ConfigError> {
        Ok(Self {
            matcher: Matcher::new(),
            calendar: config
                .calendar
                .build()
                .map_err(|e| crate::config::calendar_error("calendar", &e))?,
            renewal: config
                .renewal
                .build()
                .map_err(|e| crate::config::renewal_error(&e))?,
            payment: config
                .payment
                .build()
                .map_err(|e| crate::config::payment_error(&e))?,
            clock,
            default_locale: config.i18n.default_locale.parse().unwrap_or_default(),
            store: None,
        })
    }

    /// What a command handler gets from the desk for one request.
    pub fn context(&self) -> Context<'_> {
        Context {
            calendar: &self.calendar,
            renewal: &self.renewal,
            payment: &self.payment,
            clock: self.clock.clone(),
            default_locale: self.default_locale,
            store: self.store.clone(),
        }
    }

    /// The language of a reply that is not an answer to a question (see
    /// [`Context::reply_locale`]).
    pub fn reply_locale(&self, session: &Session, request: &Request) -> Locale {
        self.context().reply_locale(session, request)
    }

    /// Answers a free-text question in `forced` or, without it, in the question's language.
    pub fn answer(&self, question: &str, forced: Option<Locale>) -> Answer {
        let analysis = self.matcher.analyze(question);
        let classification = analysis.classification;
        let lang = forced.unwrap_or_else(|| locale_of(classification.lang));
        let topic = classification.topic;
        let status = rules_text::hours_now(lang, &self.calendar, self.clock.now());
        let mut text = tr(
            lang,
            &topic.message_id(),
            &[("status", FluentValue::from(status.clone()))],
        );
        // Someone who doesn't know their APA is sent to PWCS: say whether it is open now.
        if topic == TopicId::Apa {
            text.push('\n');
            text.push_str(&status);
        }
        // Computed answers: a date in a renewal or payment question gets its own explanation.
        if let Some(date) = analysis.date {
            let hints = analysis.hints;
            let about_payment = matches!(topic, TopicId::Billing | TopicId::PaymentTerms)
                || hints.invoice
                || hints.payment;
            let about_renewal = topic == TopicId::Renewal || hints.renewal;
            if about_renewal && !hints.invoice {
                text.push_str("\n\n");
                text.push_str(&rules_text::renewal_text(lang, &self.renewal.explain(date)));
            } else if about_payment {
                text.push_str("\n\n");
                text.push_str(&rules_text::payment_text(lang, &self.payment.explain(date)));
            }
        }
        Answer {
            topic,
            confidence: classification.confidence,
            lang,
            text,
        }
    }

    /// Reads the account's saved language and who it acts as into `session`, once per request.
    /// A database error only costs the preference (logged), never the answer.
    async fn load_preferences(&self, session: &mut Session, request: &Request) {
        let Some(store) = self.store.as_deref() else {
            return;
        };
        let platform_id = request.user.platform_id.as_str();
        match store.chat_locale(platform_id).await {
            Ok(saved) => session.saved_locale = saved.as_deref().and_then(Locale::negotiate),
            Err(e) => tracing::warn!(error = %e, "cannot read the saved chat language"),
        }
        session.acting = None;
        match crate::chat::identity::acting(store, session, request).await {
            Ok(acting) => session.acting = Some(acting),
            Err(e) => tracing::warn!(error = %e, "cannot read the chat account's person"),
        }
    }

    /// `/lang`: sets this session's language and saves it for the account.
    async fn choose_language(
        &self,
        session: &mut Session,
        request: &Request,
        command: &Command,
    ) -> Vec<Reply> {
        let locale = self.reply_locale(session, request);
        let raw = command
            .option("language")
            .or(command.option("lang"))
            .unwrap_or(command.rest.as_str());
        let Some(chosen) = Locale::negotiate(raw.trim()) else {
            return vec![Reply::private(
                locale,
                tr(
                    locale,
                    "chat-lang-bad",
                    &[("value", FluentValue::from(raw))],
                ),
            )];
        };
        session.chosen_locale = Some(chosen);
        if let Some(store) = self.store.as_deref() {
            let saved = store
                .save_chat_locale(&request.user.platform_id, chosen.code(), self.clock.now())
                .await;
            if let Err(e) = saved {
                tracing::error!(error = %e, "cannot save the chat language");
                return vec![Reply::private(
                    chosen,
                    tr(chosen, "chat-lang-not-saved", &[]),
                )];
            }
            session.saved_locale = Some(chosen);
        }
        vec![Reply::private(chosen, tr(chosen, "chat-lang-set", &[]))]
    }

    /// Routes one request to its handler, and counts the reply for metrics.
    pub async fn handle(&self, session: &mut Session, request: &Request) -> Vec<Reply> {
        let started = std::time::Instant::now();
        let replies = self.route(session, request).await;
        if let Some(first) = replies.first() {
            crate::metrics::global().record_chat(
                first.lang.code(),
                outcome_of(&request.input, first),
                started.elapsed(),
            );
        }
        replies
    }

    async fn route(&self, session: &mut Session, request: &Request) -> Vec<Reply> {
        self.load_preferences(session, request).await;
        match &request.input {
            Input::Text(text) => {
                if text.trim().is_empty() {
                    return Vec::new();
                }
                let reply = self.answer_reply(text, language::chosen(session));
                let about_contacts = reply.topic.as_deref().is_some_and(|t| {
                    t == TopicId::SupportContacts.as_str() || t == TopicId::Apa.as_str()
                });
                let answered_in = reply.lang;
                let mut replies = vec![reply];
                // "Who is our primary contact / APA?" from a linked member: the recorded names,
                // in the language the question was answered in.
                if about_contacts {
                    let recorded = commands::workflow::recorded_contacts(
                        &self.context(),
                        session,
                        request,
                        answered_in,
                    )
                    .await;
                    replies.extend(recorded.unwrap_or_default());
                }
                replies
            }
            Input::Command(command) if command.name == "lang" => {
                self.choose_language(session, request, command).await
            }
            Input::Command(command) => match self.command(session, request, command) {
                Some(replies) => replies,
                None => match commands::command(&self.context(), session, request, command).await {
                    Some(replies) => replies,
                    None => self.unknown_command(session, request, command),
                },
            },
            Input::Button(id) => {
                if let Some(replies) = commands::button(&self.context(), session, request, id).await
                {
                    return replies;
                }
                let locale = self.reply_locale(session, request);
                vec![Reply::private(
                    locale,
                    tr(
                        locale,
                        "chat-button-unknown",
                        &[("id", FluentValue::from(id.as_str()))],
                    ),
                )]
            }
        }
    }

    /// Parses a console line (`/...` is a command, anything else a question) and handles it.
    pub async fn handle_line(
        &self,
        session: &mut Session,
        request_for: impl Fn(Input) -> Request,
        line: &str,
    ) -> Vec<Reply> {
        let trimmed = line.trim();
        let input = if let Some(id) = trimmed.strip_prefix("!press") {
            Input::Button(id.trim().to_string())
        } else if trimmed.starts_with('/') {
            match command::parse(trimmed) {
                Ok(command) => Input::Command(command),
                Err(error) => {
                    let request = request_for(Input::Text(String::new()));
                    let locale = self.reply_locale(session, &request);
                    let text = match error {
                        ParseError::NoName => tr(locale, "chat-command-missing", &[]),
                        ParseError::UnclosedQuote { key } => tr(
                            locale,
                            "chat-command-unclosed-quote",
                            &[("key", FluentValue::from(key))],
                        ),
                    };
                    return vec![Reply::private(locale, text)];
                }
            }
        } else {
            Input::Text(trimmed.to_string())
        };
        self.handle(session, &request_for(input)).await
    }

    fn answer_reply(&self, question: &str, forced: Option<Locale>) -> Reply {
        let answer = self.answer(question, forced);
        let mut reply = Reply::text(answer.lang, answer.text);
        reply.topic = Some(answer.topic.as_str().to_string());
        reply.confidence = Some(answer.confidence);
        reply
    }

    /// The knowledge commands; `None` when `command` is not one of them.
    fn command(
        &self,
        session: &mut Session,
        request: &Request,
        command: &Command,
    ) -> Option<Vec<Reply>> {
        let locale = self.reply_locale(session, request);
        Some(match command.name.as_str() {
            "ask" => {
                let question = command
                    .option("question")
                    .map(str::to_string)
                    .unwrap_or_else(|| command.rest.clone());
                if question.trim().is_empty() {
                    return Some(vec![Reply::private(
                        locale,
                        tr(locale, "chat-ask-empty", &[]),
                    )]);
                }
                vec![self.answer_reply(&question, language::chosen(session))]
            }
            "hours" => {
                let status = rules_text::hours_now(locale, &self.calendar, self.clock.now());
                vec![Reply::text(
                    locale,
                    tr(
                        locale,
                        "topic-pwcs",
                        &[("status", FluentValue::from(status))],
                    ),
                )]
            }
            "renewal" => {
                let raw = command.option("date").unwrap_or(command.rest.as_str());
                match partnerdesk_knowledge::extract_date(raw) {
                    Some(date) => vec![Reply::text(
                        locale,
                        rules_text::renewal_text(locale, &self.renewal.explain(date)),
                    )],
                    None => vec![Reply::private(
                        locale,
                        tr(
                            locale,
                            "chat-renewal-bad-date",
                            &[("value", FluentValue::from(raw))],
                        ),
                    )],
                }
            }
            "help" | "start" => vec![Reply::text(locale, tr(locale, "topic-help", &[]))],
            _ => return None,
        })
    }

    fn unknown_command(
        &self,
        session: &Session,
        request: &Request,
        command: &Command,
    ) -> Vec<Reply> {
        let locale = self.reply_locale(session, request);
        let commands = COMMANDS
            .iter()
            .chain(commands::COMMANDS.iter().flat_map(|list| list.iter()))
            .map(|c| format!("/{c}"))
            .collect::<Vec<_>>()
            .join(" ");
        vec![Reply::private(
            locale,
            tr(
                locale,
                "chat-command-unknown",
                &[
                    ("name", FluentValue::from(command.name.as_str())),
                    ("commands", FluentValue::from(commands)),
                ],
            ),
        )]
    }
}

/// How a request was answered, for `partnerdesk_chat_replies_total`: a reply that carries a
/// knowledge topic (free text, `/ask`) was answered, or not when the topic is `unknown`;
/// everything else (commands, buttons, forms) is a command.
fn outcome_of(input: &Input, first: &Reply) -> ChatOutcome {
    match first.topic.as_deref() {
        Some(topic) if topic == TopicId::Unknown.as_str() => ChatOutcome::Unknown,
        Some(_) => ChatOutcome::Answered,
        None if matches!(input, Input::Text(_)) => ChatOutcome::Answered,
        None => ChatOutcome::Command,
    }
}
