//! Attribute argument values → HID values: integers, usage pages and usages (HUT names or
//! numbers), units (names or numbers), collection kinds, main item flags, item orders. The ranges
//! and name tables are the TOML field form's ([`crate::hid::values`]).

use super::codes::*;
use super::{err, Arg, ArgValue};
use crate::diag::{Diagnostics, Span};
use crate::hid::field::{Sizes, UsageRef};
use crate::hid::item::{CollectionKind, Item, MainFlags, Tag};
use crate::hid::vocab;
use crate::hid::SpannedItem;
use crate::hid::usages::{self, NameSite, PageScope};
use crate::hid::values::{self, Range};
use crate::names::did_you_mean;

pub(super) fn want_int(a: &Arg, d: &mut Diagnostics) -> Option<i64> {
    match &a.value {
        ArgValue::Int(n) => Some(*n),
        _ => {
            d.push(err(BAD_VALUE, format!("`{}` takes an integer", a.key), a.span).help(format!("write `{} = 1`", a.key)));
            None
        }
    }
}

/// An integer in `r` (the TOML form's range for the same key).
pub(super) fn int_in(a: &Arg, r: Range, d: &mut Diagnostics) -> Option<i64> {
    let n = want_int(a, d)?;
    if !r.contains(n) {
        d.push(err(BAD_VALUE, format!("`{} = {n}` is out of range", a.key), a.span).help(format!("{}: use {}..={}", r.rule, r.lo, r.hi)));
        return None;
    }
    Some(n)
}

/// A usage page argument: a HUT name or a number ([`usages::page_by_name`], as in TOML).
/// [`PageScope::Unknown`] when it was reported bad.
pub(super) fn page_of(v: &ArgValue, span: Span, d: &mut Diagnostics) -> PageScope {
    let site = NameSite { span, code: UNKNOWN_PAGE, path: "" };
    let p = match v {
        ArgValue::Int(n) if values::USAGE_PAGE.contains(*n) => Some(*n as u16),
        ArgValue::Str(s) | ArgValue::Ident(s) => usages::page_by_name(s, site, d),
        _ => {
            d.push(err(BAD_VALUE, "a usage page is a name or a number 0..=0xFFFF", span).help("e.g. `usage_page = \"Generic Desktop\"`"));
            None
        }
    };
    p.map(PageScope::Page).unwrap_or(PageScope::Unknown)
}

