//! The store contract: one suite, run unchanged against SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use common::instant;
use partnerdesk::store::{
    Channel, ContractStatus, Enqueued, NewAuditEntry, NewCompany, NewContract, NewOutboxMessage,
    NewPerson, OutboxStatus, Role, RoleGrant, Store, UpsertOutcome,
};

/// A tag that keeps rows of concurrently running tests on the shared PostgreSQL database apart.
fn tag(name: &str) -> String {
    common::unique_db_name(name)
}

fn company(name: &str) -> NewCompany {
    NewCompany {
        name: name.to_string(),
        icn: Some("1234567".into()),
        site_number: None,
        status: "active".into(),
        locale: "ja".into(),
    }
}

fn person(ibm_id: &str) -> NewPerson {
    NewPerson {
        ibm_id: ibm_id.to_string(),
        name: "山田 花子".into(),
        locale: "ja".into(),
        time_zone: "Asia/Tokyo".into(),
    }
}

async fn migrations_are_idempotent(store: Arc<dyn Store>) {
    assert!(store.is_migrated().await.expect("is_migrated"));
    let again = store.migrate().await.expect("second migrate");
    assert!(again.is_empty(), "second migrate applied {again:?}");
    store.ping().await.expect("ping");
}

async fn companies_and_locations(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let name = format!("株式会社テスト {}", tag("c"));
    let created = store
        .create_company(&company(&name), at)
        .await
        .expect("create");
    assert_eq!(created.name, name);
    assert_eq!(created.created_at, at);
    let fetched = store
        .company(created.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(fetched, created);
    assert!(store
        .list_companies()
        .await
        .expect("list")
        .contains(&created));
    assert!(store
        .company(i64::MAX)
        .await
        .expect("get missing")
        .is_none());

    let tokyo = store
        .create_location(created.id, "東京本社", at)
        .await
        .expect("loc");
    let osaka = store
        .create_location(created.id, "大阪支店", at)
        .await
        .expect("loc");
    let locations = store.locations(created.id).await.expect("locations");
    assert_eq!(locations, vec![tokyo, osaka]);
    assert!(
        store
            .create_location(created.id, "東京本社", at)
            .await
            .is_err(),
        "a company cannot have two locations of one name"
    );
}

async fn people_are_found_by_ibm_id_in_any_case(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let email = format!("{}@Example.COM", tag("p"));
    let first = store
        .upsert_person(&person(&email), at)
        .await
        .expect("insert");
    assert_eq!(first.ibm_id, email.to_lowercase());
    let mut renamed = person(&email.to_uppercase());
    renamed.name = "Hanako Yamada".into();
    renamed.locale = "en".into();
    let second = store.upsert_person(&renamed, at).await.expect("update");
    assert_eq!(second.id, first.id);
    assert_eq!(second.name, "Hanako Yamada");
    let found = store
        .person_by_ibm_id(&email)
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(found.locale, "en");
    assert!(store
        .person_by_ibm_id("nobody@example.com")
        .await
        .expect("lookup")
        .is_none());
}

async fn roles_are_granted_once_and_revoked(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let c = store
        .create_company(&company(&tag("r")), at)
        .await
        .expect("company");
    let p = store
        .upsert_person(&person(&format!("{}@example.com", tag("r"))), at)
        .await
        .expect("person");
    let grant = RoleGrant {
        person_id: p.id,
        role: Role::Apa,
        company_id: Some(c.id),
        location_id: None,
        permission_level: None,
    };
    let first = store.grant_role(&grant, at).await.expect("grant");
    let again = store.grant_role(&grant, at).await.expect("grant again");
    assert_eq!(first.id, again.id, "granting a held role is a no-op");
    let admin = RoleGrant {
        role: Role::Admin,
        company_id: None,
        ..grant.clone()
    };
    store.grant_role(&admin, at).await.expect("admin");
    store.grant_role(&admin, at).await.expect("admin again");
    let roles: Vec<Role> = store
        .memberships_of(p.id)
        .await
        .expect("memberships")
        .iter()
        .filter_map(|m| m.role())
        .collect();
    assert_eq!(roles, vec![Role::Apa, Role::Admin]);
    assert!(store
        .revoke_role(p.id, Role::Apa, Some(c.id))
        .await
        .expect("revoke"));
    assert!(!store
        .revoke_role(p.id, Role::Apa, Some(c.id))
        .await
        .expect("revoke again"));

    // Exactly one primary contact per company.
    let other = store
        .upsert_person(&person(&format!("{}@example.com", tag("o"))), at)
        .await
        .expect("person");
    let primary = |person_id| RoleGrant {
        person_id,
        role: Role::PrimaryContact,
        company_id: Some(c.id),
        location_id: None,
        permission_level: None,
    };
    store
        .grant_role(&primary(p.id), at)
        .await
        .expect("first primary contact");
    assert!(store.grant_role(&primary(other.id), at).await.is_err());
}

async fn contracts_upsert_in_place(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let mut c = NewContract {
        id: tag("k"),
        company: "株式会社サンプル".into(),
        product: "Aspera Faspex".into(),
        renewal_date: NaiveDate::from_ymd_opt(2015, 8, 15).expect("date"),
        sales_rep_email: "rep@example.com".into(),
        sales_rep_name: "佐藤".into(),
        sales_rep_lang: "ja".into(),
        sales_rep_tz: "Asia/Tokyo".into(),
    };
    assert_eq!(
        store.upsert_contract(&c, at).await.expect("insert"),
        UpsertOutcome::Inserted
    );
    assert_eq!(
        store.upsert_contract(&c, at).await.expect("same"),
        UpsertOutcome::Unchanged
    );
    c.renewal_date = NaiveDate::from_ymd_opt(2015, 10, 1).expect("date");
    assert_eq!(
        store.upsert_contract(&c, at).await.expect("update"),
        UpsertOutcome::Updated
    );
    let stored = store.contract(&c.id).await.expect("get").expect("exists");
    assert_eq!(stored.renewal_date, c.renewal_date);
    assert_eq!(stored.status, "open");
    // An acknowledgement holds while the renewal date stays; a new renewal date is a new cycle.
    store
        .set_contract_status(&c.id, ContractStatus::Renewed, at)
        .await
        .expect("ack")
        .expect("exists");
    c.sales_rep_name = "佐藤 一郎".into();
    store.upsert_contract(&c, at).await.expect("rename");
    let stored = store.contract(&c.id).await.expect("get").expect("exists");
    assert_eq!(stored.status, "renewed", "same date: still acknowledged");
    c.renewal_date = NaiveDate::from_ymd_opt(2016, 10, 31).expect("date");
    store.upsert_contract(&c, at).await.expect("next year");
    let stored = store.contract(&c.id).await.expect("get").expect("exists");
    assert_eq!(
        stored.status, "open",
        "a new renewal date reopens the contract"
    );
}

async fn outbox_deduplicates(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let key = format!("renewal:{}:2015-08-15:7", tag("d"));
    let msg = NewOutboxMessage {
        channel: Channel::Email,
        recipient: "rep@example.com".into(),
        subject: "更新期限のお知らせ".into(),
        body_text: "本文".into(),
        body_html: None,
        payload: None,
        locale: "ja".into(),
        dedupe_key: key.clone(),
        not_before: at,
    };
    let Enqueued::New(id) = store.enqueue(&msg, at).await.expect("enqueue") else {
        panic!("first enqueue must write a row");
    };
    assert_eq!(
        store.enqueue(&msg, at).await.expect("again"),
        Enqueued::Duplicate
    );
    let pending = store
        .outbox_messages(Some(OutboxStatus::Pending), 100_000)
        .await
        .expect("list");
    let row = pending
        .iter()
        .find(|m| m.id == id)
        .expect("listed as pending");
    assert_eq!(row.dedupe_key, key);
    assert_eq!(row.attempts, 0);
    assert_eq!(row.next_attempt_at, at);
    let sent = store
        .outbox_messages(Some(OutboxStatus::Sent), 100_000)
        .await
        .expect("list");
    assert!(sent.iter().all(|m| m.id != id));
}

async fn job_fires_are_claimed_once(store: Arc<dyn Store>) {
    let job = tag("job");
    let fire = instant(2026, 11, 24, 0, 0);
    let mut claims = Vec::new();
    for replica in 0..8 {
        let store = store.clone();
        let job = job.clone();
        claims.push(tokio::spawn(async move {
            store
                .claim_job_fire(&job, fire, &format!("replica-{replica}"), fire)
                .await
                .expect("claim")
        }));
    }
    let mut won = 0;
    for claim in claims {
        if claim.await.expect("join") {
            won += 1;
        }
    }
    assert_eq!(won, 1, "exactly one replica claims a fire");
    store
        .finish_job_fire(&job, fire, "ok", "3 reminders", fire)
        .await
        .expect("finish");
    let last = store
        .last_job_run(&job)
        .await
        .expect("last")
        .expect("exists");
    assert_eq!(last.outcome.as_deref(), Some("ok"));
    assert_eq!(last.scheduled_for, fire);
    let late = store
        .claim_job_fire(&job, fire, "late", fire)
        .await
        .expect("claim");
    assert!(!late, "a claimed fire stays claimed");
}

async fn a_failed_or_abandoned_fire_can_be_claimed_once_more(store: Arc<dyn Store>) {
    let job = tag("retry");
    let fire = instant(2026, 11, 23, 0, 0);
    assert!(store
        .claim_job_fire(&job, fire, "a", fire)
        .await
        .expect("claim"));
    store
        .finish_job_fire(&job, fire, "error", "database went away", fire)
        .await
        .expect("finish");
    // After a failure one claimant (and only one) gets it again.
    assert!(store
        .claim_job_fire(&job, fire, "b", fire)
        .await
        .expect("retry"));
    assert!(!store
        .claim_job_fire(&job, fire, "c", fire)
        .await
        .expect("second retry"));
    let run = store.last_job_run(&job).await.expect("last").expect("run");
    assert_eq!(run.outcome, None, "the rerun is in progress");
    store
        .finish_job_fire(&job, fire, "ok", "", fire)
        .await
        .expect("finish");
    assert!(!store
        .claim_job_fire(&job, fire, "d", fire)
        .await
        .expect("after ok"));

    // A claim that never finished is left alone for an hour, then taken over.
    let other = instant(2026, 11, 24, 0, 0);
    assert!(store
        .claim_job_fire(&job, other, "e", other)
        .await
        .expect("claim"));
    let soon = other + chrono::Duration::minutes(59);
    assert!(!store
        .claim_job_fire(&job, other, "f", soon)
        .await
        .expect("running"));
    let later = other + chrono::Duration::minutes(61);
    assert!(store
        .claim_job_fire(&job, other, "g", later)
        .await
        .expect("abandoned"));
}

async fn audit_log_keeps_order(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 22, 3, 0);
    let subject = tag("a");
    let mut ids = Vec::new();
    for action in ["token.rotate", "join.approve"] {
        ids.push(
            store
                .append_audit(
                    &NewAuditEntry {
                        actor: "apa@example.com".into(),
                        channel: "cli".into(),
                        action: action.into(),
                        subject: subject.clone(),
                        detail: String::new(),
                    },
                    at,
                )
                .await
                .expect("append"),
        );
    }
    assert!(ids[0] < ids[1]);
    let entries = store.audit_entries(100_000).await.expect("list");
    let ours: Vec<_> = entries.iter().filter(|e| e.subject == subject).collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(ours[0].action, "join.approve", "newest first");
}

