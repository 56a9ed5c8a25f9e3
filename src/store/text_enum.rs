//! How enumerations are stored: as their kebab-case names, so that both databases and
//! operators reading them see the same words. `text_enum!` declares such an enumeration with
//! its `ALL`, `as_str`, `Display` and `FromStr`; the aggregates use it for their enumerations.
//!
//! Its own file (not `sql.rs`) because the row files use it and `sql.rs` uses the row files.

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::i18n::Msg::new("cli-bad-choice")
                        .arg("value", other)
                        .arg("allowed", [$($text),+].join(", "))
                        .render($crate::i18n::operator_locale())),
                }
            }
        }
    };
}

pub(crate) use text_enum;
