//! The web console's test fixture: a real `partnerdesk run` with the console on (SQLite or
//! PostgreSQL), seeded through the store with what the console shows — a dead mail, a pending
//! join request, open contracts — and an operator added through `partnerdesk operator add`.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use partnerdesk::store::secret::{self, CompanyToken};
use partnerdesk::store::{
    Actor, Channel, JoinPick, NewCompany, NewContract, NewOutboxMessage, NewPerson, PickOutcome,
    TokenEntry,
};

use super::net::free_port;

pub const OPERATOR: &str = "ops@example.com";
pub const PASSWORD: &str = "correct horse battery staple";
pub const DEAD_RECIPIENT: &str = "bounced@example.com";
pub const JOINER: &str = "newbie@example.com";

/// What the seed wrote.
pub struct Seeded {
    pub dead_id: i64,
    pub join_id: i64,
    pub company_id: i64,
}

/// A running daemon with the console on, killed (and its database dropped) on drop.
pub struct ConsoleDaemon {
    pub port: u16,
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
    pub seeded: Seeded,
    child: Option<Child>,
    postgres_url: Option<String>,
}

impl ConsoleDaemon {
    /// Starts `partnerdesk run` on `backend` (`sqlite` or `postgres`) with `extra` TOML lines in
    /// `[console]`, after seeding and adding the operator with `--password-stdin`.
    pub async fn start(backend: &str, extra_console: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let (url, postgres_url) = match backend {
            "postgres" => {
                let url = super::fresh_postgres_url("console").await;
                (url.clone(), Some(url))
            }
            _ => (
                format!("sqlite://{}", dir.path().join("desk.db").display()),
                None,
            ),
        };
        let config_path = dir.path().join("partnerdesk.toml");
        std::fs::write(
            &config_path,
            format!(
                "[database]\nurl = \"{url}\"\n\n[http]\nlisten = \"127.0.0.1:{port}\"\n\n\
                 [mail]\ndir = \"{}\"\n\n[console]\nenabled = true\n{extra_console}\n",
                dir.path().join("mail").display()
            ),
        )
        .expect("config");
        let config = partnerdesk::config::Config::load(Some(&config_path), std::iter::empty())
            .expect("config loads");
        partnerdesk::store::migrate(&config).await.expect("migrate");
        let store = partnerdesk::store::open(&config).await.expect("open");
        let seeded = seed(&*store).await;
        store.close().await;
        let mut daemon = Self {
            port,
            dir,
            config_path,
            seeded,
            child: None,
            postgres_url,
        };
        daemon.add_operator_with_password(OPERATOR, PASSWORD);
        let child = super::partnerdesk_binary()
            .args(["--config"])
            .arg(&daemon.config_path)
            .arg("run")
            .current_dir(daemon.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the daemon");
        daemon.child = Some(child);
        daemon.wait_ready();
        daemon
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(Ok(Some(exit))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("the daemon exited early: {exit}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the daemon did not listen within 60 s");
    }

    /// `partnerdesk operator add --ibm-id ID --password-stdin`.
    pub fn add_operator_with_password(&self, ibm_id: &str, password: &str) {
        let mut child = super::partnerdesk_binary()
            .arg("--config")
            .arg(&self.config_path)
            .args(["operator", "add", "--ibm-id", ibm_id, "--password-stdin"])
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("operator add");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write password");
        let out = child.wait_with_output().expect("operator add output");
        assert!(
            out.status.success(),
            "operator add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `partnerdesk operator add --ibm-id ID` (a setup link): its whole output.
    pub fn add_operator_with_link(&self, ibm_id: &str) -> std::process::Output {
        super::partnerdesk_binary()
            .arg("--config")
            .arg(&self.config_path)
            .args(["operator", "add", "--ibm-id", ibm_id])
            .env("LANG", "en_US.UTF-8")
            .current_dir(self.dir.path())
            .output()
            .expect("operator add")
    }

    /// A store on the daemon's database, to check what the console did.
    pub async fn store(&self) -> std::sync::Arc<dyn partnerdesk::store::Store> {
        let config = partnerdesk::config::Config::load(Some(&self.config_path), std::iter::empty())
            .expect("config loads");
        partnerdesk::store::open(&config).await.expect("open")
    }

    pub async fn finish(mut self) {
        self.stop();
        if let Some(url) = self.postgres_url.take() {
            super::drop_postgres(&url).await;
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ConsoleDaemon {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A dead mail, a pending join request and open contracts for two reps in the coming weeks.
pub async fn seed(store: &dyn partnerdesk::store::Store) -> Seeded {
    let now = Utc::now();
    let admin = Actor::new("operator:test", "cli");
    let company = store
        .create_company(
            &NewCompany {
                name: "Acme 株式会社".into(),
                icn: None,
                site_number: None,
                status: "active".into(),
                locale: "ja".into(),
            },
            now,
        )
        .await
        .expect("company");
    let location = store
        .create_location(company.id, "東京本社", now)
        .await
        .expect("location");
    let token = CompanyToken::generate();
    store
        .rotate_company_token(company.id, &token.hash(), &admin, now)
        .await
        .expect("token");
    let joiner = Actor::new(JOINER, "discord");
    store
        .enter_company_token(
            &TokenEntry {
                actor_key: JOINER.into(),
                token_hash: secret::token_entry_hash(token.as_str()),
                profile_name: Some("新入 社員".into()),
                profile_locale: Some("ja".into()),
                max_failures: 5,
                window: Days::hours(1),
                lockout: Days::hours(1),
                grant_ttl: Days::minutes(30),
                max_failures_all_users: 1_000,
            },
            &joiner,
            now,
        )
        .await
        .expect("token entry");
    let join_id = match store
        .create_join_request(
            &JoinPick {
                actor_key: JOINER.into(),
                company_id: company.id,
                location_id: location.id,
                profile: NewPerson {
                    ibm_id: JOINER.into(),
                    name: "新入 社員".into(),
                    locale: "ja".into(),
                    time_zone: "Asia/Tokyo".into(),
                },
            },
            &joiner,
            now,
            &|_| Vec::new(),
        )
        .await
        .expect("join request")
    {
        PickOutcome::Created { request, .. } => request.id,
        other => panic!("no join request: {other:?}"),
    };
    let dead = store
        .enqueue(
            &NewOutboxMessage {
                channel: Channel::Email,
                recipient: DEAD_RECIPIENT.into(),
                subject: "更新のお知らせ".into(),
                body_text: "本文".into(),
                body_html: None,
                payload: None,
                locale: "ja".into(),
                dedupe_key: "console-test:dead".into(),
                not_before: now,
            },
            now,
        )
        .await
        .expect("enqueue");
    let dead_id = match dead {
        partnerdesk::store::Enqueued::New(id) => id,
        other => panic!("not enqueued: {other:?}"),
    };
    let claimed = store
        .claim_outbox("seed", now, now + Days::minutes(5), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert!(store
        .mark_outbox_dead(dead_id, "seed", "550 5.1.1 mailbox unavailable")
        .await
        .expect("dead"));
    let today = now.date_naive();
    let contracts: Vec<NewContract> = (0..24)
        .map(|i| NewContract {
            id: format!("C-{i:03}"),
            company: format!("取引先 {i}"),
            product: "Aspera Enterprise".into(),
            renewal_date: today + Days::days(3 + i * 3),
            sales_rep_email: if i % 2 == 0 {
                "rep.a@example.com"
            } else {
                "rep.b@example.com"
            }
            .into(),
            sales_rep_name: if i % 2 == 0 { "営業 A" } else { "Rep B" }.into(),
            sales_rep_lang: if i % 2 == 0 { "ja" } else { "en" }.into(),
            sales_rep_tz: "Asia/Tokyo".into(),
        })
        .collect();
    store
        .upsert_contracts(&contracts, now)
        .await
        .expect("contracts");
    Seeded {
        dead_id,
        join_id,
        company_id: company.id,
    }
}
