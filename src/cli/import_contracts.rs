//! `import contracts FILE.csv`: the sales reps' renewal pipeline. The file is streamed once;
//! good rows are written in batches inside one transaction that is committed only when every
//! row was good (one bad row refuses the file, and rolls back what was written, unless
//! `--skip-bad`), with a progress spinner on a terminal. A million rows take seconds and about
//! a hundred megabytes (BENCHMARKS.md); an import stopped by Ctrl-C or SIGTERM is rolled back
//! whole and says so.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;

use super::args::cli_locale;
use std::collections::HashMap;

use super::csv_table::{self, Columns, ExtraColumns, Row};
use super::output::json_line;
use crate::config::Config;
use crate::error::Failure;
use crate::i18n::rules_text;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{ContractImportCounts, NewContract, IMPORT_BATCH};
use partnerdesk_knowledge::DateError;

pub use super::csv_table::BadRow;

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub bad: Vec<BadRow>,
}

/// The columns of a contracts file; the first five are required. The rep's name, language
/// and zone are optional: a row without them takes them from the person whose IBM ID is the
/// rep's email, else the language and zone from configuration (and no name: mails greet
/// 「ご担当者様」).
const CONTRACT_COLUMNS: [&str; 8] = [
    "contract_id",
    "company",
    "product",
    "renewal_date",
    "sales_rep_email",
    "sales_rep_name",
    "sales_rep_lang",
    "sales_rep_tz",
];

/// Opens the file as a contracts CSV (its header checked).
fn open_contracts(
    path: &Path,
    locale: Locale,
) -> Result<csv_table::RowReader<std::io::BufReader<std::fs::File>>, Failure> {
    let file = path.display().to_string();
    let input = std::fs::File::open(path).map_err(|e| {
        Failure::usage(
            Msg::new("wf-import-cannot-open")
                .arg("file", file.clone())
                .arg("error", crate::config::io_reason(&e))
                .render(locale),
        )
    })?;
    // Contracts come from other systems' exports: their extra columns are left out.
    let columns = Columns {
        known: &CONTRACT_COLUMNS,
        required: &CONTRACT_COLUMNS[..5],
        extra: ExtraColumns::Ignore,
    };
    csv_table::open(std::io::BufReader::with_capacity(1 << 16, input), columns)
        .map_err(|msg| Failure::usage(format!("{file}: {}", msg.render(locale))))
}

/// What reading a file found, and what writing its good rows did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub counts: ContractImportCounts,
    /// Every refused row with its line and reason, in line order.
    pub bad: Vec<BadRow>,
}

/// Reads every row once, in order, handing each good contract to `good` (a repeated contract
/// id is a bad row: the first row counts). Only the ids seen are kept, never the rows.
fn each_contract(
    rows: &mut csv_table::RowReader<std::io::BufReader<std::fs::File>>,
    locale: Locale,
    seen: &mut HashMap<Box<str>, u64>,
    bad: &mut Vec<BadRow>,
) -> Option<NewContract> {
    loop {
        let row = match rows.next_row(locale)? {
            Ok(row) => row,
            Err(unreadable) => {
                bad.push(unreadable);
                continue;
            }
        };
        match contract_from_row(&row) {
            Ok(c) => {
                if let Some(first) = seen.get(c.id.as_str()) {
                    bad.push(BadRow {
                        line: row.line,
                        reason: Msg::new("wf-import-duplicate")
                            .arg("value", c.id.clone())
                            .num("line", *first as i64)
                            .render(locale),
                    });
                    continue;
                }
                seen.insert(c.id.clone().into_boxed_str(), row.line);
                return Some(c);
            }
            Err(msg) => bad.push(BadRow {
                line: row.line,
                reason: msg.render(locale),
            }),
        }
    }
}

/// Every good contract of a (small) file and its bad rows, checked as the import checks them:
/// for tests and the fuzz target. The import itself never holds the rows.
pub fn read_contracts(
    path: &Path,
    locale: Locale,
) -> Result<(Vec<NewContract>, Vec<BadRow>), Failure> {
    let mut rows = open_contracts(path, locale)?;
    let (mut seen, mut bad, mut good) = (HashMap::new(), Vec::new(), Vec::new());
    while let Some(contract) = each_contract(&mut rows, locale, &mut seen, &mut bad) {
        good.push(contract);
    }
    bad.sort_by_key(|b| b.line);
    Ok((good, bad))
}

