//! The workflow store: one suite, run unchanged against SQLite and PostgreSQL (a fresh database
//! per case). Every change is checked together with the outbox rows and audit entries its
//! transaction writes.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::instant;
use partnerdesk::store::secret::{self, CompanyToken};
use partnerdesk::store::{
    self, Actor, AddMember, AddMemberOutcome, AuditFilter, CompanyImport, DecideOutcome,
    GrantOutcome, JoinDecision, JoinFilter, JoinPick, JoinRequest, LinkAttempt, LinkCodeOutcome,
    MemberRow, NewCompany, NewLinkCode, NewPerson, OutboxMessage, Person, PersonImport,
    PickOutcome, RegistrationStatus, RegistrationStep, Role, RoleGrant, Store, TokenEntry,
    TokenOutcome, TransitionOutcome, VerifyOutcome,
};
use partnerdesk::workflows::notices;

fn cli() -> Actor {
    Actor::new("operator:test", "cli")
}

fn company(name: &str) -> NewCompany {
    NewCompany {
        name: name.to_string(),
        icn: None,
        site_number: None,
        status: "active".into(),
        locale: "ja".into(),
    }
}

fn person(ibm_id: &str, name: &str, locale: &str) -> NewPerson {
    NewPerson {
        ibm_id: ibm_id.into(),
        name: name.into(),
        locale: locale.into(),
        time_zone: "Asia/Tokyo".into(),
    }
}

/// Enters the token of `entered` and picks `location`: the join request, which must be new.
async fn join_created(
    store: &Arc<dyn Store>,
    entered: &TokenEntry,
    user: &Actor,
    company_id: i64,
    location: i64,
    at: DateTime<Utc>,
) -> JoinRequest {
    store
        .enter_company_token(entered, user, at)
        .await
        .expect("enter");
    match store
        .create_join_request(
            &pick(&entered.actor_key, company_id, location),
            user,
            at,
            &alerts(at),
        )
        .await
        .expect("pick")
    {
        PickOutcome::Created { request, .. } => request,
        other => panic!("not created: {other:?}"),
    }
}

/// `role` for a person, of one company or (None) of the whole program.
fn role_grant(person_id: i64, role: Role, company_id: Option<i64>) -> RoleGrant {
    RoleGrant {
        person_id,
        role,
        company_id,
        location_id: None,
        permission_level: None,
    }
}

fn entry(actor: &str, typed: &str) -> TokenEntry {
    TokenEntry {
        actor_key: actor.into(),
        token_hash: secret::token_entry_hash(typed),
        profile_name: None,
        profile_locale: None,
        max_failures: 5,
        window: Duration::hours(1),
        lockout: Duration::hours(1),
        grant_ttl: Duration::minutes(30),
        max_failures_all_users: 100,
    }
}

fn pick(actor: &str, company_id: i64, location_id: i64) -> JoinPick {
    JoinPick {
        actor_key: actor.into(),
        company_id,
        location_id,
        profile: person(actor, "新入 社員", "ja"),
    }
}

async fn outbox(store: &Arc<dyn Store>) -> Vec<OutboxMessage> {
    store.outbox_messages(None, 1000).await.expect("outbox")
}

async fn by_key(store: &Arc<dyn Store>, key: &str) -> OutboxMessage {
    outbox(store)
        .await
        .into_iter()
        .find(|m| m.dedupe_key == key)
        .unwrap_or_else(|| panic!("no outbox row {key}"))
}

async fn actions(store: &Arc<dyn Store>) -> Vec<String> {
    let mut entries = store
        .list_audit(&AuditFilter {
            action_prefix: None,
            actor: None,
            limit: 1000,
        })
        .await
        .expect("audit");
    entries.reverse();
    entries.into_iter().map(|e| e.action).collect()
}

fn alerts(
    at: DateTime<Utc>,
) -> impl Fn(&(JoinRequest, Vec<MemberRow>)) -> Vec<store::NewOutboxMessage> {
    move |input: &(JoinRequest, Vec<MemberRow>)| notices::join_alerts(&input.0, &input.1, at)
}

/// A company with two locations, an APA, and a token; returns (company, locations, apa, token).
async fn setup(store: &Arc<dyn Store>, at: DateTime<Utc>) -> (i64, Vec<i64>, Person, CompanyToken) {
    let c = store
        .add_company(&company("株式会社サンプル"), &cli(), at)
        .await
        .expect("company");
    let tokyo = store
        .add_location(c.id, "東京本社", &cli(), at)
        .await
        .expect("loc");
    let osaka = store
        .add_location(c.id, "大阪支店", &cli(), at)
        .await
        .expect("loc");
    let apa = store
        .add_person(&person("apa@example.com", "管理 太郎", "ja"), &cli(), at)
        .await
        .expect("apa");
    store
        .grant_role_audited(&role_grant(apa.id, Role::Apa, Some(c.id)), &cli(), at)
        .await
        .expect("grant");
    let token = CompanyToken::generate();
    store
        .rotate_company_token(c.id, &token.hash(), &cli(), at)
        .await
        .expect("token");
    (c.id, vec![tokyo.id, osaka.id], apa, token)
}

