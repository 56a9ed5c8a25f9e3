//! Parsing input into what the workflows store: IBM IDs, names, notes. Every refusal is a
//! localized, specific message.

use unicode_normalization::UnicodeNormalization;

use crate::i18n::text::Msg;
use crate::i18n::Locale;

pub const MAX_NAME: usize = 200;
pub const MAX_NOTE: usize = 2000;

/// An IBM ID: an email address, stored lower-case.
pub fn ibm_id(text: &str) -> Result<String, Msg> {
    let trimmed = text.trim();
    let bad = || Msg::new("wf-error-bad-ibm-id").arg("value", crate::i18n::text::one_line(trimmed));
    if trimmed.is_empty() || trimmed.len() > 254 || trimmed.chars().any(char::is_control) {
        return Err(bad());
    }
    let address: lettre::Address = trimmed.parse().map_err(|_| bad())?;
    let domain = address.domain();
    if !domain.contains('.') || domain.starts_with('[') {
        return Err(bad());
    }
    Ok(address.to_string().to_lowercase())
}

/// Characters that change how a name looks without being seen: zero-width spaces and joiners,
/// the soft hyphen, word joiners, the byte-order mark, and every bidirectional control (the
/// right-to-left override makes `\u{202e}KK ahplA` show as "Alpha KK").
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The form two names are compared in for "already exists": NFKC (full-width `ＡＢＣ` and
/// half-width `ｶﾅ` become `ABC` and `カナ`), lower case, without spaces or invisible
/// characters. So `Alpha KK`, `alpha kk` and `ＡｌｐｈａＫＫ` are one name.
pub fn name_key(name: &str) -> String {
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    folded
        .nfkc()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect()
}

fn name(text: &str, what: &'static str) -> Result<String, Msg> {
    let trimmed = text.trim();
    if let Some(c) = trimmed.chars().find(|c| is_invisible(*c)) {
        return Err(Msg::new("wf-error-name-invisible")
            .label("what", format!("wf-what-{what}"))
            .arg("code", format!("U+{:04X}", u32::from(c))));
    }
    if trimmed.contains(['\r', '\n']) {
        return Err(Msg::new("wf-error-name-line-break")
            .label("what", format!("wf-what-{what}"))
            .arg("value", crate::i18n::text::one_line(trimmed)));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Msg::new("wf-error-name-control")
            .label("what", format!("wf-what-{what}"))
            .arg("code", format!("U+{:04X}", u32::from(c))));
    }
    if trimmed.is_empty() {
        return Err(Msg::new("wf-error-name-empty").label("what", format!("wf-what-{what}")));
    }
    if trimmed.chars().count() > MAX_NAME {
        return Err(Msg::new("wf-error-name-long")
            .label("what", format!("wf-what-{what}"))
            .num("max", MAX_NAME as i64));
    }
    Ok(trimmed.to_string())
}

/// A company name: it goes into email subjects, so CR/LF and other control characters are
/// refused here, at input.
pub fn company_name(text: &str) -> Result<String, Msg> {
    name(text, "company")
}

pub fn location_name(text: &str) -> Result<String, Msg> {
    name(text, "location")
}

pub fn person_name(text: &str) -> Result<String, Msg> {
    name(text, "person")
}

/// A note or reason: free text for an email body; line breaks are kept, other control
/// characters are not.
pub fn note(text: &str, what: &'static str) -> Result<String, Msg> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    if cleaned.trim().is_empty() {
        return Err(Msg::new("wf-error-note-empty").label("what", format!("wf-what-{what}")));
    }
    if cleaned.chars().count() > MAX_NOTE {
        return Err(Msg::new("wf-error-name-long")
            .label("what", format!("wf-what-{what}"))
            .num("max", MAX_NOTE as i64));
    }
    Ok(cleaned)
}

pub fn locale(text: &str) -> Result<Locale, Msg> {
    Locale::negotiate(text.trim()).ok_or_else(|| {
        Msg::new("wf-error-bad-lang").arg("value", crate::i18n::text::one_line(text))
    })
}

/// A positive id (`42`, or `#42`).
pub fn id(text: &str, what: &'static str) -> Result<i64, Msg> {
    text.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            Msg::new("wf-error-bad-id")
                .label("what", format!("wf-what-{what}"))
                .arg("value", crate::i18n::text::one_line(text))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_names_have_one_key() {
        let key = name_key("Alpha KK");
        for same in [
            "alpha kk",
            "ＡｌｐｈａＫＫ",
            "  ALPHA   KK ",
            "Alpha\u{3000}KK",
        ] {
            assert_eq!(name_key(same), key, "{same:?}");
        }
        assert_eq!(name_key("ｶﾌﾞｼｷｶﾞｲｼｬ"), name_key("カブシキガイシャ"));
        assert_ne!(name_key("Alpha KK"), name_key("Alpha KG"));
    }

    #[test]
    fn ibm_ids() {
        assert_eq!(
            ibm_id(" Hanako@Example.COM ").ok().as_deref(),
            Some("hanako@example.com")
        );
        for bad in [
            "",
            "no-at",
            "a@b",
            "a b@example.com",
            "a@example.com\r\nBcc: x",
            "<a@example.com>",
        ] {
            assert!(ibm_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_refuse_line_breaks() {
        assert_eq!(
            company_name("  株式会社テスト ").ok().as_deref(),
            Some("株式会社テスト")
        );
        let e = company_name("Evil\r\nBcc: x@example.com").expect_err("refused");
        assert_eq!(e.id, "wf-error-name-line-break");
        assert!(company_name("a\u{7}b").is_err());
        assert!(company_name("   ").is_err());
        assert!(company_name(&"x".repeat(MAX_NAME + 1)).is_err());
        assert_eq!(
            note(" need\nA\u{0} ", "note").ok().as_deref(),
            Some("need\nA")
        );
        assert_eq!(id("#12", "request").ok(), Some(12));
        for hidden in [
            "Alpha\u{200b}KK",
            "\u{202e}KK ahplA",
            "A\u{2066}B",
            "\u{feff}Alpha",
        ] {
            let e = company_name(hidden).expect_err(hidden);
            assert_eq!(e.id, "wf-error-name-invisible", "{hidden:?}");
            assert!(person_name(hidden).is_err() && location_name(hidden).is_err());
        }
        assert!(id("0", "request").is_err());
        assert!(id("x", "request").is_err());
    }
}
