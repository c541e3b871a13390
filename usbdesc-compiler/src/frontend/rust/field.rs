//! One struct field with its `#[input(..)]` / `#[output(..)]` / `#[feature(..)]` attribute → a
//! field-form [`Field`], one function per attribute key (or group of keys that go together).

use super::args::*;
use super::codes::*;
use super::{err, Arg, ArgValue, FieldDecl, LoweredField, TyDecl};
use crate::diag::{Diagnostics, Span};
use crate::hid::field::{Field, LocalUsage, UsageRef};
use crate::hid::item::{MainFlags, ReportKind};
use crate::hid::lint::{DATA_WITHOUT_USAGE, NOT_REPRESENTABLE};
use crate::hid::usages::PageScope;
use crate::hid::values;
use crate::scalar::Scalar;

/// What a field is lowered in: the report ID of its report, the usage page in effect (updated
/// by the field's `usage_page`), and the lint codes the descriptor allows.
pub(super) struct Cx<'a> {
    pub report_id: Option<u8>,
    pub page: &'a mut PageScope,
    pub allow: &'a [String],
}

const FIELD_KEYS: &[&str] = &[
    "usage_page", "usage", "usages", "usage_min", "usage_max", "logical_min", "logical_max", "physical_min",
    "physical_max", "unit", "unit_exponent", "bits", "count", "order", "sizes", "padding", "flags",
];

/// Keys padding cannot have: it has no usage.
const USAGE_KEYS: &[&str] = &["usage", "usages", "usage_min", "usage_max"];

/// The field's type as a scalar (`None` for `()` padding) and array length.
type Shape = (Option<Scalar>, Option<u32>);

/// Lower one field.
pub(super) fn field(f: &FieldDecl, cx: &mut Cx, d: &mut Diagnostics) -> Option<(Field, LoweredField)> {
    let (kind, args) = kind(f, d)?;
    let mut ok = repeated_keys(args, d);
    let padding = args.iter().any(|a| a.key == "padding" && a.value == ArgValue::Flag);
    // Data fields default to Data,Var,Abs; padding to Cnst,Arr,Abs.
    let mut flags = if padding { MainFlags::CONSTANT } else { MainFlags::VARIABLE };
    let (rest, flags_ok) = apply_flags(args, &mut flags, d);
    ok &= flags_ok;
    let keyed: Vec<&Arg> = rest.into_iter().filter(|a| a.key != "padding").collect();
    for a in &keyed {
        if !FIELD_KEYS.contains(&a.key.as_str()) {
            let mut all: Vec<&str> = FIELD_KEYS.to_vec();
            all.extend(flag_words());
            unknown_key(a, &all, d);
            ok = false;
        }
    }
    let get = |k: &str| keyed.iter().copied().find(|a| a.key == k);
    // A `()` data field of no bits (`bits = 0` or `count = 0`): nothing to carry, as some real
    // descriptors declare (the lints say what hosts make of it; `allow` them on purpose).
    let empty = f.ty == TyDecl::Unit && !padding && ["bits", "count"].iter().any(|k| get(k).is_some_and(|a| a.value == ArgValue::Int(0)));
    let shape = shape(f, padding || empty, d)?;
    let bits = match get("bits") {
        Some(a) if empty && a.value == ArgValue::Int(0) => 0,
        a => bits(a, shape, f, d)?,
    };
    let count = count(get("count"), shape, bits, f, d)?;
    let mut out = Field { kind: Some(kind), span: Some(f.span), ..Default::default() };
    (out.globals.bits, out.globals.count) = (Some(bits), Some(count));
    out.globals.report_id = cx.report_id.map(u32::from);
    if let Some(a) = get("order") {
        out.emit = order_of(a, d);
        ok &= out.emit.is_some();
    }
    if let Some(a) = get("sizes") {
        match sizes_of(a, &[kind.tag()], d) {
            Some(s) => out.sizes = s,
            None => ok = false,
        }
    }
    if let Some(a) = get("flags") {
        ok &= raw_flags(a, args, &mut flags, d);
    }
    if padding {
        ok &= padding_rules(f, args, flags, d);
    }
    out.flags = MainFlags(flags);
    ok &= usages(&get, cx.page, &mut out, d);
    if !padding && out.usages.is_empty() && ok && !cx.allow.iter().any(|a| a == DATA_WITHOUT_USAGE) {
        d.push(
            err(MISSING_USAGE, format!("field `{}` has no usage", f.name), f.span)
                .help(format!("add `usage = \"...\"`, `usages = [...]` or `usage_min`/`usage_max`; for constant filler use `padding` (or `allow({DATA_WITHOUT_USAGE})` on purpose)")),
        );
        return None;
    }
    ok &= logical(&get, shape.0, bits, f, cx.allow, &mut out, d).is_some();
    ok &= physical(&get, &mut out, d).is_some();
    if let Some(a) = get("unit") {
        out.globals.unit = unit_of(a, d);
        ok &= out.globals.unit.is_some();
    }
    if let Some(a) = get("unit_exponent") {
        out.globals.unit_exponent = int_in(a, values::UNIT_EXPONENT, d).map(|e| e as i8);
        ok &= out.globals.unit_exponent.is_some();
    }
    let lowered = LoweredField { name: f.name.clone(), kind, scalar: shape.0.unwrap_or(Scalar::U8), array: shape.1, padding: padding || empty, span: f.span };
    ok.then_some((out, lowered))
}

