//! The slash commands partnerdesk registers with Discord, and the way back from an interaction's
//! options to the chat core's `Command`.
//!
//! This module owns: the table of commands, sub-commands, options and choices ([`SPECS`]); the
//! serenity builders made from it, with names, descriptions and choice names taken from
//! `locales/{ja,en}/discord.ftl` for the Discord locales `ja`, `en-US` and `en-GB`
//! ([`definitions`]); and [`to_command`], which reads an interaction's options into the same
//! `Command` the console parser produces. A command is only registered when the chat core
//! handles it (`chat::desk::COMMANDS`, `chat::commands::sales::COMMANDS` or
//! `chat::commands::workflow::COMMANDS`), so a design command
//! that has no handler yet never shows up in Discord as a dead end.

use std::collections::BTreeMap;

use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand,
    CreateCommandOption,
};

use crate::chat::Command;
use crate::i18n::{tr, Locale};

/// The Discord locales we localize into, and the bundle each one reads.
pub const DISCORD_LOCALES: [(&str, Locale); 3] = [
    ("ja", Locale::Ja),
    ("en-US", Locale::En),
    ("en-GB", Locale::En),
];

/// The kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
}

/// One option of a command or sub-command.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// The key the chat core reads (`ibm-id`), also the option's default name in Discord.
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Allowed values; each one's display name is `discord-choice-<choice_set>-<value>`.
    pub choices: &'static [&'static str],
    /// Names the Fluent choice ids (`lang`, `level`, `status`).
    pub choice_set: &'static str,
    /// Fluent id prefix of this option, without the `discord-opt-` part.
    pub fluent: &'static str,
}

/// A sub-command (`/token rotate`, `/review complete`).
#[derive(Debug, Clone, Copy)]
pub struct SubSpec {
    pub key: &'static str,
    pub options: &'static [OptionSpec],
}

/// One slash command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub key: &'static str,
    pub options: &'static [OptionSpec],
    pub subs: &'static [SubSpec],
    /// Knowledge commands whose answers hold nothing private and may be shown in a channel;
    /// every other command is answered ephemerally.
    pub public: bool,
}

const fn text(key: &'static str, fluent: &'static str, required: bool) -> OptionSpec {
    OptionSpec {
        key,
        kind: Kind::Text,
        required,
        choices: &[],
        choice_set: "",
        fluent,
    }
}

const fn integer(key: &'static str, fluent: &'static str, required: bool) -> OptionSpec {
    OptionSpec {
        kind: Kind::Integer,
        ..text(key, fluent, required)
    }
}

const fn choice(
    key: &'static str,
    fluent: &'static str,
    required: bool,
    choice_set: &'static str,
    choices: &'static [&'static str],
) -> OptionSpec {
    OptionSpec {
        choices,
        choice_set,
        ..text(key, fluent, required)
    }
}

const LANGS: &[&str] = &["ja", "en"];
const LEVELS: &[&str] = &["basic", "standard", "administrator"];
const CONTRACT_STATUS: &[&str] = &["quoted", "renewed", "lost"];

const fn command(key: &'static str, options: &'static [OptionSpec], public: bool) -> CommandSpec {
    CommandSpec {
        key,
        options,
        subs: &[],
        public,
    }
}

const REVIEW_TARGET: [OptionSpec; 2] = [
    integer("registration", "review-registration", false),
    text("company", "review-company", false),
];

