//! `/metrics` of a running daemon, parsed strictly as Prometheus text (format 0.0.4): every
//! family has HELP and TYPE, counters end in `_total`, histograms are well formed, and the
//! values move after a dispatch, a failed send, a job run and a chat reply (the chat arrives
//! over the fake Discord's gateway, so the gateway gauge is checked too).

mod common;

mod fake_discord;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, Place, TOKEN};
use partnerdesk::store::{Channel, NewOutboxMessage};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(20);
const USER: u64 = 300_000_000_000_000_001;
const DM: Place = Place::Dm {
    channel: 400_000_000_000_000_001,
};

#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

#[derive(Debug, Default)]
struct MetricFamily {
    help: Option<String>,
    kind: Option<String>,
    samples: Vec<Sample>,
}

type Exposition = BTreeMap<String, MetricFamily>;

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `{a="x",b="y\"z"}` → labels; the text after the closing brace is returned.
fn parse_labels(text: &str) -> Result<(BTreeMap<String, String>, &str), String> {
    let mut labels = BTreeMap::new();
    let mut rest = text
        .strip_prefix('{')
        .ok_or_else(|| format!("expected {{ in {text:?}"))?;
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return Ok((labels, after));
        }
        let eq = rest.find('=').ok_or_else(|| format!("no = in {rest:?}"))?;
        let key = &rest[..eq];
        if !valid_name(key) || key.contains(':') {
            return Err(format!("bad label name {key:?}"));
        }
        let mut value = String::new();
        let mut chars = rest[eq + 1..]
            .strip_prefix('"')
            .ok_or_else(|| format!("label {key} is not quoted"))?
            .char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, '\\')) => value.push('\\'),
                    Some((_, '"')) => value.push('"'),
                    other => return Err(format!("bad escape {other:?} in label {key}")),
                },
                Some((i, '"')) => break i,
                Some((_, c)) => value.push(c),
                None => return Err(format!("unterminated label {key}")),
            }
        };
        if labels.insert(key.to_string(), value).is_some() {
            return Err(format!("label {key} repeated"));
        }
        rest = &rest[eq + 1..][1 + end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ => text.parse().map_err(|_| format!("bad value {text:?}")),
    }
}

/// The family a sample belongs to: its own name, or for histograms the name without
/// `_bucket`/`_sum`/`_count`.
fn family_of<'a>(families: &Exposition, sample: &'a str) -> Option<&'a str> {
    if families.contains_key(sample) {
        return Some(sample);
    }
    ["_bucket", "_sum", "_count"].iter().find_map(|suffix| {
        let base = sample.strip_suffix(suffix)?;
        families
            .get(base)
            .filter(|f| f.kind.as_deref() == Some("histogram"))
            .map(|_| base)
    })
}

/// A strict parser of the Prometheus text format 0.0.4.
fn parse(text: &str) -> Result<Exposition, String> {
    let mut families: Exposition = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: {line:?}", number + 1);
        if line.is_empty() {
            return Err(at("empty line".into()));
        }
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').ok_or_else(|| at("HELP".into()))?;
            let family = families.entry(name.to_string()).or_default();
            if family.help.replace(help.to_string()).is_some() || !family.samples.is_empty() {
                return Err(at("HELP repeated or after samples".into()));
            }
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').ok_or_else(|| at("TYPE".into()))?;
            if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                return Err(at(format!("unknown type {kind}")));
            }
            if !valid_name(name) {
                return Err(at("bad metric name".into()));
            }
            let family = families.entry(name.to_string()).or_default();
            if family.kind.replace(kind.to_string()).is_some() || !family.samples.is_empty() {
                return Err(at("TYPE repeated or after samples".into()));
            }
        } else if line.starts_with('#') {
            return Err(at("a comment other than HELP or TYPE".into()));
        } else {
            let name_end = line.find(['{', ' ']).ok_or_else(|| at("no value".into()))?;
            let name = &line[..name_end];
            if !valid_name(name) {
                return Err(at("bad metric name".into()));
            }
            let (labels, rest) = if line[name_end..].starts_with('{') {
                parse_labels(&line[name_end..]).map_err(at)?
            } else {
                (BTreeMap::new(), &line[name_end..])
            };
            let mut fields = rest
                .strip_prefix(' ')
                .ok_or_else(|| at("no space before the value".into()))?
                .split(' ');
            let value = parse_value(fields.next().unwrap_or_default()).map_err(at)?;
            if let Some(timestamp) = fields.next() {
                timestamp
                    .parse::<i64>()
                    .map_err(|_| at("bad timestamp".into()))?;
            }
            if fields.next().is_some() {
                return Err(at("trailing fields".into()));
            }
            let family =
                family_of(&families, name).ok_or_else(|| at("sample without TYPE".into()))?;
            let family = families.get_mut(family).expect("found above");
            family.samples.push(Sample {
                name: name.to_string(),
                labels,
                value,
            });
        }
    }
    for (name, family) in &families {
        let kind = family
            .kind
            .as_deref()
            .ok_or(format!("{name} has no TYPE"))?;
        if family.help.is_none() {
            return Err(format!("{name} has no HELP"));
        }
        if kind == "counter" && !name.ends_with("_total") {
            return Err(format!("counter {name} does not end in _total"));
        }
        if kind == "histogram" {
            check_histogram(name, family)?;
        }
    }
    Ok(families)
}

