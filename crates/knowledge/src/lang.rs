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

/// English words that only an English sentence has: an English question quoting a Japanese
/// title or name (`What does 会社トークン mean?`) has several, a Japanese sentence with an
/// English product name in it (`Aspera on Cloud の契約`) hardly one.
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "a", "about", "an", "are", "can", "could", "did", "do", "does", "how", "i", "is", "it", "me",
    "mean", "my", "of", "our", "please", "should", "the", "this", "to", "us", "was", "we", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
];

/// Endings and phrases of a Japanese sentence; with one of them the sentence is Japanese
/// whatever English it quotes.
const JAPANESE_SENTENCE_MARKS: &[&str] = &[
    "です",
    "ます",
    "ください",
    "でしょう",
    "教えて",
    "とは",
    "って",
    "か？",
    "か?",
    "の？",
    "の?",
    "たい",
];

/// Japanese or English.
///
/// Japanese when the text has kana or kanji (including half-width katakana), with two
/// exceptions that keep English sentences English:
/// - a date written the Japanese way (`my renewal date is 2015年8月15日`): 年, 月 and 日 right
///   after a digit do not count, unless the text has no other words at all;
/// - Japanese quoted in an English sentence (`I got 手続き完了のご案内, what is it?`): two or
///   more English function words and no Japanese sentence ending make it English.
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
    if japanese && latin && has_english_frame(text) {
        return Lang::En;
    }
    if japanese || (japanese_date && !latin) {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// Whether the sentence around any Japanese is English: two or more English function words,
/// and no Japanese sentence ending.
fn has_english_frame(text: &str) -> bool {
    if JAPANESE_SENTENCE_MARKS.iter().any(|m| text.contains(m)) {
        return false;
    }
    let function_words = text
        .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
        .filter(|word| {
            let word = word.trim_matches('\'').to_ascii_lowercase();
            ENGLISH_FUNCTION_WORDS.contains(&word.as_str())
        })
        .count();
    function_words >= 2
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
        // Japanese quoted in an English sentence leaves it English.
        for english in [
            "I received an email titled 手続き完了のご案内, what is it?",
            "Do we pay 日本アイ・ビー・エム株式会社 now?",
            "What is the IBMソフトウェア・ライセンスご登録内容のお知らせ notice?",
            "What does 会社トークン mean?",
        ] {
            assert_eq!(detect_language(english), Lang::En, "{english}");
        }
        // English names in a Japanese sentence leave it Japanese.
        for japanese in [
            "Aspera on Cloud の契約はどうなりますか",
            "What is PWCS って何ですか",
            "IBM ID を取得したい",
            "How to register の手順を教えて",
        ] {
            assert_eq!(detect_language(japanese), Lang::Ja, "{japanese}");
        }
        // A Japanese-style date inside English stays English; on its own it is Japanese.
        assert_eq!(
            detect_language("my renewal date is 2015年8月15日, what happens?"),
            Lang::En
        );
        assert_eq!(detect_language("2015年8月15日"), Lang::Ja);
        assert_eq!(detect_language("２０１５年８月１５日に更新"), Lang::Ja);
    }
}
