//! The `#[hid_report]` front end: Rust struct declarations (already taken apart by the proc macro
//! into plain data) → HID field form, checked here so the macro crate stays thin.
//!
//! Spans are whatever the caller gives: the macro numbers its tokens and passes `Span { start: i,
//! end: i + 1 }`, then maps diagnostics back to the i-th `proc_macro2::Span`.
//!
//! Codes `UD70xx` (see [`codes`]).

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::scalar::Scalar;
use crate::hid::field::{Collection, Field, LocalUsage, Node, UsageRef};
use crate::hid::item::{CollectionKind, MainFlags, ReportKind, Tag};
use crate::hid::usages::{self, NameSite, PageScope};
use crate::names::did_you_mean;

/// Stable diagnostic codes of the macro front end.
pub mod codes {
    pub const UNKNOWN_KEY: &str = "UD7001";
    pub const BAD_VALUE: &str = "UD7002";
    pub const UNKNOWN_PAGE: &str = "UD7003";
    pub const UNKNOWN_USAGE: &str = "UD7004";
    pub const UNSUPPORTED_TYPE: &str = "UD7005";
    pub const TOO_MANY_BITS: &str = "UD7006";
    pub const RANGE_NOT_REPRESENTABLE: &str = "UD7007";
    pub const MISSING_USAGE: &str = "UD7008";
    pub const PADDING_MISUSE: &str = "UD7009";
    pub const DUPLICATE_REPORT_ID: &str = "UD7010";
    pub const BAD_REPORT_ID: &str = "UD7011";
    pub const COUNT_MISMATCH: &str = "UD7012";
    pub const MIXED_REPORT_IDS: &str = "UD7013";
    pub const MISSING_KIND: &str = "UD7015";
    pub const TWO_KINDS: &str = "UD7016";
    pub const INCLUDE_IO: &str = "UD7020";
    /// `include_device!` in a build without the macros' `device` feature.
    pub const INCLUDE_FEATURE: &str = "UD7021";
    /// The report layout lost a field the macro declared (a bug in usbdesc).
    pub const INTERNAL: &str = "UD7099";
}
use codes::*;

/// An attribute argument value.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgValue {
    /// A bare word (`padding`, `relative`).
    Flag,
    Int(i64),
    Str(String),
    /// `key = word` (e.g. `collection = application`).
    Ident(String),
    List(Vec<(ArgValue, Span)>),
    /// `key(...)`.
    Call(Vec<Arg>),
}

/// `key`, `key = value` or `key(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub key: String,
    pub key_span: Span,
    pub value: ArgValue,
    /// Span of the value (the key for flags).
    pub span: Span,
}

/// A field's Rust type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TyDecl {
    Scalar(Scalar),
    Array(Scalar, u64),
    /// `()`, for padding.
    Unit,
    Unsupported(String),
}

/// One struct field with its `#[input(..)]` / `#[output(..)]` / `#[feature(..)]` attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: String,
    /// Unique span of the field (its name); also the span of the field node and its items.
    pub span: Span,
    pub ty: TyDecl,
    pub ty_span: Span,
    /// Every kind attribute found: (kind, span of the attribute name, its arguments).
    pub kinds: Vec<(ReportKind, Span, Vec<Arg>)>,
}

/// A `#[hid_report(..)]` struct.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportDecl {
    pub name: String,
    /// Unique span of the struct name; also the span of its collections.
    pub span: Span,
    pub args: Vec<Arg>,
    pub fields: Vec<FieldDecl>,
}

/// What a field became.
#[derive(Clone, Debug, PartialEq)]
pub struct LoweredField {
    pub name: String,
    pub kind: ReportKind,
    pub scalar: Scalar,
    pub array: Option<u32>,
    pub padding: bool,
    /// The span given to the field node (= `FieldDecl::span`), which the layout carries.
    pub span: Span,
}

/// What a struct became.
#[derive(Clone, Debug, PartialEq)]
pub struct LoweredReport {
    pub name: String,
    pub report_id: Option<u8>,
    pub fields: Vec<LoweredField>,
}

fn err(code: &'static str, msg: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(code, msg).at(span)
}

