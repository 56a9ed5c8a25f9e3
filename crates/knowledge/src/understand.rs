//! What a whole message asks: its parts (each a question that stands on its own, at most
//! [`MAX_PARTS`]), each classified, with the conversation's last topic as context for a
//! follow-up. This module owns the composition of [`crate::split`] and [`crate::matcher`]:
//! which pieces are kept apart, which are glued back, and when context applies.

use crate::matcher::{Classification, Matcher};
use crate::split::{is_elliptical, pieces, points_back};
use crate::topic::TopicId;

/// The desk answers at most this many parts of one message.
pub const MAX_PARTS: usize = 3;

/// One question of a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's own text (connector removed).
    pub text: String,
    pub classification: Classification,
    /// Whether the conversation's context decided this part (a follow-up).
    pub followed_up: bool,
}

/// What a message asks: one part or more, in the order written.
#[derive(Debug, Clone, PartialEq)]
pub struct Understanding {
    pub parts: Vec<Part>,
}

impl Understanding {
    /// The first part's topic (`unknown` when nothing in scope was asked).
    pub fn topic(&self) -> TopicId {
        self.parts
            .first()
            .map(|p| p.classification.topic)
            .unwrap_or(TopicId::Unknown)
    }

    /// Every part's topic, in order.
    pub fn topics(&self) -> Vec<TopicId> {
        self.parts.iter().map(|p| p.classification.topic).collect()
    }
}

impl Matcher {
    /// Reads a message: splits it, classifies each part (the first against `context`, the
    /// conversation's last topic, when it reads as a follow-up), glues back a piece that does
    /// not stand on its own, and drops repeats of a topic. Never panics; always one part or more.
    pub fn understand(&self, text: &str, context: Option<TopicId>) -> Understanding {
        let whole = self.read(text, context);
        let candidates = pieces(text);
        if candidates.len() < 2 {
            return Understanding { parts: vec![whole] };
        }
        let mut parts: Vec<Part> = Vec::new();
        for piece in candidates {
            let prior = match parts.last() {
                // A later piece may point back at the part before it ("…? where do I enter it?").
                Some(last) => Some(last.classification.topic),
                None => context,
            };
            let part = self.read(&piece, prior);
            let stands_alone = part.classification.topic != TopicId::Unknown
                && !(part.followed_up && parts.last().is_some());
            match parts.last_mut() {
                Some(last) if !stands_alone => {
                    // Not a question of its own: it belongs to the part before.
                    let glued = format!("{} {}", last.text, piece);
                    let keep_topic = last.classification.topic;
                    let mut again = self.read(&glued, context);
                    if again.classification.topic == TopicId::Unknown {
                        again.classification.topic = keep_topic;
                        again.classification.confidence = last.classification.confidence;
                    }
                    *last = again;
                }
                _ => parts.push(part),
            }
        }
        // One topic once; unknown pieces only when nothing else was understood.
        let mut seen = Vec::new();
        parts.retain(|p| {
            let t = p.classification.topic;
            if seen.contains(&t) {
                false
            } else {
                seen.push(t);
                true
            }
        });
        if parts.len() > 1 {
            parts.retain(|p| p.classification.topic != TopicId::Unknown);
        }
        parts.truncate(MAX_PARTS);
        if parts.len() <= 1 {
            // Nothing split off: the whole message, read at once, is the better reading.
            return Understanding { parts: vec![whole] };
        }
        Understanding { parts }
    }

    /// One piece, with context when it reads as a follow-up.
    fn read(&self, text: &str, context: Option<TopicId>) -> Part {
        let fresh = self.classify(text);
        let Some(prior) = context.filter(|t| *t != TopicId::Unknown) else {
            return Part {
                text: text.to_string(),
                classification: fresh,
                followed_up: false,
            };
        };
        if !is_elliptical(text) || (fresh.topic == prior) {
            return Part {
                text: text.to_string(),
                classification: fresh,
                followed_up: false,
            };
        }
        let mut with_context = self.classify_with_prior(text, Some(prior));
        // A question that points back and asks nothing the catalogue knows on its own
        // (「その人がわからないときは？」) is about the conversation's topic; the confidence stays
        // middling, so the answer says how it was understood.
        if with_context.topic == TopicId::Unknown && points_back(text) {
            with_context.topic = prior;
            with_context.confidence = 0.6;
        }
        let followed_up = with_context.topic == prior;
        Part {
            text: text.to_string(),
            classification: with_context,
            followed_up,
        }
    }
}
