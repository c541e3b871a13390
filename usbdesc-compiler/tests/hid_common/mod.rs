//! Helpers for the HID integration tests: corpus location and hex files.
#![allow(dead_code, unused_imports)]
use std::path::PathBuf;

pub use usbdesc_tests::{corpus_dir, read_hex_file};

/// All corpus HID descriptors, sorted by name. Panics loudly if the corpus is missing.
pub fn corpus_hid_files() -> Vec<PathBuf> {
    usbdesc_tests::corpus_files("hid")
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
