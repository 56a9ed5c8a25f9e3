//! The notification daemon against real databases: renewal reminders (business-day shift,
//! catch-up, acknowledgement), misfire policies, exactly-once fires across two schedulers on one
//! database, the dispatcher writing real .eml files (multipart, addressed by name), and the
//! `review-mail` safety net of the review notices.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::instant;
use partnerdesk::clock::{Clock, ManualClock};
use partnerdesk::config::{Config, MisfirePolicy};
use partnerdesk::daemon::jobs::JobContext;
use partnerdesk::daemon::scheduler::{FireOutcome, Scheduler};
use partnerdesk::notify::outbox::Dispatcher;
use partnerdesk::notify::FileMailer;
use partnerdesk::store::{
    self, Actor, ContractStatus, NewCompany, NewContract, NewPerson, OutboxStatus,
    RegistrationStatus, RegistrationStep, Store, TransitionOutcome,
};
use partnerdesk::workflows::notices;
use tokio::sync::Notify;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn contract(id: &str, renewal: NaiveDate, tz: &str, lang: &str) -> NewContract {
    NewContract {
        id: id.into(),
        company: "株式会社サンプル".into(),
        product: "Aspera Faspex".into(),
        renewal_date: renewal,
        sales_rep_email: format!("{id}@example.com").to_lowercase(),
        sales_rep_name: "佐藤".into(),
        sales_rep_lang: lang.into(),
        sales_rep_tz: tz.into(),
    }
}

fn tokyo(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("tokyo time")
        .with_timezone(&Utc)
}

struct Fixture {
    store: Arc<dyn Store>,
    config: Config,
    _dir: tempfile::TempDir,
    postgres_url: Option<String>,
}

impl Fixture {
    async fn finish(self) {
        self.store.close().await;
        if let Some(url) = &self.postgres_url {
            common::drop_postgres(url).await;
        }
    }

    fn scheduler(&self, clock: Arc<dyn Clock>, owner: &str) -> Scheduler {
        Scheduler {
            jobs: Scheduler::jobs_from_config(&self.config).expect("jobs"),
            context: JobContext::new(&self.config, self.store.clone()).expect("context"),
            clock,
            outbox_wake: Arc::new(Notify::new()),
            owner: owner.into(),
        }
    }

    /// The (first) weekly digest in the outbox.
    async fn digest_row(&self) -> partnerdesk::store::OutboxMessage {
        self.store
            .outbox_messages(None, 10)
            .await
            .expect("list")
            .into_iter()
            .find(|m| m.dedupe_key.starts_with("digest:"))
            .expect("digest row")
    }

    async fn outbox_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .store
            .outbox_messages(None, 1_000_000)
            .await
            .expect("list")
            .into_iter()
            .map(|m| m.dedupe_key)
            .collect();
        keys.sort();
        keys
    }
}

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}", dir.path().join("pd.db").display());
    config.mail.dir = dir.path().join("mail").display().to_string();
    store::migrate(&config).await.expect("migrate");
    Fixture {
        store: store::open(&config).await.expect("open"),
        config,
        _dir: dir,
        postgres_url: None,
    }
}

async fn postgres() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let url = common::fresh_postgres_url("notify").await;
    let mut config = Config::default();
    config.database.url = url.clone();
    config.mail.dir = dir.path().join("mail").display().to_string();
    Fixture {
        store: store::open(&config).await.expect("open"),
        config,
        _dir: dir,
        postgres_url: Some(url),
    }
}

async fn reminders_land_on_business_days_at_nine_local(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    // Deadline Thu 2026-12-03 (a renewal after the transition: IBM's quote by the renewal
    // date). Offsets are business days: 30 of them before it, skipping 文化の日 (11-03) and
    // 勤労感謝の日 (11-23), is Tue 10-20; 14 is Thu 11-12; 3 is Mon 11-30.
    let c = contract("K-TOKYO", date(2026, 12, 3), "Asia/Tokyo", "ja");
    f.store
        .upsert_contracts(std::slice::from_ref(&c), instant(2026, 11, 1, 0, 0))
        .await
        .expect("upsert");
    let stored = f
        .store
        .contract("K-TOKYO")
        .await
        .expect("get")
        .expect("exists");
    let due = ctx
        .due_reminder(&stored, tokyo(2026, 10, 20, 9))
        .expect("30-business-day reminder due");
    assert_eq!((due.offset_days, due.send_at), (30, tokyo(2026, 10, 20, 9)));
    assert!(
        ctx.due_reminder(&stored, tokyo(2026, 10, 20, 8)).is_none(),
        "not before 9:00"
    );
    let due = ctx
        .due_reminder(&stored, tokyo(2026, 11, 12, 9))
        .expect("14-business-day reminder due");
    assert_eq!((due.offset_days, due.send_at), (14, tokyo(2026, 11, 12, 9)));
    // The 3-day reminder (Mon 11-30) and in a zone behind Tokyo: 9:00 in New York.
    let ny = contract("K-NY", date(2026, 12, 3), "America/New_York", "en");
    f.store
        .upsert_contracts(&[ny], instant(2026, 11, 1, 0, 0))
        .await
        .expect("upsert");
    let stored = f
        .store
        .contract("K-NY")
        .await
        .expect("get")
        .expect("exists");
    let nine_ny = chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .expect("ny")
        .with_timezone(&Utc);
    let due = ctx.due_reminder(&stored, nine_ny).expect("3-day reminder");
    assert_eq!((due.offset_days, due.send_at), (3, nine_ny));
    // After the deadline day, nothing more.
    assert!(ctx
        .due_reminder(&stored, nine_ny + Duration::days(5))
        .is_none());
}

