//! Example-question retrieval: each topic is described by the example questions in
//! `src/examples-{ja,en}.tsv`, and a question is compared with every example by TF-IDF cosine
//! over English words plus Japanese character unigrams (kanji) and bigrams, which needs no
//! Japanese tokenizer. This module owns the feature extraction, the index and the per-topic
//! similarity; it also measures *coverage*: how much of a question's content the vocabulary of
//! a topic explains, the main out-of-scope signal of [`crate::matcher`].
//!
//! Two weights carry the question's structure rather than its bag of words: the clause that asks
//! (the last clause of a Japanese sentence, whose predicate comes last; the English clause with
//! the interrogative) weighs more than the clauses that only set the context, and inside a
//! Japanese clause later characters weigh more than earlier ones, because the head of a
//! 「AのB」 noun phrase is B (「サポート契約の更新」 is about renewing).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::normalize::normalize;
use crate::topic::TopicId;

/// The example questions compiled in: `topic<TAB>question` per line, `#` comments.
pub(crate) const EXAMPLES: [&str; 2] = [
    include_str!("examples-ja.tsv"),
    include_str!("examples-en.tsv"),
];

/// Weight of the clause that asks, relative to a context clause.
const ASKING_CLAUSE_WEIGHT: f32 = 1.6;

/// English words too common to carry meaning; they still count for nothing in coverage.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "i", "we", "you", "my", "our", "your", "is", "are", "do", "does", "did",
    "to", "of", "in", "on", "for", "and", "or", "it", "be", "can", "could", "would", "should",
    "will", "me", "us", "what", "how", "where", "when", "who", "which", "why", "there", "this",
    "that", "please", "with", "at", "by", "from", "have", "has", "get", "am", "was", "if", "any",
    "about", "so", "just", "now", "not", "no", "yes", "they", "them", "their", "its", "as",
];

/// Words that only say *when* (a slot of the question, read by the date parser), never *what*.
const DATE_WORDS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "yesterday",
    "noon",
    "am",
    "pm",
    "next",
    "st",
    "nd",
    "rd",
    "th",
];

/// Japanese date and time words, removed like [`DATE_WORDS`].
const JA_DATE_WORDS: &[&str] = &[
    "明後日",
    "明日",
    "今日",
    "昨日",
    "来週",
    "今週",
    "再来週",
    "午前",
    "午後",
    "平成",
    "令和",
    "曜日",
    "曜",
];

/// The text without numbers and the date/time units written with them (2015年8月15日,
/// 12時半, 10:00): dates are slots the caller reads, not what the question is about.
fn without_dates(normalized: &str) -> String {
    let mut text = normalized.to_string();
    for w in JA_DATE_WORDS {
        if text.contains(w) {
            text = text.replace(w, " ");
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut after_digit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            after_digit = true;
            out.push(' ');
        } else if after_digit
            && matches!(
                c,
                '年' | '月' | '日' | '時' | '分' | '半' | '/' | ':' | '-' | '.'
            )
        {
            out.push(' ');
        } else {
            after_digit = false;
            out.push(c);
        }
    }
    out
}

/// One question's features: feature id (or an unseen feature's text) and weight.
#[derive(Debug, Default)]
pub(crate) struct Features {
    /// Known features: `(id, weight)`, ids unique.
    pub known: Vec<(u32, f32)>,
    /// Sum of squared weights of features never seen in any example (counted in coverage
    /// and in the question's norm only).
    pub unseen_mass: f32,
}

#[derive(Debug, Clone)]
struct Example {
    topic: TopicId,
    norm: f32,
}

/// The TF-IDF index of the example questions.
#[derive(Debug, Clone)]
pub(crate) struct Retriever {
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    examples: Vec<Example>,
    /// Feature id → `(example index, tf weight)`.
    postings: Vec<Vec<(u32, f32)>>,
    /// Per topic: the features its examples (and lexicon cues) use.
    topic_vocab: Vec<HashSet<u32>>,
    max_idf: f32,
}

