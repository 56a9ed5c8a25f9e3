//! Who is acting in the chat, read from the database on every request: the console's `--as`
//! IBM ID, a Discord user linked through `people.discord_user_id`, or any chat account linked
//! with `/link` + `/verify`. Roles come from `memberships`, never from the platform.

use super::context::Context;
use super::language;
use super::model::{Acting, Request, Session};
use crate::i18n::Locale;
use crate::store::{MemberRow, Person, Role, Store, StoreResult};

/// The identity behind a chat request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `console:...` or `discord:...`.
    pub platform_id: String,
    /// `console` or `discord`, for the audit log.
    pub channel: &'static str,
    /// The IBM ID the account acts as; `None` for an account that is not linked.
    pub ibm_id: Option<String>,
    /// The person with that IBM ID, when the database knows them.
    pub person: Option<Person>,
    /// Their memberships, read now.
    pub roles: Vec<MemberRow>,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|m| m.role() == Some(Role::Admin))
    }

    /// Companies this caller is an APA of.
    pub fn apa_companies(&self) -> Vec<i64> {
        self.roles
            .iter()
            .filter(|m| m.role() == Some(Role::Apa))
            .filter_map(|m| m.company_id)
            .collect()
    }

    /// Every company the caller belongs to in any role, without repeats.
    pub fn companies(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.roles.iter().filter_map(|m| m.company_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The language of replies to this caller ([`super::language::for_caller`]).
    pub fn locale(&self, desk: &Context<'_>, session: &Session, request: &Request) -> Locale {
        language::for_caller(session, self.person.as_ref(), request, desk.default_locale)
    }
}

/// Reads who `request` acts as: the console's `--as`, else the Discord user or chat account
/// linked to a person.
pub async fn acting(
    store: &dyn Store,
    session: &Session,
    request: &Request,
) -> StoreResult<Acting> {
    if let Some(acting) = session.acting_as.as_deref() {
        return Ok(match crate::workflows::validate::ibm_id(acting) {
            Ok(valid) => Acting {
                person: store.person_by_ibm_id(&valid).await?,
                ibm_id: Some(valid),
            },
            Err(_) => Acting::default(),
        });
    }
    let platform_id = request.user.platform_id.as_str();
    let mut person = match platform_id.strip_prefix("discord:") {
        Some(discord) => store.person_by_discord_id(discord).await?,
        None => None,
    };
    if person.is_none() {
        person = store.person_by_chat_link(platform_id).await?;
    }
    Ok(Acting {
        ibm_id: person.as_ref().map(|p| p.ibm_id.clone()),
        person,
    })
}

/// Resolves the caller of `request` from the database.
pub async fn resolve(
    store: &dyn Store,
    session: &Session,
    request: &Request,
) -> StoreResult<Caller> {
    let platform_id = request.user.platform_id.clone();
    let channel = if platform_id.starts_with("discord:") {
        "discord"
    } else {
        "console"
    };
    // `Desk::handle` has read it already for this request; read it here only without it.
    let Acting { ibm_id, person } = match &session.acting {
        Some(read) => read.clone(),
        None => acting(store, session, request).await?,
    };
    let roles = match &person {
        Some(p) => store.roles_of(p.id).await?,
        None => Vec::new(),
    };
    Ok(Caller {
        platform_id,
        channel,
        ibm_id,
        person,
        roles,
    })
}
