//! A one-time link code does not stay in the outbox once it is sent (issue 14): the body of a
//! `link-code:` message is cleared when it is marked sent, on both backends; other messages
//! keep theirs, and an unsent code keeps its body until it goes out.

mod common;

use std::sync::Arc;

use common::{instant, StoreFixture};
use partnerdesk::store::{Channel, NewOutboxMessage, OutboxStatus, Store};

fn email(key: &str, body: &str, at: chrono::DateTime<chrono::Utc>) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: "hanako@example.com".into(),
        subject: "code".into(),
        body_text: body.into(),
        body_html: Some(format!("<p>{body}</p>")),
        payload: None,
        locale: "en".into(),
        dedupe_key: key.to_string(),
        not_before: at,
    }
}

async fn sensitive_bodies_are_cleared_once_sent(store: Arc<dyn Store>) {
    let t0 = instant(2026, 11, 22, 0, 0);
    store
        .enqueue(&email("link-code:1", "Your code is 493817", t0), t0)
        .await
        .expect("enqueue");
    store
        .enqueue(&email("link-code:2", "Your code is 112233", t0), t0)
        .await
        .expect("enqueue");
    store
        .enqueue(&email("renewal:1", "Renew K-1 by Friday", t0), t0)
        .await
        .expect("enqueue");
    let claimed = store
        .claim_outbox("A", t0, t0 + chrono::Duration::seconds(60), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 3);
    // The dispatcher read the code to send it.
    assert!(claimed.iter().any(|m| m.body_text.contains("493817")));
    let sent: Vec<i64> = claimed
        .iter()
        .filter(|m| m.dedupe_key != "link-code:2")
        .map(|m| m.id)
        .collect();
    assert_eq!(
        store.mark_outbox_sent(&sent, "A", t0).await.expect("sent"),
        2
    );

    let rows = store.outbox_messages(None, 10).await.expect("list");
    let row = |key: &str| {
        rows.iter()
            .find(|m| m.dedupe_key == key)
            .cloned()
            .expect("row")
    };
    let code = row("link-code:1");
    assert_eq!(code.status, OutboxStatus::Sent.as_str());
    assert_eq!(code.body_text, "");
    assert_eq!(code.body_html, None);
    assert_eq!(code.subject, "code", "only the body is cleared");
    // Not sent yet: still there, to be sent.
    assert!(row("link-code:2").body_text.contains("112233"));
    // Not sensitive: kept.
    assert_eq!(row("renewal:1").body_text, "Renew K-1 by Friday");
}

#[tokio::test]
async fn sqlite_clears_sent_link_codes() {
    let fixture = StoreFixture::sqlite().await;
    sensitive_bodies_are_cleared_once_sent(fixture.store.clone()).await;
    fixture.finish().await;
}

#[tokio::test]
async fn postgres_clears_sent_link_codes() {
    let fixture = StoreFixture::postgres("sensitive").await;
    sensitive_bodies_are_cleared_once_sent(fixture.store.clone()).await;
    fixture.finish().await;
}
