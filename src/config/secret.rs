//! A configured secret (the Discord token, the SMTP password).
//!
//! This file owns [`Secret`]: a `secrecy::SecretString` that the configuration can hold,
//! compare and deserialize, but whose `Debug` prints `[REDACTED]` and whose `Serialize` writes
//! `<redacted>`, so neither a log line nor `config show` can ever print it. The value is read
//! only through [`Secret::expose`], at the one place that hands it to a client library.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a secret is written as wherever the configuration is shown.
pub const REDACTED: &str = "<redacted>";

#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// The secret itself: only for the client that needs it (serenity, lettre).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(SecretString::from(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(SecretString::from(value))
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_debug_nor_serialize_shows_the_secret() {
        let secret = Secret::from("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
        let shown = serde_json::to_string(&secret).expect("serialize");
        assert_eq!(shown, format!("{REDACTED:?}"));
        assert_eq!(secret.expose(), "hunter2");
    }
}
