//! Splitting a message into the questions it contains, and telling a follow-up from a fresh
//! question.
//!
//! This module owns the surface rules only: where a message may be cut (「それと」「あと」「また」
//! 「それから」, a question mark followed by more text, "also", "and" before a new question,
//! ";") and what makes a question elliptical (「その人」「それ」「場合は？」, "and before that?",
//! "what about…"). Whether a cut-off piece stands on its own is decided by the matcher
//! ([`crate::understand`]), which glues a piece that does not back onto the one before.

use crate::question::{truncate_chars, MAX_QUESTION_CHARS};

/// At most this many pieces are considered (the desk answers at most three parts).
pub const MAX_PIECES: usize = 6;

/// Japanese connectors that start a new question when they open a clause.
const JA_CONNECTORS: &[&str] = &["それと", "それから", "あと", "また", "あとは", "ついでに"];

/// English connectors that start a new question at the start of a clause.
const EN_CONNECTORS: &[&str] = &["also", "and also", "plus", "additionally"];

/// Words that start a question: "and" before one of these begins a new question.
const EN_QUESTION_STARTS: &[&str] = &[
    "what", "how", "where", "when", "who", "whom", "which", "why", "is", "are", "do", "does",
    "can", "could", "will", "would", "should", "may", "did",
];

/// The pieces of `text`, in order, trimmed and non-empty. Never more than [`MAX_PIECES`]; the
/// last piece takes the rest.
pub fn pieces(text: &str) -> Vec<String> {
    // Bounded like every other read of a question, so a pasted log costs no more than a
    // question; each look-ahead below reads only a short prefix of the rest.
    let text = truncate_chars(text, MAX_QUESTION_CHARS);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // Whether alphanumeric text follows position i (computed once, right to left).
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut more_after = vec![false; chars.len() + 1];
    for i in (0..chars.len()).rev() {
        more_after[i] = more_after[i + 1] || chars[i].1.is_alphanumeric();
    }
    for (i, &(at, c)) in chars.iter().enumerate() {
        let rest = &text[at + c.len_utf8()..];
        // Sentence ends: `?`, `？`, `;` always cut when text follows; `。`/`.`/`!` only when a
        // connector follows ("…教えて。また、…").
        let hard = matches!(c, '?' | '？' | ';' | '；');
        let soft = matches!(c, '。' | '!' | '！' | '.' | '、' | ',' | '，');
        if hard || soft {
            let rest_trim = rest.trim_start();
            let cut = more_after[i + 1]
                && (hard
                    || starts_with_connector(rest_trim)
                    || (matches!(c, ',' | '，' | '、') && starts_with_and_question(rest_trim)));
            current.push(c);
            if cut && out.len() + 1 < MAX_PIECES {
                push_piece(&mut out, &mut current);
            }
            continue;
        }
        // " and how/what/…", " also …" inside an English clause.
        if c == ' '
            && out.len() + 1 < MAX_PIECES
            && (starts_with_and_question(rest) || starts_with_word(rest, "also"))
            && current.split_whitespace().count() >= 3
        {
            push_piece(&mut out, &mut current);
            continue;
        }
        current.push(c);
    }
    push_piece(&mut out, &mut current);
    if out.is_empty() {
        out.push(text.trim().to_string());
    }
    out
}