fn email(key: &str, at: chrono::DateTime<chrono::Utc>) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: "rep@example.com".into(),
        subject: "件名".into(),
        body_text: "本文".into(),
        body_html: Some("<p>本文</p>".into()),
        payload: Some("{\"buttons\":[]}".into()),
        locale: "ja".into(),
        dedupe_key: key.to_string(),
        not_before: at,
    }
}

async fn outbox_leases_retries_and_dead_letters(store: Arc<dyn Store>) {
    let t0 = instant(2026, 11, 22, 0, 0);
    let lease = chrono::Duration::seconds(60);
    for key in ["a", "b", "c"] {
        store.enqueue(&email(key, t0), t0).await.expect("enqueue");
    }
    store
        .enqueue(&email("later", t0 + chrono::Duration::hours(1)), t0)
        .await
        .expect("enqueue later");

    let first = store
        .claim_outbox("A", t0, t0 + lease, 2)
        .await
        .expect("claim A");
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|m| m.attempts == 1));
    let second = store
        .claim_outbox("B", t0, t0 + lease, 10)
        .await
        .expect("claim B");
    assert_eq!(
        second.len(),
        1,
        "leased and not-yet-due messages are not claimed"
    );
    let b_id = second[0].id;

    let a_ids: Vec<i64> = first.iter().map(|m| m.id).collect();
    assert_eq!(
        store
            .mark_outbox_sent(&a_ids, "B", t0)
            .await
            .expect("wrong owner"),
        0
    );
    assert_eq!(
        store.mark_outbox_sent(&a_ids, "A", t0).await.expect("sent"),
        2
    );

    // B fails temporarily: retried after its backoff, not before.
    let retry_at = t0 + chrono::Duration::seconds(30);
    assert!(store
        .mark_outbox_retry(b_id, "B", retry_at, "451 4.3.0 try later")
        .await
        .expect("retry"));
    assert!(store
        .claim_outbox("C", t0, t0 + lease, 10)
        .await
        .expect("claim")
        .is_empty());
    let again = store
        .claim_outbox("C", retry_at, retry_at + lease, 10)
        .await
        .expect("claim");
    assert_eq!(again.iter().map(|m| m.id).collect::<Vec<_>>(), vec![b_id]);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error.as_deref(), Some("451 4.3.0 try later"));

    // A crashed owner's lease runs out and the message is claimed again.
    let after_lease = retry_at + lease;
    let reclaimed = store
        .claim_outbox("D", after_lease, after_lease + lease, 10)
        .await
        .expect("claim");
    assert_eq!(
        reclaimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![b_id]
    );

    assert!(store
        .mark_outbox_dead(b_id, "D", "550 5.1.1 no such user")
        .await
        .expect("dead"));
    let dead = store
        .outbox_messages(Some(OutboxStatus::Dead), 10)
        .await
        .expect("list dead");
    assert_eq!(dead.len(), 1);
    assert_eq!(
        dead[0].last_error.as_deref(),
        Some("550 5.1.1 no such user")
    );
    assert!(!store
        .retry_dead_outbox(a_ids[0], after_lease)
        .await
        .expect("not dead"));
    assert!(store
        .retry_dead_outbox(b_id, after_lease)
        .await
        .expect("retry dead"));
    let revived = store
        .outbox_message(b_id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((revived.status.as_str(), revived.attempts), ("pending", 0));

    let purged = store
        .purge_outbox(t0 + chrono::Duration::seconds(1))
        .await
        .expect("purge");
    assert_eq!(purged, 2, "only sent and dead messages are purged");
    assert_eq!(
        store.outbox_messages(None, 10).await.expect("list").len(),
        2
    );
}

