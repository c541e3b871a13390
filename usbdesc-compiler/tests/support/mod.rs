//! Shared helpers for the core crate's tests.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

/// The shared corpus: `$USBDESC_CORPUS`, else the first `shared/corpus` found walking up from the
/// crate (the checkout sits beside or below `shared/`).
pub fn corpus_dir() -> PathBuf {
    if let Ok(p) = std::env::var("USBDESC_CORPUS") {
        return PathBuf::from(p);
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for a in here.ancestors() {
        let c = a.join("shared/corpus");
        if c.join("config").is_dir() {
            return c;
        }
    }
    panic!("corpus not found above {}; set USBDESC_CORPUS", here.display());
}

/// `#` comment lines, then hex bytes separated by whitespace.
pub fn read_hex(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .map(|b| u8::from_str_radix(b, 16).unwrap_or_else(|e| panic!("{}: bad hex {b:?}: {e}", path.display())))
        .collect()
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ")
}

/// Bytes as a hex dump, 16 per line, for snapshots.
pub fn hex_lines(b: &[u8]) -> String {
    b.chunks(16).map(hex).collect::<Vec<_>>().join("\n")
}

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}
