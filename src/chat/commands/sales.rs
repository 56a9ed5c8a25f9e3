//! The sales reps' chat commands: `/renewals [days:]` lists their open contracts by renewal
//! deadline, with acknowledge buttons; `/ack contract: status:` (or a button press) records
//! quoted / renewed / lost, which stops further reminders. The rep is whoever the database says
//! the contract belongs to; the caller is resolved from the database on every action.

use chrono::Duration;
use fluent_bundle::FluentValue;

use crate::chat::context::Context;
use crate::chat::identity;
use crate::chat::model::{Command, Reply, Request, Session};
use crate::i18n::format;
use crate::i18n::{tr, Locale};
use crate::notify::button::{Button, ButtonStyle};
use crate::store::{ContractStatus, NewAuditEntry, Store};

pub const COMMANDS: &[&str] = &["renewals", "ack"];
const ACK_PREFIX: &str = "ack:";
const MAX_DAYS: i64 = 366;

/// Handles `/renewals` and `/ack`; `None` for other commands.
pub async fn command(
    desk: &Context<'_>,
    session: &Session,
    request: &Request,
    command: &Command,
) -> Option<Vec<Reply>> {
    if !COMMANDS.contains(&command.name.as_str()) {
        return None;
    }
    Some(vec![match command.name.as_str() {
        "renewals" => renewals(desk, session, request, command).await,
        _ => {
            let contract = command
                .option("contract")
                .unwrap_or(command.rest.as_str())
                .trim()
                .to_string();
            let status = command.option("status").unwrap_or_default().to_string();
            acknowledge(desk, session, request, &contract, &status).await
        }
    }])
}

/// Handles `ack:<contract>:<status>` buttons; `None` for other ids.
pub async fn button(
    desk: &Context<'_>,
    session: &Session,
    request: &Request,
    id: &str,
) -> Option<Vec<Reply>> {
    let rest = id.strip_prefix(ACK_PREFIX)?;
    let (contract, status) = rest.rsplit_once(':')?;
    Some(vec![
        acknowledge(desk, session, request, contract, status).await,
    ])
}

/// The acknowledge buttons of one contract (quoted, renewed, lost): `ack:<contract>:<status>`.
pub fn ack_buttons(contract_id: &str, locale: Locale) -> Vec<Button> {
    [
        (ContractStatus::Quoted, ButtonStyle::Primary),
        (ContractStatus::Renewed, ButtonStyle::Success),
        (ContractStatus::Lost, ButtonStyle::Danger),
    ]
    .into_iter()
    .map(|(status, style)| Button {
        id: format!("{ACK_PREFIX}{contract_id}:{}", status.as_str()),
        label: format!(
            "{contract_id} {}",
            tr(locale, &format!("sales-status-{}", status.as_str()), &[])
        ),
        style,
    })
    .collect()
}

struct Rep {
    ibm_id: String,
    is_admin: bool,
    /// Holds the sales-rep role (contracts are matched by email; the role says the person is
    /// a rep even while none of theirs is due).
    is_sales_rep: bool,
    locale: Locale,
}

async fn caller<'d>(
    desk: &'d Context<'d>,
    session: &Session,
    request: &Request,
) -> Result<(Rep, &'d dyn Store), Reply> {
    let fallback = desk.reply_locale(session, request);
    let Some(store) = desk.store.as_deref() else {
        return Err(Reply::private(
            fallback,
            tr(fallback, "sales-no-database", &[]),
        ));
    };
    let caller = identity::resolve(store, session, request)
        .await
        .map_err(|_| Reply::private(fallback, tr(fallback, "error-internal", &[])))?;
    let mut locale = caller.locale(desk, session, request);
    // A rep known only from the contracts CSV (no person record, no /lang) is answered in the
    // language the import gave them, as their reminders are.
    if let (None, None, Some(ibm_id)) = (
        caller.person.as_ref(),
        crate::chat::language::chosen(session),
        caller.ibm_id.as_deref(),
    ) {
        if let Ok(contracts) = store.contracts_of_rep(Some(ibm_id)).await {
            if let Some(lang) = contracts
                .first()
                .and_then(|c| Locale::negotiate(&c.sales_rep_lang))
            {
                locale = lang;
            }
        }
    }
    match caller.ibm_id.clone() {
        Some(ibm_id) => Ok((
            Rep {
                ibm_id,
                is_admin: caller.is_admin(),
                is_sales_rep: caller
                    .roles
                    .iter()
                    .any(|m| m.role() == Some(crate::store::Role::SalesRep)),
                locale,
            },
            store,
        )),
        None => Err(Reply::private(locale, tr(locale, "sales-not-linked", &[]))),
    }
}