async fn a_missed_week_catches_up_with_one_reminder(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let contracts: Vec<NewContract> = (0..20)
        .map(|i| {
            contract(
                &format!("K-{i:02}"),
                date(2026, 12, 10) + Duration::days(i),
                "Asia/Tokyo",
                "ja",
            )
        })
        .collect();
    f.store
        .upsert_contracts(&contracts, instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    // The first sweep in weeks: each contract gets only its most recent due reminder.
    let now = tokyo(2026, 11, 27, 10);
    let first = ctx.renewal_sweep(now).await.expect("sweep");
    assert_eq!(first.enqueued, 20, "{first:?}");
    let keys = f.outbox_keys().await;
    assert!(
        keys.contains(&"renewal:K-00:2026-12-10:14".to_string()),
        "{keys:?}"
    );
    assert!(
        !keys
            .iter()
            .any(|k| k.starts_with("renewal:K-00:2026-12-10:30")),
        "no stale burst"
    );
    // Re-running the sweep writes nothing new.
    assert_eq!(ctx.renewal_sweep(now).await.expect("again").enqueued, 0);
    // An acknowledged contract gets no further reminders.
    f.store
        .set_contract_status("K-01", ContractStatus::Quoted, now)
        .await
        .expect("ack")
        .expect("exists");
    let later = tokyo(2026, 12, 4, 10);
    ctx.renewal_sweep(later).await.expect("later sweep");
    let keys = f.outbox_keys().await;
    assert!(
        keys.contains(&"renewal:K-00:2026-12-10:7".to_string()),
        "{keys:?}"
    );
    assert!(
        !keys
            .iter()
            .any(|k| k.starts_with("renewal:K-01:") && k.ends_with(":7")),
        "{keys:?}"
    );
}

async fn misfire_policies_after_downtime(f: &Fixture) {
    let clock = Arc::new(ManualClock::new(tokyo(2026, 11, 24, 12)));
    let mut config = f.config.clone();
    for (policy, name) in [
        (MisfirePolicy::FireOnce, "retention"),
        (MisfirePolicy::Skip, "renewal-digest"),
        (MisfirePolicy::Grace, "approval-escalation"),
    ] {
        let job = config.jobs.get_mut(name).expect("job");
        job.misfire = policy;
        job.schedule = "0 9 * * *".into();
        job.business_days = false;
        job.grace_secs = 6 * 3600;
    }
    config.jobs.retain(|name, _| {
        ["retention", "renewal-digest", "approval-escalation"].contains(&name.as_str())
    });
    let scheduler = Scheduler {
        jobs: Scheduler::jobs_from_config(&config).expect("jobs"),
        context: JobContext::new(&config, f.store.clone()).expect("context"),
        clock: clock.clone(),
        outbox_wake: Arc::new(Notify::new()),
        owner: "test".into(),
    };
    // Down from Friday 20th 10:00 until Tuesday 24th 12:00: fires at 9:00 on 21st..24th missed.
    let down_since = tokyo(2026, 11, 20, 10);
    let mut cursors = vec![down_since; scheduler.jobs.len()];
    let ran = scheduler.tick(&mut cursors, clock.now()).await;
    let names: Vec<(&str, DateTime<Utc>)> =
        ran.iter().map(|(n, at, _)| (n.as_str(), *at)).collect();
    assert!(
        names.contains(&("retention", tokyo(2026, 11, 24, 9))),
        "fire-once runs the latest: {names:?}"
    );
    assert!(
        names.contains(&("approval-escalation", tokyo(2026, 11, 24, 9))),
        "3 h late is within grace: {names:?}"
    );
    assert!(
        !names.iter().any(|(n, _)| *n == "renewal-digest"),
        "skip drops missed fires: {names:?}"
    );
    assert_eq!(ran.len(), 2, "fire-once runs one fire, not four");
    // The next fire runs on time whatever the policy.
    clock.set(tokyo(2026, 11, 25, 9));
    let ran = scheduler.tick(&mut cursors, clock.now()).await;
    assert_eq!(ran.len(), 3, "{ran:?}");
}

/// Runs one SQL statement on the fixture's database, outside the store.
async fn raw_sql(f: &Fixture, statement: &str) {
    let url = &f.config.database.url;
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query(statement).execute(&pool).await.expect("sql");
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        sqlx::query(statement).execute(&pool).await.expect("sql");
        pool.close().await;
    }
}

