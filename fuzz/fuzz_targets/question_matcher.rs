//! The question matcher on any text: a classification with a confidence in [0, 1] and the
//! extracted date and hints, never a panic, whatever the length or script.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use partnerdesk_knowledge::Matcher;

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(Matcher::new)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = matcher().analyze(&text);
    let confidence = analysis.classification.confidence;
    assert!((0.0..=1.0).contains(&confidence), "{confidence}");
});
