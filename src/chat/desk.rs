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

use super::asked;
use super::command::{self, ParseError};
use super::commands;
use super::context::Context;
use super::conversation::{self, Conversation, Slots};
use super::language;
use super::model::{Command, Input, Reply, Request, Session};
use crate::clock::Clock;
use crate::config::{Config, ConfigError, DeskConfig};
use crate::i18n::rules_text;
use crate::i18n::{tr, Locale};
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{Channel, NewDeskQuestion, NewOutboxMessage, Store};

/// The button under an unknown answer that hands the question to staff.
pub const HANDOFF_BUTTON: &str = "desk:handoff";

/// A topic's short name (its `.title`), in `lang`.
fn title(lang: Locale, topic: TopicId) -> String {
    tr(lang, &format!("{}.title", topic.message_id()), &[])
}

/// One button per candidate when asking back: pressing it answers that topic.
fn topic_button(lang: Locale, topic: TopicId) -> Button {
    Button {
        id: format!("desk:topic:{}", topic.as_str()),
        label: title(lang, topic),
        style: ButtonStyle::Secondary,
    }
}

/// The short source line under an answer (which section of which seed document).
fn push_source(text: &mut String, lang: Locale, topic: TopicId) {
    let id = format!("desk-source-{}", topic.as_str());
    if crate::i18n::I18n::global().has(lang, &id) {
        let source = tr(lang, &id, &[]);
        text.push('\n');
        text.push_str(&tr(
            lang,
            "desk-source",
            &[("source", FluentValue::from(source))],
        ));
    }
}

/// 👍/👎 under an answer, naming the recorded answer.
fn feedback_buttons(lang: Locale, answer_id: i64) -> [Button; 2] {
    [
        Button {
            id: format!("desk:feedback:up:{answer_id}"),
            label: tr(lang, "desk-feedback-up", &[]),
            style: ButtonStyle::Secondary,
        },
        Button {
            id: format!("desk:feedback:down:{answer_id}"),
            label: tr(lang, "desk-feedback-down", &[]),
            style: ButtonStyle::Secondary,
        },
    ]
}

/// The knowledge commands, in the order `/help` lists them (workflow commands follow).
pub const COMMANDS: &[&str] = &["ask", "hours", "renewal", "lang", "help"];

/// What the desk did with a message (recorded with every answer, see `questions unanswered`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every part was answered.
    Answered,
    /// Two topics fitted about equally: the desk asked back with a button per candidate.
    Clarified,
    /// Nothing in scope was asked: the desk said so and pointed to PWCS.
    Unknown,
    /// The asker pressed "talk to a person": the question went to the staff channel.
    HandedOff,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Clarified => "clarified",
            Outcome::Unknown => "unknown",
            Outcome::HandedOff => "handed-off",
        }
    }
}

/// At or above this confidence an answer is given plainly (on the held-out set such answers are
/// ≥ 97 % right, BENCHMARKS.md); below it, it opens with "I understood your question as …".
pub const CONFIDENT: f32 = 0.8;
/// Below this confidence a single question with a runner-up topic is asked back (one button
/// per candidate) instead of answered.
pub const MIDDLING: f32 = 0.5;

/// What a question got: the reply and how it was understood. `topic` is the first part's topic
/// (or `unknown`), `topics` every part's, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub topic: TopicId,
    pub topics: Vec<TopicId>,
    pub confidence: f32,
    pub lang: Locale,
    pub text: String,
    pub outcome: Outcome,
    /// Candidate buttons when asking back; "talk to a person" under an unknown answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// The slots the answer used, for the conversation's context.
    #[serde(skip)]
    pub slots: Slots,
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
    /// The partner journeys' settings: where documents go, when a request is overdue.
    pub journeys: crate::config::JourneySettings,
    /// Conversation idle time, staff channel, question retention (`[desk]`).
    pub settings: DeskConfig,
    /// The founding-anniversary closure of the calendar (month, day), stated in PWCS answers.
    pub anniversary: Option<(u32, u32)>,
}

