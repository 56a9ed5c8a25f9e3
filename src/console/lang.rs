//! The console's language: the best of ja and en by the browser's `Accept-Language` (quality
//! values honoured), else the configured default; and the shorthands pages word text with.

use fluent_bundle::FluentValue;

use crate::i18n::{tr, Locale};

/// Picks ja or en from an `Accept-Language` value: the highest quality among languages we
/// speak; at equal quality the first listed.
pub fn from_accept_language(header: Option<&str>, default: Locale) -> Locale {
    let Some(header) = header else {
        return default;
    };
    let mut best: Option<(f32, Locale)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let Some(locale) = Locale::negotiate(tag) else {
            continue;
        };
        if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, locale));
        }
    }
    best.map(|(_, l)| l).unwrap_or(default)
}

/// A message in `locale`, without arguments.
pub fn t(locale: Locale, id: &str) -> String {
    tr(locale, id, &[])
}

/// A message in `locale` with arguments.
pub fn ta(locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    tr(locale, id, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_values_decide() {
        let pick = |h| from_accept_language(Some(h), Locale::Ja);
        assert_eq!(pick("en-US,en;q=0.9"), Locale::En);
        assert_eq!(pick("ja-JP,ja;q=0.9,en;q=0.8"), Locale::Ja);
        assert_eq!(pick("fr-FR,en;q=0.5,ja;q=0.7"), Locale::Ja);
        assert_eq!(pick("ja;q=0.2,en;q=0.8"), Locale::En);
        assert_eq!(pick("fr"), Locale::Ja);
        assert_eq!(pick("en;q=0"), Locale::Ja);
        assert_eq!(from_accept_language(None, Locale::En), Locale::En);
    }
}
