//! `import companies FILE.csv` and `import people FILE.csv`: every row is checked first; each bad
//! row is reported with its line number and reason, and nothing is imported when any row is
//! bad unless `--skip-bad`. The good rows go in one transaction, with a progress bar on a
//! terminal.
//!
//! companies.csv: `name` (required), `lang`, `icn`, `site_number`, `status`, `locations` (names
//! separated by `;`). A company whose name exists is updated and gets the missing locations.
//!
//! people.csv: `ibm_id` and `name` (required), `lang`, `time_zone`, `company` (id or exact name),
//! `location` (name or id, within the company), `role` (default `member` when a company is
//! given), `level`.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::Path;

use chrono::Utc;
use serde::Serialize;

use crate::config::Config;
use crate::error::Failure;
use crate::i18n::text::{one_line, Msg};
use crate::i18n::Locale;
use crate::store::{
    Company, CompanyImport, ImportCounts, Location, NewCompany, NewPerson, PersonImport, Role,
    Store,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::service::operator;
use crate::workflows::validate;

pub use crate::cli::csv_table::BadRow;
use crate::cli::csv_table::{self, Columns, ExtraColumns};

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Whether the good rows were written.
    pub imported: bool,
    pub rows: u64,
    #[serde(flatten)]
    pub counts: ImportCounts,
    pub bad: Vec<BadRow>,
}

const COMPANY_COLUMNS: &[&str] = &["name", "lang", "icn", "site_number", "status", "locations"];
const PEOPLE_COLUMNS: &[&str] = &[
    "ibm_id",
    "name",
    "lang",
    "time_zone",
    "company",
    "location",
    "role",
    "level",
];

/// Hand-written files: an unknown column is a misspelt known one, so it refuses the file.
fn read_table(
    input: impl Read,
    known: &[&str],
    required: &[&str],
    locale: Locale,
) -> Result<csv_table::Table, Msg> {
    let columns = Columns {
        known,
        required,
        extra: ExtraColumns::Refuse,
    };
    csv_table::read(input, columns, locale)
}

fn field<'a>(fields: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    fields
        .get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Checks a companies file; returns the good rows and the bad ones.
