//! The partner workflows end to end, through the real binary: the admin CLI and the chat console
//! (`chat --as ... --json`, with `!press BUTTON_ID` lines), once on a fresh SQLite file and once
//! on a fresh PostgreSQL database. The outbox is read back through `outbox list --json` and the
//! store, and `outbox dispatch` writes the .eml files whose headers are checked.

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
            .env(
                "PARTNERDESK_REGISTRATION__DOCUMENTS_REPLY_TO",
                "documents@example.com",
            )
            .env("LANG", "en_US.UTF-8")
            .env("USER", "ops");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run partnerdesk")
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{args:?} failed ({}): {stdout} {stderr}",
            out.status
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

    /// Runs a command that must fail with `code`; returns its stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn chat(&self, as_: &str) -> Console {
        self.console(&["--as", as_])
    }

    fn console(&self, extra: &[&str]) -> Console {
        let mut child = self
            .command()
            .args(["chat", "--json"])
            .args(extra)
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

    fn outbox(&self) -> Vec<Value> {
        self.json_lines(&["outbox", "list", "--json"])
    }

    fn outbox_row(&self, key: &str) -> Value {
        self.outbox()
            .into_iter()
            .find(|m| m["dedupe_key"] == key)
            .unwrap_or_else(|| panic!("no outbox row {key}: {:?}", self.outbox()))
    }

    fn joins(&self, company: i64) -> Vec<Value> {
        self.json_lines(&["join", "list", "--company", &company.to_string(), "--json"])
    }
}

/// `chat --as ... --json`: one JSON reply per line sent.
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

fn text(reply: &Value) -> String {
    reply["text"].as_str().unwrap_or_default().to_string()
}

fn button_ids(reply: &Value) -> Vec<String> {
    reply["buttons"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|b| b["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn id_of(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

fn status_of(joins: &[Value], id: i64) -> String {
    joins
        .iter()
        .find(|j| j["id"] == id)
        .and_then(|j| j["status"].as_str())
        .unwrap_or_else(|| panic!("no join request {id} in {joins:?}"))
        .to_string()
}

/// Every .eml the file transport wrote.
fn mails(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir.join("var/mail")) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

fn mail_to<'a>(all: &'a [Vec<u8>], to: &str) -> Vec<mailparse::ParsedMail<'a>> {
    all.iter()
        .filter_map(|raw| mailparse::parse_mail(raw).ok())
        .filter(|m| {
            m.headers
                .get_first_value("To")
                .is_some_and(|v| v.contains(to))
        })
        .collect()
}

fn raw_subject(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut lines = text.lines();
    let mut subject = String::new();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("Subject:") {
            subject.push_str(rest.trim());
            for more in lines.by_ref() {
                if more.starts_with(' ') || more.starts_with('\t') {
                    subject.push(' ');
                    subject.push_str(more.trim());
                } else {
                    break;
                }
            }
            break;
        }
    }
    subject
}

