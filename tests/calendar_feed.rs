//! The sales reps' .ics feed end to end, on SQLite and PostgreSQL: contracts imported from
//! CSV, the URL made by `partnerdesk rep calendar-url`, the feed fetched from a running daemon
//! and read by a separate iCalendar parser (the `ical` crate) and a strict line check; then a
//! `contract ack`, a re-import and a rotation change what the URL serves.

mod common;

use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

const REP: &str = "aiko.sato@example.com";

fn cli(url: &str, dir: &Path, public: &str, args: &[&str]) -> Output {
    common::partnerdesk_binary()
        .current_dir(dir)
        .args(args)
        .env("PARTNERDESK_DATABASE__URL", url)
        .env("PARTNERDESK_HTTP__PUBLIC_URL", public)
        .env("LANG", "en_US.UTF-8")
        .output()
        .expect("run partnerdesk")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn import(url: &str, dir: &Path, public: &str, rows: &[&str]) {
    let csv = dir.join("contracts.csv");
    let mut text = String::from(
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz\n",
    );
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(&csv, text).expect("csv");
    ok(cli(
        url,
        dir,
        public,
        &["import", "contracts", csv.to_str().expect("path")],
    ));
}

/// GET `path`: status, content type, body.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    let response = String::from_utf8(response).expect("UTF-8");
    let (head, body) = response.split_once("\r\n\r\n").expect("head and body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    (status, content_type, body.to_string())
}

fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").expect("scheme").1;
    format!("/{}", after_scheme.split_once('/').expect("path").1)
}

struct Event {
    uid: String,
    summary: String,
    start: String,
    start_is_date: bool,
    end: String,
    alarm_trigger: Option<String>,
}

