//! [`compile_str`]: TOML device text → checked model, with its diagnostics.

use crate::diag::{self, Diagnostics, Source};
use crate::{check, frontend, model, tomlr};

/// The result of compiling one TOML device file.
#[derive(Debug)]
pub struct Compiled {
    /// The checked model; `None` when errors prevent building (warnings do not).
    pub device: Option<model::Device>,
    pub diagnostics: Diagnostics,
    pub source: Source,
}

impl Compiled {
    /// All diagnostics rendered rustc-style (`file:line:col: error[CODE]: ...`), with source
    /// snippets when feature `render` is on ([`diag::render_all`]).
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