fn scenario(desk: &Desk) {
    // --- set-up by the operator -------------------------------------------------------------
    let company = id_of(&desk.json(&[
        "company",
        "add",
        "--name",
        "株式会社サンプル",
        "--lang",
        "ja",
        "--json",
    ]));
    let tokyo = id_of(&desk.json(&[
        "location",
        "add",
        "--company",
        &company.to_string(),
        "--name",
        "東京本社",
        "--json",
    ]));
    let osaka = id_of(&desk.json(&[
        "location",
        "add",
        "--company",
        &company.to_string(),
        "--name",
        "大阪支店",
        "--json",
    ]));
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "apa@example.com",
        "--name",
        "管理 太郎",
        "--lang",
        "ja",
    ]);
    desk.ok(&[
        "role",
        "grant",
        "--ibm-id",
        "apa@example.com",
        "--role",
        "apa",
        "--company",
        &company.to_string(),
    ]);
    let token = desk.json(&[
        "token",
        "rotate",
        "--company",
        &company.to_string(),
        "--json",
    ])["token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(token.len(), 16);
    assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
    let shown = desk.ok(&["company", "show", &company.to_string(), "--json"]);
    assert!(!shown.contains(&token), "the token is shown only once");

    // Another company, whose APA must not decide for the first.
    let other = id_of(&desk.json(&["company", "add", "--name", "他社株式会社", "--json"]));
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "other@example.com",
        "--name",
        "他社 花子",
    ]);
    desk.ok(&[
        "role",
        "grant",
        "--ibm-id",
        "other@example.com",
        "--role",
        "apa",
        "--company",
        &other.to_string(),
    ]);

    // --- a new employee joins by token ----------------------------------------------------
    let mut employee = desk.chat("new@example.com");
    let reply = employee.send(&format!("/join token:{token}"));
    assert_eq!(
        button_ids(&reply),
        vec![
            format!("join:pick:{company}:{tokyo}"),
            format!("join:pick:{company}:{osaka}")
        ],
        "{reply}"
    );
    assert_eq!(reply["buttons"][1]["label"], "大阪支店");
    assert_eq!(reply["ephemeral"], true);
    let reply = employee.send(&format!("!press join:pick:{company}:{osaka}"));
    assert!(text(&reply).contains("大阪支店"), "{reply}");
    assert!(button_ids(&reply).is_empty());
    let status = employee.send("/status");
    assert!(text(&status).contains("株式会社サンプル"), "{status}");
    employee.finish();

    let joins = desk.joins(company);
    assert_eq!(joins.len(), 1, "{joins:?}");
    let request = id_of(&joins[0]);
    assert_eq!(status_of(&joins, request), "pending");
    assert_eq!(joins[0]["person_ibm_id"], "new@example.com");
    assert_eq!(joins[0]["location_id"], osaka);

    // Every APA of the company is alerted (by email: not linked to Discord).
    let alerts: Vec<Value> = desk
        .outbox()
        .into_iter()
        .filter(|m| {
            m["dedupe_key"]
                .as_str()
                .is_some_and(|k| k.starts_with(&format!("join-alert:{request}:")))
        })
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["channel"], "email");
    assert_eq!(alerts[0]["recipient"], "apa@example.com");

    // --- someone who is not an APA of that company cannot approve -------------------------------
    let mut stranger = desk.chat("other@example.com");
    let reply = stranger.send(&format!("/approve request:{request} level:standard"));
    assert!(text(&reply).contains("株式会社サンプル"), "{reply}");
    assert!(button_ids(&reply).is_empty());
    let reply = stranger.send(&format!("!press join:level:{request}:standard"));
    assert!(text(&reply).contains("株式会社サンプル"), "{reply}");
    let reply = stranger.send("/pending");
    assert!(button_ids(&reply).is_empty(), "{reply}");
    stranger.finish();
    assert_eq!(status_of(&desk.joins(company), request), "pending");

    // --- the APA approves with a level ---------------------------------------------------------
    let mut apa = desk.chat("apa@example.com");
    let reply = apa.send("/pending");
    let buttons = button_ids(&reply);
    assert!(
        buttons.contains(&format!("join:approve:{request}"))
            && buttons.contains(&format!("join:reject:{request}")),
        "{reply}"
    );
    let reply = apa.send(&format!("!press join:approve:{request}"));
    assert_eq!(
        button_ids(&reply),
        vec![
            format!("join:level:{request}:basic"),
            format!("join:level:{request}:standard"),
            format!("join:level:{request}:administrator"),
        ],
        "{reply}"
    );
    let reply = apa.send(&format!("!press join:level:{request}:standard"));
    assert!(text(&reply).contains("new@example.com"), "{reply}");
    // A second approval is refused politely, saying who decided and when.
    let second = apa.send(&format!("!press join:level:{request}:basic"));
    assert!(text(&second).contains("管理 太郎"), "{second}");
    let third = apa.send(&format!("/approve request:{request} level:administrator"));
    assert!(text(&third).contains("管理 太郎"), "{third}");
    assert_eq!(text(&second), text(&third));
    apa.finish();

    let joins = desk.joins(company);
    assert_eq!(status_of(&joins, request), "approved");
    assert_eq!(joins[0]["permission_level"], "standard");
    assert_eq!(joins[0]["decided_by"], "apa@example.com");
    assert_eq!(joins[0]["decided_via"], "console");
    let welcome = desk.outbox_row(&format!("join-approved:{request}"));
    assert_eq!(welcome["recipient"], "new@example.com");
    assert_eq!(welcome["channel"], "email");
    let approvals = desk
        .outbox()
        .into_iter()
        .filter(|m| {
            m["dedupe_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("join-approved:"))
        })
        .count();
    assert_eq!(approvals, 1);
    // A listing cut short by --limit says so on stderr; stdout stays one object per line.
    let all = desk.outbox().len();
    assert!(all > 1, "{all}");
    let out = desk.run(&["outbox", "list", "--limit", "1", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--limit"));
    let out = desk.run(&["outbox", "list", "--limit", &all.to_string(), "--json"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("--limit"));
    // The operator's CLI also refuses a second decision.
    let stderr = desk.fails(
        &["join", "reject", &request.to_string(), "--reason", "late"],
        1,
    );
    assert!(stderr.contains("apa@example.com"), "{stderr}");

    // --- a second employee is rejected with a reason ---------------------------------------
    let mut second_employee = desk.chat("second@example.com");
    let reply = second_employee.send(&format!("/join token:{token} name:\"Pat Doe\" lang:en"));
    assert_eq!(button_ids(&reply).len(), 2, "{reply}");
    let reply = second_employee.send(&format!("!press join:pick:{company}:{tokyo}"));
    assert_eq!(reply["lang"], "en", "{reply}");
    second_employee.finish();
    let rejected = desk
        .joins(company)
        .into_iter()
        .find(|j| j["person_ibm_id"] == "second@example.com")
        .map(|j| id_of(&j))
        .expect("second request");
    let mut apa = desk.chat("apa@example.com");
    let reply = apa.send(&format!("!press join:reject:{rejected}"));
    assert!(
        text(&reply).contains(&format!("/reject request:{rejected}")),
        "{reply}"
    );
    let reply = apa.send(&format!(
        "/reject request:{rejected} reason:\"大阪支店でお申し込みください\""
    ));
    assert!(
        text(&reply).contains("大阪支店でお申し込みください"),
        "{reply}"
    );
    apa.finish();
    assert_eq!(status_of(&desk.joins(company), rejected), "rejected");
    let mail = desk.outbox_row(&format!("join-rejected:{rejected}"));
    assert_eq!(mail["recipient"], "second@example.com");

    // --- a wrong token five times locks that user out --------------------------------------
    let mut intruder = desk.chat("bad@example.com");
    for attempt in 1..=5 {
        let reply = intruder.send("/join token:WRONGTOKEN000000");
        assert!(button_ids(&reply).is_empty(), "{reply}");
        if attempt < 5 {
            assert!(!text(&reply).contains("まで"), "{attempt}: {reply}");
        } else {
            assert!(
                text(&reply).contains("まで"),
                "locked with the time: {reply}"
            );
        }
    }
    let reply = intruder.send(&format!("/join token:{token}"));
    assert!(
        button_ids(&reply).is_empty(),
        "locked out even with the right token: {reply}"
    );
    intruder.finish();
    let audit = desk.json_lines(&["audit", "list", "--action", "token.", "--json"]);
    let by_bad = |action: &str| {
        audit
            .iter()
            .filter(|e| e["actor"] == "bad@example.com" && e["action"] == action)
            .count()
    };
    assert_eq!(by_bad("token.failed"), 5, "{audit:?}");
    assert_eq!(by_bad("token.locked-out"), 1);
    assert_eq!(by_bad("token.refused-locked"), 1);
    assert!(audit
        .iter()
        .any(|e| e["action"] == "token.created" && e["actor"] == "operator:ops"));
    let decisions = desk.json_lines(&["audit", "list", "--action", "join.", "--json"]);
    assert!(decisions.iter().any(|e| e["action"] == "join.approved"
        && e["actor"] == "apa@example.com"
        && e["channel"] == "console"));
    assert!(decisions
        .iter()
        .any(|e| e["action"] == "join.refused" && e["actor"] == "other@example.com"));

    // --- the APA registers a person directly ---------------------------------------------------
    let mut apa = desk.chat("apa@example.com");
    let reply = apa.send(
        "/add-member ibm-id:direct@example.com location:東京本社 level:basic name:\"直接 登録\"",
    );
    assert!(text(&reply).contains("direct@example.com"), "{reply}");
    let reply = apa.send("/contacts");
    assert!(text(&reply).contains("管理 太郎"), "{reply}");
    apa.finish();
    let added = desk
        .joins(company)
        .into_iter()
        .find(|j| j["person_ibm_id"] == "direct@example.com")
        .expect("added");
    assert_eq!(added["method"], "apa");
    desk.outbox_row(&format!("member-added:{}", id_of(&added)));

    // --- a registration completes: 「手続き完了のご案内」, Subject = company name ------------------
    let registration = id_of(&desk.json(&[
        "registration",
        "submit",
        "--company",
        &company.to_string(),
        "--applicant",
        "applicant@example.com",
        "--json",
    ]));
    desk.ok(&["registration", "review", &registration.to_string()]);
    desk.ok(&[
        "registration",
        "request-documents",
        &registration.to_string(),
        "--note",
        "登記事項証明書をお送りください",
    ]);
    desk.outbox_row(&format!("registration-documents:{registration}:1"));
    desk.ok(&["registration", "complete", &registration.to_string()]);
    let completed = desk.outbox_row(&format!("registration-completed:{registration}"));
    assert_eq!(completed["subject"], "株式会社サンプル");
    assert_eq!(completed["recipient"], "applicant@example.com");
    // Completing twice is refused, and sends nothing more.
    desk.fails(&["registration", "complete", &registration.to_string()], 1);

    // --- a company name with CR/LF never adds a header ------------------------------------------
    let stderr = desk.fails(
        &[
            "company",
            "add",
            "--name",
            "Evil Corp\r\nBcc: victim@example.com",
            "--json",
        ],
        2,
    );
    assert!(stderr.contains("line break"), "{stderr}");
    let companies = desk.json_lines(&["company", "list", "--json"]);
    assert!(companies
        .iter()
        .all(|c| !c["name"].as_str().unwrap_or("").contains("Evil")));
    // Bad input exits 2.
    desk.fails(&["registration", "complete", "999999"], 2);
    desk.fails(&["token", "rotate", "--company", "999999", "--json"], 2);
    desk.fails(
        &["person", "add", "--ibm-id", "not-an-email", "--name", "X"],
        2,
    );
    desk.fails(
        &["join", "approve", &request.to_string(), "--level", "root"],
        2,
    );

    // --- the dispatcher writes the mail: the subject is RFC 2047 and decodes to the name -------
    desk.ok(&["outbox", "dispatch"]);
    let all = mails(&desk.dir);
    let to_applicant = mail_to(&all, "applicant@example.com");
    let notice = to_applicant
        .iter()
        .find(|m| m.headers.get_first_value("Subject").as_deref() == Some("株式会社サンプル"))
        .unwrap_or_else(|| panic!("no completion mail among {} mails", all.len()));
    let raw = all
        .iter()
        .find(|raw| {
            mailparse::parse_mail(raw)
                .ok()
                .and_then(|m| m.headers.get_first_value("Subject"))
                .as_deref()
                == Some("株式会社サンプル")
        })
        .expect("raw mail");
    let subject = raw_subject(raw);
    assert!(
        subject.to_lowercase().starts_with("=?utf-8?"),
        "RFC 2047 encoded: {subject}"
    );
    let body = notice.get_body().unwrap_or_default()
        + &notice
            .subparts
            .iter()
            .map(|p| p.get_body().unwrap_or_default())
            .collect::<String>();
    assert!(body.contains("手続き完了のご案内"), "{body}");
    assert!(
        !mail_to(&all, "new@example.com").is_empty(),
        "the welcome mail was written"
    );
}

fn run_scenario(url: String, dir: tempfile::TempDir) {
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url,
    };
    scenario(&desk);
}

#[test]
fn scenario_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    run_scenario(url, dir);
}

#[test]
fn scenario_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = runtime.block_on(common::fresh_postgres_url("scenario"));
    let dir = tempfile::tempdir().expect("dir");
    run_scenario(url.clone(), dir);
    runtime.block_on(common::drop_postgres(&url));
}