async fn a_failed_fire_runs_again_on_the_next_tick(f: &Fixture) {
    f.store
        .upsert_contracts(
            &[contract("F-1", date(2026, 12, 10), "Asia/Tokyo", "ja")],
            instant(2026, 10, 1, 0, 0),
        )
        .await
        .expect("upsert");
    let clock = Arc::new(ManualClock::new(
        tokyo(2026, 11, 27, 9) + Duration::minutes(1),
    ));
    let mut config = f.config.clone();
    config.jobs.retain(|name, _| name == "renewal-sweep");
    let scheduler = f.scheduler(clock.clone(), "test");
    let scheduler = Scheduler {
        jobs: Scheduler::jobs_from_config(&config).expect("jobs"),
        ..scheduler
    };
    let mut cursors = vec![tokyo(2026, 11, 27, 8); scheduler.jobs.len()];
    // The sweep's table is away (a failed migration, a DBA at work): the fire fails.
    raw_sql(f, "ALTER TABLE contracts RENAME TO contracts_away").await;
    let ran = scheduler.tick(&mut cursors, clock.now()).await;
    assert!(
        matches!(ran.as_slice(), [(_, _, FireOutcome::Failed { .. })]),
        "{ran:?}"
    );
    raw_sql(f, "ALTER TABLE contracts_away RENAME TO contracts").await;
    // The next tick runs the same fire again, and it goes through.
    clock.advance(Duration::seconds(30));
    let ran = scheduler.tick(&mut cursors, clock.now()).await;
    let fire = tokyo(2026, 11, 27, 9);
    assert!(
        matches!(ran.as_slice(), [(name, at, FireOutcome::Ran { .. })] if name == "renewal-sweep" && *at == fire),
        "{ran:?}"
    );
    assert!(
        f.outbox_keys()
            .await
            .iter()
            .any(|k| k.starts_with("renewal:F-1:")),
        "the reminder went out after all"
    );
    // And once done, it stays done.
    clock.advance(Duration::seconds(30));
    assert!(scheduler.tick(&mut cursors, clock.now()).await.is_empty());
}

async fn two_schedulers_run_every_fire_once(f: &Fixture) {
    let contracts: Vec<NewContract> = (0..30)
        .map(|i| {
            contract(
                &format!("R-{i:02}"),
                date(2026, 12, 1) + Duration::days(i),
                "Asia/Tokyo",
                "ja",
            )
        })
        .collect();
    f.store
        .upsert_contracts(&contracts, instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    let start = tokyo(2026, 11, 1, 0);
    let clock_a = Arc::new(ManualClock::new(start));
    let clock_b = Arc::new(ManualClock::new(start));
    // Two daemons: each with its own connection pool, scheduler and outbox dispatcher, sending
    // through one mail server.
    let store_b = store::open(&f.config).await.expect("second pool");
    let a = Arc::new(f.scheduler(clock_a.clone(), "replica-a"));
    let b = Arc::new(Scheduler {
        context: JobContext::new(&f.config, store_b.clone()).expect("context"),
        ..f.scheduler(clock_b.clone(), "replica-b")
    });
    let mailer = RecordingMailer::new(0);
    let dispatcher_a = Dispatcher::new(
        f.store.clone(),
        mailer.clone(),
        None,
        clock_a.clone(),
        f.config.outbox.clone(),
    );
    let dispatcher_b = Dispatcher::new(
        store_b.clone(),
        mailer.clone(),
        None,
        clock_b.clone(),
        f.config.outbox.clone(),
    );
    let mut cursors_a = vec![start; a.jobs.len()];
    let mut cursors_b = vec![start; b.jobs.len()];
    let mut ran = 0;
    // Simulate 40 days of hourly fires (~960 renewal-sweep fires, plus the other jobs), each
    // hour's mail sent by whichever daemon claims it.
    let mut now = start;
    for _ in 0..(40 * 24) {
        now += Duration::hours(1);
        clock_a.set(now);
        clock_b.set(now);
        let (ra, rb) = tokio::join!(a.tick(&mut cursors_a, now), b.tick(&mut cursors_b, now));
        for (_, _, outcome) in ra.iter().chain(rb.iter()) {
            if matches!(outcome, FireOutcome::Ran { .. }) {
                ran += 1;
            }
        }
        let (sa, sb) = tokio::join!(dispatcher_a.drain(), dispatcher_b.drain());
        sa.expect("dispatch a");
        sb.expect("dispatch b");
    }
    store_b.close().await;
    let sweeps = 40 * 24;
    let digests = 6; // Mondays 11-02 … 12-07
    let retention = 40;
    // Business days 11-02 … 12-10, less 文化の日 (11-03) and 勤労感謝の日 (11-23).
    let escalations = 27;
    // `*/10 * * * *`, ticked hourly: the latest fire of each hour, once.
    let review_mail = 40 * 24;
    assert_eq!(
        ran,
        sweeps + digests + retention + escalations + review_mail,
        "every fire ran exactly once"
    );
    // Every contract's reminders were enqueued once each: dedupe keys are unique and the
    // number matches what a single sweep sequence produces.
    let keys = f.outbox_keys().await;
    let unique: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len());
    // The same hours walked by the pure reminder rule give exactly the reminders written.
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let mut expected = std::collections::BTreeSet::new();
    let mut now = start;
    for _ in 0..(40 * 24) {
        now += Duration::hours(1);
        for c in &contracts {
            let stored = f.store.contract(&c.id).await.expect("get").expect("exists");
            if let Some(due) = ctx.due_reminder(&stored, now) {
                expected.insert(format!(
                    "renewal:{}:{}:{}",
                    c.id, due.deadline, due.offset_days
                ));
            }
        }
    }
    // What went out: every reminder the rule asks for, each exactly once, by one daemon or the
    // other. (Sent rows older than the retention period are purged from the outbox on the
    // way, so the mail server's record is the full one.)
    let sent = mailer.keys();
    let unique_sent: std::collections::BTreeSet<&String> = sent.iter().collect();
    assert_eq!(unique_sent.len(), sent.len(), "nothing sent twice");
    let written: std::collections::BTreeSet<String> = sent
        .iter()
        .filter(|k| k.starts_with("renewal:"))
        .cloned()
        .collect();
    assert_eq!(written, expected);
    assert!(
        written.len() > 30,
        "every contract got at least one reminder"
    );
    // Nothing is left behind: every row still in the outbox went out.
    for key in &keys {
        assert!(unique_sent.contains(key), "{key} was never sent");
    }
}

