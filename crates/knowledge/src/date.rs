//! Calendar dates written in questions ("my renewal date is 2015/8/15").
//!
//! This module owns reading a date out of free text so the caller can compute a date-dependent
//! answer (which renewal window applies, whom an invoice is paid to, when it is due). It only
//! reads; the business rules live with the caller.
//!
//! Accepted shapes (full-width digits too, since the text is NFKC-folded first):
//! `2015-08-15`, `2015/8/15`, `2015.8.15`, `2015年8月15日`, `2015年 8月 15日`, `8/15/2015`
//! (US order; `15/8/2015` is read day-first because 15 cannot be a month), `August 15, 2015`,
//! `Aug 15 2015`, `Aug. 15th, 2015`, `15 August 2015`. A date that does not exist
//! (`2015-02-30`) is skipped, never an error or a panic.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Years outside this range are not dates people mean here (and keep `0120-07-2004`, a phone
/// number, from being read as the year 120).
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2199;

/// Longest text scanned: dates sit in short questions; this bounds the work on huge input.
const MAX_SCAN_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A run of ASCII digits: value (saturated) and number of digits.
    Num(i64, usize),
    /// A month name or abbreviation, 1-based.
    Month(u32),
    /// `-`, `/` or `.`.
    Sep(char),
    /// `年`, `月` or `日`.
    Kanji(char),
    /// `,`.
    Comma,
    /// Anything else (words, other symbols): breaks every pattern.
    Other,
}

/// The first valid calendar date written in `text`, if any. See the module docs for the
/// accepted shapes.
pub fn extract_date(text: &str) -> Option<NaiveDate> {
    let mut end = text.len().min(MAX_SCAN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let folded: String = text[..end].nfkc().collect::<String>().to_lowercase();
    let toks = tokenize(&folded);
    (0..toks.len()).find_map(|i| date_at(&toks[i..]))
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut value: i64 = 0;
            let mut len = 0usize;
            while let Some(&d) = chars.peek() {
                let Some(v) = d.to_digit(10).filter(|_| d.is_ascii_digit()) else {
                    break;
                };
                value = value.saturating_mul(10).saturating_add(i64::from(v));
                len += 1;
                chars.next();
            }
            toks.push(Tok::Num(value, len));
            // Ordinal suffix right after a number (15th, 1st, 2nd, 3rd) belongs to it.
            let mut probe = chars.clone();
            let suffix: String = probe.by_ref().take(2).collect();
            if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
                && !probe.peek().is_some_and(|c| c.is_alphabetic())
            {
                chars.next();
                chars.next();
            }
        } else if c.is_alphabetic() && !matches!(c, '年' | '月' | '日') {
            let mut word = String::new();
            while let Some(&w) = chars.peek() {
                if w.is_alphabetic() && !matches!(w, '年' | '月' | '日') {
                    word.push(w);
                    chars.next();
                } else {
                    break;
                }
            }
            toks.push(month_of(&word).map_or(Tok::Other, Tok::Month));
        } else {
            chars.next();
            match c {
                '-' | '/' | '.' => toks.push(Tok::Sep(c)),
                '年' | '月' | '日' => toks.push(Tok::Kanji(c)),
                ',' => toks.push(Tok::Comma),
                c if c.is_whitespace() => {}
                _ => toks.push(Tok::Other),
            }
        }
    }
    toks
}

fn month_of(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word == "sept" {
        return Some(9);
    }
    NAMES.iter().zip(1u32..).find_map(|(name, n)| {
        let abbreviation = word.len() == 3 && name.starts_with(word);
        (word == *name || abbreviation).then_some(n)
    })
}

fn ymd(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    if !YEARS.contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

/// A date starting exactly at `t[0]`, if one of the accepted shapes matches there.
fn date_at(t: &[Tok]) -> Option<NaiveDate> {
    use Tok::*;
    match t {
        // 2015-08-15, 2015/8/15, 2015.8.15
        [Num(y, 4), Sep(a), Num(m, 1..=2), Sep(b), Num(d, 1..=2), ..] if a == b => ymd(*y, *m, *d),
        // 2015年8月15日 (日 optional)
        [Num(y, 4), Kanji('年'), Num(m, 1..=2), Kanji('月'), Num(d, 1..=2), ..] => {
            ymd(*y, *m, *d)
        }
        // 8/15/2015 (US), or 15/8/2015 when the first number cannot be a month
        [Num(a, 1..=2), Sep(s1), Num(b, 1..=2), Sep(s2), Num(y, 4), ..] if s1 == s2 => {
            if *a > 12 {
                ymd(*y, *b, *a)
            } else {
                ymd(*y, *a, *b)
            }
        }
        // August 15, 2015 / Aug. 15 2015
        [Month(m), rest @ ..] => {
            let rest = rest.strip_prefix(&[Sep('.')]).unwrap_or(rest);
            match rest {
                [Num(d, 1..=2), Comma, Num(y, 4), ..] | [Num(d, 1..=2), Num(y, 4), ..] => {
                    ymd(*y, i64::from(*m), *d)
                }
                _ => None,
            }
        }
        // 15 August 2015 / 15 Aug. 2015
        [Num(d, 1..=2), Month(m), rest @ ..] => {
            let rest = rest.strip_prefix(&[Sep('.')]).unwrap_or(rest);
            match rest {
                [Num(y, 4), ..] | [Comma, Num(y, 4), ..] => ymd(*y, i64::from(*m), *d),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn accepted_shapes() {
        let aug15 = d(2015, 8, 15);
        for text in [
            "2015-08-15",
            "renewal on 2015/8/15?",
            "2015.8.15",
            "更新日は2015年8月15日です",
            "2015年 8月 15日",
            "2015 年 8 月 15 日",
            "2015年8月15",
            "８/１５/２０１５",
            "２０１５年８月１５日",
            "8/15/2015",
            "15/8/2015",
            "August 15, 2015",
            "Aug 15 2015",
            "aug. 15th, 2015",
            "15 August 2015",
            "15th Aug 2015",
            "on 15 aug, 2015 we renew",
        ] {
            assert_eq!(extract_date(text), aug15, "{text}");
        }
        assert_eq!(extract_date("Sept 30, 2015"), d(2015, 9, 30));
        assert_eq!(extract_date("May 1 2016"), d(2016, 5, 1));
    }

    #[test]
    fn rejects() {
        for text in [
            "2015-02-30",
            "2015年2月30日",
            "2/30/2015",
            "13/13/2015",
            "0120-07-2004",
            "平日 9:00~12:00 および 13:00~17:00、12/30~1/3",
            "2015-08",
            "August 2015",
            "99999999999999999999999-1-1",
            "",
            "🙂",
            "2015-8/15",
        ] {
            assert_eq!(extract_date(text), None, "{text}");
        }
    }

    #[test]
    fn first_valid_date_wins() {
        assert_eq!(extract_date("not 2015-02-30 but 2015-03-01"), d(2015, 3, 1));
    }

    #[test]
    fn huge_input_is_bounded() {
        let mut text = "あ".repeat(20_000);
        text.push_str("2015-08-15");
        assert_eq!(extract_date(&text), None);
        assert_eq!(extract_date(&format!("2015-08-15{text}")), d(2015, 8, 15));
    }
}
