//! The operators' CSV reader (contracts, companies, people) on any bytes: the file is refused
//! with a reason, or read into rows and bad rows that each name their line and reason.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerdesk::cli::csv_table::{self, Columns, ExtraColumns};
use partnerdesk::i18n::Locale;

const KNOWN: &[&str] = &["contract_id", "company", "renewal_date", "sales_rep_email"];

fuzz_target!(|data: &[u8]| {
    let extra = if data.first().is_some_and(|b| b % 2 == 0) {
        ExtraColumns::Refuse
    } else {
        ExtraColumns::Ignore
    };
    let columns = Columns {
        known: KNOWN,
        required: &KNOWN[..2],
        extra,
    };
    match csv_table::read(data, columns, Locale::En) {
        Ok(table) => {
            for bad in &table.bad {
                assert!(!bad.reason.is_empty());
            }
            for row in &table.rows {
                assert!(row.fields.keys().all(|k| KNOWN.contains(&k.as_str())));
            }
        }
        Err(message) => assert!(!message.render(Locale::En).is_empty()),
    }
});
