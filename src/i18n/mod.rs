//! Every string a person reads: Fluent bundles for `ja` and `en`, embedded in the binary, and
//! the negotiation of which one a reply uses.

pub mod format;
pub mod rules_text;
pub mod text;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A language partnerdesk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ja,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ja, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
        }
    }

    /// Maps a platform locale (`ja`, `ja-JP`, `en-US`, `en-GB`, ...) to one we speak.
    pub fn negotiate(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Locale::Ja),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Locale::negotiate(s).ok_or_else(|| {
            Msg::new("cli-bad-choice")
                .arg("value", s)
                .arg("allowed", "ja, en")
                .render(operator_locale())
        })
    }
}

/// Loaded bundles for every locale.
pub struct I18n {
    ja: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl I18n {
    /// Parses every embedded file; an error names the file and the problem.
    pub fn load() -> Result<Self, String> {
        Ok(Self {
            ja: bundle(Locale::Ja)?,
            en: bundle(Locale::En)?,
        })
    }

    /// The process-wide bundles (the embedded files are checked by tests, so loading cannot
    /// fail in a released binary; if it ever does, messages fall back to their ids).
    pub fn global() -> &'static I18n {
        static GLOBAL: OnceLock<I18n> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            I18n::load().unwrap_or_else(|e| {
                tracing::error!(error = %e, "locale files are broken");
                I18n {
                    ja: FluentBundle::new_concurrent(vec![Locale::Ja
                        .code()
                        .parse()
                        .unwrap_or_default()]),
                    en: FluentBundle::new_concurrent(vec![Locale::En
                        .code()
                        .parse()
                        .unwrap_or_default()]),
                }
            })
        })
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::Ja => &self.ja,
            Locale::En => &self.en,
        }
    }

    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale).has_message(id)
    }

    /// Formats message `id` (or `id.attribute`) with `args`. A missing message yields the id
    /// itself, so a gap shows up in the reply rather than as an empty string.
    pub fn format(&self, locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = self.bundle(locale);
        let (message_id, attribute) = match id.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (id, None),
        };
        let Some(message) = bundle.get_message(message_id) else {
            tracing::warn!(%locale, id, "missing message");
            return id.to_string();
        };
        let pattern = match attribute {
            Some(name) => message.get_attribute(name).map(|a| a.value()),
            None => message.value(),
        };
        let Some(pattern) = pattern else {
            tracing::warn!(%locale, id, "message has no such value or attribute");
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, id, ?errors, "message formatted with errors");
        }
        text.into_owned()
    }

    /// Ids of every message in `locale`'s files, sorted.
    pub fn message_ids(locale: Locale) -> Vec<String> {
        let mut ids: Vec<String> = FTL_FILES
            .iter()
            .filter(|(lang, _, _)| *lang == locale.code())
            .filter_map(|(_, _, source)| FluentResource::try_new(source.to_string()).ok())
            .flat_map(|resource| {
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        ids.sort();
        ids
    }
}

fn bundle(locale: Locale) -> Result<FluentBundle<FluentResource>, String> {
    let lang: LanguageIdentifier = locale
        .code()
        .parse()
        .map_err(|e| format!("bad language id {locale}: {e:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Isolation marks would end up in plain-text chat, terminals and email.
    bundle.set_use_isolating(false);
    for (lang, name, source) in FTL_FILES.iter().filter(|(l, _, _)| *l == locale.code()) {
        let resource = FluentResource::try_new(source.to_string())
            .map_err(|(_, errors)| format!("locales/{lang}/{name}: {errors:?}"))?;
        bundle
            .add_resource(resource)
            .map_err(|errors| format!("locales/{lang}/{name}: duplicate ids {errors:?}"))?;
    }
    Ok(bundle)
}

/// A Fluent message id and its arguments, rendered in whichever language the reader uses.
#[derive(Debug, Clone)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a `Msg`: a value, or the id of a message rendered in the reader's language
/// (a status, a role, a level).
#[derive(Debug, Clone)]
pub enum Arg {
    Value(FluentValue<'static>),
    Label(String),
    /// A whole message rendered in the reader's language (what is allowed, why).
    Nested(Box<Msg>),
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args
            .push((name, Arg::Value(FluentValue::from(value.into()))));
        self
    }

    pub fn num(mut self, name: &'static str, value: i64) -> Self {
        self.args.push((name, Arg::Value(FluentValue::from(value))));
        self
    }

    /// An argument rendered from message `id` in the reader's language.
    pub fn label(mut self, name: &'static str, id: impl Into<String>) -> Self {
        self.args.push((name, Arg::Label(id.into())));
        self
    }

    /// An argument that is a message of its own, rendered in the same language.
    pub fn sub(mut self, name: &'static str, message: Msg) -> Self {
        self.args.push((name, Arg::Nested(Box::new(message))));
        self
    }

    pub fn render(&self, locale: Locale) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Value(v) => v.clone(),
                    Arg::Label(id) => FluentValue::from(tr(locale, id, &[])),
                    Arg::Nested(message) => FluentValue::from(message.render(locale)),
                };
                (*name, value)
            })
            .collect();
        tr(locale, self.id, &args)
    }
}

