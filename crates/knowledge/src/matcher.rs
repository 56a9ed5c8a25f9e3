//! The question matcher: free text → topic.
//!
//! This module owns the decision rule. The [`crate::lexicon`] says which cues point where; this
//! module finds the cues in a question (one Aho-Corasick pass over the normalized, typo-corrected
//! text), adds up their weights per topic, and picks the best topic — or `unknown` when nothing
//! in-scope is strong enough, or when out-of-scope cues outweigh it. Everything is built once in
//! [`Matcher::new`] and `classify` only reads, so one `Matcher` can be shared across threads.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::date::{extract_date, mask_dates};
use crate::fuzzy::Corrector;
use crate::hints::Hints;
use crate::lang::{detect_language, Lang};
use crate::lexicon::{self, Block, LexiconError};
use crate::normalize::normalize;
use crate::question::truncate_chars;
use crate::topic::TopicId;

// Defined in `question` (hints reads the same bound); still public here, as it always was.
pub use crate::question::MAX_QUESTION_CHARS;

/// A real topic needs at least this total weight to be answered; below it the question is
/// `unknown`. 1.5 means one medium cue suffices ("tax?", "請求書は？") but a lone context word
/// ("Aspera", "IBM") does not.
pub const THRESHOLD: f32 = 1.5;

/// The matcher's answer for one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classification {
    /// The best topic, or [`TopicId::Unknown`].
    pub topic: TopicId,
    /// How sure the matcher is, in `0.0..=1.0`. For a real topic it grows with the winning score
    /// and with its lead over the runner-up; for `unknown` it is high when nothing in-scope was
    /// found or out-of-scope cues dominated, and low when an in-scope topic only just missed.
    pub confidence: f32,
    /// The language the question is written in (see [`detect_language`]).
    pub lang: Lang,
}

/// What a question asks plus the facts a computed answer needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The topic decision.
    pub classification: Classification,
    /// The first valid date written in the question, if any.
    pub date: Option<chrono::NaiveDate>,
    /// Cue words for computed answers (invoice, renewal, payment).
    pub hints: Hints,
}

/// Per-topic scores of one question, for diagnostics and tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// `(topic, score)` for every topic with a non-zero score, best first.
    pub ranked: Vec<(TopicId, f32)>,
    /// The normalized, typo-corrected text the lexicon was matched against.
    pub matched_text: String,
}

/// Classifies questions into topics. Build once (it compiles the lexicon, well under the 100 ms
/// start-up budget) and share.
#[derive(Debug, Clone)]
pub struct Matcher {
    blocks: Vec<Block>,
    /// Every pattern of every block: `(block index, bit set of all its parts)`.
    patterns: Vec<(usize, u64)>,
    /// Needle index in the automaton → `(pattern index, bit of this part)`.
    needle_owner: Vec<(usize, u64)>,
    /// `None` only if the automaton could not be built (see `new`): then nothing matches.
    automaton: Option<AhoCorasick>,
    corrector: Corrector,
    errors: Vec<LexiconError>,
}

impl Default for Matcher {
    fn default() -> Self {
        Self::new()
    }
}

