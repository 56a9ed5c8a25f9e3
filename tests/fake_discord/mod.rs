//! A fake Discord on loopback for the tests: the REST API under `/api/v10` (every request
//! recorded, and its JSON body validated against Discord's OpenAPI description in
//! `tests/data/discord/openapi.json`, a copy of `shared/discord/openapi.json`) and a WebSocket
//! gateway at `/gateway` speaking HELLO,
//! IDENTIFY → READY, HEARTBEAT → ACK, RESUME → RESUMED, and the dispatches a test sends.
//! Like Discord, it answers 401 to a REST call without the bot token, and closes the gateway
//! with 4004 on an IDENTIFY with a wrong one.
#![allow(dead_code)]

pub mod openapi;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

pub const BOT_ID: u64 = 900_000_000_000_000_001;
pub const APP_ID: u64 = 900_000_000_000_000_002;
pub const TOKEN: &str = "fake-bot-token.for-tests-only";

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub at: Instant,
}

/// A scripted answer for the next request matching `method` and a path suffix.
struct Scripted {
    method: String,
    path_contains: String,
    status: u16,
    body: Value,
    retry_after: Option<f64>,
}

enum GatewayCommand {
    Dispatch(String, Value),
    Drop,
}

#[derive(Default)]
struct Gateway {
    sender: Option<mpsc::UnboundedSender<GatewayCommand>>,
    identifies: u64,
    resumes: u64,
    connections: u64,
    intents: Option<u64>,
    token_ok: bool,
    /// Sessions the bot ended with a close frame (a graceful shutdown).
    closed_by_bot: u64,
}

pub struct Shared {
    requests: Mutex<Vec<Recorded>>,
    violations: Mutex<Vec<String>>,
    scripted: Mutex<VecDeque<Scripted>>,
    gateway: Mutex<Gateway>,
    gateway_url_asked: AtomicU64,
    seq: AtomicU64,
    ids: AtomicU64,
    changed: Notify,
    addr: Mutex<Option<SocketAddr>>,
}

/// The running fake.
pub struct FakeDiscord {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    pub async fn start() -> Self {
        // Loads (and so checks) the spec before anything else: a missing file fails loudly.
        openapi::spec();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            violations: Mutex::new(Vec::new()),
            scripted: Mutex::new(VecDeque::new()),
            gateway: Mutex::new(Gateway::default()),
            gateway_url_asked: AtomicU64::new(0),
            seq: AtomicU64::new(0),
            // Like Discord's snowflakes, ids never repeat, not even across fakes: a bot
            // restarted on the same database must not see an old interaction id again.
            ids: AtomicU64::new(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| (d.as_micros() as u64 % 1_000_000_000_000) * 16)
                    .unwrap_or(1_000),
            ),
            changed: Notify::new(),
            addr: Mutex::new(None),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Discord");
        let addr = listener.local_addr().expect("address");
        *shared.addr.lock().expect("lock") = Some(addr);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            shared,
            server,
        }
    }

    /// `http://127.0.0.1:PORT`, the proxy serenity sends every REST call to.
    pub fn proxy(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    pub fn gateway_url_asked(&self) -> u64 {
        self.shared.gateway_url_asked.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("lock").clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.shared.violations.lock().expect("lock").clone()
    }

    pub fn identifies(&self) -> u64 {
        self.shared.gateway.lock().expect("lock").identifies
    }

    pub fn resumes(&self) -> u64 {
        self.shared.gateway.lock().expect("lock").resumes
    }

    pub fn connections(&self) -> u64 {
        self.shared.gateway.lock().expect("lock").connections
    }

    /// How many gateway sessions the bot closed with a close frame.
    pub fn closed_by_bot(&self) -> u64 {
        self.shared.gateway.lock().expect("lock").closed_by_bot
    }

    pub fn intents(&self) -> Option<u64> {
        self.shared.gateway.lock().expect("lock").intents
    }

    /// Answers the next `method` request whose path contains `path_contains` with `status`.
    pub fn script(&self, method: &str, path_contains: &str, status: u16, body: Value) {
        self.shared
            .scripted
            .lock()
            .expect("lock")
            .push_back(Scripted {
                method: method.into(),
                path_contains: path_contains.into(),
                status,
                retry_after: body.get("retry_after").and_then(Value::as_f64),
                body,
            });
    }

    /// Waits until a session is READY (the bot identified or resumed).
    pub async fn wait_ready(&self, sessions: u64, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let notified = self.shared.changed.notified();
            {
                let g = self.shared.gateway.lock().expect("lock");
                if g.identifies + g.resumes >= sessions && g.sender.is_some() {
                    return;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the bot did not reach READY ({sessions} sessions) in time"
            );
            let _ = tokio::time::timeout(left, notified).await;
        }
    }

    /// Sends a gateway dispatch (`t`, `d`) to the connected bot.
    pub fn dispatch(&self, t: &str, d: Value) {
        let g = self.shared.gateway.lock().expect("lock");
        let sender = g.sender.as_ref().expect("the bot is connected");
        sender
            .send(GatewayCommand::Dispatch(t.into(), d))
            .expect("gateway task alive");
    }

    /// Drops the gateway connection without a close frame, as a network failure would.
    pub fn drop_gateway(&self) {
        let mut g = self.shared.gateway.lock().expect("lock");
        if let Some(sender) = g.sender.take() {
            let _ = sender.send(GatewayCommand::Drop);
        }
    }

    /// Waits for the first request (from index `from` on) that `matches`, and returns it.
    pub async fn wait_request(
        &self,
        from: usize,
        within: Duration,
        matches: impl Fn(&Recorded) -> bool,
    ) -> Recorded {
        let deadline = Instant::now() + within;
        loop {
            let notified = self.shared.changed.notified();
            if let Some(found) = self
                .shared
                .requests
                .lock()
                .expect("lock")
                .iter()
                .skip(from)
                .find(|r| matches(r))
            {
                return found.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "no matching request arrived; requests were:\n{:#?}",
                    self.requests()
                        .iter()
                        .map(|r| format!("{} {} {}", r.method, r.path, r.body))
                        .collect::<Vec<_>>()
                );
            }
            let _ = tokio::time::timeout(left, notified).await;
        }
    }

    pub fn next_id(&self) -> u64 {
        self.shared.ids.fetch_add(1, Ordering::SeqCst) + 1_100_000_000_000_000_000
    }

    pub fn mark(&self) -> usize {
        self.shared.requests.lock().expect("lock").len()
    }
}

