//! Shared helpers for the core crate's tests; corpus location and `.hex` reading come from the
//! workspace's one test-support library (`usbdesc-tests`, tests/common/mod.rs).
#![allow(dead_code, unused_imports)]
pub use usbdesc_tests::{corpus_dir, examples_dir, read_hex_file as read_hex};

/// The bytes of the corpus configuration blob whose file name starts with `prefix` ("044-").
pub fn config_blob(prefix: &str) -> Vec<u8> {
    let dir = corpus_dir().join("config");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no corpus/config/{prefix}*"));
    read_hex(&path)
}

/// Corpus blob `prefix` decoded, printed as TOML and compiled back: the bytes must be the same.
/// Returns the decoded device and its TOML.
pub fn config_round_trip(prefix: &str) -> (usbdesc_compiler::model::Device, String) {
    use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};
    let bytes = config_blob(prefix);
    let dev = decode_blob(&bytes).unwrap();
    let text = to_toml(&dev);
    let c = compile_str(prefix, &text);
    let rendered = c.render();
    let back = c.device.unwrap_or_else(|| panic!("{rendered}\n{text}"));
    assert_eq!(encode::blob(&back), bytes, "{text}");
    (dev, text)
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ")
}

/// Bytes as a hex dump, 16 per line, for snapshots.
pub fn hex_lines(b: &[u8]) -> String {
    usbdesc_compiler::input::hex_lines(b).trim_end().to_string()
}

/// The files of `tests/fixtures/<dir>` ending in `.<ext>`, sorted.
pub fn fixture_files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    files_in(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir), ext)
}

/// The corpus configuration blobs (`corpus/config/*.hex`), sorted.
pub fn config_files() -> Vec<std::path::PathBuf> {
    files_in(&corpus_dir().join("config"), "hex")
}

fn files_in(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.retain(|p| p.extension().is_some_and(|x| x == ext));
    v.sort();
    v
}
