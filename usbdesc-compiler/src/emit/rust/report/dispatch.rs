//! The dispatch enums of a `#[hid_descriptor]` module (`Output`, `Feature`): one variant per
//! report of that kind, `unpack` picking the variant by the report ID byte.

use super::naming::variant;
use super::{Options, ReportType};
use crate::hid::item::ReportKind;
use std::fmt::Write;

/// A typed dispatch enum over the reports of one kind (output or feature) with an `unpack` that
/// picks the variant by report ID (first byte).
pub fn dispatch_enum(name: &str, kind: ReportKind, reports: &[&ReportType], o: &Options) -> String {
    let rt = &o.runtime;
    let mut s = String::new();
    // No derives: the variants hold the user's own structs, whose derives we do not know.
    let _ = writeln!(s, "/// Every {} report of this descriptor, by report ID.", kind.key());
    let _ = writeln!(s, "pub enum {name} {{");
    for r in reports {
        let _ = writeln!(s, "    /// Report ID {}.", r.id);
        let _ = writeln!(s, "    {}({}),", variant(r), r.name);
    }
    s.push_str("}\n");
    let _ = writeln!(s, "impl {name} {{");
    let _ = writeln!(s, "    /// Picks the report by its ID byte and unpacks it.");
    let _ = writeln!(s, "    pub fn unpack(bytes: &[u8]) -> ::core::result::Result<Self, {rt}::ReportError> {{");
    let no_id = reports.iter().find(|r| r.id == 0);
    match no_id {
        Some(r) => {
            let _ = writeln!(s, "        {}::unpack(bytes).map({name}::{})", r.name, variant(r));
        }
        None => {
            let _ = writeln!(s, "        match bytes.first() {{");
            for r in reports {
                let _ = writeln!(s, "            Some(&{}) => {}::unpack(bytes).map({name}::{}),", r.id, r.name, variant(r));
            }
            let _ = writeln!(s, "            Some(&id) => Err({rt}::ReportError::WrongId {{ expected: 0, got: id }}),");
            let _ = writeln!(s, "            None => Err({rt}::ReportError::WrongLength {{ expected: 1, got: 0 }}),");
            s.push_str("        }\n");
        }
    }
    s.push_str("    }\n");
    let _ = writeln!(s, "    /// The report ID of the variant.");
    let _ = writeln!(s, "    pub const fn id(&self) -> u8 {{");
    s.push_str("        match self {\n");
    for r in reports {
        let _ = writeln!(s, "            {name}::{}(_) => {},", variant(r), r.id);
    }
    s.push_str("        }\n    }\n}\n");
    s
}

