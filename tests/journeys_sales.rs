//! The sales rep's and the operator's journeys of issue 13 end to end, through the real binary
//! on a fresh SQLite file and a fresh PostgreSQL database: `import contracts`, `contract list`,
//! `jobs run NAME --at T`, `outbox dispatch --at T`, `jobs list`, `payment explain` and
//! `chat --as … --json`, reading the .eml files the file transport writes.
//!
//! The dates are seed 003's: a contract renewing 2015-08-15 (transition window) must hear from
//! the desk before 2015-06-30, the last day to renew early on current terms.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mailparse::MailHeaderMap;
use serde_json::Value;

/// The binary, run in `dir` against `url`, with the suite's own settings removed.
struct Desk {
    dir: PathBuf,
    url: String,
}

impl Desk {
    fn command(&self) -> Command {
        let mut cmd = common::partnerdesk_binary();
        cmd.current_dir(&self.dir)
            .env("PARTNERDESK_DATABASE__URL", &self.url)
            .env("LANG", "en_US.UTF-8");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run partnerdesk")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{args:?} failed ({}): {stdout} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
    }

    fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l}")))
            .collect()
    }

    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn outbox(&self) -> Vec<Value> {
        self.json_lines(&["outbox", "list", "--json", "--limit", "1000"])
    }

    fn outbox_row(&self, key: &str) -> Value {
        self.outbox()
            .into_iter()
            .find(|m| m["dedupe_key"] == key)
            .unwrap_or_else(|| panic!("no outbox row {key}: {:?}", self.outbox()))
    }

    fn chat(&self, args: &[&str]) -> Console {
        let mut child = self
            .command()
            .args(["chat", "--json"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn chat");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Console {
            child,
            stdin: Some(stdin),
            lines: rx,
        }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).expect("write file");
        path.display().to_string()
    }

    /// Every .eml the file transport wrote, parsed lazily by the caller.
    fn mails(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("var/mail")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .filter_map(|p| std::fs::read(p).ok())
            .collect()
    }
}

struct Console {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Console {
    fn send(&mut self, line: &str) -> Value {
        let stdin = self.stdin.as_mut().expect("open stdin");
        writeln!(stdin, "{line}").expect("write");
        stdin.flush().expect("flush");
        let reply = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("no reply to {line:?}: {e}"));
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{e}: {reply}"))
    }

    fn finish(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "console exited with {status}");
    }
}

/// One parsed mail: To, Subject, Message-ID and the plain-text body.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    subject: String,
    message_id: String,
    text: String,
}

fn parse(raw: &[u8]) -> Mail {
    let parsed = mailparse::parse_mail(raw).expect("parse mail");
    let text = if parsed.subparts.is_empty() {
        parsed.get_body().expect("body")
    } else {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == "text/plain")
            .expect("text part")
            .get_body()
            .expect("body")
    };
    Mail {
        to: parsed.headers.get_first_value("To").unwrap_or_default(),
        subject: parsed
            .headers
            .get_first_value("Subject")
            .unwrap_or_default(),
        message_id: parsed
            .headers
            .get_first_value("Message-ID")
            .unwrap_or_default(),
        text,
    }
}

fn mails_to(desk: &Desk, to: &str) -> Vec<Mail> {
    desk.mails()
        .iter()
        .map(|raw| parse(raw))
        .filter(|m| m.to.contains(to))
        .collect()
}

const CONTRACTS: &str = "contract_id,company,product,renewal_date,sales_rep_email,sales_rep_name,sales_rep_lang,sales_rep_tz
K-AUG,Sample KK,Aspera Faspex,2015-08-15,pat@example.com,Pat Lee,en,Asia/Tokyo
K-JUN,株式会社サンプル,Aspera Connect,2015-06-12,sato@example.com,佐藤 花子,ja,Asia/Tokyo
K-OCT,Third Co,Aspera Shares,2015-10-20,pat@example.com,Pat Lee,en,Asia/Tokyo
";

