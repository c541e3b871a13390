//! Build-script API: compile a TOML device into `$OUT_DIR` and `include!` it.
//!
//! ```ignore
//! // build.rs
//! fn main() { usbdesc_compiler::build::compile_to_out_dir("usb.toml").unwrap(); }
//! // src/main.rs
//! mod usb { include!(concat!(env!("OUT_DIR"), "/usb.rs")); }
//! ```

use std::path::{Path, PathBuf};

/// Compile `path` (relative to `CARGO_MANIFEST_DIR`) to `$OUT_DIR/<file stem>.rs` and tell cargo
/// to rerun when it changes. Errors are the rendered diagnostics (file:line:col) or the I/O error.
pub fn compile_to_out_dir(path: impl AsRef<Path>) -> Result<PathBuf, String> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let out_dir = std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or("OUT_DIR is not set (call this from build.rs)")?;
    let src = manifest.join(path.as_ref());
    println!("cargo:rerun-if-changed={}", src.display());
    let out = out_dir.join(format!(
        "{}.rs",
        src.file_stem().and_then(|s| s.to_str()).unwrap_or("usb")
    ));
    compile_to(&src, &out)?;
    Ok(out)
}

/// Compile the TOML device at `src` to Rust items in `out`.
pub fn compile_to(src: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let code = crate::pipeline::device::toml_to_rust(&src.display().to_string(), &text, &Default::default())?;
    std::fs::write(out, code).map_err(|e| format!("{}: {e}", out.display()))
}
