//! Issue 13's partner journeys end to end through the real binary, on SQLite and PostgreSQL:
//! the registrant becomes member and APA and sees the company token once in chat; documents are
//! requested (with where to send them), received and the review completed; a colleague without
//! the token asks the APA, who adds them in one press; an admin decides an overdue request; a
//! primary-contact grant is refused or handed over explicitly. Mails are read as .eml files.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

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
            .env(
                "PARTNERDESK_REGISTRATION__DOCUMENTS_UPLOAD_URL",
                "https://upload.example.com/partnerworld",
            )
            .env("LANG", "ja_JP.UTF-8")
            .env("USER", "ops");
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
            "{args:?} failed: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
    }

    fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn chat(&self, extra: &[&str]) -> Console {
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

    fn mails_to(&self, to: &str) -> Vec<String> {
        self.ok(&["outbox", "dispatch"]);
        mails(&self.dir)
            .into_iter()
            .filter_map(|raw| {
                let parsed = mailparse::parse_mail(&raw).ok()?;
                let to_header = parsed
                    .headers
                    .iter()
                    .find(|h| h.get_key().eq_ignore_ascii_case("To"))?
                    .get_value();
                if !to_header.contains(to) {
                    return None;
                }
                let body = parsed
                    .subparts
                    .iter()
                    .find(|p| p.ctype.mimetype == "text/plain")
                    .and_then(|p| p.get_body().ok())
                    .or_else(|| parsed.get_body().ok())
                    .unwrap_or_default();
                Some(format!("To: {to_header}\n{body}"))
            })
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
        let stdin = self.stdin.as_mut().expect("stdin");
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
        assert!(self.child.wait().expect("wait").success());
    }
}

fn text(reply: &Value) -> String {
    reply["text"].as_str().unwrap_or_default().to_string()
}