fn want_int(a: &Arg, d: &mut Diagnostics) -> Option<i64> {
    match &a.value {
        ArgValue::Int(n) => Some(*n),
        _ => {
            d.push(err(BAD_VALUE, format!("`{}` takes an integer", a.key), a.span).help(format!("write `{} = 1`", a.key)));
            None
        }
    }
}

/// A usage page argument: a HUT name or a number ([`usages::page_by_name`], as in TOML).
/// [`PageScope::Unknown`] when it was reported bad.
fn page_of(v: &ArgValue, span: Span, d: &mut Diagnostics) -> PageScope {
    let site = NameSite { span, code: UNKNOWN_PAGE, path: "" };
    let p = match v {
        ArgValue::Int(n) if (0..=0xFFFF).contains(n) => Some(*n as u16),
        ArgValue::Str(s) | ArgValue::Ident(s) => usages::page_by_name(s, site, d),
        _ => {
            d.push(err(BAD_VALUE, "a usage page is a name or a number 0..=0xFFFF", span).help("e.g. `usage_page = \"Generic Desktop\"`"));
            None
        }
    };
    p.map(PageScope::Page).unwrap_or(PageScope::Unknown)
}

/// A usage argument: a name on the page in effect ([`usages::usage_by_name`]) or a number.
fn usage_of(v: &ArgValue, span: Span, page: PageScope, d: &mut Diagnostics) -> Option<UsageRef> {
    match v {
        ArgValue::Int(n) if (0..=0xFFFF).contains(n) => Some(UsageRef::Id(*n as u16)),
        ArgValue::Int(n) if (0..=0xFFFF_FFFF).contains(n) => Some(UsageRef::Extended(*n as u32)),
        ArgValue::Str(s) | ArgValue::Ident(s) => {
            usages::usage_by_name(page, s, NameSite { span, code: UNKNOWN_USAGE, path: "" }, d).map(UsageRef::Id)
        }
        _ => {
            d.push(err(BAD_VALUE, "a usage is a name or a number", span).help("e.g. `usage = \"X\"` or `usage = 0x30`"));
            None
        }
    }
}

fn unknown_key(a: &Arg, known: &[&str], d: &mut Diagnostics) {
    let mut diag = err(UNKNOWN_KEY, format!("unknown attribute `{}`", a.key), a.key_span);
    diag = match did_you_mean(&a.key, known.iter().copied()) {
        Some(m) => diag.help(format!("did you mean `{m}`?")),
        None => diag.help(format!("known: {}", known.join(", "))),
    };
    d.push(diag);
}

fn collection_kind(v: &ArgValue, span: Span, d: &mut Diagnostics) -> Option<CollectionKind> {
    let name = match v {
        ArgValue::Ident(s) | ArgValue::Str(s) => s.clone(),
        ArgValue::Int(n) if (0..=255).contains(n) => return Some(CollectionKind::from_u8(*n as u8)),
        _ => String::new(),
    };
    match CollectionKind::NAMES.iter().find(|(n, _)| *n == name) {
        Some((_, v)) => Some(CollectionKind::from_u8(*v as u8)),
        None => {
            d.push(
                err(BAD_VALUE, format!("unknown collection type `{name}`"), span)
                    .help("one of physical, application, logical, report, named_array, usage_switch, usage_modifier"),
            );
            None
        }
    }
}

const CONTAINER_KEYS: &[&str] = &["usage_page", "usage", "collection", "report_id", "nested"];

