//! The Fluent answers in `locales/{ja,en}/knowledge.ftl`: complete, well-formed, in the right
//! language, and carrying the facts the seeds state.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use fluent_syntax::ast;
use partnerdesk_knowledge::TopicId;
use unic_langid::LanguageIdentifier;

const JA: &str = include_str!("../../../locales/ja/knowledge.ftl");
const EN: &str = include_str!("../../../locales/en/knowledge.ftl");

/// Proper names, product and document names that may stay in Latin letters inside a Japanese
/// answer. Longest first, so multi-word names are removed before their parts.
const JA_ALLOWED_LATIN: &[&str] = &[
    // A command's subcommand, typed as it is: "/token rotate".
    "rotate",
    "IBM Aspera Technical Support Customer Center",
    "Aspera Technical Support Customer Center",
    "Worldwide IBM Registration Helpdesk",
    // The seed's own name of the service: 「IBM RegistrationにてIBM IDを取得ください」.
    "IBM Registration",
    "Flexible Contract Type",
    "Aspera Developer Network",
    "Knowledge Base",
    "Aspera, Inc.",
    "PartnerWorld",
    "Forums",
    "e-mail",
    "Aspera",
    "IBM",
    "PWCS",
    "APA",
    "PPS",
    "ICN",
    "FCT",
    "ADN",
    "FAQ",
    "PHS",
    "Web",
    "ID",
    "BP",
    "E",
];

/// Messages every topic answer needs, plus glue.
const GLUE: &[&str] = &["knowledge-help", "knowledge-low-confidence"];

fn resource(name: &str, src: &'static str) -> FluentResource {
    match FluentResource::try_new(src.to_owned()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{name}: Fluent syntax errors: {errors:#?}"),
    }
}

fn bundle(lang: &str, src: &'static str) -> FluentBundle<FluentResource> {
    let langid: LanguageIdentifier = lang.parse().unwrap_or_else(|e| panic!("{lang}: {e}"));
    let mut b = FluentBundle::new(vec![langid]);
    // Plain text for the checks below; the app decides on bidi isolation itself.
    b.set_use_isolating(false);
    if let Err(errors) = b.add_resource(resource(lang, src)) {
        panic!("{lang}: {errors:#?}");
    }
    b
}

/// Message id → variables it references (directly, in its value or attributes).
fn variables(src: &'static str) -> BTreeMap<String, BTreeSet<String>> {
    fn walk_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for e in &p.elements {
            if let ast::PatternElement::Placeable { expression } = e {
                walk_expression(expression, out);
            }
        }
    }
    fn walk_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => walk_inline(i, out),
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, out);
                for v in variants {
                    walk_pattern(&v.value, out);
                }
            }
        }
    }
    fn walk_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => walk_expression(expression, out),
            _ => {}
        }
    }
    let r = resource("vars", src);
    let mut map = BTreeMap::new();
    for entry in r.entries() {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(v) = &m.value {
                walk_pattern(v, &mut vars);
            }
            for a in &m.attributes {
                walk_pattern(&a.value, &mut vars);
            }
            map.insert(m.id.name.to_owned(), vars);
        }
    }
    map
}

fn args_for(vars: &BTreeSet<String>, lang: &str) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for v in vars {
        let value = match (v.as_str(), lang) {
            ("status", "ja") => "ただいま受付中です(12:00 まで)。",
            ("status", _) => "Open now until 12:00.",
            ("title", "ja") => "会社トークン",
            ("title", _) => "Company token",
            ("anniversary", "ja") => " (6/17)",
            ("anniversary", _) => " (June 17)",
            (other, _) => panic!("undocumented variable ${other}"),
        };
        args.set(v.clone(), value);
    }
    args
}

/// Formats every message and its `.title`; panics on any resolver error.
fn formatted(lang: &str, src: &'static str) -> BTreeMap<String, String> {
    let b = bundle(lang, src);
    let vars = variables(src);
    let mut out = BTreeMap::new();
    for (id, vs) in &vars {
        let msg = b
            .get_message(id)
            .unwrap_or_else(|| panic!("{lang}: {id} missing"));
        let args = args_for(vs, lang);
        let mut errors = vec![];
        let mut text = String::new();
        if let Some(p) = msg.value() {
            text.push_str(&b.format_pattern(p, Some(&args), &mut errors));
        }
        for a in msg.attributes() {
            text.push('\n');
            text.push_str(&b.format_pattern(a.value(), Some(&args), &mut errors));
        }
        assert!(errors.is_empty(), "{lang}: {id}: {errors:?}");
        assert!(!text.trim().is_empty(), "{lang}: {id} is empty");
        assert!(
            !text.contains('{'),
            "{lang}: {id} has an unresolved placeable: {text}"
        );
        out.insert(id.clone(), text);
    }
    out
}