fn buttons(reply: &Value) -> Vec<String> {
    reply["buttons"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|b| b["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

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

/// The 16-character token a reply shows after 「会社トークン: 」 (ja), if any.
fn token_in(text: &str) -> Option<String> {
    let (_, after) = text.split_once("会社トークン: ")?;
    let token: String = after
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (token.len() == 16).then_some(token)
}

fn journeys(desk: &Desk) {
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "admin@example.com",
        "--name",
        "管理 者",
    ]);
    desk.ok(&[
        "role",
        "grant",
        "--ibm-id",
        "admin@example.com",
        "--role",
        "admin",
    ]);

    // --- 1 + 3 + 13: register, documents, complete -----------------------------------------
    let mut registrant = desk.chat(&["--as", "yamada@example.com"]);
    let reply = registrant
        .send("/register company:株式会社ジャーニー location:東京本社 name:\"山田 太郎\"");
    assert!(text(&reply).contains("株式会社ジャーニー"), "{reply}");
    let registrations = desk.json_lines(&["registration", "list", "--json"]);
    let id = registrations[0]["id"].as_i64().expect("id");
    let company = registrations[0]["company_id"].as_i64().expect("company");

    let mut admin = desk.chat(&["--as", "admin@example.com"]);
    let reply = admin.send(&format!(
        "/review request-documents registration:{id} note:登記簿謄本の写し"
    ));
    assert!(!text(&reply).contains("error"), "{reply}");
    let mail = desk.mails_to("yamada@example.com").join("\n");
    assert!(mail.contains("documents@example.com"), "{mail}");
    assert!(
        mail.contains("https://upload.example.com/partnerworld"),
        "{mail}"
    );
    assert!(mail.contains("山田 太郎 様"), "{mail}");
    let status = registrant.send("/status");
    assert!(text(&status).contains("登記簿謄本の写し"), "{status}");
    assert!(text(&status).contains("documents@example.com"), "{status}");

    let received = desk.json(&[
        "registration",
        "documents-received",
        &id.to_string(),
        "--note",
        "確認中です",
        "--json",
    ]);
    assert_eq!(received["status"], "documents-received");
    let mail = desk.mails_to("yamada@example.com").join("\n");
    assert!(mail.contains("受領しました"), "{mail}");

    let done = desk.json(&["registration", "complete", &id.to_string(), "--json"]);
    assert_eq!(done["status"], "completed");
    let roles = desk.ok(&["role", "list", "--company", &company.to_string(), "--json"]);
    assert!(
        roles.contains("\"member\"") && roles.contains("\"apa\""),
        "{roles}"
    );
    let locations = desk.ok(&[
        "location",
        "list",
        "--company",
        &company.to_string(),
        "--json",
    ]);
    assert!(locations.contains("東京本社"), "{locations}");
    let mails = desk.mails_to("yamada@example.com").join("\n");
    assert!(
        mails.contains("/join token:") && mails.contains("/add-member"),
        "{mails}"
    );
    assert!(
        !mails.contains("operator 様") && !mails.contains("yamada 様"),
        "{mails}"
    );

    // The token: shown once in chat, to the APA; never in a mail.
    let status = registrant.send("/status");
    assert!(
        !text(&status).contains("登記簿謄本の写し"),
        "the note is gone: {status}"
    );
    let token = token_in(&text(&status)).unwrap_or_else(|| panic!("no token in {status}"));
    assert!(!mails.contains(&token));
    let again = registrant.send("/status");
    assert!(!text(&again).contains(&token), "shown once: {again}");
    let pressed = registrant.send(&format!("!press token:reveal:{company}"));
    assert!(
        text(&pressed).contains("表示済み"),
        "the DM button too: {pressed}"
    );
    assert!(token_in(&text(&pressed)).is_none(), "{pressed}");
    let audit = desk.ok(&["audit", "list", "--action", "token.", "--json"]);
    assert!(
        audit.contains("token.revealed") && !audit.contains(&token),
        "{audit}"
    );
    let rotate = registrant.send("/token rotate");
    assert!(
        token_in(&text(&rotate)).is_some(),
        "the APA may rotate: {rotate}"
    );
    let token = token_in(&text(&rotate)).expect("token");

    // --- 2: no token → the APA route -------------------------------------------------------
    let mut colleague = desk.chat(&["--as", "suzuki@example.com"]);
    let routes = colleague.send("/join");
    assert!(text(&routes).contains("/join company:"), "{routes}");
    let unknown = colleague.send("/join company:存在しない会社");
    assert!(text(&unknown).contains("0120-07-2004"), "{unknown}");
    desk.ok(&["company", "add", "--name", "無人株式会社"]);
    let nobody = colleague.send("/join company:無人株式会社");
    assert!(text(&nobody).contains("0120-07-2004"), "no APA: {nobody}");
    assert!(buttons(&nobody).is_empty(), "{nobody}");
    let offer = colleague.send("/join 株式会社ジャーニー");
    assert_eq!(
        buttons(&offer),
        vec![format!("join:ask-apa:{company}")],
        "{offer}"
    );
    let offer = colleague.send("/join company:株式会社ジャーニー");
    assert_eq!(
        buttons(&offer),
        vec![format!("join:ask-apa:{company}")],
        "{offer}"
    );
    let sent = colleague.send(&format!("!press join:ask-apa:{company}"));
    assert!(text(&sent).contains("株式会社ジャーニー"), "{sent}");
    let alert = desk.mails_to("yamada@example.com").join("\n");
    assert!(alert.contains("suzuki@example.com"), "{alert}");
    let pending = registrant.send("/pending");
    let request = buttons(&pending)
        .iter()
        .find_map(|b| b.strip_prefix("join:approve:").map(str::to_string))
        .unwrap_or_else(|| panic!("no request in {pending}"));
    let added = registrant.send(&format!("!press join:level:{request}:standard"));
    assert!(text(&added).contains("suzuki@example.com"), "{added}");
    let joins = desk.json_lines(&["join", "list", "--company", &company.to_string(), "--json"]);
    let row = joins
        .iter()
        .find(|j| j["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(request.as_str()))
        .expect("row");
    assert_eq!(row["status"], "approved");
    assert_eq!(row["method"], "apa");
    colleague.finish();

    // --- 4: an admin decides an overdue request ----------------------------------------------
    let mut late = desk.chat(&["--as", "late@example.com", "--now", "2020-01-06T01:00:00Z"]);
    let pick = late.send(&format!("/join token:{token}"));
    let location = buttons(&pick).into_iter().next().expect("a location");
    late.send(&format!("!press {location}"));
    late.finish();
    let overdue = admin.send("/pending");
    let late_id = buttons(&overdue)
        .iter()
        .find_map(|b| b.strip_prefix("join:approve:").map(str::to_string))
        .unwrap_or_else(|| panic!("no overdue request in {overdue}"));
    let decided = admin.send(&format!("!press join:level:{late_id}:basic"));
    assert!(text(&decided).contains("late@example.com"), "{decided}");
    let audit = desk.ok(&["audit", "list", "--action", "join.approved", "--json"]);
    assert!(audit.contains("admin@example.com"), "{audit}");
    let told = desk.mails_to("yamada@example.com").join("\n");
    assert!(
        told.contains("admin@example.com"),
        "the APAs are told: {told}"
    );
    admin.finish();
    registrant.finish();

    // --- 1 + 3 in chat: the reviewer names another APA; documents received by button -------
    desk.ok(&[
        "person",
        "add",
        "--ibm-id",
        "apa2@example.com",
        "--name",
        "佐藤 花子",
    ]);
    let mut second = desk.chat(&["--as", "kato@example.com"]);
    second.send("/register company:第二株式会社 name:\"加藤 一郎\"");
    let list = desk.json_lines(&["registration", "list", "--json"]);
    let second_id = list
        .iter()
        .find(|r| r["company_name"] == "第二株式会社")
        .and_then(|r| r["id"].as_i64())
        .expect("second registration");
    let second_company = list
        .iter()
        .find(|r| r["id"] == second_id)
        .and_then(|r| r["company_id"].as_i64())
        .expect("company");
    let mut admin = desk.chat(&["--as", "admin@example.com"]);
    admin.send(&format!(
        "/review request-documents registration:{second_id} note:印鑑証明"
    ));
    let review = admin.send("/review list");
    assert!(
        buttons(&review).contains(&format!("review:documents-received:{second_id}")),
        "{review}"
    );
    let received = admin.send(&format!("!press review:documents-received:{second_id}"));
    assert!(text(&received).contains("第二株式会社"), "{received}");
    let status = second.send("/status");
    assert!(text(&status).contains("書類受領済み"), "{status}");
    admin.send(&format!(
        "/review complete registration:{second_id} apa:apa2@example.com"
    ));
    admin.finish();
    let roles = desk.json_lines(&[
        "role",
        "list",
        "--company",
        &second_company.to_string(),
        "--json",
    ]);
    let holds = |who: &str, role: &str| {
        roles
            .iter()
            .any(|r| r["ibm_id"] == who && r["role"] == role)
    };
    assert!(holds("kato@example.com", "member"), "{roles:?}");
    assert!(!holds("kato@example.com", "apa"), "{roles:?}");
    assert!(holds("apa2@example.com", "apa"), "{roles:?}");
    let registrant_mail = desk.mails_to("kato@example.com").join("\n");
    assert!(
        registrant_mail.contains("佐藤 花子 様 (apa2@example.com)"),
        "{registrant_mail}"
    );
    assert!(
        registrant_mail.contains("加藤 一郎 様"),
        "{registrant_mail}"
    );
    let apa_mail = desk.mails_to("apa2@example.com").join("\n");
    assert!(
        apa_mail.contains("/add-member") && apa_mail.contains("/join token:"),
        "{apa_mail}"
    );
    let status = second.send("/status");
    assert!(
        token_in(&text(&status)).is_none(),
        "not the registrant's: {status}"
    );
    second.finish();
    let mut apa2 = desk.chat(&["--as", "apa2@example.com"]);
    let status = apa2.send("/status");
    assert!(
        token_in(&text(&status)).is_some(),
        "the named APA's: {status}"
    );
    apa2.finish();

    // --- 5: primary-contact handover is explicit ---------------------------------------------
    let c = company.to_string();
    desk.ok(&[
        "role",
        "grant",
        "--ibm-id",
        "yamada@example.com",
        "--role",
        "primary-contact",
        "--company",
        &c,
    ]);
    let refused = desk.fails(&[
        "role",
        "grant",
        "--ibm-id",
        "suzuki@example.com",
        "--role",
        "primary-contact",
        "--company",
        &c,
    ]);
    assert!(refused.contains("yamada@example.com"), "{refused}");
    desk.ok(&[
        "role",
        "grant",
        "--ibm-id",
        "suzuki@example.com",
        "--role",
        "primary-contact",
        "--company",
        &c,
        "--handover",
        "technical-contact",
    ]);
    let roles = desk.json_lines(&["role", "list", "--company", &c, "--json"]);
    let has = |who: &str, role: &str| {
        roles
            .iter()
            .any(|r| r["ibm_id"] == who && r["role"] == role)
    };
    assert!(has("suzuki@example.com", "primary-contact"), "{roles:?}");
    assert!(has("yamada@example.com", "technical-contact"), "{roles:?}");
    assert!(
        has("yamada@example.com", "member"),
        "membership kept: {roles:?}"
    );
    assert!(!has("yamada@example.com", "primary-contact"), "{roles:?}");
    let audit = desk.ok(&["audit", "list", "--json"]);
    assert!(
        audit.contains("role.revoked") && audit.contains("technical-contact"),
        "{audit}"
    );
    let mail = desk.mails_to("suzuki@example.com").join("\n");
    assert!(mail.contains("プライマリー・コンタクト"), "{mail}");
    let mail = desk.mails_to("yamada@example.com").join("\n");
    assert!(
        mail.contains("引き継ぎました"),
        "the previous holder is told: {mail}"
    );
}

#[test]
fn journeys_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url,
    };
    journeys(&desk);
}

#[test]
fn journeys_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = runtime.block_on(common::fresh_postgres_url("journeys"));
    let dir = tempfile::tempdir().expect("dir");
    let desk = Desk {
        dir: dir.path().to_path_buf(),
        url: url.clone(),
    };
    journeys(&desk);
    runtime.block_on(common::drop_postgres(&url));
}