/// A company name that reached the database some other way (an old import, a manual fix) is
/// still folded to one line in the subject, and the mail has no extra header.
#[test]
fn a_stored_company_name_with_line_breaks_never_adds_a_header() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url: url.clone(),
    };
    desk.ok(&["migrate"]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let company = runtime.block_on(async {
        let store = partnerdesk::store::open(&common::config_for(&url))
            .await
            .expect("open");
        let c = store
            .create_company(
                &partnerdesk::store::NewCompany {
                    name: "Evil Corp\r\nBcc: victim@example.com".into(),
                    icn: None,
                    site_number: None,
                    status: "registering".into(),
                    locale: "en".into(),
                },
                chrono::Utc::now(),
            )
            .await
            .expect("company");
        store.close().await;
        c.id
    });
    let registration = id_of(&desk.json(&[
        "registration",
        "submit",
        "--company",
        &company.to_string(),
        "--applicant",
        "pat@example.com",
        "--lang",
        "en",
        "--json",
    ]));
    desk.ok(&["registration", "complete", &registration.to_string()]);
    let row = desk.outbox_row(&format!("registration-completed:{registration}"));
    assert_eq!(row["subject"], "Evil Corp Bcc: victim@example.com");
    desk.ok(&["outbox", "dispatch"]);
    let all = mails(dir.path());
    let sent = mail_to(&all, "pat@example.com");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].headers.get_first_value("Bcc").is_none());
    assert_eq!(
        sent[0].headers.get_first_value("Subject").as_deref(),
        Some("Evil Corp Bcc: victim@example.com")
    );
}

