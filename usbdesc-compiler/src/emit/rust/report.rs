//! Typed report structs: Rust source for a struct per report with `pack`/`pack_into`/`unpack`
//! computed from a [`crate::hid::layout`] report. Used by `#[hid_report]` (the user's struct, with
//! field names and types from Rust) and by TOML devices (names and types derived from usages).
//!
//! The pack path is straight-line code over a fixed-size array: every index is a constant, so it
//! cannot panic and needs no bounds checks. Values wider than their `bits` are truncated to the
//! field's two's-complement bit pattern (no clamping branch). `unpack` checks length and report ID
//! only; it does not range-check values.
//!
//! `const fn pack` ORs every element into a zeroed array. `pack_into` (what firmware calls) copies
//! byte-aligned fields whole (`copy_from_slice`, `to_le_bytes`) and ORs bit fields per byte; both
//! gather a `[bool; N]` run eight at a time with one multiply (`bools_to_u8`). An unsigned
//! integer field over several 1-bit elements (packed bits, `bits = 1, count = 8` on a `u8`) is
//! one value of `count × bits` bits here: it is copied, not gathered.

use crate::hid::item::ReportKind;
use crate::hid::layout::{LayoutField, Report};
use std::fmt::Write;

/// A Rust scalar a report field can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    Bool,
    U8,
    U16,
    U32,
    I8,
    I16,
    I32,
    U64,
    I64,
}