fn is_japanese_char(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Drops URLs (`http...`, `ibm.com/...`) and slash commands, which are language-neutral.
fn without_urls_and_commands(text: &str) -> String {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '、' | '。' | ':')
    })
    .filter(|w| {
        !(w.starts_with("http") || w.contains("ibm.com") || w.starts_with('/') || w.contains('@'))
    })
    .collect::<Vec<_>>()
    .join(" ")
}

#[test]
fn every_topic_has_an_answer_in_both_languages_with_the_same_ids() {
    let ja = variables(JA);
    let en = variables(EN);
    assert_eq!(
        ja.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>(),
        "ja and en define different message ids"
    );
    assert_eq!(ja, en, "ja and en messages take different variables");
    for t in TopicId::ALL {
        let id = t.message_id();
        assert!(ja.contains_key(&id), "ja: {id} missing");
        // Exactly the topics the caller renders with `$status` (and the anniversary date of
        // the same calendar) take them.
        let expected: BTreeSet<String> = if t.needs_status() {
            ["anniversary".to_owned(), "status".to_owned()].into()
        } else {
            BTreeSet::new()
        };
        assert_eq!(ja[&id], expected, "{id}: variables");
    }
    for g in GLUE {
        assert!(ja.contains_key(*g), "{g} missing");
    }
    // No stray messages: topics and glue only.
    for id in ja.keys() {
        let known =
            GLUE.contains(&id.as_str()) || TopicId::ALL.iter().any(|t| &t.message_id() == id);
        assert!(known, "unexpected message {id}");
    }
}

#[test]
fn every_topic_has_a_title_attribute() {
    for (lang, src) in [("ja", JA), ("en", EN)] {
        let b = bundle(lang, src);
        for t in TopicId::ALL {
            let id = t.message_id();
            let m = b.get_message(&id).unwrap_or_else(|| panic!("{lang}: {id}"));
            assert!(
                m.get_attribute("title").is_some(),
                "{lang}: {id}.title missing"
            );
        }
    }
}

#[test]
fn every_message_formats_without_errors() {
    let ja = formatted("ja", JA);
    let en = formatted("en", EN);
    assert_eq!(ja.len(), en.len());
    // The status sentence really lands in the answers that take it.
    assert!(ja["topic-pwcs"].contains("ただいま受付中です"));
    assert!(en["topic-unknown"].contains("Open now until 12:00."));
    // topic-help embeds the command list.
    assert!(ja["topic-help"].contains("/verify"));
    assert!(en["topic-help"].contains("/verify"));
}

/// Latin words in a Japanese text other than URLs, commands and [`JA_ALLOWED_LATIN`] names.
fn latin_words_in_ja(text: &str) -> Vec<String> {
    let mut rest = without_urls_and_commands(text);
    for name in JA_ALLOWED_LATIN {
        rest = rest.replace(name, " ");
    }
    rest.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Japanese characters in an English text outside 「」 quotations; `None` if the quotes are
/// unbalanced.
fn japanese_in_en(text: &str) -> Option<String> {
    let mut rest = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '「' => depth += 1,
            '」' => depth = depth.checked_sub(1)?,
            c if depth == 0 => rest.push(c),
            _ => {}
        }
    }
    (depth == 0).then(|| rest.chars().filter(|c| is_japanese_char(*c)).collect())
}

#[test]
fn language_checkers_catch_mixing() {
    assert_eq!(
        latin_words_in_ja("IBM IDのsupportは https://x.ibm.com/a /ask"),
        ["support"]
    );
    assert!(latin_words_in_ja("IBM ID と PartnerWorld、ibm.com/partnerworld/jp/").is_empty());
    assert_eq!(japanese_in_en("Call サポート"), Some("サポート".to_owned()));
    assert_eq!(
        japanese_in_en("the 「手続き完了のご案内」 email"),
        Some(String::new())
    );
    assert_eq!(japanese_in_en("「open"), None);
}

#[test]
fn japanese_answers_have_no_english_beyond_proper_names() {
    for (id, text) in formatted("ja", JA) {
        let words = latin_words_in_ja(&text);
        assert!(words.is_empty(), "ja {id}: English words {words:?}");
    }
}

