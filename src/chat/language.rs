//! Which language a reply is in: the one rule, whole.
//!
//! 1. This session's choice (`chat --lang`, or `/lang` just now) beats all.
//! 2. Then the account's saved `/lang` (table `chat_preferences`, read on every request).
//! 3. Then the language of the person the account acts as (`people.locale`).
//! 4. Then the platform's (Discord's interaction locale).
//! 5. Then `i18n.default_locale`.
//!
//! An answer to a free-text question skips 3–5: without a choice it follows the question's own
//! language, so a partner who writes in English is answered in English.

use super::model::{Request, Session};
use crate::i18n::text::locale_of;
use crate::i18n::Locale;
use crate::store::Person;

/// The language the user chose: in this session, else saved with `/lang`.
pub fn chosen(session: &Session) -> Option<Locale> {
    session.chosen_locale.or(session.saved_locale)
}

/// The language of the person the account acts as (`people.locale`), when it is one we speak.
fn profile(session: &Session) -> Option<Locale> {
    let person = session.acting.as_ref()?.person.as_ref()?;
    Locale::negotiate(&person.locale)
}

/// A reply that is not an answer to a question (a command, a button, an error).
pub fn for_reply(session: &Session, request: &Request, default: Locale) -> Locale {
    chosen(session)
        .or(profile(session))
        .or(request.platform_locale)
        .unwrap_or(default)
}

/// A workflow reply to a caller whose person was read from the database just now.
pub fn for_caller(
    session: &Session,
    person: Option<&Person>,
    request: &Request,
    default: Locale,
) -> Locale {
    chosen(session)
        .or_else(|| person.map(|p| locale_of(&p.locale)))
        .unwrap_or_else(|| for_reply(session, request, default))
}

/// The answer to a free-text question written in `question`'s language.
pub fn for_answer(session: &Session, question: Locale) -> Locale {
    chosen(session).unwrap_or(question)
}
