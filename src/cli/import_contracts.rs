//! `import contracts FILE.csv`: the sales reps' renewal pipeline. Every row is checked first
//! (one bad row refuses the file unless `--skip-bad`), then the good rows are written in chunks
//! with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;

use super::args::cli_locale;
use super::csv_table::{self, Columns, ExtraColumns, Row};
use super::output::json_line;
use crate::config::Config;
use crate::error::Failure;
use crate::i18n::rules_text;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{NewContract, UpsertOutcome};
use partnerdesk_knowledge::DateError;

pub use super::csv_table::BadRow;

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub bad: Vec<BadRow>,
}

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

/// Reads and validates a contracts CSV: good rows, and each bad row with its line and reason
/// (in `locale`).
pub fn read_contracts(
    path: &Path,
    locale: Locale,
) -> Result<(Vec<NewContract>, Vec<BadRow>), Failure> {
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
        required: &CONTRACT_COLUMNS,
        extra: ExtraColumns::Ignore,
    };
    let table = csv_table::read(std::io::BufReader::new(input), columns, locale)
        .map_err(|msg| Failure::usage(format!("{file}: {}", msg.render(locale))))?;
    let mut good = Vec::new();
    let mut bad = table.bad;
    // A contract named twice in one file: the first row counts, the repeat is reported.
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for row in &table.rows {
        match contract_from_row(row) {
            Ok(c) => {
                if let Some(first) = seen.get(&c.id) {
                    bad.push(BadRow {
                        line: row.line,
                        reason: Msg::new("wf-import-duplicate")
                            .arg("value", c.id.clone())
                            .num("line", *first as i64)
                            .render(locale),
                    });
                    continue;
                }
                seen.insert(c.id.clone(), row.line);
                good.push(c);
            }
            Err(msg) => bad.push(BadRow {
                line: row.line,
                reason: msg.render(locale),
            }),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok((good, bad))
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
    let lang = required(6)?;
    if !matches!(lang.as_str(), "ja" | "en") {
        return Err(Msg::new("ops-import-bad-lang").arg("value", lang));
    }
    let tz = required(7)?;
    partnerdesk_domain::parse_zone(&tz)
        .map_err(|_| Msg::new("ops-import-bad-zone").arg("value", tz.clone()))?;
    Ok(NewContract {
        id: required(0)?,
        company: required(1)?,
        product: required(2)?,
        renewal_date,
        sales_rep_email: email.to_lowercase(),
        sales_rep_name: required(5)?,
        sales_rep_lang: lang,
        sales_rep_tz: tz,
    })
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
pub async fn import_contracts(
    config: &Config,
    file: PathBuf,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = cli_locale(config);
    let (good, bad) = read_contracts(&file, locale)?;
    let mut report = ImportReport {
        bad,
        ..ImportReport::default()
    };
    let refuse = !report.bad.is_empty() && !skip_bad;
    if !refuse {
        let store = crate::store::open_and_migrate(config).await?;
        let progress = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(good.len() as u64)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let now = Utc::now();
        for chunk in good.chunks(1_000) {
            for outcome in store.upsert_contracts(chunk, now).await? {
                match outcome {
                    UpsertOutcome::Inserted => report.inserted += 1,
                    UpsertOutcome::Updated => report.updated += 1,
                    UpsertOutcome::Unchanged => report.unchanged += 1,
                }
            }
            progress.inc(chunk.len() as u64);
        }
        progress.finish_and_clear();
        store.close().await;
    }
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
