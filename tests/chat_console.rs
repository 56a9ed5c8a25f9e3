//! The chat as partners and operators meet it in the terminal: `ask` (one question, batch,
//! JSON, language detection, computed answers) and `chat` (slash commands, --json replies,
//! `!press`), through the real binary.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::Value;

const OPEN_TUESDAY: &str = "2026-11-24T10:00:00+09:00";
const HOLIDAY_MONDAY: &str = "2026-11-23T10:00:00+09:00";

fn partnerdesk(args: &[&str], stdin: &str) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    (in_dir(dir.path(), args, stdin), dir)
}

fn json_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn ask(question: &str, extra: &[&str]) -> Value {
    let mut args = vec!["ask", "--json", "--now", OPEN_TUESDAY];
    args.extend_from_slice(extra);
    args.push(question);
    let (out, _dir) = partnerdesk(&args, "");
    json_lines(&out).into_iter().next().expect("one answer")
}

#[test]
fn ask_detects_language_and_quotes_the_seeds() {
    let v = ask("会社トークンって何ですか", &[]);
    assert_eq!(
        (v["topic"].as_str(), v["lang"].as_str()),
        (Some("company-token"), Some("ja"))
    );
    let text = v["text"].as_str().expect("text");
    assert!(
        text.contains("16桁の英数字") && text.contains("プロフィール管理者"),
        "{text}"
    );
    let c = v["confidence"].as_f64().expect("confidence");
    assert!((0.0..=1.0).contains(&c));

    let v = ask("What is the PWCS phone number?", &[]);
    assert_eq!(
        (v["topic"].as_str(), v["lang"].as_str()),
        (Some("pwcs"), Some("en"))
    );
    let text = v["text"].as_str().expect("text");
    assert!(
        text.contains("0120-07-2004") && text.contains('3'),
        "{text}"
    );
    assert!(text.contains("open"), "says it is open now: {text}");

    let v = ask("How long until a new IBM ID works?", &["--lang", "ja"]);
    assert_eq!(
        (v["topic"].as_str(), v["lang"].as_str()),
        (Some("ibm-id"), Some("ja"))
    );
    assert!(v["text"].as_str().is_some_and(|t| t.contains("15")));
}

#[test]
fn unknown_questions_hand_over_to_pwcs_with_its_status() {
    let (out, _dir) = partnerdesk(
        &[
            "ask",
            "--json",
            "--now",
            HOLIDAY_MONDAY,
            "明日の東京の天気は？",
        ],
        "",
    );
    let v = &json_lines(&out)[0];
    assert_eq!(v["topic"], "unknown");
    let text = v["text"].as_str().expect("text");
    assert!(text.contains("0120-07-2004"), "{text}");
    assert!(
        text.contains("勤労感謝の日"),
        "says why PWCS is closed now: {text}"
    );
}

#[test]
fn computed_answers_for_renewal_and_invoice_dates() {
    for question in [
        "更新日が2015年8月15日の契約はどうなりますか",
        "What happens to my renewal on 8/15/2015?",
        "Our renewal date is August 15, 2015",
    ] {
        let v = ask(question, &[]);
        assert_eq!(v["topic"], "renewal", "{question}");
        let text = v["text"].as_str().expect("text");
        assert!(
            text.contains("2015年6月30日") || text.contains("June 30, 2015"),
            "{question}: {text}"
        );
    }
    // An Aspera invoice before 7/1 is paid as it states: no computed due date.
    let v = ask("Who do I pay for an invoice dated 2015-06-20?", &[]);
    let text = v["text"].as_str().expect("text");
    assert!(
        text.contains("Aspera") && text.contains("stated on the invoice"),
        "{text}"
    );
    assert!(!text.contains("July 20, 2015"), "{text}");
    // An IBM invoice is due 30 days after its date.
    let v = ask("Who do I pay for an invoice dated 2015-07-10?", &[]);
    let text = v["text"].as_str().expect("text");
    assert!(text.contains("August 9, 2015"), "{text}");
}

