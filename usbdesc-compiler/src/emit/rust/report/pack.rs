//! The pack and unpack code of a report type.
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

use super::naming::n_bytes;
use super::{ReportField, ReportType};
use crate::scalar::Scalar;
use std::fmt::Write;

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
pub(super) fn write_pack(s: &mut String, r: &ReportType) {
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
pub(super) fn write_unpack(s: &mut String, r: &ReportType, rt: &str) {
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

