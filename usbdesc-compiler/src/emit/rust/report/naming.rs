//! Names in generated Rust: identifiers from usage names, report type names, enum variants and
//! size words. Kept apart from the generators that use them (prost-build's `ident.rs`).

use super::ReportType;
use crate::hid::item::ReportKind;
use crate::hid::layout::Report;

/// `Input`, `Output` or `Feature`.
pub fn kind_ident(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Input => "Input",
        ReportKind::Output => "Output",
        ReportKind::Feature => "Feature",
    }
}

/// The dispatch enum variant of a report type (its type name).
pub fn variant(r: &ReportType) -> String {
    r.name.clone()
}

/// "1 byte", "8 bytes".
pub fn n_bytes(n: u64) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

/// Rust identifier from free text: the leaf [`crate::ident`] (the HID readers use it too).
pub use crate::ident::snake_ident;

/// Type name for a TOML report: `Input`, `Output`, `Feature`, with the ID appended when present
/// (`Input1`).
pub fn layout_type_name(report: &Report) -> String {
    match report.id {
        Some(id) => format!("{}{id}", kind_ident(report.kind)),
        None => kind_ident(report.kind).to_string(),
    }
}

/// Field names made unique within one struct: `x`, `x_2`, `x_3`. A set and a counter per base
/// name instead of a search of every name taken for every suffix (quadratic in the fields).
#[derive(Default)]
pub struct UniqueNames {
    taken: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, usize>,
}

impl UniqueNames {
    /// `base`, or `base_N` with the first free N from 2 on.
    pub fn take(&mut self, base: String) -> String {
        let mut n = base.clone();
        if self.taken.contains(&n) {
            let i = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                n = format!("{base}_{i}");
                *i += 1;
                if !self.taken.contains(&n) {
                    break;
                }
            }
        }
        self.taken.insert(n.clone());
        n
    }
}