#[test]
fn ask_reads_one_question_per_line_from_stdin() {
    let (out, _dir) = partnerdesk(
        &["ask", "--now", OPEN_TUESDAY],
        "会社トークンとは？\n\nWhat is the privacy policy?\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    // One output line per input line: a blank line stays blank, so answers line up.
    assert_eq!(lines.len(), 3, "one line per input line: {text}");
    assert!(lines[0].contains("16"), "{text}");
    assert_eq!(lines[1], "");
    assert!(lines[2].contains("http://www.ibm.com/privacy"), "{text}");
    let (out, _dir) = partnerdesk(
        &["ask", "--json", "--now", OPEN_TUESDAY],
        "pwcs\n   \nprivacy\n",
    );
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 3, "{replies:?}");
    assert_eq!(replies[0]["topic"], "pwcs");
    assert_eq!(replies[1]["topic"], serde_json::Value::Null);
    assert_eq!(replies[2]["topic"], "privacy");
}

#[test]
fn chat_scripts_commands_buttons_and_language() {
    let script = "/hours\n/renewal date:2015-10-01\n/lang en\n/renewal date:2015/7/1\n\
                  what can you do?\n/renewal date:someday\n/nonsense\n!press join:approve:999999\n/\n";
    let (out, _dir) = partnerdesk(&["chat", "--json", "--now", OPEN_TUESDAY], script);
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 9, "one reply per input line: {replies:?}");
    assert!(replies[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("0120-07-2004")));
    assert_eq!(replies[0]["lang"], "ja");
    assert!(replies[1]["text"]
        .as_str()
        .is_some_and(|t| t.contains("2015年10月31日")));
    assert_eq!(replies[2]["lang"], "en");
    assert_eq!(replies[2]["ephemeral"], true);
    assert!(replies[3]["text"]
        .as_str()
        .is_some_and(|t| t.contains("June 30, 2015")));
    assert_eq!(replies[4]["topic"], "help");
    assert!(replies[5]["text"]
        .as_str()
        .is_some_and(|t| t.contains("someday")));
    assert!(replies[6]["text"]
        .as_str()
        .is_some_and(|t| t.contains("/nonsense")));
    assert_eq!(replies[7]["ephemeral"], true);
    for reply in &replies {
        assert!(reply["buttons"].is_array());
        let text = reply["text"].as_str().expect("text");
        assert!(
            !text.is_empty() && !text.contains("chat-") && !text.contains("topic-"),
            "{text}"
        );
    }
}

#[test]
fn odd_input_never_panics() {
    let long = "トークン".repeat(3_000);
    let script = format!("\u{0}\u{7}\n😀😀😀\n/ask\n/renewal date:\"\n{long}\n/lang klingon\n");
    let (out, _dir) = partnerdesk(&["chat", "--json", "--now", OPEN_TUESDAY], &script);
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 6);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Runs the binary in `dir` (so several calls share one SQLite database under ./var).
fn in_dir(dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    with_stdin_bytes(dir, args, stdin.as_bytes())
}