#[test]
fn english_answers_have_no_japanese_beyond_quoted_titles() {
    for (id, text) in formatted("en", EN) {
        match japanese_in_en(&text) {
            Some(j) => assert!(j.is_empty(), "en {id}: Japanese {j:?}"),
            None => panic!("en {id}: unbalanced 「」"),
        }
    }
}

#[test]
fn key_facts_are_in_the_answers_that_need_them() {
    let ja = formatted("ja", JA);
    let en = formatted("en", EN);
    let facts: &[(&str, &[&str], &[&str])] = &[
        (
            "topic-pwcs",
            &[
                "0120-07-2004",
                "「3」",
                "9:00~12:00 および 13:00~17:00",
                "祝日",
                "日本 IBM 創立記念日",
                "12/30~1/3",
                "携帯電話・PHS",
            ],
            &[
                "0120-07-2004",
                "press 3",
                "9:00-12:00 and 13:00-17:00",
                "national holidays",
                "founding anniversary",
                "December 30 to January 3",
                "mobile",
            ],
        ),
        (
            "topic-unknown",
            &["0120-07-2004", "「3」", "9:00~12:00 および 13:00~17:00"],
            &["0120-07-2004", "press 3", "9:00-12:00 and 13:00-17:00"],
        ),
        (
            "topic-apa",
            &["0120-07-2004", "「3」", "PWCS", "権限"],
            &["0120-07-2004", "press 3", "PWCS", "permission level"],
        ),
        (
            "topic-company-token",
            &["16桁の英数字", "APA", "ibm.com/partnerworld/partnertools/"],
            &[
                "16 alphanumeric",
                "APA",
                "ibm.com/partnerworld/partnertools/",
            ],
        ),
        (
            "topic-join-company",
            &["16桁の英数字", "APA", "PWCS"],
            &["16 alphanumeric", "APA", "PWCS"],
        ),
        (
            "topic-ibm-id",
            &[
                "最大 15 分",
                "https://www.ibm.com/account/profile/us?page=reg",
            ],
            &[
                "15 minutes",
                "https://www.ibm.com/account/profile/us?page=reg",
            ],
        ),
        (
            "topic-register-company",
            &["ibm.com/partnerworld/jp/", "手続き完了のご案内", "合意書"],
            &[
                "ibm.com/partnerworld/jp/",
                "手続き完了のご案内",
                "Agreement",
            ],
        ),
        (
            "topic-review",
            &["手続き完了のご案内", "貴社名を件名", "書類"],
            &[
                "手続き完了のご案内",
                "company name as the subject",
                "documents",
            ],
        ),
        (
            "topic-agreement",
            &["PartnerWorld合意書(PartnerWorldのご参加条件)", "同意する"],
            &["PartnerWorld Agreement", "Agree"],
        ),
        (
            "topic-pps",
            &["ibm.com/partnerworld/partnertools/", "最新"],
            &["ibm.com/partnerworld/partnertools/", "up to date"],
        ),
        (
            "topic-contract-transfer",
            &[
                "2015 年 7 月 1 日",
                "Flexible Contract Type (FCT)",
                "コンプライアンス・ベッティング",
                "確認書類",
            ],
            &[
                "July 1, 2015",
                "Flexible Contract Type (FCT)",
                "compliance vetting",
                "confirmation document",
            ],
        ),
        (
            "topic-credit-review",
            &["与信審査", "財務諸表"],
            &["credit review", "financial statements"],
        ),
        (
            "topic-ibm-profile",
            &[
                "https://www.ibm.com/account/profile/us",
                "?page=faqhelp",
                "?page=helpdesk",
            ],
            &[
                "https://www.ibm.com/account/profile/us",
                "?page=faqhelp",
                "?page=helpdesk",
            ],
        ),
        (
            "topic-billing",
            &[
                "日本アイ・ビー・エム株式会社",
                "請求書裏面",
                "7月 1日より前",
            ],
            &[
                "日本アイ・ビー・エム株式会社",
                "back of the IBM invoice",
                "before July 1",
            ],
        ),
        (
            "topic-payment-terms",
            &[
                "請求書発行日から 30日以内",
                "優先",
                "Aspera から継承されたご契約",
            ],
            &[
                "30 days from the invoice date",
                "take precedence",
                "inherited from Aspera",
            ],
        ),
        (
            "topic-currency-language",
            &["日本円", "日本語", "一部例外あり"],
            &["Japanese yen", "in Japanese", "some exceptions"],
        ),
        (
            "topic-tax",
            &["消費税", "別途加算", "法人税"],
            &["consumption tax", "added separately", "corporate tax"],
        ),
        (
            "topic-customer-number",
            &[
                "ICN",
                "サイト番号",
                "IBMソフトウェア・ライセンスご登録内容のお知らせ",
            ],
            &[
                "ICN",
                "site number",
                "IBMソフトウェア・ライセンスご登録内容のお知らせ",
            ],
        ),
        (
            "topic-product-names",
            &["製品番号および製品名称", "お見積書", "IBM の書式"],
            &["product numbers", "Quotes and invoices", "IBM's format"],
        ),
        (
            "topic-aspera-support",
            &[
                "ADN (Aspera Developer Network)",
                "Knowledge Base",
                "Forums",
                "チケット",
                "http://www.ibm.com/software/info/aspera/support/",
            ],
            &[
                "ADN (Aspera Developer Network)",
                "Knowledge Base",
                "Forums",
                "tickets",
                "http://www.ibm.com/software/info/aspera/support/",
            ],
        ),
        (
            "topic-support-contacts",
            &[
                "プライマリー・コンタクト",
                "テクニカル・サポート・コンタクト",
                "1名",
                "ダウンロード・サイト",
            ],
            &[
                "Primary contact",
                "Technical support contact",
                "one person",
                "download site",
            ],
        ),
        (
            "topic-renewal",
            &[
                "2015 年 7 月 1 日より前",
                "2015 年 6 月 30 日",
                "2015 年 9 月 30 日",
                "2015 年 10 月 1 日より後",
                "該当月の最終日",
            ],
            &[
                "before July 1, 2015",
                "June 30, 2015",
                "September 30, 2015",
                "after October 1, 2015",
                "last day of the month",
            ],
        ),
        (
            "topic-privacy",
            &["http://www.ibm.com/privacy", "個人情報"],
            &["http://www.ibm.com/privacy", "personal information"],
        ),
        (
            "knowledge-help",
            &[
                "/ask",
                "/hours",
                "/renewal",
                "/register",
                "/join",
                "/status",
                "/link",
                "/verify",
                "/lang",
            ],
            &[
                "/ask",
                "/hours",
                "/renewal",
                "/register",
                "/join",
                "/status",
                "/link",
                "/verify",
                "/lang",
            ],
        ),
    ];
    for (id, ja_facts, en_facts) in facts {
        for f in *ja_facts {
            assert!(ja[*id].contains(f), "ja {id} lacks {f:?}");
        }
        for f in *en_facts {
            assert!(en[*id].contains(f), "en {id} lacks {f:?}");
        }
    }
}

