//! Localized messages of the workflows: a message id with its arguments (`Msg`), rendered late in
//! the reader's language; header-safe text; dates in a person's zone; plain text to HTML.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::format;
use crate::i18n::Locale;

pub use crate::i18n::{Arg, Msg};

/// The person's language as stored (`ja` when it is not one we speak).
pub fn locale_of(stored: &str) -> Locale {
    Locale::negotiate(stored).unwrap_or_default()
}

/// The person's time zone as stored, else Tokyo.
pub fn zone_of(stored: &str) -> Tz {
    stored.parse().unwrap_or(Tz::Asia__Tokyo)
}

/// `11月24日(火) 9:00` / `Tue, November 24, 9:00` in `zone`, with the year when it is not the
/// current one.
pub fn when(locale: Locale, at: DateTime<Utc>, zone: Tz) -> String {
    // People read these in their own zone, which need not be Tokyo: name it ("JST", "CET").
    let abbreviation = at.with_timezone(&zone).format("%Z").to_string();
    format!("{} {abbreviation}", format::moment(locale, at, zone))
}

/// Text for a mail header (a subject): every control character, CR and LF included, becomes a
/// space, runs of spaces become one, so data can never start a new header.
pub fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim_end().to_string()
}

/// A single line for chat and bodies: control characters folded like a header.
pub fn one_line(text: &str) -> String {
    header_safe(text)
}

/// A plain-text body as a small HTML document: escaped, paragraphs by blank lines, line breaks
/// kept.
pub fn html_of(title: &str, text: &str) -> String {
    let mut html = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(title));
    html.push_str("</title></head>\n<body>\n");
    for paragraph in text.split("\n\n") {
        let lines: Vec<String> = paragraph.lines().map(escape).collect();
        if lines.is_empty() {
            continue;
        }
        html.push_str("<p>");
        html.push_str(&lines.join("<br>\n"));
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>\n");
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_name_their_zone() {
        use chrono::TimeZone;
        let at = Utc
            .with_ymd_and_hms(2026, 11, 27, 16, 24, 0)
            .single()
            .expect("instant");
        assert_eq!(
            when(Locale::En, at, Tz::Asia__Tokyo),
            "Sat, November 28, 1:24 JST"
        );
        assert_eq!(
            when(Locale::Ja, at, Tz::Asia__Tokyo),
            "11月28日(土) 1:24 JST"
        );
        assert_eq!(
            when(Locale::En, at, Tz::Europe__Berlin),
            "Fri, November 27, 17:24 CET"
        );
    }

    #[test]
    fn headers_never_carry_line_breaks() {
        assert_eq!(
            header_safe("株式会社テスト\r\nBcc: victim@example.com"),
            "株式会社テスト Bcc: victim@example.com"
        );
        assert_eq!(header_safe("\n a\t\tb \r"), "a b");
        assert_eq!(header_safe("A\u{0}B\u{85}C"), "A B C");
        assert!(!header_safe("x\ry\nz").contains(['\r', '\n']));
    }

    #[test]
    fn html_is_escaped() {
        let html = html_of("<t>", "a & b\nc\n\n<script>");
        assert!(html.contains("<title>&lt;t&gt;</title>"));
        assert!(html.contains("<p>a &amp; b<br>\nc</p>"));
        assert!(html.contains("<p>&lt;script&gt;</p>"));
    }
}
