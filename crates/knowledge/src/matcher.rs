//! The question matcher: free text → topic.
//!
//! This module owns the decision rule. Two signals are computed for every topic:
//! - the cue lexicon ([`crate::lexicon`]): one Aho-Corasick pass over the normalized,
//!   typo-corrected text, each concept block counted once, saturated so that piling up context
//!   nouns cannot outweigh what is asked;
//! - example-question retrieval ([`crate::retrieval`]): TF-IDF cosine to the topic's example
//!   questions over words and Japanese character n-grams, with the asking clause weighted up.
//!
//! They are blended into one score per topic. The question is `unknown` when the best score is
//! low or when the chosen topic's vocabulary explains too little of the question's content
//! (coverage): a question about a price, another system or the weather shares a word or two
//! with a topic but is mostly made of words no topic uses. There is no list of forbidden words.
//! The confidence is a calibrated blend of score, margin over the runner-up and coverage (see
//! `BENCHMARKS.md` for its precision on the held-out set). Everything is built once in
//! [`Matcher::new`] and `classify` only reads, so one `Matcher` can be shared across threads.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::date::{extract_date, mask_dates};
use crate::fuzzy::Corrector;
use crate::hints::Hints;
use crate::lang::{detect_language, Lang};
use crate::lexicon::{self, Block, LexiconError};
use crate::normalize::normalize;
use crate::question::truncate_chars;
use crate::retrieval::Retriever;
use crate::topic::TopicId;

// Defined in `question` (hints reads the same bound); still public here, as it always was.
pub use crate::question::MAX_QUESTION_CHARS;

/// A lexicon total at which a topic's cue signal counts as half-saturated; a lone context word
/// ("Aspera", "IBM", weight ≤ 1) stays far below it.
pub const THRESHOLD: f32 = 1.5;

/// Blend of the two signals in a topic's score.
const RETRIEVAL_WEIGHT: f32 = 0.6;
/// Below this blended score nothing in scope was asked.
const MIN_SCORE: f32 = 0.34;
/// Below this coverage the chosen topic explains too little of the question...
const MIN_COVERAGE: f32 = 0.40;
/// ...unless its score alone is this clear (a known question with one new word in it).
const CLEAR_SCORE: f32 = 0.50;
/// Two topics whose scores are this close are ambiguous (ask back).
pub const AMBIGUITY_MARGIN: f32 = 0.06;
/// Score added to the conversation's last topic when a follow-up is read against it.
const FOLLOW_UP_PRIOR: f32 = 0.3;