/// Raw feature strings of a normalized text with their weights (before IDF).
fn raw_features(text: &str) -> Vec<(String, f32)> {
    let clauses = clauses(text);
    let asking = asking_clause(&clauses);
    let mut out: Vec<(String, f32)> = Vec::new();
    for (ci, clause) in clauses.iter().enumerate() {
        let clause_weight = if Some(ci) == asking && clauses.len() > 1 {
            ASKING_CLAUSE_WEIGHT
        } else {
            1.0
        };
        let norm = without_dates(&normalize(clause));
        for token in norm.split(' ').filter(|t| !t.is_empty()) {
            if token.is_ascii() {
                if DATE_WORDS.contains(&token) {
                    continue;
                }
                // Function words count a little: "what can you do?" is made of nothing else.
                let weight = if STOP_WORDS.contains(&token) {
                    0.3
                } else {
                    1.0
                };
                out.push((format!("w{}", stem(token)), weight * clause_weight));
            } else {
                let chars: Vec<char> = token.chars().collect();
                let n = chars.len().max(1) as f32;
                for (i, c) in chars.iter().enumerate() {
                    // Head-final: the end of a Japanese clause says what it is about.
                    let w = clause_weight * (0.8 + 0.4 * (i as f32 + 1.0) / n);
                    if is_kanji(*c) {
                        out.push((format!("u{c}"), 0.5 * w));
                    }
                    if let Some(next) = chars.get(i + 1) {
                        out.push((format!("b{c}{next}"), w));
                    }
                }
            }
        }
    }
    out
}

