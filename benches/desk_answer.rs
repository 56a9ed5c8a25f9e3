//! Answering speed: one message through the whole desk pipeline without the database — parse,
//! split into parts, match each part (with the conversation's topic for follow-ups), render
//! the Fluent answer with its computed lines and source line. Target: p99 under 1 ms.
//! Run: `cargo bench --bench desk_answer` (`DESK_BENCH_ROUNDS=N` to change the rounds).

use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use partnerdesk::chat::conversation::{Conversation, Slots};
use partnerdesk::chat::Desk;
use partnerdesk::clock::{Clock, ManualClock};
use partnerdesk::config::Config;
use partnerdesk_knowledge::TopicId;

const QUESTIONS: &[&str] = &[
    "会社トークンはどこで入手できますか？",
    "PWCSの電話番号は？それと、サポート契約の更新の仕方も教えてください",
    "更新日が2015年8月15日の契約はどうすればいいですか",
    "サポートの電話番号は？",
    "Asperaのライセンス価格はいくらですか",
    "その人がわからないときは？",
    "What are the PWCS business hours and phone number?",
    "Where do I get an IBM ID, and how do I add myself to our registered company?",
    "Who do I pay for an invoice dated 2015-06-20?",
    "where do i enter the compnay tokne for my colleage",
    "How much does an Aspera Faspex license cost?",
    "and before that?",
];

fn main() {
    let rounds: usize = std::env::var("DESK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let now = Utc
        .with_ymd_and_hms(2026, 11, 24, 1, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let started = Instant::now();
    let desk = match Desk::from_config(&Config::default(), clock) {
        Ok(desk) => desk,
        Err(e) => {
            eprintln!("desk: {e}");
            std::process::exit(1);
        }
    };
    let startup = started.elapsed();
    let context = Conversation {
        topic: TopicId::Billing,
        slots: Slots::default(),
        turns: Vec::new(),
        updated_at: now,
    };
    // Warm-up: Fluent bundles and the matcher's index are built on first use.
    for q in QUESTIONS {
        std::hint::black_box(desk.answer_in(q, None, Some(&context)));
    }
    let mut times: Vec<f64> = Vec::with_capacity(rounds * QUESTIONS.len());
    for _ in 0..rounds {
        for q in QUESTIONS {
            let t = Instant::now();
            std::hint::black_box(desk.answer_in(std::hint::black_box(q), None, Some(&context)));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "desk answer (no database), {} answers: median {:.0} µs, p99 {:.0} µs, max {:.0} µs; desk start-up {:.1} ms",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0),
        startup.as_secs_f64() * 1e3
    );
}