/// The language of an operator's terminal: LC_ALL, LC_MESSAGES or LANG when they name one we
/// speak, else `i18n.default_locale` (once the configuration is loaded, or from
/// PARTNERDESK_I18N__DEFAULT_LOCALE before), else Japanese, the built-in default.
pub fn operator_locale() -> Locale {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| Locale::negotiate(&v))
        .or_else(|| OPERATOR_DEFAULT.get().copied())
        .or_else(|| {
            std::env::var("PARTNERDESK_I18N__DEFAULT_LOCALE")
                .ok()
                .and_then(|v| Locale::negotiate(&v))
        })
        .unwrap_or_default()
}

static OPERATOR_DEFAULT: OnceLock<Locale> = OnceLock::new();

/// Records the configured default language (`i18n.default_locale`) for [`operator_locale`];
/// the first call wins, and a value that is not a language we speak is ignored.
pub fn set_operator_default(default_locale: &str) {
    if let Some(locale) = Locale::negotiate(default_locale) {
        let _ = OPERATOR_DEFAULT.set(locale);
    }
}

/// Shorthand: `tr(locale, "id", &[("name", value.into())])`.
pub fn tr(locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    I18n::global().format(locale, id, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_counts_agree_with_their_nouns() {
        let subject = |days: i64| {
            tr(
                Locale::En,
                "sales-reminder-subject",
                &[
                    ("days", FluentValue::from(days)),
                    ("deadline", FluentValue::from("June 30, 2015")),
                    ("company", FluentValue::from("Co")),
                    ("product", FluentValue::from("P")),
                ],
            )
        };
        assert!(
            subject(0).starts_with("[Action deadline today]"),
            "{}",
            subject(0)
        );
        assert!(
            subject(1).starts_with("[1 business day to June 30, 2015]"),
            "{}",
            subject(1)
        );
        assert!(
            subject(7).starts_with("[7 business days to June 30, 2015]"),
            "{}",
            subject(7)
        );
        let digest = |count: i64| {
            tr(
                Locale::En,
                "sales-digest-body",
                &[
                    ("rep", FluentValue::from("Pat")),
                    ("count", FluentValue::from(count)),
                    ("days", FluentValue::from(30)),
                    ("lines", FluentValue::from("-")),
                ],
            )
        };
        assert!(
            digest(1).contains("This contract reaches its action deadline"),
            "{}",
            digest(1)
        );
        assert!(
            digest(3).contains("These 3 contracts reach their"),
            "{}",
            digest(3)
        );
    }

    #[test]
    fn every_file_parses_and_both_languages_have_the_same_ids() {
        I18n::load().expect("locale files load");
        let ja = I18n::message_ids(Locale::Ja);
        let en = I18n::message_ids(Locale::En);
        assert!(!ja.is_empty());
        assert_eq!(ja, en, "message ids differ between ja and en");
        let ja_files: Vec<_> = FTL_FILES
            .iter()
            .filter(|f| f.0 == "ja")
            .map(|f| f.1)
            .collect();
        let en_files: Vec<_> = FTL_FILES
            .iter()
            .filter(|f| f.0 == "en")
            .map(|f| f.1)
            .collect();
        assert_eq!(ja_files, en_files, "every file has a twin");
    }

    #[test]
    fn negotiation_maps_platform_locales() {
        assert_eq!(Locale::negotiate("ja"), Some(Locale::Ja));
        assert_eq!(Locale::negotiate("en-GB"), Some(Locale::En));
        assert_eq!(Locale::negotiate("en_US"), Some(Locale::En));
        assert_eq!(Locale::negotiate("fr"), None);
        assert!("de".parse::<Locale>().is_err());
    }

    #[test]
    fn missing_message_shows_its_id() {
        assert_eq!(tr(Locale::En, "no-such-message", &[]), "no-such-message");
    }
}
