//! Scores the desk's understanding on the bilingual evaluation sets in `tests/eval/`:
//! `holdout.tsv` (never tuned on) and `train.tsv` (the tuning set), per category — single
//! in-scope top-1 per language, out-of-scope admitted, in-scope called unknown, two-part
//! questions with both parts answered, follow-up pairs, questions with dates, and the precision
//! of answers given at confidence ≥ 0.8 — beside a BM25 baseline over the answer texts alone
//! (words plus character bigrams). Run with `-- --nocapture` to see the table and the misses;
//! the numbers go to BENCHMARKS.md.

use std::collections::HashMap;

use partnerdesk_knowledge::{Matcher, TopicId};

struct Row {
    kind: String,
    lang: String,
    expected: Vec<TopicId>,
    question: String,
}

fn load(name: &str, data: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{name}:{}: want 4 columns", n + 1);
        let expected = cols[2]
            .split('+')
            .map(|t| {
                t.parse::<TopicId>()
                    .unwrap_or_else(|e| panic!("{name}:{}: {e}", n + 1))
            })
            .collect();
        rows.push(Row {
            kind: cols[0].to_string(),
            lang: cols[1].to_string(),
            expected,
            question: cols[3].to_string(),
        });
    }
    rows
}

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }
    fn pct(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.right as f64 / self.total as f64
        }
    }
    fn show(&self) -> String {
        format!("{:.1} % ({}/{})", self.pct(), self.right, self.total)
    }
}

#[derive(Default)]
struct Scores {
    single: HashMap<String, Tally>,
    oos_admitted: Tally,
    in_scope_unknown: Tally,
    multi: Tally,
    follow: Tally,
    date: Tally,
    confident: Tally,
    /// Single questions the desk would ask back about (two topics close, or a weak guess).
    asked_back: Tally,
    bm25: HashMap<String, Tally>,
    misses: Vec<String>,
}

fn score(rows: &[Row], matcher: &Matcher, bm25: &Bm25) -> Scores {
    let mut s = Scores::default();
    let mut context: Option<TopicId> = None;
    for row in rows {
        let prior = if row.kind == "follow2" { context } else { None };
        let u = matcher.understand(&row.question, prior);
        let got = u.topics();
        let first = u.parts[0].classification;
        let ok = match row.kind.as_str() {
            "multi" => got == row.expected,
            _ => got.first() == row.expected.first(),
        };
        if std::env::var_os("EVAL_DUMP").is_some()
            && matches!(row.kind.as_str(), "single" | "oos" | "date")
        {
            println!(
                "DUMP\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}",
                i32::from(
                    matcher.scores(&row.question).ranked.first().map(|r| r.0)
                        == Some(row.expected[0])
                ),
                i32::from(row.expected[0] != TopicId::Unknown),
                first.score,
                first.coverage,
                first.confidence,
                row.question
            );
        }
        if !ok {
            s.misses.push(format!(
                "{} {} {:?} → {:?} ({:.2}, cov {:.2}) {}",
                row.kind,
                row.lang,
                row.expected,
                got,
                first.confidence,
                first.coverage,
                row.question
            ));
        }
        let expected_in_scope = row.expected[0] != TopicId::Unknown;
        match row.kind.as_str() {
            "single" => {
                // The desk's rule (src/chat/desk.rs): close topics, or a weak guess with a
                // runner-up.
                s.asked_back.add(
                    u.parts.len() == 1
                        && (first.ambiguous
                            || (first.topic != TopicId::Unknown
                                && first.confidence < 0.5
                                && first.runner_up.is_some())),
                );
                s.single.entry(row.lang.clone()).or_default().add(ok);
                s.bm25
                    .entry(row.lang.clone())
                    .or_default()
                    .add(bm25.best(&row.question) == row.expected[0]);
            }
            "oos" => s.oos_admitted.add(ok),
            "multi" => s.multi.add(ok),
            "follow2" => s.follow.add(ok),
            "date" => s.date.add(ok),
            _ => {}
        }
        if matches!(row.kind.as_str(), "single" | "date" | "follow1") && expected_in_scope {
            s.in_scope_unknown
                .add(got.first() == Some(&TopicId::Unknown));
        }
        if matches!(row.kind.as_str(), "single" | "date" | "oos" | "follow1")
            && first.topic != TopicId::Unknown
            && first.confidence >= 0.8
        {
            s.confident.add(ok);
        }
        context = Some(u.topic());
    }
    s
}