async fn renewals(
    desk: &Context<'_>,
    session: &Session,
    request: &Request,
    command: &Command,
) -> Reply {
    let (rep, store) = match caller(desk, session, request).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let locale = rep.locale;
    let days = match command.option("days").map(|d| d.trim().parse::<i64>()) {
        None => 30,
        Some(Ok(d)) if (1..=MAX_DAYS).contains(&d) => d,
        Some(_) => {
            let value = command.option("days").unwrap_or_default();
            return Reply::private(
                locale,
                tr(
                    locale,
                    "sales-bad-days",
                    &[("value", FluentValue::from(value))],
                ),
            );
        }
    };
    // The rep's open contracts whose current action deadline (seed 003 §5) is within `days`.
    let today = desk.clock.now().date_naive();
    let contracts = match store.contracts_of_rep(Some(&rep.ibm_id)).await {
        Ok(list) => list,
        Err(_) => return Reply::private(locale, tr(locale, "error-internal", &[])),
    };
    let mut mine: Vec<_> = contracts
        .into_iter()
        .filter(|c| c.status == ContractStatus::Open.as_str())
        .map(|c| {
            let action = desk.renewal.action_on(c.renewal_date, today);
            (c, action)
        })
        .filter(|(_, a)| a.deadline >= today && a.deadline <= today + Duration::days(days))
        .collect();
    mine.sort_by_key(|(c, a)| (a.deadline, c.renewal_date, c.id.clone()));
    if mine.is_empty() && !rep.is_sales_rep && !rep.is_admin {
        return Reply::private(locale, tr(locale, "sales-not-a-rep", &[]));
    }
    if mine.is_empty() {
        return Reply::private(
            locale,
            tr(
                locale,
                "sales-renewals-none",
                &[("days", FluentValue::from(days))],
            ),
        );
    }
    let mut lines = vec![tr(
        locale,
        "sales-renewals-head",
        &[
            ("days", FluentValue::from(days)),
            ("count", FluentValue::from(mine.len())),
        ],
    )];
    let mut buttons = Vec::new();
    for (c, action) in &mine {
        lines.push(tr(
            locale,
            "sales-renewals-line",
            &[
                ("contract", FluentValue::from(c.id.as_str())),
                ("company", FluentValue::from(c.company.as_str())),
                ("product", FluentValue::from(c.product.as_str())),
                (
                    "deadline",
                    FluentValue::from(format::date(locale, action.deadline)),
                ),
            ],
        ));
        lines.push(tr(
            locale,
            "sales-renewals-action",
            &[
                (
                    "step",
                    FluentValue::from(tr(locale, action.step.message_id(), &[])),
                ),
                (
                    "contact",
                    FluentValue::from(tr(locale, action.contact.message_id(), &[])),
                ),
            ],
        ));
        buttons.extend(ack_buttons(&c.id, locale));
    }
    Reply::private(locale, lines.join("\n")).with_buttons(buttons)
}

async fn acknowledge(
    desk: &Context<'_>,
    session: &Session,
    request: &Request,
    contract_id: &str,
    status: &str,
) -> Reply {
    let (rep, store) = match caller(desk, session, request).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let locale = rep.locale;
    let status = match status.trim().parse::<ContractStatus>() {
        Ok(s) if s != ContractStatus::Open => s,
        _ => {
            return Reply::private(
                locale,
                tr(
                    locale,
                    "sales-bad-status",
                    &[("value", FluentValue::from(status))],
                ),
            )
        }
    };
    let contract = match store.contract(contract_id).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Reply::private(
                locale,
                tr(
                    locale,
                    "sales-no-contract",
                    &[("contract", FluentValue::from(contract_id))],
                ),
            )
        }
        Err(_) => return Reply::private(locale, tr(locale, "error-internal", &[])),
    };
    if contract.sales_rep_email != rep.ibm_id && !rep.is_admin {
        return Reply::private(
            locale,
            tr(
                locale,
                "sales-not-yours",
                &[("contract", FluentValue::from(contract_id))],
            ),
        );
    }
    let now = desk.clock.now();
    if store
        .set_contract_status(contract_id, status, now)
        .await
        .is_err()
    {
        return Reply::private(locale, tr(locale, "error-internal", &[]));
    }
    let audit = NewAuditEntry {
        actor: rep.ibm_id.clone(),
        channel: if request.user.platform_id.starts_with("discord:") {
            "discord"
        } else {
            "console"
        }
        .into(),
        action: "contract.ack".into(),
        subject: contract_id.into(),
        detail: format!("{} -> {}", contract.status, status.as_str()),
    };
    if store.append_audit(&audit, now).await.is_err() {
        tracing::warn!(contract = contract_id, "could not audit an acknowledgement");
    }
    Reply::private(
        locale,
        tr(
            locale,
            "sales-acked",
            &[
                ("contract", FluentValue::from(contract_id)),
                (
                    "status",
                    FluentValue::from(tr(
                        locale,
                        &format!("sales-status-{}", status.as_str()),
                        &[],
                    )),
                ),
            ],
        ),
    )
}
