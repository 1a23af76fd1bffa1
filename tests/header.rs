//! The committed header is what cbindgen makes of the code today, every export sits behind the
//! panic guard, and every exported function is documented (threads included).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_header_matches_a_fresh_generation() {
    let config = cbindgen::Config::from_file(root().join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(root())
        .with_config(config)
        .generate()
        .expect("generate");
    let mut fresh = Vec::new();
    bindings.write(&mut fresh);
    let committed = std::fs::read(root().join("include/xerial.h")).expect("include/xerial.h");
    assert!(
        fresh == committed,
        "include/xerial.h is stale: run `cargo build` and commit the regenerated header"
    );
}

/// `(name, body)` of every `extern "C"` function in the FFI sources.
fn exported_functions() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join("src/ffi")).expect("src/ffi") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let parts: Vec<&str> = text.split("#[no_mangle]").collect();
        for part in &parts[1..] {
            let name = part
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split('(').next())
                .expect("a function after #[no_mangle]");
            found.push((name.trim().to_owned(), part.to_string()));
        }
    }
    found
}

#[test]
fn every_export_runs_inside_the_panic_guard() {
    let exports = exported_functions();
    assert!(exports.len() >= 14, "found only {}", exports.len());
    for (name, body) in exports {
        assert!(
            name.starts_with("xerial_"),
            "{name} lacks the xerial_ prefix"
        );
        assert!(
            body.contains(&format!("guard(\"{name}\"")),
            "{name} does not run its body inside super::guard(\"{name}\", …)"
        );
    }
}

#[test]
fn every_header_function_is_documented_with_its_thread() {
    let header = std::fs::read_to_string(root().join("include/xerial.h")).expect("header");
    let lines: Vec<&str> = header.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(start) = line.find("xerial_") else {
            continue;
        };
        if line.starts_with("//")
            || line.starts_with(' ')
            || !line.contains('(')
            || !line.ends_with(';')
        {
            continue;
        }
        let name: String = line[start..].chars().take_while(|c| *c != '(').collect();
        let doc: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("//"))
            .copied()
            .collect();
        assert!(!doc.is_empty(), "{name} has no doc comment in the header");
        let doc = doc.join(" ");
        assert!(
            doc.contains("thread"),
            "{name}'s doc does not say on which thread it may be called"
        );
        checked += 1;
    }
    assert!(checked >= 14, "checked only {checked} functions");
}