/// Runs the binary in `dir` with `stdin` as raw bytes (which need not be UTF-8).
fn with_stdin_bytes(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = common::partnerdesk_binary();
    let mut child = cmd
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn a_sales_rep_lists_renewals_and_acknowledges_one() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("contracts.csv"),
        "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz\n\
         K-1,株式会社サンプル,Aspera Faspex,2026-12-10,rep@example.com,佐藤,ja,Asia/Tokyo\n\
         K-2,Other Co,Aspera Connect,2026-12-11,other@example.com,Other,en,Asia/Tokyo\n",
    )
    .expect("csv");
    let out = in_dir(dir.path(), &["import", "contracts", "contracts.csv"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = in_dir(
        dir.path(),
        &[
            "person",
            "add",
            "--ibm-id",
            "rep@example.com",
            "--name",
            "佐藤",
            "--lang",
            "en",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let script = "/renewals days:30\n/ack contract:K-2 status:quoted\n!press ack:K-1:quoted\n/ack contract:K-1 status:maybe\n";
    let out = in_dir(
        dir.path(),
        &[
            "chat",
            "--as",
            "rep@example.com",
            "--json",
            "--now",
            OPEN_TUESDAY,
        ],
        script,
    );
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 4);
    let listing = replies[0]["text"].as_str().expect("text");
    assert!(
        listing.contains("K-1") && !listing.contains("K-2"),
        "only the rep's own: {listing}"
    );
    assert_eq!(replies[0]["ephemeral"], true);
    let ids: Vec<&str> = replies[0]["buttons"]
        .as_array()
        .expect("buttons")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"ack:K-1:quoted") && ids.contains(&"ack:K-1:lost"),
        "{ids:?}"
    );
    assert!(
        replies[1]["text"]
            .as_str()
            .is_some_and(|t| t.contains("not yours")),
        "{}",
        replies[1]
    );
    assert!(
        replies[2]["text"]
            .as_str()
            .is_some_and(|t| t.contains("quoted")),
        "{}",
        replies[2]
    );
    assert!(
        replies[3]["text"]
            .as_str()
            .is_some_and(|t| t.contains("maybe")),
        "{}",
        replies[3]
    );

    // The acknowledgement stopped K-1's reminders: a sweep now only reminds K-2's rep.
    let out = in_dir(
        dir.path(),
        &["jobs", "run", "renewal-sweep", "--at", OPEN_TUESDAY],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = in_dir(dir.path(), &["outbox", "list", "--json"], "");
    let rows = json_lines(&out);
    assert!(
        rows.iter().all(|r| r["recipient"] != "rep@example.com"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r["recipient"] == "other@example.com"),
        "{rows:?}"
    );
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn replies(out: &Output) -> Vec<Value> {
    json_lines(out)
}

#[test]
fn a_language_chosen_with_lang_is_saved_for_the_next_session() {
    let dir = tempfile::tempdir().expect("dir");
    let chat = ["chat", "--json", "--now", OPEN_TUESDAY];
    // Nothing saved yet: the default language (ja).
    let first = replies(&in_dir(dir.path(), &chat, "/hours\n/lang language:en\n"));
    assert_eq!(first[0]["lang"], "ja", "{first:?}");
    assert_eq!(first[1]["lang"], "en", "{first:?}");
    // A new process (a restart, or another replica) answers in the saved language, even to a
    // question asked in Japanese.
    let second = replies(&in_dir(
        dir.path(),
        &chat,
        "/hours\nPWCSの電話番号を教えて\n",
    ));
    assert_eq!(second[0]["lang"], "en", "{second:?}");
    assert!(
        second[0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("0120-07-2004"),
        "{second:?}"
    );
    assert_eq!(second[1]["lang"], "en", "{second:?}");
    // The session's own --lang still beats the saved choice.
    let third = replies(&in_dir(
        dir.path(),
        &["chat", "--json", "--lang", "ja", "--now", OPEN_TUESDAY],
        "/hours\n",
    ));
    assert_eq!(third[0]["lang"], "ja", "{third:?}");
}

#[test]
fn a_linked_person_gets_commands_in_their_profile_language_and_their_contacts_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| ok(&in_dir(dir.path(), args, ""));
    let company: Value =
        serde_json::from_str(run(&["company", "add", "--name", "Sample KK", "--json"]).trim())
            .expect("company json");
    let company = company["id"].to_string();
    for (ibm_id, name, lang) in [
        ("emma@example.com", "Emma Stone", "en"),
        ("sato@example.com", "佐藤 花子", "ja"),
    ] {
        run(&[
            "person", "add", "--ibm-id", ibm_id, "--name", name, "--lang", lang,
        ]);
    }
    run(&[
        "role",
        "grant",
        "--ibm-id",
        "sato@example.com",
        "--role",
        "primary-contact",
        "--company",
        &company,
    ]);
    run(&[
        "role",
        "grant",
        "--ibm-id",
        "emma@example.com",
        "--role",
        "apa",
        "--company",
        &company,
    ]);
    let out = in_dir(
        dir.path(),
        &[
            "chat",
            "--as",
            "emma@example.com",
            "--json",
            "--now",
            OPEN_TUESDAY,
        ],
        "/hours\nwho is our primary contact?\n",
    );
    let got = replies(&out);
    assert_eq!(
        got[0]["lang"], "en",
        "profile language for commands: {got:?}"
    );
    assert_eq!(got[1]["topic"], "support-contacts", "{got:?}");
    assert_eq!(got.len(), 2, "one merged reply per input line: {got:?}");
    let contacts = got[1]["text"].as_str().unwrap_or_default();
    assert!(
        contacts.contains("佐藤 花子") && contacts.contains("Sample KK"),
        "the recorded primary contact is named: {contacts}"
    );
    assert_eq!(got[1]["ephemeral"], true, "names and IBM IDs are private");
    // A question is answered in its own language, the recorded names included: Sato's profile
    // says Japanese, but she asks in English.
    let out = in_dir(
        dir.path(),
        &[
            "chat",
            "--as",
            "sato@example.com",
            "--json",
            "--now",
            OPEN_TUESDAY,
        ],
        "who is our primary contact?\n",
    );
    let got = replies(&out);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["lang"], "en", "{got:?}");
    let text = got[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("Primary contact: 佐藤 花子"), "{text}");
    assert!(
        !text.contains("主要連絡先") && !text.contains("の連絡先"),
        "{text}"
    );
    // Someone who is not linked gets the general answer only.
    let out = in_dir(
        dir.path(),
        &["chat", "--json", "--now", OPEN_TUESDAY],
        "who is our primary contact?\n",
    );
    let got = replies(&out);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(!got[0]["text"].as_str().unwrap_or_default().contains("佐藤"));
}

#[test]
fn not_knowing_the_apa_is_answered_with_pwcs_and_whether_it_is_open() {
    let open = ask("I don't know who our APA is. What should I do?", &[]);
    assert_eq!(open["topic"], "apa", "{open:?}");
    let open_text = open["text"].as_str().expect("text");
    assert!(open_text.contains("0120-07-2004"), "{open_text}");
    let (out, _dir) = partnerdesk(
        &[
            "ask",
            "--json",
            "--now",
            HOLIDAY_MONDAY,
            "うちの会社のプロフィール管理者が誰かわかりません",
        ],
        "",
    );
    let closed = json_lines(&out).into_iter().next().expect("answer");
    assert_eq!(closed["topic"], "apa", "{closed:?}");
    let closed_text = closed["text"].as_str().expect("text");
    assert!(closed_text.contains("0120-07-2004"), "{closed_text}");
    // The two answers differ only by the computed open/closed sentence.
    assert_ne!(
        ask("I don't know who our APA is. What should I do?", &[])["text"],
        ask_at(
            "I don't know who our APA is. What should I do?",
            HOLIDAY_MONDAY
        )["text"],
        "the status sentence follows the clock"
    );
}

fn ask_at(question: &str, now: &str) -> Value {
    let (out, _dir) = partnerdesk(&["ask", "--json", "--now", now, question], "");
    json_lines(&out).into_iter().next().expect("one answer")
}

#[test]
fn renewals_are_refused_to_someone_who_is_not_a_sales_rep() {
    let dir = tempfile::tempdir().expect("dir");
    ok(&in_dir(
        dir.path(),
        &[
            "person",
            "add",
            "--ibm-id",
            "nobody@example.com",
            "--name",
            "No Body",
            "--lang",
            "en",
        ],
        "",
    ));
    let got = replies(&in_dir(
        dir.path(),
        &[
            "chat",
            "--as",
            "nobody@example.com",
            "--json",
            "--now",
            OPEN_TUESDAY,
        ],
        "/renewals\n",
    ));
    let text = got[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("for sales reps"), "{text}");
    assert_eq!(got[0]["ephemeral"], true);
}

/// A line that is not UTF-8 is answered like any other; the lines after it are not lost.
#[test]
fn a_line_that_is_not_utf8_does_not_end_the_session() {
    for (args, expected) in [
        (&["chat", "--json", "--now", OPEN_TUESDAY][..], 3),
        (&["ask", "--json", "--now", OPEN_TUESDAY][..], 3),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let out = with_stdin_bytes(
            dir.path(),
            args,
            b"what are the hours?\n\xff\xfe bad\nPWCS\xe3\x81\xae\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7\xe3\x81\xaf\xef\xbc\x9f\n",
        );
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let replies = json_lines(&out);
        assert_eq!(replies.len(), expected, "{args:?}: {replies:?}");
        let last = replies[2]["text"].as_str().unwrap_or_default();
        assert!(last.contains("0120-07-2004"), "{last}");
    }
}
