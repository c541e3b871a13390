//! The TOML device pipeline of `include_device!` and build scripts: TOML text → checked device
//! ([`crate::compile_str`]) → Rust items ([`crate::emit::rust::device_module`]).

use crate::emit::rust::{device_module, Options};

/// Compile TOML text to Rust items ([`device_module`]); on errors, the rendered diagnostics
/// (`file:line:col: error[CODE]: ...` with the source snippet).
pub fn toml_to_rust(name: &str, text: &str, o: &Options) -> Result<String, String> {
    let c = crate::compile_str(name, text);
    match &c.device {
        Some(dev) => Ok(device_module(dev, o)),
        None => Err(c.render()),
    }
}