/// Reads the file once and writes its good rows in batches inside one transaction. Writing
/// stops at the first bad row unless `skip_bad` (the rest is still read, so every bad row is
/// reported); the transaction is committed only when the file was good (or `skip_bad`), and
/// rolled back otherwise, so nothing is half-imported. `read` counts the rows read so far.
async fn import_file(
    path: &Path,
    locale: Locale,
    skip_bad: bool,
    store: &dyn crate::store::Store,
    read: &std::sync::atomic::AtomicU64,
    config: &Config,
) -> Result<Outcome, Failure> {
    let mut rows = open_contracts(path, locale)?;
    let mut import = store.begin_contract_import(Utc::now()).await?;
    let mut outcome = Outcome::default();
    let mut seen: HashMap<Box<str>, u64> = HashMap::new();
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    loop {
        let next = each_contract(&mut rows, locale, &mut seen, &mut outcome.bad);
        let end = next.is_none();
        let writing = skip_bad || outcome.bad.is_empty();
        if let Some(contract) = next {
            read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if writing {
                batch.push(contract);
            }
        }
        if writing && (batch.len() == IMPORT_BATCH || (end && !batch.is_empty())) {
            // Rep name, language and zone left out of the file come from the person record.
            complete_reps(store, &mut batch, config).await?;
            let done = import.write(&batch).await?;
            outcome.counts.inserted += done.inserted;
            outcome.counts.updated += done.updated;
            outcome.counts.unchanged += done.unchanged;
            batch.clear();
        }
        if end {
            break;
        }
    }
    outcome.bad.sort_by_key(|b| b.line);
    if outcome.bad.is_empty() || skip_bad {
        import.commit().await?;
    } else {
        // Dropped unfinished: rolled back.
        drop(import);
        outcome.counts = ContractImportCounts::default();
    }
    Ok(outcome)
}

/// SIGINT and SIGTERM, listened to from the start of an import: one that comes while the file
/// is being checked is seen as soon as the writing would begin.
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Waits for either signal and names it.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = recv(&mut self.interrupt) => "SIGINT",
                () = recv(&mut self.terminate) => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}

fn contract_from_row(row: &Row) -> Result<NewContract, Msg> {
    let required = |slot: usize| {
        let value = row
            .get(CONTRACT_COLUMNS[slot])
            .unwrap_or_default()
            .to_string();
        if value.is_empty() {
            Err(Msg::new("ops-import-empty").arg("column", CONTRACT_COLUMNS[slot]))
        } else if value.chars().any(char::is_control) {
            Err(Msg::new("ops-import-line-break").arg("column", CONTRACT_COLUMNS[slot]))
        } else {
            Ok(value)
        }
    };
    let renewal = required(3)?;
    let renewal_date = renewal_date_of(&renewal)?;
    let email = required(4)?;
    email
        .parse::<lettre::Address>()
        .map_err(|_| Msg::new("ops-import-bad-email").arg("value", email.clone()))?;
    // Optional: empty when the column is missing or the cell empty (filled on import by
    // `complete_reps`), checked when given.
    let optional = |slot: usize| match row.get(CONTRACT_COLUMNS[slot]) {
        None => Ok(String::new()),
        Some(_) => required(slot),
    };
    let lang = optional(6)?;
    if !matches!(lang.as_str(), "" | "ja" | "en") {
        return Err(Msg::new("ops-import-bad-lang").arg("value", lang));
    }
    let tz = optional(7)?;
    if !tz.is_empty() {
        partnerdesk_domain::parse_zone(&tz)
            .map_err(|_| Msg::new("ops-import-bad-zone").arg("value", tz.clone()))?;
    }
    Ok(NewContract {
        id: required(0)?,
        company: required(1)?,
        product: required(2)?,
        renewal_date,
        sales_rep_email: email.to_lowercase(),
        sales_rep_name: optional(5)?,
        sales_rep_lang: lang,
        sales_rep_tz: tz,
    })
}

