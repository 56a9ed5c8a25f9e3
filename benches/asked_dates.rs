//! Asked dates and times: how long the desk takes to answer a question that names a date or a
//! time (read the instant with the one date parser, classify, render the hours / renewal /
//! payment answer), without a database. Target: well under 1 ms at p99 (issue 12).
//!
//! Every question of `tests/data/asked_dates.tsv` (ja and en) is answered `ROUNDS` times
//! (default 300) through `Desk::answer`, each call timed on its own; the parser alone
//! (`read_asked`) is timed the same way. Prints p50 / p99 / max per call.
//!
//! Run: `cargo bench --bench asked_dates` (`ASKED_BENCH_ROUNDS=N` to change the rounds).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::DateTime;
use partnerdesk::chat::Desk;
use partnerdesk::clock::ManualClock;
use partnerdesk::config::Config;
use partnerdesk::i18n::Locale;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{what:<40} calls {:>7}  p50 {:>8.1} µs  p99 {:>8.1} µs  max {:>8.1} µs",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e6,
    );
}

fn main() {
    let rounds: usize = std::env::var("ASKED_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let data = include_str!("../tests/data/asked_dates.tsv");
    let cases: Vec<(&str, &str, &str)> = data
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?, cols.next()?, cols.next()?))
        })
        .collect();
    let config = Config::load(None, std::iter::empty()).expect("default configuration");
    let mut parse = Vec::with_capacity(rounds * cases.len());
    let mut answer = Vec::with_capacity(rounds * cases.len());
    for &(now, lang, question) in &cases {
        let now = DateTime::parse_from_rfc3339(now)
            .expect("instant")
            .with_timezone(&chrono::Utc);
        let desk = Desk::from_config(&config, Arc::new(ManualClock::new(now))).expect("desk");
        let local = desk.calendar.local_time(now);
        let lang: Locale = lang.parse().expect("language");
        // Warm up (Fluent bundles, lazily built tables).
        black_box(desk.answer(question, Some(lang)));
        for _ in 0..rounds {
            let start = Instant::now();
            black_box(partnerdesk_knowledge::read_asked(
                black_box(question),
                local,
            ));
            parse.push(start.elapsed());
            let start = Instant::now();
            black_box(desk.answer(black_box(question), Some(lang)));
            answer.push(start.elapsed());
        }
    }
    println!("{} questions × {rounds} rounds", cases.len());
    report("read_asked (parse only)", parse);
    report("Desk::answer (parse + match + render)", answer);
}