async fn tokens_rotate_and_the_old_one_stops_working(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, _, _, first) = setup(&store, at).await;
    let stored = store
        .company_token(company_id)
        .await
        .expect("get")
        .expect("some");
    assert_eq!(stored.token_hash, first.hash());
    assert!(!stored.token_hash.contains(first.as_str()));
    let user = Actor::new("new@example.com", "console");
    match store
        .enter_company_token(&entry("new@example.com", first.as_str()), &user, at)
        .await
        .expect("enter")
    {
        TokenOutcome::Accepted { company, locations } => {
            assert_eq!(company.id, company_id);
            assert_eq!(locations.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    let second = CompanyToken::generate();
    store
        .rotate_company_token(company_id, &second.hash(), &cli(), at)
        .await
        .expect("rotate");
    assert!(matches!(
        store
            .enter_company_token(&entry("new@example.com", first.as_str()), &user, at)
            .await
            .expect("enter"),
        TokenOutcome::Rejected {
            failures: 1,
            locked_until: None
        }
    ));
    assert!(matches!(
        store
            .enter_company_token(&entry("new@example.com", second.as_str()), &user, at)
            .await
            .expect("enter"),
        TokenOutcome::Accepted { .. }
    ));
    let log = actions(&store).await;
    for action in [
        "token.created",
        "token.rotated",
        "token.accepted",
        "token.failed",
    ] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
}

async fn five_failures_within_an_hour_lock_the_user_out(store: Arc<dyn Store>) {
    let t0 = instant(2026, 11, 24, 1, 0);
    let (_, _, _, token) = setup(&store, t0).await;
    let user = Actor::new("bad@example.com", "console");
    // Failures more than an hour apart never add up to a lockout.
    for minutes in [0, 70, 140, 210] {
        let outcome = store
            .enter_company_token(
                &entry("bad@example.com", "WRONGWRONGWRONG1"),
                &user,
                t0 + Duration::minutes(minutes),
            )
            .await
            .expect("enter");
        assert!(
            matches!(
                outcome,
                TokenOutcome::Rejected {
                    failures: 1,
                    locked_until: None
                }
            ),
            "{outcome:?}"
        );
    }
    let t1 = t0 + Duration::hours(5);
    for i in 1..=4 {
        let outcome = store
            .enter_company_token(
                &entry("bad@example.com", "nope"),
                &user,
                t1 + Duration::minutes(i),
            )
            .await
            .expect("enter");
        assert_eq!(
            outcome,
            TokenOutcome::Rejected {
                failures: i,
                locked_until: None
            }
        );
    }
    let fifth = t1 + Duration::minutes(30);
    let outcome = store
        .enter_company_token(&entry("bad@example.com", "AAAAAAAAAAAAAAAA"), &user, fifth)
        .await
        .expect("enter");
    assert_eq!(
        outcome,
        TokenOutcome::Rejected {
            failures: 5,
            locked_until: Some(fifth + Duration::hours(1))
        }
    );
    // Locked: even the right token is refused, without being looked at.
    let outcome = store
        .enter_company_token(
            &entry("bad@example.com", token.as_str()),
            &user,
            fifth + Duration::minutes(59),
        )
        .await
        .expect("enter");
    assert_eq!(
        outcome,
        TokenOutcome::Locked {
            until: fifth + Duration::hours(1)
        }
    );
    // Someone else is not affected.
    let other = Actor::new("other@example.com", "console");
    assert!(matches!(
        store
            .enter_company_token(&entry("other@example.com", token.as_str()), &other, fifth)
            .await
            .expect("enter"),
        TokenOutcome::Accepted { .. }
    ));
    // After the hour the user may try again, and the old failures no longer count.
    let after = fifth + Duration::minutes(61);
    assert_eq!(
        store
            .enter_company_token(&entry("bad@example.com", "still-wrong"), &user, after)
            .await
            .expect("enter"),
        TokenOutcome::Rejected {
            failures: 1,
            locked_until: None
        }
    );
    assert!(matches!(
        store
            .enter_company_token(&entry("bad@example.com", token.as_str()), &user, after)
            .await
            .expect("enter"),
        TokenOutcome::Accepted { .. }
    ));
    let log = actions(&store).await;
    assert_eq!(
        log.iter().filter(|a| *a == "token.failed").count(),
        10,
        "{log:?}"
    );
    assert_eq!(log.iter().filter(|a| *a == "token.locked-out").count(), 1);
    assert_eq!(
        log.iter().filter(|a| *a == "token.refused-locked").count(),
        1
    );
}

async fn join_by_token_alerts_every_apa_and_the_first_decision_wins(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, apa, token) = setup(&store, at).await;
    // A second APA whose Discord account is linked.
    let code = "123456";
    let platform = "discord:555000111";
    store
        .create_link_code(
            &NewLinkCode {
                platform_id: platform.into(),
                ibm_id: "apa2@example.com".into(),
                code_hash: secret::link_code_hash(platform, code),
                expires_at: at + Duration::minutes(10),
                max_per_hour: 5,
                max_per_target_per_hour: 5,
            },
            &Actor::new(platform, "discord"),
            at,
            &|_| Vec::new(),
        )
        .await
        .expect("code");
    let apa2 = match store
        .verify_link_code(
            &LinkAttempt {
                platform_id: platform.into(),
                code_hash: secret::link_code_hash(platform, code),
                max_tries: 5,
                new_person: person("", "Second APA", "en"),
            },
            &Actor::new(platform, "discord"),
            at,
        )
        .await
        .expect("verify")
    {
        VerifyOutcome::Linked(p) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(apa2.discord_user_id.as_deref(), Some("555000111"));
    store
        .grant_role_audited(
            &role_grant(apa2.id, Role::Apa, Some(company_id)),
            &cli(),
            at,
        )
        .await
        .expect("grant");

    let user = Actor::new("new@example.com", "console");
    store
        .enter_company_token(&entry("new@example.com", token.as_str()), &user, at)
        .await
        .expect("enter");
    let request = match store
        .create_join_request(
            &pick("New@Example.com", company_id, locations[1]),
            &user,
            at,
            &alerts(at),
        )
        .await
        .expect("pick")
    {
        PickOutcome::Created { request, apas } => {
            assert_eq!(apas, 2);
            request
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(request.status, "pending");
    assert_eq!(request.person_ibm_id, "new@example.com");
    assert_eq!(request.location_name, "大阪支店");

    let email = by_key(&store, &format!("join-alert:{}:{}", request.id, apa.id)).await;
    assert_eq!(
        (email.channel.as_str(), email.recipient.as_str()),
        ("email", "apa@example.com")
    );
    assert!(email
        .body_text
        .contains(&format!("/approve request:{}", request.id)));
    let dm = by_key(&store, &format!("join-alert:{}:{}", request.id, apa2.id)).await;
    assert_eq!(
        (dm.channel.as_str(), dm.recipient.as_str()),
        ("discord", "555000111")
    );
    assert_eq!(dm.locale, "en");
    let payload: serde_json::Value =
        serde_json::from_str(dm.payload.as_deref().expect("payload")).expect("json");
    assert_eq!(
        payload["buttons"][0]["id"],
        format!("join:approve:{}", request.id)
    );
    assert_eq!(payload["buttons"][0]["style"], "success");
    assert_eq!(
        payload["buttons"][1]["id"],
        format!("join:reject:{}", request.id)
    );
    assert_eq!(payload["buttons"][1]["label"], "Reject");

    // Still pending three business days later: the escalation reaches both APAs, the linked
    // one also as a DM with the decision buttons.
    let jobs = partnerdesk::daemon::jobs::JobContext::new(
        &partnerdesk::config::Config::default(),
        store.clone(),
    )
    .expect("jobs");
    let later = instant(2026, 11, 27, 0, 30);
    jobs.approval_escalation(later).await.expect("escalation");
    let mail = by_key(&store, &format!("escalation:apa:{}:{}", request.id, apa.id)).await;
    assert_eq!(mail.recipient, "apa@example.com");
    let dm = by_key(
        &store,
        &format!("discord:escalation:apa:{}:{}", request.id, apa2.id),
    )
    .await;
    assert_eq!(dm.recipient, "user:555000111");
    let payload: serde_json::Value =
        serde_json::from_str(dm.payload.as_deref().expect("payload")).expect("json");
    assert_eq!(
        payload["buttons"][0]["id"],
        format!("join:approve:{}", request.id)
    );
    let again = jobs.approval_escalation(later).await.expect("again");
    assert_eq!(again.enqueued, 0, "each escalation is written once");

    // Someone who is not an APA of this company cannot decide.
    let stranger = store
        .add_person(
            &person("stranger@example.com", "他社 花子", "ja"),
            &cli(),
            at,
        )
        .await
        .expect("person");
    let approve = |by: i64| JoinDecision {
        request_id: request.id,
        approve: true,
        level: Some("standard".into()),
        reason: None,
        require_apa: Some(by),
    };
    let welcome = move |r: &JoinRequest| notices::welcome(r, at);
    assert!(matches!(
        store
            .decide_join_request(
                &approve(stranger.id),
                &Actor::new("stranger@example.com", "console"),
                at,
                &welcome
            )
            .await
            .expect("decide"),
        DecideOutcome::NotAuthorized(_)
    ));
    let later = at + Duration::minutes(5);
    let decided = match store
        .decide_join_request(
            &approve(apa.id),
            &Actor::new("apa@example.com", "console"),
            later,
            &welcome,
        )
        .await
        .expect("decide")
    {
        DecideOutcome::Decided(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(decided.status, "approved");
    assert_eq!(decided.permission_level.as_deref(), Some("standard"));
    assert_eq!(decided.decided_by.as_deref(), Some("apa@example.com"));
    assert_eq!(decided.decided_via.as_deref(), Some("console"));
    assert_eq!(decided.decided_at, Some(later));
    let members = store.company_members(company_id).await.expect("members");
    let member = members
        .iter()
        .find(|m| m.ibm_id == "new@example.com")
        .expect("member");
    assert_eq!(member.role, "member");
    assert_eq!(member.location_id, Some(locations[1]));
    assert_eq!(member.permission_level.as_deref(), Some("standard"));
    let mail = by_key(&store, &format!("join-approved:{}", request.id)).await;
    assert_eq!(mail.recipient, "new@example.com");
    assert!(mail.body_text.contains("標準"), "{}", mail.body_text);
    assert!(mail.body_html.as_deref().is_some_and(|h| h.contains("<p>")));

    // The second decision is refused and says who decided first.
    match store
        .decide_join_request(
            &approve(apa2.id),
            &Actor::new("apa2@example.com", "discord"),
            later,
            &welcome,
        )
        .await
        .expect("decide")
    {
        DecideOutcome::AlreadyDecided(r) => {
            assert_eq!(r.decided_by.as_deref(), Some("apa@example.com"));
            assert_eq!(r.decided_at, Some(later));
        }
        other => panic!("{other:?}"),
    }
    let approved = outbox(&store)
        .await
        .into_iter()
        .filter(|m| m.dedupe_key.starts_with("join-approved:"))
        .count();
    assert_eq!(approved, 1);
    let log = actions(&store).await;
    assert!(log.contains(&"join.requested".to_string()));
    assert!(log.contains(&"join.refused".to_string()));
    assert_eq!(log.iter().filter(|a| *a == "join.approved").count(), 1);
    assert_eq!(
        store
            .pending_joins_for_apa(apa.id)
            .await
            .expect("pending")
            .len(),
        0
    );
}

async fn a_pick_needs_a_current_token_entry(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, apa, token) = setup(&store, at).await;
    let user = Actor::new("new@example.com", "console");
    let none = |_: &(JoinRequest, Vec<MemberRow>)| Vec::new();
    assert_eq!(
        store
            .create_join_request(
                &pick("new@example.com", company_id, locations[0]),
                &user,
                at,
                &none
            )
            .await
            .expect("pick"),
        PickOutcome::NoGrant
    );
    store
        .enter_company_token(&entry("new@example.com", token.as_str()), &user, at)
        .await
        .expect("enter");
    // The grant ends after its time...
    assert_eq!(
        store
            .create_join_request(
                &pick("new@example.com", company_id, locations[0]),
                &user,
                at + Duration::minutes(31),
                &none
            )
            .await
            .expect("pick"),
        PickOutcome::NoGrant
    );
    // ...and when the token is rotated.
    store
        .enter_company_token(&entry("new@example.com", token.as_str()), &user, at)
        .await
        .expect("enter");
    let fresh = CompanyToken::generate();
    store
        .rotate_company_token(
            company_id,
            &fresh.hash(),
            &Actor::new("apa@example.com", "console"),
            at,
        )
        .await
        .expect("rotate");
    assert_eq!(
        store
            .create_join_request(
                &pick("new@example.com", company_id, locations[0]),
                &user,
                at,
                &none
            )
            .await
            .expect("pick"),
        PickOutcome::NoGrant
    );
    store
        .enter_company_token(&entry("new@example.com", fresh.as_str()), &user, at)
        .await
        .expect("enter");
    let other = store
        .add_company(&company("他社"), &cli(), at)
        .await
        .expect("c");
    let elsewhere = store
        .add_location(other.id, "本社", &cli(), at)
        .await
        .expect("l");
    assert_eq!(
        store
            .create_join_request(
                &pick("new@example.com", company_id, elsewhere.id),
                &user,
                at,
                &none
            )
            .await
            .expect("pick"),
        PickOutcome::UnknownLocation
    );
    let created = store
        .create_join_request(
            &pick("new@example.com", company_id, locations[0]),
            &user,
            at,
            &none,
        )
        .await
        .expect("pick");
    let PickOutcome::Created { request, .. } = created else {
        panic!("{created:?}")
    };
    assert_eq!(request.person_name, "新入 社員");
    store
        .enter_company_token(&entry("new@example.com", fresh.as_str()), &user, at)
        .await
        .expect("enter");
    assert!(matches!(
        store
            .create_join_request(&pick("new@example.com", company_id, locations[1]), &user, at, &none)
            .await
            .expect("pick"),
        PickOutcome::AlreadyPending(r) if r.id == request.id
    ));
    let pending = store.pending_joins_for_apa(apa.id).await.expect("pending");
    assert_eq!(
        pending.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![request.id]
    );
    let listed = store
        .list_join_requests(&JoinFilter {
            company_id: Some(company_id),
            status: Some("pending".into()),
            person_id: None,
        })
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
}

async fn a_rejection_carries_its_reason(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, apa, token) = setup(&store, at).await;
    let user = Actor::new("en@example.com", "console");
    let mut entered = entry("en@example.com", token.as_str());
    entered.profile_name = Some("Pat Doe".into());
    entered.profile_locale = Some("en".into());
    let request = join_created(&store, &entered, &user, company_id, locations[0], at).await;
    assert_eq!(
        (request.person_name.as_str(), request.person_locale.as_str()),
        ("Pat Doe", "en")
    );
    let rejected = move |r: &JoinRequest| notices::join_rejected(r, at);
    let outcome = store
        .decide_join_request(
            &JoinDecision {
                request_id: request.id,
                approve: false,
                level: None,
                reason: Some("Please use the Osaka office.".into()),
                require_apa: Some(apa.id),
            },
            &Actor::new("apa@example.com", "console"),
            at,
            &rejected,
        )
        .await
        .expect("decide");
    assert!(matches!(outcome, DecideOutcome::Decided(ref r) if r.status == "rejected"));
    let mail = by_key(&store, &format!("join-rejected:{}", request.id)).await;
    assert_eq!(mail.locale, "en");
    assert!(mail.body_text.contains("Please use the Osaka office."));
    assert!(mail.body_text.contains("Dear Pat Doe"));
    assert!(store
        .company_members(company_id)
        .await
        .expect("members")
        .iter()
        .all(|m| m.ibm_id != "en@example.com"));
}

async fn an_apa_adds_a_member_directly(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, apa, _) = setup(&store, at).await;
    let stranger = store
        .add_person(&person("stranger@example.com", "他社", "ja"), &cli(), at)
        .await
        .expect("p");
    let welcome = move |r: &JoinRequest| notices::welcome(r, at);
    let add = |by: i64| AddMember {
        location_id: locations[0],
        person: person("added@example.com", "追加 次郎", "ja"),
        level: "basic".into(),
        require_apa: Some(by),
    };
    assert_eq!(
        store
            .add_member_by_apa(
                &add(stranger.id),
                &Actor::new("stranger@example.com", "console"),
                at,
                &welcome
            )
            .await
            .expect("add"),
        AddMemberOutcome::NotAuthorized
    );
    assert!(store
        .person_by_ibm_id("added@example.com")
        .await
        .expect("p")
        .is_none());
    let outcome = store
        .add_member_by_apa(
            &add(apa.id),
            &Actor::new("apa@example.com", "console"),
            at,
            &welcome,
        )
        .await
        .expect("add");
    let AddMemberOutcome::Added(request) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        (request.method.as_str(), request.status.as_str()),
        ("apa", "approved")
    );
    let mail = by_key(&store, &format!("member-added:{}", request.id)).await;
    assert_eq!(mail.recipient, "added@example.com");
    assert!(mail.body_text.contains("東京本社"));
    assert_eq!(
        store
            .add_member_by_apa(
                &add(apa.id),
                &Actor::new("apa@example.com", "console"),
                at,
                &welcome
            )
            .await
            .expect("add"),
        AddMemberOutcome::AlreadyMember
    );
    let member = store
        .company_members(company_id)
        .await
        .expect("m")
        .into_iter()
        .find(|m| m.ibm_id == "added@example.com")
        .expect("member");
    assert_eq!(member.permission_level.as_deref(), Some("basic"));
    assert!(actions(&store).await.contains(&"member.added".to_string()));
}

async fn registrations_move_through_review_and_mail_the_applicant(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let c = store
        .add_company(
            &NewCompany {
                status: "registering".into(),
                ..company("株式会社サンプル")
            },
            &cli(),
            at,
        )
        .await
        .expect("company");
    let applicant = store
        .add_person(
            &person("applicant@example.com", "申請 花子", "ja"),
            &cli(),
            at,
        )
        .await
        .expect("p");
    let first = store
        .submit_registration(c.id, applicant.id, &cli(), at)
        .await
        .expect("submit");
    assert!(first.created);
    assert_eq!(first.registration.status, "submitted");
    let again = store
        .submit_registration(c.id, applicant.id, &cli(), at)
        .await
        .expect("submit");
    assert!(!again.created);
    assert_eq!(again.registration.id, first.registration.id);
    let id = first.registration.id;
    let render = move |r: &store::Registration| match r.status() {
        Some(RegistrationStatus::DocumentsRequested) => notices::registration_documents(r, at),
        Some(RegistrationStatus::Completed) => notices::registration_completed(r, at),
        _ => Vec::new(),
    };
    let step = |to, note: Option<&str>| RegistrationStep {
        id,
        to,
        note: note.map(str::to_string),
        reason: None,
    };
    let moved = store
        .move_registration(
            &step(RegistrationStatus::UnderReview, None),
            &cli(),
            at,
            &render,
        )
        .await
        .expect("move");
    assert!(matches!(moved, TransitionOutcome::Moved(ref r) if r.status == "under-review"));
    for note in ["登記事項証明書", "印鑑証明書"] {
        store
            .move_registration(
                &step(RegistrationStatus::DocumentsRequested, Some(note)),
                &cli(),
                at,
                &render,
            )
            .await
            .expect("move");
    }
    let first_request = by_key(&store, &format!("registration-documents:{id}:1")).await;
    assert!(first_request.body_text.contains("登記事項証明書"));
    let second_request = by_key(&store, &format!("registration-documents:{id}:2")).await;
    assert!(second_request.body_text.contains("印鑑証明書"));
    let done = store
        .move_registration(
            &step(RegistrationStatus::Completed, None),
            &cli(),
            at,
            &render,
        )
        .await
        .expect("move");
    let TransitionOutcome::Moved(done) = done else {
        panic!("{done:?}")
    };
    assert_eq!(done.decided_at, Some(at));
    let mail = by_key(&store, &format!("registration-completed:{id}")).await;
    assert_eq!(mail.subject, "株式会社サンプル");
    assert_eq!(mail.recipient, "applicant@example.com");
    assert!(mail.body_text.contains("手続き完了のご案内"));
    assert_eq!(
        store.company(c.id).await.expect("c").expect("c").status,
        "active"
    );
    assert!(matches!(
        store
            .move_registration(
                &step(RegistrationStatus::Rejected, None),
                &cli(),
                at,
                &render
            )
            .await
            .expect("move"),
        TransitionOutcome::NotAllowed(_)
    ));
    assert!(matches!(
        store
            .move_registration(
                &RegistrationStep {
                    id: 999_999,
                    ..step(RegistrationStatus::Completed, None)
                },
                &cli(),
                at,
                &render
            )
            .await
            .expect("move"),
        TransitionOutcome::NotFound
    ));
    let log = actions(&store).await;
    for action in [
        "registration.submitted",
        "registration.under-review",
        "registration.documents-requested",
        "registration.completed",
    ] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
}

async fn completion_subjects_never_carry_line_breaks(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    // A name that bypassed input validation (written straight into the store).
    let c = store
        .create_company(&company("Evil Corp\r\nBcc: victim@example.com"), at)
        .await
        .expect("company");
    let applicant = store
        .add_person(&person("applicant@example.com", "Pat", "en"), &cli(), at)
        .await
        .expect("p");
    let id = store
        .submit_registration(c.id, applicant.id, &cli(), at)
        .await
        .expect("submit")
        .registration
        .id;
    let render = move |r: &store::Registration| notices::registration_completed(r, at);
    store
        .move_registration(
            &RegistrationStep {
                id,
                to: RegistrationStatus::Completed,
                note: None,
                reason: None,
            },
            &cli(),
            at,
            &render,
        )
        .await
        .expect("complete");
    let mail = by_key(&store, &format!("registration-completed:{id}")).await;
    assert_eq!(mail.subject, "Evil Corp Bcc: victim@example.com");
    assert!(!mail.subject.contains(['\r', '\n']));
}

async fn link_codes_expire_and_allow_five_tries(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let platform = "discord:42";
    let actor = Actor::new(platform, "discord");
    let issue = |code: &str, when: DateTime<Utc>| NewLinkCode {
        platform_id: platform.into(),
        ibm_id: "Linked@Example.com".into(),
        code_hash: secret::link_code_hash(platform, code),
        expires_at: when + Duration::minutes(10),
        max_per_hour: 5,
        max_per_target_per_hour: 5,
    };
    let attempt = |code: &str| LinkAttempt {
        platform_id: platform.into(),
        code_hash: secret::link_code_hash(platform, code),
        max_tries: 5,
        new_person: person("", "Linked Person", "en"),
    };
    assert_eq!(
        store
            .verify_link_code(&attempt("000000"), &actor, at)
            .await
            .expect("v"),
        VerifyOutcome::NoCode
    );
    let mail = move |id: &i64| {
        notices::link_code(
            "linked@example.com",
            "111111",
            partnerdesk::i18n::Locale::En,
            *id,
            at,
        )
    };
    let sent = store
        .create_link_code(&issue("111111", at), &actor, at, &mail)
        .await
        .expect("code");
    let LinkCodeOutcome::Sent(link_id) = sent else {
        panic!("{sent:?}")
    };
    let message = by_key(&store, &format!("link-code:{link_id}")).await;
    assert_eq!(message.recipient, "linked@example.com");
    assert!(message.body_text.contains("111111"));
    for remaining in (0..5).rev() {
        assert_eq!(
            store
                .verify_link_code(&attempt("999999"), &actor, at)
                .await
                .expect("v"),
            VerifyOutcome::Wrong { remaining }
        );
    }
    assert_eq!(
        store
            .verify_link_code(&attempt("111111"), &actor, at)
            .await
            .expect("v"),
        VerifyOutcome::TooManyTries
    );
    let later = at + Duration::minutes(20);
    store
        .create_link_code(&issue("222222", later), &actor, later, &|_| Vec::new())
        .await
        .expect("code");
    assert_eq!(
        store
            .verify_link_code(&attempt("222222"), &actor, later + Duration::minutes(11))
            .await
            .expect("v"),
        VerifyOutcome::Expired
    );
    store
        .create_link_code(&issue("333333", later), &actor, later, &|_| Vec::new())
        .await
        .expect("code");
    let linked = match store
        .verify_link_code(&attempt("333333"), &actor, later + Duration::minutes(1))
        .await
        .expect("v")
    {
        VerifyOutcome::Linked(p) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(linked.ibm_id, "linked@example.com");
    assert_eq!(linked.discord_user_id.as_deref(), Some("42"));
    assert_eq!(
        store
            .person_by_discord_id("42")
            .await
            .expect("p")
            .map(|p| p.id),
        Some(linked.id)
    );
    assert_eq!(
        store
            .person_by_chat_link(platform)
            .await
            .expect("p")
            .map(|p| p.id),
        Some(linked.id)
    );
    // A used code cannot be used again.
    assert_eq!(
        store
            .verify_link_code(&attempt("333333"), &actor, later + Duration::minutes(2))
            .await
            .expect("v"),
        VerifyOutcome::NoCode
    );
    // At most five codes per account and hour.
    store
        .create_link_code(&issue("444444", later), &actor, later, &|_| Vec::new())
        .await
        .expect("code");
    assert_eq!(
        store
            .create_link_code(&issue("555555", later), &actor, later, &|_| Vec::new())
            .await
            .expect("code"),
        LinkCodeOutcome::Sent(link_id + 4)
    );
    assert_eq!(
        store
            .create_link_code(
                &issue("666666", later),
                &actor,
                later + Duration::minutes(1),
                &|_| Vec::new()
            )
            .await
            .expect("code"),
        LinkCodeOutcome::TooMany {
            retry_after: at + Duration::hours(1)
        }
    );
    let log = actions(&store).await;
    assert_eq!(
        log.iter()
            .filter(|a| *a == "identity.verify-failed")
            .count(),
        5
    );
    assert!(log.contains(&"identity.linked".to_string()));
}

async fn a_company_has_exactly_one_primary_contact(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let c = store
        .add_company(&company("連絡先テスト"), &cli(), at)
        .await
        .expect("c");
    let a = store
        .add_person(&person("a@example.com", "A", "ja"), &cli(), at)
        .await
        .expect("a");
    let b = store
        .add_person(&person("b@example.com", "B", "ja"), &cli(), at)
        .await
        .expect("b");
    let grant = |who: i64, role: Role| role_grant(who, role, Some(c.id));
    assert!(matches!(
        store
            .grant_role_audited(&grant(a.id, Role::PrimaryContact), &cli(), at)
            .await
            .expect("g"),
        GrantOutcome::Granted(_)
    ));
    assert!(matches!(
        store
            .grant_role_audited(&grant(a.id, Role::PrimaryContact), &cli(), at)
            .await
            .expect("g"),
        GrantOutcome::AlreadyHeld(_)
    ));
    store
        .grant_role_audited(&grant(b.id, Role::PrimaryContact), &cli(), at)
        .await
        .expect("g");
    store
        .grant_role_audited(&grant(a.id, Role::TechnicalContact), &cli(), at)
        .await
        .expect("g");
    let members = store.company_members(c.id).await.expect("m");
    let primaries: Vec<&str> = members
        .iter()
        .filter(|m| m.role == "primary-contact")
        .map(|m| m.ibm_id.as_str())
        .collect();
    assert_eq!(primaries, vec!["b@example.com"]);
    assert!(members
        .iter()
        .any(|m| m.role == "technical-contact" && m.ibm_id == "a@example.com"));
    assert!(store
        .revoke_role_audited(a.id, Role::TechnicalContact, Some(c.id), &cli(), at)
        .await
        .expect("r"));
    assert!(!store
        .revoke_role_audited(a.id, Role::TechnicalContact, Some(c.id), &cli(), at)
        .await
        .expect("r"));
    let log = actions(&store).await;
    assert_eq!(log.iter().filter(|a| *a == "role.granted").count(), 3);
    assert_eq!(log.iter().filter(|a| *a == "role.revoked").count(), 1);
}

async fn imports_upsert_in_one_transaction(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 24, 1, 0);
    let rows = vec![
        CompanyImport {
            line: 2,
            company: company("株式会社インポート"),
            locations: vec!["東京".into(), "大阪".into()],
        },
        CompanyImport {
            line: 3,
            company: NewCompany {
                locale: "en".into(),
                ..company("Import Inc.")
            },
            locations: vec![],
        },
    ];
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |n: u64| seen.lock().expect("lock").push(n);
    let counts = store
        .import_companies(&rows, &cli(), at, &progress)
        .await
        .expect("import");
    assert_eq!(
        (counts.created, counts.updated, counts.locations),
        (2, 0, 2)
    );
    assert_eq!(*seen.lock().expect("lock"), vec![1, 2]);
    let again = store
        .import_companies(&rows, &cli(), at, &|_| {})
        .await
        .expect("import");
    assert_eq!((again.created, again.updated, again.locations), (0, 2, 0));
    let c = store
        .find_company_by_name("株式会社インポート")
        .await
        .expect("find")
        .expect("found");
    let locations = store.locations(c.id).await.expect("l");
    let people = vec![PersonImport {
        line: 2,
        person: person("imported@example.com", "取込 太郎", "ja"),
        company_id: Some(c.id),
        location_id: Some(locations[0].id),
        role: Some(Role::Apa),
        level: None,
    }];
    let counts = store
        .import_people(&people, &cli(), at, &|_| {})
        .await
        .expect("import");
    assert_eq!((counts.created, counts.roles), (1, 1));
    let members = store.company_members(c.id).await.expect("m");
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, "apa");
    let log = actions(&store).await;
    assert!(log.contains(&"import.companies".to_string()));
    assert!(log.contains(&"role.granted".to_string()));
    let filtered = store
        .list_audit(&AuditFilter {
            action_prefix: Some("import.".into()),
            actor: Some("operator:test".into()),
            limit: 10,
        })
        .await
        .expect("audit");
    assert_eq!(filtered.len(), 3);
    assert!(filtered.iter().all(|e| e.action.starts_with("import.")));
}

async fn a_chat_language_is_saved_per_account_and_replaced(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 27, 1, 0);
    assert_eq!(store.chat_locale("discord:1").await.expect("read"), None);
    store
        .save_chat_locale("discord:1", "en", at)
        .await
        .expect("save");
    store
        .save_chat_locale("console:op", "ja", at)
        .await
        .expect("save");
    store
        .save_chat_locale("discord:1", "ja", at + Duration::minutes(1))
        .await
        .expect("replace");
    assert_eq!(
        store
            .chat_locale("discord:1")
            .await
            .expect("read")
            .as_deref(),
        Some("ja")
    );
    assert_eq!(
        store
            .chat_locale("console:op")
            .await
            .expect("read")
            .as_deref(),
        Some("ja")
    );
    assert_eq!(store.chat_locale("discord:2").await.expect("read"), None);
}