async fn dispatcher_sends_each_message_once_and_marks_it(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let contracts: Vec<NewContract> = (0..50)
        .map(|i| {
            contract(
                &format!("D-{i:02}"),
                date(2026, 12, 10),
                "Asia/Tokyo",
                if i % 2 == 0 { "ja" } else { "en" },
            )
        })
        .collect();
    f.store
        .upsert_contracts(&contracts, instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    let now = tokyo(2026, 11, 27, 10);
    assert_eq!(ctx.renewal_sweep(now).await.expect("sweep").enqueued, 50);
    let mail_dir = std::path::PathBuf::from(&f.config.mail.dir);
    let from = "Desk <desk@example.com>".parse().expect("from");
    let mailer = Arc::new(FileMailer::new(&mail_dir, from).await.expect("mailer"));
    let clock = Arc::new(ManualClock::new(now));
    let dispatcher = Dispatcher::new(
        f.store.clone(),
        mailer,
        None,
        clock,
        f.config.outbox.clone(),
    );
    let report = dispatcher.drain().await.expect("drain");
    assert_eq!((report.claimed, report.sent, report.dead), (50, 50, 0));
    assert_eq!(dispatcher.drain().await.expect("again").claimed, 0);
    let files: Vec<_> = std::fs::read_dir(&mail_dir).expect("mail dir").collect();
    assert_eq!(files.len(), 50, "one .eml per message");
    let sent = f
        .store
        .outbox_messages(Some(OutboxStatus::Sent), 1_000)
        .await
        .expect("sent");
    assert_eq!(sent.len(), 50);
    let one = files
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).expect("read"))
        .find(|text| text.contains("d-00@example.com"))
        .expect("the first rep's mail");
    assert!(
        one.contains("Subject: =?utf-8?"),
        "Japanese subject is RFC 2047 encoded:\n{one}"
    );
}

/// Sends every due message to .eml files in a fresh folder; returns the files' texts.
async fn dispatch_to_files(f: &Fixture, now: DateTime<Utc>, folder: &str) -> Vec<String> {
    let mail_dir = std::path::PathBuf::from(&f.config.mail.dir).join(folder);
    let from = "Desk <desk@example.com>".parse().expect("from");
    let mailer = Arc::new(FileMailer::new(&mail_dir, from).await.expect("mailer"));
    let dispatcher = Dispatcher::new(
        f.store.clone(),
        mailer,
        None,
        Arc::new(ManualClock::new(now)),
        f.config.outbox.clone(),
    );
    let report = dispatcher.drain().await.expect("drain");
    assert_eq!(report.dead, 0, "{report:?}");
    std::fs::read_dir(&mail_dir)
        .expect("mail dir")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).expect("read"))
        .collect()
}

fn eml_for<'a>(files: &'a [String], address: &str) -> &'a str {
    files
        .iter()
        .find(|text| text.contains(address))
        .unwrap_or_else(|| panic!("no mail to {address}"))
}

/// The raw (still encoded) value of a header, for checking what is on the wire.
fn raw_header<'a>(eml: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}: ");
    eml.split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .split("\r\n")
        .filter(|line| line.starts_with(&prefix))
        .collect()
}