/// The feed as the `ical` crate reads it, after a strict check of the lines themselves:
/// CRLF endings, no line over 75 octets, one calendar with VERSION 2.0 and a PRODID, and
/// DTSTAMP and UID in every event.
fn read_feed(body: &str) -> Vec<Event> {
    assert!(body.ends_with("\r\n"), "lines end in CRLF");
    for line in body.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    let unfolded = body.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        lines.iter().filter(|l| **l == "END:VEVENT").count()
    );

    let mut calendars = ical::IcalParser::new(BufReader::new(body.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("the ical crate parses the feed");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
        .events
        .iter()
        .map(|event| {
            let property = |name: &str| {
                event
                    .properties
                    .iter()
                    .find(|p| p.name == name)
                    .unwrap_or_else(|| panic!("event without {name}"))
            };
            assert!(property("DTSTAMP").value.is_some());
            let start = property("DTSTART");
            let start_is_date = start.params.as_ref().is_some_and(|params| {
                params
                    .iter()
                    .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()])
            });
            let alarm_trigger = event.alarms.first().and_then(|alarm| {
                assert!(alarm
                    .properties
                    .iter()
                    .any(|p| p.name == "ACTION" && p.value.as_deref() == Some("DISPLAY")));
                alarm
                    .properties
                    .iter()
                    .find(|p| p.name == "TRIGGER")
                    .and_then(|p| p.value.clone())
            });
            Event {
                uid: property("UID").value.clone().expect("UID"),
                summary: property("SUMMARY").value.clone().expect("SUMMARY"),
                start: start.value.clone().expect("DTSTART"),
                start_is_date,
                end: property("DTEND").value.clone().expect("DTEND"),
                alarm_trigger,
            }
        })
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start_daemon(url: &str, dir: &Path, port: u16) -> Child {
    let child = common::partnerdesk_binary()
        .current_dir(dir)
        .arg("run")
        .env("PARTNERDESK_DATABASE__URL", url)
        .env("PARTNERDESK_MAIL__DIR", dir.join("mail"))
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the daemon");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
        || get(port, "/readyz").0 != 200
    {
        assert!(Instant::now() < deadline, "the daemon did not get ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

fn stop(mut child: Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn journey(url: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}/");
    let row = |id: &str, company: &str, date: &str, rep: &str| {
        format!("{id},{company},Aspera Faspex,{date},{rep},Aiko Sato,en,Asia/Tokyo")
    };
    let rows = [
        // Before the cutover: the earlier of the renewal date and 06-30.
        row("C-101", "Example KK", "2015-05-20", REP),
        // Transition window: 06-30.
        row("C-102", "Sakura Systems", "2015-08-15", REP),
        // After the transition: the renewal date.
        row("C-103", "Fuji Data", "2015-11-10", REP),
        row("C-104", "Kita Soft", "2015-06-10", REP),
        // Someone else's.
        row(
            "C-900",
            "Other Co",
            "2015-05-21",
            "someone.else@example.com",
        ),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    import(url, dir.path(), &public, &rows);

    // Nobody's contracts: refused, clearly.
    let refused = cli(
        url,
        dir.path(),
        &public,
        &["rep", "calendar-url", "--ibm-id", "nobody@example.com"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("No contract names nobody@example.com")
    );

    let made: serde_json::Value = serde_json::from_str(&ok(cli(
        url,
        dir.path(),
        &public,
        &[
            "rep",
            "calendar-url",
            "--ibm-id",
            "Aiko.Sato@example.com",
            "--json",
        ],
    )))
    .expect("JSON");
    let feed_url = made["url"].as_str().expect("url").to_string();
    assert!(
        feed_url.starts_with(&format!("http://127.0.0.1:{port}/calendar/"))
            && feed_url.ends_with(".ics"),
        "{feed_url}"
    );
    // Shown once: asking again without --rotate is refused, the URL unchanged.
    let again = cli(
        url,
        dir.path(),
        &public,
        &["rep", "calendar-url", "--ibm-id", REP],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--rotate"));

    let daemon = start_daemon(url, dir.path(), port);
    let (status, content_type, body) = get(port, &path_of(&feed_url));
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let events = read_feed(&body);
    let by_uid = |events: &[Event], contract: &str| -> Option<(String, String)> {
        events
            .iter()
            .find(|e| e.uid == format!("renewal-{contract}@partnerdesk"))
            .map(|e| (e.start.clone(), e.summary.clone()))
    };
    assert_eq!(events.len(), 4, "one event per open contract of the rep");
    for (contract, company, date, end) in [
        ("C-101", "Example KK", "20150520", "20150521"),
        ("C-102", "Sakura Systems", "20150630", "20150701"),
        ("C-103", "Fuji Data", "20151110", "20151111"),
        ("C-104", "Kita Soft", "20150610", "20150611"),
    ] {
        let event = events
            .iter()
            .find(|e| e.uid == format!("renewal-{contract}@partnerdesk"))
            .unwrap_or_else(|| panic!("no event for {contract}"));
        assert_eq!(event.start, date, "{contract}");
        assert_eq!(event.end, end, "{contract}: all day");
        assert!(event.start_is_date, "{contract}: DTSTART is a DATE");
        assert!(
            event.summary.contains(company) && event.summary.contains(contract),
            "{}",
            event.summary
        );
        // Seven days before the start, in any of RFC 5545's spellings.
        let trigger = event.alarm_trigger.as_deref();
        assert!(
            matches!(trigger, Some("-P7D" | "-P1W" | "-PT168H" | "-PT604800S")),
            "{contract}: alarm {trigger:?}"
        );
    }
    assert!(by_uid(&events, "C-900").is_none(), "another rep's contract");

    // An acknowledged contract leaves the feed; a re-import moves a deadline, same UID.
    ok(cli(
        url,
        dir.path(),
        &public,
        &["contract", "ack", "C-104", "--status", "quoted"],
    ));
    let moved = row("C-103", "Fuji Data", "2015-12-01", REP);
    import(url, dir.path(), &public, &[moved.as_str()]);
    let events = read_feed(&get(port, &path_of(&feed_url)).2);
    assert_eq!(events.len(), 3);
    assert!(by_uid(&events, "C-104").is_none());
    assert_eq!(
        by_uid(&events, "C-103").map(|(start, _)| start).as_deref(),
        Some("20151201")
    );

    // Wrong, malformed and rotated-away secrets all get 404.
    assert_eq!(
        get(port, "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics").0,
        404
    );
    assert_eq!(get(port, "/calendar/short.ics").0, 404);
    let path = path_of(&feed_url);
    assert_eq!(get(port, path.trim_end_matches(".ics")).0, 404);
    let rotated = ok(cli(
        url,
        dir.path(),
        &public,
        &["rep", "calendar-url", "--ibm-id", REP, "--rotate"],
    ));
    let rotated = rotated.trim();
    assert_ne!(rotated, feed_url);
    assert_eq!(get(port, &path).0, 404, "the old URL stops working");
    assert_eq!(get(port, &path_of(rotated)).0, 200);
    stop(daemon);
}

#[test]
fn a_reps_feed_lists_open_contracts_on_sqlite() {
    let (url, _dir) = common::sqlite_url();
    journey(&url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reps_feed_lists_open_contracts_on_postgres() {
    let url = common::fresh_postgres_url("calendar").await;
    let for_thread = url.clone();
    tokio::task::spawn_blocking(move || journey(&for_thread))
        .await
        .expect("journey");
    common::drop_postgres(&url).await;
}

#[test]
fn the_deadline_follows_the_renewal_windows() {
    use chrono::NaiveDate;
    use partnerdesk::workflows::calendar::action_deadline;
    let policy = partnerdesk_domain::renewal::RenewalPolicy::default();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    for (renewal, deadline) in [
        ("2015-06-01", "2015-06-01"),
        ("2015-06-30", "2015-06-30"),
        ("2015-07-01", "2015-06-30"),
        ("2015-09-30", "2015-06-30"),
        ("2015-10-01", "2015-10-01"),
        ("2016-02-29", "2016-02-29"),
    ] {
        assert_eq!(
            action_deadline(&policy, d(renewal)),
            d(deadline),
            "{renewal}"
        );
    }
}