impl Matcher {
    /// Compiles the built-in lexicon.
    pub fn new() -> Self {
        let (blocks, errors) = lexicon::parse(lexicon::SOURCE);
        let mut needles: Vec<&str> = Vec::new();
        let mut patterns = Vec::new();
        let mut needle_owner = Vec::new();
        for (bi, block) in blocks.iter().enumerate() {
            for p in &block.patterns {
                let pi = patterns.len();
                let mut all = 0u64;
                for (k, part) in p.parts.iter().enumerate() {
                    let bit = 1u64 << k;
                    all |= bit;
                    needles.push(&part.needle);
                    needle_owner.push((pi, bit));
                }
                patterns.push((bi, all));
            }
        }
        let corrector = Corrector::new(
            blocks.iter().flat_map(|b| {
                b.patterns.iter().flat_map(|p| &p.parts).flat_map(|p| {
                    let last = p.words.len().saturating_sub(1);
                    p.words
                        .iter()
                        .enumerate()
                        .map(move |(i, w)| (w.as_str(), p.prefix && i == last))
                })
            }),
            crate::fuzzy::PROTECTED_WORDS,
        );
        // Building fails only past the automaton's size limits, which a lexicon of a few thousand
        // short patterns cannot reach; even then the bot degrades to "unknown" instead of
        // panicking at start-up (a test checks the shipped lexicon builds).
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&needles)
            .ok();
        Matcher {
            blocks,
            patterns,
            needle_owner,
            automaton,
            corrector,
            errors,
        }
    }

    /// Lines of the built-in lexicon that could not be read (always empty in a release; a test
    /// checks it).
    pub fn lexicon_errors(&self) -> &[LexiconError] {
        &self.errors
    }

    /// Whether the pattern index was built (always true for the shipped lexicon).
    pub fn is_ready(&self) -> bool {
        self.automaton.is_some()
    }

    /// Classifies one question. Never panics; any input gets an answer.
    pub fn classify(&self, text: &str) -> Classification {
        let lang = detect_language(text);
        let scores = self.raw_scores(text).0;
        decide(&scores, lang)
    }

    /// Classifies a question and extracts what a computed answer needs (date, cue words).
    pub fn analyze(&self, text: &str) -> Analysis {
        Analysis {
            classification: self.classify(text),
            date: extract_date(text),
            hints: Hints::of(text),
        }
    }

    /// Per-topic scores, best first (for debugging the lexicon and for tests).
    pub fn scores(&self, text: &str) -> Scores {
        let (raw, matched_text) = self.raw_scores(text);
        let mut ranked: Vec<(TopicId, f32)> = TopicId::ALL
            .iter()
            .map(|t| (*t, raw[t.index()].total))
            .filter(|(_, s)| *s != 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Scores {
            ranked,
            matched_text,
        }
    }

    fn raw_scores(&self, text: &str) -> ([TopicScore; TopicId::ALL.len()], String) {
        let text = truncate_chars(text, MAX_QUESTION_CHARS);
        // Dates and times are not cue words ("12月30日" is no "30日" of payment terms).
        let text = &mask_dates(text);
        let corrected = self.corrector.correct(&normalize(text));
        // Padded with spaces for ASCII word boundaries and framed by the anchors `^`/`$`
        // patterns look for.
        let haystack = format!("{} {corrected} {}", lexicon::START, lexicon::END);
        // Which parts of which patterns occur; a pattern matches when all its parts do.
        let mut found = vec![0u64; self.patterns.len()];
        let matches = self
            .automaton
            .iter()
            .flat_map(|a| a.find_overlapping_iter(&haystack));
        for m in matches {
            if let Some(&(pi, bit)) = self.needle_owner.get(m.pattern().as_usize()) {
                if let Some(f) = found.get_mut(pi) {
                    *f |= bit;
                }
            }
        }
        let mut hit = vec![false; self.blocks.len()];
        for (&(bi, all), &f) in self.patterns.iter().zip(&found) {
            if f == all {
                if let Some(h) = hit.get_mut(bi) {
                    *h = true;
                }
            }
        }
        let mut scores = [TopicScore::default(); TopicId::ALL.len()];
        for (block, _) in self.blocks.iter().zip(&hit).filter(|(_, h)| **h) {
            for &(topic, w) in &block.weights {
                let s = &mut scores[topic.index()];
                s.total += w;
                s.strongest = s.strongest.max(w);
            }
        }
        (scores, corrected)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct TopicScore {
    total: f32,
    /// Weight of the strongest single cue: breaks ties in favour of the more specific topic.
    strongest: f32,
}

fn decide(scores: &[TopicScore; TopicId::ALL.len()], lang: Lang) -> Classification {
    let mut best: Option<(TopicId, TopicScore)> = None;
    let mut runner_up = 0.0f32;
    for t in TopicId::ALL
        .iter()
        .copied()
        .filter(|t| *t != TopicId::Unknown)
    {
        let s = scores[t.index()];
        let better = match best {
            None => true,
            Some((_, b)) => s.total > b.total || (s.total == b.total && s.strongest > b.strongest),
        };
        if better {
            if let Some((_, b)) = best {
                runner_up = runner_up.max(b.total);
            }
            best = Some((t, s));
        } else {
            runner_up = runner_up.max(s.total);
        }
    }
    let out_of_scope = scores[TopicId::Unknown.index()].total;
    let (topic, s) = best.unwrap_or((TopicId::Unknown, TopicScore::default()));
    if s.total >= THRESHOLD && s.total > out_of_scope {
        // Saturating in the score (0.5 at the threshold, 0.8 at 6), scaled by the lead.
        let strength = s.total / (s.total + THRESHOLD);
        let lead = ((s.total - runner_up.max(out_of_scope)) / s.total).clamp(0.0, 1.0);
        Classification {
            topic,
            confidence: (strength * (0.5 + 0.5 * lead)).clamp(0.0, 1.0),
            lang,
        }
    } else {
        let confidence = if out_of_scope >= s.total && out_of_scope > 0.0 {
            out_of_scope / (out_of_scope + THRESHOLD)
        } else {
            1.0 - 0.5 * (s.total / THRESHOLD).clamp(0.0, 1.0)
        };
        Classification {
            topic: TopicId::Unknown,
            confidence: confidence.clamp(0.0, 1.0),
            lang,
        }
    }
}
