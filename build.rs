//! Embeds every `locales/<lang>/*.ftl` file in the binary, so adding a file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    // sqlx::migrate! embeds migrations/ at compile time; a new file must rebuild the crate.
    println!("cargo:rerun-if-changed=migrations");
    // Read at run time: a build script binary reused from another checkout must still embed
    // this checkout's files.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("locales");
    let mut entries = Vec::new();
    for lang in ["ja", "en"] {
        let dir = root.join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|it| it.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "ftl"));
        files.sort();
        for path in files {
            println!("cargo:rerun-if-changed={}", path.display());
            entries.push((lang, path));
        }
    }
    let mut code = String::from("/// (language, file name, Fluent source) of every embedded locale file.\npub static FTL_FILES: &[(&str, &str, &str)] = &[\n");
    for (lang, path) in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({lang:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(out, code).expect("write locales.rs");
}
