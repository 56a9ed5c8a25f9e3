//! Lexicon workbench: classify every `topic<TAB>question` line of the given TSV files and print
//! the accuracy and the misses with their top scores; or classify questions given with `-q`.
//!
//! `cargo run -p partnerdesk-knowledge --example evaluate -- crates/knowledge/src/examples-ja.tsv`
//! `cargo run -p partnerdesk-knowledge --example evaluate -- -q "会社トークンはどこ？"`

use partnerdesk_knowledge::{Matcher, TopicId};

fn show(m: &Matcher, q: &str) -> String {
    let s = m.scores(q);
    let top: Vec<String> = s
        .ranked
        .iter()
        .take(4)
        .map(|(t, v)| format!("{t}={v}"))
        .collect();
    format!("[{}] «{}»", top.join(" "), s.matched_text)
}

fn main() {
    let m = Matcher::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("-q") {
        for q in &args[1..] {
            let c = m.classify(q);
            println!(
                "{q} → {} ({:.2}, {:?}) {}",
                c.topic,
                c.confidence,
                c.lang,
                show(&m, q)
            );
        }
        return;
    }
    for path in &args {
        let data = match std::fs::read_to_string(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let (mut total, mut ok) = (0usize, 0usize);
        for line in data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let Some((label, q)) = line.split_once('\t') else {
                continue;
            };
            let Ok(want) = label.parse::<TopicId>() else {
                eprintln!("bad label {label}");
                continue;
            };
            total += 1;
            let got = m.classify(q);
            if got.topic == want {
                ok += 1;
            } else {
                println!("miss [{want}] {q} → {} {}", got.topic, show(&m, q));
            }
        }
        let pct = if total == 0 {
            0.0
        } else {
            100.0 * ok as f64 / total as f64
        };
        println!("{path}: {ok}/{total} = {pct:.1}%");
    }
}