async fn concurrent_dispatchers_claim_each_message_once(store: Arc<dyn Store>) {
    let t0 = instant(2026, 11, 22, 0, 0);
    for i in 0..200 {
        store
            .enqueue(&email(&format!("m{i}"), t0), t0)
            .await
            .expect("enqueue");
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let owner = format!("worker-{w}");
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_outbox(&owner, t0, t0 + chrono::Duration::seconds(60), 7)
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    break;
                }
                let ids: Vec<i64> = batch.iter().map(|m| m.id).collect();
                store
                    .mark_outbox_sent(&ids, &owner, t0)
                    .await
                    .expect("sent");
                mine.extend(ids);
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("join"));
    }
    let unique: std::collections::HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), 200, "every message claimed");
    assert_eq!(unique.len(), 200, "no message claimed twice");
}

macro_rules! contract_suite {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;

            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test]
                    async fn $name() {
                        let fixture = $open.await;
                        super::$name(fixture.store.clone()).await;
                        fixture.finish().await;
                    }
                };
            }

            case!(migrations_are_idempotent);
            case!(companies_and_locations);
            case!(people_are_found_by_ibm_id_in_any_case);
            case!(roles_are_granted_once_and_revoked);
            case!(contracts_upsert_in_place);
            case!(outbox_deduplicates);
            case!(job_fires_are_claimed_once);
            case!(a_failed_or_abandoned_fire_can_be_claimed_once_more);
            case!(audit_log_keeps_order);
            case!(outbox_leases_retries_and_dead_letters);
            case!(concurrent_dispatchers_claim_each_message_once);
        }
    };
}

