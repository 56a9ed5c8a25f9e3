//! Round trip from a Discord interaction to the bot's callback: the real serenity client
//! against the fake Discord of the test suite, on loopback. Sends `/hours` slash commands one at
//! a time through the gateway and measures, per command, the time from the dispatch being
//! written to the WebSocket until the `POST /interactions/{id}/{token}/callback` reaches the
//! fake. Prints median, p99, mean and max.
//!
//! `cargo bench --bench discord_roundtrip` (ROUNDS=N to change the count, default 500). It runs
//! twice: without a database (the adapter and the knowledge core alone), and on a SQLite store as
//! the daemon runs it (each interaction also reads the account's saved language and person).

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, Place, TOKEN};
use partnerdesk::chat::Desk;
use partnerdesk::clock::SystemClock;
use partnerdesk::config::Config;
use partnerdesk::discord::{self, Bot, Endpoint};
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(rounds, false));
    runtime.block_on(run(rounds, true));
}

async fn run(rounds: usize, with_store: bool) {
    let fake = FakeDiscord::start().await;
    let mut desk = Desk::from_config(&Config::default(), Arc::new(SystemClock)).expect("desk");
    let dir = tempfile::tempdir().expect("dir");
    if with_store {
        let mut config = Config::default();
        config.database.url = format!("sqlite://{}", dir.path().join("bench.db").display());
        desk.store = Some(
            partnerdesk::store::open_and_migrate(&config)
                .await
                .expect("store"),
        );
    }
    let http = discord::http(
        TOKEN,
        &Endpoint {
            proxy: Some(fake.proxy()),
        },
    );
    let bot = Bot::build(http, Arc::new(desk), Vec::new())
        .await
        .expect("client");
    let stop = CancellationToken::new();
    let task = tokio::spawn(bot.run(stop.clone()));
    fake.wait_ready(1, Duration::from_secs(15)).await;

    let place = Place::Dm {
        channel: 400_000_000_000_000_001,
    };
    let mut samples = Vec::with_capacity(rounds);
    let warmup = 20;
    for i in 0..rounds + warmup {
        let id = fake.next_id();
        let token = format!("bench-{id}");
        let from = fake.mark();
        let interaction = fake_discord::slash(
            id,
            &token,
            300_000_000_000_000_001,
            if i % 2 == 0 { "ja" } else { "en-US" },
            place,
            "hours",
            json!([]),
        );
        let path = format!("/interactions/{id}/{token}/callback");
        let sent = Instant::now();
        fake.dispatch("INTERACTION_CREATE", interaction);
        let callback = fake
            .wait_request(from, Duration::from_secs(10), |r| r.path == path)
            .await;
        if i >= warmup {
            samples.push(callback.at.duration_since(sent));
        }
    }
    stop.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());

    samples.sort();
    let pick = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "discord_roundtrip ({}): {} interactions, median {:.2} ms, p99 {:.2} ms, mean {:.2} ms, max {:.2} ms",
        if with_store { "SQLite store" } else { "no database" },
        samples.len(),
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}