/// A series' labels other than `le`, sorted.
type SeriesKey = Vec<(String, String)>;

/// Buckets rise with `le`, never fall, and the `+Inf` bucket equals `_count`, per series.
fn check_histogram(name: &str, family: &MetricFamily) -> Result<(), String> {
    let mut series: BTreeMap<SeriesKey, Vec<(f64, f64)>> = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for sample in &family.samples {
        let mut key: SeriesKey = sample
            .labels
            .iter()
            .filter(|(k, _)| *k != "le")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        key.sort();
        if sample.name.ends_with("_bucket") {
            let le = sample
                .labels
                .get("le")
                .ok_or(format!("{name}: bucket without le"))?;
            series
                .entry(key)
                .or_default()
                .push((parse_value(le)?, sample.value));
        } else if sample.name.ends_with("_count") {
            counts.insert(key, sample.value);
        }
    }
    for (key, buckets) in &series {
        let ordered = buckets
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1);
        let last = buckets.last().ok_or(format!("{name}: no buckets"))?;
        if !ordered || last.0 != f64::INFINITY || counts.get(key) != Some(&last.1) {
            return Err(format!("{name}{key:?}: malformed buckets {buckets:?}"));
        }
    }
    Ok(())
}

fn kind<'a>(families: &'a Exposition, name: &str) -> &'a str {
    families
        .get(name)
        .and_then(|f| f.kind.as_deref())
        .unwrap_or_else(|| panic!("family {name} is missing"))
}