impl Scalar {
    pub const ALL: [Scalar; 9] = [
        Scalar::Bool,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::U64,
        Scalar::I64,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool",
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::I8 => "i8",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::U64 => "u64",
            Scalar::I64 => "i64",
        }
    }
    pub fn from_name(s: &str) -> Option<Scalar> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }
    /// Width in bits (1 for bool).
    pub fn width(self) -> u32 {
        match self {
            Scalar::Bool => 1,
            Scalar::U8 | Scalar::I8 => 8,
            Scalar::U16 | Scalar::I16 => 16,
            Scalar::U32 | Scalar::I32 => 32,
            Scalar::U64 | Scalar::I64 => 64,
        }
    }
    pub fn signed(self) -> bool {
        matches!(self, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64)
    }
    /// The value range of the type (`u64`'s is cut at `i64::MAX`; logical values are 32-bit anyway).
    pub fn range(self) -> (i64, i64) {
        match self {
            Scalar::Bool => (0, 1),
            Scalar::U8 => (0, u8::MAX as i64),
            Scalar::U16 => (0, u16::MAX as i64),
            Scalar::U32 => (0, u32::MAX as i64),
            Scalar::I8 => (i8::MIN as i64, i8::MAX as i64),
            Scalar::I16 => (i16::MIN as i64, i16::MAX as i64),
            Scalar::I32 => (i32::MIN as i64, i32::MAX as i64),
            Scalar::U64 => (0, i64::MAX),
            Scalar::I64 => (i64::MIN, i64::MAX),
        }
    }
    /// Smallest type holding `bits`-bit elements (bool for 1-bit 0..1 values).
    pub fn for_field(bits: u32, logical_min: i64, logical_max: i64) -> Option<Scalar> {
        let signed = logical_min < 0;
        Some(match (bits, signed) {
            (1, false) if logical_max <= 1 => Scalar::Bool,
            (0..=8, false) => Scalar::U8,
            (0..=8, true) => Scalar::I8,
            (9..=16, false) => Scalar::U16,
            (9..=16, true) => Scalar::I16,
            (17..=32, false) => Scalar::U32,
            (17..=32, true) => Scalar::I32,
            (33..=64, false) => Scalar::U64,
            (33..=64, true) => Scalar::I64,
            _ => return None,
        })
    }
}

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
    fn zero(&self) -> String {
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

fn kind_ident(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Input => "Input",
        ReportKind::Output => "Output",
        ReportKind::Feature => "Feature",
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

/// Statements writing one element (`v` is an expression of the scalar type) at bit `off`.
fn pack_element(s: &mut String, v: &str, scalar: Scalar, off: u64, bits: u32) {
    let byte = off / 8;
    let sh = (off % 8) as u32;
    if sh == 0 && bits == scalar.width() && bits % 8 == 0 {
        if bits == 8 {
            let _ = writeln!(s, "        out[{byte}] = {v} as u8;");
        } else {
            let _ = writeln!(s, "        {{ let x = ({v}).to_le_bytes();");
            for j in 0..(bits / 8) as u64 {
                let _ = writeln!(s, "        out[{}] = x[{j}];", byte + j);
            }
            s.push_str("        }\n");
        }
        return;
    }
    let span_bits = sh + bits;
    let val = element_value(v, scalar, bits, wide_type(span_bits));
    let nbytes = span_bits.div_ceil(8) as u64;
    if nbytes == 1 {
        let sh_txt = if sh == 0 { String::new() } else { format!(" << {sh}") };
        let _ = writeln!(s, "        out[{byte}] |= ({val}{sh_txt}) as u8;");
        return;
    }
    let _ = writeln!(s, "        {{ let w = {val} << {sh};");
    for j in 0..nbytes {
        let shift = if j == 0 { String::new() } else { format!(" >> {}", 8 * j) };
        let _ = writeln!(s, "        out[{}] |= (w{shift}) as u8;", byte + j);
    }
    s.push_str("        }\n");
}

/// `(1 << bits) - 1` as a literal.
fn mask(bits: u32) -> String {
    let m: u128 = if bits >= 128 { u128::MAX } else { (1u128 << bits) - 1 };
    format!("{m:#x}")
}

/// `raw` (an unsigned value holding the element's `bits` low bits) as `scalar`: sign-extended for
/// signed types narrower than their field.
fn from_raw(raw: &str, scalar: Scalar, bits: u32) -> String {
    if scalar == Scalar::Bool {
        return format!("{raw} != 0");
    }
    let (u, i, w) = if scalar.width() <= 32 { ("u32", "i32", 32) } else { ("u64", "i64", 64) };
    if scalar.signed() && bits < w {
        let up = w - bits;
        format!("((({raw} as {u}) << {up}) as {i} >> {up}) as {}", scalar.name())
    } else {
        format!("{raw} as {}", scalar.name())
    }
}

/// An expression reading one element of `scalar` at bit `off` from the array `b`.
fn unpack_element(scalar: Scalar, off: u64, bits: u32) -> String {
    let byte = off / 8;
    let sh = (off % 8) as u32;
    if sh == 0 && bits == scalar.width() && bits % 8 == 0 {
        let n = (bits / 8) as u64;
        return match (bits, scalar.signed()) {
            (8, false) => format!("b[{byte}]"),
            (8, true) => format!("b[{byte}] as i8"),
            _ => {
                let bytes: Vec<String> = (0..n).map(|j| format!("b[{}]", byte + j)).collect();
                format!("{}::from_le_bytes([{}])", scalar.name(), bytes.join(", "))
            }
        };
    }
    let span_bits = sh + bits;
    let wt = wide_type(span_bits);
    let nbytes = span_bits.div_ceil(8) as u64;
    let parts: Vec<String> = (0..nbytes)
        .map(|j| if j == 0 { format!("(b[{byte}] as {wt})") } else { format!("((b[{}] as {wt}) << {})", byte + j, 8 * j) })
        .collect();
    let m = mask(bits);
    let raw = if sh == 0 { format!("({} & {m})", parts.join(" | ")) } else { format!("((({}) >> {sh}) & {m})", parts.join(" | ")) };
    from_raw(&raw, scalar, bits)
}

/// "1 byte", "8 bytes".
pub fn n_bytes(n: u64) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
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
    write_pack(&mut s, r);
    write_unpack(&mut s, r, rt);
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

/// One part of a report as `pack_into` writes it straight into the caller's buffer.
enum Piece {
    /// `n` whole bytes from `byte` on: `src` is a `[u8; n]` (or `&[u8; n]`) expression, or a `u8`
    /// expression when `n == 1`.
    Bytes { byte: u64, n: u64, src: String },
    /// A value of `bits` bits at bit `off`; `val` is a `u32`/`u64`/`u128` expression whose bits
    /// above `bits` are zero.
    Bits { off: u64, bits: u32, val: String },
}


/// `pack` (const, the whole report) and `pack_into` (into a caller's buffer) of `r`.
fn write_pack(s: &mut String, r: &ReportType) {
    let len = r.len;
    let _ = writeln!(s, "    /// The report exactly as sent on the wire.");
    let _ = writeln!(s, "    #[inline]");
    let _ = writeln!(s, "    pub const fn pack(&self) -> [u8; {len}] {{");
    let _ = writeln!(s, "        #[allow(unused_mut)]");
    let _ = writeln!(s, "        let mut out = [0u8; {len}];");
    if r.id != 0 {
        let _ = writeln!(s, "        out[0] = {};", r.id);
    }
    for f in &r.fields {
        pack_field(s, f);
    }
    s.push_str("        out\n    }\n");
    let _ = writeln!(s, "    /// Writes the report ({}) to the start of `buf` and returns {len}; returns 0 and", n_bytes(len as u64));
    let _ = writeln!(s, "    /// writes nothing when `buf` is shorter.");
    let _ = writeln!(s, "    #[inline]");
    let _ = writeln!(s, "    pub fn pack_into(&self, buf: &mut [u8]) -> usize {{");
    let _ = writeln!(s, "        match buf.first_chunk_mut::<{len}>() {{");
    match pack_into_body(r) {
        Some(body) => {
            let _ = writeln!(s, "            Some(dst) => {{");
            s.push_str(&body);
            let _ = writeln!(s, "                {len}\n            }}");
        }
        None => {
            let _ = writeln!(s, "            Some(dst) => {{ *dst = self.pack(); {len} }}");
        }
    }
    let _ = writeln!(s, "            None => 0,");
    s.push_str("        }\n    }\n");
}

/// `unpack` of `r`: exactly `LEN` bytes, the report ID checked.
fn write_unpack(s: &mut String, r: &ReportType, rt: &str) {
    let len = r.len;
    let _ = writeln!(s, "    /// Parses exactly {} (report ID first when `ID != 0`).", n_bytes(len as u64));
    let _ = writeln!(s, "    pub fn unpack(bytes: &[u8]) -> ::core::result::Result<Self, {rt}::ReportError> {{");
    let _ = writeln!(s, "        let b: &[u8; {len}] = match bytes.first_chunk::<{len}>() {{");
    let _ = writeln!(s, "            Some(b) if bytes.len() == {len} => b,");
    let _ = writeln!(s, "            _ => return Err({rt}::ReportError::WrongLength {{ expected: {len}, got: bytes.len() }}),");
    s.push_str("        };\n");
    if r.id != 0 {
        let _ = writeln!(s, "        if b[0] != {} {{", r.id);
        let _ = writeln!(s, "            return Err({rt}::ReportError::WrongId {{ expected: {}, got: b[0] }});", r.id);
        s.push_str("        }\n");
    } else {
        s.push_str("        let _ = b;\n");
    }
    let _ = writeln!(s, "        Ok(Self {{");
    for f in &r.fields {
        let _ = writeln!(s, "            {}: {},", f.name, unpack_field(f));
    }
    s.push_str("        })\n    }\n");
}

/// The integer type a value shifted into place needs.
fn wide_type(span_bits: u32) -> &'static str {
    match span_bits {
        0..=32 => "u32",
        33..=64 => "u64",
        _ => "u128",
    }
}

/// `v` (of `scalar`) as an unsigned `wt` holding its low `bits` bits (two's complement for signed
/// values: the cast sign-extends, the mask keeps the field's bits).
fn element_value(v: &str, scalar: Scalar, bits: u32, wt: &str) -> String {
    if scalar == Scalar::Bool {
        return format!("({v} as {wt})");
    }
    let via = if scalar.width() <= 32 { "u32" } else { "u64" };
    if bits == scalar.width() && !scalar.signed() {
        return format!("({v} as {wt})");
    }
    let cast = if via == wt { format!("{v} as {wt}") } else { format!("{v} as {via} as {wt}") };
    format!("(({cast}) & {})", mask(bits))
}

/// Every field of `r` as [`Piece`]s, or `None` when a field is packed by a loop (arrays longer than
/// [`UNROLL_MAX`] that are not whole bytes).
fn pieces(r: &ReportType) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    for f in &r.fields {
        let base = f.bit_offset as u64;
        let sc = f.ty.scalar;
        let whole = base % 8 == 0 && f.bits == sc.width() && f.bits % 8 == 0;
        let name = &f.name;
        match f.ty.array {
            None if whole && f.bits == 8 => out.push(Piece::Bytes { byte: base / 8, n: 1, src: format!("self.{name} as u8") }),
            None if whole => {
                out.push(Piece::Bytes { byte: base / 8, n: f.bits as u64 / 8, src: format!("&self.{name}.to_le_bytes()") })
            }
            None => out.push(Piece::Bits { off: base, bits: f.bits, val: element_value(&format!("self.{name}"), sc, f.bits, wide_type(f.bits + (base % 8) as u32)) }),
            Some(n) if whole && sc == Scalar::U8 => out.push(Piece::Bytes { byte: base / 8, n: n as u64, src: format!("&self.{name}") }),
            Some(n) if whole && n <= UNROLL_MAX => {
                let w = f.bits as u64 / 8;
                for i in 0..n as u64 {
                    let src = if w == 1 { format!("self.{name}[{i}] as u8") } else { format!("&self.{name}[{i}].to_le_bytes()") };
                    out.push(Piece::Bytes { byte: base / 8 + i * w, n: w, src });
                }
            }
            Some(n) if sc == Scalar::Bool && f.bits == 1 && n <= UNROLL_MAX => {
                let mut i = 0u64;
                while i < n as u64 {
                    let k = (n as u64 - i).min(8);
                    let wt = wide_type(k as u32 + ((base + i) % 8) as u32);
                    out.push(Piece::Bits { off: base + i, bits: k as u32, val: format!("({} as {wt})", bools_to_u8(name, i, k)) });
                    i += k;
                }
            }
            Some(n) if n <= UNROLL_MAX => {
                for i in 0..n as u64 {
                    let off = base + i * f.bits as u64;
                    let wt = wide_type(f.bits + (off % 8) as u32);
                    out.push(Piece::Bits { off, bits: f.bits, val: element_value(&format!("self.{name}[{i}]"), sc, f.bits, wt) });
                }
            }
            Some(_) => return None,
        }
    }
    Some(out)
}

