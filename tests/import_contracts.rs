//! `partnerdesk import contracts FILE.csv` as operators run it: columns by name in any order,
//! each bad row reported with its line number, nothing imported while a row is bad (unless
//! `--skip-bad`), and a re-import that updates in place.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn partnerdesk(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = common::partnerdesk_binary();
    cmd.current_dir(dir).args(args).output().expect("run")
}

fn report(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const HEADER: &str =
    "sales_rep_tz,contract_id,note,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang";

#[test]
fn columns_by_name_bad_rows_by_line_and_updates_in_place() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        format!(
            "\u{feff}{HEADER}\n\
             Asia/Tokyo,K-1,first,株式会社サンプル,Aspera Faspex,2026-12-10,rep@example.com,佐藤 花子,ja\n\
             Asia/Tokyo,K-2,,Other Co,Aspera Connect,2026-13-40,rep@example.com,佐藤 花子,ja\n\
             Mars/Base,K-3,,Third Co,Aspera Connect,2027-01-10,not-an-address,X,en\n"
        ),
    )
    .expect("csv");
    let file = csv.to_str().expect("path");

    // Two bad rows: both reported with their line numbers, nothing imported, exit 2.
    let out = partnerdesk(dir.path(), &["import", "contracts", file, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let r = report(&out);
    assert_eq!(r["inserted"], 0, "{r}");
    let lines: Vec<u64> = r["bad"]
        .as_array()
        .expect("bad rows")
        .iter()
        .filter_map(|b| b["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![3, 4], "{r}");
    let reasons = r["bad"].to_string();
    assert!(reasons.contains("renewal_date"), "{reasons}");
    assert!(
        reasons.contains("sales_rep_email") || reasons.contains("sales_rep_tz"),
        "{reasons}"
    );

    // --skip-bad imports the good row; a second run changes nothing.
    let out = partnerdesk(
        dir.path(),
        &["import", "contracts", file, "--skip-bad", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report(&out)["inserted"], 1);
    let out = partnerdesk(
        dir.path(),
        &["import", "contracts", file, "--skip-bad", "--json"],
    );
    assert_eq!(report(&out)["unchanged"], 1);

    // A corrected file updates K-1 in place and adds K-2.
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\n\
             Asia/Tokyo,K-1,moved,株式会社サンプル,Aspera Faspex,2027-01-31,rep@example.com,佐藤 花子,ja\n\
             Asia/Tokyo,K-2,,Other Co,Aspera Connect,2027-02-01,rep@example.com,佐藤 花子,ja\n"
        ),
    )
    .expect("csv");
    let out = partnerdesk(dir.path(), &["import", "contracts", file, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&out);
    assert_eq!(
        (r["inserted"].as_u64(), r["updated"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
}

#[test]
fn a_header_without_a_needed_column_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        "contract_id,company,product,renewal_date,sales_rep_name,sales_rep_lang,sales_rep_tz\n\
         K-1,Co,P,2026-12-10,Rep,ja,Asia/Tokyo\n",
    )
    .expect("csv");
    let out = partnerdesk(
        dir.path(),
        &["import", "contracts", csv.to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The rep's name, language and zone are optional (from the person record, else
    // configuration); the rep's email is not.
    assert!(err.contains("sales_rep_email"), "{err}");
    assert!(!dir.path().join("var").exists(), "nothing created");
}

#[test]
fn bad_rows_are_explained_in_the_operators_language() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz\n\
         K-1,Co,P,someday,rep@example.com,Rep,en,Asia/Tokyo\n",
    )
    .expect("csv");
    let run = |lang: &str| {
        let mut cmd = common::partnerdesk_binary();
        for (key, _) in std::env::vars() {
            if key.starts_with("PARTNERDESK_") || key.starts_with("LC_") {
                cmd.env_remove(key);
            }
        }
        let out = cmd
            .current_dir(dir.path())
            .env("LANG", lang)
            .args(["import", "contracts", csv.to_str().expect("path")])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let en = run("en_US.UTF-8");
    assert!(
        en.contains(":2: renewal_date \"someday\" is not a date"),
        "{en}"
    );
    assert!(en.contains("nothing was imported"), "{en}");
    let ja = run("ja_JP.UTF-8");
    assert!(
        ja.contains(":2: renewal_date「someday」は日付ではありません"),
        "{ja}"
    );
}

/// Random CSV-ish bytes (valid headers with mangled rows, quotes, NULs, invalid UTF-8) never
/// panic the contracts, companies or people readers: each row is good or reported.
#[test]
fn random_csv_never_panics_any_importer() {
    use partnerdesk::cli::import::{parse_companies, parse_people, Directory};
    use partnerdesk::i18n::Locale;

    let headers = [
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz",
        "name,lang,icn,site_number,status,locations",
        "ibm_id,name,lang,time_zone,company,location,role,level",
    ];
    let pieces: &[&[u8]] = &[
        b",",
        b"\"",
        b"\"\"",
        b"\n",
        b"\r\n",
        b"x",
        b"2015-08-15",
        b"a@example.com",
        b"ja",
        b"Asia/Tokyo",
        b"\xff\xfe",
        b"\0",
        "株式会社".as_bytes(),
        b"apa",
        b"basic",
        b";",
        b" ",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    let dir = tempfile::tempdir().expect("dir");
    for round in 0..600 {
        let mut bytes = headers[round % 3].as_bytes().to_vec();
        bytes.push(b'\n');
        for _ in 0..rng.usize(..200) {
            bytes.extend_from_slice(pieces[rng.usize(..pieces.len())]);
        }
        match round % 3 {
            0 => {
                let path = dir.path().join("c.csv");
                std::fs::write(&path, &bytes).expect("write");
                if let Ok((good, bad)) =
                    partnerdesk::cli::import_contracts::read_contracts(&path, Locale::En)
                {
                    assert!(bad.iter().all(|b| !b.reason.is_empty()));
                    assert!(good.iter().all(|c| !c.id.is_empty()));
                }
            }
            1 => {
                let _ = parse_companies(bytes.as_slice(), Locale::Ja);
            }
            _ => {
                let directory = Directory {
                    companies: Vec::new(),
                    locations: Vec::new(),
                };
                let _ = parse_people(bytes.as_slice(), &directory, Locale::En);
            }
        }
    }
}

/// A contract named twice in one file, or a field with a control character, is a bad row:
/// reported with its line, not silently merged or stored.
#[test]
fn repeated_contracts_and_control_characters_are_bad_rows() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\n\
             Asia/Tokyo,K-1,,Co One,Aspera Faspex,2026-12-10,rep@example.com,Rep,en\n\
             Asia/Tokyo,K-1,,Co One,Aspera Faspex,2027-12-10,rep@example.com,Rep,en\n\
             Asia/Tokyo,K-2,,Co\u{0}Two,Aspera Faspex,2026-12-10,rep@example.com,Rep,en\n\
             Asia/Tokyo,K-3,,Co Three,Aspera Faspex,2026-12-10,rep@example.com,Rep,en\n"
        ),
    )
    .expect("csv");
    let file = csv.to_str().expect("path");
    let out = partnerdesk(
        dir.path(),
        &["import", "contracts", file, "--skip-bad", "--json"],
    );
    let r = report(&out);
    assert_eq!(r["inserted"], 2, "K-1 (first row) and K-3: {r}");
    let bad: Vec<(u64, String)> = r["bad"]
        .as_array()
        .expect("bad rows")
        .iter()
        .map(|b| {
            (
                b["line"].as_u64().unwrap_or_default(),
                b["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert_eq!(bad[0].0, 3);
    assert!(bad[0].1.contains("K-1"), "{bad:?}");
    assert_eq!(bad[1].0, 4);
    assert!(bad[1].1.contains("company"), "{bad:?}");
}