pub fn parse_companies(
    input: impl Read,
    locale: Locale,
) -> Result<(Vec<CompanyImport>, Vec<BadRow>), Msg> {
    let table = read_table(input, COMPANY_COLUMNS, &["name"], locale)?;
    let mut good = Vec::new();
    let mut bad = table.bad;
    let mut seen: HashMap<String, u64> = HashMap::new();
    for csv_table::Row { line, fields } in table.rows {
        match company_row(line, &fields, &mut seen) {
            Ok(row) => good.push(row),
            Err(msg) => bad.push(BadRow {
                line,
                reason: msg.render(locale),
            }),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok((good, bad))
}

fn company_row(
    line: u64,
    fields: &HashMap<String, String>,
    seen: &mut HashMap<String, u64>,
) -> Result<CompanyImport, Msg> {
    let name = validate::company_name(field(fields, "name").unwrap_or_default())?;
    if let Some(first) = seen.get(&name) {
        return Err(Msg::new("wf-import-duplicate")
            .arg("value", name.clone())
            .num("line", *first as i64));
    }
    let locale = field(fields, "lang")
        .map(validate::locale)
        .transpose()?
        .unwrap_or_default();
    let status = match field(fields, "status") {
        None => "active".to_string(),
        Some(s @ ("active" | "registering" | "rejected")) => s.to_string(),
        Some(other) => {
            return Err(Msg::new("wf-import-bad-status")
                .arg("value", one_line(other))
                .arg("allowed", "active, registering, rejected"))
        }
    };
    let number = |key: &str| -> Result<Option<String>, Msg> {
        match field(fields, key) {
            Some(v) if v.chars().any(char::is_control) || v.len() > 64 => {
                Err(Msg::new("wf-error-bad-number").arg("value", one_line(v)))
            }
            other => Ok(other.map(str::to_string)),
        }
    };
    let mut locations = Vec::new();
    for raw in field(fields, "locations").unwrap_or_default().split(';') {
        if raw.trim().is_empty() {
            continue;
        }
        let name = validate::location_name(raw)?;
        if !locations.contains(&name) {
            locations.push(name);
        }
    }
    seen.insert(name.clone(), line);
    Ok(CompanyImport {
        line,
        company: NewCompany {
            name,
            icn: number("icn")?,
            site_number: number("site_number")?,
            status,
            locale: locale.code().into(),
        },
        locations,
    })
}

/// The companies and locations a people file may refer to.
pub struct Directory {
    pub companies: Vec<Company>,
    pub locations: Vec<Location>,
}

impl Directory {
    pub async fn load(store: &dyn Store) -> Result<Self, crate::store::StoreError> {
        let companies = store.list_companies().await?;
        let mut locations = Vec::new();
        for c in &companies {
            locations.extend(store.locations(c.id).await?);
        }
        Ok(Self {
            companies,
            locations,
        })
    }

    fn company(&self, reference: &str) -> Result<&Company, Msg> {
        if let Ok(id) = reference.trim_start_matches('#').parse::<i64>() {
            if let Some(c) = self.companies.iter().find(|c| c.id == id) {
                return Ok(c);
            }
        }
        let named: Vec<&Company> = self
            .companies
            .iter()
            .filter(|c| c.name == reference)
            .collect();
        match named.as_slice() {
            [one] => Ok(one),
            [] => Err(Msg::new("wf-error-no-company").arg("value", one_line(reference))),
            _ => Err(Msg::new("wf-import-ambiguous-company").arg("value", one_line(reference))),
        }
    }

    fn location(&self, company: &Company, reference: &str) -> Result<&Location, Msg> {
        let mine = || self.locations.iter().filter(|l| l.company_id == company.id);
        if let Ok(id) = reference.trim_start_matches('#').parse::<i64>() {
            if let Some(l) = mine().find(|l| l.id == id) {
                return Ok(l);
            }
        }
        mine().find(|l| l.name == reference).ok_or_else(|| {
            Msg::new("wf-import-no-location")
                .arg("value", one_line(reference))
                .arg("company", company.name.clone())
        })
    }
}

/// Checks a people file against the companies and locations in `directory`.
pub fn parse_people(
    input: impl Read,
    directory: &Directory,
    locale: Locale,
) -> Result<(Vec<PersonImport>, Vec<BadRow>), Msg> {
    let table = read_table(input, PEOPLE_COLUMNS, &["ibm_id", "name"], locale)?;
    let mut good = Vec::new();
    let mut bad = table.bad;
    let mut seen: HashMap<String, u64> = HashMap::new();
    for csv_table::Row { line, fields } in table.rows {
        match person_row(line, &fields, directory, &mut seen) {
            Ok(row) => good.push(row),
            Err(msg) => bad.push(BadRow {
                line,
                reason: msg.render(locale),
            }),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok((good, bad))
}

fn person_row(
    line: u64,
    fields: &HashMap<String, String>,
    directory: &Directory,
    seen: &mut HashMap<String, u64>,
) -> Result<PersonImport, Msg> {
    let ibm_id = validate::ibm_id(field(fields, "ibm_id").unwrap_or_default())?;
    let name = validate::person_name(field(fields, "name").unwrap_or_default())?;
    let locale = field(fields, "lang")
        .map(validate::locale)
        .transpose()?
        .unwrap_or_default();
    let time_zone = field(fields, "time_zone").unwrap_or("Asia/Tokyo");
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Msg::new("wf-error-bad-zone").arg("value", one_line(time_zone)));
    }
    let company = field(fields, "company")
        .map(|c| directory.company(c))
        .transpose()?;
    let location = match (company, field(fields, "location")) {
        (Some(c), Some(l)) => Some(directory.location(c, l)?),
        (None, Some(_)) => return Err(Msg::new("wf-import-location-without-company")),
        _ => None,
    };
    let role = match field(fields, "role") {
        Some(raw) => Some(raw.parse::<Role>().map_err(|_| {
            Msg::new("wf-import-bad-role")
                .arg("value", one_line(raw))
                .arg(
                    "allowed",
                    Role::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
        })?),
        None => company.map(|_| Role::Member),
    };
    if let Some(role) = role {
        let needs_company = matches!(
            role,
            Role::Apa | Role::Member | Role::PrimaryContact | Role::TechnicalContact
        );
        if needs_company && company.is_none() {
            return Err(Msg::new("wf-error-role-needs-company")
                .label("role", format!("wf-role-{}", role.as_str())));
        }
        if role == Role::Admin && company.is_some() {
            return Err(Msg::new("wf-error-admin-no-company"));
        }
    }
    let level = field(fields, "level")
        .map(|raw| {
            PermissionLevel::parse(raw).ok_or_else(|| {
                Msg::new("wf-error-bad-level")
                    .arg("value", one_line(raw))
                    .arg("levels", PermissionLevel::words())
            })
        })
        .transpose()?;
    let key = format!("{ibm_id}\n{}", company.map(|c| c.id).unwrap_or(0));
    if let Some(first) = seen.get(&key) {
        return Err(Msg::new("wf-import-duplicate")
            .arg("value", ibm_id.clone())
            .num("line", *first as i64));
    }
    seen.insert(key, line);
    Ok(PersonImport {
        line,
        person: NewPerson {
            ibm_id,
            name,
            locale: locale.code().into(),
            time_zone: time_zone.into(),
        },
        company_id: company.map(|c| c.id),
        location_id: location.map(|l| l.id),
        role,
        level: level.map(|l| l.as_str().to_string()),
    })
}

fn open_file(path: &Path, locale: Locale) -> Result<std::fs::File, Failure> {
    std::fs::File::open(path).map_err(|e| {
        Failure::usage(
            Msg::new("wf-import-cannot-open")
                .arg("file", path.display().to_string())
                .arg("error", e.to_string())
                .render(locale),
        )
    })
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
    if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(len as u64)
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Prints the report and turns "bad rows without --skip-bad" into exit code 2.
fn finish(report: &ImportReport, file: &Path, json: bool, locale: Locale) -> Result<(), Failure> {
    for row in &report.bad {
        eprintln!("{}:{}: {}", file.display(), row.line, row.reason);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(report).map_err(|e| Failure::runtime(e.to_string()))?
        );
    } else {
        println!(
            "{}",
            Msg::new("wf-import-summary")
                .num("created", report.counts.created as i64)
                .num("updated", report.counts.updated as i64)
                .num("locations", report.counts.locations as i64)
                .num("roles", report.counts.roles as i64)
                .num("bad", report.bad.len() as i64)
                .render(locale)
        );
    }
    if !report.imported && !report.bad.is_empty() {
        return Err(Failure::usage(
            Msg::new("wf-import-refused")
                .num("bad", report.bad.len() as i64)
                .arg("file", file.display().to_string())
                .render(locale),
        ));
    }
    Ok(())
}

/// `import companies FILE.csv [--skip-bad] [--json]`.
pub async fn import_companies(
    config: &Config,
    file: &Path,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = super::args::cli_locale(config);
    let (good, bad) = parse_companies(open_file(file, locale)?, locale)
        .map_err(|m| Failure::usage(format!("{}: {}", file.display(), m.render(locale))))?;
    let mut report = ImportReport {
        rows: (good.len() + bad.len()) as u64,
        bad,
        ..ImportReport::default()
    };
    if report.bad.is_empty() || skip_bad {
        let store = crate::store::open_and_migrate(config).await?;
        let bar = progress_bar(good.len());
        let progress = |n: u64| bar.set_position(n);
        let result = store
            .import_companies(&good, &operator(), Utc::now(), &progress)
            .await;
        bar.finish_and_clear();
        store.close().await;
        report.counts = result?;
        report.imported = true;
    }
    finish(&report, file, json, locale)
}

/// `import people FILE.csv [--skip-bad] [--json]`.
pub async fn import_people(
    config: &Config,
    file: &Path,
    skip_bad: bool,
    json: bool,
) -> Result<(), Failure> {
    let locale = super::args::cli_locale(config);
    let input = open_file(file, locale)?;
    let store = crate::store::open_and_migrate(config).await?;
    let outcome = async {
        let directory = Directory::load(&*store).await?;
        let (good, bad) = parse_people(input, &directory, locale)
            .map_err(|m| Failure::usage(format!("{}: {}", file.display(), m.render(locale))))?;
        let mut report = ImportReport {
            rows: (good.len() + bad.len()) as u64,
            bad,
            ..ImportReport::default()
        };
        if report.bad.is_empty() || skip_bad {
            let bar = progress_bar(good.len());
            let progress = |n: u64| bar.set_position(n);
            let result = store
                .import_people(&good, &operator(), Utc::now(), &progress)
                .await;
            bar.finish_and_clear();
            report.counts = result?;
            report.imported = true;
        }
        Ok::<_, Failure>(report)
    }
    .await;
    store.close().await;
    finish(&outcome?, file, json, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies_report_each_bad_row_with_its_line() {
        let csv = "name,lang,locations\n\
                   株式会社サンプル,ja,東京本社;大阪支店\n\
                   \"Evil\r\nBcc: x@example.com\",en,\n\
                   Example Inc.,fr,\n\
                   株式会社サンプル,ja,\n\
                   Good Co.,en,HQ\n";
        let (good, bad) = parse_companies(csv.as_bytes(), Locale::En).expect("parsed");
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].locations, vec!["東京本社", "大阪支店"]);
        let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 5, 6], "{bad:?}");
        assert!(bad[0].reason.contains("line break"), "{}", bad[0].reason);
        assert!(bad[1].reason.contains("fr"), "{}", bad[1].reason);
        assert!(bad[2].reason.contains("line 2"), "{}", bad[2].reason);
    }

    #[test]
    fn unknown_columns_refuse_the_file() {
        let err =
            parse_companies("name,colour\nA,red\n".as_bytes(), Locale::En).expect_err("refused");
        assert_eq!(err.id, "wf-import-unknown-column");
        let err = parse_companies("lang\nja\n".as_bytes(), Locale::Ja).expect_err("refused");
        assert_eq!(err.id, "wf-import-missing-column");
    }
}
