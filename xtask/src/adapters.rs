//! ADAPTERS: the usbdesc side of measurements 3 and 4, kept here so the lead can wire them after
//! merging without touching the measuring code. (Measurement 1 reads `firmware/keyboard`;
//! measurement 2's adapter is `bench/pack/src/usbdesc_adapter.rs`.)

/// 3. Corpus throughput: decode + lint of one corpus descriptor with the core library.
pub mod corpus {
    use usbdesc_compiler::diag::Diagnostics;
    use usbdesc_compiler::hid::{AttachContext, ReportDescriptor};

    /// Flip to `true` once `hid::ReportDescriptor::decode` and `check` are the real thing (not the
    /// stub). While `false` the run still goes through the whole pipeline, but BENCHMARKS.md says
    /// "pending" instead of quoting the stub's figure.
    pub const READY: bool = true;

    /// What one descriptor gave.
    pub struct Outcome {
        pub decoded: bool,
        pub diagnostics: usize,
    }

    /// Decodes `bytes` and runs every HID lint on the result.
    pub fn decode_and_lint(bytes: &[u8]) -> Outcome {
        match ReportDescriptor::decode(bytes) {
            Ok(rd) => {
                let mut d = Diagnostics::new();
                rd.check(&AttachContext::default(), &mut d);
                Outcome {
                    decoded: true,
                    diagnostics: d.iter().count(),
                }
            }
            Err(_) => Outcome {
                decoded: false,
                diagnostics: 1,
            },
        }
    }
}

/// 4. Macro compile cost: the `#[hid_report]` side of the generated 50-report crate.
pub mod hid_report {
    use crate::macros::ReportSpec;
    use std::path::Path;

    /// Flip to `true` once `render` below emits real `#[hid_report]` structs.
    pub const READY: bool = false;

    /// `[dependencies]` lines of the generated crate. `root` is the repository root.
    pub fn dependencies(root: &Path) -> String {
        format!(
            "usbdesc-runtime = {{ path = {:?} }}\n",
            root.join("usbdesc-runtime").display().to_string()
        )
    }

    /// Lines at the top of the generated lib.rs.
    pub const PRELUDE: &str = "use usbdesc_runtime as _;\n";

    /// One report struct declared with `#[hid_report]`, equivalent to the usbd-hid rendering in
    /// `macros::render_usbd_hid` (same fields, types, usages and directions; see `ReportSpec`).
    /// Pending: returns `None` and the usbdesc crate is not built.
    pub fn render(_spec: &ReportSpec) -> Option<String> {
        None
    }
}