async fn a_reminder_mail_is_multipart_escaped_and_addressed_by_name(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let mut named = contract("H-1", date(2026, 12, 10), "Asia/Tokyo", "ja");
    named.company = "A&B <script>alert(1)</script> \"株式会社\"".into();
    named.sales_rep_name = "佐藤 花子".into();
    let mut evil = contract("H-2", date(2026, 12, 10), "Asia/Tokyo", "en");
    evil.sales_rep_name = "Evil\r\nBcc: victim@example.com".into();
    f.store
        .upsert_contracts(&[named, evil], instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    let now = tokyo(2026, 11, 27, 10);
    assert_eq!(ctx.renewal_sweep(now).await.expect("sweep").enqueued, 2);
    let files = dispatch_to_files(f, now, "reminders").await;
    assert_eq!(files.len(), 2);

    let eml = eml_for(&files, "h-1@example.com");
    let to = raw_header(eml, "To");
    assert_eq!(to.len(), 1, "{eml}");
    assert!(
        to[0].starts_with("To: =?utf-8?") && to[0].ends_with(" <h-1@example.com>"),
        "the Japanese name is RFC 2047 encoded: {}",
        to[0]
    );
    let parsed = mailparse::parse_mail(eml.as_bytes()).expect("parse");
    let to = parsed.headers.iter().find(|h| h.get_key() == "To");
    assert_eq!(
        to.map(|h| h.get_value()).as_deref(),
        Some("佐藤 花子 <h-1@example.com>")
    );
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative", "{eml}");
    let kinds: Vec<&str> = parsed
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.as_str())
        .collect();
    assert_eq!(kinds, ["text/plain", "text/html"]);
    let text = parsed.subparts[0].get_body().expect("text");
    assert!(text.contains("佐藤 花子 様"), "{text}");
    assert!(text.contains("A&B <script>alert(1)</script>"), "{text}");
    let html = parsed.subparts[1].get_body().expect("html");
    assert!(
        html.contains("A&amp;B &lt;script&gt;alert(1)&lt;/script&gt; &quot;株式会社&quot;"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("佐藤 花子 様"), "{html}");

    // A name holding CR/LF is folded onto one line: no header of its own.
    let eml = eml_for(&files, "h-2@example.com");
    let header = eml.split("\r\n\r\n").next().unwrap_or_default();
    assert!(
        !header.to_ascii_lowercase().contains("\r\nbcc:"),
        "{header}"
    );
    let parsed = mailparse::parse_mail(eml.as_bytes()).expect("parse");
    let to = parsed
        .headers
        .iter()
        .find(|h| h.get_key() == "To")
        .expect("To");
    let to = mailparse::addrparse_header(to).expect("one mailbox");
    let Some(mailparse::MailAddr::Single(to)) = to.first() else {
        panic!("one mailbox: {to:?}");
    };
    assert_eq!(to.addr, "h-2@example.com");
    assert_eq!(
        to.display_name.as_deref(),
        Some("Evil Bcc: victim@example.com")
    );
}

async fn the_digest_and_escalations_are_multipart_too(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let mut c = contract("G-1", date(2026, 12, 10), "Asia/Tokyo", "en");
    c.company = "Smith & <Sons>".into();
    c.sales_rep_name = "Pat O'Brien".into();
    f.store
        .upsert_contracts(&[c], instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    // Monday 2026-11-23 is 勤労感謝の日: the digest waits for Tuesday 09:00.
    let now = tokyo(2026, 11, 23, 9);
    assert_eq!(ctx.renewal_digest(now).await.expect("digest").enqueued, 1);
    let digest = f.digest_row().await;
    assert_eq!(digest.next_attempt_at, tokyo(2026, 11, 24, 9));
    let html = digest.body_html.as_deref().expect("an HTML part");
    assert!(html.contains("Smith &amp; &lt;Sons&gt;"), "{html}");
    assert!(html.contains("Pat O&#39;Brien"), "{html}");
    assert_eq!(
        partnerdesk::notify::to_name_from_payload(digest.payload.as_deref()).as_deref(),
        Some("Pat O'Brien")
    );
}

async fn the_digest_lists_deadlines_from_today_through_thirty_days(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let contracts: Vec<NewContract> = [
        ("W-YESTERDAY", date(2026, 11, 29)),
        ("W-TODAY", date(2026, 11, 30)),
        ("W-DAY30", date(2026, 12, 30)),
        ("W-DAY31", date(2026, 12, 31)),
        ("W-LATER", date(2027, 1, 1)),
    ]
    .into_iter()
    .map(|(id, renewal)| {
        let mut c = contract(id, renewal, "Asia/Tokyo", "en");
        c.sales_rep_email = "week@example.com".into();
        c
    })
    .collect();
    f.store
        .upsert_contracts(&contracts, instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    // Monday 09:00 in Tokyo is still Sunday in UTC: the rep's date counts.
    let now = tokyo(2026, 11, 30, 9);
    assert_eq!(ctx.renewal_digest(now).await.expect("digest").enqueued, 1);
    let digest = f.digest_row().await;
    let listed: Vec<&str> = ["W-YESTERDAY", "W-TODAY", "W-DAY30", "W-DAY31", "W-LATER"]
        .into_iter()
        .filter(|id| digest.body_text.contains(&format!("(contract {id},")))
        .collect();
    assert_eq!(listed, ["W-TODAY", "W-DAY30"], "{}", digest.body_text);
}

fn reviewer() -> Actor {
    Actor::new("operator:test", "cli")
}

/// A company under registration and its applicant's submitted registration; returns its id.
async fn submitted_registration(f: &Fixture, n: u32, at: DateTime<Utc>) -> i64 {
    let company = f
        .store
        .add_company(
            &NewCompany {
                name: format!("株式会社レビュー{n}"),
                icn: None,
                site_number: None,
                status: "registering".into(),
                locale: "ja".into(),
            },
            &reviewer(),
            at,
        )
        .await
        .expect("company");
    let applicant = f
        .store
        .add_person(
            &NewPerson {
                ibm_id: format!("applicant{n}@example.com"),
                name: format!("申請 {n}郎"),
                locale: "ja".into(),
                time_zone: "Asia/Tokyo".into(),
            },
            &reviewer(),
            at,
        )
        .await
        .expect("person");
    f.store
        .submit_registration(company.id, applicant.id, &reviewer(), at)
        .await
        .expect("submit")
        .registration
        .id
}

/// Moves a registration, writing the transition's notices or, with `notices = false`, none
/// (as a change made directly in the database, or before the notice existed, would).
async fn move_to(
    f: &Fixture,
    id: i64,
    to: RegistrationStatus,
    with_notices: bool,
    at: DateTime<Utc>,
) {
    let render = move |r: &store::Registration| {
        if with_notices {
            notices::review_notices(r, at)
        } else {
            Vec::new()
        }
    };
    let step = RegistrationStep {
        id,
        to,
        note: (to == RegistrationStatus::DocumentsRequested).then(|| "登記事項証明書".into()),
        reason: None,
    };
    let outcome = f
        .store
        .move_registration(&step, &reviewer(), at, &render)
        .await
        .expect("move");
    assert!(
        matches!(outcome, TransitionOutcome::Moved(_)),
        "{outcome:?}"
    );
}

async fn review_mail_sends_missing_review_notices_once(f: &Fixture) {
    let now = tokyo(2026, 11, 24, 10);
    let earlier = now - Duration::hours(3);
    // Completed without its notice ever being written.
    let silent = submitted_registration(f, 1, earlier).await;
    move_to(f, silent, RegistrationStatus::Completed, false, earlier).await;
    // Completed through the workflow: the notice is already in the outbox.
    let notified = submitted_registration(f, 2, earlier).await;
    move_to(f, notified, RegistrationStatus::Completed, true, earlier).await;
    // Documents requested without the notice.
    let documents = submitted_registration(f, 3, earlier).await;
    move_to(
        f,
        documents,
        RegistrationStatus::DocumentsRequested,
        false,
        earlier,
    )
    .await;
    // Still under review, and rejected: no review notice is due.
    let open = submitted_registration(f, 4, earlier).await;
    move_to(f, open, RegistrationStatus::UnderReview, false, earlier).await;
    let rejected = submitted_registration(f, 5, earlier).await;
    move_to(f, rejected, RegistrationStatus::Rejected, false, earlier).await;
    // Completed long before the outbox retention period: its notice may have been purged
    // already, so it is not sent again.
    let long_ago = now - Duration::days(i64::from(f.config.outbox.retention_days) + 5);
    let old = submitted_registration(f, 6, long_ago).await;
    move_to(f, old, RegistrationStatus::Completed, false, long_ago).await;
    assert_eq!(
        f.outbox_keys().await,
        [format!("registration-completed:{notified}")]
    );

    let scheduler = f.scheduler(Arc::new(ManualClock::new(now)), "review");
    assert!(
        scheduler.job("review-mail").is_some(),
        "review-mail is a built-in job"
    );
    let first = scheduler.execute("review-mail", now).await.expect("run");
    assert_eq!((first.considered, first.enqueued), (3, 2), "{first:?}");
    let again = scheduler
        .execute("review-mail", now + Duration::minutes(10))
        .await
        .expect("run again");
    assert_eq!(again.enqueued, 0, "{again:?}");

    let mut expected = vec![
        format!("registration-completed:{silent}"),
        format!("registration-completed:{notified}"),
        format!("registration-documents:{documents}:1"),
    ];
    expected.sort();
    assert_eq!(f.outbox_keys().await, expected, "one notice each");
    // The notice is the workflow's own, addressed to the applicant by name.
    let files = dispatch_to_files(f, now, "review").await;
    assert_eq!(files.len(), 3);
    let eml = eml_for(&files, "applicant1@example.com");
    let parsed = mailparse::parse_mail(eml.as_bytes()).expect("parse");
    let header = |key: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.get_key() == key)
            .map(|h| h.get_value())
    };
    assert_eq!(header("Subject").as_deref(), Some("株式会社レビュー1"));
    assert_eq!(
        header("To").as_deref(),
        Some("申請 1郎 <applicant1@example.com>")
    );
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
}

/// A Discord sink that is always rate limited for ten minutes.
struct RateLimitedSink;

#[async_trait::async_trait]
impl partnerdesk::notify::outbox::ChatSink for RateLimitedSink {
    async fn deliver(
        &self,
        _message: &partnerdesk::store::OutboxMessage,
    ) -> Result<(), partnerdesk::notify::SendError> {
        Err(partnerdesk::notify::SendError::temporary_after(
            "Discord 429: You are being rate limited.",
            std::time::Duration::from_secs(600),
        ))
    }
}

async fn a_rate_limited_message_waits_retry_after_not_just_backoff(f: &Fixture) {
    let now = tokyo(2026, 11, 27, 10);
    let message = store::NewOutboxMessage {
        channel: store::Channel::Discord,
        recipient: "user:777".into(),
        subject: "s".into(),
        body_text: "b".into(),
        body_html: None,
        payload: None,
        locale: "ja".into(),
        dedupe_key: "rate-limited:1".into(),
        not_before: now,
    };
    f.store.enqueue(&message, now).await.expect("enqueue");
    let mail_dir = std::path::PathBuf::from(&f.config.mail.dir);
    let from = "Desk <desk@example.com>".parse().expect("from");
    let mailer = Arc::new(FileMailer::new(&mail_dir, from).await.expect("mailer"));
    let dispatcher = Dispatcher::new(
        f.store.clone(),
        mailer,
        Some(Arc::new(RateLimitedSink)),
        Arc::new(ManualClock::new(now)),
        f.config.outbox.clone(),
    );
    let report = dispatcher.dispatch_batch().await.expect("dispatch");
    assert_eq!((report.claimed, report.retried), (1, 1));
    let pending = f
        .store
        .outbox_messages(Some(OutboxStatus::Pending), 10)
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1);
    // The first backoff is 30 s ± 20%; Discord asked for 600 s, and that wins.
    assert!(
        pending[0].next_attempt_at >= now + Duration::seconds(600),
        "next attempt {} is before retry_after",
        pending[0].next_attempt_at
    );
    assert!(pending[0]
        .last_error
        .as_deref()
        .unwrap_or_default()
        .contains("429"));
}