async fn a_chat_event_is_claimed_by_one_replica_only(store: Arc<dyn Store>) {
    let at = instant(2026, 11, 27, 1, 0);
    let event = "discord:interaction:1234";
    assert!(store
        .claim_chat_event(event, "host-a:1", at)
        .await
        .expect("claim"));
    assert!(!store
        .claim_chat_event(event, "host-b:2", at)
        .await
        .expect("claim"));
    assert!(!store
        .claim_chat_event(event, "host-a:1", at)
        .await
        .expect("redelivery"));
    assert_eq!(
        store
            .purge_chat_event_claims(at + Duration::days(2))
            .await
            .expect("purge"),
        1
    );
    assert!(store
        .claim_chat_event(event, "host-b:2", at + Duration::days(2))
        .await
        .expect("claim after purge"));
}

async fn a_join_request_nobody_decides_expires_and_the_person_may_apply_again(
    store: Arc<dyn Store>,
) {
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, _apa, token) = setup(&store, at).await;
    let user = Actor::new("late@example.com", "console");
    let location = locations[0];
    let join = |when: DateTime<Utc>| {
        let store = store.clone();
        let token = token.as_str().to_string();
        let user = user.clone();
        async move {
            store
                .enter_company_token(&entry("late@example.com", &token), &user, when)
                .await
                .expect("enter");
            store
                .create_join_request(
                    &pick("late@example.com", company_id, location),
                    &user,
                    when,
                    &alerts(when),
                )
                .await
                .expect("pick")
        }
    };
    let PickOutcome::Created { request, .. } = join(at).await else {
        panic!("the first request is created")
    };
    let jobs = partnerdesk::daemon::jobs::JobContext::new(
        &partnerdesk::config::Config::default(),
        store.clone(),
    )
    .expect("jobs");
    // 20 business days have not passed yet on 12-18: still pending.
    jobs.approval_escalation(instant(2026, 12, 18, 0, 30))
        .await
        .expect("escalation");
    assert_eq!(
        store
            .join_request_by_id(request.id)
            .await
            .expect("read")
            .expect("row")
            .status,
        "pending"
    );
    // By mid-January it has: expired, the person told, audited; a second run changes nothing.
    let later = instant(2027, 1, 15, 0, 30);
    jobs.approval_escalation(later).await.expect("escalation");
    let expired = store
        .join_request_by_id(request.id)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(expired.status, "expired");
    let notice = by_key(&store, &format!("join-expired:{}", request.id)).await;
    assert_eq!(notice.recipient, "late@example.com");
    assert!(
        notice.subject.contains("株式会社サンプル"),
        "{}",
        notice.subject
    );
    assert!(actions(&store).await.contains(&"join.expired".to_string()));
    let again = jobs.approval_escalation(later).await.expect("again");
    assert_eq!(again.enqueued, 0);
    // The person may apply again.
    assert!(matches!(join(later).await, PickOutcome::Created { .. }));
}