/// The body of `pack_into` after the length check: the report built in a zeroed local array and
/// stored to `dst` (a `&mut [u8; LEN]`) at once. Byte-aligned fields are copied whole
/// (`copy_from_slice` of the field or its `to_le_bytes`), bit fields are shifted into place and
/// OR-ed together per byte. (Writing `dst` byte by byte measured slower: the compiler merges
/// adjacent stores into the local array, not into the caller's buffer.) `None` when a field needs
/// the loop packer: then `pack_into` stores `pack()`.
fn pack_into_body(r: &ReportType) -> Option<String> {
    // One list per report byte: only for reports a host accepts (larger ones are lint errors).
    if r.len as u64 > crate::hid::lint::MAX_REPORT_BYTES {
        return None;
    }
    let pieces = pieces(r)?;
    let len = r.len as u64;
    let mut s = String::new();
    let _ = writeln!(s, "                let mut out = [0u8; {len}];");
    let mut parts: Vec<Vec<String>> = vec![Vec::new(); r.len];
    if r.id != 0 {
        let _ = writeln!(s, "                out[0] = {};", r.id);
    }
    for (k, p) in pieces.iter().enumerate() {
        match p {
            Piece::Bytes { byte, n, src } => {
                if *byte + *n > len {
                    return None;
                }
                if *n == 1 {
                    let _ = writeln!(s, "                out[{byte}] = {src};");
                } else {
                    let _ = writeln!(s, "                out[{byte}..{}].copy_from_slice({src});", byte + n);
                }
            }
            Piece::Bits { off, bits, val } => {
                let byte = off / 8;
                let sh = off % 8;
                let nbytes = (sh + *bits as u64).div_ceil(8);
                if byte + nbytes > len {
                    return None;
                }
                if sh == 0 {
                    let _ = writeln!(s, "                let w{k} = {val};");
                } else {
                    let _ = writeln!(s, "                let w{k} = {val} << {sh};");
                }
                for j in 0..nbytes {
                    let b = (byte + j) as usize;
                    parts[b].push(if j == 0 { format!("w{k} as u8") } else { format!("(w{k} >> {}) as u8", 8 * j) });
                }
            }
        }
    }
    for (b, p) in parts.iter().enumerate() {
        if !p.is_empty() {
            let _ = writeln!(s, "                out[{b}] = {};", p.join(" | "));
        }
    }
    let _ = writeln!(s, "                *dst = out;");
    Some(s)
}

