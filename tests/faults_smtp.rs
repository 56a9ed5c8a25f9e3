//! The outbox against an SMTP server of the test's own (`common::smtp_server`) that answers
//! 451 and 550, drops the connection after the data, stalls before its reply and goes down:
//! every message ends delivered or dead with the server's reason, a slow but working server
//! gets each message once, a missing reply after the end of data is "possibly delivered"
//! (retried with the same Message-ID), and a retry happens at its backoff, not at the poll.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::smtp_server::{message_ids, EndOfData, ScriptedSmtp};
use partnerdesk::clock::{Clock, ManualClock, SystemClock};
use partnerdesk::config::{Config, MailTransportKind};
use partnerdesk::notify::outbox::Dispatcher;
use partnerdesk::notify::SmtpMailer;
use partnerdesk::store::{self, Channel, NewOutboxMessage, OutboxMessage, OutboxStatus, Store};
use tokio_util::sync::CancellationToken;

fn message(key: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: "rep@example.com".into(),
        subject: format!("faults {key}"),
        body_text: format!("body of {key}"),
        body_html: None,
        payload: None,
        locale: "en".into(),
        dedupe_key: key.into(),
        not_before: Utc::now() - chrono::Duration::seconds(1),
    }
}

struct Setup {
    config: Config,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn setup(server: &ScriptedSmtp) -> Setup {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}", dir.path().join("pd.db").display());
    config.mail.transport = MailTransportKind::Smtp;
    config.mail.smtp_url = Some(server.url());
    config.mail.timeout_secs = 1;
    config.mail.data_timeout_secs = 10;
    // One at a time, so the script's replies meet the messages in order.
    config.outbox.concurrency = 1;
    store::migrate(&config).await.expect("migrate");
    let store = store::open(&config).await.expect("open");
    Setup {
        config,
        store,
        _dir: dir,
    }
}

fn dispatcher(setup: &Setup, clock: Arc<dyn Clock>) -> Dispatcher {
    let mailer = Arc::new(SmtpMailer::from_config(&setup.config.mail).expect("mailer"));
    Dispatcher::new(
        setup.store.clone(),
        mailer,
        None,
        clock,
        setup.config.outbox.clone(),
    )
}

async fn by_key(store: &Arc<dyn Store>, key: &str) -> OutboxMessage {
    store
        .outbox_messages(None, 100)
        .await
        .expect("list")
        .into_iter()
        .find(|m| m.dedupe_key == key)
        .unwrap_or_else(|| panic!("no message {key}"))
}

fn error_of(message: &OutboxMessage) -> String {
    message.last_error.clone().unwrap_or_default()
}

#[tokio::test]
async fn answers_451_550_a_drop_a_stall_and_an_outage_end_delivered_or_dead_with_the_reason() {
    let mut server = ScriptedSmtp::start().await;
    let setup = setup(&server).await;
    for key in ["m1-451", "m2-550", "m3-drop", "m4-stall", "m5-ok"] {
        setup
            .store
            .enqueue(&message(key), Utc::now())
            .await
            .expect("enqueue");
    }
    server.script([
        EndOfData::Reply("451 4.3.0 try again later".into()),
        EndOfData::Reply("550 5.1.1 no such user".into()),
        EndOfData::Drop,
        // Longer than the 1 s per command, shorter than the data timeout: a slow but working
        // server, which must get the message once.
        EndOfData::Stall(Duration::from_secs(3)),
        EndOfData::Accept,
    ]);
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let d = dispatcher(&setup, clock.clone());
    let report = d.drain().await.expect("drain");
    assert_eq!(
        (report.sent, report.retried, report.dead),
        (2, 2, 1),
        "{report:?}"
    );
    let store = &setup.store;
    assert!(error_of(&by_key(store, "m1-451").await).starts_with("451 "));
    let dead = by_key(store, "m2-550").await;
    assert_eq!(dead.status, "dead");
    assert!(error_of(&dead).starts_with("550 5.1.1"), "{dead:?}");
    let dropped = by_key(store, "m3-drop").await;
    assert_eq!(dropped.status, "pending");
    assert!(
        error_of(&dropped).starts_with("possibly delivered"),
        "a lost reply after the data is not a refusal: {dropped:?}"
    );
    assert_eq!(by_key(store, "m4-stall").await.status, "sent");
    assert_eq!(by_key(store, "m5-ok").await.status, "sent");

    // The server goes down: the retries fail temporarily and wait for their backoff.
    server.down();
    clock.advance(chrono::Duration::hours(2));
    let report = d.drain().await.expect("drain while down");
    assert_eq!((report.retried, report.dead), (2, 0), "{report:?}");
    let down = error_of(&by_key(store, "m1-451").await);
    assert!(down.contains("cannot connect"), "{down}");

    // Back up: everything still pending is delivered.
    server.up().await;
    clock.advance(chrono::Duration::hours(2));
    let report = d.drain().await.expect("drain after the outage");
    assert_eq!(report.sent, 2, "{report:?}");
    assert!(store
        .outbox_messages(Some(OutboxStatus::Pending), 10)
        .await
        .expect("list")
        .is_empty());

    // m1, m4, m5 once; m3 twice (its first reply was lost), under one Message-ID.
    let ids = message_ids(&server.accepted());
    assert_eq!(ids.len(), 5, "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        4,
        "the repeat has the same Message-ID: {ids:?}"
    );
    let stalled = server
        .accepted()
        .iter()
        .filter(|m| m.contains("faults m4-stall"))
        .count();
    assert_eq!(stalled, 1, "a slow server gets its message once");
}

#[tokio::test]
async fn no_reply_after_the_end_of_data_is_possibly_delivered_not_refused() {
    let server = ScriptedSmtp::start().await;
    let mut setup = setup(&server).await;
    setup.config.mail.data_timeout_secs = 1;
    setup
        .store
        .enqueue(&message("silent"), Utc::now())
        .await
        .expect("enqueue");
    server.script([EndOfData::Stall(Duration::from_secs(4))]);
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let d = dispatcher(&setup, clock.clone());
    let report = d.drain().await.expect("drain");
    assert_eq!((report.retried, report.dead), (1, 0), "{report:?}");
    let silent = by_key(&setup.store, "silent").await;
    assert_eq!(silent.status, "pending");
    let error = error_of(&silent);
    assert!(
        error.starts_with("possibly delivered") && error.contains("no reply within 1s"),
        "{error}"
    );
}

#[tokio::test]
async fn a_retry_happens_at_its_backoff_not_at_the_next_idle_poll() {
    let server = ScriptedSmtp::start().await;
    let mut setup = setup(&server).await;
    setup.config.outbox.base_backoff_secs = 1;
    setup
        .store
        .enqueue(&message("retry-soon"), Utc::now())
        .await
        .expect("enqueue");
    server.script([EndOfData::Reply("451 4.3.0 busy".into())]);
    let d = dispatcher(&setup, Arc::new(SystemClock));
    let stop = CancellationToken::new();
    let started = Instant::now();
    // An idle poll of a minute: only waking at the retry's own time delivers it in time.
    let run = tokio::spawn({
        let stop = stop.clone();
        async move {
            d.run(
                Arc::new(tokio::sync::Notify::new()),
                Duration::from_secs(60),
                stop,
            )
            .await
        }
    });
    while server.accepted_count() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the retry waited for the idle poll"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    stop.cancel();
    run.await.expect("dispatcher");
    // The backoff is 1 s ± 20%.
    assert!(
        took >= Duration::from_millis(750) && took < Duration::from_secs(3),
        "delivered after {took:?}"
    );
    assert_eq!(server.received_count(), 2);
}
