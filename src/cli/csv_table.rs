//! Operator CSV files (contracts, companies, people) read one way: columns matched by name in
//! any order and case, a spreadsheet's byte-order mark ignored, a column named twice refused,
//! rows that hold nothing but separators skipped, and every other unreadable or ragged row kept
//! as a [`BadRow`] with its line number, so nothing is dropped silently. Rows are read one at a
//! time ([`open`], [`RowReader`]), so a million-row file is never held in memory; [`read`]
//! collects a small file's rows.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::i18n::{Locale, Msg};

/// One refused CSV row: its line in the file and why, in the operator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// What to do with a column the file format does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraColumns {
    /// Refuse the file, naming the column: for formats written by hand, where an unknown
    /// column is a misspelt known one.
    Refuse,
    /// Leave it out: for exports from other systems that carry columns of their own.
    Ignore,
}

/// The columns of a file format.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    pub known: &'a [&'a str],
    pub required: &'a [&'a str],
    pub extra: ExtraColumns,
}

/// A data row: its line number and the known columns' values, trimmed.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: HashMap<String, String>,
}

impl Row {
    /// The value of `column` when it is there and not empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.fields
            .get(column)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The rows of a file, and the rows that could not be read.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub bad: Vec<BadRow>,
}

/// A CSV file being read row by row: the header is checked when it is opened, and each data
/// row is handed out as it is read, so a file of any size costs one row of memory.
pub struct RowReader<R: Read> {
    reader: csv::Reader<R>,
    headers: Vec<String>,
    known: Vec<bool>,
    record: csv::StringRecord,
    /// The input failed (not a bad row: the file itself); nothing more can be read.
    failed: bool,
}

/// Opens `input` as a CSV file with a header row. A header that cannot be used (unreadable, a
/// required column missing, a column named twice, an unknown column under
/// [`ExtraColumns::Refuse`]) refuses the whole file.
pub fn open<R: Read>(input: R, columns: Columns<'_>) -> Result<RowReader<R>, Msg> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Msg::new("wf-import-unreadable-header").arg("error", e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let allowed = columns.known.join(", ");
    for (i, header) in headers.iter().enumerate() {
        let known = columns.known.contains(&header.as_str());
        if !known && columns.extra == ExtraColumns::Refuse {
            return Err(Msg::new("wf-import-unknown-column")
                .arg("column", crate::i18n::text::one_line(header))
                .arg("allowed", allowed));
        }
        if known && headers[..i].contains(header) {
            return Err(Msg::new("ops-import-duplicate-column").arg("column", header.clone()));
        }
    }
    for required in columns.required {
        if !headers.iter().any(|h| h == required) {
            return Err(Msg::new("wf-import-missing-column")
                .arg("column", *required)
                .arg("allowed", allowed));
        }
    }
    let known = headers
        .iter()
        .map(|h| columns.known.contains(&h.as_str()))
        .collect();
    Ok(RowReader {
        reader,
        headers,
        known,
        record: csv::StringRecord::new(),
        failed: false,
    })
}

impl<R: Read> RowReader<R> {
    /// The next data row, a row that could not be read (with its line, worded in `locale`),
    /// or `None` at the end. Rows of nothing but separators are skipped.
    pub fn next_row(&mut self, locale: Locale) -> Option<Result<Row, BadRow>> {
        if self.failed {
            return None;
        }
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    let unreadable = BadRow {
                        line,
                        reason: Msg::new("wf-import-unreadable-row")
                            .arg("error", e.to_string())
                            .render(locale),
                    };
                    // An I/O error does not move the reader on: stop instead of repeating it.
                    self.failed = matches!(e.kind(), csv::ErrorKind::Io(_));
                    return Some(Err(unreadable));
                }
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            if self.record.iter().all(str::is_empty) {
                continue;
            }
            if self.record.len() != self.headers.len() {
                return Some(Err(BadRow {
                    line,
                    reason: Msg::new("wf-import-columns")
                        .num("expected", self.headers.len() as i64)
                        .num("found", self.record.len() as i64)
                        .render(locale),
                }));
            }
            let fields = self
                .headers
                .iter()
                .zip(self.record.iter())
                .zip(&self.known)
                .filter(|(_, known)| **known)
                .map(|((header, value), _)| (header.clone(), value.to_string()))
                .collect();
            return Some(Ok(Row { line, fields }));
        }
    }

    /// Bytes read so far, for progress.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }
}

/// Reads the whole of `input` (see [`open`]): for files of a few thousand rows, whose rows
/// are checked together (companies, people).
pub fn read(input: impl Read, columns: Columns<'_>, locale: Locale) -> Result<Table, Msg> {
    let mut rows = open(input, columns)?;
    let mut table = Table::default();
    while let Some(row) = rows.next_row(locale) {
        match row {
            Ok(row) => table.rows.push(row),
            Err(bad) => table.bad.push(bad),
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["id", "name"];

    fn read_en(text: &str, extra: ExtraColumns) -> Result<Table, String> {
        let columns = Columns {
            known: KNOWN,
            required: &["id"],
            extra,
        };
        read(text.as_bytes(), columns, Locale::En).map_err(|m| m.render(Locale::En))
    }

    #[test]
    fn columns_by_name_in_any_order_and_case_with_a_bom() {
        let table = read_en("\u{feff}Name, ID\n山田,7\n", ExtraColumns::Refuse).expect("read");
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].get("id"), Some("7"));
        assert_eq!(table.rows[0].get("name"), Some("山田"));
        assert_eq!(table.rows[0].line, 2);
    }

    #[test]
    fn extra_columns_are_refused_or_left_out_as_the_format_says() {
        let text = "id,name,colour\n1,a,red\n";
        let refused = read_en(text, ExtraColumns::Refuse).expect_err("unknown column");
        assert!(refused.contains("colour"), "{refused}");
        let table = read_en(text, ExtraColumns::Ignore).expect("ignored");
        assert_eq!(table.rows[0].get("colour"), None);
        assert_eq!(table.rows[0].get("name"), Some("a"));
    }

    #[test]
    fn a_column_named_twice_or_a_missing_required_one_refuses_the_file() {
        let twice = read_en("id,name,ID\n1,a,2\n", ExtraColumns::Ignore).expect_err("twice");
        assert!(twice.contains("\"id\""), "{twice}");
        let missing = read_en("name\na\n", ExtraColumns::Ignore).expect_err("missing");
        assert!(missing.contains("id"), "{missing}");
    }

    #[test]
    fn separator_only_rows_are_skipped_and_ragged_rows_reported_with_their_line() {
        let table = read_en("id,name\n1,a\n,\n2\n3,c\n", ExtraColumns::Refuse).expect("read");
        let ids: Vec<_> = table.rows.iter().filter_map(|r| r.get("id")).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(table.bad.len(), 1);
        assert_eq!(table.bad[0].line, 4);
        assert!(table.bad[0].reason.contains('2'), "{:?}", table.bad[0]);
    }
}
