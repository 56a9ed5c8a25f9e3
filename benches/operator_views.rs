//! What operators and reps pull on demand, timed on this machine's kind (see BENCHMARKS.md):
//!
//! - a `/metrics` scrape's encoding (every family filled as after a busy day: 5 jobs, both
//!   languages and every chat outcome), in text format 0.0.4 and OpenMetrics;
//! - a rep's `.ics` feed of 500 open contracts;
//! - the `/renewals` PNG chart over a year (53 weeks).
//!
//! `cargo bench --bench operator_views` prints the median of each over many runs.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use partnerdesk::metrics::{global, ChatOutcome};
use partnerdesk::store::Contract;
use partnerdesk_domain::renewal::RenewalPolicy;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(name: &str, rounds: usize, mut work: impl FnMut() -> usize) {
    let mut size = 0;
    let runs: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            size = std::hint::black_box(work());
            started.elapsed()
        })
        .collect();
    println!(
        "{name}: median {:?} over {rounds} runs ({size} bytes)",
        median(runs)
    );
}

fn main() {
    let metrics = global();
    for job in [
        "renewal-sweep",
        "renewal-digest",
        "approval-escalation",
        "review-mail",
        "retention",
    ] {
        metrics.record_job(job, true, Duration::from_millis(40), 1.7e9);
        metrics.record_job(job, false, Duration::from_millis(900), 1.7e9);
    }
    for lang in ["ja", "en"] {
        for outcome in [
            ChatOutcome::Answered,
            ChatOutcome::Clarified,
            ChatOutcome::Unknown,
            ChatOutcome::HandedOff,
            ChatOutcome::Command,
        ] {
            metrics.record_chat(lang, outcome, Duration::from_millis(3));
        }
    }
    metrics.set_outbox_counts(&[
        ("pending".into(), 12),
        ("sent".into(), 90_000),
        ("dead".into(), 3),
    ]);
    time("metrics scrape, text 0.0.4", 2_000, || {
        metrics.encode_prometheus().len()
    });
    time("metrics scrape, OpenMetrics", 2_000, || {
        metrics.encode_openmetrics().len()
    });

    let policy = RenewalPolicy::default();
    let start = NaiveDate::from_ymd_opt(2015, 5, 1).unwrap_or_default();
    let contracts: Vec<Contract> = (0..500)
        .map(|i| Contract {
            id: format!("C-{i:05}"),
            company: format!("株式会社サンプル {i}"),
            product: "Aspera Faspex".into(),
            renewal_date: start + chrono::Duration::days(i64::from(i) % 365),
            sales_rep_email: "aiko.sato@example.com".into(),
            sales_rep_name: "Aiko Sato".into(),
            sales_rep_lang: "ja".into(),
            sales_rep_tz: "Asia/Tokyo".into(),
            status: "open".into(),
            updated_at: Utc::now(),
        })
        .collect();
    time("ics feed, 500 contracts", 50, || {
        partnerdesk::workflows::calendar::render_feed(&contracts, &policy, Utc::now()).len()
    });
    time("renewals chart PNG, a year of deadlines", 50, || {
        partnerdesk::chat::charts::renewals_chart(&contracts, &policy).map_or(0, |a| a.data.len())
    });
}
