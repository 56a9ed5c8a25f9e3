//! Asked dates and times, end to end: every question of `tests/data/asked_dates.tsv` goes
//! through `partnerdesk ask --json --lang L --now T` (one process per instant and language,
//! one question per stdin line, as the checker calls it), and its answer must state the
//! expected facts: the hours at the asked instant or on the asked day, the renewal window, the
//! payee and the due date. Also: the one date parser in the CLI (`renewal explain`, `payment
//! explain`, `hours --at`), the contracts CSV and chat accept the same forms.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;

struct Case {
    line: usize,
    question: String,
    facts: Vec<String>,
}

fn cases() -> BTreeMap<(String, String), Vec<Case>> {
    let data = include_str!("data/asked_dates.tsv");
    let mut groups: BTreeMap<(String, String), Vec<Case>> = BTreeMap::new();
    for (index, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "line {}: {line}", index + 1);
        groups
            .entry((cols[0].to_string(), cols[1].to_string()))
            .or_default()
            .push(Case {
                line: index + 1,
                question: cols[2].to_string(),
                facts: cols[3].split(" ;; ").map(str::to_string).collect(),
            });
    }
    groups
}

/// One `ask --json` run over `questions`, one answer per line.
fn ask(now: &str, lang: &str, questions: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = common::partnerdesk_binary()
        .current_dir(dir.path())
        .args(["ask", "--json", "--lang", lang, "--now", now])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for q in questions {
            writeln!(stdin, "{q}").expect("write");
        }
    }
    let out = child.wait_with_output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn answers_speak_about_the_asked_instant() {
    let groups = cases();
    let total: usize = groups.values().map(Vec::len).sum();
    assert!(total >= 40, "only {total} questions");
    let mut failures = Vec::new();
    for ((now, lang), cases) in &groups {
        let questions: Vec<&str> = cases.iter().map(|c| c.question.as_str()).collect();
        let answers = ask(now, lang, &questions);
        assert_eq!(answers.len(), cases.len(), "one answer per question");
        for (case, answer) in cases.iter().zip(&answers) {
            let text = answer["text"].as_str().unwrap_or_default();
            let topic = answer["topic"].as_str().unwrap_or_default();
            for fact in &case.facts {
                let ok = if let Some(want) = fact.strip_prefix("topic=") {
                    topic == want
                } else if let Some(absent) = fact.strip_prefix('!') {
                    !text.contains(absent)
                } else {
                    text.contains(fact.as_str())
                };
                if !ok {
                    failures.push(format!(
                        "line {} ({lang}, {now}) {:?}: `{fact}` not met; topic {topic}; text: {}",
                        case.line,
                        case.question,
                        text.replace('\n', " | ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} questions:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn partnerdesk(dir: &Path, args: &[&str]) -> Output {
    common::partnerdesk_binary()
        .current_dir(dir)
        .env("LANG", "en_US.UTF-8")
        .args(args)
        .output()
        .expect("run")
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const FORMS: &[&str] = &[
    "2015-08-15",
    "2015/8/15",
    "8/15/2015",
    "2015年8月15日",
    "2015年 8月 15日",
    "２０１５年８月１５日",
    "平成27年8月15日",
    "H27.8.15",
    "Aug 15 2015",
    "August 15, 2015",
    "15 August 2015",
];

#[test]
fn one_form_is_accepted_by_the_cli_the_csv_import_and_chat() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contracts.csv");
    let header = "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,\
                  sales_rep_lang,sales_rep_tz";
    for (i, form) in FORMS.iter().enumerate() {
        // CLI: renewal explain and payment explain read the same date.
        let v = json_of(&partnerdesk(
            dir.path(),
            &["renewal", "explain", form, "--json", "--lang", "en"],
        ));
        assert_eq!(v["renewal_date"], "2015-08-15", "{form}: {v}");
        assert_eq!(v["window"], "transition", "{form}: {v}");
        let v = json_of(&partnerdesk(
            dir.path(),
            &["payment", "explain", form, "--json"],
        ));
        assert_eq!(v["invoice_date"], "2015-08-15", "{form}: {v}");

        // CSV: the first import stores the date; re-importing it written as 2015-08-15
        // changes nothing, so the same day was stored.
        std::fs::write(
            &csv,
            format!("{header}\nK-{i},Co,P,\"{form}\",rep@example.com,Rep,en,Asia/Tokyo\n"),
        )
        .expect("csv");
        let file = csv.to_str().expect("path");
        let r = json_of(&partnerdesk(
            dir.path(),
            &["import", "contracts", file, "--json"],
        ));
        assert_eq!(r["inserted"], 1, "{form}: {r}");
        std::fs::write(
            &csv,
            format!("{header}\nK-{i},Co,P,2015-08-15,rep@example.com,Rep,en,Asia/Tokyo\n"),
        )
        .expect("csv");
        let r = json_of(&partnerdesk(
            dir.path(),
            &["import", "contracts", file, "--json"],
        ));
        assert_eq!(r["unchanged"], 1, "{form}: {r}");
    }

    // Chat: the same forms in a renewal question.
    let questions: Vec<String> = FORMS
        .iter()
        .map(|form| format!("更新日が{form}の契約はどうなりますか"))
        .collect();
    let questions: Vec<&str> = questions.iter().map(String::as_str).collect();
    for (form, answer) in FORMS
        .iter()
        .zip(ask("2026-06-16T10:00:00+09:00", "ja", &questions))
    {
        let text = answer["text"].as_str().unwrap_or_default();
        assert!(text.contains("更新日 (2015年8月15日)"), "{form}: {text}");
    }
}

#[test]
fn hours_at_reads_rfc3339_and_the_chat_forms() {
    let dir = tempfile::tempdir().expect("dir");
    let hours = |at: &str| {
        json_of(&partnerdesk(
            dir.path(),
            &["hours", "--json", "--lang", "ja", "--at", at],
        ))
    };
    for at in [
        "2026-06-17T10:00:00+09:00",
        "2026-06-17 10:00",
        "2026/6/17 10時",
        "2026年6月17日の午前10時",
        "令和8年6月17日 10:00",
        "R8.6.17 10am",
        "June 17, 2026 at 10:00",
    ] {
        let v = hours(at);
        assert_eq!(v["open"], false, "{at}: {v}");
        assert_eq!(v["reason_code"], "anniversary", "{at}: {v}");
        assert_eq!(v["next_open"], "2026-06-18T09:00:00+09:00", "{at}: {v}");
    }
    // A whole day: is it a business day, and its hours.
    let v = hours("2026-06-18");
    let text = v["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("6月18日(木) は営業日です") && text.contains("9:00~12:00 および 13:00~17:00"),
        "{v}"
    );
    let v = hours("2026年6月17日");
    assert_eq!(v["reason_code"], "anniversary", "{v}");
    let text = v["text"].as_str().unwrap_or_default();
    assert!(text.contains("創立記念日のため休業日です"), "{v}");
    // Lunch time on a business day, asked the way people write it.
    let v = hours("2026年6月18日 12時半");
    assert_eq!(v["reason_code"], "lunch-break", "{v}");
    assert_eq!(v["next_open"], "2026-06-18T13:00:00+09:00", "{v}");
}

#[test]
fn dates_that_cannot_be_read_are_refused_with_the_accepted_forms() {
    let dir = tempfile::tempdir().expect("dir");
    for (args, needles) in [
        (
            &["renewal", "explain", "2015-02-30"][..],
            &["2015-02-30", "no such day", "平成27年8月15日"][..],
        ),
        (
            &["renewal", "explain", "平成32年1月1日"][..],
            &["平成32年1月1日", "no such day"][..],
        ),
        (
            &["payment", "explain", "someday"][..],
            &["someday", "not a form we can read", "2015/8/15"][..],
        ),
        (
            &["hours", "--at", "2026-02-30 10:00"][..],
            &["2026-02-30", "no such day", "RFC 3339"][..],
        ),
        (&["hours", "--at", "25時"][..], &["25時", "no such day"][..]),
    ] {
        let out = partnerdesk(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "{args:?}: `{needle}` missing: {stderr}"
            );
        }
    }
    // In Japanese too.
    let out = common::partnerdesk_binary()
        .current_dir(dir.path())
        .env("LANG", "ja_JP.UTF-8")
        .args(["renewal", "explain", "2月30日"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("その日付・時刻は存在しません") && stderr.contains("使える書き方"),
        "{stderr}"
    );

    // The CSV refuses a date without a year (a contract's renewal date is a fact, not "the
    // next August 15") and one that does not exist, naming the line and the forms.
    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz\n\
         K-1,Co,P,8月15日,rep@example.com,Rep,en,Asia/Tokyo\n\
         K-2,Co,P,平成27年2月30日,rep@example.com,Rep,en,Asia/Tokyo\n",
    )
    .expect("csv");
    let out = partnerdesk(
        dir.path(),
        &["import", "contracts", csv.to_str().expect("path"), "--json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).expect("report");
    let bad = report["bad"].to_string();
    assert!(
        bad.contains("has no year") && bad.contains("2015/8/15"),
        "{bad}"
    );
    assert!(bad.contains("no such day"), "{bad}");
}