/// The one report kind attribute of the field and its arguments.
fn kind<'f>(f: &'f FieldDecl, d: &mut Diagnostics) -> Option<(ReportKind, &'f [Arg])> {
    match f.kinds.as_slice() {
        [] => {
            d.push(
                err(MISSING_KIND, format!("field `{}` is not declared as input, output or feature", f.name), f.span)
                    .help("add `#[input(...)]`, `#[output(...)]` or `#[feature(...)]` to the field"),
            );
            None
        }
        [(k, _, a)] => Some((*k, a.as_slice())),
        [_, (_, second, _), ..] => {
            d.push(
                err(TWO_KINDS, format!("field `{}` has more than one report kind", f.name), *second)
                    .help("a field belongs to one report: keep one of `#[input]`, `#[output]`, `#[feature]`"),
            );
            None
        }
    }
}

/// The Rust type: a scalar or an array of one, or `()` for padding.
fn shape(f: &FieldDecl, padding: bool, d: &mut Diagnostics) -> Option<Shape> {
    let shape = match &f.ty {
        TyDecl::Scalar(s) if !padding => (Some(*s), None),
        TyDecl::Array(s, n) if !padding => {
            if *n == 0 || *n > 0xFFFF {
                d.push(err(COUNT_MISMATCH, format!("array length {n} is not a valid report count"), f.ty_span).help("use 1..=65535 elements"));
                return None;
            }
            (Some(*s), Some(*n as u32))
        }
        TyDecl::Unit if padding => (None, None),
        TyDecl::Scalar(_) | TyDecl::Array(..) => {
            d.push(
                err(PADDING_MISUSE, format!("padding field `{}` has a type", f.name), f.ty_span)
                    .help("padding exists only in the descriptor (the packer writes zeros): give it type `()`"),
            );
            return None;
        }
        TyDecl::Unit => {
            d.push(
                err(UNSUPPORTED_TYPE, format!("field `{}` has type `()`", f.name), f.ty_span)
                    .help("`()` is only for padding: add `padding, bits = N`, or use bool, u8..u64, i8..i64 or an array of them"),
            );
            return None;
        }
        TyDecl::Unsupported(t) => {
            d.push(
                err(UNSUPPORTED_TYPE, format!("`{t}` is not a report field type"), f.ty_span)
                    .help("use bool, u8, u16, u32, u64, i8, i16, i32, i64, or an array `[T; N]` of them"),
            );
            return None;
        }
    };
    Some(shape)
}