/// A usage argument: a name on the page in effect ([`usages::usage_by_name`]) or a number
/// (above 0xFFFF: an extended usage, page << 16 | id).
pub(super) fn usage_of(v: &ArgValue, span: Span, page: PageScope, d: &mut Diagnostics) -> Option<UsageRef> {
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

/// `unit = "centimeter"` or `unit = 0x11` (the TOML field form's names, [`values::unit`]).
pub(super) fn unit_of(a: &Arg, d: &mut Diagnostics) -> Option<u32> {
    match &a.value {
        ArgValue::Str(s) | ArgValue::Ident(s) => {
            let u = values::unit(s);
            if u.is_none() {
                let names: Vec<&str> = values::unit_names().collect();
                let help = match did_you_mean(s, names.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`? (a number 0..=0xFFFFFFFF is also accepted)"),
                    None => format!("one of {} or a number (HID 1.11 §6.2.2.7)", names.join(", ")),
                };
                d.push(err(BAD_VALUE, format!("unknown unit `{s}`"), a.span).help(help));
            }
            u
        }
        _ => int_in(a, values::UNIT, d).map(|n| n as u32),
    }
}

pub(super) fn unknown_key(a: &Arg, known: &[&str], d: &mut Diagnostics) {
    let mut diag = err(UNKNOWN_KEY, format!("unknown attribute `{}`", a.key), a.key_span);
    diag = match did_you_mean(&a.key, known.iter().copied()) {
        Some(m) => diag.help(format!("did you mean `{m}`?")),
        None => diag.help(format!("known: {}", known.join(", "))),
    };
    d.push(diag);
}

/// An argument given twice in one attribute (`bits = 3, bits = 4`): an error, not "the last wins".
/// (`nested` twice has its own message.)
pub(super) fn repeated_keys(args: &[Arg], d: &mut Diagnostics) -> bool {
    let mut ok = true;
    for (i, a) in args.iter().enumerate() {
        if a.key == "nested" {
            continue;
        }
        if let Some(first) = args[..i].iter().find(|b| b.key == a.key && a.value != ArgValue::Flag) {
            d.push(
                err(CONFLICTING_ARGS, format!("`{}` is given twice", a.key), a.key_span)
                    .label(Some(first.key_span), "first given here")
                    .help("keep one"),
            );
            ok = false;
        }
    }
    ok
}

/// A collection kind: a name (`physical`, `application`, ...) or a number 0..=255 (vendor kinds).
pub(super) fn collection_kind(v: &ArgValue, span: Span, d: &mut Diagnostics) -> Option<CollectionKind> {
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
                    .help("one of physical, application, logical, report, named_array, usage_switch, usage_modifier, or `kind = 0x80`"),
            );
            None
        }
    }
}

/// Every main item flag word (`constant`, `data`, `variable`, `array`, ...).
pub(super) fn flag_words() -> impl Iterator<Item = &'static str> {
    MainFlags::BITS.iter().flat_map(|(_, a, b)| [*a, *b])
}

/// Apply the flag words of `args` to `flags`: set names set their bit, clear names (`data`,
/// `array`, `absolute`, ...) clear it. A bit both set and cleared is an error. Returns the
/// arguments that are not flag words.
pub(super) fn apply_flags<'a>(args: &'a [Arg], flags: &mut u32, d: &mut Diagnostics) -> (Vec<&'a Arg>, bool) {
    let mut rest = Vec::new();
    let mut ok = true;
    let mut said: Vec<(u32, &Arg)> = Vec::new();
    for a in args {
        let (ArgValue::Flag, Some((bit, set, _))) = (&a.value, MainFlags::BITS.iter().find(|(_, s, c)| *s == a.key || *c == a.key)) else {
            rest.push(a);
            continue;
        };
        let on = *set == a.key;
        if let Some((_, first)) = said.iter().find(|(b, x)| b == bit && (MainFlags::BITS.iter().any(|(_, s, _)| *s == x.key)) != on) {
            d.push(
                err(CONFLICTING_ARGS, format!("`{}` contradicts `{}`", a.key, first.key), a.key_span)
                    .label(Some(first.key_span), "given here")
                    .help("a main item bit is either set or clear: keep one of the two words"),
            );
            ok = false;
        }
        said.push((*bit, a));
        if on {
            *flags |= bit;
        } else {
            *flags &= !bit;
        }
    }
    (rest, ok)
}

/// `order = [count, bits, usage_page, ...]`: the exact item order before a main item.
pub(super) fn order_of(a: &Arg, d: &mut Diagnostics) -> Option<Vec<Tag>> {
    let ArgValue::List(list) = &a.value else {
        d.push(err(BAD_VALUE, "`order` takes a list of item names", a.span).help("e.g. `order = [count, bits, usage_page, usage_min, usage_max]`"));
        return None;
    };
    let mut tags = Vec::new();
    let mut ok = true;
    for (v, sp) in list {
        let name = match v {
            ArgValue::Ident(s) | ArgValue::Str(s) => s.clone(),
            _ => String::new(),
        };
        match vocab::prefix_tag(&name) {
            Some(t) => tags.push(t),
            None => {
                d.push(err(BAD_VALUE, format!("`{name}` is not an item name"), *sp).help(format!("use {}", vocab::all_names().join(", "))));
                ok = false;
            }
        }
    }
    ok.then_some(tags)
}

/// `allow(UD4123, "UD4124")`: lint codes whose errors become warnings for this descriptor.
pub(super) fn allow_of(a: &Arg, d: &mut Diagnostics) -> Vec<String> {
    let ArgValue::Call(list) = &a.value else {
        d.push(err(BAD_VALUE, "`allow` takes a list of codes: `allow(UD4123)`", a.span).help("e.g. `allow(UD4123, UD4142)`"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for x in list {
        let code = x.key.to_ascii_uppercase();
        let lint = code.len() == 6 && (code.starts_with("UD41") || code.starts_with("UD80")) && code[2..].bytes().all(|b| b.is_ascii_digit());
        if x.value != ArgValue::Flag || !lint {
            d.push(
                err(BAD_ALLOW, format!("`{}` is not a HID lint code", x.key), x.key_span)
                    .help("`allow` takes the codes of HID lints (UD41xx, UD80xx) that this descriptor breaks on purpose; the macro's own errors cannot be allowed"),
            );
            continue;
        }
        out.push(code);
    }
    out
}

/// `sizes(logical_max = 2, input = 1)`: explicit data sizes (0, 1, 2 or 4 bytes) of items the node
/// writes, by the names of `order` and the node's main items `main` (`input`, `collection`, ...).
pub(super) fn sizes_of(a: &Arg, main: &[Tag], d: &mut Diagnostics) -> Option<Sizes> {
    let ArgValue::Call(list) = &a.value else {
        d.push(err(BAD_VALUE, "`sizes` takes `sizes(name = bytes, ...)`", a.span).help("e.g. `sizes(usage_max = 2, logical_max = 2)`"));
        return None;
    };
    let mut out: Sizes = Vec::new();
    let mut ok = repeated_keys(list, d);
    for x in list {
        let Some(tag) = vocab::prefix_tag(&x.key).or_else(|| main.iter().copied().find(|t| t.key() == x.key)) else {
            let mut names = vocab::all_names();
            names.extend(main.iter().map(|t| t.key()));
            unknown_key(x, &names, d);
            ok = false;
            continue;
        };
        match &x.value {
            ArgValue::Int(n) if vocab::ITEM_SIZES.iter().any(|s| i64::from(*s) == *n) => out.push((tag, *n as u8)),
            _ => {
                d.push(err(BAD_VALUE, format!("`{}`: an item holds 0, 1, 2 or 4 data bytes", x.key), x.span).help("HID 1.11 §6.2.2.2"));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// `#[items(push, usage_page = 1, logical_max(data = 0xff, size = 2), pop)]`: items written as they
/// are, in order (what the field form says with an `items` entry: Push and Pop, a global set and
/// overwritten before it is used). An item is `key` (no data), `key = value` (shortest form) or
/// `key(data = N, size = S)`; `long(tag = N, data = [..])` and `reserved(prefix = N, data = N,
/// size = S)` for long and reserved items.
pub(super) fn items_of(args: &[Arg], span: Span, d: &mut Diagnostics) -> Option<Vec<SpannedItem>> {
    let mut out = Vec::new();
    let mut ok = true;
    for x in args {
        match item_of(x, d) {
            Some(item) => out.push(SpannedItem { item, span: Some(span) }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn item_of(x: &Arg, d: &mut Diagnostics) -> Option<Item> {
    let sub = |k: &str| match &x.value {
        ArgValue::Call(list) => list.iter().find(|a| a.key == k),
        _ => None,
    };
    let int = |k: &str, lo: i64, hi: i64, d: &mut Diagnostics| -> Option<i64> {
        match sub(k) {
            Some(a) => int_in(a, Range { lo, hi, rule: "an item's data" }, d),
            None => {
                d.push(err(BAD_VALUE, format!("`{}(...)` needs `{k}`", x.key), x.key_span).help(format!("e.g. `{}({k} = 1, ...)`", x.key)));
                None
            }
        }
    };
    let size = |d: &mut Diagnostics| -> Option<u8> {
        let n = int("size", 0, 4, d)?;
        if n == 3 {
            d.push(err(BAD_VALUE, "an item holds 0, 1, 2 or 4 data bytes", x.span).help("HID 1.11 §6.2.2.2"));
            return None;
        }
        Some(n as u8)
    };
    if x.key == "long" {
        let tag = int("tag", 0, 255, d)? as u8;
        let data = match sub("data").map(|a| &a.value) {
            Some(ArgValue::List(bytes)) => bytes
                .iter()
                .map(|(v, sp)| match v {
                    ArgValue::Int(b) if (0..=255).contains(b) => Some(*b as u8),
                    _ => {
                        d.push(err(BAD_VALUE, "a long item's data are bytes 0..=255", *sp));
                        None
                    }
                })
                .collect::<Option<Vec<u8>>>()?,
            _ => {
                d.push(err(BAD_VALUE, "`long(...)` needs `data = [bytes]`", x.key_span).help("e.g. `long(tag = 0xF0, data = [1, 2])`"));
                return None;
            }
        };
        return Some(Item::Long { tag, data });
    }
    let tag = match x.key.as_str() {
        "reserved" => Tag::from_prefix(int("prefix", 0, 255, d)? as u8),
        k => match Tag::from_key(k) {
            Some(t) => t,
            None => {
                let names: Vec<&str> = Tag::ALL.iter().map(|t| t.key()).chain(["long", "reserved"]).collect();
                unknown_key(x, &names, d);
                return None;
            }
        },
    };
    match &x.value {
        ArgValue::Flag if tag.is_dataless() => Some(Item::dataless(tag)),
        ArgValue::Int(v) if *v >= i32::MIN as i64 && *v <= u32::MAX as i64 => Some(Item::canonical(tag, *v)),
        ArgValue::Call(_) => {
            let data = int("data", 0, u32::MAX as i64, d)?;
            let item = Item::with_size(tag, size(d)?, data as u32);
            if item.unsigned_value() as i64 != data {
                d.push(err(BAD_VALUE, format!("data {data:#x} does not fit in {} byte(s)", item.data_size()), x.span).help("use a larger `size`"));
                return None;
            }
            Some(item)
        }
        _ => {
            d.push(err(BAD_VALUE, format!("item `{}`: write `{0} = value` or `{0}(data = N, size = S)`", x.key), x.span));
            None
        }
    }
}
