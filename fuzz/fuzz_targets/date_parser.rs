//! The date parser (dates in questions: `2026年12月10日`, `12/10`, `December 10, 2026`, ...)
//! on any text: a valid date or none, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(date) = partnerdesk_knowledge::extract_date(&text) {
        // A date that formats and reparses is a real calendar date.
        let shown = date.format("%Y-%m-%d").to_string();
        assert!(
            chrono::NaiveDate::parse_from_str(&shown, "%Y-%m-%d").is_ok(),
            "{shown}"
        );
    }
});