/// `bits`: at most the element type's width; padding must say it.
fn bits(a: Option<&Arg>, (scalar, _): Shape, f: &FieldDecl, d: &mut Diagnostics) -> Option<u32> {
    let Some(a) = a else {
        if let Some(s) = scalar {
            return Some(s.width());
        }
        d.push(
            err(PADDING_MISUSE, format!("padding field `{}` needs `bits = N`", f.name), f.span)
                .help("a `()` padding field has no width of its own: add e.g. `bits = 3`"),
        );
        return None;
    };
    let n = want_int(a, d)?;
    let max = scalar.map(|s| s.width() as i64).unwrap_or(u32::MAX as i64);
    if n < 1 || n > max {
        let what = scalar.map(|s| format!("`{}`", s.name())).unwrap_or_else(|| "padding".into());
        d.push(
            err(TOO_MANY_BITS, format!("{n} bits do not fit {what}"), a.span)
                .label(Some(f.ty_span), format!("this type holds at most {max} bits"))
                .help(match scalar {
                    Some(s) if n > max => format!("use a wider type than `{}`, or `bits = {max}` or fewer", s.name()),
                    _ => format!("use 1..={max} bits"),
                }),
        );
        return None;
    }
    Some(n as u32)
}

/// `count`: the array length; on an unsigned integer, packed bits; on padding, any number of
/// `bits`-bit elements.
fn count(a: Option<&Arg>, (scalar, array): Shape, bits: u32, f: &FieldDecl, d: &mut Diagnostics) -> Option<u32> {
    let elems = array.unwrap_or(1);
    let Some(a) = a else { return Some(elems) };
    let n = want_int(a, d)?;
    let Some(s) = scalar else {
        if !(0..=0xFFFF_FFFF).contains(&n) {
            d.push(err(COUNT_MISMATCH, format!("`count = {n}` is not a report count"), a.span).help("a Report Count is 0..=4294967295"));
            return None;
        }
        return Some(n as u32);
    };
    if array.is_none() && s != Scalar::Bool && n > 1 {
        // Packed bits: an unsigned integer holding `count` elements of `bits` bits, element i at
        // bit i × bits (a run of buttons or modifier keys as one `u8`).
        let width = s.width() as i64;
        let explicit_bits = f.kinds.iter().flat_map(|(_, _, args)| args).any(|x| x.key == "bits");
        if s.signed() || !explicit_bits || n * bits as i64 > width || n > 0xFFFF {
            let help = if s.signed() {
                format!("packed bits are unsigned: use `u{}`, element i at bit i × bits", s.width())
            } else if !explicit_bits {
                format!("packed bits need the element width: add `bits = 1` (at most {} bits each)", width / n.min(width))
            } else {
                format!("`{}` holds {width} bits: use fewer elements, fewer bits, or a wider type", s.name())
            };
            d.push(
                err(COUNT_MISMATCH, format!("`count = {n}` × {bits} bits do not pack into `{}`", s.name()), a.span)
                    .label(Some(f.ty_span), "a scalar with `count` packs its elements as bits")
                    .help(help),
            );
            return None;
        }
        return Some(n as u32);
    }
    if n != elems as i64 {
        d.push(
            err(COUNT_MISMATCH, format!("`count = {n}` does not match the field's {elems} element(s)"), a.span)
                .label(Some(f.ty_span), "the type gives the count")
                .help("drop `count`: it is taken from the array length"),
        );
        return None;
    }
    Some(elems)
}

/// `flags = N`: the main item's whole data (for bits no flag word names); not with flag words.
fn raw_flags(a: &Arg, args: &[Arg], flags: &mut u32, d: &mut Diagnostics) -> bool {
    let Some(n) = int_in(a, values::UNIT, d) else { return false };
    if let Some(w) = args.iter().find(|x| x.value == ArgValue::Flag && MainFlags::bit_for(&x.key).is_some()) {
        d.push(
            err(CONFLICTING_ARGS, format!("`flags = {n}` conflicts with `{}`", w.key), w.key_span)
                .label(Some(a.span), "the whole main item data")
                .help("give the flags either as words or as one number"),
        );
        return false;
    }
    *flags = n as u32;
    true
}