/// Above this many elements an array is packed by a loop instead of unrolled statements.
const UNROLL_MAX: u32 = 64;

/// `[bool; N]` elements `i0..i0+k` (k ≤ 8) gathered into one `u8`, element `i0 + j` at bit `j`:
/// the bools (0 or 1 each) side by side as the bytes of a `u64`, multiplied so that byte `j`'s
/// bit lands at bit `56 + j` (no two partial products overlap, so nothing carries), then shifted
/// down. One load, one multiply, one shift instead of a shift-or per element.
fn bools_to_u8(field: &str, i0: u64, k: u64) -> String {
    let bytes: Vec<String> =
        (0..8).map(|j| if j < k { format!("self.{field}[{}] as u8", i0 + j) } else { "0".into() }).collect();
    format!("((u64::from_le_bytes([{}]).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8)", bytes.join(", "))
}

fn pack_field(s: &mut String, f: &ReportField) {
    let base = f.bit_offset as u64;
    match f.ty.array {
        None => pack_element(s, &format!("self.{}", f.name), f.ty.scalar, base, f.bits),
        Some(n) if f.ty.scalar == Scalar::Bool && f.bits == 1 && n > 1 && n <= UNROLL_MAX => {
            // Runs of up to 8 bools become one `u8` written like an integer field of that width.
            let mut i = 0u64;
            while i < n as u64 {
                let k = (n as u64 - i).min(8);
                pack_element(s, &bools_to_u8(&f.name, i, k), Scalar::U8, base + i, k as u32);
                i += k;
            }
        }
        Some(n) if n <= UNROLL_MAX => {
            for i in 0..n as u64 {
                pack_element(s, &format!("self.{}[{i}]", f.name), f.ty.scalar, base + i * f.bits as u64, f.bits);
            }
        }
        Some(n) => {
            // Byte-aligned whole bytes (checked by the caller's layout) or a guarded bit loop.
            let _ = writeln!(s, "        {{ let mut i = 0; while i < {n} {{");
            let _ = writeln!(s, "            let off = {base} + i * {};", f.bits);
            let (via, wt) = if f.ty.scalar.width() <= 32 { ("u32", "u64") } else { ("u64", "u128") };
            let _ = writeln!(s, "            let v = (self.{}[i] as {via} as {wt}) & {};", f.name, mask(f.bits));
            let _ = writeln!(s, "            let mut j = 0; while j * 8 < (off % 8) as usize + {} {{", f.bits);
            let _ = writeln!(s, "                let k = off / 8 + j; if k < out.len() {{ out[k] |= ((v << (off % 8)) >> (8 * j)) as u8; }}");
            s.push_str("                j += 1; }\n            i += 1; } }\n");
        }
    }
}