/// The value of the sample `name` whose labels include `labels`, summed over the rest.
fn value(families: &Exposition, name: &str, labels: &[(&str, &str)]) -> f64 {
    families
        .values()
        .flat_map(|f| &f.samples)
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

/// GET `path`: the content type and body.
fn get(port: u16, path: &str, accept: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let (head, body) = response.split_once("\r\n\r\n").expect("head and body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    (content_type, body.to_string())
}

fn scrape(port: u16) -> Exposition {
    let (content_type, body) = get(port, "/metrics", "text/plain");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    parse(&body).unwrap_or_else(|e| panic!("{e}\n{body}"))
}

/// Scrapes until `done` holds, or fails after [`WAIT`] showing the last scrape.
async fn scrape_until(port: u16, what: &str, done: impl Fn(&Exposition) -> bool) -> Exposition {
    let deadline = Instant::now() + WAIT;
    loop {
        let families = scrape(port);
        if done(&families) {
            return families;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not show in /metrics:\n{}",
            get(port, "/metrics", "text/plain").1
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn message(channel: Channel, recipient: &str, key: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel,
        recipient: recipient.into(),
        subject: "Metrics check".into(),
        body_text: "A message for the metrics test.".into(),
        body_html: None,
        payload: None,
        locale: "en".into(),
        dedupe_key: key.into(),
        not_before: chrono::Utc::now() - chrono::Duration::seconds(1),
    }
}

#[test]
fn the_parser_refuses_what_prometheus_refuses() {
    let good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n";
    assert!(parse(good).is_ok());
    for bad in [
        "a_total 1\n",
        "# TYPE a counter\n# HELP a A.\na 1\n",
        "# HELP a_total A.\n# TYPE a_total counter\na_total{x=1} 2\n",
        "# HELP b B.\n# TYPE b gauge\nb{x=\"1\",x=\"2\"} 2\n",
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",
        "# HELP b B.\n# TYPE b gauge\n\nb 1\n",
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_dispatches_failures_jobs_and_chat_replies() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("pd.db").display());
    let http_port = free_port();
    let log_path = dir.path().join("daemon.log");
    let mut daemon = common::partnerdesk_binary()
        .current_dir(dir.path())
        .arg("run")
        .env("PARTNERDESK_DATABASE__URL", &url)
        .env("PARTNERDESK_MAIL__DIR", dir.path().join("mail"))
        .env("PARTNERDESK_DISCORD__TOKEN", TOKEN)
        .env("PARTNERDESK_DISCORD__API_PROXY", fake.proxy())
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{http_port}"))
        // The dispatcher looks every second; retention runs every two.
        .env("PARTNERDESK_JOBS__OUTBOX_DISPATCH__SCHEDULE", "* * * * * *")
        .env("PARTNERDESK_JOBS__RETENTION__SCHEDULE", "*/2 * * * * *")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log_path).expect("log"))
        .spawn()
        .expect("spawn the daemon");
    fake.wait_ready(1, WAIT).await;

    let before = scrape_until(http_port, "the gateway", |m| {
        value(m, "partnerdesk_discord_gateway_connected", &[]) == 1.0
    })
    .await;
    for (name, want) in [
        ("partnerdesk_build_info", "gauge"),
        ("partnerdesk_ready", "gauge"),
        ("partnerdesk_outbox_messages", "gauge"),
        ("partnerdesk_outbox_sent_total", "counter"),
        ("partnerdesk_outbox_failed_total", "counter"),
        ("partnerdesk_outbox_dead_total", "counter"),
        ("partnerdesk_outbox_send_duration_seconds", "histogram"),
        ("partnerdesk_smtp_connections_opened_total", "counter"),
        ("partnerdesk_job_runs_total", "counter"),
        ("partnerdesk_job_last_success_timestamp_seconds", "gauge"),
        ("partnerdesk_job_duration_seconds", "histogram"),
        ("partnerdesk_chat_replies_total", "counter"),
        ("partnerdesk_chat_reply_duration_seconds", "histogram"),
        ("partnerdesk_discord_gateway_connected", "gauge"),
        ("partnerdesk_token_lockouts_total", "counter"),
    ] {
        assert_eq!(kind(&before, name), want, "{name}");
    }
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        value(&before, "partnerdesk_build_info", &[("version", version)]),
        1.0
    );
    assert_eq!(
        value(&before, "partnerdesk_ready", &[("backend", "sqlite")]),
        1.0
    );
    assert_eq!(value(&before, "partnerdesk_outbox_sent_total", &[]), 0.0);
    assert_eq!(
        value(&before, "partnerdesk_chat_replies_total", &[]),
        0.0,
        "nobody has chatted yet"
    );

    // A mail (file transport: sent) and a Discord DM to someone who is no Discord user
    // (refused permanently: dead).
    let mut config = partnerdesk::config::Config::default();
    config.database.url = url.clone();
    let store = partnerdesk::store::open(&config).await.expect("store");
    let now = chrono::Utc::now();
    store
        .enqueue(&message(Channel::Email, "taro@example.com", "m:1"), now)
        .await
        .expect("enqueue mail");
    store
        .enqueue(&message(Channel::Discord, "not-a-user", "m:2"), now)
        .await
        .expect("enqueue dm");

    // A slash command and a question over the gateway.
    for (name, options) in [
        ("hours", json!([])),
        (
            "ask",
            json!([{"name": "question", "type": 3, "value": "What are the support hours?"}]),
        ),
    ] {
        let from = fake.mark();
        let id = fake.next_id();
        let token = format!("itoken-{id}");
        fake.dispatch(
            "INTERACTION_CREATE",
            fake_discord::slash(id, &token, USER, "en-US", DM, name, options),
        );
        let path = format!("/interactions/{id}/{token}/callback");
        fake.wait_request(from, WAIT, |r| r.method == "POST" && r.path == path)
            .await;
    }

    let after = scrape_until(http_port, "the dispatch, the job and the chat", |m| {
        value(m, "partnerdesk_outbox_sent_total", &[]) >= 1.0
            && value(m, "partnerdesk_outbox_dead_total", &[]) >= 1.0
            && value(m, "partnerdesk_outbox_messages", &[("status", "dead")]) >= 1.0
            && value(
                m,
                "partnerdesk_job_runs_total",
                &[("job", "retention"), ("outcome", "ok")],
            ) >= 1.0
    })
    .await;
    assert_eq!(
        value(
            &after,
            "partnerdesk_outbox_failed_total",
            &[("kind", "permanent")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &after,
            "partnerdesk_outbox_failed_total",
            &[("kind", "temporary")]
        ),
        0.0
    );
    assert_eq!(
        value(&after, "partnerdesk_outbox_messages", &[("status", "sent")]),
        1.0
    );
    assert_eq!(
        value(
            &after,
            "partnerdesk_outbox_send_duration_seconds_count",
            &[]
        ),
        2.0,
        "two attempts timed"
    );
    let last_success = value(
        &after,
        "partnerdesk_job_last_success_timestamp_seconds",
        &[("job", "retention")],
    );
    assert!(
        (last_success - chrono::Utc::now().timestamp() as f64).abs() < 60.0,
        "{last_success}"
    );
    assert!(
        value(
            &after,
            "partnerdesk_job_duration_seconds_count",
            &[("job", "retention")]
        ) >= 1.0
    );
    assert_eq!(
        value(
            &after,
            "partnerdesk_chat_replies_total",
            &[("lang", "en"), ("outcome", "command")]
        ),
        1.0,
        "/hours"
    );
    assert_eq!(
        value(
            &after,
            "partnerdesk_chat_replies_total",
            &[("lang", "en"), ("outcome", "answered")]
        ),
        1.0,
        "/ask"
    );
    assert_eq!(
        value(&after, "partnerdesk_chat_reply_duration_seconds_count", &[]),
        2.0
    );

    // Prometheus itself asks for OpenMetrics and gets it, ending in # EOF.
    let (content_type, body) = get(
        http_port,
        "/metrics",
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
    );
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(body.contains("# TYPE partnerdesk_outbox_sent counter\n"));
    assert!(body.ends_with("# EOF\n"));

    store.close().await;
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while daemon.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = daemon.kill();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        fake.violations().is_empty(),
        "{:?}\n{log}",
        fake.violations()
    );
}

#[test]
fn the_shipped_dashboard_and_alerts_use_only_exported_families() {
    let exported = parse(&partnerdesk::metrics::global().encode_prometheus()).expect("parses");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib");
    let dashboard =
        std::fs::read_to_string(root.join("grafana-dashboard.json")).expect("dashboard");
    let parsed: serde_json::Value = serde_json::from_str(&dashboard).expect("dashboard is JSON");
    assert!(parsed["panels"].as_array().is_some_and(|p| p.len() >= 10));
    let alerts = std::fs::read_to_string(root.join("prometheus-alerts.yml")).expect("alerts");
    for needed in [
        "partnerdesk_outbox_dead_total",
        "partnerdesk_job_last_success_timestamp_seconds",
        "partnerdesk_discord_gateway_connected",
    ] {
        assert!(alerts.contains(needed), "no alert on {needed}");
    }
    for text in [&dashboard, &alerts] {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("partnerdesk_") {
            let name: String = rest[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            rest = &rest[at + name.len()..];
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| name.strip_suffix(s))
                .filter(|base| exported.contains_key(*base))
                .unwrap_or(&name);
            assert!(exported.contains_key(family), "{name} is not exported");
        }
    }
}
