//! `import contracts FILE.csv`: the sales reps' renewal pipeline. The file is streamed twice:
//! every row is checked first (one bad row refuses the file unless `--skip-bad`), then the good
//! rows are written in batches inside one transaction, with a progress bar on a terminal. A
//! million rows take seconds and tens of megabytes (BENCHMARKS.md); an import stopped by
//! Ctrl-C or SIGTERM is rolled back whole and says so.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;

use super::args::cli_locale;
use std::collections::{HashMap, HashSet};

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

/// What the first pass over a file found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Rows that will be written.
    pub good: u64,
    /// Every refused row with its line and reason, in line order.
    pub bad: Vec<BadRow>,
    /// Lines of rows that are valid but repeat an earlier contract id: skipped when writing.
    pub repeats: HashSet<u64>,
}

/// The first pass: reads every row and checks it, keeping only the bad rows and the ids seen
/// (to find a contract named twice), never the rows themselves.
pub fn check_contracts(path: &Path, locale: Locale) -> Result<Checked, Failure> {
    let mut rows = open_contracts(path, locale)?;
    let mut checked = Checked::default();
    // A contract named twice in one file: the first row counts, the repeat is reported.
    let mut seen: HashMap<Box<str>, u64> = HashMap::new();
    while let Some(row) = rows.next_row(locale) {
        let row = match row {
            Ok(row) => row,
            Err(bad) => {
                checked.bad.push(bad);
                continue;
            }
        };
        match contract_from_row(&row) {
            Ok(c) => {
                if let Some(first) = seen.get(c.id.as_str()) {
                    checked.bad.push(BadRow {
                        line: row.line,
                        reason: Msg::new("wf-import-duplicate")
                            .arg("value", c.id.clone())
                            .num("line", *first as i64)
                            .render(locale),
                    });
                    checked.repeats.insert(row.line);
                    continue;
                }
                seen.insert(c.id.into_boxed_str(), row.line);
                checked.good += 1;
            }
            Err(msg) => checked.bad.push(BadRow {
                line: row.line,
                reason: msg.render(locale),
            }),
        }
    }
    checked.bad.sort_by_key(|b| b.line);
    Ok(checked)
}

/// Every good contract of a (small) file and its bad rows, checked as the import checks them:
/// for tests and the fuzz target. The import itself never holds the rows ([`check_contracts`],
/// then a second pass that writes).
pub fn read_contracts(
    path: &Path,
    locale: Locale,
) -> Result<(Vec<NewContract>, Vec<BadRow>), Failure> {
    let checked = check_contracts(path, locale)?;
    let mut rows = open_contracts(path, locale)?;
    let mut good = Vec::new();
    while let Some(row) = rows.next_row(locale) {
        if let Ok(row) = row {
            if !checked.repeats.contains(&row.line) {
                if let Ok(contract) = contract_from_row(&row) {
                    good.push(contract);
                }
            }
        }
    }
    Ok((good, checked.bad))
}

/// The second pass: reads the file again and writes its good rows in batches, all in one
/// transaction that is committed at the end. `written` counts rows as they are written, for
/// the progress bar and for saying how far an interrupted import got.
async fn write_contracts(
    path: &Path,
    locale: Locale,
    checked: &Checked,
    store: &dyn crate::store::Store,
    written: &std::sync::atomic::AtomicU64,
    config: &Config,
) -> Result<ContractImportCounts, Failure> {
    let mut rows = open_contracts(path, locale)?;
    let mut import = store.begin_contract_import(Utc::now()).await?;
    let mut counts = ContractImportCounts::default();
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    loop {
        let row = rows.next_row(locale);
        let end = row.is_none();
        if let Some(Ok(row)) = row {
            if !checked.repeats.contains(&row.line) {
                // A row that was bad in the first pass is bad again here and skipped.
                if let Ok(contract) = contract_from_row(&row) {
                    batch.push(contract);
                }
            }
        }
        if batch.len() == IMPORT_BATCH || (end && !batch.is_empty()) {
            // Rep name, language and zone left out of the file come from the person record.
            complete_reps(store, &mut batch, config).await?;
            let done = import.write(&batch).await?;
            counts.inserted += done.inserted;
            counts.updated += done.updated;
            counts.unchanged += done.unchanged;
            written.fetch_add(batch.len() as u64, std::sync::atomic::Ordering::Relaxed);
            batch.clear();
        }
        if end {
            break;
        }
    }
    import.commit().await?;
    Ok(counts)
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
/// The file is read twice: once to check every row, once to write the good ones in one
/// transaction, so memory does not grow with the file and nothing is half-imported.
pub async fn import_contracts(
    config: &Config,
    file: PathBuf,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let mut stop = StopSignals::listen();
    let checked = check_contracts(&file, locale)?;
    let mut report = ImportReport::default();
    let refuse = !checked.bad.is_empty() && !skip_bad;
    if !refuse {
        let store = crate::store::open_and_migrate(config).await?;
        let written = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let progress = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(checked.good)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let ticker = {
            let (written, progress) = (written.clone(), progress.clone());
            tokio::spawn(async move {
                loop {
                    progress.set_position(written.load(std::sync::atomic::Ordering::Relaxed));
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            })
        };
        let outcome = tokio::select! {
            outcome = write_contracts(&file, locale, &checked, store.as_ref(), &written, config) => Some(outcome),
            signal = stop.next() => {
                tracing::debug!(signal, "import interrupted");
                None
            }
        };
        ticker.abort();
        progress.finish_and_clear();
        store.close().await;
        match outcome {
            Some(counts) => {
                let counts = counts?;
                report.inserted = counts.inserted;
                report.updated = counts.updated;
                report.unchanged = counts.unchanged;
            }
            None => {
                // The transaction was dropped unfinished: rolled back, nothing changed.
                return Err(Failure::runtime(
                    Msg::new("ops-import-interrupted")
                        .arg("file", file.display().to_string())
                        .num(
                            "done",
                            written.load(std::sync::atomic::Ordering::Relaxed) as i64,
                        )
                        .num("total", checked.good as i64)
                        .render(locale),
                ));
            }
        }
    }
    report.bad = checked.bad;
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
