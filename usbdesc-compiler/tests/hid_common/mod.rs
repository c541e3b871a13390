//! Helpers for the HID integration tests: corpus location and hex files. Report documents are read
//! with `usbdesc_compiler::input::report_document` (what the CLI uses).
#![allow(dead_code, unused_imports)]
use std::path::PathBuf;

pub use usbdesc_tests::{corpus_dir, read_hex_file};

/// All corpus HID descriptors, sorted by name. Panics loudly if the corpus is missing.
pub fn corpus_hid_files() -> Vec<PathBuf> {
    usbdesc_tests::corpus_files("hid")
}
