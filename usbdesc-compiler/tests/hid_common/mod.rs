//! Helpers for the HID integration tests: corpus location and hex files.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

/// `shared/corpus`: `$USBDESC_CORPUS`, else the first ancestor of this crate holding `shared/corpus`.
pub fn corpus_dir() -> PathBuf {
    if let Ok(p) = std::env::var("USBDESC_CORPUS") {
        return PathBuf::from(p);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for a in here.ancestors() {
        let c = a.join("shared/corpus");
        if c.is_dir() {
            return c;
        }
    }
    here.join("../../shared/corpus")
}

/// Parse a `.hex` file: `#` comment lines, then hex bytes separated by whitespace.
pub fn read_hex_file(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .map(|b| u8::from_str_radix(b, 16).unwrap_or_else(|e| panic!("{}: bad hex {b:?}: {e}", path.display())))
        .collect()
}

/// All corpus HID descriptors, sorted by name. Panics loudly if the corpus is missing.
pub fn corpus_hid_files() -> Vec<PathBuf> {
    let dir = corpus_dir().join("hid");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus not found at {} ({e}); set USBDESC_CORPUS", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "hex"))
        .collect();
    v.sort();
    v
}

/// Parse a standalone report document (top-level `[report]`).
pub fn parse_report_doc(
    text: &str,
    d: &mut usbdesc_compiler::diag::Diagnostics,
) -> Option<usbdesc_compiler::hid::ReportDescriptor> {
    use usbdesc_compiler::tomlr;
    let doc = match tomlr::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            d.push(e);
            return None;
        }
    };
    let root = tomlr::Table::root(&doc);
    let report = root.require("report", d)?.table(d)?;
    let r = usbdesc_compiler::hid::ReportDescriptor::from_toml(&report, d);
    root.finish(&["report"], d);
    r
}