// ---- payloads -------------------------------------------------------------------------------

pub fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name,
           "avatar": null, "bot": false, "public_flags": 0})
}

fn bot_user() -> Value {
    json!({"id": BOT_ID.to_string(), "username": "partnerdesk", "discriminator": "0",
           "global_name": null, "avatar": null, "bot": true, "verified": true,
           "mfa_enabled": false, "flags": 0})
}

fn member(user_id: u64, name: &str) -> Value {
    json!({"user": user(user_id, name), "nick": null, "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
           "deaf": false, "mute": false, "flags": 0, "pending": false, "permissions": "0"})
}

/// Where an interaction or message comes from.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Dm { channel: u64 },
    Guild { guild: u64, channel: u64 },
}

fn interaction_base(
    kind: u8,
    id: u64,
    token: &str,
    user_id: u64,
    name: &str,
    locale: &str,
    place: Place,
) -> Value {
    let mut v = json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": kind,
        "token": token, "version": 1, "app_permissions": "0", "locale": locale,
        "entitlements": [], "authorizing_integration_owners": {"0": "1"},
        "attachment_size_limit": 26214400,
    });
    match place {
        Place::Dm { channel } => {
            v["channel_id"] = json!(channel.to_string());
            v["channel"] = json!({"id": channel.to_string(), "type": 1});
            v["user"] = user(user_id, name);
            v["context"] = json!(1);
        }
        Place::Guild { guild, channel } => {
            v["guild_id"] = json!(guild.to_string());
            v["guild_locale"] = json!("en-US");
            v["channel_id"] = json!(channel.to_string());
            v["channel"] = json!({"id": channel.to_string(), "type": 0});
            v["member"] = member(user_id, name);
            v["context"] = json!(0);
        }
    }
    v
}

/// A slash command interaction (`options` as Discord sends them).
pub fn slash(
    id: u64,
    token: &str,
    user_id: u64,
    locale: &str,
    place: Place,
    command: &str,
    options: Value,
) -> Value {
    let mut v = interaction_base(2, id, token, user_id, "partner", locale, place);
    v["data"] = json!({"id": "1", "name": command, "type": 1, "options": options});
    v
}

/// A button press on a message the bot sent.
pub fn press(
    id: u64,
    token: &str,
    user_id: u64,
    locale: &str,
    place: Place,
    custom_id: &str,
) -> Value {
    let mut v = interaction_base(3, id, token, user_id, "partner", locale, place);
    let channel = match place {
        Place::Dm { channel } | Place::Guild { channel, .. } => channel,
    };
    v["data"] = json!({"custom_id": custom_id, "component_type": 2});
    v["message"] = message_json(id + 7, channel, bot_user(), "alert", None);
    v
}

/// A submitted form (MODAL_SUBMIT): one text input, `(field, value)`.
pub fn modal_submit(
    id: u64,
    token: &str,
    user_id: u64,
    locale: &str,
    place: Place,
    custom_id: &str,
    (field, value): (&str, &str),
) -> Value {
    let mut v = interaction_base(5, id, token, user_id, "partner", locale, place);
    v["data"] = json!({
        "custom_id": custom_id,
        "components": [{"type": 1, "components": [{"type": 4, "custom_id": field, "value": value}]}],
    });
    v
}

