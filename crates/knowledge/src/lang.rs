//! Reply-language detection for free text.
//!
//! This module owns one decision: is a question Japanese or English? The chat layer prefers the
//! user's saved language; this is the fallback for free text with no other hint.

use crate::normalize::is_cjk_letter;
use serde::{Deserialize, Serialize};

/// The two languages the bot answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese (`ja`).
    Ja,
    /// English (`en`).
    En,
}

impl Lang {
    /// BCP 47 tag used for the locale folders: `"ja"` or `"en"`.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// Japanese if the text has any kana or kanji (including half-width katakana), else English.
///
/// One Japanese character is enough: partners mix English product names into Japanese
/// sentences (`IBM IDの取得`), never the other way round. The one exception is a date written
/// the Japanese way inside an English sentence (`my renewal date is 2015年8月15日`): 年, 月 and
/// 日 right after a digit do not count, unless the text has no other words at all.
pub fn detect_language(text: &str) -> Lang {
    let chars: Vec<char> = text.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let (mut japanese, mut latin, mut japanese_date) = (false, false, false);
    for (i, &c) in chars.iter().enumerate() {
        let after_digit = i > 0 && is_digit(chars[i - 1]);
        if matches!(c, '年' | '月' | '日') && after_digit {
            japanese_date = true;
        } else if is_cjk_letter(c) || matches!(c, '\u{FF66}'..='\u{FF9F}' | '\u{30FC}') {
            japanese = true;
        } else if c.is_alphabetic() {
            latin = true;
        }
    }
    if japanese || (japanese_date && !latin) {
        Lang::Ja
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects() {
        assert_eq!(detect_language("IBM IDの取得"), Lang::Ja);
        assert_eq!(detect_language("ﾄｰｸﾝ"), Lang::Ja);
        assert_eq!(detect_language("ＩＢＭ"), Lang::En);
        assert_eq!(detect_language("What is a company token?"), Lang::En);
        assert_eq!(detect_language(""), Lang::En);
        assert_eq!(detect_language("「手続き完了のご案内」 email?"), Lang::Ja);
        // A Japanese-style date inside English stays English; on its own it is Japanese.
        assert_eq!(
            detect_language("my renewal date is 2015年8月15日, what happens?"),
            Lang::En
        );
        assert_eq!(detect_language("2015年8月15日"), Lang::Ja);
        assert_eq!(detect_language("２０１５年８月１５日に更新"), Lang::Ja);
    }
}
