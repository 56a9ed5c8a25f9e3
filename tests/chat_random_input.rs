//! Random chat input through every handler, in process, on a real SQLite store: slash commands
//! with odd options, button ids with odd parts, and arbitrary text, from an unlinked account,
//! an APA, and an admin. Nothing may panic, and every line gets an answer. The seed is fixed, so
//! a failure repeats; `CHAT_RANDOM_SEED` and `CHAT_RANDOM_LINES` explore further.

mod common;

use std::sync::Arc;

use partnerdesk::chat::{ChannelKind, ChatUser, Desk, Input, Request, Session};
use partnerdesk::clock::ManualClock;
use partnerdesk::config::Config;
use partnerdesk::store::{Actor, NewCompany, NewPerson, Role, RoleGrant};

const KEYS: &[&str] = &[
    "token",
    "request",
    "level",
    "reason",
    "ibm-id",
    "code",
    "company",
    "location",
    "date",
    "days",
    "contract",
    "status",
    "note",
    "registration",
    "language",
    "question",
    "name",
];
const VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "1",
    "99999999999999999999999",
    "1e9",
    "abc",
    "ABCDEFGHJKLMNPQR",
    "administrator",
    "basic",
    "quoted",
    "2015-08-15",
    "2015年8月15日",
    "2015/02/30",
    "ja",
    "en",
    "\"unterminated",
    "\"a b\"",
    "x@example.com",
    "not an email",
    "トークン",
    "😀",
    "\u{0}",
    "\r\nBcc: x@example.com",
    "<script>",
    "%s%n",
    "../../etc/passwd",
];
const BUTTONS: &[&str] = &[
    "join:pick:1:1",
    "join:pick:0:0",
    "join:approve:1",
    "join:level:1:administrator",
    "join:level:1:root",
    "join:reject:1",
    "join:reject:-5",
    "review:start:1",
    "review:complete:99999999999999999999",
    "review:reject:1",
    "review:nope:1",
    "ack:K-1:quoted",
    "ack::",
    "ack:K-1:maybe",
    "prompt:reject:reason:request=1",
    "join:",
    "",
    ":::",
];

fn random_line(rng: &mut fastrand::Rng) -> String {
    let pick = |rng: &mut fastrand::Rng, list: &[&str]| list[rng.usize(..list.len())].to_string();
    match rng.u8(..10) {
        0..=5 => {
            // Every command the desk knows, and two it does not.
            let commands: Vec<&str> = partnerdesk::chat::desk::COMMANDS
                .iter()
                .chain(partnerdesk::chat::commands::sales::COMMANDS)
                .chain(partnerdesk::chat::commands::workflow::COMMANDS)
                .chain(&["nope", ""])
                .copied()
                .collect();
            let mut line = format!("/{}", pick(rng, &commands));
            if rng.bool() {
                line.push(' ');
                line.push_str(&pick(
                    rng,
                    &["rotate", "list", "start", "complete", "reject"],
                ));
            }
            for _ in 0..rng.usize(..4) {
                line.push_str(&format!(" {}:{}", pick(rng, KEYS), pick(rng, VALUES)));
            }
            if rng.u8(..4) == 0 {
                line.push(' ');
                line.push_str(&pick(rng, VALUES));
            }
            line
        }
        6..=7 => format!("!press {}", pick(rng, BUTTONS)),
        _ => (0..rng.usize(..40))
            .map(|_| match rng.u8(..4) {
                0 => rng.char('a'..='z'),
                1 => rng.char('ぁ'..='ゖ'),
                2 => rng.char('\u{0}'..='\u{7f}'),
                _ => rng.char(..),
            })
            .collect(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_chat_input_never_panics_and_is_always_answered() {
    let seed = std::env::var("CHAT_RANDOM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_127_u64);
    let lines = std::env::var("CHAT_RANDOM_LINES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_500_usize);
    let fixture = common::StoreFixture::sqlite().await;
    let store = fixture.store.clone();
    let at = common::instant(2026, 11, 24, 1, 0);
    let ops = Actor::new("operator:test", "cli");
    let company = store
        .add_company(
            &NewCompany {
                name: "Random KK".into(),
                icn: None,
                site_number: None,
                status: "active".into(),
                locale: "ja".into(),
            },
            &ops,
            at,
        )
        .await
        .expect("company");
    store
        .add_location(company.id, "Tokyo", &ops, at)
        .await
        .expect("location");
    for (ibm_id, role, company_id) in [
        ("apa@example.com", Role::Apa, Some(company.id)),
        ("admin@example.com", Role::Admin, None),
    ] {
        let person = store
            .add_person(
                &NewPerson {
                    ibm_id: ibm_id.into(),
                    name: ibm_id.into(),
                    locale: "en".into(),
                    time_zone: "Asia/Tokyo".into(),
                },
                &ops,
                at,
            )
            .await
            .expect("person");
        store
            .grant_role_audited(
                &RoleGrant {
                    person_id: person.id,
                    role,
                    company_id,
                    location_id: None,
                    permission_level: None,
                },
                &ops,
                at,
            )
            .await
            .expect("grant");
    }
    let mut desk =
        Desk::from_config(&Config::default(), Arc::new(ManualClock::new(at))).expect("desk");
    desk.store = Some(store.clone());

    let mut rng = fastrand::Rng::with_seed(seed);
    let identities = [None, Some("apa@example.com"), Some("admin@example.com")];
    for n in 0..lines {
        let acting_as = identities[n % identities.len()];
        let mut session = Session {
            acting_as: acting_as.map(str::to_string),
            ..Session::default()
        };
        let line = random_line(&mut rng);
        let request_for = |input: Input| Request {
            user: ChatUser {
                platform_id: format!("console:{}", acting_as.unwrap_or("anonymous")),
                display_name: "tester".into(),
            },
            platform_locale: None,
            channel: if n % 2 == 0 {
                ChannelKind::Direct
            } else {
                ChannelKind::Public
            },
            input,
        };
        let replies = desk.handle_line(&mut session, request_for, &line).await;
        if !line.trim().is_empty() {
            assert!(
                replies.iter().any(|r| !r.text.trim().is_empty()),
                "seed {seed}, line {n}: no answer to {line:?}"
            );
        }
    }
    fixture.finish().await;
}
