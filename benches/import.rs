//! Benchmark of `partnerdesk import contracts` at scale (issue 14; see BENCHMARKS.md): the
//! release binary imports a generated file of N contracts (default 1,000,000, about 92 MB)
//! into a fresh database; wall time and the process's peak resident memory, then the same
//! file again (every row unchanged).
//!
//! `cargo bench --bench import` runs SQLite with a million rows;
//! `cargo bench --bench import -- postgres 200000` another backend or size.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let backend = args.first().map(String::as_str).unwrap_or("sqlite");
    let rows: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("dir");
    let url = match backend {
        "sqlite" => format!("sqlite://{}", dir.path().join("bench.db").display()),
        "postgres" => format!(
            "postgres://postgres@127.0.0.1:5432/pdimport_{}",
            std::process::id()
        ),
        other => panic!("backend must be sqlite or postgres, not {other}"),
    };
    let file = dir.path().join("contracts.csv");
    let bytes = write_contracts(&file, rows);
    for round in ["first import", "re-import"] {
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
            .current_dir(dir.path())
            .env("PARTNERDESK_DATABASE__URL", &url)
            .args(["import", "contracts"])
            .arg(&file)
            .arg("--json")
            .output()
            .expect("run the import");
        let elapsed = started.elapsed();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = String::from_utf8_lossy(&output.stdout);
        println!(
            "import {backend:<8} {rows:>9} rows ({:.0} MB) {round:<12} {:>6.2} s  peak RSS {:>6.1} MiB  {}",
            bytes as f64 / 1e6,
            elapsed.as_secs_f64(),
            children_peak_rss_kib() as f64 / 1024.0,
            report.trim()
        );
    }
    if backend == "postgres" {
        let _ = Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS pdimport_{}",
                std::process::id()
            ))
            .status();
    }
}

/// The largest peak resident memory of the children waited for so far (KiB): the import's.
fn children_peak_rss_kib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid pointer.
    let done = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if done == 0 {
        usage.ru_maxrss
    } else {
        0
    }
}

/// Writes `rows` contracts over 2,000 reps and a year of renewal dates; returns the size.
fn write_contracts(path: &Path, rows: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(
        out,
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz"
    )
    .expect("write");
    for i in 0..rows {
        let rep = i % 2_000;
        let (month, day) = (1 + i % 12, 1 + i % 28);
        let (lang, zone) = if rep % 5 == 0 {
            ("en", "America/New_York")
        } else {
            ("ja", "Asia/Tokyo")
        };
        writeln!(
            out,
            "CT-{i:08},株式会社サンプル{},Aspera Faspex Server,2027-{month:02}-{day:02},rep{rep}@example.com,営業 担当{rep},{lang},{zone}",
            i % 50_000
        )
        .expect("write");
    }
    out.flush().expect("flush");
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