/// The calendar's founding-anniversary closure, found by asking the calendar itself (two
/// years, so that a national holiday on the day in one year cannot hide it).
fn anniversary_of(calendar: &BusinessCalendar) -> Option<(u32, u32)> {
    use chrono::Datelike;
    [2000, 2001].iter().find_map(|year| {
        let start = chrono::NaiveDate::from_ymd_opt(*year, 1, 1)?;
        start
            .iter_days()
            .take_while(|d| d.year() == *year)
            .find(|d| {
                calendar.day_closure(*d)
                    == Some(partnerdesk_domain::calendar::ClosedReason::Anniversary)
            })
            .map(|d| (d.month(), d.day()))
    })
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
        let calendar = config
            .calendar
            .build()
            .map_err(|e| crate::config::calendar_error("calendar", &e))?;
        Ok(Self {
            matcher: Matcher::new(),
            anniversary: anniversary_of(&calendar),
            calendar,
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
            journeys: crate::config::JourneySettings::from_config(config),
            settings: config.desk.clone(),
        })
    }

    /// " (6/17)" / " (June 17)" after 「日本 IBM 創立記念日」 in PWCS's hours; empty when the
    /// calendar has no anniversary closure.
    fn anniversary_note(&self, lang: Locale) -> String {
        match self.anniversary {
            Some((month, day)) => tr(
                lang,
                "desk-anniversary-date",
                &[
                    ("month", FluentValue::from(month)),
                    ("day", FluentValue::from(day)),
                ],
            ),
            None => String::new(),
        }
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
            journeys: &self.journeys,
        }
    }

    /// The language of a reply that is not an answer to a question (see
    /// [`Context::reply_locale`]).
    pub fn reply_locale(&self, session: &Session, request: &Request) -> Locale {
        self.context().reply_locale(session, request)
    }

    /// Answers a free-text question in `forced` or, without it, in the question's language,
    /// with no conversation before it (`partnerdesk ask`).
    pub fn answer(&self, question: &str, forced: Option<Locale>) -> Answer {
        self.answer_in(question, forced, None)
    }

    /// Answers a message read against the conversation's context: every part that stands on
    /// its own (at most three, each under a heading when there are several), or a question back
    /// when two topics fit about equally, or a plain "I don't know" with PWCS's number and
    /// hours (and, with a staff channel, a "talk to a person" button). Never a topic's text for
    /// an out-of-scope question. No database: the caller loads and saves the context.
    pub fn answer_in(
        &self,
        question: &str,
        forced: Option<Locale>,
        context: Option<&Conversation>,
    ) -> Answer {
        let understanding = self.matcher.understand(question, context.map(|c| c.topic));
        let Some(first) = understanding.parts.first().map(|p| p.classification) else {
            return self.unknown_answer(forced.unwrap_or(self.default_locale), 1.0);
        };
        let lang = forced.unwrap_or_else(|| locale_of(first.lang));
        if first.topic == TopicId::Unknown {
            return self.unknown_answer(lang, first.confidence);
        }
        // Asking back when two topics are close, or when the best guess is weak and there is a
        // second one (a two-stage fallback: ask, then "I don't know"); not when a date is asked
        // about, since then the computed answer (renewal window, payee, due date, opening) is
        // what was wanted.
        let dated = partnerdesk_knowledge::extract_date(question).is_some();
        let followed_up = understanding.parts.first().is_some_and(|p| p.followed_up);
        let unsure = first.ambiguous || (first.confidence < MIDDLING && !followed_up);
        if understanding.parts.len() == 1 && unsure && !dated {
            if let Some(other) = first.runner_up {
                return Answer {
                    topic: first.topic,
                    topics: vec![first.topic],
                    confidence: first.confidence,
                    lang,
                    text: tr(lang, "desk-ambiguous", &[]),
                    outcome: Outcome::Clarified,
                    buttons: [first.topic, other]
                        .iter()
                        .map(|t| topic_button(lang, *t))
                        .collect(),
                    slots: Slots::default(),
                };
            }
        }
        let several = understanding.parts.len() > 1;
        let mut sections = Vec::with_capacity(understanding.parts.len());
        let mut slots = Slots::default();
        for part in &understanding.parts {
            let c = part.classification;
            // A follow-up without a date of its own speaks about the conversation's date.
            let date = partnerdesk_knowledge::extract_date(&part.text).or_else(|| {
                part.followed_up
                    .then(|| context.and_then(|c| c.slots.date))
                    .flatten()
            });
            let mut section = String::new();
            if several {
                section.push_str(&tr(
                    lang,
                    "desk-part-heading",
                    &[("title", FluentValue::from(title(lang, c.topic)))],
                ));
                section.push('\n');
            } else if c.confidence < CONFIDENT {
                section.push_str(&tr(
                    lang,
                    "knowledge-low-confidence",
                    &[("title", FluentValue::from(title(lang, c.topic)))],
                ));
                section.push('\n');
            }
            section.push_str(&self.topic_text(c.topic, lang, &part.text, date));
            push_source(&mut section, lang, c.topic);
            sections.push(section);
            slots.date = slots.date.or(date);
            slots.contact = conversation::contact_of(c.topic)
                .map(str::to_string)
                .or(slots.contact);
        }
        Answer {
            topic: first.topic,
            topics: understanding.topics(),
            confidence: first.confidence,
            lang,
            text: sections.join("\n\n"),
            outcome: Outcome::Answered,
            buttons: Vec::new(),
            slots,
        }
    }

    /// "I don't know" plainly, then PWCS's number and its open-now (or next opening) line;
    /// with a staff channel configured, a "talk to a person" button.
    fn unknown_answer(&self, lang: Locale, confidence: f32) -> Answer {
        let status = rules_text::hours_now(lang, &self.calendar, self.clock.now());
        let buttons = match self.settings.staff_channel_id {
            Some(_) => vec![Button {
                id: HANDOFF_BUTTON.to_string(),
                label: tr(lang, "desk-handoff-button", &[]),
                style: ButtonStyle::Primary,
            }],
            None => Vec::new(),
        };
        Answer {
            topic: TopicId::Unknown,
            topics: vec![TopicId::Unknown],
            confidence,
            lang,
            text: tr(
                lang,
                "topic-unknown",
                &[
                    ("status", FluentValue::from(status)),
                    (
                        "anniversary",
                        FluentValue::from(self.anniversary_note(lang)),
                    ),
                ],
            ),
            outcome: Outcome::Unknown,
            buttons,
            slots: Slots::default(),
        }
    }

    /// The one place where a topic's answer text is produced: the topic's message, the
    /// open-now line where a contact is named, and the computed answer for a date the question
    /// asks about (`question` is the part's own text, for what else it asks).
    pub fn topic_text(
        &self,
        topic: TopicId,
        lang: Locale,
        question: &str,
        date: Option<chrono::NaiveDate>,
    ) -> String {
        let now = self.clock.now();
        // The date or time the question asks about; hours, renewal and payment speak of it.
        let asked = asked::read(question, &self.calendar, now);
        let status = asked::hours_status(lang, topic, asked.as_ref(), &self.calendar, now);
        let mut text = tr(
            lang,
            &topic.message_id(),
            &[
                ("status", FluentValue::from(status.clone())),
                (
                    "anniversary",
                    FluentValue::from(self.anniversary_note(lang)),
                ),
            ],
        );
        // Someone who doesn't know their APA is sent to PWCS: say whether it is open now.
        if topic == TopicId::Apa {
            text.push('\n');
            text.push_str(&status);
        }
        // Computed answers: a date in a renewal or payment question gets its own explanation.
        let hints = partnerdesk_knowledge::Hints::of(question);
        let computed = match &asked {
            Some(asked) => {
                asked::asked_answer(lang, topic, hints, asked, &self.renewal, &self.payment)
            }
            // A follow-up without a date of its own speaks about the conversation's date.
            None => date.and_then(|date| {
                let about_payment = matches!(topic, TopicId::Billing | TopicId::PaymentTerms)
                    || hints.invoice
                    || hints.payment;
                let about_renewal = topic == TopicId::Renewal || hints.renewal;
                if about_renewal && !hints.invoice {
                    Some(rules_text::renewal_text(lang, &self.renewal.explain(date)))
                } else if about_payment {
                    Some(rules_text::payment_text(lang, &self.payment.explain(date)))
                } else {
                    None
                }
            }),
        };
        if let Some(computed) = computed {
            text.push_str("\n\n");
            text.push_str(&computed);
        }
        text
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

    /// Routes one request to its handler.
    pub async fn handle(&self, session: &mut Session, request: &Request) -> Vec<Reply> {
        self.load_preferences(session, request).await;
        match &request.input {
            Input::Text(text) => {
                if text.trim().is_empty() {
                    return Vec::new();
                }
                let reply = self.answer_message(session, request, text).await;
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
            Input::Command(command) if command.name == "ask" => {
                let question = command
                    .option("question")
                    .map(str::to_string)
                    .unwrap_or_else(|| command.rest.clone());
                if question.trim().is_empty() {
                    let locale = self.reply_locale(session, request);
                    return vec![Reply::private(locale, tr(locale, "chat-ask-empty", &[]))];
                }
                vec![self.answer_message(session, request, &question).await]
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
            Input::Button(id) if id.starts_with("desk:") => {
                self.desk_button(session, request, id).await
            }
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

    /// The conversation's key: the session's own (a console run), else the account's.
    fn conversation_key(session: &Session, request: &Request) -> String {
        session
            .conversation_key
            .clone()
            .unwrap_or_else(|| request.user.platform_id.clone())
    }

    /// Answers a message in its conversation: loads the context, answers, records the answer
    /// and saves the new context. Database errors cost only the context or the record (logged).
    async fn answer_message(&self, session: &mut Session, request: &Request, text: &str) -> Reply {
        let key = Self::conversation_key(session, request);
        let now = self.clock.now();
        let idle = chrono::Duration::minutes(i64::from(self.settings.conversation_idle_minutes));
        let store = self.store.as_deref();
        let context =
            conversation::load(store, session.conversation.as_ref(), &key, now, idle).await;
        let answer = self.answer_in(text, language::chosen(session), context.as_ref());
        let recorded = self.record(&key, &answer, text).await;
        // The new context: the last part's topic; an unknown answer keeps the earlier topic,
        // so "talk to a person" still shows staff what the conversation was about.
        let mut turns = context
            .as_ref()
            .map(|c| c.turns.clone())
            .unwrap_or_default();
        turns.push(conversation::Turn {
            question: text.chars().take(500).collect(),
            topics: answer
                .topics
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            answer_id: recorded,
        });
        let excess = turns.len().saturating_sub(conversation::KEPT_TURNS);
        turns.drain(..excess);
        let topic = match answer.topics.last() {
            Some(t) if *t != TopicId::Unknown => *t,
            _ => context
                .as_ref()
                .map(|c| c.topic)
                .unwrap_or(TopicId::Unknown),
        };
        let slots = if answer.outcome == Outcome::Answered {
            answer.slots.clone()
        } else {
            context.map(|c| c.slots).unwrap_or_default()
        };
        let next = Conversation {
            topic,
            slots,
            turns,
            updated_at: now,
        };
        conversation::save(store, &mut session.conversation, &key, next).await;
        let mut buttons = answer.buttons.clone();
        // Discord answers carry 👍/👎 buttons that record feedback on this answer.
        if let (Some(id), true) = (
            recorded,
            answer.outcome == Outcome::Answered && request.user.platform_id.starts_with("discord:"),
        ) {
            buttons.extend(feedback_buttons(answer.lang, id));
        }
        let mut reply = Reply::text(answer.lang, answer.text).with_buttons(buttons);
        reply.topic = Some(answer.topic.as_str().to_string());
        reply.topics = answer
            .topics
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        reply.confidence = Some(answer.confidence);
        reply
    }

    /// Records one answer (topics, confidence, language, outcome); the message's text only
    /// when `questions unanswered` needs it. Returns the record's id.
    async fn record(&self, key: &str, answer: &Answer, text: &str) -> Option<i64> {
        let store = self.store.as_deref()?;
        let needs_text = answer.outcome != Outcome::Answered || answer.confidence < CONFIDENT;
        let row = NewDeskQuestion {
            conversation_key: key.to_string(),
            lang: answer.lang.code().to_string(),
            topics: answer
                .topics
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(","),
            confidence: f64::from(answer.confidence),
            outcome: answer.outcome.as_str().to_string(),
            question: needs_text.then(|| text.chars().take(500).collect()),
        };
        match store.record_question(&row, self.clock.now()).await {
            Ok(id) => Some(id),
            Err(e) => {
                tracing::warn!(error = %e, "cannot record the question");
                None
            }
        }
    }

    /// The desk's own buttons: a candidate topic (`desk:topic:ID`), feedback
    /// (`desk:feedback:up|down:ID`) and the hand-off to staff (`desk:handoff`).
    async fn desk_button(&self, session: &mut Session, request: &Request, id: &str) -> Vec<Reply> {
        let locale = self.reply_locale(session, request);
        let lang = language::chosen(session).unwrap_or(locale);
        let parts: Vec<&str> = id.split(':').collect();
        match parts.as_slice() {
            ["desk", "topic", topic] => match topic.parse::<TopicId>() {
                Ok(topic) if topic != TopicId::Unknown => {
                    self.answer_chosen_topic(session, request, lang, topic)
                        .await
                }
                _ => self.unknown_button(locale, id),
            },
            ["desk", "feedback", vote @ ("up" | "down"), answer_id] => {
                let Ok(answer_id) = answer_id.parse::<i64>() else {
                    return self.unknown_button(locale, id);
                };
                let Some(store) = self.store.as_deref() else {
                    return vec![Reply::private(
                        locale,
                        tr(locale, "desk-feedback-unknown", &[]),
                    )];
                };
                // 👎 keeps the question's text for `questions unanswered`: the conversation
                // still has it (its last turns, found by answer id) when the button is pressed
                // soon after.
                let key = Self::conversation_key(session, request);
                let idle =
                    chrono::Duration::minutes(i64::from(self.settings.conversation_idle_minutes));
                let question = if *vote == "down" {
                    conversation::load(
                        Some(store),
                        session.conversation.as_ref(),
                        &key,
                        self.clock.now(),
                        idle,
                    )
                    .await
                    .and_then(|c| {
                        c.turns
                            .into_iter()
                            .find(|t| t.answer_id == Some(answer_id))
                            .map(|t| t.question)
                    })
                } else {
                    None
                };
                match store
                    .record_feedback(answer_id, vote, question.as_deref())
                    .await
                {
                    Ok(true) => vec![Reply::private(
                        locale,
                        tr(locale, "desk-feedback-thanks", &[]),
                    )],
                    Ok(false) => {
                        vec![Reply::private(
                            locale,
                            tr(locale, "desk-feedback-unknown", &[]),
                        )]
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot record feedback");
                        vec![Reply::private(
                            locale,
                            tr(locale, "desk-feedback-unknown", &[]),
                        )]
                    }
                }
            }
            ["desk", "handoff"] => self.hand_off(session, request, locale).await,
            _ => self.unknown_button(locale, id),
        }
    }

    /// A candidate pressed after asking back: that topic's answer, and the conversation moves
    /// to it.
    async fn answer_chosen_topic(
        &self,
        session: &mut Session,
        request: &Request,
        lang: Locale,
        topic: TopicId,
    ) -> Vec<Reply> {
        let key = Self::conversation_key(session, request);
        let now = self.clock.now();
        let idle = chrono::Duration::minutes(i64::from(self.settings.conversation_idle_minutes));
        let store = self.store.as_deref();
        let context =
            conversation::load(store, session.conversation.as_ref(), &key, now, idle).await;
        let mut text = self.topic_text(topic, lang, "", None);
        push_source(&mut text, lang, topic);
        let answer = Answer {
            topic,
            topics: vec![topic],
            confidence: 1.0,
            lang,
            text,
            outcome: Outcome::Answered,
            buttons: Vec::new(),
            slots: Slots::default(),
        };
        let recorded = self.record(&key, &answer, "").await;
        let next = Conversation {
            topic,
            slots: context
                .as_ref()
                .map(|c| c.slots.clone())
                .unwrap_or_default(),
            turns: context.map(|c| c.turns).unwrap_or_default(),
            updated_at: now,
        };
        conversation::save(store, &mut session.conversation, &key, next).await;
        let mut buttons = Vec::new();
        if let Some(id) = recorded.filter(|_| request.user.platform_id.starts_with("discord:")) {
            buttons.extend(feedback_buttons(lang, id));
        }
        let mut reply = Reply::text(lang, answer.text).with_buttons(buttons);
        reply.topic = Some(topic.as_str().to_string());
        reply.topics = vec![topic.as_str().to_string()];
        reply.confidence = Some(1.0);
        vec![reply]
    }

    /// "Talk to a person": posts the question and the last turns in the staff channel (through
    /// the outbox, so it survives a restart) and records the hand-off.
    async fn hand_off(
        &self,
        session: &mut Session,
        request: &Request,
        locale: Locale,
    ) -> Vec<Reply> {
        let (Some(store), Some(channel)) = (self.store.as_deref(), self.settings.staff_channel_id)
        else {
            return vec![Reply::private(
                locale,
                tr(locale, "desk-handoff-unavailable", &[]),
            )];
        };
        let key = Self::conversation_key(session, request);
        let now = self.clock.now();
        let idle = chrono::Duration::minutes(i64::from(self.settings.conversation_idle_minutes));
        let context =
            conversation::load(Some(store), session.conversation.as_ref(), &key, now, idle).await;
        let turns = context.map(|c| c.turns).unwrap_or_default();
        let question = turns.last().map(|t| t.question.clone()).unwrap_or_default();
        let lines = turns
            .iter()
            .map(|t| format!("- {} → {}", t.question, t.topics.join(", ")))
            .collect::<Vec<_>>()
            .join("\n");
        let staff = self.default_locale;
        let body = tr(
            staff,
            "desk-handoff-post",
            &[
                (
                    "user",
                    FluentValue::from(request.user.display_name.as_str()),
                ),
                ("question", FluentValue::from(question.as_str())),
                ("turns", FluentValue::from(lines)),
            ],
        );
        let message = NewOutboxMessage {
            channel: Channel::Discord,
            recipient: format!("channel:{channel}"),
            subject: tr(staff, "desk-handoff-button", &[]),
            body_text: body,
            body_html: None,
            payload: None,
            locale: staff.code().to_string(),
            dedupe_key: format!("handoff:{key}:{}", now.timestamp_millis()),
            not_before: now,
        };
        if let Err(e) = store.enqueue(&message, now).await {
            tracing::error!(error = %e, "cannot hand the question off");
            return vec![Reply::private(
                locale,
                tr(locale, "desk-handoff-unavailable", &[]),
            )];
        }
        let row = NewDeskQuestion {
            conversation_key: key,
            lang: locale.code().to_string(),
            topics: TopicId::Unknown.as_str().to_string(),
            confidence: 0.0,
            outcome: Outcome::HandedOff.as_str().to_string(),
            question: Some(question),
        };
        if let Err(e) = store.record_question(&row, now).await {
            tracing::warn!(error = %e, "cannot record the hand-off");
        }
        vec![Reply::private(locale, tr(locale, "desk-handoff-sent", &[]))]
    }

    fn unknown_button(&self, locale: Locale, id: &str) -> Vec<Reply> {
        vec![Reply::private(
            locale,
            tr(
                locale,
                "chat-button-unknown",
                &[("id", FluentValue::from(id))],
            ),
        )]
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
            "hours" => {
                // `/hours 明日10時`: the hours at that instant; plain `/hours`: now.
                let raw = command.option("at").unwrap_or(command.rest.as_str());
                let now = self.clock.now();
                let status = match asked::read(raw, &self.calendar, now) {
                    Some(a) => asked::hours_at_asked(locale, &a, &self.calendar, now),
                    None => rules_text::hours_now(locale, &self.calendar, now),
                };
                vec![Reply::text(
                    locale,
                    tr(
                        locale,
                        "topic-pwcs",
                        &[
                            ("status", FluentValue::from(status)),
                            (
                                "anniversary",
                                FluentValue::from(self.anniversary_note(locale)),
                            ),
                        ],
                    ),
                )]
            }
            "renewal" => {
                let raw = command.option("date").unwrap_or(command.rest.as_str());
                let asked = asked::read(raw, &self.calendar, self.clock.now());
                let date = asked.and_then(|a| {
                    let hints = partnerdesk_knowledge::Hints::default();
                    asked::date_for_topic(&a, TopicId::Renewal, hints, &self.renewal)
                });
                match date {
                    Some(date) => vec![Reply::text(
                        locale,
                        rules_text::renewal_text(locale, &self.renewal.explain(date)),
                    )],
                    None => vec![Reply::private(locale, asked::refusal(raw).render(locale))],
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