/// A second export without the rep's name, language and zone: taken from the person record.
const CONTRACTS_SHORT: &str = "contract_id,company,product,renewal_date,sales_rep_email
K-SEP,Fourth Co,Aspera Console,2015-09-10,yamada@example.com
K-NOBODY,Fifth Co,Aspera Console,2015-09-11,nobody@example.com
";

fn journey(desk: &Desk) {
    // --- the operator imports the renewal pipeline ------------------------------------------
    let file = desk.write("contracts.csv", CONTRACTS);
    let report = desk.json(&["import", "contracts", &file, "--json"]);
    assert_eq!(report["inserted"], 3, "{report}");
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "yamada@example.com",
        "--name",
        "山田 太郎",
        "--lang",
        "en",
        "--tz",
        "Asia/Tokyo",
    ]);
    let file = desk.write("contracts-short.csv", CONTRACTS_SHORT);
    let report = desk.json(&["import", "contracts", &file, "--json"]);
    assert_eq!(report["inserted"], 2, "{report}");

    // --- contract list: window, action deadline and status per contract (item 11) ----------
    let at = ["--at", "2015-05-18T01:00:00Z"];
    let all = desk.json_lines(&[&["contract", "list", "--json"][..], &at[..]].concat());
    assert_eq!(all.len(), 5, "{all:?}");
    let row = |id: &str| {
        all.iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {all:?}"))
            .clone()
    };
    let aug = row("K-AUG");
    assert_eq!(aug["rep"], "pat@example.com");
    assert_eq!(aug["renewal_date"], "2015-08-15");
    assert_eq!(aug["window"], "transition");
    assert_eq!(aug["action_deadline"], "2015-06-30", "renew early by 6/30");
    assert_eq!(aug["contact"], "aspera-renewal");
    assert_eq!(aug["status"], "open");
    let jun = row("K-JUN");
    assert_eq!(
        (jun["window"].as_str(), jun["action_deadline"].as_str()),
        (Some("before-cutover"), Some("2015-06-12")),
        "the earlier of the renewal date and 6/30"
    );
    assert_eq!(jun["contact"], "aspera-sales");
    let oct = row("K-OCT");
    assert_eq!(oct["window"], "after-transition");
    assert_eq!(oct["action_deadline"], "2015-10-20");
    assert_eq!(oct["contact"], "ibm-renewal");
    // The short CSV: name and language from the person record, else configuration's language.
    let sep = row("K-SEP");
    assert_eq!(sep["rep_name"], "山田 太郎");
    assert_eq!(sep["rep_lang"], "en");
    let nobody = row("K-NOBODY");
    assert_eq!(nobody["rep_name"], "");
    assert_eq!(nobody["rep_lang"], "ja");
    // Filters: one rep, one window.
    let pats = desk.json_lines(&["contract", "list", "--json", "--rep", "PAT@example.com"]);
    let ids: Vec<&str> = pats.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["K-AUG", "K-OCT"]);
    let transition = desk.json_lines(&["contract", "list", "--json", "--window", "transition"]);
    let ids: Vec<&str> = transition.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["K-AUG", "K-SEP", "K-NOBODY"]);
    let err = desk.fails(&["contract", "list", "--window", "summer"], 2);
    assert!(
        err.contains("before-cutover, transition, after-transition"),
        "{err}"
    );
    let text = desk.ok(&[
        "contract",
        "list",
        "--rep",
        "pat@example.com",
        "--at",
        "2015-05-18T01:00:00Z",
    ]);
    assert!(
        text.contains("K-AUG") && text.contains("2015-06-30"),
        "{text}"
    );

    // --- reminders follow the windows (item 6): 2015-08-15 hears from the desk in May -------
    // 30 business days before Tue 2015-06-30 (6/17 is IBM Japan's anniversary) is Mon 5/18.
    let report = desk.json(&[
        "jobs",
        "run",
        "renewal-sweep",
        "--at",
        "2015-05-18T01:00:00Z",
    ]);
    assert!(
        report["enqueued"].as_u64().unwrap_or_default() >= 1,
        "{report}"
    );
    let row = desk.outbox_row("renewal:K-AUG:2015-06-30:30");
    assert_eq!(row["recipient"], "pat@example.com");
    assert_eq!(row["status"], "pending");
    let dispatched = desk.json(&[
        "outbox",
        "dispatch",
        "--json",
        "--at",
        "2015-05-18T01:00:00Z",
    ]);
    assert!(
        dispatched["sent"].as_u64().unwrap_or_default() >= 1,
        "{dispatched}"
    );
    assert_eq!(
        desk.outbox_row("renewal:K-AUG:2015-06-30:30")["status"],
        "sent"
    );
    let mail = mails_to(desk, "pat@example.com")
        .into_iter()
        .find(|m| m.text.contains("K-AUG"))
        .expect("the K-AUG reminder was written");
    // An `en` rep reads English (item 8), counting down business days to 6/30, with the
    // window's rule and whom to contact.
    assert!(
        mail.subject.contains("30 business days to June 30, 2015"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Dear Pat Lee"), "{}", mail.text);
    assert!(
        mail.text
            .contains("Deadline: June 30, 2015 (30 business days left)"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("Contact: the Aspera renewal representative"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("between July 1, 2015 and September 30, 2015"),
        "the transition window's rule: {}",
        mail.text
    );
    assert!(
        mail.message_id.starts_with("<renewal-K-AUG-2015-06-30-30."),
        "{}",
        mail.message_id
    );
    // The Japanese rep's reminder (before the cutover) names the Aspera sales rep.
    let sato = mails_to(desk, "sato@example.com");
    let sato = sato.first().expect("the K-JUN reminder");
    assert!(sato.text.contains("佐藤 花子 様"), "{}", sato.text);
    assert!(
        sato.text.contains("お問い合わせ先: Aspera 営業担当員"),
        "{}",
        sato.text
    );
    assert!(sato.text.contains("2015年6月12日"), "{}", sato.text);
    // --- after 6/30 the transition contract's deadline is IBM's quote by the renewal date --
    let list = desk.json_lines(&[
        "contract",
        "list",
        "--json",
        "--rep",
        "pat@example.com",
        "--at",
        "2015-07-21T01:00:00Z",
    ]);
    assert_eq!(list[0]["action_deadline"], "2015-08-15", "{list:?}");
    assert_eq!(list[0]["contact"], "ibm-renewal");

    // --- the weekly digest never lands on a holiday (item 7) --------------------------------
    // Monday 2015-07-20 is 海の日: the digest fired then goes out on Tuesday 09:00 JST.
    desk.json(&[
        "jobs",
        "run",
        "renewal-digest",
        "--at",
        "2015-07-20T00:00:00Z",
    ]);
    let digest = desk.outbox_row("digest:pat@example.com:2015-W30");
    let next = digest["next_attempt_at"].as_str().unwrap_or_default();
    assert!(next.starts_with("2015-07-21T00:00:00"), "{digest}");
    // A sweep on the holiday catches up K-AUG's reminder of IBM's quote (due 7/2, by then
    // the current step): it waits for Tuesday too.
    desk.json(&[
        "jobs",
        "run",
        "renewal-sweep",
        "--at",
        "2015-07-20T01:00:00Z",
    ]);
    let reminder = desk.outbox_row("renewal:K-AUG:2015-08-15:30");
    let next = reminder["next_attempt_at"].as_str().unwrap_or_default();
    assert!(next.starts_with("2015-07-21T00:00:00"), "{reminder}");
    desk.json(&[
        "outbox",
        "dispatch",
        "--json",
        "--at",
        "2015-07-20T03:00:00Z",
    ]);
    assert_eq!(
        desk.outbox_row("digest:pat@example.com:2015-W30")["status"],
        "pending"
    );
    let before = mails_to(desk, "pat@example.com").len();
    desk.json(&[
        "outbox",
        "dispatch",
        "--json",
        "--at",
        "2015-07-21T00:00:00Z",
    ]);
    assert_eq!(
        desk.outbox_row("digest:pat@example.com:2015-W30")["status"],
        "sent"
    );
    let pat = mails_to(desk, "pat@example.com");
    assert_eq!(
        pat.len(),
        before + 2,
        "the digest and the reminder, on Tuesday"
    );
    let reminder = pat
        .iter()
        .find(|m| m.message_id.starts_with("<renewal-K-AUG-2015-08-15-30."))
        .expect("the reminder of IBM's quote");
    assert!(
        reminder
            .text
            .contains("Contact: IBM's subscription and support renewal representative"),
        "{}",
        reminder.text
    );
    assert!(
        reminder.text.contains("Deadline: August 15, 2015"),
        "{}",
        reminder.text
    );
    let digest = pat
        .iter()
        .find(|m| m.subject.starts_with("Renewal deadlines"))
        .expect("the digest mail");
    assert!(digest.text.contains("August 15, 2015"), "{}", digest.text);
    assert!(
        digest
            .text
            .contains("Contact: IBM's subscription and support renewal representative"),
        "{}",
        digest.text
    );

    // --- August: reminders of IBM's quote, for reps known from the person record or not ---
    // A rep with no name anywhere is greeted as 「ご担当者」, never by the email's local part.
    desk.json(&[
        "jobs",
        "run",
        "renewal-sweep",
        "--at",
        "2015-08-03T01:00:00Z",
    ]);
    desk.json(&[
        "outbox",
        "dispatch",
        "--json",
        "--at",
        "2015-08-03T01:00:00Z",
    ]);
    let nobody = mails_to(desk, "nobody@example.com");
    let nobody = nobody.first().expect("a reminder for K-NOBODY");
    assert!(nobody.text.contains("ご担当者 様"), "{}", nobody.text);
    assert!(!nobody.text.contains("nobody 様"), "{}", nobody.text);
    // 山田's contract (language from the person record) is reminded in English.
    let yamada = mails_to(desk, "yamada@example.com");
    let yamada = yamada.first().expect("a reminder for K-SEP");
    assert!(yamada.text.contains("Dear 山田 太郎"), "{}", yamada.text);

    // --- the rep asks in chat, in English (item 8) ------------------------------------------
    let mut chat = desk.chat(&["--as", "pat@example.com", "--now", "2015-06-01T01:00:00Z"]);
    let reply = chat.send("/renewals days:60");
    let text = reply["text"].as_str().unwrap_or_default();
    assert_eq!(reply["lang"], "en", "{reply}");
    assert!(
        text.contains("June 30, 2015") && text.contains("K-AUG"),
        "{text}"
    );
    assert!(
        text.contains("Contact: the Aspera renewal representative"),
        "{text}"
    );
    chat.finish();

    // --- billing (item 9): Aspera invoices before 7/1 have no computed due date -------------
    let v = desk.json(&["payment", "explain", "2015-06-15", "--json"]);
    assert_eq!(v["due_date"], Value::Null, "{v}");
    let v = desk.json(&["payment", "explain", "2015-07-10", "--json"]);
    assert_eq!(v["due_date"], "2015-08-09", "{v}");
    let mut chat = desk.chat(&["--lang", "ja"]);
    let reply = chat.send("2015年6月15日付の請求書の支払期限はいつですか？");
    let text = reply["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("請求書に明記される支払方法に従って送金する必要があります"),
        "{text}"
    );
    assert!(!text.contains("お支払期限"), "no computed due date: {text}");
    let reply = chat.send("2015年7月10日付の請求書の支払期限はいつですか？");
    let text = reply["text"].as_str().unwrap_or_default();
    assert!(text.contains("2015年8月9日"), "{text}");
    chat.finish();

    // --- jobs list: every instant in the configured zone, with its offset (item 15) ---------
    for job in desk.json_lines(&["jobs", "list", "--json"]) {
        for fire in job["next_fires"].as_array().expect("next fires") {
            assert!(
                fire.as_str().is_some_and(|f| f.ends_with("+09:00")),
                "{job}"
            );
        }
        if let Some(last) = job["last_run"].as_object() {
            for key in ["scheduled_for", "started_at"] {
                assert!(
                    last[key].as_str().is_some_and(|t| t.ends_with("+09:00")),
                    "{job}"
                );
            }
        }
    }
    let text = desk.ok(&["jobs", "list"]);
    assert!(!text.contains("+00:00") && !text.contains('Z'), "{text}");
}

fn run_journey(url: String) {
    let dir = tempfile::tempdir().expect("dir");
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url,
    };
    journey(&desk);
}

#[test]
fn sales_journey_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    run_journey(format!(
        "sqlite://{}",
        dir.path().join("partnerdesk.db").display()
    ));
}

#[test]
fn sales_journey_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = runtime.block_on(common::fresh_postgres_url("sales_journey"));
    run_journey(url.clone());
    runtime.block_on(common::drop_postgres(&url));
}