/// The container's collections (outermost first) and its report ID.
fn container(r: &ReportDecl, d: &mut Diagnostics) -> (Vec<Collection>, Option<(u8, Span)>, PageScope) {
    let mut outer = Collection::new(CollectionKind::Application).at(Some(r.span));
    let mut page = PageScope::None;
    let mut rid = None;
    let mut nested = Vec::new();
    let mut usage_arg = None;
    for a in &r.args {
        match a.key.as_str() {
            "usage_page" => page = page_of(&a.value, a.span, d),
            "usage" => usage_arg = Some(a),
            "collection" => {
                if let Some(k) = collection_kind(&a.value, a.span, d) {
                    outer.kind = k;
                }
            }
            "report_id" => {
                if let Some(n) = want_int(a, d) {
                    if (1..=255).contains(&n) {
                        rid = Some((n as u8, a.span));
                    } else {
                        d.push(
                            err(BAD_REPORT_ID, format!("report ID {n} is out of range"), a.span)
                                .help("report IDs are 1..=255 (0 is reserved, HID 1.11 §6.2.2.7)"),
                        );
                    }
                }
            }
            "nested" => nested.push(a),
            _ => unknown_key(a, CONTAINER_KEYS, d),
        }
    }
    outer.usage_page = page.page();
    match usage_arg {
        Some(a) => {
            if let Some(u) = usage_of(&a.value, a.span, page, d) {
                outer.usages.push(u);
            }
        }
        None => d.push(
            err(MISSING_USAGE, format!("`{}` has no collection usage", r.name), r.span)
                .help("add `usage_page = \"...\", usage = \"...\"` to `#[hid_report(...)]`, e.g. \"Generic Desktop\" / \"Mouse\""),
        ),
    }
    let mut cols = vec![outer];
    for a in nested {
        let ArgValue::Call(args) = &a.value else {
            d.push(err(BAD_VALUE, "`nested` takes a list: `nested(physical, usage = \"Pointer\")`", a.span));
            continue;
        };
        let mut c = Collection::new(CollectionKind::Physical).at(Some(r.span));
        let mut npage = PageScope::None;
        let mut nusage = None;
        for x in args {
            match (x.key.as_str(), &x.value) {
                ("usage_page", v) => npage = page_of(v, x.span, d),
                ("usage", _) => nusage = Some(x),
                (k, ArgValue::Flag) => {
                    if let Some(kind) = collection_kind(&ArgValue::Ident(k.to_string()), x.key_span, d) {
                        c.kind = kind;
                    }
                }
                _ => unknown_key(x, &["usage_page", "usage", "physical", "logical", "application", "report"], d),
            }
        }
        c.usage_page = npage.page();
        if let Some(x) = nusage {
            if let Some(u) = usage_of(&x.value, x.span, npage.or(page), d) {
                c.usages.push(u);
            }
        }
        cols.push(c);
    }
    (cols, rid, page)
}

const FIELD_KEYS: &[&str] = &[
    "usage_page", "usage", "usages", "usage_min", "usage_max", "logical_min", "logical_max", "physical_min",
    "physical_max", "unit", "unit_exponent", "bits", "count", "order", "padding",
];

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

fn order_tag(name: &str) -> Option<Tag> {
    match name {
        "bits" => Some(Tag::ReportSize),
        "count" => Some(Tag::ReportCount),
        "exponent" => Some(Tag::UnitExponent),
        other => Tag::from_key(other),
    }
}

