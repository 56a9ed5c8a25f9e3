//! Typo tolerance for English words.
//!
//! This module owns one job: rewrite a misspelt English word of a question into the lexicon word
//! it was meant to be (`invoce` → `invoice`, `compnay` → `company`), when it is one edit away
//! (insert, delete, substitute or swap two neighbours) and long enough that one edit is a typo
//! rather than a different word. Short words are left alone, except the programme's acronyms
//! with two neighbouring letters swapped (`pwsc` → `pwcs`, `imb` → `ibm`): a transposition of
//! an acronym nobody spells out is a typo, not another word. Japanese is not corrected:
//! kana/kanji variants are listed in the lexicon instead.

use std::collections::HashSet;

/// Words shorter than this are never corrected nor corrected to: one edit turns `bill` into
/// `will` and `call` into `cell`; in short words an edit makes another word, not a typo.
const MIN_LEN: usize = 5;
/// The programme's acronyms (all lexicon words) whose swapped-neighbour misspellings are
/// corrected although they are shorter than [`MIN_LEN`]. Only a swap, never another edit: `aps`
/// or `ibn` are other names, `pwsc` is `pwcs` typed fast.
const ACRONYMS: [&str; 7] = ["ibm", "pwcs", "apa", "pps", "icn", "adn", "fct"];

/// Real words and abbreviations that are swaps of an [`ACRONYMS`] entry: never corrected
/// (`and` is also a lexicon word, hence known anyway).
const SHORT_PROTECTED: [&str; 6] = ["and", "dan", "inc", "psp", "ftc", "cft"];

/// Correct at most this many words per question, bounding the work on pathological input.
const MAX_CORRECTIONS: usize = 64;

/// Real English words one edit away from a lexicon word (`taken`/`token`, `reach`/`each`,
/// `launch`/`lunch`): known words, never "corrected". Generated from a dictionary by the test
/// `protected_words_are_up_to_date` (see there for how to regenerate after editing the lexicon).
pub(crate) const PROTECTED_WORDS: &str = include_str!("protected_words.txt");

/// A lexicon word a misspelling can be corrected to.
#[derive(Debug, Clone)]
struct Target {
    word: String,
    /// `renew*`-style stems: compare against the first letters of the typed word.
    prefix: bool,
}

/// The typo corrector: the lexicon's English vocabulary plus [`PROTECTED_WORDS`].
#[derive(Debug, Clone)]
pub(crate) struct Corrector {
    known: HashSet<String>,
    prefixes: Vec<String>,
    targets: Vec<Target>,
}

impl Corrector {
    /// Builds the corrector from the lexicon's ASCII words (`prefix` marks stems) and the list of
    /// protected real words.
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, bool)>, protected: &str) -> Self {
        let mut known: HashSet<String> = protected.split_whitespace().map(str::to_owned).collect();
        let mut prefixes = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut seen = HashSet::new();
        for (w, prefix) in words {
            if !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            if prefix {
                prefixes.push(w.to_owned());
            } else {
                known.insert(w.to_owned());
            }
            if w.len() >= MIN_LEN && seen.insert((w.to_owned(), prefix)) {
                targets.push(Target {
                    word: w.to_owned(),
                    prefix,
                });
            }
        }
        Corrector {
            known,
            prefixes,
            targets,
        }
    }

    /// Rewrites misspelt words of a normalized question; other text is kept as is.
    pub fn correct(&self, normalized: &str) -> String {
        let mut out = String::with_capacity(normalized.len() + 8);
        let mut corrections = 0usize;
        for (i, token) in normalized.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let replacement = if corrections < MAX_CORRECTIONS {
                self.correction_of(token)
            } else {
                None
            };
            match replacement {
                Some(r) => {
                    corrections += 1;
                    out.push_str(r);
                }
                None => out.push_str(token),
            }
        }
        out
    }

    fn correction_of(&self, token: &str) -> Option<&str> {
        if self.known.contains(token) {
            return None;
        }
        if token.len() < MIN_LEN {
            return acronym_of(token);
        }
        self.candidate(token)
    }

    /// The lexicon word `token` is one edit away from, ignoring whether `token` is a known word.
    fn candidate(&self, token: &str) -> Option<&str> {
        let len = token.len();
        if len < MIN_LEN || !token.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        if self.prefixes.iter().any(|p| token.starts_with(p.as_str())) {
            return None;
        }
        self.targets.iter().find_map(|t| {
            let hit = if t.prefix {
                // The stem must be the start of the typed word, give or take one edit.
                let stem = t.word.len();
                (stem.saturating_sub(1)..=stem + 1)
                    .any(|n| n <= len && within_one_edit(&token.as_bytes()[..n], t.word.as_bytes()))
            } else {
                within_one_edit(token.as_bytes(), t.word.as_bytes())
            };
            // A prefix target is rewritten as its stem, which the `stem*` pattern matches.
            hit.then_some(t.word.as_str())
        })
    }
}