/// Links `discord_id` to the person with `ibm_id` the way `/link` + `/verify` do.
async fn link_discord(store: &Arc<dyn Store>, ibm_id: &str, discord_id: &str, at: DateTime<Utc>) {
    use partnerdesk::store::secret;
    use partnerdesk::store::{
        Actor, LinkAttempt, LinkCodeOutcome, NewLinkCode, NewPerson, VerifyOutcome,
    };
    let platform = format!("discord:{discord_id}");
    let actor = Actor::new(platform.clone(), "discord");
    let code = NewLinkCode {
        platform_id: platform.clone(),
        ibm_id: ibm_id.into(),
        code_hash: secret::link_code_hash(&platform, "123456"),
        expires_at: at + Duration::minutes(10),
        max_per_hour: 5,
        max_per_target_per_hour: 5,
    };
    let sent = store
        .create_link_code(&code, &actor, at, &|_| Vec::new())
        .await
        .expect("code");
    assert!(matches!(sent, LinkCodeOutcome::Sent(_)), "{sent:?}");
    let attempt = LinkAttempt {
        platform_id: platform,
        code_hash: secret::link_code_hash(&format!("discord:{discord_id}"), "123456"),
        max_tries: 5,
        new_person: NewPerson {
            ibm_id: String::new(),
            name: "Rep".into(),
            locale: "en".into(),
            time_zone: "Asia/Tokyo".into(),
        },
    };
    let verified = store
        .verify_link_code(&attempt, &actor, at)
        .await
        .expect("verify");
    assert!(matches!(verified, VerifyOutcome::Linked(_)), "{verified:?}");
}

