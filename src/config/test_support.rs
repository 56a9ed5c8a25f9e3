//! Helpers shared by the configuration's unit tests: an environment from pairs, a
//! configuration file on disk, and an error as an English-speaking operator reads it.

use crate::i18n::Locale;

use super::problems::ConfigError;

pub(super) fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The error as an English-speaking operator reads it.
pub(super) fn en(err: &ConfigError) -> String {
    err.render(Locale::En)
}

pub(super) fn write(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), text).expect("write");
    file
}

pub(super) fn assert_one_line(err: &ConfigError, needles: &[&str]) {
    let text = en(err);
    assert!(!text.contains('\n'), "one line: {text:?}");
    for needle in needles {
        assert!(text.contains(needle), "`{needle}` in {text:?}");
    }
}
