//! Permission levels an APA gives a member (社員の追加登録の際、各ユーザーにどのレベルの権限を
//! 付与するかは、各社のプロフィール管理者が決定し、設定します): a small fixed set.

use crate::i18n::{tr, Locale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PermissionLevel {
    /// Sees the company profile and their own employee profile.
    Basic,
    /// Also uses the member benefits and tools on behalf of the company.
    Standard,
    /// Also maintains the company and location profiles.
    Administrator,
}

impl PermissionLevel {
    pub const ALL: [PermissionLevel; 3] = [Self::Basic, Self::Standard, Self::Administrator];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Standard => "standard",
            Self::Administrator => "administrator",
        }
    }

    /// The stored word, or the label in either language, in any case.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL.into_iter().find(|level| {
            level.as_str().eq_ignore_ascii_case(text)
                || Locale::ALL
                    .into_iter()
                    .any(|l| level.label(l).eq_ignore_ascii_case(text))
        })
    }

    pub fn label(self, locale: Locale) -> String {
        tr(locale, &format!("wf-level-{}", self.as_str()), &[])
    }

    /// The label of a stored level word (the word itself when it is not one of ours).
    pub fn label_of(stored: &str, locale: Locale) -> String {
        Self::parse(stored)
            .map(|l| l.label(locale))
            .unwrap_or_else(|| stored.to_string())
    }

    /// `basic, standard, administrator`.
    pub fn words() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_labels_parse() {
        for level in PermissionLevel::ALL {
            assert_eq!(PermissionLevel::parse(level.as_str()), Some(level));
            assert_eq!(
                PermissionLevel::parse(&level.as_str().to_uppercase()),
                Some(level)
            );
            for locale in Locale::ALL {
                let label = level.label(locale);
                assert!(!label.starts_with("wf-level"), "{label}");
                assert_eq!(PermissionLevel::parse(&label), Some(level));
            }
        }
        assert_eq!(PermissionLevel::parse("root"), None);
    }
}