/// The acronym a short token is a swap of two neighbouring letters of, if exactly one.
fn acronym_of(token: &str) -> Option<&'static str> {
    if token.len() < 3 || SHORT_PROTECTED.contains(&token) {
        return None;
    }
    let mut hits = ACRONYMS
        .iter()
        .filter(|a| is_transposition(token.as_bytes(), a.as_bytes()));
    match (hits.next(), hits.next()) {
        (Some(a), None) => Some(a),
        _ => None,
    }
}

/// Whether `a` is `b` with exactly two neighbouring (different) letters swapped.
fn is_transposition(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    a.get(i) == b.get(i + 1) && a.get(i + 1) == b.get(i) && a.get(i + 2..) == b.get(i + 2..)
}

/// Whether `a` and `b` are at most one edit apart: one insertion, deletion, substitution or
/// swap of two neighbouring letters (optimal string alignment distance ≤ 1). Linear and
/// allocation-free, since it runs for every unknown word against every lexicon word.
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if i == a.len() && i == b.len() {
        return true;
    }
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Greater => a.get(i + 1..) == b.get(i..),
        std::cmp::Ordering::Less => a.get(i..) == b.get(i + 1..),
        std::cmp::Ordering::Equal => {
            let substituted = a.get(i + 1..) == b.get(i + 1..);
            let swapped = a.get(i) == b.get(i + 1)
                && a.get(i + 1) == b.get(i)
                && a.get(i + 2..) == b.get(i + 2..);
            substituted || swapped
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrector() -> Corrector {
        Corrector::new(
            [
                ("invoice", false),
                ("company", false),
                ("token", false),
                ("renew", true),
                ("credit", false),
                ("account", false),
            ],
            "taken",
        )
    }

    #[test]
    fn one_edit() {
        let yes = [
            ("", ""),
            ("a", ""),
            ("compnay", "company"),
            ("invoce", "invoice"),
            ("invoicex", "invoice"),
            ("invoixe", "invoice"),
            ("ab", "ba"),
            ("tokne", "token"),
        ];
        for (a, b) in yes {
            assert!(within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(within_one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
        let no = [
            ("abc", ""),
            ("kitten", "sitting"),
            ("abcd", "badc"),
            ("tokyo", "token"),
        ];
        for (a, b) in no {
            assert!(!within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(!within_one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
    }

    #[test]
    fn corrects_typos_only() {
        let c = corrector();
        assert_eq!(c.correct("my compnay invoce"), "my company invoice");
        assert_eq!(c.correct("renwal of credt"), "renew of credit");
        assert_eq!(c.correct("tokne accounts"), "token account");
        // Protected real words, short words and already-matching stems stay.
        assert_eq!(c.correct("it was taken"), "it was taken");
        assert_eq!(c.correct("renewal"), "renewal");
        assert_eq!(c.correct("tokn tax tab"), "tokn tax tab");
        assert_eq!(c.correct("会社 invoce"), "会社 invoice");
    }

    #[test]
    fn acronym_transpositions() {
        let c = corrector();
        assert_eq!(c.correct("pwsc の番号"), "pwcs の番号");
        assert_eq!(c.correct("pcws number"), "pwcs number");
        assert_eq!(c.correct("imb id"), "ibm id");
        assert_eq!(c.correct("bim id"), "ibm id");
        assert_eq!(c.correct("who is my paa"), "who is my apa");
        assert_eq!(c.correct("my inc and dan"), "my inc and dan");
        // Only swaps: other one-letter edits of a short acronym are other names.
        assert_eq!(c.correct("aps ibn pwc pwcss"), "aps ibn pwc pwcss");
        assert_eq!(c.correct("ibm pwcs apa"), "ibm pwcs apa");
    }

    #[test]
    fn acronyms_are_lexicon_words_and_swaps_are_unambiguous() {
        use crate::lexicon;
        let (blocks, _) = lexicon::parse(lexicon::SOURCE);
        let words: HashSet<&str> = blocks
            .iter()
            .flat_map(|b| &b.patterns)
            .flat_map(|p| &p.parts)
            .flat_map(|p| &p.words)
            .map(String::as_str)
            .collect();
        for a in ACRONYMS {
            assert!(words.contains(a), "{a} is not a lexicon word");
            assert!(a.len() < MIN_LEN, "{a} is corrected like any word");
            // Every swap of an acronym maps back to it, or is a protected real word.
            let b = a.as_bytes();
            for i in 0..b.len() - 1 {
                let mut s = b.to_vec();
                s.swap(i, i + 1);
                let s = String::from_utf8(s).unwrap_or_default();
                if s == a || SHORT_PROTECTED.contains(&s.as_str()) {
                    continue;
                }
                assert!(!words.contains(s.as_str()), "{s} is a lexicon word");
                assert_eq!(acronym_of(&s), Some(a), "{s}");
            }
        }
    }

    #[test]
    fn protected_list_is_sorted_lowercase_and_unique() {
        let words: Vec<&str> = PROTECTED_WORDS.lines().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]), "not sorted/unique");
        assert!(words
            .iter()
            .all(|w| w.len() >= MIN_LEN && w.bytes().all(|b| b.is_ascii_lowercase())));
    }

    /// Regenerates the protected list from the system dictionary (Debian's `wamerican`,
    /// `/usr/share/dict/words`) and compares it with `protected_words.txt`. A dictionary word is
    /// protected when the corrector would otherwise rewrite it, unless it is just an inflection
    /// of that lexicon word (`accounts` → `account` is a wanted rewrite). Fails without the
    /// dictionary (scripts/ensure-services installs it). After editing the lexicon, regenerate with
    /// `PARTNERDESK_UPDATE_PROTECTED=1 cargo test -p partnerdesk-knowledge protected_words`.
    #[test]
    fn protected_words_are_up_to_date() {
        use crate::lexicon;
        use std::collections::BTreeSet;

        // scripts/ensure-services (run by scripts/test and CI) installs the dictionary.
        let dictionary = std::fs::read_to_string("/usr/share/dict/words").unwrap_or_else(|e| {
            panic!(
                "this check needs /usr/share/dict/words ({e}): run scripts/ensure-services \
                 or apt-get install wamerican"
            )
        });
        let (blocks, _) = lexicon::parse(lexicon::SOURCE);
        let words: Vec<(String, bool)> = blocks
            .iter()
            .flat_map(|b| &b.patterns)
            .flat_map(|p| &p.parts)
            .flat_map(|p| {
                let last = p.words.len().saturating_sub(1);
                p.words
                    .iter()
                    .enumerate()
                    .map(move |(i, w)| (w.clone(), p.prefix && i == last))
            })
            .collect();
        let bare = Corrector::new(words.iter().map(|(w, p)| (w.as_str(), *p)), "");
        let inflection = |w: &str, t: &str| {
            ["s", "es", "d", "ed", "ing"]
                .iter()
                .any(|suffix| w.strip_suffix(suffix) == Some(t))
        };
        let expected: BTreeSet<String> = dictionary
            .lines()
            .map(str::to_lowercase)
            .filter(|w| w.len() >= MIN_LEN && w.bytes().all(|b| b.is_ascii_lowercase()))
            .filter(|w| match bare.correction_of(w) {
                Some(t) => !inflection(w, t),
                None => false,
            })
            .collect();
        let mut text: String = expected.iter().map(|w| format!("{w}\n")).collect();
        if text.is_empty() {
            text.push('\n');
        }
        if std::env::var_os("PARTNERDESK_UPDATE_PROTECTED").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/protected_words.txt");
            std::fs::write(path, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
            return;
        }
        let current: BTreeSet<String> = PROTECTED_WORDS.lines().map(str::to_owned).collect();
        let missing: Vec<_> = expected.difference(&current).collect();
        let extra: Vec<_> = current.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "protected_words.txt is stale (regenerate with PARTNERDESK_UPDATE_PROTECTED=1): \
             missing {missing:?}, extra {extra:?}"
        );
    }
}
