//! Parses a console line that starts with `/` into a `Command`: `/renewal date:2015-08-15`,
//! `/token rotate`, `/reject request:12 reason:"wrong company"`, `/ask how do I join?`.

use super::model::Command;

/// Commands whose second word is a sub-command rather than free text.
const WITH_SUBCOMMANDS: &[&str] = &["token", "review"];

/// Why a line could not be read as a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// `/` alone, or `/` followed by a space.
    NoName,
    /// A `key:"...` value whose quote never closes.
    UnclosedQuote { key: String },
}

pub fn parse(line: &str) -> Result<Command, ParseError> {
    let body = line.trim().strip_prefix('/').unwrap_or(line.trim());
    let mut tokens = tokenize(body)?.into_iter();
    let name = match tokens.next() {
        Some(Token::Word(word)) if !word.is_empty() => word.to_lowercase(),
        _ => return Err(ParseError::NoName),
    };
    let mut command = Command {
        name,
        ..Command::default()
    };
    let mut rest = Vec::new();
    // The last option, while its value was not quoted: words after it continue its value, so
    // `/renewal date:August 15, 2015` and `/reject request:3 reason:wrong company` read as
    // meant without quotes.
    let mut open_option: Option<String> = None;
    for token in tokens {
        match token {
            Token::Option(key, value, quoted) => {
                let key = key.to_lowercase();
                open_option = (!quoted).then(|| key.clone());
                command.options.insert(key, value);
            }
            Token::Word(word) => {
                if let Some(value) = open_option
                    .as_ref()
                    .and_then(|key| command.options.get_mut(key))
                {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(&word);
                } else if command.sub.is_none()
                    && rest.is_empty()
                    && command.options.is_empty()
                    && WITH_SUBCOMMANDS.contains(&command.name.as_str())
                {
                    command.sub = Some(word.to_lowercase());
                } else {
                    rest.push(word);
                }
            }
        }
    }
    command.rest = rest.join(" ");
    Ok(command)
}

enum Token {
    Word(String),
    /// `key:value`; whether the value was quoted.
    Option(String, String, bool),
}

/// Splits on whitespace; `key:value` is an option when `key` is a plain identifier, so a time
/// such as `9:00` or a URL inside free text stays a word.
fn tokenize(body: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut word = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            word.push(c);
            // `https://...` is a URL, not the option `https`.
            if c == ':' && is_option_key(&word[..word.len() - 1]) && chars.peek() != Some(&'/') {
                let key = word[..word.len() - 1].to_string();
                let quoted = chars.peek() == Some(&'"');
                let value = if quoted {
                    chars.next();
                    let mut value = String::new();
                    loop {
                        match chars.next() {
                            Some('"') => break,
                            Some(c) => value.push(c),
                            None => return Err(ParseError::UnclosedQuote { key }),
                        }
                    }
                    value
                } else {
                    let mut value = String::new();
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                    value
                };
                tokens.push(Token::Option(key, value, quoted));
                word.clear();
                break;
            }
        }
        if !word.is_empty() {
            tokens.push(Token::Word(word));
        }
    }
    Ok(tokens)
}

fn is_option_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_subcommands_and_rest() {
        let c = parse("/renewal date:2015-08-15").expect("parse");
        assert_eq!(c.name, "renewal");
        assert_eq!(c.option("date"), Some("2015-08-15"));

        let c = parse("/token rotate").expect("parse");
        assert_eq!(
            (c.name.as_str(), c.sub.as_deref()),
            ("token", Some("rotate"))
        );

        let c = parse("/reject request:12 reason:\"wrong company\"").expect("parse");
        assert_eq!(c.option("request"), Some("12"));
        assert_eq!(c.option("reason"), Some("wrong company"));

        let c = parse("/ask PWCS は 9:00 から開いていますか？ https://x.example/a").expect("parse");
        assert_eq!(c.name, "ask");
        assert_eq!(
            c.rest,
            "PWCS は 9:00 から開いていますか？ https://x.example/a"
        );
        assert!(c.options.is_empty());

        // Unquoted values run on to the next option.
        let c = parse("/renewal date:August 15, 2015").expect("parse");
        assert_eq!(c.option("date"), Some("August 15, 2015"));
        let c = parse("/reject request:3 reason:wrong company").expect("parse");
        assert_eq!(
            (c.option("request"), c.option("reason")),
            (Some("3"), Some("wrong company"))
        );
        let c = parse("/reject reason:\"quoted\" trailing words").expect("parse");
        assert_eq!(c.option("reason"), Some("quoted"));
        assert_eq!(c.rest, "trailing words");
        let c = parse("/register company:Sample KK name:Ann Lee lang:en").expect("parse");
        assert_eq!(c.option("company"), Some("Sample KK"));
        assert_eq!(c.option("name"), Some("Ann Lee"));
        assert_eq!(c.option("lang"), Some("en"));

        let c = parse("/Approve Request:3 level:admin").expect("parse");
        assert_eq!(c.name, "approve");
        assert_eq!(c.option("request"), Some("3"));
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        assert_eq!(parse("/"), Err(ParseError::NoName));
        assert_eq!(parse("/  "), Err(ParseError::NoName));
        assert_eq!(
            parse("/reject reason:\"never closed"),
            Err(ParseError::UnclosedQuote {
                key: "reason".into()
            })
        );
        for odd in ["/:", "/a:", "/x \u{0}:\"", "/😀 😀:😀", "/a b:c:d"] {
            let _ = parse(odd);
        }
    }
}