/// Pending for more than 2 business days: the company's APAs; more than 5: the admins too.
/// Exactly 2 (or 5) business days is not yet "more than".
async fn an_undecided_request_reaches_apas_after_two_business_days_and_admins_after_five(
    store: Arc<dyn Store>,
) {
    // Tuesday 2026-11-24 10:00 JST.
    let at = instant(2026, 11, 24, 1, 0);
    let (company_id, locations, apa, token) = setup(&store, at).await;
    let admin = store
        .add_person(&person("admin@example.com", "Admin One", "en"), &cli(), at)
        .await
        .expect("admin");
    store
        .grant_role_audited(&role_grant(admin.id, Role::Admin, None), &cli(), at)
        .await
        .expect("grant admin");
    let user = Actor::new("waiting@example.com", "console");
    let entered = entry("waiting@example.com", token.as_str());
    let request = join_created(&store, &entered, &user, company_id, locations[0], at).await;
    let jobs = partnerdesk::daemon::jobs::JobContext::new(
        &partnerdesk::config::Config::default(),
        store.clone(),
    )
    .expect("jobs");
    let escalations = |store: Arc<dyn Store>| async move {
        let mut keys: Vec<String> = outbox(&store)
            .await
            .into_iter()
            .map(|m| m.dedupe_key)
            .filter(|k| k.starts_with("escalation:"))
            .collect();
        keys.sort();
        keys
    };
    let apa_key = format!("escalation:apa:{}:{}", request.id, apa.id);
    let admin_key = format!("escalation:admin:{}:{}", request.id, admin.id);
    // Thursday 11-26: two business days (Wed, Thu) — not more than two.
    jobs.approval_escalation(instant(2026, 11, 26, 0, 30))
        .await
        .expect("day 2");
    assert!(escalations(store.clone()).await.is_empty());
    // Friday 11-27: three — the APA.
    jobs.approval_escalation(instant(2026, 11, 27, 0, 30))
        .await
        .expect("day 3");
    assert_eq!(
        escalations(store.clone()).await,
        std::slice::from_ref(&apa_key)
    );
    // Tuesday 12-01 (Mon, Tue after the weekend): five — still not the admins.
    jobs.approval_escalation(instant(2026, 12, 1, 0, 30))
        .await
        .expect("day 5");
    assert_eq!(
        escalations(store.clone()).await,
        std::slice::from_ref(&apa_key)
    );
    // Wednesday 12-02: six — the admins, once.
    jobs.approval_escalation(instant(2026, 12, 2, 0, 30))
        .await
        .expect("day 6");
    jobs.approval_escalation(instant(2026, 12, 3, 0, 30))
        .await
        .expect("day 7");
    let mut want = vec![admin_key.clone(), apa_key];
    want.sort();
    assert_eq!(escalations(store.clone()).await, want);
    let mail = by_key(&store, &admin_key).await;
    assert_eq!(mail.recipient, "admin@example.com");
    assert_eq!(mail.locale, "en");
}

macro_rules! workflow_suite {
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

            case!(tokens_rotate_and_the_old_one_stops_working);
            case!(five_failures_within_an_hour_lock_the_user_out);
            case!(join_by_token_alerts_every_apa_and_the_first_decision_wins);
            case!(a_pick_needs_a_current_token_entry);
            case!(a_rejection_carries_its_reason);
            case!(an_apa_adds_a_member_directly);
            case!(registrations_move_through_review_and_mail_the_applicant);
            case!(completion_subjects_never_carry_line_breaks);
            case!(link_codes_expire_and_allow_five_tries);
            case!(a_company_has_exactly_one_primary_contact);
            case!(imports_upsert_in_one_transaction);
            case!(a_chat_language_is_saved_per_account_and_replaced);
            case!(a_chat_event_is_claimed_by_one_replica_only);
            case!(a_join_request_nobody_decides_expires_and_the_person_may_apply_again);
            case!(an_undecided_request_reaches_apas_after_two_business_days_and_admins_after_five);
        }
    };
}

workflow_suite!(sqlite, common::StoreFixture::sqlite());
workflow_suite!(postgres, common::StoreFixture::postgres("wf"));
