//! The `#[hid_report]` pipeline: declarations (taken apart by the proc macro) → the field form
//! ([`crate::frontend::rust`]) → compiled and linted report descriptor → layout → report types
//! ([`crate::emit::rust::report`]).

use crate::diag::{Diagnostic, Diagnostics};
use crate::emit::rust::byte_array;
use crate::emit::rust::report::naming::{kind_ident, n_bytes};
pub use crate::emit::rust::report::Options;
use crate::emit::rust::report::{self, FieldTy, ReportField, ReportType};
use crate::frontend::rust::{allow_list, lower, LoweredReport, ReportDecl};
use crate::hid::item::ReportKind;
use crate::hid::{AttachContext, ReportDescriptor};
use std::fmt::Write;

/// How `#[hid_report]` output is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One struct on its own: `DESCRIPTOR` is an associated const of the struct.
    Single,
    /// Several structs in one module (`#[hid_descriptor] mod m { .. }`): `DESCRIPTOR`,
    /// `REPORT_IDS` and the dispatch enums `Output` / `Feature` are module items.
    Module,
}

/// What [`hid_reports`] produced.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Items to append after the structs.
    pub code: String,
    /// The report descriptor bytes.
    pub descriptor: Vec<u8>,
    /// What each struct became (the macro strips padding fields using this).
    pub reports: Vec<LoweredReport>,
    /// Warnings (lints) that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// The user's structs that are their report's payload: the macro adds `#[repr(C, packed)]`
    /// to each (the generated code relies on it).
    pub wire: Vec<String>,
}

/// Compile `#[hid_report]` declarations: lower to the field form, compile and lint with the HID
/// core, lay out, and generate the report types. Errors come back with the caller's spans.
pub fn hid_reports(decls: &[ReportDecl], mode: Mode, o: &Options) -> Result<Generated, Diagnostics> {
    let mut d = Diagnostics::new();
    let Some((nodes, lowered)) = lower(decls, &mut d) else { return Err(d) };
    let rd = ReportDescriptor::from_fields(nodes, &mut d);
    // Lint only what compiled cleanly: after a compile error the lints restate it. The structs'
    // `allow(...)` turns the lint errors it names into warnings.
    if !d.has_errors() {
        let mut lints = Diagnostics::new();
        rd.check(&AttachContext::default(), &mut lints);
        d.extend(lints.allowing(&allow_list(decls)));
    }
    if d.has_errors() {
        return Err(d);
    }
    let descriptor = rd.encode();
    let layout = rd.layout();
    let mut code = String::new();
    let mut all_types: Vec<ReportType> = Vec::new();
    let mut wire = Vec::new();
    for r in &lowered {
        let mut kinds: Vec<ReportKind> = Vec::new();
        for f in &r.fields {
            if !kinds.contains(&f.kind) {
                kinds.push(f.kind);
            }
        }
        let single = kinds.len() == 1;
        for kind in kinds {
            let Some(lr) = layout.report(kind, r.report_id.map(u32::from)) else { continue };
            let mut fields = Vec::new();
            for f in r.fields.iter().filter(|f| f.kind == kind && !f.padding) {
                let Some(lf) = lr.fields.iter().find(|x| x.span == Some(f.span)) else {
                    d.push(Diagnostic::error(crate::frontend::rust::codes::INTERNAL, format!("internal: no layout for field `{}`", f.name)).at(f.span));
                    continue;
                };
                fields.push(ReportField {
                    name: f.name.clone(),
                    ty: FieldTy { scalar: f.scalar, array: f.array },
                    bit_offset: lf.bit_offset,
                    // A scalar over several elements holds them as packed bits.
                    bits: if f.array.is_none() { lf.bits * lf.count } else { lf.bits },
                    doc: None,
                });
            }
            let name = if single { r.name.clone() } else { format!("{}{}", r.name, kind_ident(kind)) };
            let t = ReportType {
                name,
                kind,
                id: r.report_id.unwrap_or(0),
                len: lr.bytes as usize,
                interface: None,
                fields,
                doc: Some(format!("The {} report of [`{}`] ({} on the wire).", kind.key(), r.name, n_bytes(lr.bytes as u64))),
                wire_ok: !single || o.wire_user_structs,
            };
            if single && report::pack::wire_layout(&t).is_some() {
                wire.push(t.name.clone());
            }
            if !single {
                code.push_str(&report::struct_def(&t));
            }
            code.push_str(&report::impls(&t, o));
            all_types.push(t);
        }
        if mode == Mode::Single {
            let _ = writeln!(code, "impl {} {{", r.name);
            let _ = writeln!(code, "    /// The HID report descriptor ({} bytes).", descriptor.len());
            let _ = writeln!(code, "    pub const DESCRIPTOR: [u8; {}] = {};", descriptor.len(), byte_array(&descriptor));
            code.push_str("}\n");
        }
    }
    if d.has_errors() {
        return Err(d);
    }
    if mode == Mode::Module {
        let _ = writeln!(code, "/// The HID report descriptor of every report in this module ({} bytes).", descriptor.len());
        let _ = writeln!(code, "pub const DESCRIPTOR: [u8; {}] = {};", descriptor.len(), byte_array(&descriptor));
        let ids: Vec<u8> = lowered.iter().filter_map(|r| r.report_id).collect();
        let _ = writeln!(code, "/// Report IDs in declaration order.");
        let _ = writeln!(code, "pub const REPORT_IDS: [u8; {}] = {:?};", ids.len(), ids);
        for (kind, name) in [(ReportKind::Output, "Output"), (ReportKind::Feature, "Feature")] {
            let of: Vec<&ReportType> = all_types.iter().filter(|t| t.kind == kind).collect();
            if !of.is_empty() {
                code.push_str(&report::dispatch_enum(name, kind, &of, o));
            }
        }
    }
    Ok(Generated { code, descriptor, reports: lowered, warnings: d.into_vec(), wire })
}