/// How much an unseen feature says about the question's content: an English word or a kanji
/// compound is content; a bigram with kana in it is mostly a particle or an ending meeting a
/// word (「件も」「も知」), which a new phrasing of a known question produces all the time.
fn unseen_weight(feature: &str) -> f32 {
    let mut chars = feature.chars();
    match chars.next() {
        Some('b') => {
            let kanji = chars.filter(|c| is_kanji(*c)).count();
            match kanji {
                2 => 1.0,
                1 => 0.45,
                _ => 0.3,
            }
        }
        _ => 1.0,
    }
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// A light English stemmer: plural and verb endings, so `renewing`/`renewal`/`renews` meet.
fn stem(word: &str) -> &str {
    for suffix in ["ing", "als", "al", "ed", "es", "s"] {
        if word.len() >= suffix.len() + 3 && word.ends_with(suffix) && !word.ends_with("ss") {
            return &word[..word.len() - suffix.len()];
        }
    }
    word
}

/// Splits raw text into clauses at commas, semicolons and sentence ends.
pub(crate) fn clauses(text: &str) -> Vec<&str> {
    let parts: Vec<&str> = text
        .split(['、', ',', '，', ';', '；', '。', '?', '？', '!', '！'])
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect();
    if parts.is_empty() {
        vec![text]
    } else {
        parts
    }
}

/// Which clause asks: in Japanese the last one; in English the first with an interrogative.
fn asking_clause(clauses: &[&str]) -> Option<usize> {
    if clauses.is_empty() {
        return None;
    }
    let japanese = clauses
        .iter()
        .any(|c| c.chars().any(crate::normalize::is_cjk_letter));
    if japanese {
        return Some(clauses.len() - 1);
    }
    const ASKING: &[&str] = &[
        "what", "how", "where", "when", "who", "which", "why", "is", "are", "do", "does", "can",
        "will", "should", "whom",
    ];
    clauses
        .iter()
        .position(|c| {
            c.split_whitespace()
                .next()
                .is_some_and(|w| ASKING.contains(&w.to_ascii_lowercase().as_str()))
        })
        .or(Some(clauses.len() - 1))
}

/// Sums duplicate features, sub-linear in repeats. Ordered, so that float sums (and so every
/// score) are the same on every run.
fn fold(raw: Vec<(String, f32)>) -> BTreeMap<String, f32> {
    let mut map: BTreeMap<String, f32> = BTreeMap::new();
    for (f, w) in raw {
        *map.entry(f).or_default() += w;
    }
    for w in map.values_mut() {
        *w = 1.0 + w.ln().max(-0.9);
    }
    map
}

impl Retriever {
    /// Builds the index from the compiled-in examples plus extra `(topic, text)` vocabulary (the
    /// lexicon's cues), which widens each topic's coverage without adding examples.
    pub(crate) fn new<'a>(extra_vocabulary: impl IntoIterator<Item = (TopicId, &'a str)>) -> Self {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut docs: Vec<(TopicId, BTreeMap<String, f32>)> = Vec::new();
        for source in EXAMPLES {
            for line in source.lines() {
                if line.starts_with('#') {
                    continue;
                }
                let Some((label, question)) = line.split_once('\t') else {
                    continue;
                };
                let Ok(topic) = label.trim().parse::<TopicId>() else {
                    continue;
                };
                if topic == TopicId::Unknown {
                    continue;
                }
                docs.push((topic, fold(raw_features(question))));
            }
        }
        let mut df: Vec<u32> = Vec::new();
        for (_, features) in &docs {
            for f in features.keys() {
                let next = vocab.len() as u32;
                let id = *vocab.entry(f.clone()).or_insert(next);
                if id as usize >= df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = docs.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
            .collect();
        let max_idf = (n + 1.0).ln() + 1.0;
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab.len()];
        let mut examples = Vec::with_capacity(docs.len());
        let mut topic_vocab: Vec<HashSet<u32>> = vec![HashSet::new(); TopicId::ALL.len()];
        for (i, (topic, features)) in docs.iter().enumerate() {
            let mut norm = 0.0f32;
            for (f, w) in features {
                if let Some(&id) = vocab.get(f) {
                    let v = w * idf[id as usize];
                    norm += v * v;
                    postings[id as usize].push((i as u32, v));
                    topic_vocab[topic.index()].insert(id);
                }
            }
            examples.push(Example {
                topic: *topic,
                norm: norm.sqrt().max(1e-6),
            });
        }
        let mut retriever = Retriever {
            vocab,
            idf,
            examples,
            postings,
            topic_vocab,
            max_idf,
        };
        for (topic, text) in extra_vocabulary {
            for (f, _) in raw_features(text) {
                if let Some(&id) = retriever.vocab.get(&f) {
                    retriever.topic_vocab[topic.index()].insert(id);
                }
            }
        }
        retriever
    }

    /// The question's weighted features against this index.
    pub(crate) fn features(&self, text: &str) -> Features {
        let mut out = Features::default();
        for (f, w) in fold(raw_features(text)) {
            match self.vocab.get(&f) {
                Some(&id) => out.known.push((id, w * self.idf[id as usize])),
                None => {
                    let v = w * self.max_idf * unseen_weight(&f);
                    out.unseen_mass += v * v;
                }
            }
        }
        out
    }

    /// Per-topic similarity in `0..=1`: the best example's cosine, blended with the mean of the
    /// topic's three best (one lucky example should not decide alone).
    pub(crate) fn similarity(&self, features: &Features) -> [f32; TopicId::ALL.len()] {
        let mut dot = vec![0.0f32; self.examples.len()];
        let mut q_norm = features.unseen_mass;
        for &(id, w) in &features.known {
            q_norm += w * w;
            if let Some(list) = self.postings.get(id as usize) {
                for &(e, v) in list {
                    dot[e as usize] += w * v;
                }
            }
        }
        let q_norm = q_norm.sqrt().max(1e-6);
        let mut top: [[f32; 3]; TopicId::ALL.len()] = [[0.0; 3]; TopicId::ALL.len()];
        for (e, d) in dot.iter().enumerate() {
            if *d <= 0.0 {
                continue;
            }
            let ex = &self.examples[e];
            let cos = d / (q_norm * ex.norm);
            let slot = &mut top[ex.topic.index()];
            if cos > slot[2] {
                slot[2] = cos;
                slot.sort_by(|a, b| b.total_cmp(a));
            }
        }
        let mut out = [0.0f32; TopicId::ALL.len()];
        for (i, t) in top.iter().enumerate() {
            out[i] = 0.6 * t[0] + 0.4 * (t[0] + t[1] + t[2]) / 3.0;
        }
        out
    }

    /// Share of the question's content (IDF-weighted, squared so content words dominate
    /// particles) that `topic`'s vocabulary explains.
    pub(crate) fn coverage(&self, features: &Features, topic: TopicId) -> f32 {
        let vocab = &self.topic_vocab[topic.index()];
        let mut total = features.unseen_mass;
        let mut covered = 0.0;
        for &(id, w) in &features.known {
            let mass = w * w;
            total += mass;
            if vocab.contains(&id) {
                covered += mass;
            }
        }
        if total <= 0.0 {
            0.0
        } else {
            covered / total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_clause_is_last_in_japanese_and_interrogative_in_english() {
        assert_eq!(
            asking_clause(&clauses("更新したいのですが、窓口は？")),
            Some(1)
        );
        assert_eq!(
            asking_clause(&clauses("Who do I call, I renewed yesterday")),
            Some(0)
        );
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("renewing"), "renew");
        assert_eq!(stem("renewal"), "renew");
        assert_eq!(stem("renews"), "renew");
        assert_eq!(stem("access"), "access");
    }

    #[test]
    fn index_builds_and_ranks_an_example_first() {
        let r = Retriever::new([]);
        let f = r.features("会社トークンはどこで入手できますか");
        let sim = r.similarity(&f);
        let best = TopicId::ALL
            .iter()
            .max_by(|a, b| sim[a.index()].total_cmp(&sim[b.index()]))
            .copied();
        assert_eq!(best, Some(TopicId::CompanyToken));
    }
}