/// Every slash command of the design, in the order `/help` lists them.
pub const SPECS: &[CommandSpec] = &[
    command("ask", &[text("question", "ask-question", true)], true),
    command("hours", &[], true),
    command("renewal", &[text("date", "renewal-date", true)], true),
    command(
        "lang",
        &[choice("language", "lang-language", true, "lang", LANGS)],
        false,
    ),
    command("help", &[], true),
    command(
        "register",
        &[
            text("company", "register-company", true),
            text("name", "register-name", false),
            text("location", "register-location", false),
            choice("lang", "register-lang", false, "lang", LANGS),
        ],
        false,
    ),
    command(
        "join",
        &[
            text("token", "join-token", false),
            text("company", "join-company", false),
            text("name", "join-name", false),
            choice("lang", "join-lang", false, "lang", LANGS),
        ],
        false,
    ),
    command("status", &[], false),
    command(
        "profile",
        &[
            text("name", "profile-name", false),
            choice("lang", "profile-lang", false, "lang", LANGS),
        ],
        false,
    ),
    command(
        "contacts",
        &[text("company", "contacts-company", false)],
        false,
    ),
    command("link", &[text("ibm-id", "link-ibm-id", true)], false),
    command("verify", &[text("code", "verify-code", true)], false),
    command("pending", &[], false),
    command(
        "approve",
        &[
            integer("request", "approve-request", true),
            choice("level", "approve-level", false, "level", LEVELS),
        ],
        false,
    ),
    command(
        "reject",
        &[
            integer("request", "reject-request", true),
            text("reason", "reject-reason", false),
        ],
        false,
    ),
    command(
        "add-member",
        &[
            text("ibm-id", "add-member-ibm-id", true),
            text("location", "add-member-location", true),
            choice("level", "add-member-level", true, "level", LEVELS),
        ],
        false,
    ),
    CommandSpec {
        key: "token",
        options: &[],
        subs: &[SubSpec {
            key: "rotate",
            options: &[text("company", "token-rotate-company", false)],
        }],
        public: false,
    },
    CommandSpec {
        key: "review",
        options: &[],
        subs: &[
            SubSpec {
                key: "list",
                options: &[],
            },
            SubSpec {
                key: "start",
                options: &REVIEW_TARGET,
            },
            SubSpec {
                key: "request-documents",
                options: &[
                    REVIEW_TARGET[0],
                    REVIEW_TARGET[1],
                    text("note", "review-note", false),
                ],
            },
            SubSpec {
                key: "documents-received",
                options: &[
                    REVIEW_TARGET[0],
                    REVIEW_TARGET[1],
                    text("note", "review-received-note", false),
                ],
            },
            SubSpec {
                key: "complete",
                options: &[
                    REVIEW_TARGET[0],
                    REVIEW_TARGET[1],
                    text("apa", "review-apa", false),
                ],
            },
            SubSpec {
                key: "reject",
                options: &[
                    REVIEW_TARGET[0],
                    REVIEW_TARGET[1],
                    text("reason", "review-reason", false),
                ],
            },
        ],
        public: false,
    },
    command(
        "renewals",
        &[integer("days", "renewals-days", false)],
        false,
    ),
    command(
        "ack",
        &[
            text("contract", "ack-contract", true),
            choice("status", "ack-status", true, "status", CONTRACT_STATUS),
        ],
        false,
    ),
];

/// Whether the chat core has a handler for `name` (knowledge or workflow command).
pub fn handled(name: &str) -> bool {
    crate::chat::desk::COMMANDS.contains(&name)
        || crate::chat::commands::sales::COMMANDS.contains(&name)
        || crate::chat::commands::workflow::COMMANDS.contains(&name)
}

/// The spec of command `name`.
pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    SPECS.iter().find(|s| s.key == name)
}

/// The commands to register: every spec the chat core handles, localized.
pub fn definitions() -> Vec<CreateCommand> {
    SPECS
        .iter()
        .filter(|s| handled(s.key))
        .map(build_command)
        .collect()
}

/// `(name, description)` of a Fluent entry in `locale`.
fn entry(locale: Locale, id: &str) -> (String, String) {
    (
        tr(locale, id, &[]),
        tr(locale, &format!("{id}.description"), &[]),
    )
}

fn build_command(spec: &CommandSpec) -> CreateCommand {
    let id = format!("discord-cmd-{}", spec.key);
    let (_, description) = entry(Locale::En, &id);
    let mut command = CreateCommand::new(spec.key).description(description);
    for (discord, locale) in DISCORD_LOCALES {
        let (name, description) = entry(locale, &id);
        command = command
            .name_localized(discord, name)
            .description_localized(discord, description);
    }
    for option in spec.options {
        command = command.add_option(build_option(option));
    }
    for sub in spec.subs {
        let id = format!("discord-sub-{}-{}", spec.key, sub.key);
        let (_, description) = entry(Locale::En, &id);
        let mut created =
            CreateCommandOption::new(CommandOptionType::SubCommand, sub.key, description);
        for (discord, locale) in DISCORD_LOCALES {
            let (name, description) = entry(locale, &id);
            created = created
                .name_localized(discord, name)
                .description_localized(discord, description);
        }
        for option in sub.options {
            created = created.add_sub_option(build_option(option));
        }
        command = command.add_option(created);
    }
    command
}

fn build_option(spec: &OptionSpec) -> CreateCommandOption {
    let id = format!("discord-opt-{}", spec.fluent);
    let kind = match spec.kind {
        Kind::Text => CommandOptionType::String,
        Kind::Integer => CommandOptionType::Integer,
    };
    let (_, description) = entry(Locale::En, &id);
    let mut option = CreateCommandOption::new(kind, spec.key, description).required(spec.required);
    for (discord, locale) in DISCORD_LOCALES {
        let (name, description) = entry(locale, &id);
        option = option
            .name_localized(discord, name)
            .description_localized(discord, description);
    }
    if spec.kind == Kind::Integer {
        option = option.min_int_value(1);
    }
    for value in spec.choices {
        let id = format!("discord-choice-{}-{value}", spec.choice_set);
        let localized: Vec<(&str, String)> = DISCORD_LOCALES
            .iter()
            .map(|(discord, locale)| (*discord, tr(*locale, &id, &[])))
            .collect();
        option = option.add_string_choice_localized(tr(Locale::En, &id, &[]), *value, localized);
    }
    option
}

