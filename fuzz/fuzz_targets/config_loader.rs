//! The configuration loader on any file and environment: the input is a TOML file, optionally
//! preceded by `PARTNERDESK_...=value` lines and a `---` line that become the environment. It
//! loads, or refuses with one line naming the problem, never a panic; and what it accepts
//! passes validation again (no value slips through that a later check would refuse).
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerdesk::config::Config;
use partnerdesk::i18n::Locale;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (env_part, file_part) = match text.split_once("\n---\n") {
        Some((env, file)) => (env, file),
        None => ("", text.as_ref()),
    };
    let env: Vec<(String, String)> = env_part
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    // One file per process, rewritten for each input.
    let path = std::env::temp_dir().join(format!("partnerdesk-fuzz-{}.toml", std::process::id()));
    if std::fs::write(&path, file_part.as_bytes()).is_err() {
        return;
    }
    match Config::load(Some(&path), env) {
        Ok(config) => assert!(config.validate().is_ok()),
        Err(e) => {
            let line = e.render(Locale::En);
            assert!(!line.contains('\n'), "{line:?}");
        }
    }
});