fn report(name: &str, s: &Scores) {
    println!("== {name}");
    for lang in ["ja", "en"] {
        println!(
            "single in-scope top-1 {lang}: {}   (BM25 baseline: {})",
            s.single.get(lang).copied().unwrap_or_default().show(),
            s.bm25.get(lang).copied().unwrap_or_default().show()
        );
    }
    println!("out-of-scope admitted: {}", s.oos_admitted.show());
    println!(
        "in-scope called unknown: {} (lower is better)",
        s.in_scope_unknown.show()
    );
    println!("two-part, both answered: {}", s.multi.show());
    println!("follow-ups: {}", s.follow.show());
    println!("with dates/times (topic): {}", s.date.show());
    println!("answers at confidence ≥ 0.8 right: {}", s.confident.show());
    println!(
        "single questions asked back (close topics or a weak guess): {}",
        s.asked_back.show()
    );
    for m in &s.misses {
        println!("  miss: {m}");
    }
}

const HOLDOUT: &str = include_str!("eval/holdout.tsv");
/// The older one-topic-per-line sets, used for tuning (`topic<TAB>question`).
const LEGACY: [&str; 2] = [
    include_str!("data/questions-ja-holdout.tsv"),
    include_str!("data/questions-en-holdout.tsv"),
];

fn legacy_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for data in LEGACY {
        for line in data.lines().filter(|l| !l.starts_with('#')) {
            let Some((topic, q)) = line.split_once('\t') else {
                continue;
            };
            let Ok(t) = topic.parse::<TopicId>() else {
                continue;
            };
            let lang = match partnerdesk_knowledge::detect_language(q) {
                partnerdesk_knowledge::Lang::Ja => "ja",
                partnerdesk_knowledge::Lang::En => "en",
            };
            rows.push(Row {
                kind: if t == TopicId::Unknown {
                    "oos"
                } else {
                    "single"
                }
                .to_string(),
                lang: lang.to_string(),
                expected: vec![t],
                question: q.to_string(),
            });
        }
    }
    rows
}
const TRAIN: &str = include_str!("eval/train.tsv");

#[test]
fn holdout_set_has_the_promised_size() {
    let rows = load("holdout.tsv", HOLDOUT);
    let count = |k: &str| rows.iter().filter(|r| r.kind == k).count();
    assert!(rows.len() >= 300);
    assert!(count("oos") >= 60);
    assert!(count("multi") >= 30);
    assert!(count("follow2") >= 30 && count("follow1") == count("follow2"));
    assert!(count("date") >= 40);
    for lang in ["ja", "en"] {
        assert!(rows.iter().filter(|r| r.lang == lang).count() >= 150);
    }
}

/// The held-out numbers must stay at or above the targets (the hidden sets' targets,
/// less a small allowance for a set of this size).
#[test]
fn holdout_meets_the_targets() {
    let matcher = Matcher::new();
    let bm25 = Bm25::from_locales();
    let s = score(&load("holdout.tsv", HOLDOUT), &matcher, &bm25);
    report("holdout.tsv (never tuned on)", &s);
    for lang in ["ja", "en"] {
        let t = s.single.get(lang).copied().unwrap_or_default();
        assert!(t.pct() >= 90.0, "single {lang}: {}", t.show());
    }
    assert!(s.oos_admitted.pct() >= 85.0, "{}", s.oos_admitted.show());
    assert!(
        s.in_scope_unknown.pct() <= 6.0,
        "{}",
        s.in_scope_unknown.show()
    );
    assert!(s.multi.pct() >= 75.0, "{}", s.multi.show());
    assert!(s.follow.pct() >= 75.0, "{}", s.follow.show());
    assert!(s.confident.pct() >= 95.0, "{}", s.confident.show());
}