contract_suite!(sqlite, common::StoreFixture::sqlite());
contract_suite!(postgres, common::StoreFixture::postgres("store"));

/// Two daemons (two pools) writing one SQLite file at once: the busy timeout makes a writer
/// wait for the other's transaction instead of failing with "database is locked".
#[tokio::test]
async fn sqlite_writers_in_two_pools_wait_for_each_other() {
    let (url, _dir) = common::sqlite_url();
    let config = common::config_for(&url);
    partnerdesk::store::migrate(&config).await.expect("migrate");
    let first = partnerdesk::store::open(&config).await.expect("first");
    let second = partnerdesk::store::open(&config).await.expect("second");
    let at = instant(2026, 11, 22, 3, 0);
    let mut writers = Vec::new();
    for (n, store) in [first.clone(), second.clone()].into_iter().enumerate() {
        for batch in 0..20 {
            let store = store.clone();
            writers.push(tokio::spawn(async move {
                let messages: Vec<NewOutboxMessage> = (0..25)
                    .map(|i| NewOutboxMessage {
                        channel: Channel::Email,
                        recipient: "rep@example.com".into(),
                        subject: "s".into(),
                        body_text: "b".into(),
                        body_html: None,
                        payload: None,
                        locale: "ja".into(),
                        dedupe_key: format!("busy:{n}:{batch}:{i}"),
                        not_before: at,
                    })
                    .collect();
                store.enqueue_many(&messages, at).await
            }));
        }
    }
    let mut written = 0;
    for writer in writers {
        written += writer
            .await
            .expect("join")
            .expect("no 'database is locked'");
    }
    assert_eq!(written, 2 * 20 * 25);
    first.close().await;
    second.close().await;
}
