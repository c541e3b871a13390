//! Test support shared by every crate's tests (and the root package's integration tests in
//! `tests/`): where the corpus is, and its `.hex` files. The hex format is read by the core's
//! one parser (`usbdesc_compiler::input::hex_text_bytes`), the same one `usbdesc` uses.
pub mod fuzz;
pub mod hostile;

use std::path::{Path, PathBuf};

/// Root of the repository.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus (`tests/corpus/` of this repository: real HID report descriptors, configuration
/// blobs, their index and the oracle scripts the tests run; see its README for sources and licences).
pub fn corpus_dir() -> PathBuf {
    repo_root().join("tests/corpus")
}

/// The `.hex` files of a corpus folder (`"hid"`, `"config"`, ...), sorted by name.
pub fn corpus_files(sub: &str) -> Vec<PathBuf> {
    hex_files(&corpus_dir().join(sub))
}

/// The `.hex` files of `dir`, sorted by name.
pub fn hex_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "hex"))
        .collect();
    v.sort();
    v
}

/// The bytes of a corpus `.hex` file (`#` comment lines, then hex bytes).
pub fn read_hex_file(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    usbdesc_compiler::input::hex_text_bytes(&text).unwrap_or_else(|| panic!("{}: not hex text", path.display()))
}

/// The examples folder (`examples/*.toml`).
pub fn examples_dir() -> PathBuf {
    repo_root().join("examples")
}

/// The corpus file holding HID 1.11 Appendix B.1 (= E.6), the boot keyboard report descriptor.
pub const HID_SPEC_BOOT_KEYBOARD: &str = "hid/0709-hid-1-11-boot-keyboard-example.hex";

/// The 63 bytes of HID 1.11 Appendix B.1 (boot keyboard), from the corpus: the one copy every test
/// compares against.
pub fn hid_spec_boot_keyboard() -> Vec<u8> {
    let bytes = read_hex_file(&corpus_dir().join(HID_SPEC_BOOT_KEYBOARD));
    assert_eq!(bytes.len(), 63, "{HID_SPEC_BOOT_KEYBOARD}: HID 1.11 B.1 is 63 bytes");
    bytes
}
pub mod hid_verdicts;