/// Requesting documents needs a destination: `config check` refuses `documents_step = true`
/// without one (localized), and without configuration the step refuses to run, losing nothing.
#[test]
fn the_documents_step_requires_a_destination() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("partnerdesk.db").display());
    let bare = |args: &[&str], envs: &[(&str, &str)]| {
        let mut cmd = common::partnerdesk_binary();
        cmd.current_dir(dir.path())
            .env("PARTNERDESK_DATABASE__URL", &url)
            .env("USER", "ops");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.args(args).output().expect("run")
    };
    let file = dir.path().join("partnerdesk.toml");
    std::fs::write(&file, "[registration]\ndocuments_step = true\n").expect("write");
    let file = file.display().to_string();
    let out = bare(
        &["config", "check", &file],
        &[
            ("PARTNERDESK_REGISTRATION__DOCUMENTS_STEP", "true"),
            ("LANG", "ja_JP.UTF-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("registration.documents_reply_to"),
        "{stderr}"
    );
    assert!(stderr.contains("書類の送付先"), "localized: {stderr}");
    let out = bare(
        &["config", "check", &file],
        &[("PARTNERDESK_REGISTRATION__DOCUMENTS_UPLOAD_URL", "ftp://x")],
    );
    assert_eq!(out.status.code(), Some(2));
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[registration]\ndocuments_step = true\ndocuments_postal_address = \"〒106-8711 東京都港区\"\n",
    )
    .expect("write");
    let out = bare(&["config", "check", &good.display().to_string()], &[]);
    assert!(out.status.success(), "{out:?}");

    // No destination configured: the step is refused and the registration stays where it was.
    let ok = |args: &[&str]| {
        let out = bare(args, &[("LANG", "en_US.UTF-8")]);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let company: Value =
        serde_json::from_str(ok(&["company", "add", "--name", "Docs Inc", "--json"]).trim())
            .expect("json");
    let company = company["id"].as_i64().expect("id").to_string();
    // No --name: the applicant's mails must not call them by their email's local part.
    let submitted: Value = serde_json::from_str(
        ok(&[
            "registration",
            "submit",
            "--company",
            &company,
            "--applicant",
            "hanako@example.com",
            "--lang",
            "ja",
            "--json",
        ])
        .trim(),
    )
    .expect("json");
    let id = submitted["id"].as_i64().expect("id").to_string();
    let out = bare(
        &["registration", "request-documents", &id, "--note", "x"],
        &[("LANG", "en_US.UTF-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("registration.documents_reply_to"),
        "{stderr}"
    );
    let shown: Value =
        serde_json::from_str(ok(&["registration", "show", &id, "--json"]).trim()).expect("json");
    assert_eq!(shown["status"], "submitted");

    let done: Value = serde_json::from_str(ok(&["registration", "complete", &id, "--json"]).trim())
        .expect("json");
    assert_eq!(done["status"], "completed");
    ok(&["outbox", "dispatch"]);
    let all: Vec<String> = mails(dir.path())
        .iter()
        .map(|raw| {
            mailparse::parse_mail(raw)
                .ok()
                .and_then(|m| {
                    m.subparts
                        .iter()
                        .find(|p| p.ctype.mimetype == "text/plain")
                        .and_then(|p| p.get_body().ok())
                        .or_else(|| m.get_body().ok())
                })
                .unwrap_or_default()
        })
        .collect();
    let text = all.join("\n");
    assert!(text.contains("ご担当者 様"), "{text}");
    assert!(
        !text.contains("hanako 様") && !text.contains("operator 様"),
        "{text}"
    );
}
