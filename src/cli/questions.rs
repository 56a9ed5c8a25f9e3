//! `partnerdesk questions unanswered [--since DATE] [--json]`: what the desk could not answer
//! well — unknown, asked back, handed off, low confidence or 👎 — grouped by similarity, with
//! counts and one example each, so operators see which questions to add to the catalogue.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use clap::Subcommand;
use fluent_bundle::FluentValue;
use serde::Serialize;

use crate::chat::desk::CONFIDENT;
use crate::config::Config;
use crate::error::Failure;
use crate::i18n::tr;
use crate::store::{DeskQuestion, Store};

#[derive(Debug, Subcommand)]
pub enum QuestionsCommand {
    /// Unknown, asked-back, handed-off, low-confidence and 👎 questions, grouped.
    Unanswered {
        /// Only questions asked on or after this date (default: the whole retention period).
        #[arg(long, value_parser = parse_since)]
        since: Option<NaiveDate>,
        /// One JSON object per group: count, example, topics, outcomes, first and last asked.
        #[arg(long)]
        json: bool,
    },
}

fn parse_since(text: &str) -> Result<NaiveDate, String> {
    partnerdesk_domain::RenewalDate::parse(text)
        .map(|d| d.date())
        .map_err(|_| crate::cli::args::choice_error(text, "YYYY-MM-DD, YYYY/M/D, YYYY年M月D日"))
}

/// Similar questions, counted.
#[derive(Debug, Serialize)]
pub struct Group {
    pub count: usize,
    pub example: Option<String>,
    pub topics: Vec<String>,
    pub outcomes: Vec<String>,
    pub first_asked: chrono::DateTime<Utc>,
    pub last_asked: chrono::DateTime<Utc>,
    #[serde(skip)]
    grams: Vec<String>,
}

/// Character bigrams of the normalized text (Japanese needs no tokenizer for this).
fn grams(text: &str) -> Vec<String> {
    let norm = partnerdesk_knowledge::normalize(text);
    let chars: Vec<char> = norm.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

fn similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|g| b.binary_search(g).is_ok()).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// Groups questions whose texts share at least half their bigrams (or, without text, whose
/// topics and outcome are the same); biggest group first.
pub fn group(questions: &[DeskQuestion]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for q in questions {
        let g = q.question.as_deref().map(grams).unwrap_or_default();
        let topics: Vec<String> = q.topics.split(',').map(str::to_string).collect();
        let outcome = if q.feedback.as_deref() == Some("down") {
            "thumbs-down".to_string()
        } else if q.outcome == "answered" {
            "low-confidence".to_string()
        } else {
            q.outcome.clone()
        };
        let found = groups.iter_mut().find(|group| {
            if g.is_empty() || group.grams.is_empty() {
                g.is_empty() && group.grams.is_empty() && group.topics == topics
            } else {
                similarity(&g, &group.grams) >= 0.5
            }
        });
        match found {
            Some(group) => {
                group.count += 1;
                group.last_asked = group.last_asked.max(q.asked_at);
                for t in &topics {
                    if !group.topics.contains(t) {
                        group.topics.push(t.clone());
                    }
                }
                if !group.outcomes.contains(&outcome) {
                    group.outcomes.push(outcome);
                }
            }
            None => groups.push(Group {
                count: 1,
                example: q.question.clone(),
                topics,
                outcomes: vec![outcome],
                first_asked: q.asked_at,
                last_asked: q.asked_at,
                grams: g,
            }),
        }
    }
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.first_asked.cmp(&b.first_asked))
    });
    groups
}

pub async fn run(command: QuestionsCommand, config: &Config) -> Result<(), Failure> {
    let store = crate::store::open_and_migrate(config).await?;
    let result = run_with(command, config, store.clone()).await;
    store.close().await;
    result
}

async fn run_with(
    command: QuestionsCommand,
    config: &Config,
    store: Arc<dyn Store>,
) -> Result<(), Failure> {
    let locale = super::args::cli_locale(config);
    match command {
        QuestionsCommand::Unanswered { since, json } => {
            let since = match since {
                Some(date) => date.and_time(chrono::NaiveTime::MIN).and_utc(),
                None => Utc::now() - Duration::days(i64::from(config.desk.question_retention_days)),
            };
            let questions = store
                .unanswered_questions(since, f64::from(CONFIDENT))
                .await?;
            let groups = group(&questions);
            if json {
                for g in &groups {
                    super::output::line(g)?;
                }
            } else if groups.is_empty() {
                println!("{}", tr(locale, "questions-none", &[]));
            } else {
                for g in &groups {
                    let example = g
                        .example
                        .clone()
                        .unwrap_or_else(|| tr(locale, "questions-no-text", &[]));
                    println!(
                        "{}",
                        tr(
                            locale,
                            "questions-group",
                            &[
                                ("count", FluentValue::from(g.count)),
                                ("example", FluentValue::from(example)),
                                ("topics", FluentValue::from(g.topics.join(", "))),
                                ("outcome", FluentValue::from(g.outcomes.join(", "))),
                            ],
                        )
                    );
                }
            }
            Ok(())
        }
    }
}
