//! How much of a question is read.
//!
//! This module owns the one length bound that both the [`crate::matcher`] and the cue-word scan
//! of [`crate::hints`] apply before looking at a question, so neither has to ask the other.

/// Questions are short; only this many characters are read, which bounds the time spent on a
/// pasted log file while keeping any real question whole.
pub const MAX_QUESTION_CHARS: usize = 2_000;

/// The first `max` characters of `text` (all of it when shorter).
pub(crate) fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}
