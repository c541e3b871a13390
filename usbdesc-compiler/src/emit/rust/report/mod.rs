//! Typed report structs: one Rust type per HID report, with `pack`/`pack_into`/`unpack` computed
//! from a [`crate::hid::layout`] report. Used by `#[hid_report]` (the user's struct, with field
//! names and types from Rust) and by TOML devices (names and types derived from usages).
//!
//! * this module: what a report type is ([`ReportType`]), its struct and its `impl` blocks;
//! * [`types`]: the type map of TOML devices (layout report → named, typed fields);
//! * [`pack`]: the pack/unpack code of a report type;
//! * [`dispatch`]: the per-kind dispatch enums of a `#[hid_descriptor]` module;
//! * [`naming`]: identifiers and type names.

pub mod dispatch;
pub mod naming;
pub mod pack;
pub mod types;

pub use crate::scalar::Scalar;
pub use dispatch::dispatch_enum;
pub use naming::{layout_type_name, n_bytes, snake_ident};
pub use types::from_layout;

use crate::hid::item::ReportKind;
use naming::kind_ident;
use std::fmt::Write;

/// A field's Rust type: a scalar or an array of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldTy {
    pub scalar: Scalar,
    /// `Some(n)` for `[scalar; n]`.
    pub array: Option<u32>,
}

impl FieldTy {
    pub fn rust(&self) -> String {
        match self.array {
            Some(n) => format!("[{}; {n}]", self.scalar.name()),
            None => self.scalar.name().to_string(),
        }
    }
    pub(crate) fn zero(&self) -> String {
        let z = if self.scalar == Scalar::Bool { "false" } else { "0" };
        match self.array {
            Some(n) => format!("[{z}; {n}]"),
            None => z.to_string(),
        }
    }
}

/// One struct field bound to its place in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportField {
    pub name: String,
    pub ty: FieldTy,
    /// Bit offset of element 0 from the start of the report (ID byte included).
    pub bit_offset: u32,
    /// Bits per element on the wire.
    pub bits: u32,
    /// Doc comment (usages, range) for generated structs.
    pub doc: Option<String>,
}

/// One report type to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportType {
    /// The Rust type name.
    pub name: String,
    pub kind: ReportKind,
    /// Report ID, 0 when the descriptor has none.
    pub id: u8,
    /// Bytes on the wire including the ID byte.
    pub len: usize,
    /// HID interface number when known (TOML devices).
    pub interface: Option<u8>,
    pub fields: Vec<ReportField>,
    pub doc: Option<String>,
}

/// Code generation options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Path of the runtime crate in generated code, e.g. `::usbdesc_runtime`.
    pub runtime: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { runtime: "::usbdesc_runtime".into() }
    }
}

/// `pub struct Name { pub field: T, ... }` with derives (for generated report types).
pub fn struct_def(r: &ReportType) -> String {
    let mut s = String::new();
    if let Some(doc) = &r.doc {
        for l in doc.lines() {
            let _ = writeln!(s, "/// {l}");
        }
    }
    let big = r.fields.iter().any(|f| f.ty.array.is_some_and(|n| n > 32));
    let derives = if big { "Clone, Copy, Debug, PartialEq, Eq" } else { "Clone, Copy, Debug, Default, PartialEq, Eq" };
    let _ = writeln!(s, "#[derive({derives})]");
    let _ = writeln!(s, "pub struct {} {{", r.name);
    for f in &r.fields {
        if let Some(doc) = &f.doc {
            let _ = writeln!(s, "    /// {doc}");
        }
        let _ = writeln!(s, "    pub {}: {},", f.name, f.ty.rust());
    }
    s.push_str("}\n");
    s
}

/// `impl` blocks for a report type: inherent consts, `pack`/`pack_into`, `unpack`, and the
/// runtime's report traits (`PackReport` for input and feature, `UnpackReport` for output and
/// feature).
pub fn impls(r: &ReportType, o: &Options) -> String {
    let rt = &o.runtime;
    let name = &r.name;
    let len = r.len;
    let kind = kind_ident(r.kind);
    // Inherent pack and unpack exist for every kind (host tools and tests use both directions);
    // the runtime traits follow the report's direction.
    let packs = matches!(r.kind, ReportKind::Input | ReportKind::Feature);
    let unpacks = matches!(r.kind, ReportKind::Output | ReportKind::Feature);
    let mut s = String::new();
    let _ = writeln!(s, "impl {name} {{");
    let _ = writeln!(s, "    /// Report ID (0: the descriptor uses no report IDs).");
    let _ = writeln!(s, "    pub const ID: u8 = {};", r.id);
    let _ = writeln!(s, "    /// Bytes on the wire, including the report ID byte when `ID != 0`.");
    let _ = writeln!(s, "    pub const LEN: usize = {len};");
    let _ = writeln!(s, "    pub const KIND: {rt}::ReportKind = {rt}::ReportKind::{kind};");
    pack::write_pack(&mut s, r);
    pack::write_unpack(&mut s, r, rt);
    s.push_str("}\n");
    let iface = match r.interface {
        Some(i) => format!("::core::option::Option::Some({i})"),
        None => "::core::option::Option::None".into(),
    };
    let _ = writeln!(
        s,
        "impl {rt}::Report for {name} {{ const ID: u8 = {}; const LEN: usize = {len}; const KIND: {rt}::ReportKind = {rt}::ReportKind::{kind}; const INTERFACE: ::core::option::Option<u8> = {iface}; }}",
        r.id
    );
    if packs {
        let _ = writeln!(s, "impl {rt}::PackReport for {name} {{ #[inline] fn pack_into(&self, buf: &mut [u8]) -> usize {{ {name}::pack_into(self, buf) }} }}");
    }
    if unpacks {
        let _ = writeln!(s, "impl {rt}::UnpackReport for {name} {{ fn unpack(bytes: &[u8]) -> ::core::result::Result<Self, {rt}::ReportError> {{ {name}::unpack(bytes) }} }}");
    }
    let _ = writeln!(s, "impl {rt}::{kind}Report for {name} {{}}");
    s
}
