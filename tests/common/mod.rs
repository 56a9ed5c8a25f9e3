//! Test helpers shared by the integration suites: fresh databases on both backends.
#![allow(dead_code)]

pub mod console;
pub mod net;
pub mod smtp_server;

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use partnerdesk::config::Config;

/// The partnerdesk binary with none of the suite's own `PARTNERDESK_*` variables, and no
/// language from the terminal (LANG=C.UTF-8): operator messages come out in the configured
/// default language (ja) unless a test sets LANG itself.
pub fn partnerdesk_binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    for (key, _) in std::env::vars() {
        if key.starts_with("PARTNERDESK_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    cmd
}

/// Base URL of the PostgreSQL server the suites use (trust auth on this machine's kind).
pub fn postgres_base() -> String {
    std::env::var("PARTNERDESK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

/// A database name nobody else uses: `pdtest_<pid>_<nanos>_<seq>_<tag>`. The per-process
/// sequence matters: tests start on parallel threads within the clock's resolution, and two
/// of them once got the same name, so one test's cleanup dropped the other's database.
pub fn unique_db_name(tag: &str) -> String {
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let sequence = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("pdtest_{}_{}_{sequence}_{tag}", std::process::id(), nanos)
}

/// A fresh, migrated PostgreSQL database (one per call, so each test owns its rows). Fails
/// loudly when PostgreSQL is not reachable: the suite never skips it.
pub async fn fresh_postgres_url(tag: &str) -> String {
    let url = format!("{}/{}", postgres_base(), unique_db_name(tag));
    let config = config_for(&url);
    let mut last_error = None;
    // Concurrent CREATE DATABASE can collide on the template; a retry settles it.
    for _ in 0..5 {
        match partnerdesk::store::migrate(&config).await {
            Ok(_) => return url,
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!(
        "PostgreSQL is required for this suite ({}): {:?}",
        postgres_base(),
        last_error
    );
}

/// Drops a database made by `fresh_postgres_url` (best effort: scripts/test also sweeps).
pub async fn drop_postgres(url: &str) {
    use sqlx::migrate::MigrateDatabase;
    let _ = sqlx::Postgres::force_drop_database(url).await;
}

/// A fresh SQLite file in its own temporary folder (kept alive by the returned guard).
pub fn sqlite_url() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("test.db");
    (format!("sqlite://{}", path.display()), dir)
}

pub fn config_for(url: &str) -> Config {
    let mut config = Config::default();
    config.database.url = url.to_string();
    config
}

/// A fixed instant with whole milliseconds, which both backends store exactly.
pub fn instant(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid test instant")
}

/// A store on a fresh database of either backend, and what to clean up after the test.
pub struct StoreFixture {
    pub store: std::sync::Arc<dyn partnerdesk::store::Store>,
    _dir: Option<tempfile::TempDir>,
    postgres_url: Option<String>,
}

impl StoreFixture {
    /// A migrated SQLite file in its own temporary folder.
    pub async fn sqlite() -> Self {
        let (url, dir) = sqlite_url();
        let config = config_for(&url);
        partnerdesk::store::migrate(&config)
            .await
            .expect("migrate sqlite");
        Self {
            store: partnerdesk::store::open(&config)
                .await
                .expect("open sqlite"),
            _dir: Some(dir),
            postgres_url: None,
        }
    }

    /// A fresh, migrated PostgreSQL database named after `tag`.
    pub async fn postgres(tag: &str) -> Self {
        let url = fresh_postgres_url(tag).await;
        let config = config_for(&url);
        Self {
            store: partnerdesk::store::open(&config)
                .await
                .expect("open postgres"),
            _dir: None,
            postgres_url: Some(url),
        }
    }

    /// Closes the pool and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some(url) = &self.postgres_url {
            drop_postgres(url).await;
        }
    }
}
