//! The usbdesc side of measurements 3 and 4. (Measurement 1 builds `firmware/keyboard`;
//! measurement 2's usbdesc side is `bench/pack/src/usbdesc_adapter.rs`.)

/// 3. Corpus throughput: decode + lint of one corpus descriptor with the core library.
pub mod corpus {
    use usbdesc_compiler::diag::Diagnostics;
    use usbdesc_compiler::hid::{AttachContext, ReportDescriptor};

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
    use crate::macros::{ReportSpec, Usage};
    use std::fmt::Write as _;
    use std::path::Path;

    /// `[dependencies]` lines of the generated crate. `root` is the repository root. The runtime's
    /// default `macros` feature re-exports `#[hid_report]`.
    pub fn dependencies(root: &Path) -> String {
        format!(
            "usbdesc-runtime = {{ path = {:?} }}\n",
            root.join("usbdesc-runtime").display().to_string()
        )
    }

    /// Lines at the top of the generated lib.rs.
    pub const PRELUDE: &str = "#![no_std]\nuse usbdesc_runtime::hid_report;\n";

    /// One report struct declared with `#[hid_report]`, equivalent to the usbd-hid rendering in
    /// `macros::render_usbd_hid`: same fields, usages, directions and Rust types; the `n` buttons
    /// are one `u8` of packed bits (`bits = 1, count = n`, usbd-hid: `#[packed_bits = n]`)
    /// followed by `8 - n` padding bits.
    pub fn render(spec: &ReportSpec) -> String {
        let mut s = format!(
            "#[hid_report(usage_page = 0x01, usage = {:#04x})]\npub struct {} {{\n",
            spec.app_usage, spec.name
        );
        for f in &spec.fields {
            let dir = if f.output { "output" } else { "input" };
            match f.usage {
                Usage::Buttons(n) => {
                    let _ = writeln!(
                        s,
                        "    #[{dir}(usage_page = {:#04x}, usage_min = 1, usage_max = {n}, bits = 1, count = {n})]\n    pub {}: u8,",
                        f.usage_page, f.name
                    );
                    if n < 8 {
                        let _ = writeln!(
                            s,
                            "    #[{dir}(padding, bits = {})]\n    _{}_pad: (),",
                            8 - n,
                            f.name
                        );
                    }
                }
                Usage::One(u) => {
                    let _ = writeln!(
                        s,
                        "    #[{dir}(usage_page = {:#04x}, usage = {u:#04x})]\n    pub {}: {},",
                        f.usage_page, f.name, f.ty
                    );
                }
            }
        }
        s.push_str("}\n\n");
        s
    }
}