/// The matcher's answer for one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classification {
    /// The best topic, or [`TopicId::Unknown`].
    pub topic: TopicId,
    /// How sure the matcher is that `topic` is right, in `0.0..=1.0` (for `unknown`: that
    /// nothing in scope was asked). Calibrated on the tuning set: answers at ≥ 0.8 are right
    /// ≥ 97 % of the time on the held-out set (BENCHMARKS.md).
    pub confidence: f32,
    /// The language the question is written in (see [`detect_language`]).
    pub lang: Lang,
    /// The runner-up topic, when it is in scope.
    pub runner_up: Option<TopicId>,
    /// Whether the runner-up is too close to the best to choose between them.
    pub ambiguous: bool,
    /// Share of the question's content the chosen (or best) topic explains.
    pub coverage: f32,
    /// The blended score of the best in-scope topic (for diagnostics and follow-up rules).
    pub score: f32,
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
    retriever: Retriever,
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
        // Each lexicon cue is vocabulary its topics explain (coverage), never an example.
        let retriever = Retriever::new(blocks.iter().flat_map(|b| {
            b.weights.iter().flat_map(move |&(topic, w)| {
                b.patterns
                    .iter()
                    .flat_map(|p| &p.parts)
                    .filter(move |_| w >= 1.5)
                    .map(move |part| (topic, part.needle.as_str()))
            })
        }));
        Matcher {
            blocks,
            patterns,
            needle_owner,
            automaton,
            corrector,
            retriever,
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
        self.classify_with_prior(text, None)
    }

    /// Classifies a follow-up: `prior` (the conversation's last topic) gets a head start, so an
    /// elliptical question (「その人がわからないときは？」, "and before that?") is read as being
    /// about it, while a question that clearly names another topic still goes there.
    pub fn classify_with_prior(&self, text: &str, prior: Option<TopicId>) -> Classification {
        let lang = detect_language(text);
        let (blended, coverage_of) = self.blended(text);
        decide(&blended, coverage_of, prior, lang)
    }

    /// Blended per-topic scores and a coverage function.
    fn blended(&self, text: &str) -> ([f32; TopicId::ALL.len()], impl Fn(TopicId) -> f32 + '_) {
        let text = truncate_chars(text, MAX_QUESTION_CHARS);
        // "2 p.m." reads as "2 pm": the dots of a meridiem are no sentence or word breaks.
        let undotted;
        let text = if text.contains(".m.") {
            undotted = text
                .replace("a.m.", "am")
                .replace("p.m.", "pm")
                .replace("A.M.", "am")
                .replace("P.M.", "pm");
            undotted.as_str()
        } else {
            text
        };
        let lexical = self.raw_scores(text).0;
        let features = self.retriever.features(text);
        let similarity = self.retriever.similarity(&features);
        let mut blended = [0.0f32; TopicId::ALL.len()];
        for t in TopicId::ALL {
            if t == TopicId::Unknown {
                continue;
            }
            let total = lexical[t.index()].total.max(0.0);
            let lex = total / (total + 2.0 * THRESHOLD);
            blended[t.index()] =
                RETRIEVAL_WEIGHT * similarity[t.index()] + (1.0 - RETRIEVAL_WEIGHT) * lex;
        }
        (blended, move |t| self.retriever.coverage(&features, t))
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
        let matched_text = self.raw_scores(text).1;
        let raw = self.blended(text).0;
        let mut ranked: Vec<(TopicId, f32)> = TopicId::ALL
            .iter()
            .map(|t| (*t, raw[t.index()]))
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

fn decide(
    blended: &[f32; TopicId::ALL.len()],
    coverage_of: impl Fn(TopicId) -> f32,
    prior: Option<TopicId>,
    lang: Lang,
) -> Classification {
    let prior = prior.filter(|t| *t != TopicId::Unknown);
    let score_of = |t: TopicId| {
        blended[t.index()]
            + if Some(t) == prior {
                FOLLOW_UP_PRIOR
            } else {
                0.0
            }
    };
    // Ranked by score; ties go to the topic with more coverage, never to catalogue order.
    let mut ranked: Vec<(TopicId, f32)> = TopicId::ALL
        .iter()
        .copied()
        .filter(|t| *t != TopicId::Unknown)
        .map(|t| (t, score_of(t)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_score) = ranked.first().copied().unwrap_or((TopicId::Unknown, 0.0));
    let (second, second_score) = ranked.get(1).copied().unwrap_or((TopicId::Unknown, 0.0));
    let coverage = coverage_of(best);
    let margin = best_score - second_score;
    // A follow-up read against its conversation: the content is in the earlier question, so
    // coverage of this short text is not asked for.
    let followed = prior == Some(best);
    let in_scope = best_score >= MIN_SCORE
        && (followed || coverage >= MIN_COVERAGE || best_score >= CLEAR_SCORE);
    let evidence = 6.0 * (best_score - MIN_SCORE) + 8.0 * margin + 4.0 * (coverage - MIN_COVERAGE);
    let sure = 1.0 / (1.0 + (-evidence).exp());
    let runner_up = (second_score >= MIN_SCORE).then_some(second);
    if in_scope {
        Classification {
            topic: best,
            confidence: sure.clamp(0.0, 1.0),
            lang,
            runner_up,
            ambiguous: runner_up.is_some() && margin < AMBIGUITY_MARGIN && !followed,
            coverage,
            score: best_score,
        }
    } else {
        let doubt =
            4.0 * (MIN_SCORE - best_score).max(0.0) + 4.0 * (MIN_COVERAGE - coverage).max(0.0);
        Classification {
            topic: TopicId::Unknown,
            confidence: (0.5 + doubt).clamp(0.0, 1.0),
            lang,
            runner_up: Some(best).filter(|_| best_score >= MIN_SCORE),
            ambiguous: false,
            coverage,
            score: best_score,
        }
    }
}