async fn a_rep_on_discord_also_gets_the_reminder_there_with_ack_buttons(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let setup_at = instant(2026, 11, 1, 0, 0);
    f.store
        .upsert_contracts(
            &[
                contract("K-DM", date(2026, 12, 10), "Asia/Tokyo", "en"),
                contract("K-MAIL", date(2026, 12, 10), "Asia/Tokyo", "ja"),
            ]
            .map(|mut c| {
                if c.id == "K-DM" {
                    c.sales_rep_email = "On.Discord@example.com".into();
                }
                c
            }),
            setup_at,
        )
        .await
        .expect("upsert");
    link_discord(&f.store, "on.discord@example.com", "555000111", setup_at).await;

    let now = tokyo(2026, 11, 27, 10);
    let first = ctx.renewal_sweep(now).await.expect("sweep");
    assert_eq!(first.enqueued, 3, "two mails and one Discord DM");
    assert_eq!(ctx.renewal_sweep(now).await.expect("again").enqueued, 0);

    let rows = f.store.outbox_messages(None, 100).await.expect("outbox");
    let dms: Vec<_> = rows.iter().filter(|m| m.channel == "discord").collect();
    assert_eq!(dms.len(), 1, "{rows:?}");
    let dm = dms[0];
    assert_eq!(dm.recipient, "user:555000111");
    assert_eq!(dm.locale, "en");
    assert!(dm.body_text.contains("K-DM"), "{}", dm.body_text);
    let payload: serde_json::Value =
        serde_json::from_str(dm.payload.as_deref().expect("payload")).expect("json");
    let ids: Vec<&str> = payload["buttons"]
        .as_array()
        .expect("buttons")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["ack:K-DM:quoted", "ack:K-DM:renewed", "ack:K-DM:lost"]
    );
    let mail = rows
        .iter()
        .find(|m| {
            m.channel == "email" && m.dedupe_key == dm.dedupe_key.trim_start_matches("discord:")
        })
        .expect("the same reminder by email");
    assert_eq!(mail.subject, dm.subject);

    // The weekly digest reaches the linked rep by DM too; the other rep by email only.
    let monday = tokyo(2026, 11, 30, 9);
    assert_eq!(
        ctx.renewal_digest(monday).await.expect("digest").enqueued,
        3
    );
    let rows = f.store.outbox_messages(None, 100).await.expect("outbox");
    let digests: Vec<_> = rows
        .iter()
        .filter(|m| m.dedupe_key.contains("digest:"))
        .collect();
    let dm = digests
        .iter()
        .find(|m| m.channel == "discord")
        .expect("a digest DM");
    assert_eq!(dm.recipient, "user:555000111");
    assert!(dm.body_text.contains("K-DM"), "{}", dm.body_text);
    assert!(!dm.body_text.contains("K-MAIL"), "only the rep's own deals");
    assert_eq!(digests.iter().filter(|m| m.channel == "email").count(), 2);
}

/// A mailer that takes its time (`delay`) and remembers every recipient and Message-ID hint
/// (the outbox dedupe key) it sent.
struct RecordingMailer {
    delay: std::time::Duration,
    sent: std::sync::Mutex<Vec<(String, String)>>,
}

