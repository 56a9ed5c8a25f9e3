//! Secrets of the workflows: company tokens (16 ASCII letters and digits from the operating
//! system's CSPRNG, stored only as a SHA-256 hash, compared in constant time) and the 6-digit
//! one-time codes that link a chat account to an IBM ID.
//!
//! Part of the store because the store compares stored hashes (`same_hash`) inside its
//! transactions; `workflows::secret` re-exports this module for the workflows.

use rand::distributions::{Alphanumeric, Distribution, Uniform};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Length of a company token (会社トークン (16桁の英数字)).
pub const TOKEN_LEN: usize = 16;

/// A company token as typed or generated: exactly 16 ASCII letters and digits.
#[derive(Clone, PartialEq, Eq)]
pub struct CompanyToken(String);

impl std::fmt::Debug for CompanyToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CompanyToken(****)")
    }
}

impl CompanyToken {
    /// A fresh token from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let token: String = Alphanumeric
            .sample_iter(&mut OsRng)
            .take(TOKEN_LEN)
            .map(char::from)
            .collect();
        Self(token)
    }

    /// What a person typed, trimmed; `None` unless it is 16 ASCII letters and digits.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (text.len() == TOKEN_LEN && text.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored form: SHA-256, hex. A token has about 95 bits of entropy, so an unsalted
    /// hash cannot be reversed by search.
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

/// The hash of anything typed where a token was expected (a malformed entry hashes too, so
/// every entry takes the same path and is counted).
pub fn token_entry_hash(text: &str) -> String {
    sha256_hex(text.trim().as_bytes())
}

/// A 6-digit one-time code.
pub fn link_code() -> String {
    let digits = Uniform::from(0..10u8);
    (0..6)
        .map(|_| char::from(b'0' + digits.sample(&mut OsRng)))
        .collect()
}

/// The stored form of a link code: bound to the chat account it was issued to.
pub fn link_code_hash(platform_id: &str, code: &str) -> String {
    sha256_hex(format!("{platform_id}\n{}", code.trim()).as_bytes())
}

/// Whether two stored hashes are equal, in time independent of where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Characters of a random dedupe-key nonce.
pub fn nonce() -> String {
    Alphanumeric
        .sample_iter(&mut OsRng)
        .take(12)
        .map(char::from)
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_16_alphanumerics_and_differ() {
        let a = CompanyToken::generate();
        let b = CompanyToken::generate();
        assert_eq!(a.as_str().len(), 16);
        assert!(a.as_str().chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert_eq!(
            CompanyToken::parse(&format!(" {} ", a.as_str())),
            Some(a.clone())
        );
        assert_eq!(a.hash().len(), 64);
        assert_eq!(a.hash(), token_entry_hash(a.as_str()));
        assert!(!format!("{a:?}").contains(a.as_str()));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "short",
            "ABCDEFGHIJKLMNOPQ",
            "ABCDEFGH-JKLMNOP",
            "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ",
        ] {
            assert!(CompanyToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn codes_are_six_digits_and_bound_to_the_account() {
        let code = link_code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(
            link_code_hash("discord:1", &code),
            link_code_hash("discord:2", &code)
        );
        assert!(same_hash(
            &link_code_hash("discord:1", &code),
            &link_code_hash("discord:1", &format!(" {code}"))
        ));
        assert!(!same_hash("ab", "abc"));
    }
}
