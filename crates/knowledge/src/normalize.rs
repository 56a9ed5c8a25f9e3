//! Text normalization shared by the matcher, the lexicon and the hint detectors.
//!
//! This module owns the one canonical form that both user questions and lexicon patterns are
//! folded into, so that spelling variants meet: 「ﾄｰｸﾝ」, 「トークン」 and 「とーくん」 all become
//! `とくん`, `Company-Token!!` becomes `company token`, and `IBM IDを取得` becomes `ibm id を取得`.
//! Anything that compares text compares normalized text; nothing else in the crate re-implements
//! these rules.

use unicode_normalization::UnicodeNormalization;

/// Script class of a normalized character, used to decide where spaces go.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Letters and digits of space-separated scripts (ASCII, accented Latin, ...).
    Word,
    /// Kana, kanji and other CJK letters: Japanese is written without spaces.
    Cjk,
}

/// Folds `text` into the canonical matching form:
///
/// 1. NFKC, so full-width ASCII (`ＩＢＭ`, `１５`) and half-width katakana (`ﾄｰｸﾝ`) become
///    their ordinary forms;
/// 2. lowercase; English contractions expanded (`don't` → `do not`, `I'd` → `i would`), so a
///    stray `'d` is never read as the word `id`;
/// 3. katakana → hiragana, because people type either for the same word (`トークン`/`とーくん`);
/// 4. long-vowel marks (and dash look-alikes) after kana are dropped, since `ユーザー`/`ユーザ`
///    and `ト-クン` are the same word; the middle dot `・` is dropped, since
///    `プライマリー・コンタクト` is also written `プライマリーコンタクト`;
/// 5. every other punctuation or symbol becomes a space; runs of spaces collapse; spaces
///    between two Japanese characters are removed (Japanese has no word spaces, so
///    `会社 トークン` = `会社トークン`), and a space is put where ASCII meets Japanese, so that
///    English keywords keep word boundaries inside Japanese sentences (`apaとは` → `apa とは`).
///
/// The result is trimmed and never contains two spaces in a row. Control characters are treated
/// as spaces. Total on any input: it never panics.
pub fn normalize(text: &str) -> String {
    let folded: String = text.nfkc().collect::<String>().to_lowercase();
    let expanded = expand_contractions(&folded);

    let mut out = String::with_capacity(expanded.len());
    // Class of the last character written, and whether a space is pending before the next one.
    let mut last: Option<Class> = None;
    let mut last_char: char = ' ';
    let mut pending_space = false;

    for c in expanded.chars() {
        let c = kata_to_hira(c);
        if is_long_vowel_mark(c) {
            if is_kana(last_char) && !pending_space {
                // Prolonged sound: drop it (ユーザー = ユーザ).
                continue;
            }
            pending_space = true;
            continue;
        }
        if c == '・' {
            // Compound separator in katakana words; join the parts.
            continue;
        }
        let class = if is_cjk_letter(c) {
            Class::Cjk
        } else if c.is_alphanumeric() {
            Class::Word
        } else {
            // Whitespace, punctuation, symbols, emoji, control characters.
            pending_space = true;
            continue;
        };
        if let Some(prev) = last {
            let boundary = prev != class;
            let both_cjk = prev == Class::Cjk && class == Class::Cjk;
            if (pending_space && !both_cjk) || boundary {
                out.push(' ');
            }
        }
        out.push(c);
        last = Some(class);
        last_char = c;
        pending_space = false;
    }
    // Dropping punctuation can bring a stray combining mark (a lone half-width ﾞ) next to a
    // base letter; compose it now so that normalizing twice changes nothing.
    if out
        .chars()
        .any(|c| matches!(c, '\u{0300}'..='\u{036F}' | '\u{3099}'..='\u{309A}'))
    {
        out.nfc().collect()
    } else {
        out
    }
}

/// Expands English contractions on already-lowercased text. `'s` is dropped (possessive or
/// "is": neither carries meaning for matching). Curly apostrophes count as apostrophes.
fn expand_contractions(text: &str) -> String {
    if !text.contains(['\'', '\u{2019}', '\u{2018}', '`']) {
        return text.to_owned();
    }
    let unified: String = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(unified.len() + 8);
    for (i, word) in unified.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&expand_word(word));
    }
    out
}

/// Expands one space-delimited chunk such as `don't` or `company's?`.
fn expand_word(word: &str) -> String {
    const IRREGULAR: [(&str, &str); 3] = [
        ("won't", "will not"),
        ("can't", "can not"),
        ("shan't", "shall not"),
    ];
    const SUFFIXES: [(&str, &str); 7] = [
        ("n't", " not"),
        ("'re", " are"),
        ("'ve", " have"),
        ("'ll", " will"),
        ("'m", " am"),
        ("'d", " would"),
        ("'s", ""),
    ];
    // Split off trailing punctuation so `don't?` still expands.
    let core_end = word
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (core, tail) = word.split_at(core_end);
    for (from, to) in IRREGULAR {
        if core == from {
            return format!("{to}{tail}");
        }
    }
    for (suffix, replacement) in SUFFIXES {
        if let Some(stem) = core.strip_suffix(suffix) {
            if !stem.is_empty() {
                return format!("{stem}{replacement}{tail}");
            }
        }
    }
    word.to_owned()
}

/// Katakana (including ヴ and small kana) → the matching hiragana; other characters unchanged.
fn kata_to_hira(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' | '\u{30FD}'..='\u{30FE}' => {
            char::from_u32(c as u32 - 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

/// ー and the dash-like characters people type in its place after kana.
fn is_long_vowel_mark(c: char) -> bool {
    matches!(
        c,
        '\u{30FC}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{301C}' | '-' | '~'
    )
}

/// Hiragana (after folding, katakana is hiragana).
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

/// Japanese letters: kana, CJK ideographs (incl. extension A and compatibility), the iteration
/// mark 々 and ヶ/〆.
pub(crate) fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}'   // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana (unfolded leftovers)
        | '\u{31F0}'..='\u{31FF}' // katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{3005}' | '\u{3006}' | '\u{3007}' // 々 〆 〇
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_spellings_meet() {
        let a = normalize("ﾄｰｸﾝ");
        assert_eq!(a, "とくん");
        assert_eq!(normalize("トークン"), a);
        assert_eq!(normalize("とーくん"), a);
        assert_eq!(normalize("ト-クン"), a);
        assert_eq!(normalize("会社 トークン"), normalize("会社トークン"));
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(normalize("ＩＢＭ　ＩＤ"), "ibm id");
        assert_eq!(normalize("Company-Token!!"), "company token");
        assert_eq!(normalize("１６桁"), "16 桁");
        assert_eq!(normalize("IBM IDを取得"), "ibm id を取得");
    }

    #[test]
    fn middle_dot_and_long_vowels() {
        assert_eq!(
            normalize("プライマリー・コンタクト"),
            normalize("プライマリコンタクト")
        );
        assert_eq!(normalize("ユーザー"), normalize("ユーザ"));
    }

    #[test]
    fn contractions() {
        assert_eq!(normalize("I'd like an ID"), "i would like an id");
        assert_eq!(normalize("don't, won't"), "do not will not");
        assert_eq!(
            normalize("What’s the company's token?"),
            "what the company token"
        );
    }

    #[test]
    fn odd_input() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("\u{0}\u{7}\t\r\n"), "");
        assert_eq!(normalize("🙂ー'"), "");
        assert_eq!(normalize("'s"), "s");
    }
}
