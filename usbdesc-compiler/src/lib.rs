//! usbdesc core: one descriptor model shared by the TOML front end, the `#[hid_report]` macro,
//! the blob decoder, the checks, the single encoder and the text generators.
//!
//! Nothing here depends on proc-macro crates; `usbdesc-macros`, `usbdesc-cli` and build scripts all
//! call into this crate.
//!
//! Entry points: [`compile_str`] (TOML text → checked [`model::Device`]), [`encode`] (model → bytes),
//! [`decode::decode_blob`] (bytes → model) and [`emit::toml::to_toml`] (model → TOML).

pub mod diag;
pub mod tomlr;
pub mod hid;

pub mod build;
pub mod bos;
pub mod builtin;
pub mod class;
pub mod check;
pub mod decode;
pub mod emit;
pub mod encode;
pub mod frontend;
pub mod input;
pub mod model;
pub mod names;
pub mod numbering;
pub mod profile;
pub mod schema;
pub mod selfcheck;
pub mod speed;
pub mod tables;

use diag::{Diagnostics, Source};

/// The result of compiling one TOML device file.
#[derive(Debug)]
pub struct Compiled {
    /// The checked model; `None` when errors prevent building (warnings do not).
    pub device: Option<model::Device>,
    pub diagnostics: Diagnostics,
    pub source: Source,
}

impl Compiled {
    /// All diagnostics rendered rustc-style (`file:line:col: error[CODE]: ...`).
    pub fn render(&self) -> String {
        diag::render_all(&self.diagnostics, &self.source)
    }
}

/// Compile a TOML device description: parse, number, check.
pub fn compile_str(name: &str, text: &str) -> Compiled {
    let source = Source::new(name, text);
    let mut d = Diagnostics::new();
    let doc = match tomlr::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            d.push(e);
            return Compiled { device: None, diagnostics: d, source };
        }
    };
    let root = tomlr::Table::root(&doc);
    let dev = frontend::toml::read(&root, &mut d);
    if d.has_errors() {
        return Compiled { device: None, diagnostics: d, source };
    }
    check::run(&dev, &mut d);
    let d = check::apply_allow(&dev.allow, d);
    let device = (!d.has_errors()).then_some(dev);
    Compiled { device, diagnostics: d, source }
}

/// Compile a file from disk (name = its path).
pub fn compile_file(path: &std::path::Path) -> std::io::Result<Compiled> {
    let text = std::fs::read_to_string(path)?;
    Ok(compile_str(&path.display().to_string(), &text))
}