/// `import companies|people`: each bad row is reported with its line and reason, and nothing is
/// imported when a row is bad unless `--skip-bad`.
#[test]
fn imports_report_bad_rows_and_import_nothing_unless_told() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let config = common::config_for(&url);
    let companies = dir.path().join("companies.csv");
    std::fs::write(
        &companies,
        "name,lang,locations\n株式会社インポート,ja,東京本社;大阪支店\n\"Evil\r\nBcc: x@example.com\",en,\nImport Inc.,en,HQ\n",
    )
    .expect("write");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        partnerdesk::store::migrate(&config).await.expect("migrate");
        let refused =
            partnerdesk::cli::import::import_companies(&config, &companies, false, true)
                .await
                .expect_err("a bad row refuses the file");
        assert_eq!(refused.exit_code, 2);
        let store = partnerdesk::store::open(&config).await.expect("open");
        assert!(store.list_companies().await.expect("list").is_empty());
        store.close().await;

        partnerdesk::cli::import::import_companies(&config, &companies, true, true)
            .await
            .expect("skip bad");
        let store = partnerdesk::store::open(&config).await.expect("open");
        let names: Vec<String> = store
            .list_companies()
            .await
            .expect("list")
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, vec!["株式会社インポート", "Import Inc."]);
        store.close().await;

        let people = dir.path().join("people.csv");
        std::fs::write(
            &people,
            "ibm_id,name,company,location,role,level\n\
             apa@example.com,管理 太郎,株式会社インポート,東京本社,apa,\n\
             member@example.com,社員 花子,株式会社インポート,大阪支店,,standard\n",
        )
        .expect("write");
        partnerdesk::cli::import::import_people(&config, &people, false, true)
            .await
            .expect("import people");
        let store = partnerdesk::store::open(&config).await.expect("open");
        let company = store
            .find_company_by_name("株式会社インポート")
            .await
            .expect("find")
            .expect("found");
        let members = store.company_members(company.id).await.expect("members");
        let roles: Vec<(&str, &str)> = members
            .iter()
            .map(|m| (m.ibm_id.as_str(), m.role.as_str()))
            .collect();
        assert_eq!(
            roles,
            vec![("apa@example.com", "apa"), ("member@example.com", "member")]
        );
        store.close().await;

        let bad_people = dir.path().join("bad-people.csv");
        std::fs::write(
            &bad_people,
            "ibm_id,name,company\nnot-an-email,X,株式会社インポート\nok@example.com,OK,No Such Co\n",
        )
        .expect("write");
        let refused =
            partnerdesk::cli::import::import_people(&config, &bad_people, false, false)
                .await
                .expect_err("refused");
        assert_eq!(refused.exit_code, 2);
    });
}