impl RecordingMailer {
    fn new(delay_ms: u64) -> Arc<Self> {
        Arc::new(Self {
            delay: std::time::Duration::from_millis(delay_ms),
            sent: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn recipients(&self) -> Vec<String> {
        self.sent
            .lock()
            .expect("sent")
            .iter()
            .map(|(to, _)| to.clone())
            .collect()
    }

    fn keys(&self) -> Vec<String> {
        self.sent
            .lock()
            .expect("sent")
            .iter()
            .map(|(_, key)| key.clone())
            .collect()
    }
}

#[async_trait::async_trait]
impl partnerdesk::notify::Mailer for RecordingMailer {
    async fn send(
        &self,
        mail: &partnerdesk::notify::OutgoingMail,
    ) -> Result<(), partnerdesk::notify::SendError> {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        self.sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((
                mail.to.clone(),
                mail.message_id_hint.clone().unwrap_or_default(),
            ));
        Ok(())
    }
}

async fn a_stop_mid_backlog_sends_nothing_twice(f: &Fixture) {
    let ctx = JobContext::new(&f.config, f.store.clone()).expect("context");
    let contracts: Vec<NewContract> = (0..60)
        .map(|i| contract(&format!("S-{i:02}"), date(2026, 12, 10), "Asia/Tokyo", "ja"))
        .collect();
    f.store
        .upsert_contracts(&contracts, instant(2026, 10, 1, 0, 0))
        .await
        .expect("upsert");
    let now = tokyo(2026, 11, 27, 10);
    assert_eq!(ctx.renewal_sweep(now).await.expect("sweep").enqueued, 60);
    let mailer = RecordingMailer::new(20);
    let clock = Arc::new(ManualClock::new(now));
    let mut settings = f.config.outbox.clone();
    settings.concurrency = 2;
    let dispatcher = Dispatcher::new(
        f.store.clone(),
        mailer.clone(),
        None,
        clock.clone(),
        settings.clone(),
    );
    // SIGTERM while the one big batch is being sent: once a few have gone (not after a fixed
    // time, which a loaded machine could spend before the first send).
    let stop = tokio_util::sync::CancellationToken::new();
    let stopper = {
        let stop = stop.clone();
        let mailer = mailer.clone();
        tokio::spawn(async move {
            while mailer.recipients().len() < 5 {
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            stop.cancel();
        })
    };
    let first = dispatcher.drain_until(&stop).await.expect("drain");
    stopper.await.expect("stopper");
    let delivered = mailer.recipients().len() as u64;
    assert!(
        first.sent > 0 && first.sent < 60,
        "stopped part-way: {first:?}"
    );
    assert_eq!(
        first.sent, delivered,
        "every delivered message is marked sent"
    );
    let sent_rows = f
        .store
        .outbox_messages(Some(OutboxStatus::Sent), 1_000)
        .await
        .expect("sent rows");
    assert_eq!(sent_rows.len() as u64, delivered);

    // What never started was handed back at once: due now, its attempt not counted.
    let pending = f
        .store
        .outbox_messages(Some(OutboxStatus::Pending), 1_000)
        .await
        .expect("pending rows");
    assert_eq!(pending.len() as u64, 60 - delivered);
    assert!(pending.iter().all(|m| m.attempts == 0), "{pending:?}");
    // After a restart the rest go at once, without waiting out a lease; nothing goes twice.
    let restarted = Dispatcher::new(f.store.clone(), mailer.clone(), None, clock, settings);
    let second = restarted.drain().await.expect("drain again");
    assert_eq!(first.sent + second.sent, 60, "{first:?} then {second:?}");
    let mut recipients = mailer.recipients();
    recipients.sort();
    let before = recipients.len();
    recipients.dedup();
    assert_eq!(
        (before, recipients.len()),
        (60, 60),
        "each reminder sent once"
    );
}

async fn a_team_channel_gets_the_reminder_with_the_rep_mentioned(f: &Fixture) {
    let mut config = f.config.clone();
    config.reminders.discord_channel_id = Some(777000222);
    let ctx = JobContext::new(&config, f.store.clone()).expect("context");
    let setup_at = instant(2026, 11, 1, 0, 0);
    let mut c = contract("K-TEAM", date(2026, 12, 10), "Asia/Tokyo", "en");
    c.sales_rep_email = "team.rep@example.com".into();
    f.store
        .upsert_contracts(&[c], setup_at)
        .await
        .expect("upsert");
    link_discord(&f.store, "team.rep@example.com", "555000333", setup_at).await;
    let now = tokyo(2026, 11, 27, 10);
    assert_eq!(ctx.renewal_sweep(now).await.expect("sweep").enqueued, 2);
    let rows = f.store.outbox_messages(None, 100).await.expect("outbox");
    let post = rows
        .iter()
        .find(|m| m.channel == "discord")
        .expect("a Discord copy");
    assert_eq!(post.recipient, "channel:777000222");
    let payload: serde_json::Value =
        serde_json::from_str(post.payload.as_deref().expect("payload")).expect("json");
    assert_eq!(payload["mentions"], serde_json::json!(["555000333"]));
    assert_eq!(payload["buttons"][0]["id"], "ack:K-TEAM:quoted");
}

macro_rules! suite {
    ($backend:ident) => {
        mod $backend {
            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test]
                    async fn $name() {
                        let fixture = super::$backend().await;
                        super::$name(&fixture).await;
                        fixture.finish().await;
                    }
                };
            }

            case!(reminders_land_on_business_days_at_nine_local);
            case!(a_missed_week_catches_up_with_one_reminder);
            case!(misfire_policies_after_downtime);
            case!(two_schedulers_run_every_fire_once);
            case!(a_failed_fire_runs_again_on_the_next_tick);
            case!(dispatcher_sends_each_message_once_and_marks_it);
            case!(a_rate_limited_message_waits_retry_after_not_just_backoff);
            case!(a_rep_on_discord_also_gets_the_reminder_there_with_ack_buttons);
            case!(a_reminder_mail_is_multipart_escaped_and_addressed_by_name);
            case!(the_digest_and_escalations_are_multipart_too);
            case!(review_mail_sends_missing_review_notices_once);
            case!(a_stop_mid_backlog_sends_nothing_twice);
            case!(the_digest_lists_deadlines_from_today_through_thirty_days);
            case!(a_team_channel_gets_the_reminder_with_the_rep_mentioned);
        }
    };
}

suite!(sqlite);
suite!(postgres);
