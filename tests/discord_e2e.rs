//! The Discord bot end to end: the real serenity client against a fake Discord on loopback
//! (REST + WebSocket gateway). Every test asserts the bot's answer arrived, and that every
//! request body the bot sent is valid under Discord's OpenAPI description.

mod common;

mod fake_discord;

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use fake_discord::{FakeDiscord, Place, Recorded, TOKEN};
use partnerdesk::chat::Desk;
use partnerdesk::clock::ManualClock;
use partnerdesk::config::Config;
use partnerdesk::discord::{self, Bot, Endpoint};
use partnerdesk::notify::outbox::ChatSink;
use partnerdesk::store::OutboxMessage;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(15);
const USER: u64 = 300_000_000_000_000_001;
const DM: Place = Place::Dm {
    channel: 400_000_000_000_000_001,
};
const GUILD: Place = Place::Guild {
    guild: 500_000_000_000_000_001,
    channel: 500_000_000_000_000_002,
};

struct Running {
    fake: FakeDiscord,
    stop: CancellationToken,
    bot: tokio::task::JoinHandle<Result<(), serenity::Error>>,
    http: Arc<serenity::all::Http>,
}

fn desk(store: Option<Arc<dyn partnerdesk::store::Store>>) -> Arc<Desk> {
    // A Tuesday 10:00 JST: PWCS is open.
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 24, 1, 0, 0)
        .single()
        .expect("instant");
    // Requested documents go to a reply-to address (issue 13: the step needs a destination).
    let mut config = Config::default();
    config.registration.documents_reply_to = Some("documents@example.com".into());
    let mut desk = Desk::from_config(&config, Arc::new(ManualClock::new(now))).expect("desk");
    desk.store = store;
    Arc::new(desk)
}

/// A migrated SQLite store in its own folder, and its URL for CLI calls that share it.
async fn sqlite_store() -> (
    Arc<dyn partnerdesk::store::Store>,
    String,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut config = Config::default();
    config.database.url = url.clone();
    let store = partnerdesk::store::open_and_migrate(&config)
        .await
        .expect("store");
    (store, url, dir)
}

async fn start_with(desk: Arc<Desk>, guilds: Vec<u64>) -> Running {
    start_with_handler(discord::handler::Handler::new(desk, guilds)).await
}

async fn start_with_handler(handler: discord::handler::Handler) -> Running {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
    let fake = FakeDiscord::start().await;
    let http = discord::http(
        TOKEN,
        &Endpoint {
            proxy: Some(fake.proxy()),
        },
    );
    let bot = Bot::build_with(http, handler).await.expect("client builds");
    assert_eq!(
        fake.gateway_url_asked(),
        1,
        "the client asks the fake for the gateway URL"
    );
    let http = bot.http();
    let stop = CancellationToken::new();
    let handle = tokio::spawn(bot.run(stop.clone()));
    fake.wait_ready(1, WAIT).await;
    Running {
        fake,
        stop,
        bot: handle,
        http,
    }
}

async fn start() -> Running {
    start_with(desk(None), Vec::new()).await
}

impl Running {
    async fn stop(self) -> FakeDiscord {
        self.stop.cancel();
        let result = tokio::time::timeout(WAIT, self.bot)
            .await
            .expect("the shards close in time")
            .expect("bot task");
        assert!(result.is_ok(), "the client stopped cleanly: {result:?}");
        let violations = self.fake.violations();
        assert!(
            violations.is_empty(),
            "requests that break Discord's API description:\n{}",
            violations.join("\n")
        );
        self.fake
    }

    /// Sends an interaction and waits for its callback.
    async fn interact(&self, interaction: Value) -> Recorded {
        let from = self.fake.mark();
        let id = interaction["id"].as_str().expect("id").to_string();
        let token = interaction["token"].as_str().expect("token").to_string();
        self.fake.dispatch("INTERACTION_CREATE", interaction);
        let path = format!("/interactions/{id}/{token}/callback");
        self.fake
            .wait_request(from, WAIT, |r| r.method == "POST" && r.path == path)
            .await
    }

    /// Submits the form `custom_id` as `user` in a DM, with one field filled.
    async fn submit(&self, user: u64, custom_id: &str, field: (&str, &str)) -> Recorded {
        let id = self.fake.next_id();
        self.interact(fake_discord::modal_submit(
            id,
            &format!("m-{id}"),
            user,
            "en-US",
            DM,
            custom_id,
            field,
        ))
        .await
    }

    async fn slash(&self, locale: &str, place: Place, name: &str, options: Value) -> Recorded {
        let id = self.fake.next_id();
        let token = format!("itoken-{id}");
        self.interact(fake_discord::slash(
            id, &token, USER, locale, place, name, options,
        ))
        .await
    }
}