#[test]
fn urls_and_phone_numbers_are_the_same_in_both_languages() {
    fn links(text: &str) -> BTreeSet<String> {
        text.split(|c: char| {
            c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '、' | '。' | '」' | '「')
        })
        .map(|w| w.trim_end_matches(['.', ',', ':']))
        .filter(|w| {
            w.starts_with("http")
                || w.contains("ibm.com")
                || w.contains('@')
                || *w == "0120-07-2004"
        })
        .map(str::to_owned)
        .collect()
    }
    let ja = formatted("ja", JA);
    let en = formatted("en", EN);
    for (id, text) in &ja {
        assert_eq!(links(text), links(&en[id]), "{id}: URLs or phone differ");
    }
    // Every URL quoted is one of the seeds' own.
    let seeds = [
        "ibm.com/partnerworld/jp/",
        "ibm.com/partnerworld/partnertools/",
        "https://www.ibm.com/account/profile/us?page=reg",
        "https://www.ibm.com/account/profile/us",
        "https://www.ibm.com/account/profile/us?page=faqhelp",
        "https://www.ibm.com/account/profile/us?page=helpdesk",
        "http://www.ibm.com/software/info/aspera/support/",
        "http://www.ibm.com/privacy",
        // Seed 003's Aspera support channels (the links of section 4).
        "https://support.asperasoft.com/home",
        "support@aspera.zendesk.com",
        "https://support.asperasoft.com/anonymous_requests/new",
        "https://support.asperasoft.com/categories/20004723-Aspera-Knowledgebase-",
        "http://asperasoft.com/contact-us/",
        "0120-07-2004",
    ];
    for (id, text) in ja.iter().chain(en.iter()) {
        for l in links(text) {
            assert!(
                seeds.contains(&l.as_str()),
                "{id}: {l} is not from the seeds"
            );
        }
    }
}
