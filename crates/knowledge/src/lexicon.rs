//! The curated keyword lexicon (`lexicon.txt`) and its parser.
//!
//! This module owns the *data* of matching: which normalized patterns point to which topics with
//! which weights. The file format is documented at the top of `lexicon.txt`. How scores are
//! combined into a decision is the matcher's business, not this module's.

use crate::normalize::normalize;
use crate::topic::TopicId;

/// The lexicon compiled into the binary: no file access at run time.
pub(crate) const SOURCE: &str = include_str!("lexicon.txt");

/// One concept: patterns that mean the same thing and the weights they add, once.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub weights: Vec<(TopicId, f32)>,
    pub patterns: Vec<Pattern>,
}

/// A pattern: one or more parts that must all occur (`aspera & サポート`), anywhere and in any
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub parts: Vec<Part>,
}

/// A normalized needle ready for substring search over the padded, normalized question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The text to search for. ASCII patterns carry their word boundaries as spaces
    /// (`" id "`, or `" renew"` for a prefix pattern), because the question is searched as
    /// `" " + normalized + " "`.
    pub needle: String,
    /// The words of an ASCII pattern (for the typo corrector's vocabulary); empty otherwise.
    pub words: Vec<String>,
    /// Whether the last word is a prefix (`renew*`).
    pub prefix: bool,
}

/// A line of `lexicon.txt` that could not be read; the matcher skips it, a test insists there
/// are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Parses a lexicon. Bad lines are reported, not fatal, so a typo in the data can never take
/// the bot down; `tests` asserts the shipped lexicon has none.
pub(crate) fn parse(source: &str) -> (Vec<Block>, Vec<LexiconError>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut errors = Vec::new();
    let mut current: Option<Block> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('@') {
            if let Some(done) = current.take() {
                blocks.push(done);
            }
            match parse_header(header) {
                Ok(weights) => {
                    current = Some(Block {
                        weights,
                        patterns: Vec::new(),
                    })
                }
                Err(reason) => errors.push(LexiconError {
                    line: i + 1,
                    reason,
                }),
            }
            continue;
        }
        let Some(block) = current.as_mut() else {
            errors.push(LexiconError {
                line: i + 1,
                reason: "pattern before any @header".into(),
            });
            continue;
        };
        match compile_pattern(line) {
            Some(p) => block.patterns.push(p),
            None => errors.push(LexiconError {
                line: i + 1,
                reason: format!(
                    "pattern {line:?} is empty after normalization or has more than \
                     {MAX_PARTS} parts"
                ),
            }),
        }
    }
    if let Some(done) = current.take() {
        blocks.push(done);
    }
    for b in &blocks {
        if b.patterns.is_empty() {
            errors.push(LexiconError {
                line: 0,
                reason: format!("block {:?} has no patterns", b.weights),
            });
        }
    }
    (blocks, errors)
}

fn parse_header(header: &str) -> Result<Vec<(TopicId, f32)>, String> {
    let mut weights = Vec::new();
    for part in header.split_whitespace() {
        let (id, w) = part
            .split_once('=')
            .ok_or_else(|| format!("expected topic=weight, got {part:?}"))?;
        let topic: TopicId = id.parse().map_err(|e| format!("{e}"))?;
        let w: f32 = w
            .parse()
            .map_err(|_| format!("bad weight {w:?} for {id}"))?;
        if !w.is_finite() {
            return Err(format!("weight for {id} is not finite"));
        }
        weights.push((topic, w));
    }
    if weights.is_empty() {
        return Err("header names no topic".into());
    }
    Ok(weights)
}

/// Most parts a conjunction may have (the matcher tracks them in a `u64` bit set).
pub(crate) const MAX_PARTS: usize = 8;

fn compile_pattern(line: &str) -> Option<Pattern> {
    let parts: Option<Vec<Part>> = line.split(" & ").map(|p| compile_part(p.trim())).collect();
    let parts = parts?;
    (!parts.is_empty() && parts.len() <= MAX_PARTS).then_some(Pattern { parts })
}

/// Marks the start of the question in the matcher's haystack (`START + " " + question + " " +
/// END`); normalized text never contains it (control characters become spaces).
pub(crate) const START: char = '\u{2}';
/// Marks the end of the question in the matcher's haystack.
pub(crate) const END: char = '\u{3}';

fn compile_part(line: &str) -> Option<Part> {
    let (line, at_start) = match line.strip_prefix('^') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let (line, at_end) = match line.strip_suffix('$') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let (body, prefix) = match line.strip_suffix('*') {
        Some(body) => (body, true),
        None => (line, false),
    };
    if prefix && at_end {
        return None;
    }
    let norm = normalize(body);
    if norm.is_empty() {
        return None;
    }
    let (mut needle, words, prefix) = if norm.is_ascii() {
        let needle = if prefix {
            format!(" {norm}")
        } else {
            format!(" {norm} ")
        };
        (needle, norm.split(' ').map(str::to_owned).collect(), prefix)
    } else {
        (norm, Vec::new(), false)
    };
    // Anchors: the haystack is `START + " " + question + " " + END`.
    if at_start {
        let body = needle.trim_start_matches(' ');
        needle = format!("{START} {body}");
    }
    if at_end {
        let body = needle.trim_end_matches(' ');
        needle = format!("{body} {END}");
    }
    Some(Part {
        needle,
        words,
        prefix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_is_clean() {
        let (blocks, errors) = parse(SOURCE);
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(blocks.len() > 50);
        // Every answerable topic has at least one cue; `unknown` has none (out of scope is
        // decided by coverage, not by cue words).
        for t in TopicId::ALL.into_iter().filter(|t| *t != TopicId::Unknown) {
            assert!(
                blocks
                    .iter()
                    .any(|b| b.weights.iter().any(|(bt, w)| *bt == t && *w >= 3.0)),
                "no strong cue for {t}"
            );
        }
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let (blocks, errors) = parse("orphan\n@nope=1\nx\n@tax=abc\n@tax=2\n???\ntax\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].patterns.len(), 1);
        assert_eq!(errors.len(), 5, "{errors:#?}");
    }

    #[test]
    fn patterns_are_normalized() {
        let p = compile_part("Renew*").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, " renew");
        assert!(p.prefix);
        let p = compile_part("会社トークン").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, "会社とくん");
        let p = compile_part("IBM ID").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, " ibm id ");
        let p = compile_pattern("Aspera & サポート").unwrap_or_else(|| panic!("pattern"));
        let needles: Vec<&str> = p.parts.iter().map(|p| p.needle.as_str()).collect();
        assert_eq!(needles, [" aspera ", "さぽと"]);
        assert!(compile_pattern("a & ??").is_none());
    }

    #[test]
    fn anchored_patterns() {
        let p = compile_part("^使い方").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, "\u{2} 使い方");
        let p = compile_part("円$").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, "円 \u{3}");
        let p = compile_part("^how do i$").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, "\u{2} how do i \u{3}");
        let p = compile_part("^help*").unwrap_or_else(|| panic!("pattern"));
        assert_eq!(p.needle, "\u{2} help");
        assert!(p.prefix);
        assert!(compile_part("help*$").is_none());
        assert!(compile_part("^$").is_none());
    }
}