fn message_json(id: u64, channel: u64, author: Value, content: &str, guild: Option<u64>) -> Value {
    let mut v = json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": author,
        "content": content, "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 0,
        "components": [],
    });
    if let Some(g) = guild {
        v["guild_id"] = json!(g.to_string());
    }
    v
}

/// A MESSAGE_CREATE from a person; `mention_bot` adds the bot to `mentions`.
pub fn user_message(
    id: u64,
    user_id: u64,
    place: Place,
    content: &str,
    mention_bot: bool,
) -> Value {
    let (channel, guild) = match place {
        Place::Dm { channel } => (channel, None),
        Place::Guild { guild, channel } => (channel, Some(guild)),
    };
    let mut v = message_json(id, channel, user(user_id, "partner"), content, guild);
    if mention_bot {
        v["mentions"] = json!([bot_user()]);
    }
    if guild.is_some() {
        let mut m = member(user_id, "partner");
        if let Some(o) = m.as_object_mut() {
            o.remove("user");
        }
        v["member"] = m;
    }
    v
}

// ---- REST -----------------------------------------------------------------------------------

async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let Some(api_path) = path.strip_prefix("/api/v10") else {
        return (StatusCode::NOT_FOUND, "not the API").into_response();
    };
    let api_path = api_path.to_string();
    // Interaction callbacks and webhooks are authorized by their own token, as on Discord.
    let needs_bot_token = !api_path.starts_with("/interactions/")
        && !api_path.starts_with("/webhooks/")
        && api_path != "/gateway";
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(|v| json!(v))
        .unwrap_or(Value::Null);
    if needs_bot_token && !token_ok(&authorization) {
        shared.requests.lock().expect("lock").push(Recorded {
            method: method.to_string(),
            path: api_path.clone(),
            body: Value::Null,
            at: Instant::now(),
        });
        shared.changed.notify_waiters();
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"message": "401: Unauthorized", "code": 0})),
        )
            .into_response();
    }
    if method == Method::GET && api_path == "/gateway" {
        shared.gateway_url_asked.fetch_add(1, Ordering::SeqCst);
        let addr = shared.addr.lock().expect("lock").expect("address");
        return axum::Json(json!({"url": format!("ws://{addr}/gateway")})).into_response();
    }
    if method == Method::GET && api_path == "/gateway/bot" {
        let addr = shared.addr.lock().expect("lock").expect("address");
        return axum::Json(json!({"url": format!("ws://{addr}/gateway"), "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}))
        .into_response();
    }
    let json_body: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                shared
                    .violations
                    .lock()
                    .expect("lock")
                    .push(format!("{method} {api_path}: body is not JSON: {e}"));
                Value::Null
            }
        }
    };
    let errors = openapi::check_request(method.as_str(), &api_path, &json_body);
    if !errors.is_empty() {
        shared.violations.lock().expect("lock").extend(
            errors
                .into_iter()
                .map(|e| format!("{method} {api_path}: {e}\n  body: {json_body}")),
        );
    }
    shared.requests.lock().expect("lock").push(Recorded {
        method: method.to_string(),
        path: api_path.clone(),
        body: json_body.clone(),
        at: Instant::now(),
    });
    shared.changed.notify_waiters();

    let scripted = {
        let mut queue = shared.scripted.lock().expect("lock");
        let at = queue
            .iter()
            .position(|s| s.method == method.as_str() && api_path.contains(&s.path_contains));
        at.and_then(|i| queue.remove(i))
    };
    if let Some(s) = scripted {
        let status = StatusCode::from_u16(s.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(s.body)).into_response();
        if let Some(after) = s.retry_after {
            if let Ok(v) = after.to_string().parse() {
                response.headers_mut().insert("retry-after", v);
            }
        }
        return response;
    }

    let id = shared.ids.fetch_add(1, Ordering::SeqCst) + 1_200_000_000_000_000_000;
    let segments: Vec<&str> = api_path.trim_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["users", "@me"]) => axum::Json(bot_user()).into_response(),
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) => {
            let content = json_body["content"].as_str().unwrap_or("");
            axum::Json(message_json(id, 1, bot_user(), content, None)).into_response()
        }
        ("POST", ["webhooks", _, _]) => {
            let content = json_body["content"].as_str().unwrap_or("");
            let mut m = message_json(id, 1, bot_user(), content, None);
            m["flags"] = json_body.get("flags").cloned().unwrap_or(json!(0));
            axum::Json(m).into_response()
        }
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = json_body["recipient_id"]
                .as_str()
                .unwrap_or("1")
                .to_string();
            let channel: u64 = recipient.parse::<u64>().unwrap_or(1).wrapping_add(7);
            axum::Json(
                json!({"id": channel.to_string(), "type": 1, "last_message_id": null,
                "recipients": [user(recipient.parse().unwrap_or(1), "recipient")]}),
            )
            .into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let content = json_body["content"].as_str().unwrap_or("");
            let channel: u64 = channel.parse().unwrap_or(1);
            axum::Json(message_json(id, channel, bot_user(), content, None)).into_response()
        }
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let guild = segments.get(3).copied();
            let commands: Vec<Value> = json_body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!((id + i as u64).to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    c["default_member_permissions"] = Value::Null;
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    if let Some(g) = guild {
                        c["guild_id"] = json!(g);
                    }
                    c
                })
                .collect();
            axum::Json(Value::Array(commands)).into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"code": 0, "message": "the fake does not know this route"})),
        )
            .into_response(),
    }
}