fn content(callback: &Recorded) -> String {
    callback.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn ephemeral(callback: &Recorded) -> bool {
    callback.body["data"]["flags"].as_u64().unwrap_or(0) & 64 == 64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connects_registers_localized_commands_and_uses_minimal_intents() {
    let running = start().await;
    let put = running
        .fake
        .wait_request(0, WAIT, |r| {
            r.method == "PUT"
                && r.path == format!("/applications/{}/commands", fake_discord::APP_ID)
        })
        .await;
    let commands = put.body.as_array().expect("array of commands");
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for expected in [
        "ask", "hours", "renewal", "lang", "join", "approve", "reject", "token", "review",
    ] {
        assert!(
            names.contains(&expected),
            "/{expected} registered: {names:?}"
        );
    }
    let hours = commands
        .iter()
        .find(|c| c["name"] == "hours")
        .expect("hours");
    for locale in ["ja", "en-US", "en-GB"] {
        assert!(
            hours["description_localizations"][locale].is_string(),
            "{locale}"
        );
        assert!(hours["name_localizations"][locale].is_string(), "{locale}");
    }
    assert_ne!(
        hours["description_localizations"]["ja"],
        hours["description_localizations"]["en-US"]
    );
    let lang = commands.iter().find(|c| c["name"] == "lang").expect("lang");
    assert_eq!(lang["options"][0]["choices"][0]["value"], "ja");
    assert!(lang["options"][0]["choices"][0]["name_localizations"]["ja"].is_string());
    // GUILD_MESSAGES (1 << 9) | DIRECT_MESSAGES (1 << 12), nothing privileged.
    assert_eq!(running.fake.intents(), Some((1 << 9) | (1 << 12)));
    // Idempotent: the JSON of `partnerdesk discord commands` is exactly what was PUT.
    assert_eq!(put.body, discord::commands::definitions_json());
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_per_guild_when_guilds_are_configured() {
    let running = start_with(desk(None), vec![77, 78]).await;
    for guild in [77, 78] {
        running
            .fake
            .wait_request(0, WAIT, |r| {
                r.method == "PUT"
                    && r.path
                        == format!(
                            "/applications/{}/guilds/{guild}/commands",
                            fake_discord::APP_ID
                        )
            })
            .await;
    }
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_answer_in_the_interaction_locale_and_the_saved_choice() {
    let running = start().await;
    let en = running.slash("en-GB", GUILD, "hours", json!([])).await;
    assert!(content(&en).contains("0120-07-2004"), "{}", content(&en));
    assert!(content(&en).is_ascii() || content(&en).contains("PWCS"));
    assert!(!ephemeral(&en), "opening hours are public knowledge");

    let ja = running.slash("ja", GUILD, "hours", json!([])).await;
    assert!(content(&ja).contains("0120-07-2004"));
    assert_ne!(content(&ja), content(&en), "Japanese for a ja client");

    // The saved choice wins over the interaction's locale.
    let set = running
        .slash(
            "ja",
            DM,
            "lang",
            json!([{"name": "language", "type": 3, "value": "en"}]),
        )
        .await;
    assert!(ephemeral(&set));
    let after = running.slash("ja", GUILD, "hours", json!([])).await;
    assert_eq!(content(&after), content(&en));

    // Options arrive typed and reach the core as `key:value`.
    let renewal = running
        .slash(
            "en-US",
            DM,
            "renewal",
            json!([{"name": "date", "type": 3, "value": "2026-03-31"}]),
        )
        .await;
    assert!(content(&renewal).contains("2026"), "{}", content(&renewal));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_language_survives_a_restart_of_the_bot() {
    let (store, _url, _dir) = sqlite_store().await;

    let running = start_with(desk(Some(store.clone())), Vec::new()).await;
    let en = running.slash("en-US", GUILD, "hours", json!([])).await;
    let ja = running.slash("ja", GUILD, "hours", json!([])).await;
    assert_ne!(content(&en), content(&ja));
    let set = running
        .slash(
            "ja",
            DM,
            "lang",
            json!([{"name": "language", "type": 3, "value": "en"}]),
        )
        .await;
    assert!(ephemeral(&set));
    running.stop().await;

    // A new process (or another replica) on the same database: the choice still wins over
    // the interaction's ja locale.
    let running = start_with(desk(Some(store.clone())), Vec::new()).await;
    let after = running.slash("ja", GUILD, "hours", json!([])).await;
    assert_eq!(content(&after), content(&en), "the saved English choice");
    assert_eq!(
        store
            .chat_locale(&format!("discord:{USER}"))
            .await
            .expect("read")
            .as_deref(),
        Some("en")
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_then_edited_in() {
    let (store, _url, _dir) = sqlite_store().await;
    // A zero deferral acknowledges every interaction first, as a slow database would.
    let handler = discord::handler::Handler::new(desk(Some(store)), Vec::new())
        .with_defer_after(Duration::ZERO);
    let running = start_with_handler(handler).await;
    let from = running.fake.mark();
    let callback = running.slash("en-US", GUILD, "hours", json!([])).await;
    assert_eq!(callback.body["type"], 5, "deferred: {}", callback.body);
    assert_eq!(
        callback.body["data"]["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "the thinking state is ephemeral"
    );
    let edit = running
        .fake
        .wait_request(from, WAIT, |r| {
            r.method == "PATCH" && r.path.ends_with("/messages/@original")
        })
        .await;
    assert!(
        edit.path
            .starts_with(&format!("/webhooks/{}/", fake_discord::APP_ID)),
        "{}",
        edit.path
    );
    assert!(
        edit.body["content"]
            .as_str()
            .unwrap_or_default()
            .contains("0120-07-2004"),
        "the answer replaces the thinking state: {}",
        edit.body
    );
    running.stop().await;
}

/// `partnerdesk run` with a token: the daemon starts the bot beside the scheduler and the
/// dispatcher, answers through it, closes the gateway session on SIGTERM and exits 0 in time;
/// the token never reaches the log, even at debug level.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_runs_the_bot_and_closes_its_shards_on_sigterm() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let log_path = dir.path().join("daemon.log");
    let log = std::fs::File::create(&log_path).expect("log");
    let http_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let mut command = common::partnerdesk_binary();
    let mut daemon = command
        .current_dir(dir.path())
        .arg("run")
        .env("PARTNERDESK_DISCORD__TOKEN", TOKEN)
        .env("PARTNERDESK_DISCORD__API_PROXY", fake.proxy())
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{http_port}"))
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn the daemon");

    fake.wait_ready(1, WAIT).await;
    assert_eq!(
        fake.gateway_url_asked(),
        1,
        "asked the fake, not discord.com"
    );
    let from = fake.mark();
    let id = fake.next_id();
    let token = format!("itoken-{id}");
    fake.dispatch(
        "INTERACTION_CREATE",
        fake_discord::slash(id, &token, USER, "en-US", DM, "hours", json!([])),
    );
    let path = format!("/interactions/{id}/{token}/callback");
    let callback = fake
        .wait_request(from, WAIT, |r| r.method == "POST" && r.path == path)
        .await;
    assert!(
        content(&callback).contains("0120-07-2004"),
        "{}",
        content(&callback)
    );

    let sent = std::process::Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = daemon.try_wait().expect("try_wait") {
            break status;
        }
        if std::time::Instant::now() >= deadline {
            let _ = daemon.kill();
            panic!(
                "the daemon did not exit within 5 s of SIGTERM:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status}");
    assert_eq!(fake.closed_by_bot(), 1, "the shard closed its session");
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(log.contains("connected to the Discord gateway"), "{log}");
    assert!(!log.contains(TOKEN), "the token leaked into the log");
    let violations = fake.violations();
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_goes_to_the_question_matcher() {
    let running = start().await;
    let answer = running
        .slash(
            "en-US",
            GUILD,
            "ask",
            json!([{"name": "question", "type": 3, "value": "What are the support hours?"}]),
        )
        .await;
    assert!(
        content(&answer).contains("0120-07-2004"),
        "{}",
        content(&answer)
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_commands_are_private_in_public_channels() {
    let running = start().await;
    // No database here: the workflow answers that it cannot, and says so only to the asker.
    let status = running.slash("en-US", GUILD, "status", json!([])).await;
    assert!(ephemeral(&status), "{:?}", status.body);
    let token = running
        .slash(
            "en-US",
            GUILD,
            "token",
            json!([{"name": "rotate", "type": 1, "options": []}]),
        )
        .await;
    assert!(ephemeral(&token));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dms_and_mentions_are_answered_and_other_messages_ignored() {
    let running = start().await;
    let fake = &running.fake;
    let dm_channel = match DM {
        Place::Dm { channel } => channel,
        Place::Guild { .. } => unreachable!(),
    };
    let from = fake.mark();
    fake.dispatch(
        "MESSAGE_CREATE",
        fake_discord::user_message(fake.next_id(), USER, DM, "PWCS の受付時間は？", false),
    );
    let reply = fake
        .wait_request(from, WAIT, |r| {
            r.method == "POST" && r.path == format!("/channels/{dm_channel}/messages")
        })
        .await;
    let text = reply.body["content"].as_str().unwrap_or_default();
    assert!(text.contains("0120-07-2004"), "{text}");
    assert!(!text.is_ascii(), "answered in Japanese: {text}");

    // A channel message without a mention is not for the bot; one with a mention is.
    let Place::Guild { channel, .. } = GUILD else {
        unreachable!()
    };
    let from = fake.mark();
    fake.dispatch(
        "MESSAGE_CREATE",
        fake_discord::user_message(fake.next_id(), USER, GUILD, "what are the hours?", false),
    );
    let mention = format!("<@{}> what are the support hours?", fake_discord::BOT_ID);
    fake.dispatch(
        "MESSAGE_CREATE",
        fake_discord::user_message(fake.next_id(), USER, GUILD, &mention, true),
    );
    let reply = fake
        .wait_request(from, WAIT, |r| {
            r.method == "POST" && r.path == format!("/channels/{channel}/messages")
        })
        .await;
    assert!(reply.body["content"]
        .as_str()
        .unwrap_or_default()
        .contains("0120-07-2004"));
    assert!(
        reply.body["message_reference"].is_object(),
        "a reply to the message"
    );
    assert_eq!(reply.body["allowed_mentions"]["parse"], json!([]));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answered = fake
        .requests()
        .iter()
        .skip(from)
        .filter(|r| r.path.ends_with("/messages"))
        .count();
    assert_eq!(answered, 1, "only the mention was answered");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn button_presses_are_authorized_and_idempotent() {
    let (store, _url, _dir) = sqlite_store().await;
    let running = start_with(desk(Some(store)), Vec::new()).await;
    let mut texts = Vec::new();
    for _ in 0..2 {
        let id = running.fake.next_id();
        let token = format!("ptoken-{id}");
        let callback = running
            .interact(fake_discord::press(
                id,
                &token,
                USER,
                "en-US",
                DM,
                "join:approve:42",
            ))
            .await;
        assert!(ephemeral(&callback));
        texts.push(content(&callback));
    }
    assert!(!texts[0].is_empty());
    assert_eq!(texts[0], texts[1], "a repeated press gives the same answer");
    // A stranger is not an APA of anything: refused (asked to link an identity first).
    assert!(texts[0].contains("/link"), "{}", texts[0]);

    let id = running.fake.next_id();
    let callback = running
        .interact(fake_discord::press(
            id,
            "t",
            USER,
            "en-US",
            GUILD,
            "nobody:knows:this",
        ))
        .await;
    assert!(content(&callback).contains("nobody:knows:this"));
    assert!(ephemeral(&callback));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_alerts_go_out_as_dms_with_buttons_and_errors_are_classified() {
    let running = start().await;
    let sink = discord::DiscordSink::new(running.http.clone());
    let row = |recipient: &str, payload: Option<&str>| OutboxMessage {
        id: 1,
        channel: "discord".into(),
        recipient: recipient.into(),
        subject: "Join request #42".into(),
        body_text: "Taro Yamada asks to join Example KK.".into(),
        body_html: None,
        payload: payload.map(str::to_string),
        locale: "en".into(),
        dedupe_key: "join-alert:42:1".into(),
        status: "sending".into(),
        attempts: 1,
        next_attempt_at: chrono::Utc::now(),
        last_error: None,
        created_at: chrono::Utc::now(),
        sent_at: None,
    };
    let payload = r#"{"buttons":[{"id":"join:approve:42","label":"Approve","style":"success"},{"id":"join:reject:42","label":"Reject","style":"danger"}]}"#;
    let from = running.fake.mark();
    sink.deliver(&row(&USER.to_string(), Some(payload)))
        .await
        .expect("delivered");
    let requests: Vec<Recorded> = running.fake.requests().into_iter().skip(from).collect();
    assert_eq!(requests[0].path, "/users/@me/channels");
    assert_eq!(requests[0].body["recipient_id"], USER.to_string());
    let message = &requests[1];
    assert!(message.path.ends_with("/messages"));
    assert_eq!(message.body["embeds"][0]["title"], "Join request #42");
    let buttons = &message.body["components"][0]["components"];
    assert_eq!(buttons[0]["custom_id"], "join:approve:42");
    assert_eq!(buttons[1]["style"], 4);

    // A channel post mentions and pings only the named users.
    let from = running.fake.mark();
    sink.deliver(&row("channel:123456", Some(r#"{"mentions":["777"]}"#)))
        .await
        .expect("posted");
    let post = running
        .fake
        .wait_request(from, WAIT, |r| r.path == "/channels/123456/messages")
        .await;
    assert!(post.body["content"]
        .as_str()
        .unwrap_or_default()
        .contains("<@777>"));
    assert_eq!(post.body["allowed_mentions"]["users"], json!(["777"]));

    // A weekly digest: no buttons, and longer than an embed: it goes out as plain messages,
    // each within Discord's 2,000 characters, nothing lost.
    let from = running.fake.mark();
    let long_body: String = (0..120)
        .map(|i| {
            format!(
                "- 2026-12-{:02} Example KK / Aspera Faspex (contract C-{i:03})\n",
                i % 28 + 1
            )
        })
        .collect();
    let digest = OutboxMessage {
        body_text: long_body.clone(),
        subject: "Renewals in the next 30 days".into(),
        ..row(&USER.to_string(), Some(r#"{"buttons":[]}"#))
    };
    sink.deliver(&digest).await.expect("digest delivered");
    let messages: Vec<Recorded> = running
        .fake
        .requests()
        .into_iter()
        .skip(from)
        .filter(|r| r.path.ends_with("/messages"))
        .collect();
    assert!(messages.len() >= 2, "{}", messages.len());
    let mut text = String::new();
    for m in &messages {
        let content = m.body["content"].as_str().unwrap_or_default();
        assert!(content.chars().count() <= 2000);
        assert!(m
            .body
            .get("components")
            .is_none_or(|c| c.as_array().is_none_or(Vec::is_empty)));
        text.push_str(content);
    }
    assert!(text.contains("C-000") && text.contains("C-119"), "{text}");

    // 429 is waited out and tried again; 5xx is temporary; 403 is permanent with the reason.
    running.fake.script("POST", "/channels/123456/messages", 429,
        json!({"message": "You are being rate limited.", "retry_after": 0.3, "global": false, "code": 0}));
    let from = running.fake.mark();
    sink.deliver(&row("channel:123456", None))
        .await
        .expect("retried after 429");
    let tries: Vec<_> = running.fake.requests()[from..]
        .iter()
        .filter(|r| r.path == "/channels/123456/messages")
        .map(|r| r.at)
        .collect();
    assert_eq!(tries.len(), 2, "one 429, then one successful retry");
    assert!(
        tries[1].duration_since(tries[0]) >= Duration::from_millis(300),
        "the retry waited retry_after (0.3 s), not {:?}",
        tries[1].duration_since(tries[0])
    );
    running.fake.script("POST", "/channels/123456/messages", 429,
        json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false, "code": 0}));
    running.fake.script("POST", "/channels/123456/messages", 429,
        json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false, "code": 0}));
    let err = sink
        .deliver(&row("channel:123456", None))
        .await
        .expect_err("429 twice");
    assert!(err.is_temporary(), "{err:?}");
    assert_eq!(
        err.retry_after(),
        Some(Duration::from_millis(200)),
        "the dispatcher is told Discord's retry_after"
    );
    running.fake.script(
        "POST",
        "/channels/123456/messages",
        502,
        json!({"message": "Bad Gateway", "code": 0}),
    );
    let err = sink
        .deliver(&row("channel:123456", None))
        .await
        .expect_err("502");
    assert!(err.is_temporary(), "{err:?}");
    running.fake.script(
        "POST",
        "/channels/123456/messages",
        403,
        json!({"message": "Cannot send messages to this user", "code": 50007}),
    );
    let err = sink
        .deliver(&row("channel:123456", None))
        .await
        .expect_err("403");
    assert!(!err.is_temporary());
    assert!(
        err.reason().contains("50007") && err.reason().contains("403"),
        "{}",
        err.reason()
    );
    let err = sink
        .deliver(&row("not-a-user", None))
        .await
        .expect_err("bad recipient");
    assert!(!err.is_temporary());

    // Over 2,000 characters: split cleanly on lines, every part within the limit.
    let mut long = row("channel:123456", None);
    long.body_text = (0..300)
        .map(|i| format!("line {i} of a long notice"))
        .collect::<Vec<_>>()
        .join("\n");
    long.body_text.push_str(&"\nmore".repeat(1000));
    let from = running.fake.mark();
    sink.deliver(&long).await.expect("long delivered");
    let parts: Vec<Recorded> = running.fake.requests().into_iter().skip(from).collect();
    assert!(parts.len() >= 4, "{}", parts.len());
    for part in &parts {
        let text = part.body["content"].as_str().unwrap_or_default();
        assert!(text.chars().count() <= 2000);
        assert!(!text.starts_with('\n') && !text.ends_with('\n'));
    }
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_is_recovered_and_the_bot_keeps_answering() {
    let running = start().await;
    let before = running.slash("en-US", DM, "hours", json!([])).await;
    assert!(content(&before).contains("0120-07-2004"));
    running.fake.drop_gateway();
    running.fake.wait_ready(2, Duration::from_secs(30)).await;
    assert!(running.fake.connections() >= 2);
    let after = running.slash("en-US", DM, "hours", json!([])).await;
    assert_eq!(running.fake.resumes(), 1, "the session was resumed");
    assert_eq!(content(&after), content(&before));
    running.stop().await;
}

#[test]
fn the_request_validator_catches_bad_bodies() {
    use fake_discord::openapi::check_request;
    let ok = json!({"type": 4, "data": {"content": "hi", "flags": 64}});
    assert!(check_request("POST", "/interactions/1/tok/callback", &ok).is_empty());
    let long = json!({"type": 4, "data": {"content": "x".repeat(2001)}});
    assert!(!check_request("POST", "/interactions/1/tok/callback", &long).is_empty());
    let bad_button = json!({"content": "x", "components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "custom_id": "a".repeat(101), "label": "l"}]}]});
    assert!(!check_request("POST", "/channels/1/messages", &bad_button).is_empty());
    let six_buttons: Vec<Value> = (0..6)
        .map(|i| json!({"type": 2, "style": 1, "custom_id": format!("b{i}"), "label": "l"}))
        .collect();
    let crowded = json!({"content": "x", "components": [{"type": 1, "components": six_buttons}]});
    assert!(!check_request("POST", "/channels/1/messages", &crowded).is_empty());
    assert!(!check_request("POST", "/no/such/route", &json!({})).is_empty());
}

#[test]
fn the_printed_commands_fit_discords_schema() {
    let body = discord::commands::definitions_json();
    let errors = fake_discord::openapi::check_request("PUT", "/applications/1/commands", &body);
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The operator's CLI against the test database.
fn cli(url: &str, args: &[&str]) -> String {
    let mut cmd = common::partnerdesk_binary();
    let out = cmd
        .env("PARTNERDESK_DATABASE__URL", url)
        .env("USER", "ops")
        .args(args)
        .output()
        .expect("run partnerdesk");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{args:?}: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn cli_json(url: &str, args: &[&str]) -> Value {
    let out = cli(url, args);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// The six-digit code of the newest link mail to `ibm_id`, read from the outbox.
async fn link_code(store: &dyn partnerdesk::store::Store, ibm_id: &str) -> String {
    let rows = store.outbox_messages(None, 1000).await.expect("outbox");
    let row = rows
        .iter()
        .rfind(|r| r.recipient == ibm_id)
        .unwrap_or_else(|| panic!("no mail to {ibm_id}"));
    let chars: Vec<char> = row.body_text.chars().collect();
    (0..chars.len().saturating_sub(5))
        .find(|&i| {
            chars[i..i + 6].iter().all(char::is_ascii_digit)
                && !chars.get(i + 6).is_some_and(char::is_ascii_digit)
                && (i == 0 || !chars[i - 1].is_ascii_digit())
        })
        .map(|i| chars[i..i + 6].iter().collect())
        .unwrap_or_else(|| panic!("no code in {}", row.body_text))
}

fn buttons_of(callback: &Recorded) -> Vec<String> {
    let data = if callback.body["data"].is_object() {
        &callback.body["data"]
    } else {
        &callback.body
    };
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apa_approves_a_join_request_with_buttons_once() {
    let (store, url, _dir) = sqlite_store().await;
    let company = cli_json(
        &url,
        &[
            "company",
            "add",
            "--name",
            "Example KK",
            "--lang",
            "en",
            "--json",
        ],
    )["id"]
        .as_i64()
        .expect("company id");
    let c = company.to_string();
    let location = cli_json(
        &url,
        &[
            "location",
            "add",
            "--company",
            &c,
            "--name",
            "Tokyo HQ",
            "--json",
        ],
    )["id"]
        .as_i64()
        .expect("location id");
    cli(
        &url,
        &[
            "person",
            "add",
            "--ibm-id",
            "apa@example.com",
            "--name",
            "Hanako APA",
            "--lang",
            "en",
        ],
    );
    cli(
        &url,
        &[
            "role",
            "grant",
            "--ibm-id",
            "apa@example.com",
            "--role",
            "apa",
            "--company",
            &c,
        ],
    );
    let token = cli_json(&url, &["token", "rotate", "--company", &c, "--json"])["token"]
        .as_str()
        .expect("token")
        .to_string();

    let running = start_with(desk(Some(store.clone())), Vec::new()).await;
    let as_user = |user: u64, place: Place, name: &'static str, options: Value| {
        let id = running.fake.next_id();
        let token = format!("t-{id}");
        running.interact(fake_discord::slash(
            id, &token, user, "en-US", place, name, options,
        ))
    };
    let press = |user: u64, custom_id: String| {
        let id = running.fake.next_id();
        let token = format!("p-{id}");
        running.interact(fake_discord::press(
            id, &token, user, "en-US", DM, &custom_id,
        ))
    };
    const NEWBIE: u64 = 310_000_000_000_000_001;
    const APA: u64 = 320_000_000_000_000_001;
    for (user, ibm_id) in [(NEWBIE, "new@example.com"), (APA, "apa@example.com")] {
        let sent = as_user(
            user,
            DM,
            "link",
            json!([{"name": "ibm-id", "type": 3, "value": ibm_id}]),
        )
        .await;
        assert!(content(&sent).contains(ibm_id), "{}", content(&sent));
        let code = link_code(store.as_ref(), ibm_id).await;
        let linked = as_user(
            user,
            DM,
            "verify",
            json!([{"name": "code", "type": 3, "value": code}]),
        )
        .await;
        assert!(content(&linked).contains(ibm_id), "{}", content(&linked));
    }

    // The newcomer joins by token and picks the location with a button.
    let join = as_user(
        NEWBIE,
        GUILD,
        "join",
        json!([{"name": "token", "type": 3, "value": token}]),
    )
    .await;
    assert!(ephemeral(&join), "a token answer is private");
    let pick = format!("join:pick:{company}:{location}");
    assert_eq!(buttons_of(&join), vec![pick.clone()]);
    let picked = press(NEWBIE, pick).await;
    assert!(
        content(&picked).contains("Tokyo HQ"),
        "{}",
        content(&picked)
    );
    let joins = cli(&url, &["join", "list", "--company", &c, "--json"]);
    let request: Value =
        serde_json::from_str(joins.lines().next().expect("a join request")).expect("json");
    let request = request["id"].as_i64().expect("id");

    // The newcomer cannot approve themself.
    let refused = press(NEWBIE, format!("join:level:{request}:administrator")).await;
    assert!(
        !content(&refused).contains("approved"),
        "{}",
        content(&refused)
    );

    // The APA lists pending requests (header + one message per request, as follow-ups).
    let from = running.fake.mark();
    let pending = as_user(APA, GUILD, "pending", json!([])).await;
    assert!(ephemeral(&pending));
    let followup = running
        .fake
        .wait_request(from, WAIT, |r| {
            r.method == "POST" && r.path.starts_with("/webhooks/")
        })
        .await;
    assert_eq!(
        followup.body["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "follow-ups are ephemeral too"
    );
    assert!(buttons_of(&followup).contains(&format!("join:approve:{request}")));

    // Reject opens a form for the reason (a modal); the APA closes it and approves instead.
    let form = press(APA, format!("join:reject:{request}")).await;
    assert_eq!(form.body["type"], 9, "a modal: {}", form.body);
    let modal_id = form.body["data"]["custom_id"]
        .as_str()
        .expect("modal custom_id")
        .to_string();
    assert_eq!(modal_id, format!("prompt:reject:reason:request={request}"));
    let input = &form.body["data"]["components"][0]["components"][0];
    assert_eq!(
        (input["type"].as_u64(), input["custom_id"].as_str()),
        (Some(4), Some("reason"))
    );

    let levels = press(APA, format!("join:approve:{request}")).await;
    assert_eq!(
        buttons_of(&levels),
        ["basic", "standard", "administrator"]
            .map(|l| format!("join:level:{request}:{l}"))
            .to_vec()
    );
    let approved = press(APA, format!("join:level:{request}:standard")).await;
    assert!(
        content(&approved).contains("new@example.com"),
        "{}",
        content(&approved)
    );
    // Pressing again (a double click, another replica, after a restart): decided once.
    let again = press(APA, format!("join:level:{request}:basic")).await;
    assert!(
        content(&again).contains("Hanako APA"),
        "{}",
        content(&again)
    );
    // The form submitted late (another APA's decision came first): refused politely, naming
    // who decided.
    let late = running
        .submit(APA, &modal_id, ("reason", "not an employee"))
        .await;
    assert!(ephemeral(&late));
    assert!(
        content(&late).contains("Hanako APA") && content(&late).contains("approved"),
        "{}",
        content(&late)
    );
    let joins = cli(&url, &["join", "list", "--company", &c, "--json"]);
    let row: Value = serde_json::from_str(joins.lines().next().expect("row")).expect("json");
    assert_eq!(row["status"], "approved");
    assert_eq!(row["permission_level"], "standard");
    assert_eq!(row["decided_via"], "discord");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_reviews_a_registration_with_buttons_and_a_form() {
    let (store, url, _dir) = sqlite_store().await;
    let company = cli_json(&url, &["company", "add", "--name", "Review KK", "--json"])["id"]
        .as_i64()
        .expect("company id")
        .to_string();
    cli(
        &url,
        &[
            "person",
            "add",
            "--ibm-id",
            "admin@example.com",
            "--name",
            "Admin",
            "--lang",
            "en",
        ],
    );
    cli(
        &url,
        &[
            "role",
            "grant",
            "--ibm-id",
            "admin@example.com",
            "--role",
            "admin",
        ],
    );
    let registration = cli_json(
        &url,
        &[
            "registration",
            "submit",
            "--company",
            &company,
            "--applicant",
            "applicant@example.com",
            "--json",
        ],
    )["id"]
        .as_i64()
        .expect("registration id");

    let running = start_with(desk(Some(store.clone())), Vec::new()).await;
    const ADMIN: u64 = 330_000_000_000_000_001;
    let slash = |name: &'static str, options: Value| {
        let id = running.fake.next_id();
        running.interact(fake_discord::slash(
            id,
            &format!("t-{id}"),
            ADMIN,
            "en-US",
            DM,
            name,
            options,
        ))
    };
    let press = |custom_id: String| {
        let id = running.fake.next_id();
        running.interact(fake_discord::press(
            id,
            &format!("p-{id}"),
            ADMIN,
            "en-US",
            DM,
            &custom_id,
        ))
    };
    slash(
        "link",
        json!([{"name": "ibm-id", "type": 3, "value": "admin@example.com"}]),
    )
    .await;
    let code = link_code(store.as_ref(), "admin@example.com").await;
    slash(
        "verify",
        json!([{"name": "code", "type": 3, "value": code}]),
    )
    .await;

    // /review list: the application with its review steps as buttons.
    let list = slash(
        "review",
        json!([{"name": "list", "type": 1, "options": []}]),
    )
    .await;
    assert!(content(&list).contains("Review KK"), "{}", content(&list));
    assert_eq!(
        buttons_of(&list),
        ["start", "request-documents", "complete", "reject"]
            .map(|s| format!("review:{s}:{registration}"))
            .to_vec()
    );
    let started = press(format!("review:start:{registration}")).await;
    assert!(
        content(&started).contains("Review KK"),
        "{}",
        content(&started)
    );

    // Request documents: a form for the note; submitting it mails the applicant.
    let form = press(format!("review:request-documents:{registration}")).await;
    assert_eq!(form.body["type"], 9, "{}", form.body);
    let modal_id = form.body["data"]["custom_id"]
        .as_str()
        .expect("id")
        .to_string();
    let done = running
        .submit(
            ADMIN,
            &modal_id,
            ("note", "Certificate of registration (履歴事項全部証明書)"),
        )
        .await;
    assert!(ephemeral(&done));
    let rows = store.outbox_messages(None, 100).await.expect("outbox");
    let mail = rows
        .iter()
        .find(|m| m.recipient == "applicant@example.com")
        .expect("the applicant is mailed");
    assert!(
        mail.body_text.contains("履歴事項全部証明書"),
        "{}",
        mail.body_text
    );
    let shown = cli_json(
        &url,
        &["registration", "show", &registration.to_string(), "--json"],
    );
    assert_eq!(shown["status"], "documents-requested", "{shown}");
    running.stop().await;
}

/// Every replica's bot receives every gateway event; the claim in the shared database makes
/// exactly one of them answer. Delivering the same interaction and the same message twice (as
/// two replicas would each receive them) gets one answer each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_seen_by_two_replicas_is_answered_once() {
    let (store, _url, _dir) = sqlite_store().await;
    let running = start_with(desk(Some(store)), Vec::new()).await;

    let id = running.fake.next_id();
    let token = format!("twice-{id}");
    let interaction = fake_discord::slash(id, &token, USER, "en-US", DM, "hours", json!([]));
    let from = running.fake.mark();
    running
        .fake
        .dispatch("INTERACTION_CREATE", interaction.clone());
    running.fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/interactions/{id}/{token}/callback");
    running
        .fake
        .wait_request(from, WAIT, |r| r.path == path)
        .await;

    let message_id = running.fake.next_id();
    let message = fake_discord::user_message(
        message_id,
        USER,
        DM,
        "What is the PWCS phone number?",
        false,
    );
    running.fake.dispatch("MESSAGE_CREATE", message.clone());
    running.fake.dispatch("MESSAGE_CREATE", message);
    running
        .fake
        .wait_request(from, WAIT, |r| {
            r.method == "POST" && r.path.ends_with("/messages")
        })
        .await;

    // Give a second answer every chance to arrive before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = running.fake.requests();
    let callbacks = requests[from..].iter().filter(|r| r.path == path).count();
    assert_eq!(callbacks, 1, "one answer to the interaction");
    let answers = requests[from..]
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .count();
    assert_eq!(answers, 1, "one answer to the message");
    running.stop().await;
}

/// Discord answers carry 👍/👎 buttons; a press records the feedback, and a 👎 puts the
/// question on `questions unanswered`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_carry_feedback_buttons_that_record_a_vote() {
    let (store, url, _dir) = sqlite_store().await;
    let running = start_with(desk(Some(store.clone())), Vec::new()).await;
    let answer = running
        .slash(
            "en-US",
            DM,
            "ask",
            json!([{"name": "question", "type": 3, "value": "What is the PWCS phone number?"}]),
        )
        .await;
    assert!(content(&answer).contains("0120-07-2004"));
    let buttons = buttons_of(&answer);
    let down = buttons
        .iter()
        .find(|b| b.starts_with("desk:feedback:down:"))
        .cloned()
        .unwrap_or_else(|| panic!("a 👎 button: {buttons:?}"));
    assert!(buttons.iter().any(|b| b.starts_with("desk:feedback:up:")));
    let id = running.fake.next_id();
    let pressed = running
        .interact(fake_discord::press(
            id,
            &format!("p-{id}"),
            USER,
            "en-US",
            DM,
            &down,
        ))
        .await;
    assert!(
        content(&pressed).contains("Thank you"),
        "{}",
        content(&pressed)
    );
    let listing = cli_json(&url, &["questions", "unanswered", "--json"]);
    assert_eq!(listing["outcomes"][0], "thumbs-down", "{listing}");
    assert!(
        listing["example"]
            .as_str()
            .is_some_and(|e| e.contains("PWCS phone number")),
        "{listing}"
    );
    running.stop().await;
}
