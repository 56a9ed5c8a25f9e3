//! The layout rule of ARCHITECTURE.md, checked: no two source files of the workspace reach each
//! other through `crate::…`, `super::…`, `self::…` or `$crate::…` paths (or, in a folder's
//! `mod.rs`/`lib.rs`, through a path that starts with one of its child modules). A path counts
//! for the file of its longest module prefix, so `crate::store::Store` lands on `store/mod.rs`
//! even when that file only re-exports it. Test modules (`#[cfg(test)] mod … { … }`) don't count.
//!
//! `cargo test --test layout -- --nocapture` prints every file's outgoing edges on failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's crates: name and source root, relative to the repository.
const CRATES: &[(&str, &str)] = &[
    ("partnerdesk", "src"),
    ("partnerdesk-domain", "crates/domain/src"),
    ("partnerdesk-knowledge", "crates/knowledge/src"),
];

type ModulePath = Vec<String>;

/// Every `.rs` file under `root`, by module path (`store/mod.rs` → `["store"]`).
fn modules(root: &Path) -> BTreeMap<ModulePath, PathBuf> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under root");
                let mut segments: Vec<String> = relative
                    .with_extension("")
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    segments.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    segments.pop();
                }
                found.insert(segments, path);
            }
        }
    }
    found
}

/// The source without line comments and without `#[cfg(test)] mod name { … }` blocks.
fn without_tests_and_comments(source: &str) -> String {
    let uncommented: String = source
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut kept = String::with_capacity(uncommented.len());
    let mut rest = uncommented.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..at]);
        let after = rest[at + "#[cfg(test)]".len()..].trim_start();
        let is_module = after.starts_with("mod ") || after.starts_with("pub mod ");
        match (is_module, after.find('{'), after.find(';')) {
            (true, Some(open), semicolon) if semicolon.is_none_or(|s| s > open) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after.char_indices().skip(open) {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    kept.push_str(rest);
    kept
}

/// Splits `a, b::{c, d}` at top-level commas.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Every path a `use` tree names: `crate::a::{b, c::d}` → `crate::a::b`, `crate::a::c::d`.
fn use_paths(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    for part in split_top_level(tree) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let segments = |text: &str| -> Vec<String> {
            text.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        match (part.find('{'), part.rfind('}')) {
            (Some(open), Some(close)) if close > open => {
                let mut inner_prefix = prefix.to_vec();
                inner_prefix.extend(segments(&part[..open]));
                use_paths(&inner_prefix, &part[open + 1..close], out);
            }
            _ => {
                let name = part.split(" as ").next().unwrap_or(part);
                let mut path = prefix.to_vec();
                path.extend(segments(name));
                out.push(path);
            }
        }
    }
}

/// Every `ident::ident…` path in the source, and every path of its `use` trees.
fn paths(source: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("use ") {
        let boundary = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &rest[at + 4..];
        match after.find(';') {
            Some(end) if boundary => {
                use_paths(&[], &after[..end], &mut found);
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    let bytes: Vec<char> = source.chars().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) && (i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == ':')) {
            let mut segments = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < bytes.len() && is_ident(bytes[j]) {
                    j += 1;
                }
                segments.push(bytes[start..j].iter().collect::<String>());
                if j + 2 < bytes.len()
                    && bytes[j] == ':'
                    && bytes[j + 1] == ':'
                    && is_ident(bytes[j + 2])
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if segments.len() > 1 {
                found.push(segments);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// The files each file reaches directly, by module path.
fn edges(files: &BTreeMap<ModulePath, PathBuf>) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let mut graph = BTreeMap::new();
    for (module, file) in files {
        let source = std::fs::read_to_string(file).expect("source file");
        let mut targets = BTreeSet::new();
        for path in paths(&without_tests_and_comments(&source)) {
            let (mut base, rest): (Vec<String>, &[String]) = match path[0].as_str() {
                "crate" => (Vec::new(), &path[1..]),
                "self" => (module.clone(), &path[1..]),
                "super" => {
                    let mut base = module.clone();
                    let mut k = 0;
                    while k < path.len() && path[k] == "super" {
                        base.pop();
                        k += 1;
                    }
                    (base, &path[k..])
                }
                child => {
                    let mut candidate = module.clone();
                    candidate.push(child.to_string());
                    if !files.contains_key(&candidate) {
                        continue;
                    }
                    (module.clone(), &path[..])
                }
            };
            base.extend(rest.iter().cloned());
            let target = (0..=base.len())
                .rev()
                .map(|n| base[..n].to_vec())
                .find(|prefix| files.contains_key(prefix));
            if let Some(target) = target.filter(|t| t != module) {
                targets.insert(target);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// Groups of two or more files that all reach each other (Tarjan's strongly connected
/// components).
fn circles(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'g ModulePath, usize>,
        low: BTreeMap<&'g ModulePath, usize>,
        stack: Vec<&'g ModulePath>,
        on_stack: BTreeSet<&'g ModulePath>,
        found: Vec<Vec<ModulePath>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g ModulePath) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn circles_under(root: &Path) -> Vec<Vec<String>> {
    let files = modules(root);
    let graph = edges(&files);
    circles(&graph)
        .into_iter()
        .map(|group| {
            group
                .iter()
                .map(|m| {
                    files[m]
                        .strip_prefix(root)
                        .unwrap_or(&files[m])
                        .display()
                        .to_string()
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_two_files_of_the_workspace_import_each_other() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut report = Vec::new();
    for (name, root) in CRATES {
        for group in circles_under(&repo.join(root)) {
            report.push(format!("{name}: {}", group.join(" ↔ ")));
        }
    }
    assert!(
        report.is_empty(),
        "import circles (see ARCHITECTURE.md, \"Layers\"):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_check_finds_a_circle_through_a_re_export_and_ignores_test_modules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("folder");
        std::fs::write(full, text).expect("write");
    };
    write("lib.rs", "pub mod a;\npub mod b;\n");
    write("a/mod.rs", "mod port;\npub use port::Port;\n");
    write("a/port.rs", "pub trait Port {}\n");
    write(
        "b.rs",
        "use crate::a::port::Port;\n#[cfg(test)]\nmod tests {\n    use crate::c::X;\n}\n",
    );
    assert!(circles_under(dir.path()).is_empty(), "no circle yet");

    // port.rs now reaches b.rs, and b.rs reaches port.rs: a circle.
    write(
        "a/port.rs",
        "pub trait Port { fn f(&self) -> crate::b::Thing; }\n",
    );
    assert_eq!(
        circles_under(dir.path()),
        vec![vec!["a/port.rs".to_string(), "b.rs".to_string()]]
    );

    // A child that names its parent folder's mod.rs, which re-exports the child: a circle.
    write("a/port.rs", "use super::Port as _;\npub trait Port {}\n");
    write("b.rs", "pub struct Thing;\n");
    assert_eq!(
        circles_under(dir.path()),
        vec![vec!["a/mod.rs".to_string(), "a/port.rs".to_string()]]
    );
}