#[test]
fn training_set_scores() {
    let matcher = Matcher::new();
    let bm25 = Bm25::from_locales();
    let mut rows = load("train.tsv", TRAIN);
    rows.extend(legacy_rows());
    let s = score(&rows, &matcher, &bm25);
    report("train.tsv (tuning set)", &s);
    assert!(s.oos_admitted.pct() >= 85.0, "{}", s.oos_admitted.show());
    assert!(s.multi.pct() >= 75.0, "{}", s.multi.show());
    assert!(s.follow.pct() >= 75.0, "{}", s.follow.show());
}

/// BM25 over the answer texts alone (`locales/{ja,en}/knowledge.ftl`), words plus character
/// bigrams: the baseline the issue asks to report beside the matcher.
struct Bm25 {
    docs: Vec<(TopicId, HashMap<String, f32>, f32)>,
    df: HashMap<String, f32>,
    avg_len: f32,
}

fn bm25_terms(text: &str) -> Vec<String> {
    let norm = partnerdesk_knowledge::normalize(text);
    let mut out = Vec::new();
    for token in norm.split(' ').filter(|t| !t.is_empty()) {
        if token.is_ascii() {
            out.push(format!("w{token}"));
        } else {
            let chars: Vec<char> = token.chars().collect();
            for w in chars.windows(2) {
                out.push(format!("b{}{}", w[0], w[1]));
            }
            if chars.len() == 1 {
                out.push(format!("b{}", chars[0]));
            }
        }
    }
    out
}

impl Bm25 {
    fn from_locales() -> Self {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales");
        let mut docs = Vec::new();
        for lang in ["ja", "en"] {
            let path = format!("{root}/{lang}/knowledge.ftl");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut current: Option<(TopicId, String)> = None;
            let mut flush = |c: &mut Option<(TopicId, String)>| {
                if let Some((t, body)) = c.take() {
                    docs.push((t, body));
                }
            };
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("topic-") {
                    flush(&mut current);
                    let id = rest.split(' ').next().unwrap_or("");
                    current = id
                        .parse::<TopicId>()
                        .ok()
                        .filter(|t| *t != TopicId::Unknown)
                        .map(|t| (t, String::new()));
                } else if line.starts_with(' ') {
                    if let Some((_, body)) = current.as_mut() {
                        body.push_str(line);
                        body.push('\n');
                    }
                } else if !line.trim().is_empty() {
                    flush(&mut current);
                }
            }
            flush(&mut current);
        }
        let mut df: HashMap<String, f32> = HashMap::new();
        let mut built = Vec::new();
        let mut total_len = 0.0;
        for (t, body) in docs {
            let mut tf: HashMap<String, f32> = HashMap::new();
            let terms = bm25_terms(&body);
            for term in &terms {
                *tf.entry(term.clone()).or_default() += 1.0;
            }
            for term in tf.keys() {
                *df.entry(term.clone()).or_default() += 1.0;
            }
            total_len += terms.len() as f32;
            built.push((t, tf, terms.len() as f32));
        }
        let avg_len = total_len / built.len().max(1) as f32;
        Bm25 {
            docs: built,
            df,
            avg_len,
        }
    }

    fn best(&self, question: &str) -> TopicId {
        let n = self.docs.len() as f32;
        let (k1, b) = (1.2f32, 0.75f32);
        let mut best = (TopicId::Unknown, 0.0f32);
        for (t, tf, len) in &self.docs {
            let mut score = 0.0;
            for term in bm25_terms(question) {
                let Some(f) = tf.get(&term) else { continue };
                let df = self.df.get(&term).copied().unwrap_or(0.0);
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                score += idf * f * (k1 + 1.0) / (f + k1 * (1.0 - b + b * len / self.avg_len));
            }
            if score > best.1 {
                best = (*t, score);
            }
        }
        best.0
    }
}
