//! Generates `include/xerial.h` from `src/ffi` with cbindgen.
//!
//! The header is committed. On a developer's machine it is rewritten when its bytes change (no
//! rebuild churn); under `CI` it is left alone, so that `tests/header.rs` (which generates it
//! afresh and compares) fails when the committed header is stale.

use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(config) => config,
        Err(e) => panic!("cbindgen.toml: {e}"),
    };
    let bindings = match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        Ok(bindings) => bindings,
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    };
    let out = std::env::var("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join("xerial.h");
    bindings.write_to_file(&out);
    let generated = std::fs::read(&out).unwrap_or_default();
    let committed_path = crate_dir.join("include").join("xerial.h");
    println!("cargo:rerun-if-env-changed=CI");
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    if !in_ci && std::fs::read(&committed_path).ok().as_deref() != Some(generated.as_slice()) {
        if let Err(e) = std::fs::write(&committed_path, &generated) {
            println!(
                "cargo:warning=could not write {}: {e}",
                committed_path.display()
            );
        }
    }
}
