//! locales/{ja,en}/rules.ftl: valid Fluent, the same ids and variables in both, every id the
//! domain crate names exists, variables are documented, each renders without errors, and
//! each language stays in its language.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use partnerdesk_domain::{ClosedReason, Payee, RenewalWindow};

const JA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../locales/ja/rules.ftl"
));
const EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../locales/en/rules.ftl"
));

struct Message {
    variables: BTreeSet<String>,
    comment: String,
    text: String,
}

fn variables_of(pattern: &Pattern<&str>, out: &mut BTreeSet<String>, text: &mut String) {
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => text.push_str(value),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    out.insert(id.name.to_owned());
                }
                other => panic!("unexpected placeable {other:?}"),
            },
        }
    }
}

fn messages(source: &str, lang: &str) -> BTreeMap<String, Message> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{lang}: Fluent syntax errors: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut variables = BTreeSet::new();
                let mut text = String::new();
                let pattern = m
                    .value
                    .as_ref()
                    .unwrap_or_else(|| panic!("{} has no value", m.id.name));
                variables_of(pattern, &mut variables, &mut text);
                let comment = m.comment.map(|c| c.content.join("\n")).unwrap_or_default();
                let previous = out.insert(
                    m.id.name.to_owned(),
                    Message {
                        variables,
                        comment,
                        text,
                    },
                );
                assert!(previous.is_none(), "{lang}: duplicate id {}", m.id.name);
            }
            Entry::Junk { content } => panic!("{lang}: junk {content:?}"),
            _ => {}
        }
    }
    out
}

fn ids_named_by_the_crate() -> Vec<String> {
    let mut ids: Vec<String> = [
        ClosedReason::Open,
        ClosedReason::Weekend,
        ClosedReason::Holiday {
            name_ja: String::new(),
            name_en: String::new(),
        },
        ClosedReason::Anniversary,
        ClosedReason::YearEnd,
        ClosedReason::LunchBreak,
        ClosedReason::BeforeHours,
        ClosedReason::AfterHours,
        ClosedReason::ExtraClosure,
    ]
    .iter()
    .map(|r| r.message_id().to_owned())
    .collect();
    for w in [
        RenewalWindow::BeforeCutover,
        RenewalWindow::Transition,
        RenewalWindow::AfterTransition,
    ] {
        ids.push(w.message_id().to_owned());
    }
    for p in [Payee::Aspera, Payee::IbmJapan] {
        ids.push(p.message_id().to_owned());
    }
    for id in [
        "hours-open",
        "hours-closed",
        "hours-closed-no-next",
        "hours-pwcs",
        "payment-contract-terms",
    ] {
        ids.push(id.to_owned());
    }
    ids
}

