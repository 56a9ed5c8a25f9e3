//! Reading one input line with a bound on memory, for `partnerdesk chat` and `ask` on stdin.
//!
//! This file owns [`MAX_LINE_BYTES`] and the readers that apply it: a line is read in the
//! reader's own buffer-sized chunks, at most [`MAX_LINE_BYTES`] are kept, and the rest of an
//! over-long line is read and dropped up to its newline. So a 200 MB line costs a few KB and
//! is still answered (with "too long"), and the lines after it are read as usual.

use partnerdesk_knowledge::matcher::MAX_QUESTION_CHARS;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The most bytes of one line that are kept: room for [`MAX_QUESTION_CHARS`] characters of
/// four bytes each, and some spaces around them.
pub const MAX_LINE_BYTES: usize = 4 * MAX_QUESTION_CHARS + 1_024;

/// One line of input, without its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedLine {
    /// The line's text (invalid UTF-8 replaced), cut at [`MAX_LINE_BYTES`] when too long.
    pub text: String,
    /// The line had more than [`MAX_QUESTION_CHARS`] characters (after trimming) or more than
    /// [`MAX_LINE_BYTES`] bytes: answer it with "too long", not with its content.
    pub too_long: bool,
}

impl BoundedLine {
    fn from_kept(kept: &[u8], overflowed: bool) -> Self {
        let text = String::from_utf8_lossy(kept).into_owned();
        let too_long = overflowed || text.trim().chars().count() > MAX_QUESTION_CHARS;
        Self { text, too_long }
    }
}

/// Adds `chunk` to `kept` up to the cap; returns whether anything had to be dropped.
fn keep(kept: &mut Vec<u8>, chunk: &[u8]) -> bool {
    let room = MAX_LINE_BYTES.saturating_sub(kept.len());
    kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
    chunk.len() > room
}

/// The next line of `input`, or `None` at the end of input.
pub async fn next_line(
    input: &mut (impl AsyncBufRead + Unpin),
) -> std::io::Result<Option<BoundedLine>> {
    let mut kept = Vec::new();
    let mut overflowed = false;
    let mut read_any = false;
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(read_any.then(|| BoundedLine::from_kept(&kept, overflowed)));
        }
        read_any = true;
        match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                overflowed |= keep(&mut kept, &buffer[..end]);
                input.consume(end + 1);
                return Ok(Some(BoundedLine::from_kept(&kept, overflowed)));
            }
            None => {
                let length = buffer.len();
                overflowed |= keep(&mut kept, buffer);
                input.consume(length);
            }
        }
    }
}

/// [`next_line`] for a blocking reader (`ask` reads stdin without a runtime).
pub fn next_line_blocking(
    input: &mut impl std::io::BufRead,
) -> std::io::Result<Option<BoundedLine>> {
    let mut kept = Vec::new();
    let mut overflowed = false;
    let mut read_any = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(read_any.then(|| BoundedLine::from_kept(&kept, overflowed)));
        }
        read_any = true;
        match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                overflowed |= keep(&mut kept, &buffer[..end]);
                input.consume(end + 1);
                return Ok(Some(BoundedLine::from_kept(&kept, overflowed)));
            }
            None => {
                let length = buffer.len();
                overflowed |= keep(&mut kept, buffer);
                input.consume(length);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_blocking(input: &[u8]) -> Vec<BoundedLine> {
        let mut reader = std::io::BufReader::with_capacity(64, input);
        std::iter::from_fn(|| next_line_blocking(&mut reader).expect("read")).collect()
    }

    #[test]
    fn lines_are_cut_at_the_cap_and_the_rest_is_dropped() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 3));
        input.extend(b"\nafter\nlast without newline");
        let lines = all_blocking(&input);
        let texts: Vec<(usize, bool)> = lines.iter().map(|l| (l.text.len(), l.too_long)).collect();
        assert_eq!(
            texts,
            vec![(5, false), (MAX_LINE_BYTES, true), (5, false), (20, false)]
        );
        assert_eq!(lines[2].text, "after");
    }

    #[test]
    fn too_many_characters_is_too_long_even_within_the_byte_cap() {
        let line = "あ".repeat(MAX_QUESTION_CHARS + 1);
        let lines = all_blocking(format!("{line}\n").as_bytes());
        assert!(lines[0].too_long);
        let line = "あ".repeat(MAX_QUESTION_CHARS);
        let lines = all_blocking(format!("  {line}  \n").as_bytes());
        assert!(!lines[0].too_long);
    }

    #[tokio::test]
    async fn the_async_reader_agrees() {
        let mut input = std::iter::repeat_n(b'y', MAX_LINE_BYTES + 10).collect::<Vec<u8>>();
        input.extend(b"\n\xff ok\n");
        let mut reader = tokio::io::BufReader::with_capacity(100, &input[..]);
        let first = next_line(&mut reader).await.expect("read").expect("line");
        assert!(first.too_long && first.text.len() == MAX_LINE_BYTES);
        let second = next_line(&mut reader).await.expect("read").expect("line");
        assert_eq!(
            (second.text.as_str(), second.too_long),
            ("\u{fffd} ok", false)
        );
        assert!(next_line(&mut reader).await.expect("read").is_none());
    }
}