/// Lower one field; `page` is the usage page in effect (updated).
fn field(f: &FieldDecl, report_id: Option<u8>, page: &mut PageScope, d: &mut Diagnostics) -> Option<(Field, LoweredField)> {
    let (kind, args) = match f.kinds.as_slice() {
        [] => {
            d.push(
                err(MISSING_KIND, format!("field `{}` is not declared as input, output or feature", f.name), f.span)
                    .help("add `#[input(...)]`, `#[output(...)]` or `#[feature(...)]` to the field"),
            );
            return None;
        }
        [(k, _, a)] => (*k, a),
        [_, (_, second, _), ..] => {
            d.push(
                err(TWO_KINDS, format!("field `{}` has more than one report kind", f.name), *second)
                    .help("a field belongs to one report: keep one of `#[input]`, `#[output]`, `#[feature]`"),
            );
            return None;
        }
    };
    let get = |k: &str| args.iter().find(|a| a.key == k);
    let mut flags = MainFlags::VARIABLE;
    let mut ok = true;
    for a in args {
        if FIELD_KEYS.contains(&a.key.as_str()) {
            continue;
        }
        match (&a.value, MainFlags::bit_for(&a.key)) {
            (ArgValue::Flag, Some(bit)) => {
                // Set names set the bit; the clear names (`data`, `array`, `absolute`, ...) clear it.
                let clear = MainFlags::BITS.iter().find(|(_, _, c)| *c == a.key.as_str()).map(|(b, _, _)| *b);
                match clear {
                    Some(b) => flags &= !b,
                    None => flags |= bit,
                }
            }
            _ => {
                let mut all: Vec<&str> = FIELD_KEYS.to_vec();
                all.extend(MainFlags::BITS.iter().flat_map(|(_, a, b)| [*a, *b]));
                unknown_key(a, &all, d);
                ok = false;
            }
        }
    }
    let padding = get("padding").is_some();
    let (scalar, array) = match &f.ty {
        TyDecl::Scalar(s) => (Some(*s), None),
        TyDecl::Array(s, n) => (Some(*s), Some(*n)),
        TyDecl::Unit if padding => (None, None),
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
    if let Some(n) = array {
        if n == 0 || n > 0xFFFF {
            d.push(err(COUNT_MISMATCH, format!("array length {n} is not a valid report count"), f.ty_span).help("use 1..=65535 elements"));
            return None;
        }
    }
    let elems = array.unwrap_or(1) as u32;
    // bits
    let bits = match get("bits") {
        Some(a) => {
            let n = want_int(a, d)?;
            let max = scalar.map(|s| s.width()).unwrap_or(32);
            if n < 1 || n > max as i64 {
                let what = scalar.map(|s| format!("`{}`", s.name())).unwrap_or_else(|| "padding".into());
                d.push(
                    err(TOO_MANY_BITS, format!("{n} bits do not fit {what}"), a.span)
                        .label(Some(f.ty_span), format!("this type holds at most {max} bits"))
                        .help(match scalar {
                            Some(s) if n > max as i64 => format!("use a wider type than `{}`, or `bits = {max}` or fewer", s.name()),
                            _ => format!("use 1..={max} bits"),
                        }),
                );
                return None;
            }
            n as u32
        }
        None => match scalar {
            Some(s) => s.width(),
            None => {
                d.push(
                    err(PADDING_MISUSE, format!("padding field `{}` needs `bits = N`", f.name), f.span)
                        .help("a `()` padding field has no width of its own: add e.g. `bits = 3`"),
                );
                return None;
            }
        },
    };
    let count = match get("count") {
        // Packed bits: an unsigned integer holding `count` elements of `bits` bits, element i at
        // bit i × bits (a run of buttons or modifier keys as one `u8`).
        Some(a) if matches!(f.ty, TyDecl::Scalar(s) if s != Scalar::Bool) && matches!(a.value, ArgValue::Int(n) if n > 1) => {
            let n = want_int(a, d)?;
            let s = scalar.unwrap_or(Scalar::U8);
            let width = s.width() as i64;
            if s.signed() || get("bits").is_none() || n * bits as i64 > width || n > 0xFFFF {
                let help = if s.signed() {
                    format!("packed bits are unsigned: use `u{}`, element i at bit i × bits", s.width())
                } else if get("bits").is_none() {
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
            n as u32
        }
        Some(a) => {
            let n = want_int(a, d)?;
            if n != elems as i64 {
                d.push(
                    err(COUNT_MISMATCH, format!("`count = {n}` does not match the field's {elems} element(s)"), a.span)
                        .label(Some(f.ty_span), "the type gives the count")
                        .help("drop `count`: it is taken from the array length"),
                );
                return None;
            }
            elems
        }
        None => elems,
    };
    let order = match get("order") {
        None => None,
        Some(a) => {
            let ArgValue::List(list) = &a.value else {
                d.push(err(BAD_VALUE, "`order` takes a list of item names", a.span).help("e.g. `order = [count, bits, usage_page, usage_min, usage_max]`"));
                return None;
            };
            let mut tags = Vec::new();
            for (v, sp) in list {
                let name = match v {
                    ArgValue::Ident(s) | ArgValue::Str(s) => s.clone(),
                    _ => String::new(),
                };
                match order_tag(&name) {
                    Some(t) => tags.push(t),
                    None => {
                        d.push(
                            err(BAD_VALUE, format!("`{name}` is not an item name"), *sp).help(
                                "use report_id, usage_page, usage, usage_min, usage_max, logical_min, logical_max, physical_min, physical_max, unit_exponent, unit, bits, count",
                            ),
                        );
                        ok = false;
                    }
                }
            }
            Some(tags)
        }
    };
    let mut out = Field { kind: Some(kind), bits: Some(bits), count: Some(count), span: Some(f.span), emit: order, ..Default::default() };
    out.report_id = report_id.map(u32::from);
    if padding {
        let banned = ["usage_page", "usage", "usages", "usage_min", "usage_max", "logical_min", "logical_max", "physical_min", "physical_max", "unit", "unit_exponent"];
        for a in args {
            let bad_flag = a.value == ArgValue::Flag && a.key != "padding" && a.key != "constant" && MainFlags::bit_for(&a.key).is_some();
            if banned.contains(&a.key.as_str()) || bad_flag {
                d.push(
                    err(PADDING_MISUSE, format!("padding cannot have `{}`", a.key), a.key_span)
                        .label(Some(f.span), "this field is constant padding")
                        .help("padding is always zero: keep only `bits` (and `order`), or drop `padding` to make a data field"),
                );
                ok = false;
            }
        }
        out.flags = MainFlags(MainFlags::CONSTANT);
        let lowered = LoweredField { name: f.name.clone(), kind, scalar: scalar.unwrap_or(Scalar::U8), array: array.map(|n| n as u32), padding: true, span: f.span };
        return ok.then_some((out, lowered));
    }
    let scalar = scalar?;
    if scalar == Scalar::Bool && bits != 1 {
        // unreachable by the check above (bool holds 1 bit); kept for clarity
        return None;
    }
    out.flags = MainFlags(flags);
    // usages
    if let Some(a) = get("usage_page") {
        *page = page_of(&a.value, a.span, d);
        out.usage_page = page.page();
    }
    let mut have_usage = false;
    if let Some(a) = get("usage") {
        have_usage = true;
        if let Some(u) = usage_of(&a.value, a.span, *page, d) {
            out.usages.push(LocalUsage::Usage(u));
        } else {
            ok = false;
        }
    }
    if let Some(a) = get("usages") {
        have_usage = true;
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
        (Some(a), Some(b)) => {
            have_usage = true;
            match (usage_of(&a.value, a.span, *page, d), usage_of(&b.value, b.span, *page, d)) {
                (Some(x), Some(y)) => {
                    out.usages.push(LocalUsage::Min(x));
                    out.usages.push(LocalUsage::Max(y));
                }
                _ => ok = false,
            }
        }
        (Some(a), None) | (None, Some(a)) => {
            d.push(
                err(MISSING_USAGE, format!("`{}` needs its partner", a.key), a.key_span)
                    .help("a usage range needs both `usage_min` and `usage_max`"),
            );
            return None;
        }
        (None, None) => {}
    }
    if !have_usage {
        d.push(
            err(MISSING_USAGE, format!("field `{}` has no usage", f.name), f.span)
                .help("add `usage = \"...\"`, `usages = [...]` or `usage_min`/`usage_max`; for constant filler use `padding`"),
        );
        return None;
    }
    if out.usage_page.is_none() && out.usages.iter().any(|u| matches!(u.usage(), UsageRef::Id(_))) {
        out.usage_page = page.page();
    }
    // logical range
    let (tmin, tmax) = scalar.range();
    let (dmin, dmax) = type_range(scalar, bits);
    let lmin = match get("logical_min") {
        Some(a) => Some((want_int(a, d)?, a.span)),
        None => None,
    };
    let lmax = match get("logical_max") {
        Some(a) => Some((want_int(a, d)?, a.span)),
        None => None,
    };
    let min = lmin.map(|x| x.0).unwrap_or(dmin);
    let max = lmax.map(|x| x.0).unwrap_or(dmax);
    let at = lmin.or(lmax).map(|x| x.1).unwrap_or(f.span);
    if min > max {
        d.push(err(RANGE_NOT_REPRESENTABLE, format!("logical range {min}..={max} is empty"), at).help("logical_min must not exceed logical_max"));
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
        if v < i32::MIN as i64 || v > i32::MAX as i64 {
            d.push(
                err(RANGE_NOT_REPRESENTABLE, format!("{v} does not fit a HID logical value"), sp)
                    .help("HID 1.11 logical values are signed 32-bit: use at most 2147483647"),
            );
            return None;
        }
    }
    // i128: a 64-bit field's bounds do not fit i64 arithmetic.
    let (bmin, bmax) = if min < 0 { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
    if scalar != Scalar::Bool && ((min as i128) < bmin || (max as i128) > bmax) {
        d.push(
            err(RANGE_NOT_REPRESENTABLE, format!("logical range {min}..={max} needs more than {bits} bits"), at)
                .help(format!("{bits} bits hold {bmin}..={bmax}: raise `bits` or narrow the range")),
        );
        return None;
    }
    out.logical_min = Some(min);
    out.logical_max = Some(max);
    match (get("physical_min"), get("physical_max")) {
        (Some(a), Some(b)) => {
            out.physical_min = Some(want_int(a, d)?);
            out.physical_max = Some(want_int(b, d)?);
        }
        (Some(a), None) | (None, Some(a)) => {
            d.push(err(BAD_VALUE, format!("`{}` needs its partner", a.key), a.key_span).help("give both `physical_min` and `physical_max`"));
            return None;
        }
        (None, None) => {}
    }
    if let Some(a) = get("unit") {
        out.unit = Some(want_int(a, d)? as u32);
    }
    if let Some(a) = get("unit_exponent") {
        let e = want_int(a, d)?;
        if !(-8..=7).contains(&e) {
            d.push(err(BAD_VALUE, format!("unit exponent {e} is out of range"), a.span).help("the exponent is -8..=7 (HID 1.11 §6.2.2.7)"));
            return None;
        }
        out.unit_exponent = Some(e as i8);
    }
    let lowered = LoweredField { name: f.name.clone(), kind, scalar, array: array.map(|n| n as u32), padding: false, span: f.span };
    ok.then_some((out, lowered))
}

/// Lower every struct into one descriptor's nodes (declaration order), checking report IDs across
/// structs. Returns `None` when there were errors.
pub fn lower(reports: &[ReportDecl], d: &mut Diagnostics) -> Option<(Vec<Node>, Vec<LoweredReport>)> {
    let errors_before = d.error_count();
    let mut nodes = Vec::new();
    let mut lowered = Vec::new();
    let mut seen: Vec<(u8, Span, &str)> = Vec::new();
    let mut with_id = None;
    let mut without_id = None;
    for r in reports {
        let (mut cols, rid, top_page) = container(r, d);
        match rid {
            Some((id, sp)) => {
                if let Some((_, first, name)) = seen.iter().find(|(x, _, _)| *x == id) {
                    d.push(
                        err(DUPLICATE_REPORT_ID, format!("report ID {id} is used twice"), sp)
                            .label(Some(*first), format!("first used by `{name}`"))
                            .help("give every report struct of one descriptor its own report ID"),
                    );
                } else {
                    seen.push((id, sp, &r.name));
                }
                with_id.get_or_insert(sp);
            }
            None => {
                without_id.get_or_insert(r.span);
            }
        }
        let mut page = cols.iter().rev().find_map(|c| c.usage_page).map(PageScope::Page).unwrap_or(top_page);
        let mut fields = Vec::new();
        let mut children = Vec::new();
        for f in &r.fields {
            if let Some((node, lf)) = field(f, rid.map(|x| x.0), &mut page, d) {
                children.push(Node::Field(node));
                fields.push(lf);
            }
        }
        // Wrap innermost-first.
        let mut inner = children;
        while let Some(mut c) = cols.pop() {
            c.children = inner;
            inner = vec![Node::Collection(c)];
        }
        nodes.extend(inner);
        lowered.push(LoweredReport { name: r.name.clone(), report_id: rid.map(|x| x.0), fields });
    }
    if let (Some(a), Some(b)) = (with_id, without_id) {
        d.push(
            err(MIXED_REPORT_IDS, "some reports of this descriptor have a report ID and some do not", b)
                .label(Some(a), "this one has a report ID")
                .help("once one report uses an ID, every report needs one (HID 1.11 §5.6): add `report_id = N`"),
        );
    }
    (d.error_count() == errors_before).then_some((nodes, lowered))
}
