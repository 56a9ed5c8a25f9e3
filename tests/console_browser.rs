//! The web console in a real browser: headless Debian Chromium driven over WebDriver
//! (chromedriver, started here on a free port) with fantoccini, against a real
//! `partnerdesk run`. It logs in, sees the dead mail, retries it, approves the join request
//! and sees the renewal chart — in Japanese, the browser's language — saving a screenshot of
//! each step under `target/console-screenshots/`. `scripts/ensure-services` installs
//! `chromium` and `chromium-driver`; without them this test fails, it never skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::console::{ConsoleDaemon, DEAD_RECIPIENT, JOINER, OPERATOR, PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port; killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Self {
        assert!(
            Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file(),
            "{CHROMIUM} and {CHROMEDRIVER} are required (Debian packages chromium, chromium-driver): run scripts/ensure-services"
        );
        let port = common::net::free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn snap(browser: &Client, name: &str) {
    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("save screenshot");
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

#[tokio::test]
async fn an_operator_steers_the_desk_in_a_real_browser() {
    let daemon = ConsoleDaemon::start("sqlite", "").await;
    let base = daemon.base();
    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("profile dir");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000", "--lang=ja",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": "ja" },
        }),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session with Chromium");

    // Log in: any console page sends to the form first.
    browser
        .goto(&format!("{base}/console"))
        .await
        .expect("open");
    browser
        .find(Locator::Css("#ibm_id"))
        .await
        .expect("IBM ID field")
        .send_keys(OPERATOR)
        .await
        .expect("type");
    browser
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    snap(&browser, "01-login").await;
    browser
        .find(Locator::Css("#login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    assert_eq!(text_of(&browser, "#operator").await, OPERATOR);
    assert!(
        text_of(&browser, "h1").await.contains("概要"),
        "the overview, in Japanese"
    );
    snap(&browser, "02-overview").await;

    // See the dead mail, open it, retry it.
    browser
        .goto(&format!("{base}/console/outbox?status=dead"))
        .await
        .expect("outbox");
    let row = text_of(&browser, "#outbox tbody tr[data-status='dead']").await;
    assert!(
        row.contains(DEAD_RECIPIENT) && row.contains("550 5.1.1"),
        "{row}"
    );
    snap(&browser, "03-dead-mail").await;
    browser
        .find(Locator::Css("#outbox tbody tr[data-status='dead'] a"))
        .await
        .expect("message link")
        .click()
        .await
        .expect("open message");
    assert!(text_of(&browser, "#message-error")
        .await
        .contains("mailbox unavailable"));
    browser
        .find(Locator::Css("#retry-submit"))
        .await
        .expect("retry button")
        .click()
        .await
        .expect("retry");
    assert!(text_of(&browser, "#notice")
        .await
        .contains("送信待ちに戻しました"));
    let status = text_of(&browser, "#message-status").await;
    assert!(status == "送信待ち" || status == "送信済み", "{status}");
    snap(&browser, "04-retried").await;
    let store = daemon.store().await;
    let message = store
        .outbox_message(daemon.seeded.dead_id)
        .await
        .expect("row")
        .expect("message");
    assert_ne!(message.status, "dead");

    // Approve the join request.
    browser
        .goto(&format!("{base}/console/approvals"))
        .await
        .expect("approvals");
    let join = daemon.seeded.join_id;
    let row = text_of(&browser, &format!("tr[data-join='{join}']")).await;
    assert!(row.contains(JOINER), "{row}");
    snap(&browser, "05-approvals").await;
    browser
        .find(Locator::Css(&format!("#approve-{join}")))
        .await
        .expect("approve button")
        .click()
        .await
        .expect("approve");
    assert!(text_of(&browser, "#notice")
        .await
        .contains(&format!("参加申請 {join} を承認しました")));
    assert!(browser
        .find_all(Locator::Css(&format!("tr[data-join='{join}']")))
        .await
        .expect("rows")
        .is_empty());
    snap(&browser, "06-approved").await;
    let request = store
        .join_request_by_id(join)
        .await
        .expect("row")
        .expect("join");
    assert_eq!(request.status, "approved");
    assert_eq!(request.decided_by.as_deref(), Some(OPERATOR));

    // The renewal chart: one bar group per week, bars for the seeded deadlines.
    browser
        .goto(&format!("{base}/console/renewals"))
        .await
        .expect("renewals");
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("svg#renewal-chart"))
        .await
        .expect("the chart");
    let weeks = browser
        .find_all(Locator::Css("svg#renewal-chart g.week"))
        .await
        .expect("weeks");
    assert_eq!(weeks.len(), 12);
    let bars = browser
        .find_all(Locator::Css("svg#renewal-chart rect[data-window]"))
        .await
        .expect("bars");
    let mut charted = 0;
    for bar in &bars {
        charted += bar
            .attr("data-count")
            .await
            .expect("attr")
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0);
    }
    // 24 contracts every 3 days from today+3 to today+72: all inside the 12 weeks shown,
    // which start on this week's Monday.
    assert_eq!(charted, 24, "deadlines charted");
    let reps = text_of(&browser, "#renewal-reps").await;
    assert!(reps.contains("営業 A") && reps.contains("Rep B"), "{reps}");
    snap(&browser, "07-renewals").await;

    browser.close().await.expect("close the browser");
    store.close().await;
    daemon.finish().await;
}
