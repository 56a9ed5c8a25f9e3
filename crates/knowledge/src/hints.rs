//! Cue words that tell the caller a computed answer is wanted.
//!
//! This module owns the small question "does the text talk about an invoice / a renewal / a
//! payment?", independent of which topic won. With [`crate::extract_date`] it lets the chat
//! layer answer "our renewal date is 2015-08-15" with the computed renewal window, or "invoice
//! dated 2015/6/20, whom do we pay?" with the computed payee and due date.

use std::sync::LazyLock;

use crate::normalize::normalize;
use crate::question::{truncate_chars, MAX_QUESTION_CHARS};

/// Cue words found in a question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints {
    /// Mentions an invoice or a bill (請求書, インボイス, invoice, bill).
    pub invoice: bool,
    /// Mentions a renewal (更新, リニューアル, renew, renewal, subscription).
    pub renewal: bool,
    /// Mentions paying or a payment (支払, 払う, 振込, pay, payment, due).
    pub payment: bool,
}

impl Hints {
    /// Scans `text` once for all cue words.
    pub fn of(text: &str) -> Hints {
        let hay = haystack(text);
        Hints {
            invoice: any(&hay, &INVOICE),
            renewal: any(&hay, &RENEWAL),
            payment: any(&hay, &PAYMENT),
        }
    }
}

/// Whether the question mentions an invoice (請求書, インボイス, invoice, bill...).
pub fn mentions_invoice(text: &str) -> bool {
    any(&haystack(text), &INVOICE)
}

/// Whether the question mentions a renewal (更新, リニューアル, renew, renewal...).
pub fn mentions_renewal(text: &str) -> bool {
    any(&haystack(text), &RENEWAL)
}

/// Whether the question mentions paying (支払, 払う, 振込, pay, payment, due...).
pub fn mentions_payment(text: &str) -> bool {
    any(&haystack(text), &PAYMENT)
}

/// Patterns in the matcher's normalized form; ASCII ones carry word boundaries as spaces and a
/// trailing `*` (stripped here) makes them prefixes, as in the lexicon.
fn compile(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .filter_map(|w| {
            let (body, prefix) = match w.strip_suffix('*') {
                Some(b) => (b, true),
                None => (*w, false),
            };
            let n = normalize(body);
            if n.is_empty() {
                None
            } else if n.is_ascii() {
                Some(if prefix {
                    format!(" {n}")
                } else {
                    format!(" {n} ")
                })
            } else {
                Some(n)
            }
        })
        .collect()
}

static INVOICE: LazyLock<Vec<String>> = LazyLock::new(|| {
    compile(&[
        "請求",
        "インボイス",
        "invoice*",
        "invoce*",
        "bill",
        "bills",
        "billed",
        "billing",
    ])
});

static RENEWAL: LazyLock<Vec<String>> = LazyLock::new(|| {
    compile(&[
        "更新",
        "リニューアル",
        "renew*",
        "renewl*",
        "subscription*",
        "サブスクリプション",
    ])
});

static PAYMENT: LazyLock<Vec<String>> = LazyLock::new(|| {
    compile(&[
        "払",
        "支払",
        "振込",
        "振り込",
        "決済",
        "pay",
        "pays",
        "paid",
        "paying",
        "payment*",
        "due",
    ])
});

fn haystack(text: &str) -> String {
    let text = truncate_chars(text, MAX_QUESTION_CHARS);
    format!(" {} ", normalize(text))
}

fn any(haystack: &str, needles: &[String]) -> bool {
    needles.iter().any(|n| haystack.contains(n.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues() {
        let h = Hints::of("2015/6/20付の請求書はどこに払えばいい？");
        assert!(h.invoice && h.payment && !h.renewal);
        let h = Hints::of("Our renewal date is 2015-08-15");
        assert!(h.renewal && !h.invoice && !h.payment);
        assert!(mentions_renewal("契約のリニューアル"));
        assert!(mentions_invoice("INVOICES dated June"));
        assert!(mentions_payment("When is payment due?"));
        assert!(!mentions_invoice("ability")); // "bill" only as a word
        assert!(!mentions_payment("paypal")); // "pay" only as a word
        assert_eq!(Hints::of(""), Hints::default());
    }
}