#[test]
fn same_ids_and_variables_in_both_languages() {
    let ja = messages(JA, "ja");
    let en = messages(EN, "en");
    assert_eq!(ja.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
    for (id, m) in &ja {
        assert_eq!(m.variables, en[id].variables, "{id}: variables differ");
        assert!(
            ["hours-", "renewal-", "payment-", "reason-"]
                .iter()
                .any(|p| id.starts_with(p)),
            "{id}: ids start with hours-, renewal-, payment- or reason-"
        );
    }
    for id in ids_named_by_the_crate() {
        assert!(ja.contains_key(&id), "ja: missing {id}");
    }
}

#[test]
fn every_variable_is_documented_above_its_message() {
    for (lang, source) in [("ja", JA), ("en", EN)] {
        for (id, m) in messages(source, lang) {
            assert!(!m.comment.is_empty(), "{lang} {id}: no comment");
            if m.variables.is_empty() {
                assert!(
                    m.comment.contains("No variables"),
                    "{lang} {id}: say 'No variables'"
                );
            }
            for v in &m.variables {
                assert!(
                    m.comment.contains(&format!("${v}")),
                    "{lang} {id}: ${v} undocumented"
                );
            }
        }
    }
}

#[test]
fn renewal_variables_are_the_agreed_ones() {
    let ja = messages(JA, "ja");
    let allowed: BTreeSet<String> = ["renewal_date", "confirm_by", "end_date"]
        .map(String::from)
        .into();
    for id in [
        "renewal-before-cutover",
        "renewal-transition",
        "renewal-after-transition",
    ] {
        assert!(ja[id].variables.is_subset(&allowed), "{id}");
        assert!(ja[id].variables.contains("renewal_date"), "{id}");
    }
    assert!(ja["renewal-transition"].variables.contains("end_date"));
    assert!(ja["reason-holiday"].variables.contains("name"));
    // IBM invoices have a computed due date; Aspera's are paid as the invoice states.
    assert!(ja["payment-ibm-japan"].variables.contains("due_date"));
    assert!(!ja["payment-aspera"].variables.contains("due_date"));
}

#[test]
fn every_message_renders_without_errors() {
    for (lang, source) in [("ja", JA), ("en", EN)] {
        let resource = FluentResource::try_new(source.to_owned()).expect("parses");
        let langid: unic_langid::LanguageIdentifier = lang.parse().expect("langid");
        let mut bundle = FluentBundle::new(vec![langid]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).expect("no duplicate ids");
        let mut args = FluentArgs::new();
        for (k, v) in [
            ("until", "12:00"),
            ("reason", "R"),
            ("next_open", "N"),
            ("name", "H"),
            ("renewal_date", "D1"),
            ("confirm_by", "D2"),
            ("end_date", "D3"),
            ("invoice_date", "D4"),
            ("due_date", "D5"),
        ] {
            args.set(k, v);
        }
        for id in messages(source, lang).keys() {
            let message = bundle.get_message(id).expect("message");
            let pattern = message.value().expect("value");
            let mut errors = vec![];
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
            assert!(!text.trim().is_empty());
        }
    }
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

#[test]
fn japanese_has_no_english_beyond_names() {
    let names = ["IBM", "Aspera", "PWCS", "PartnerWorld", "BP", "PHS"];
    for (id, m) in messages(JA, "ja") {
        for word in m
            .text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
        {
            assert!(names.contains(&word), "ja {id}: English word {word:?}");
        }
        assert!(m.text.chars().any(is_japanese), "ja {id}: no Japanese");
    }
}

#[test]
fn english_has_no_japanese_beyond_names() {
    for (id, m) in messages(EN, "en") {
        let text = m.text.replace("日本アイ・ビー・エム株式会社", "");
        assert!(
            !text.chars().any(is_japanese),
            "en {id}: Japanese text in {text:?}"
        );
    }
}

#[test]
fn facts_are_quoted_from_the_seeds() {
    let ja = messages(JA, "ja");
    // Seed 000, verbatim (ASCII '~' and parentheses as in the seed).
    assert_eq!(
        ja["hours-pwcs"].text,
        "窓口受付時間: 営業時間 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日、12/30~1/3 を除く)"
    );
    assert!(ja["hours-pwcs-phone"].text.contains("0120-07-2004"));
    assert!(ja["hours-pwcs-phone"]
        .text
        .contains("「3」を押すと PWCS につながります"));
    // Seed 003.
    assert!(ja["payment-ibm-japan"]
        .text
        .contains("「日本アイ・ビー・エム株式会社」"));
    assert!(ja["payment-aspera"]
        .text
        .contains("これまで同様「Aspera」へのお支払となり"));
    assert!(ja["payment-aspera"].text.contains(
        "（注）：7月 1日より前に Asperaから発行される請求書は、これまで同様「Aspera」へのお支払となり、請求書に明記される支払方法に従って送金する必要があります。"
    ));
    assert!(!ja["payment-aspera"].text.contains("30日以内"));
    assert!(ja["payment-ibm-japan"].text.contains("30日以内"));
    assert!(ja["renewal-transition"]
        .text
        .contains("更新終了日は該当月の最終日"));
    assert!(ja["renewal-before-cutover"]
        .text
        .contains("IBM標準の契約条件"));
    let en = messages(EN, "en");
    assert!(en["hours-pwcs"].text.contains("9:00–12:00 and 13:00–17:00"));
    assert!(en["hours-pwcs-phone"].text.contains("0120-07-2004"));
}
