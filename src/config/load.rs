//! Where the configuration comes from: defaults, the TOML file, the environment.
//!
//! This file owns the layering, lowest first: built-in defaults < the TOML file named by
//! `--config` < environment variables `PARTNERDESK_<SECTION>__<KEY>` ([`ENV_PREFIX`]). It
//! parses the file, merges it over the defaults, applies the environment with each value read
//! in the type of the default it replaces, and deserializes the result ([`Config::load`]),
//! naming the key, its value and the variable that set it when serde refuses it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::i18n::Msg;

use super::problems::{describe_serde_error, internal, io_reason, one_line, ConfigError};
use super::redact::render_value;
use super::settings::Config;

/// Prefix of every environment variable that sets a configuration key.
pub const ENV_PREFIX: &str = "PARTNERDESK_";

impl Config {
    /// Loads defaults, then `file`, then the given environment (normally `std::env::vars()`).
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut merged = toml::Value::try_from(Config::default())
            .map_err(|e| internal(format!("defaults do not serialize: {e}")))?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError::new(
                    Msg::new("config-file-unreadable")
                        .arg("path", path.display().to_string())
                        .arg("reason", io_reason(&e)),
                )
            })?;
            let table = parse_toml_file(&text, path)?;
            if table.get("discord").and_then(|d| d.get("token")).is_some() {
                return Err(ConfigError::new(
                    Msg::new("config-token-in-file").arg("path", path.display().to_string()),
                ));
            }
            if table
                .get("mail")
                .and_then(|m| m.get("smtp_password"))
                .is_some()
            {
                return Err(ConfigError::new(
                    Msg::new("config-password-in-file").arg("path", path.display().to_string()),
                ));
            }
            merge(&mut merged, toml::Value::Table(table));
        }
        let from_env = apply_env(&mut merged, env)?;
        let config: Config = serde_path_to_error::deserialize(merged.clone()).map_err(|e| {
            let segments: Vec<String> = e
                .path()
                .iter()
                .map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => index.to_string(),
                    serde_path_to_error::Segment::Map { key } => key.clone(),
                    serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                    serde_path_to_error::Segment::Unknown => "?".to_string(),
                })
                .collect();
            let key = segments.join(".");
            let value = lookup(&merged, &segments).map(|v| render_value(&key, v));
            let set_by = from_env.get(&key).map(String::as_str);
            ConfigError::new(describe_serde_error(
                &key,
                value.as_deref(),
                e.inner().message(),
                set_by,
            ))
        })?;
        config.validate()?;
        config.check_files()?;
        Ok(config)
    }
}