fn unpack_field(f: &ReportField) -> String {
    let base = f.bit_offset as u64;
    match f.ty.array {
        None => unpack_element(f.ty.scalar, base, f.bits),
        Some(n) if n <= UNROLL_MAX => {
            let v: Vec<String> =
                (0..n as u64).map(|i| unpack_element(f.ty.scalar, base + i * f.bits as u64, f.bits)).collect();
            format!("[{}]", v.join(", "))
        }
        Some(n) => {
            let one = unpack_element_dyn(f.ty.scalar, f.bits);
            format!(
                "{{ let mut a = {}; let mut i = 0; while i < {n} {{ let off = {base} + i * {}; a[i] = {one}; i += 1; }} a }}",
                f.ty.zero(),
                f.bits
            )
        }
    }
}

/// Element read with a run-time bit offset `off` (arrays longer than [`UNROLL_MAX`]).
fn unpack_element_dyn(scalar: Scalar, bits: u32) -> String {
    let (wt, n) = if scalar.width() <= 32 { ("u64", 5) } else { ("u128", 9) };
    let raw = format!(
        "{{ let mut w = 0{wt}; let mut j = 0; while j < {n} {{ let k = off / 8 + j; if k < b.len() {{ w |= (b[k] as {wt}) << (8 * j); }} j += 1; }} (w >> (off % 8)) & {} }}",
        mask(bits)
    );
    from_raw(&raw, scalar, bits)
}

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