/// What `partnerdesk discord commands` prints: the exact JSON body of the bulk registration.
pub fn definitions_json() -> serde_json::Value {
    serde_json::to_value(definitions()).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot serialize the command definitions");
        serde_json::Value::Array(Vec::new())
    })
}

/// Reads an interaction's command and options into the chat core's `Command`. Option values
/// arrive typed from Discord; the core reads them as text, as it does the console's.
pub fn to_command(name: &str, options: &[CommandDataOption]) -> Command {
    let mut command = Command {
        name: name.to_lowercase(),
        ..Command::default()
    };
    let mut values = BTreeMap::new();
    for option in options {
        match &option.value {
            CommandDataOptionValue::SubCommand(inner) => {
                command.sub = Some(option.name.to_lowercase());
                collect(inner, &mut values);
            }
            CommandDataOptionValue::SubCommandGroup(inner) => {
                command.sub = Some(option.name.to_lowercase());
                for nested in inner {
                    if let CommandDataOptionValue::SubCommand(leaf) = &nested.value {
                        collect(leaf, &mut values);
                    }
                }
            }
            _ => collect(std::slice::from_ref(option), &mut values),
        }
    }
    command.options = values;
    command
}

fn collect(options: &[CommandDataOption], into: &mut BTreeMap<String, String>) {
    for option in options {
        let value = match &option.value {
            CommandDataOptionValue::String(s) => s.clone(),
            CommandDataOptionValue::Integer(n) => n.to_string(),
            CommandDataOptionValue::Number(n) => n.to_string(),
            CommandDataOptionValue::Boolean(b) => b.to_string(),
            CommandDataOptionValue::User(id) => id.to_string(),
            CommandDataOptionValue::Channel(id) => id.to_string(),
            CommandDataOptionValue::Role(id) => id.to_string(),
            CommandDataOptionValue::Mentionable(id) => id.to_string(),
            _ => continue,
        };
        into.insert(option.name.to_lowercase(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn every_handled_command_has_a_spec_with_localized_texts() {
        for name in crate::chat::desk::COMMANDS
            .iter()
            .chain(crate::chat::commands::sales::COMMANDS)
            .chain(crate::chat::commands::workflow::COMMANDS)
        {
            assert!(spec(name).is_some(), "no Discord definition for /{name}");
        }
        let i18n = I18n::load().expect("locales");
        let json = definitions_json();
        let commands = json.as_array().expect("array");
        assert!(!commands.is_empty());
        for spec in SPECS {
            for locale in Locale::ALL {
                let id = format!("discord-cmd-{}", spec.key);
                assert!(i18n.has(locale, &id), "{locale}: {id}");
            }
        }
        // Names and descriptions within Discord's limits, in every locale.
        fn check(value: &serde_json::Value) {
            let name = value["name"].as_str().expect("name");
            assert!((1..=32).contains(&name.chars().count()), "{name}");
            assert_eq!(name, name.to_lowercase());
            let description = value["description"].as_str().expect("description");
            assert!(
                (1..=100).contains(&description.chars().count()),
                "{description}"
            );
            for (_, n) in value["name_localizations"].as_object().expect("names") {
                let n = n.as_str().expect("str");
                assert!(
                    (1..=32).contains(&n.chars().count()) && !n.contains(' '),
                    "{n}"
                );
            }
            for (_, d) in value["description_localizations"]
                .as_object()
                .expect("descriptions")
            {
                let d = d.as_str().expect("str");
                assert!((1..=100).contains(&d.chars().count()), "{d}");
                assert!(!d.starts_with("discord-"), "missing text: {d}");
            }
            if let Some(options) = value["options"].as_array() {
                options.iter().for_each(check);
            }
        }
        commands.iter().for_each(check);
    }

    #[test]
    fn the_help_text_names_every_command_in_both_languages() {
        for locale in Locale::ALL {
            let help = crate::i18n::tr(locale, "knowledge-help", &[]);
            for spec in SPECS {
                assert!(
                    help.contains(&format!("/{} ", spec.key))
                        || help.contains(&format!("/{}\n", spec.key)),
                    "{locale}: /{} is missing from knowledge-help",
                    spec.key
                );
            }
        }
    }
}
