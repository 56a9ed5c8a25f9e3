//! `import contracts` on large files (issue 14): written in one transaction that is committed
//! only when every row was good, batch counts right on both backends, and an interrupted import
//! rolled back whole with a message that says how far it got and what to do.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

const HEADER: &str = "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz";

/// A contracts file of `rows` rows; `variant` changes the product of every 10th row.
fn write_contracts(path: &Path, rows: usize, variant: u32, bad_at: Option<usize>) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "{HEADER}").expect("write");
    for i in 0..rows {
        let product = if i % 10 == 0 && variant > 0 {
            format!("Aspera Faspex v{variant}")
        } else {
            "Aspera Faspex".to_string()
        };
        let date = if Some(i) == bad_at {
            "2027-13-45"
        } else {
            "2027-03-15"
        };
        writeln!(
            out,
            "C-{i:07},Company {i},{product},{date},rep{}@example.com,Rep {},en,Asia/Tokyo",
            i % 50,
            i % 50
        )
        .expect("write");
    }
}

fn import(dir: &Path, url: &str, file: &Path, extra: &[&str]) -> Output {
    common::partnerdesk_binary()
        .current_dir(dir)
        .env("PARTNERDESK_DATABASE__URL", url)
        .env("LANG", "en_US.UTF-8")
        .args(["import", "contracts"])
        .arg(file)
        .args(["--json"])
        .args(extra)
        .output()
        .expect("run")
}

fn report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(out.stdout.trim_ascii())
        .unwrap_or_else(|e| panic!("no report ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

async fn batches_count_right_and_bad_files_write_nothing(url: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("contracts.csv");
    // 2,500 rows: two full batches and a partial one.
    write_contracts(&file, 2_500, 0, Some(2_400));
    let out = import(dir.path(), url, &file, &[]);
    assert_eq!(out.status.code(), Some(2), "one bad row refuses the file");
    assert_eq!(report(&out)["inserted"], 0);
    let config = common::config_for(url);
    let store = partnerdesk::store::open_and_migrate(&config)
        .await
        .expect("store");
    assert!(
        store.contract("C-0000000").await.expect("read").is_none(),
        "nothing was written while a row is bad"
    );

    let out = import(dir.path(), url, &file, &["--skip-bad"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&out);
    assert_eq!(
        (r["inserted"].as_u64(), r["bad"].as_array().map(Vec::len)),
        (Some(2_499), Some(1)),
        "{r}"
    );

    // Every 10th row changed (the once-bad row 2,400 among them, now new), the rest the same.
    write_contracts(&file, 2_500, 2, None);
    let out = import(dir.path(), url, &file, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&out);
    assert_eq!(
        (
            r["inserted"].as_u64(),
            r["updated"].as_u64(),
            r["unchanged"].as_u64()
        ),
        (Some(1), Some(249), Some(2_250)),
        "{r}"
    );
    let changed = store
        .contract("C-0000010")
        .await
        .expect("read")
        .expect("row");
    assert_eq!(changed.product, "Aspera Faspex v2");
    store.close().await;
}

#[tokio::test]
async fn sqlite_imports_in_batches_inside_one_transaction() {
    let (url, _dir) = common::sqlite_url();
    batches_count_right_and_bad_files_write_nothing(&url).await;
}

#[tokio::test]
async fn postgres_imports_in_batches_inside_one_transaction() {
    let url = common::fresh_postgres_url("import_scale").await;
    batches_count_right_and_bad_files_write_nothing(&url).await;
    common::drop_postgres(&url).await;
}

#[tokio::test]
async fn an_interrupted_import_is_rolled_back_and_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let (url, _db) = common::sqlite_url();
    let file = dir.path().join("contracts.csv");
    write_contracts(&file, 400_000, 0, None);
    let child = common::partnerdesk_binary()
        .current_dir(dir.path())
        .env("PARTNERDESK_DATABASE__URL", &url)
        .env("LANG", "en_US.UTF-8")
        .args(["import", "contracts"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("interrupted after") && stderr.contains("rows had been read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing changed") && stderr.contains("again"),
        "{stderr}"
    );
    let store = partnerdesk::store::open_and_migrate(&common::config_for(&url))
        .await
        .expect("store");
    assert!(store.contract("C-0000000").await.expect("read").is_none());
    store.close().await;
}