fn variant(r: &ReportType) -> String {
    r.name.clone()
}

/// Rust identifier from free text (usage names): snake case, keywords and leading digits escaped.
pub fn snake_ident(text: &str) -> String {
    let mut out = String::new();
    let mut prev_us = true;
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !prev_us {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_us = false;
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if !prev_us {
            out.push('_');
            prev_us = true;
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "f_");
    }
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
        "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super",
        "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become",
        "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
    ];
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A report type for a layout report with field names and types derived from usages (TOML
/// devices, `usbdesc build --emit rust`), or the field form's `name = "..."` where given.
/// Constant fields are padding (written as zeros).
///
/// Types: a variable field with one usage per element becomes one scalar per usage (`x`, `y`,
/// `wheel`); a usage range of 1-bit variable values (buttons, modifier keys, LEDs) of at most 32
/// elements becomes one unsigned integer `u8`/`u16`/`u32` with bit i = usage_min + i (the
/// wire layout, so `modifiers = 0x02` is Left Shift); other fields become arrays (`[u8; 6]` for
/// key code arrays) or scalars of the smallest type that holds their bits (up to `u64`/`i64`);
/// elements wider than 64 bits are their raw little-endian bytes (`[u8; bits / 8]`, and
/// `<name>_hi: u8` with the top `bits % 8` bits).
pub fn from_layout(report: &Report, name: &str, interface: Option<u8>) -> ReportType {
    use crate::hid::usages::{page_display, usage_name};
    let mut fields = Vec::new();
    // Names taken, and the next suffix to try per base name: a set and a counter instead of a
    // search of every name taken for every suffix (quadratic in the number of fields).
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut next_suffix: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut unique = |base: String| {
        let mut n = base.clone();
        if taken.contains(&n) {
            let i = next_suffix.entry(base.clone()).or_insert(2);
            loop {
                n = format!("{base}_{i}");
                *i += 1;
                if !taken.contains(&n) {
                    break;
                }
            }
        }
        taken.insert(n.clone());
        n
    };
    for f in &report.fields {
        if f.constant || f.count == 0 || f.bits == 0 {
            continue;
        }
        let uname = |u: u32| {
            usage_name((u >> 16) as u16, u as u16).unwrap_or_else(|| format!("usage_{:04x}_{:04x}", u >> 16, u & 0xFFFF))
        };
        let doc = field_doc(f);
        let Some(scalar) = Scalar::for_field(f.bits, f.logical_min, f.logical_max) else {
            // Wider than 64 bits: each element as its raw little-endian bytes, `[u8; bits / 8]`,
            // plus `<name>_hi: u8` for the top `bits % 8` bits when the width is not whole bytes.
            let base = match (&f.name, f.usage_of(0)) {
                (Some(n), _) => n.clone(),
                (None, Some(u)) if f.variable => snake_ident(&uname(u)),
                _ => snake_ident(&page_display(f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page))),
            };
            let (full, rem) = (f.bits / 8, f.bits % 8);
            for e in 0..f.count {
                // u64: the offsets of a report over the host limit (not generated) overflow u32.
                let off = (f.bit_offset as u64 + e as u64 * f.bits as u64).min(u32::MAX as u64) as u32;
                let name = unique(if f.count > 1 { format!("{base}_{e}") } else { base.clone() });
                let raw = format!("{doc} Element {e} as raw little-endian bytes ({} bits).", f.bits);
                if full > 0 {
                    fields.push(ReportField {
                        name: name.clone(),
                        ty: FieldTy { scalar: Scalar::U8, array: Some(full) },
                        bit_offset: off,
                        bits: 8,
                        doc: Some(raw.clone()),
                    });
                }
                if rem > 0 {
                    fields.push(ReportField {
                        name: unique(format!("{name}_hi")),
                        ty: FieldTy { scalar: Scalar::U8, array: None },
                        bit_offset: off.saturating_add(full * 8),
                        bits: rem,
                        doc: Some(format!("The top {rem} bits of `{name}`.")),
                    });
                }
            }
            continue;
        };
        let distinct: Vec<u32> = {
            let mut v = Vec::new();
            for u in &f.usages {
                if !v.contains(u) {
                    v.push(*u);
                }
            }
            v
        };
        if f.name.is_none() && f.variable && f.count > 1 && f.usage_range.is_none() && distinct.len() == f.count as usize {
            // One scalar field per element, named by its usage (X, Y, Wheel...).
            for (i, u) in distinct.iter().enumerate() {
                fields.push(ReportField {
                    name: unique(snake_ident(&uname(*u))),
                    ty: FieldTy { scalar, array: None },
                    bit_offset: f.bit_offset.saturating_add((i as u32).saturating_mul(f.bits)),
                    bits: f.bits,
                    doc: Some(doc.clone()),
                });
            }
            continue;
        }
        if f.variable && f.bits == 1 && f.count > 1 && f.count <= 32 && f.usage_range.is_some() && f.logical_min >= 0 {
            // A usage range of 1-bit values (buttons, modifier keys, LEDs) as one unsigned
            // integer: bit i is usage_min + i, as on the wire.
            let page = f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page);
            let scalar = match f.count {
                0..=8 => Scalar::U8,
                9..=16 => Scalar::U16,
                _ => Scalar::U32,
            };
            fields.push(ReportField {
                name: unique(f.name.clone().unwrap_or_else(|| snake_ident(&page_display(page)))),
                ty: FieldTy { scalar, array: None },
                bit_offset: f.bit_offset,
                bits: f.count,
                doc: Some(format!("{doc} Packed bits: bit i is usage_min + i.")),
            });
            continue;
        }
        let base = if let Some(n) = &f.name {
            n.clone()
        } else if f.count == 1 && !distinct.is_empty() && f.usage_range.is_none() {
            snake_ident(&uname(distinct[0]))
        } else if f.count == 1 && f.usage_range.is_some() && f.variable {
            snake_ident(&uname(f.usage_of(0).unwrap_or(0)))
        } else {
            let page = f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page);
            snake_ident(&page_display(page))
        };
        fields.push(ReportField {
            name: unique(base),
            ty: FieldTy { scalar, array: (f.count > 1).then_some(f.count) },
            bit_offset: f.bit_offset,
            bits: f.bits,
            doc: Some(doc),
        });
    }
    let doc = format!(
        "{} report{} ({} on the wire).",
        kind_ident(report.kind),
        report.id.map(|i| format!(" ID {i}")).unwrap_or_default(),
        n_bytes(report.bytes as u64)
    );
    ReportType {
        name: name.to_string(),
        kind: report.kind,
        id: report.id.unwrap_or(0).min(255) as u8,
        len: report.bytes as usize,
        interface,
        fields,
        doc: Some(doc),
    }
}

fn field_doc(f: &LayoutField) -> String {
    use crate::hid::usages::full_usage_display;
    let usages = match f.usage_range {
        Some((a, b)) if f.usages.is_empty() => format!("{} ..= {}", full_usage_display(a), full_usage_display(b)),
        _ => f.usages.iter().map(|u| full_usage_display(*u)).collect::<Vec<_>>().join(", "),
    };
    format!(
        "{usages}; bit {}, {} × {} bits, logical {}..={}{}.",
        f.bit_offset,
        f.count,
        f.bits,
        f.logical_min,
        f.logical_max,
        if f.variable { "" } else { ", array of usage indices" }
    )
}

/// Type name for a TOML report: `Input`, `Output`, `Feature`, with the ID appended when present
/// (`Input1`).
pub fn layout_type_name(report: &Report) -> String {
    match report.id {
        Some(id) => format!("{}{id}", kind_ident(report.kind)),
        None => kind_ident(report.kind).to_string(),
    }
}
