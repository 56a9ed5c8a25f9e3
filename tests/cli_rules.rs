//! The business-rule commands as scripts call them: `hours`, `renewal explain`,
//! `payment explain`, `schedule next` — JSON shapes, boundaries, and refusals with exit code 2.

mod common;

use std::process::Output;

use serde_json::Value;

fn partnerdesk(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = common::partnerdesk_binary();
    // Refusals are read in English here; replies choose their language with --lang.
    cmd.current_dir(dir.path())
        .env("LANG", "en_US.UTF-8")
        .args(args)
        .output()
        .expect("run")
}

fn json(args: &[&str]) -> Value {
    let out = partnerdesk(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stdout(args: &[&str]) -> String {
    let out = partnerdesk(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(args: &[&str], needles: &[&str]) {
    let out = partnerdesk(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"));
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` missing: {stderr}");
    }
}

fn hours(at: &str) -> Value {
    json(&["hours", "--json", "--at", at])
}

#[test]
fn hours_open_and_close_on_the_minute() {
    let v = hours("2026-11-24T09:00:00+09:00");
    assert_eq!(v["open"], true);
    assert_eq!(v["next_close"], "2026-11-24T12:00:00+09:00");
    // Open: the next opening after now is after lunch.
    assert_eq!(v["next_open"], "2026-11-24T13:00:00+09:00");
    let v = hours("2026-11-24T10:00:00+09:00");
    assert_eq!(
        (v["open"].as_bool(), v["reason"].as_str()),
        (Some(true), Some("open"))
    );
    assert_eq!(v["next_close"], "2026-11-24T12:00:00+09:00");
    assert_eq!(v["next_open"], "2026-11-24T13:00:00+09:00");
    // Open in the afternoon: closes at 17:00, opens again the next business morning.
    let v = hours("2026-11-24T15:00:00+09:00");
    assert_eq!(v["next_close"], "2026-11-24T17:00:00+09:00");
    assert_eq!(v["next_open"], "2026-11-25T09:00:00+09:00");
    // Friday afternoon before a weekend: the next opening is Monday.
    let v = hours("2026-11-27T16:00:00+09:00");
    assert_eq!(v["next_open"], "2026-11-30T09:00:00+09:00");

    let v = hours("2026-11-24T08:59:59+09:00");
    assert_eq!(
        (v["open"].as_bool(), v["reason"].as_str()),
        (Some(false), Some("outside hours"))
    );
    assert_eq!(v["reason_code"], "before-hours");
    assert_eq!(v["next_open"], "2026-11-24T09:00:00+09:00");

    let v = hours("2026-11-24T12:00:00+09:00");
    assert_eq!(
        (v["open"].as_bool(), v["reason"].as_str()),
        (Some(false), Some("lunch break"))
    );
    assert_eq!(v["reason_code"], "lunch-break");
    assert_eq!(v["next_open"], "2026-11-24T13:00:00+09:00");
    assert_eq!(v["next_close"], "2026-11-24T17:00:00+09:00");

    let v = hours("2026-11-24T16:59:00+09:00");
    assert_eq!(v["open"], true);
    let v = hours("2026-11-24T17:00:00+09:00");
    assert_eq!(v["reason"], "outside hours");
    assert_eq!(v["reason_code"], "after-hours");
    assert_eq!(v["next_open"], "2026-11-25T09:00:00+09:00");
}

#[test]
fn hours_closed_days_say_why() {
    // An instant given in UTC is read in Tokyo: 2026-11-23 01:00Z is 10:00 JST on 勤労感謝の日.
    let v = hours("2026-11-23T01:00:00Z");
    assert_eq!(v["open"], false);
    // The reason of a holiday closure is the holiday's name; the code is beside it.
    assert_eq!(v["reason"], "勤労感謝の日");
    assert_eq!(v["reason_code"], "holiday");
    assert_eq!(v["holiday"], "勤労感謝の日");
    assert_eq!(v["holiday_en"], "Labor Thanksgiving Day");
    assert_eq!(v["next_open"], "2026-11-24T09:00:00+09:00");
    assert_eq!(hours("2026-11-22T10:00:00+09:00")["reason"], "weekend");
    assert_eq!(hours("2026-06-17T10:00:00+09:00")["reason"], "anniversary");
    let v = hours("2026-12-30T10:00:00+09:00");
    assert_eq!(v["reason"], "year-end closure");
    assert_eq!(v["reason_code"], "year-end");
    assert_eq!(v["next_open"], "2027-01-04T09:00:00+09:00");
    assert_eq!(hours("2026-12-29T10:00:00+09:00")["open"], true);
    // A substitute holiday: 2026-05-06 (振替休日 for Constitution Day on a Sunday).
    let v = hours("2026-05-06T10:00:00+09:00");
    assert_eq!(v["reason"], "振替休日");
    assert_eq!(v["reason_code"], "holiday");
    assert_eq!(v["holiday"], "振替休日");
    // A citizens' holiday: 2026-09-22 sits between 敬老の日 and 秋分の日.
    let v = hours("2026-09-22T10:00:00+09:00");
    assert_eq!(v["reason"], "国民の休日");
    assert_eq!(v["holiday"], "国民の休日");
    // Every other closure: `reason` in the words, `reason_code` the finer code.
    for (at, words, code) in [
        ("2026-11-22T10:00:00+09:00", "weekend", "weekend"),
        ("2026-06-17T10:00:00+09:00", "anniversary", "anniversary"),
        ("2026-12-30T10:00:00+09:00", "year-end closure", "year-end"),
        ("2026-11-24T12:30:00+09:00", "lunch break", "lunch-break"),
        ("2026-11-24T07:00:00+09:00", "outside hours", "before-hours"),
        ("2026-11-24T18:00:00+09:00", "outside hours", "after-hours"),
    ] {
        let v = hours(at);
        assert_eq!(
            (v["reason"].as_str(), v["reason_code"].as_str()),
            (Some(words), Some(code)),
            "{at}"
        );
        assert_eq!(v["holiday"], Value::Null, "{at}");
    }
}

#[test]
fn hours_text_in_both_languages() {
    let en = stdout(&["hours", "--at", "2026-11-23T10:00:00+09:00", "--lang", "en"]);
    assert!(
        en.contains("Labor Thanksgiving Day") && en.contains("November 24"),
        "{en}"
    );
    let ja = stdout(&["hours", "--at", "2026-11-23T10:00:00+09:00", "--lang", "ja"]);
    assert!(
        ja.contains("勤労感謝の日") && ja.contains("11月24日"),
        "{ja}"
    );
    // Without --lang, the terminal's language (LANG=en_US.UTF-8 here) decides.
    let default = stdout(&["hours", "--at", "2026-11-23T10:00:00+09:00"]);
    assert_eq!(default, en);
    let renewal = stdout(&["renewal", "explain", "2015-08-15"]);
    assert!(renewal.is_ascii(), "{renewal}");
}

#[test]
fn renewal_windows_at_every_boundary() {
    let explain = |date: &str| json(&["renewal", "explain", date, "--json", "--lang", "en"]);
    let v = explain("2015-06-30");
    assert_eq!(v["window"], "before-cutover");
    assert_eq!(v["confirm_by"], "2015-06-30");
    assert_eq!(v["quote_from"], "aspera-sales");
    assert_eq!(v["end_of_month"], false);
    let v = explain("2015-03-10");
    assert_eq!(
        v["confirm_by"], "2015-03-10",
        "the earlier of the renewal date and 06-30"
    );
    let v = explain("2015-07-01");
    assert_eq!(v["window"], "transition");
    assert_eq!(v["confirm_by"], "2015-06-30");
    assert_eq!(v["quote_from"], "ibm-renewal");
    assert_eq!(v["end_of_month"], true);
    assert_eq!(explain("2015-09-30")["window"], "transition");
    let v = explain("2015-10-01");
    assert_eq!(v["window"], "after-transition");
    assert_eq!(v["confirm_by"], Value::Null);
    assert_eq!(v["terms_if_late"], "ibm");
    assert_eq!(v["renewal_date"], "2015-10-01");
    assert!(v["text"]
        .as_str()
        .is_some_and(|t| t.contains("October 1, 2015")));
}

#[test]
fn payment_payee_and_due_date() {
    let v = json(&["payment", "explain", "2015-06-30", "--json"]);
    // An Aspera invoice before 7/1 is paid as the invoice states: no computed due date.
    assert_eq!(v["payee"], "aspera");
    assert_eq!(v["due_date"], Value::Null);
    assert_eq!(v["pay_as_invoice_states"], true);
    assert_eq!(v["contract_terms_override"], false);
    let text = v["text"].as_str().unwrap_or_default();
    assert!(text.contains("stated on the invoice"), "{text}");
    assert!(!text.contains("30 days"), "{text}");
    let v = json(&["payment", "explain", "2015-07-01", "--json", "--lang", "ja"]);
    assert_eq!(v["payee"], "ibm-japan");
    assert_eq!(v["payee_name"], "日本アイ・ビー・エム株式会社");
    assert_eq!(v["due_date"], "2015-07-31");
    assert_eq!(v["contract_terms_override"], true);
    assert!(v["text"].as_str().is_some_and(|t| t.contains("30日以内")));
    assert!(v["text"]
        .as_str()
        .is_some_and(|t| t.contains("固有の支払い条件が規定されている場合")));
}

#[test]
fn schedule_next_follows_crontab() {
    let next = |expr: &str, extra: &[&str]| {
        let mut args = vec!["schedule", "next", expr, "--after", "2026-11-20T00:00:00Z"];
        args.extend_from_slice(extra);
        stdout(&args)
    };
    // 0 and 7 are both Sunday; names in any case.
    let sunday = next("0 9 * * 0", &["--count", "2"]);
    assert_eq!(sunday, next("0 9 * * 7", &["--count", "2"]));
    assert_eq!(sunday, next("0 9 * * sUn", &["--count", "2"]));
    assert_eq!(
        sunday,
        "2026-11-22T09:00:00+09:00\n2026-11-29T09:00:00+09:00\n"
    );
    // Day-of-month and day-of-week both restricted: either one fires.
    let either = next("0 0 1 * MON", &["--count", "3", "--tz", "UTC"]);
    assert_eq!(
        either,
        "2026-11-23T00:00:00+00:00\n2026-11-30T00:00:00+00:00\n2026-12-01T00:00:00+00:00\n"
    );
    // Business days skip the holiday on Monday 2026-11-23; fires are strictly after --after
    // (2026-11-20T00:00Z is 09:00 in Tokyo, so that fire is not repeated).
    let weekdays = next("0 9 * * 1-5", &["--count", "2", "--business-days"]);
    assert_eq!(
        weekdays,
        "2026-11-24T09:00:00+09:00\n2026-11-25T09:00:00+09:00\n"
    );
    let all_weekdays = next("0 9 * * 1-5", &["--count", "2"]);
    assert_eq!(
        all_weekdays,
        "2026-11-23T09:00:00+09:00\n2026-11-24T09:00:00+09:00\n"
    );
    // The cron crate's 6-field form with seconds.
    let seconds = next("30 0 9 * * Mon", &["--count", "1", "--tz", "UTC"]);
    assert_eq!(seconds, "2026-11-23T09:00:30+00:00\n");
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    refused(
        &["schedule", "next", "61 * * * *"],
        &["minute", "61", "0-59"],
    );
    refused(&["schedule", "next", "* * *"], &["field"]);
    refused(
        &["schedule", "next", "0 9 * * *", "--tz", "Mars/Olympus"],
        &["Mars/Olympus"],
    );
    refused(&["renewal", "explain", "2015-02-30"], &["2015-02-30"]);
    refused(
        &["payment", "explain", "someday"],
        &["someday", "2015/8/15", "2015年8月15日"],
    );
    refused(&["hours", "--at", "tomorrowish"], &["tomorrowish"]);
}

#[test]
fn other_contacts_have_hours_of_their_own() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("contacts.toml");
    std::fs::write(
        &config,
        "[contacts.aspera-support]\nname = \"Aspera support\"\n\
         [contacts.aspera-support.calendar]\nhours = [\"10:00-18:00\"]\nanniversary = false\n",
    )
    .expect("config");
    let config = config.to_str().expect("path");
    let hours = |contact: &str, at: &str| {
        json(&[
            "--config",
            config,
            "hours",
            "--contact",
            contact,
            "--at",
            at,
            "--json",
        ])
    };
    // 9:30 on a Tuesday: PWCS is open, the other contact not yet.
    let morning = "2026-11-24T09:30:00+09:00";
    assert_eq!(hours("pwcs", morning)["open"], true);
    let other = hours("aspera-support", morning);
    assert_eq!(other["open"], false, "{other}");
    assert_eq!(other["next_open"], "2026-11-24T10:00:00+09:00", "{other}");
    // June 17 is PWCS's closed anniversary, not the other contact's; lunch is not a break there.
    let anniversary = "2027-06-17T12:30:00+09:00";
    assert_eq!(hours("pwcs", anniversary)["open"], false);
    assert_eq!(hours("aspera-support", anniversary)["open"], true);

    let out = partnerdesk(&["--config", config, "hours", "--contact", "nobody", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown contact") && err.contains("aspera-support"),
        "{err}"
    );
}