/// Parses the configuration file; an error is one line: `FILE:LINE:COLUMN: ... reason`.
fn parse_toml_file(text: &str, path: &Path) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let (line, column) = line_and_column(text, span.start);
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        ConfigError::new(
            Msg::new("config-toml")
                .arg("place", format!("{}{place}", path.display()))
                .arg("reason", one_line(e.message())),
        )
    })
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The value at `segments` in the merged configuration.
fn lookup<'a>(root: &'a toml::Value, segments: &[String]) -> Option<&'a toml::Value> {
    segments
        .iter()
        .try_fold(root, |value, segment| match value {
            toml::Value::Table(t) => t.get(segment),
            toml::Value::Array(a) => segment.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

fn merge(base: &mut toml::Value, overlay: toml::Value) {
    match (base, overlay) {
        (toml::Value::Table(base), toml::Value::Table(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

/// Applies `PARTNERDESK_SECTION__KEY=value` variables. A value is read with the type of the
/// default it replaces, so `PARTNERDESK_HTTP__ENABLED=false` is a bool and a port stays a string
/// where the default is one.
/// Returns which variable set each key (`http.listen` → `PARTNERDESK_HTTP__LISTEN`).
fn apply_env(
    merged: &mut toml::Value,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut set_by = BTreeMap::new();
    let vars: BTreeMap<String, String> = env
        .into_iter()
        .filter(|(k, _)| k.starts_with(ENV_PREFIX) && k.contains("__"))
        .collect();
    for (name, raw) in vars {
        let path: Vec<String> = name[ENV_PREFIX.len()..]
            .split("__")
            .map(str::to_ascii_lowercase)
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(ConfigError::new(
                Msg::new("config-env-not-key").arg("variable", name),
            ));
        }
        let mut resolved: Vec<String> = Vec::with_capacity(path.len());
        let Some(mut cursor) = merged.as_table_mut() else {
            return Err(internal("configuration root is not a table".into()));
        };
        for section in &path[..path.len() - 1] {
            // Job and contact ids have hyphens, which environment names cannot carry:
            // PARTNERDESK_JOBS__RENEWAL_SWEEP__SCHEDULE names `jobs.renewal-sweep`.
            let hyphenated = section.replace('_', "-");
            let section = if !cursor.contains_key(section) && cursor.contains_key(&hyphenated) {
                hyphenated
            } else {
                section.clone()
            };
            resolved.push(section.clone());
            let entry = cursor
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            cursor = match entry {
                toml::Value::Table(t) => t,
                _ => {
                    return Err(ConfigError::new(
                        Msg::new("config-env-not-section")
                            .arg("variable", name)
                            .arg("section", section.clone()),
                    ))
                }
            };
        }
        let leaf = &path[path.len() - 1];
        resolved.push(leaf.clone());
        let key = resolved.join(".");
        let value = typed_env_value(cursor.get(leaf), &raw).ok_or_else(|| {
            let expected = match cursor.get(leaf).map(|v| v.type_str()) {
                Some("integer") => "config-expected-integer",
                Some("boolean") => "config-expected-boolean",
                Some("float") => "config-expected-number",
                Some("array") => "config-expected-env-list",
                Some("table") => "config-expected-table",
                _ => "config-expected-any",
            };
            ConfigError::new(
                Msg::new("config-invalid-kind")
                    .arg("key", key.clone())
                    .arg("value", format!("{raw:?}"))
                    .sub(
                        "origin",
                        Msg::new("config-origin-env").arg("variable", name.clone()),
                    )
                    .sub("kind", Msg::new("config-kind-value"))
                    .sub(
                        "allowed",
                        Msg::new("config-allowed-serde").sub("allowed", Msg::new(expected)),
                    ),
            )
        })?;
        cursor.insert(leaf.clone(), value);
        set_by.insert(key, name);
    }
    Ok(set_by)
}

fn typed_env_value(default: Option<&toml::Value>, raw: &str) -> Option<toml::Value> {
    let literal = || {
        format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
    };
    match default {
        Some(toml::Value::String(_)) | None => Some(toml::Value::String(raw.to_string())),
        Some(toml::Value::Integer(_)) => raw.trim().parse().ok().map(toml::Value::Integer),
        Some(toml::Value::Float(_)) => raw.trim().parse().ok().map(toml::Value::Float),
        Some(toml::Value::Boolean(_)) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" => Some(toml::Value::Boolean(false)),
            _ => None,
        },
        Some(toml::Value::Array(_)) => literal().filter(toml::Value::is_array).or_else(|| {
            // `1,2,3` or `a,b`: a comma-separated list of TOML literals or plain strings.
            let items = raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|item| {
                    format!("v = {item}")
                        .parse::<toml::Table>()
                        .ok()
                        .and_then(|mut t| t.remove("v"))
                        .unwrap_or_else(|| toml::Value::String(item.to_string()))
                })
                .collect();
            Some(toml::Value::Array(items))
        }),
        Some(_) => literal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::settings::MailTransportKind;
    use crate::config::test_support::{assert_one_line, en, env, write};

    #[test]
    fn defaults_need_no_file() {
        let c = Config::load(None, env(&[])).expect("defaults load");
        assert_eq!(c.database.url, "sqlite://var/partnerdesk.db");
        assert_eq!(c.http.listen, "127.0.0.1:8080");
        assert_eq!(c.mail.transport, MailTransportKind::File);
        assert_eq!(c.mail.dir, "var/mail");
    }

    #[test]
    fn env_beats_file_beats_defaults() {
        let f = write("[http]\nlisten = \"127.0.0.1:9000\"\n[database]\nmax_connections = 9\n");
        let c = Config::load(
            Some(f.path()),
            env(&[
                ("PARTNERDESK_HTTP__LISTEN", "127.0.0.1:9100"),
                ("PARTNERDESK_HTTP__ENABLED", "false"),
                ("PARTNERDESK_DISCORD__GUILD_IDS", "1,2"),
                ("PARTNERDESK_UNRELATED", "ignored: no double underscore"),
            ]),
        )
        .expect("load");
        assert_eq!(c.http.listen, "127.0.0.1:9100");
        assert!(!c.http.enabled);
        assert_eq!(c.database.max_connections, 9);
        assert_eq!(c.discord.guild_ids, vec![1, 2]);
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let f = write("[http]\nlisten = \n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("bad toml");
        assert!(en(&err).contains(":2:"), "{}", en(&err));
        let f = write("[database\nurl=\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("bad header");
        let place = format!("{}:1:10: not valid TOML: ", f.path().display());
        assert!(en(&err).contains(&place), "{}", en(&err));
        assert!(!en(&err).contains('\n'), "one line: {:?}", en(&err));
    }

    #[test]
    fn hyphenated_jobs_and_contacts_are_reachable_from_the_environment() {
        let f = write("[contacts.aspera-support.calendar]\nzone = \"UTC\"\n");
        let c = Config::load(
            Some(f.path()),
            env(&[
                ("PARTNERDESK_JOBS__RENEWAL_SWEEP__SCHEDULE", "0 8 * * 1-5"),
                (
                    "PARTNERDESK_CONTACTS__ASPERA_SUPPORT__CALENDAR__ZONE",
                    "Asia/Tokyo",
                ),
            ]),
        )
        .expect("load");
        assert_eq!(c.jobs["renewal-sweep"].schedule, "0 8 * * 1-5");
        assert_eq!(c.contacts["aspera-support"].calendar.zone, "Asia/Tokyo");
        // An error names the key as the file spells it, and the variable that set it.
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_JOBS__RENEWAL_SWEEP__ENABLED", "perhaps")]),
        )
        .expect_err("bool");
        assert_one_line(
            &err,
            &[
                "`jobs.renewal-sweep.enabled`",
                "PARTNERDESK_JOBS__RENEWAL_SWEEP__ENABLED",
            ],
        );
    }
}