/// Message-IDs (item 14): two installations sending the same outbox key give different
/// Message-IDs; one installation, restarted, gives the same one (a resend repeats it). Here
/// the installations are a SQLite file and a PostgreSQL database, as in a move between them.
#[test]
fn message_ids_are_unique_per_installation_and_stable_across_restarts() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let postgres = runtime.block_on(common::fresh_postgres_url("message_ids"));
    let sqlite_dir = tempfile::tempdir().expect("dir");
    let sqlite = format!("sqlite://{}", sqlite_dir.path().join("a.db").display());
    let other_sqlite = format!("sqlite://{}", sqlite_dir.path().join("b.db").display());
    let message_id_of = |url: &str, dir: &Path| -> String {
        let desk = Desk {
            dir: dir.to_path_buf(),
            url: url.to_string(),
        };
        let file = desk.write("contracts.csv", CONTRACTS);
        desk.json(&["import", "contracts", &file, "--json"]);
        desk.json(&[
            "jobs",
            "run",
            "renewal-sweep",
            "--at",
            "2015-05-18T01:00:00Z",
        ]);
        desk.json(&[
            "outbox",
            "dispatch",
            "--json",
            "--at",
            "2015-05-18T01:00:00Z",
        ]);
        let found = mails_to(&desk, "pat@example.com")
            .into_iter()
            .find(|m| m.text.contains("K-AUG"))
            .expect("reminder");
        std::fs::remove_dir_all(dir.join("var/mail")).expect("clear mail");
        found.message_id
    };
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let on_sqlite = message_id_of(&sqlite, dirs[0].path());
    let on_other = message_id_of(&other_sqlite, dirs[1].path());
    let on_postgres = message_id_of(&postgres, dirs[2].path());
    for id in [&on_sqlite, &on_other, &on_postgres] {
        assert!(id.starts_with("<renewal-K-AUG-2015-06-30-30."), "{id}");
    }
    assert_ne!(on_sqlite, on_other, "two installations");
    assert_ne!(on_sqlite, on_postgres, "a move to PostgreSQL gets a new id");

    // The same message sent again by the same installation (after a restart: a new process,
    // a new mailer) carries the same Message-ID.
    runtime.block_on(async {
        use partnerdesk::notify::{FileMailer, InstallationMailer, OutgoingMail};
        let mut ids = Vec::new();
        for _ in 0..2 {
            let config = common::config_for(&postgres);
            let store = partnerdesk::store::open(&config).await.expect("open");
            let mail_dir = tempfile::tempdir().expect("dir");
            let from = config.mail.from.parse().expect("from");
            let file = FileMailer::new(mail_dir.path(), from)
                .await
                .expect("file mailer");
            let mailer = InstallationMailer::for_store(std::sync::Arc::new(file), store.as_ref())
                .await
                .expect("installation");
            mailer
                .send(&OutgoingMail {
                    to: "pat@example.com".into(),
                    subject: "again".into(),
                    text: "body".into(),
                    message_id_hint: Some("renewal:K-AUG:2015-06-30:30".into()),
                    ..OutgoingMail::default()
                })
                .await
                .expect("sent");
            let raw = std::fs::read_dir(mail_dir.path())
                .expect("dir")
                .filter_map(Result::ok)
                .find(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .map(|e| std::fs::read(e.path()).expect("read"))
                .expect("one mail");
            ids.push(parse(&raw).message_id);
            store.close().await;
        }
        assert_eq!(ids[0], ids[1], "a resend repeats the Message-ID");
        assert_eq!(ids[0], on_postgres, "the same as the dispatcher's");
    });
    runtime.block_on(common::drop_postgres(&postgres));
}