/// A chat account that is not linked can ask but not act; `/link` mails a one-time code and
/// `/verify` links the account, after which it acts as that person.
#[test]
fn a_chat_account_is_linked_by_a_one_time_code() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url: url.clone(),
    };
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "linker@example.com",
        "--name",
        "Link Er",
        "--lang",
        "en",
    ]);
    let mut console = desk.console(&[]);
    let reply = console.send("/status");
    assert!(text(&reply).contains("/link"), "{reply}");
    let reply = console.send("what is a company token?");
    assert!(
        reply["topic"].is_string(),
        "questions are still answered: {reply}"
    );
    let reply = console.send("/link ibm-id:Linker@Example.com");
    assert!(text(&reply).contains("linker@example.com"), "{reply}");
    let reply = console.send("/verify code:000000");
    assert_eq!(reply["ephemeral"], true);
    console.finish();

    let row = desk
        .outbox()
        .into_iter()
        .find(|m| {
            m["dedupe_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("link-code:"))
        })
        .expect("code mail");
    assert_eq!(row["recipient"], "linker@example.com");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let body = runtime.block_on(async {
        let store = partnerdesk::store::open(&common::config_for(&url))
            .await
            .expect("open");
        let id = row["id"].as_i64().expect("id");
        let message = store.outbox_message(id).await.expect("get").expect("some");
        store.close().await;
        message.body_text
    });
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_string();
    let mut console = desk.console(&[]);
    let reply = console.send(&format!("/verify code:{code}"));
    assert!(text(&reply).contains("Link Er"), "{reply}");
    assert_eq!(reply["lang"], "en");
    let reply = console.send("/status");
    assert!(text(&reply).contains("linker@example.com"), "{reply}");
    console.finish();
    let audit = desk.json_lines(&["audit", "list", "--action", "identity.", "--json"]);
    let actions: Vec<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "identity.code-sent",
            "identity.verify-failed",
            "identity.linked"
        ]
    );
}

/// Five wrong codes: four say how many tries are left, the fifth says the code is used up.
#[test]
fn the_fifth_wrong_code_says_the_code_is_used_up() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url,
    };
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "tries@example.com",
        "--name",
        "Try Er",
        "--lang",
        "en",
    ]);
    let mut console = desk.console(&[]);
    console.send("/link ibm-id:tries@example.com");
    let replies: Vec<String> = (0..5)
        .map(|_| text(&console.send("/verify code:000000")))
        .collect();
    console.finish();
    // Not linked yet, so the desk's default language (ja) answers.
    for (reply, left) in replies[..4].iter().zip([4, 3, 2, 1]) {
        assert!(reply.contains(&format!("あと {left} 回")), "{reply}");
    }
    assert!(replies[4].contains("上限に達しました"), "{replies:?}");
}