/// The first few characters of `text`, lower-cased: enough for any connector.
fn head(text: &str) -> String {
    text.trim_start()
        .chars()
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn push_piece(out: &mut Vec<String>, current: &mut String) {
    let piece = strip_connector(current.trim());
    if piece.chars().any(char::is_alphanumeric) {
        out.push(piece.to_string());
    }
    current.clear();
}

fn starts_with_word(text: &str, word: &str) -> bool {
    let lower = head(text);
    lower.starts_with(word)
        && lower[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric())
}

fn starts_with_and_question(text: &str) -> bool {
    let lower = head(text);
    let Some(rest) = lower.strip_prefix("and ") else {
        return false;
    };
    EN_QUESTION_STARTS.iter().any(|w| starts_with_word(rest, w))
}

fn starts_with_connector(text: &str) -> bool {
    JA_CONNECTORS.iter().any(|c| text.starts_with(c))
        || EN_CONNECTORS.iter().any(|c| starts_with_word(text, c))
        || starts_with_and_question(text)
}

/// The piece without its opening connector (「また、」, "Also,", "And").
fn strip_connector(piece: &str) -> &str {
    let mut p = piece;
    for c in JA_CONNECTORS {
        if let Some(rest) = p.strip_prefix(c) {
            p = rest.trim_start_matches(['、', ',', ' ', '，']);
            break;
        }
    }
    for c in ["and also", "also", "and", "plus", "additionally"] {
        if starts_with_word(p, c) {
            p = p[c.len()..].trim_start_matches([',', ' ']);
            break;
        }
    }
    p.trim()
}

/// Whether a question reads as a follow-up: it points back (「それ」「その人」「そこ」, "it",
/// "that", "and before that?", "what about…") or is too short to carry its own subject.
pub fn is_elliptical(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    let japanese_len = t.chars().filter(|c| !c.is_ascii()).count();
    points_back(t)
        || (japanese_len > 0 && t.chars().count() <= 12)
        || (japanese_len == 0 && words <= 3)
}

/// Whether a question explicitly points back at what was said before: a demonstrative
/// (「それ」「その人」「そこ」, "it", "that", "there") or an opening that continues ("and …?",
/// "what about …", 「〜の場合は？」).
pub fn points_back(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    const JA_POINTERS: &[&str] = &[
        "それ",
        "その",
        "そこ",
        "そちら",
        "そっち",
        "あれ",
        "場合は",
        "ときは",
        "時は",
        "方は",
        "じゃあ",
        "では",
        "なら",
        "こと？",
    ];
    const EN_STARTS: &[&str] = &[
        "and ",
        "what about",
        "how about",
        "what if",
        "then ",
        "but ",
        "so ",
        "same ",
    ];
    const EN_POINTERS: &[&str] = &[
        " it", " that", " this", " them", " they", " there", " those", " their", " one", " ours",
    ];
    if JA_POINTERS.iter().any(|p| t.contains(p)) {
        return true;
    }
    if EN_STARTS.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let padded = format!(" {} ", lower.replace(['?', '.', '!', ','], " "));
    let words = lower.split_whitespace().count();
    words <= 9
        && EN_POINTERS
            .iter()
            .any(|p| padded.contains(&format!("{p} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_connectors_and_question_marks_cut() {
        assert_eq!(
            pieces("PWCSの電話番号は？それと、更新の仕方も教えてください"),
            vec!["PWCSの電話番号は？", "更新の仕方も教えてください"]
        );
        assert_eq!(
            pieces("登録のやり方を教えて。また、合意書はどこ？"),
            vec!["登録のやり方を教えて。", "合意書はどこ？"]
        );
        assert_eq!(pieces("会社トークンとは"), vec!["会社トークンとは"]);
    }

    #[test]
    fn english_and_cuts_only_before_a_new_question() {
        assert_eq!(
            pieces("Where do I get an IBM ID, and how do I add myself?"),
            vec!["Where do I get an IBM ID,", "how do I add myself?"]
        );
        assert_eq!(
            pieces("Where do I get an IBM ID and password?"),
            vec!["Where do I get an IBM ID and password?"]
        );
        assert_eq!(
            pieces("Where is the token; who is the APA?"),
            vec!["Where is the token;", "who is the APA?"]
        );
        assert_eq!(
            pieces("Is tax extra? Also who do we pay?"),
            vec!["Is tax extra?", "who do we pay?"]
        );
    }

    #[test]
    fn follow_ups_are_recognized() {
        assert!(is_elliptical("その人がわからないときは？"));
        assert!(is_elliptical("and before that?"));
        assert!(is_elliptical("where do I enter it?"));
        assert!(!is_elliptical(
            "How do I register my company with PartnerWorld?"
        ));
        assert!(!is_elliptical(
            "PartnerWorldに会社を新しく登録したいのですが、どうすればいいですか"
        ));
    }

    #[test]
    fn any_text_gets_at_least_one_piece() {
        assert_eq!(pieces("???").len(), 1);
        assert_eq!(pieces("").len(), 1);
        assert!(pieces(&"a? ".repeat(100)).len() <= MAX_PIECES);
    }
}