/// Padding is constant and has no usages; it may carry any flags and globals.
fn padding_rules(f: &FieldDecl, args: &[Arg], flags: u32, d: &mut Diagnostics) -> bool {
    let mut ok = true;
    for a in args.iter().filter(|a| USAGE_KEYS.contains(&a.key.as_str())) {
        d.push(
            err(PADDING_MISUSE, format!("padding cannot have `{}`", a.key), a.key_span)
                .label(Some(f.span), "this field is constant padding")
                .help("padding has no usage: drop it, or drop `padding` to make a data (or `constant`) field"),
        );
        ok = false;
    }
    if flags & MainFlags::CONSTANT == 0 {
        let at = args.iter().find(|a| a.key == "data" || a.key == "flags").map(|a| a.key_span).unwrap_or(f.span);
        d.push(
            err(PADDING_MISUSE, "padding is constant", at)
                .label(Some(f.span), "this field is padding")
                .help("drop `data` (padding is Cnst); a data field without usages is not padding"),
        );
        ok = false;
    }
    ok
}

/// `usage_page`, `usage`, `usages = [..]`, `usage_min` + `usage_max`, in that order.
fn usages<'a>(get: &impl Fn(&str) -> Option<&'a Arg>, page: &mut PageScope, out: &mut Field, d: &mut Diagnostics) -> bool {
    let mut ok = true;
    if let Some(a) = get("usage_page") {
        *page = page_of(&a.value, a.span, d);
        out.usage_page = page.page();
        ok &= out.usage_page.is_some();
    }
    if let Some(a) = get("usage") {
        match usage_of(&a.value, a.span, *page, d) {
            Some(u) => out.usages.push(LocalUsage::Usage(u)),
            None => ok = false,
        }
    }
    if let Some(a) = get("usages") {
        match &a.value {
            ArgValue::List(list) => {
                for (v, sp) in list {
                    match usage_of(v, *sp, *page, d) {
                        Some(u) => out.usages.push(LocalUsage::Usage(u)),
                        None => ok = false,
                    }
                }
            }
            _ => {
                d.push(err(BAD_VALUE, "`usages` takes a list", a.span).help("e.g. `usages = [\"X\", \"Y\"]`"));
                ok = false;
            }
        }
    }
    match (get("usage_min"), get("usage_max")) {
        (Some(a), Some(b)) => match (usage_of(&a.value, a.span, *page, d), usage_of(&b.value, b.span, *page, d)) {
            (Some(x), Some(y)) => {
                out.usages.push(LocalUsage::Min(x));
                out.usages.push(LocalUsage::Max(y));
            }
            _ => ok = false,
        },
        (Some(a), None) | (None, Some(a)) => {
            d.push(
                err(MISSING_USAGE, format!("`{}` needs its partner", a.key), a.key_span)
                    .help("a usage range needs both `usage_min` and `usage_max`"),
            );
            ok = false;
        }
        (None, None) => {}
    }
    if out.usage_page.is_none() && out.usages.iter().any(|u| matches!(u.usage(), UsageRef::Id(_))) {
        out.usage_page = page.page();
    }
    ok
}

/// A signed 32-bit value argument and its span.
fn value(a: Option<&Arg>, d: &mut Diagnostics) -> Option<Option<(i64, Span)>> {
    match a {
        None => Some(None),
        Some(a) => int_in(a, values::VALUE_32, d).map(|n| Some((n, a.span))),
    }
}

