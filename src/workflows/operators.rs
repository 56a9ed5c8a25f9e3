//! Operator accounts of the web console: the password rule, argon2id hashing and checking,
//! one-time setup links, random session ids and CSRF tokens, and the login rate-limit rule.
//! `partnerdesk operator add` and the console's login and setup pages both come here; the
//! rows live in `store::operators`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::distributions::{Alphanumeric, Distribution};
use rand::rngs::OsRng;
use rand::RngCore;

use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::text::Msg;
use crate::store::secret::token_entry_hash;
use crate::store::{Operator, OperatorCredential};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest: hashing is deliberately slow, so a megabyte "password" is refused before it.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks the password rule: 12 to 256 characters, no control characters.
pub fn check_password(password: &str) -> Result<(), Msg> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Msg::new("console-password-short").num("min", MIN_PASSWORD_CHARS as i64));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Msg::new("console-password-long").num("max", MAX_PASSWORD_CHARS as i64));
    }
    if password.chars().any(char::is_control) {
        return Err(Msg::new("console-password-control"));
    }
    Ok(())
}

/// The argon2id PHC string of `password` (the crate's default cost, a fresh 16-byte salt).
pub fn hash_password(password: &str) -> Result<String, WorkflowError> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| WorkflowError::Store(crate::store::StoreError::Invalid(e.to_string())))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| WorkflowError::Store(crate::store::StoreError::Invalid(e.to_string())))
}

/// Whether `password` matches the stored PHC string. With no stored hash a throwaway hash is
/// checked anyway, so an unknown IBM ID takes as long to refuse as a wrong password.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("partnerdesk-dummy-password").unwrap_or_default());
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (dummy.as_str(), false),
    };
    let matches = PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    matches && real
}

/// A random token of 32 letters and digits (about 190 bits): setup links, session ids, CSRF.
pub fn random_token() -> String {
    Alphanumeric
        .sample_iter(&mut OsRng)
        .take(32)
        .map(char::from)
        .collect()
}

/// The stored form of a setup-link token or a session id: SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    token_entry_hash(token)
}

/// What `operator add` did.
#[derive(Debug, Clone)]
pub struct AddedOperator {
    pub operator: Operator,
    pub created: bool,
    /// The one-time setup token when no password was given (goes into the printed link).
    pub setup_token: Option<String>,
}

/// Adds an operator (or resets an existing one): with `password` it is set at once, else a
/// setup link valid for `link_valid` is made.
pub async fn add_operator(
    ctx: &Ctx<'_>,
    ibm_id: &str,
    password: Option<&str>,
    link_valid: Duration,
) -> WfResult<AddedOperator> {
    let ibm_id = validate::ibm_id(ibm_id)?;
    let (credential, setup_token) = match password {
        Some(password) => {
            check_password(password)?;
            (
                OperatorCredential::PasswordHash(hash_password(password)?),
                None,
            )
        }
        None => {
            let token = random_token();
            (
                OperatorCredential::SetupLink {
                    token_hash: token_hash(&token),
                    expires_at: ctx.now + link_valid,
                },
                Some(token),
            )
        }
    };
    let (operator, created) = ctx
        .store
        .add_operator(&ibm_id, &credential, &ctx.actor, ctx.now)
        .await?;
    Ok(AddedOperator {
        operator,
        created,
        setup_token,
    })
}

/// The login rate limit: at most `max_failures` failed logins per IBM ID, and five times as
/// many per client address, within `window`.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    pub max_failures: u32,
    pub window: Duration,
}

impl LoginLimit {
    /// Since when failures count, seen at `now`.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether these failure counts (per IBM ID, per address) refuse a new attempt.
    pub fn exceeded(&self, by_id: i64, by_remote: i64) -> bool {
        by_id >= i64::from(self.max_failures)
            || by_remote >= i64::from(self.max_failures).saturating_mul(5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
        assert!(!verify_password("x", Some("not a phc string")));
    }

    #[test]
    fn the_password_rule_names_what_is_wrong() {
        assert_eq!(
            check_password("short").map_err(|m| m.id),
            Err("console-password-short")
        );
        assert_eq!(
            check_password(&"x".repeat(300)).map_err(|m| m.id),
            Err("console-password-long")
        );
        assert_eq!(
            check_password("twelve chars\u{7}").map_err(|m| m.id),
            Err("console-password-control")
        );
        assert!(check_password("twelve chars").is_ok());
    }

    #[test]
    fn the_limit_counts_per_id_and_per_address() {
        let limit = LoginLimit {
            max_failures: 5,
            window: Duration::minutes(15),
        };
        assert!(!limit.exceeded(4, 24));
        assert!(limit.exceeded(5, 0));
        assert!(limit.exceeded(0, 25));
    }
}