// ---- gateway --------------------------------------------------------------------------------

async fn gateway(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| run_gateway(socket, shared))
}

/// Serenity sends the token as `Bot <token>`, as Discord accepts it.
fn token_ok(token: &Value) -> bool {
    token.as_str().map(|t| t.strip_prefix("Bot ").unwrap_or(t)) == Some(TOKEN)
}

fn frame(op: u8, d: Value) -> WsMessage {
    WsMessage::Text(
        json!({"op": op, "d": d, "s": null, "t": null})
            .to_string()
            .into(),
    )
}

fn dispatch_frame(shared: &Shared, t: &str, d: Value) -> WsMessage {
    let s = shared.seq.fetch_add(1, Ordering::SeqCst) + 1;
    WsMessage::Text(json!({"op": 0, "t": t, "s": s, "d": d}).to_string().into())
}

async fn run_gateway(mut socket: WebSocket, shared: Arc<Shared>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    shared.gateway.lock().expect("lock").connections += 1;
    if socket
        .send(frame(10, json!({"heartbeat_interval": 41_250})))
        .await
        .is_err()
    {
        return;
    }
    let mut ready = false;
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(message)) = incoming else { break };
                let text = match message {
                    WsMessage::Text(t) => t.to_string(),
                    WsMessage::Close(_) => {
                        shared.gateway.lock().expect("lock").closed_by_bot += 1;
                        shared.changed.notify_waiters();
                        // Answer the bot's close frame, as Discord does.
                        let _ = socket.send(WsMessage::Close(None)).await;
                        break;
                    }
                    _ => continue,
                };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                match v["op"].as_u64() {
                    Some(1) => {
                        let _ = socket.send(frame(11, Value::Null)).await;
                    }
                    Some(2) => {
                        {
                            let mut g = shared.gateway.lock().expect("lock");
                            g.identifies += 1;
                            g.intents = v["d"]["intents"].as_u64();
                            g.token_ok = token_ok(&v["d"]["token"]);
                        }
                        if !token_ok(&v["d"]["token"]) {
                            let _ = socket.send(WsMessage::Close(Some(axum::extract::ws::CloseFrame {
                                code: 4004, reason: "Authentication failed.".into() }))).await;
                            break;
                        }
                        let addr = shared.addr.lock().expect("lock").expect("address");
                        let shard = v["d"]["shard"].clone();
                        let ready_event = json!({
                            "v": 10, "user": bot_user(), "guilds": [],
                            "session_id": format!("session-{}", shared.seq.load(Ordering::SeqCst)),
                            "resume_gateway_url": format!("ws://{addr}/gateway"),
                            "shard": if shard.is_null() { json!([0, 1]) } else { shard },
                            "application": {"id": APP_ID.to_string(), "flags": 0},
                        });
                        let f = dispatch_frame(&shared, "READY", ready_event);
                        if socket.send(f).await.is_err() { break; }
                        ready = true;
                    }
                    Some(6) => {
                        shared.gateway.lock().expect("lock").resumes += 1;
                        let f = dispatch_frame(&shared, "RESUMED", json!({}));
                        if socket.send(f).await.is_err() { break; }
                        ready = true;
                    }
                    _ => {}
                }
                if ready {
                    let mut g = shared.gateway.lock().expect("lock");
                    if g.sender.is_none() {
                        g.sender = Some(tx.clone());
                    }
                    drop(g);
                    shared.changed.notify_waiters();
                }
            }
            command = rx.recv() => {
                match command {
                    Some(GatewayCommand::Dispatch(t, d)) => {
                        let f = dispatch_frame(&shared, &t, d);
                        if socket.send(f).await.is_err() { break; }
                    }
                    Some(GatewayCommand::Drop) | None => break,
                }
            }
        }
    }
    // Leaving drops the TCP connection without a close frame.
    let mut g = shared.gateway.lock().expect("lock");
    if g.sender.as_ref().is_some_and(|s| s.same_channel(&tx)) {
        g.sender = None;
    }
}