/// Fills the rep's name, language and zone a row left out: from the person whose IBM ID is the
/// rep's email when there is one, else the language `i18n.default_locale` and the zone of
/// `[calendar]` (the name stays empty).
pub async fn complete_reps(
    store: &dyn crate::store::Store,
    contracts: &mut [NewContract],
    config: &Config,
) -> Result<(), Failure> {
    let mut people = std::collections::HashMap::new();
    for c in contracts.iter_mut() {
        if !(c.sales_rep_name.is_empty()
            || c.sales_rep_lang.is_empty()
            || c.sales_rep_tz.is_empty())
        {
            continue;
        }
        if !people.contains_key(&c.sales_rep_email) {
            let person = store.person_by_ibm_id(&c.sales_rep_email).await?;
            people.insert(c.sales_rep_email.clone(), person);
        }
        let person = people.get(&c.sales_rep_email).and_then(Option::as_ref);
        if c.sales_rep_name.is_empty() {
            c.sales_rep_name = person.map(|p| p.name.clone()).unwrap_or_default();
        }
        if c.sales_rep_lang.is_empty() {
            c.sales_rep_lang = person
                .and_then(|p| Locale::negotiate(&p.locale))
                .or_else(|| Locale::negotiate(&config.i18n.default_locale))
                .unwrap_or(Locale::Ja)
                .code()
                .to_string();
        }
        if c.sales_rep_tz.is_empty() {
            c.sales_rep_tz = person
                .map(|p| p.time_zone.clone())
                .filter(|tz| partnerdesk_domain::parse_zone(tz).is_ok())
                .unwrap_or_else(|| config.calendar.zone.clone());
        }
    }
    Ok(())
}

/// A renewal_date cell, read by the one date parser (2015-08-15, 2015/8/15, 2015年8月15日,
/// 平成27年8月15日, Aug 15 2015, ...). The year must be written: a contract's renewal date is a
/// fact of the contract, not "the next August 15".
fn renewal_date_of(cell: &str) -> Result<chrono::NaiveDate, Msg> {
    let refused = |problem: Msg| {
        Msg::new("ops-import-bad-date")
            .arg("value", cell)
            .sub("problem", problem)
            .sub("forms", rules_text::date_forms(false))
    };
    let now = Utc::now().naive_utc();
    match partnerdesk_knowledge::parse_when(cell, now) {
        Ok(asked) if asked.year_implied => Err(refused(Msg::new("dates-year-missing"))),
        Ok(asked) if asked.date_written => Ok(asked.date),
        Ok(_) => Err(refused(rules_text::date_problem(DateError::NotADate))),
        Err(e) => Err(refused(rules_text::date_problem(e))),
    }
}

/// `import contracts FILE.csv`: nothing is imported when a row is bad, unless `skip_bad`.
/// The file is streamed once and written in one transaction, committed only at the end, so
/// memory does not grow with the file and nothing is half-imported.
pub async fn import_contracts(
    config: &Config,
    file: PathBuf,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let mut stop = StopSignals::listen();
    // The header is checked before the database is opened.
    drop(open_contracts(&file, locale)?);
    let store = crate::store::open_and_migrate(config).await?;
    let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    let ticker = {
        let (read, progress) = (read.clone(), progress.clone());
        tokio::spawn(async move {
            loop {
                progress.set_position(read.load(std::sync::atomic::Ordering::Relaxed));
                progress.tick();
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        })
    };
    let outcome = tokio::select! {
        outcome = import_file(&file, locale, skip_bad, store.as_ref(), &read, config) => Some(outcome),
        signal = stop.next() => {
            tracing::debug!(signal, "import interrupted");
            None
        }
    };
    ticker.abort();
    progress.finish_and_clear();
    store.close().await;
    let Some(outcome) = outcome else {
        // The transaction was dropped unfinished: rolled back, nothing changed.
        return Err(Failure::runtime(
            Msg::new("ops-import-interrupted")
                .arg("file", file.display().to_string())
                .num(
                    "done",
                    read.load(std::sync::atomic::Ordering::Relaxed) as i64,
                )
                .render(locale),
        ));
    };
    let outcome = outcome?;
    let refuse = !outcome.bad.is_empty() && !skip_bad;
    let report = ImportReport {
        inserted: outcome.counts.inserted,
        updated: outcome.counts.updated,
        unchanged: outcome.counts.unchanged,
        bad: outcome.bad,
    };
    if json {
        println!("{}", json_line(&report)?);
    } else {
        for row in &report.bad {
            eprintln!("{}:{}: {}", file.display(), row.line, row.reason);
        }
        println!(
            "{}",
            Msg::new("ops-import-summary")
                .num("inserted", report.inserted as i64)
                .num("updated", report.updated as i64)
                .num("unchanged", report.unchanged as i64)
                .num("bad", report.bad.len() as i64)
                .render(locale)
        );
    }
    if refuse {
        return Err(Failure::usage(
            Msg::new("wf-import-refused")
                .arg("file", file.display().to_string())
                .num("bad", report.bad.len() as i64)
                .render(locale),
        ));
    }
    Ok(())
}