/// `logical_min`/`logical_max`: default the Rust type's range in `bits`; the values must fit the
/// type and (unless `allow`ed, as the lints say) be a non-empty range that fits `bits`. Padding
/// takes only what it is given.
fn logical<'a>(
    get: &impl Fn(&str) -> Option<&'a Arg>,
    scalar: Option<Scalar>,
    bits: u32,
    f: &FieldDecl,
    allow: &[String],
    out: &mut Field,
    d: &mut Diagnostics,
) -> Option<()> {
    // `logical_min = in_effect`: not stated, the value in effect is used (0 where none was ever
    // set, as hosts read it); what real descriptors that never set one need.
    let in_effect = |k: &str| get(k).is_some_and(|a| a.value == ArgValue::Ident("in_effect".into()));
    if in_effect("logical_min") || in_effect("logical_max") {
        let bound = |k: &str, d: &mut Diagnostics| if in_effect(k) { Some(None) } else { value(get(k), d).map(|v| v.map(|x| x.0)) };
        out.globals.logical_min = bound("logical_min", d)?;
        out.globals.logical_max = bound("logical_max", d)?;
        return Some(());
    }
    let lmin = value(get("logical_min"), d)?;
    let lmax = value(get("logical_max"), d)?;
    let Some(scalar) = scalar else {
        out.globals.logical_min = lmin.map(|x| x.0);
        out.globals.logical_max = lmax.map(|x| x.0);
        return Some(());
    };
    let (tmin, tmax) = scalar.range();
    let (dmin, dmax) = type_range(scalar, bits);
    let min = lmin.map(|x| x.0).unwrap_or(dmin);
    let max = lmax.map(|x| x.0).unwrap_or(dmax);
    let at = lmin.or(lmax).map(|x| x.1).unwrap_or(f.span);
    let allowed = |code: &str| allow.iter().any(|a| a == code);
    if min > max {
        if lmin.is_some() && lmax.is_some() {
            // Both given: the lints judge it as they do in TOML (UD4122, or UD4124 when the
            // maximum is a negative number that was meant unsigned).
            out.globals.logical_min = Some(min);
            out.globals.logical_max = Some(max);
            return Some(());
        }
        d.push(
            err(RANGE_NOT_REPRESENTABLE, format!("logical range {min}..={max} is empty"), at)
                .help(format!("logical_min must not exceed logical_max (the other bound comes from the type `{}`)", scalar.name())),
        );
        return None;
    }
    for (v, sp) in [lmin, lmax].into_iter().flatten() {
        if v < tmin || v > tmax {
            d.push(
                err(RANGE_NOT_REPRESENTABLE, format!("{v} is not representable as `{}`", scalar.name()), sp)
                    .label(Some(f.ty_span), format!("`{}` holds {tmin}..={tmax}", scalar.name()))
                    .help("widen the field type or narrow the logical range"),
            );
            return None;
        }
    }
    // i128: a 64-bit field's bounds do not fit i64 arithmetic.
    let (bmin, bmax) = if min < 0 { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
    if scalar != Scalar::Bool && ((min as i128) < bmin || (max as i128) > bmax) && !allowed(NOT_REPRESENTABLE) {
        d.push(
            err(RANGE_NOT_REPRESENTABLE, format!("logical range {min}..={max} needs more than {bits} bits"), at)
                .help(format!("{bits} bits hold {bmin}..={bmax}: raise `bits` or narrow the range (or `allow({NOT_REPRESENTABLE})` on purpose)")),
        );
        return None;
    }
    out.globals.logical_min = Some(min);
    out.globals.logical_max = Some(max);
    Some(())
}

/// The logical range a field's type gives in `bits` bits.
fn type_range(scalar: Scalar, bits: u32) -> (i64, i64) {
    if scalar == Scalar::Bool {
        return (0, 1);
    }
    let bits = bits.min(32);
    if scalar.signed() {
        (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
    } else if bits == 32 {
        // HID logical values are signed 32-bit: a u32's derived maximum is i32::MAX.
        (0, i32::MAX as i64)
    } else {
        (0, (1i64 << bits) - 1)
    }
}

/// `physical_min`, `physical_max`: each one the field gives (one it does not give is the
/// enclosing collections', else none).
fn physical<'a>(get: &impl Fn(&str) -> Option<&'a Arg>, out: &mut Field, d: &mut Diagnostics) -> Option<()> {
    out.globals.physical_min = value(get("physical_min"), d)?.map(|x| x.0);
    out.globals.physical_max = value(get("physical_max"), d)?.map(|x| x.0);
    Some(())
}
