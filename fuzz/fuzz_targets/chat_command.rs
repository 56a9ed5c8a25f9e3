//! The chat command parser (`/name sub key:value "quoted" rest`) on any text: it answers with
//! a command or a parse error, never a panic, and a parsed command's name is one word.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    if let Ok(command) = partnerdesk::chat::command::parse(&line) {
        assert!(
            !command.name.chars().any(char::is_whitespace),
            "{command:?}"
        );
    }
});
