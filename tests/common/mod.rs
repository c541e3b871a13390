//! Helpers shared by the integration tests in `tests/`.
use std::path::PathBuf;

/// Root of the repository.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus` beside the checkout (CI clones with `shared/` next to it).
pub fn corpus_dir() -> PathBuf {
    if let Ok(p) = std::env::var("USBDESC_CORPUS") {
        return PathBuf::from(p);
    }
    repo_root().join("../shared/corpus")
}

/// Parse a corpus `.hex` file: `#` comment lines, then hex bytes separated by whitespace.
pub fn read_hex_file(path: &std::path::Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .map(|b| u8::from_str_radix(b, 16).unwrap_or_else(|e| panic!("{}: bad hex {b:?}: {e}", path.display())))
        .collect()
}
