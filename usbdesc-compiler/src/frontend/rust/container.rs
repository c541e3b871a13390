//! The struct's `#[hid_report(...)]` arguments (its collections, report ID, `part_of`, `inside`,
//! `allow`) and the collection arguments shared by `nested(...)` and a field's
//! `#[collection(...)]`.

use super::args::*;
use super::codes::*;
use super::{err, Arg, ArgValue, ReportDecl};
use crate::diag::{Diagnostics, Span};
use crate::hid::field::{Collection, Globals};
use crate::hid::item::{CollectionKind, Tag};
use crate::hid::values;
use crate::hid::usages::PageScope;

/// What the struct's arguments say.
pub(super) struct Container {
    /// Collections around the struct's fields, outermost first (none with `collection = none`).
    pub cols: Vec<Collection>,
    pub report_id: Option<(u8, Span)>,
    /// `part_of = Name`: the fields belong to the report of an earlier struct.
    pub part_of: Option<(String, Span)>,
    /// `inside = Name`: the fields go inside the (outermost) collection of the struct just before.
    pub inside: Option<(String, Span)>,
    pub allow: Vec<String>,
}

const CONTAINER_KEYS: &[&str] = &["usage_page", "usage", "collection", "report_id", "nested", "part_of", "inside", "allow"];
const COLLECTION_KEYS: &[&str] = &["usage_page", "usage", "usages", "kind", "order", "sizes", "physical", "logical", "application", "report"];
/// Globals a collection can set before its Collection item (the struct's `report_id` is its
/// fields', so a collection's Report ID is given on `#[collection]` or `nested` only).
const GLOBAL_KEYS: &[&str] =
    &["report_id", "logical_min", "logical_max", "physical_min", "physical_max", "unit", "unit_exponent", "bits", "count"];

/// A global argument of a collection into `g`: `None` when `x` is not one, else whether it was good.
fn global(x: &Arg, g: &mut Globals, d: &mut Diagnostics) -> Option<bool> {
    let signed = |d: &mut Diagnostics| int_in(x, values::VALUE_32, d);
    let count = |d: &mut Diagnostics| int_in(x, values::UNIT, d).map(|n| n as u32);
    let ok = match x.key.as_str() {
        "report_id" => report_id(x, d).map(|(id, _)| g.report_id = Some(id.into())).is_some(),
        "logical_min" => signed(d).map(|v| g.logical_min = Some(v)).is_some(),
        "logical_max" => signed(d).map(|v| g.logical_max = Some(v)).is_some(),
        "physical_min" => signed(d).map(|v| g.physical_min = Some(v)).is_some(),
        "physical_max" => signed(d).map(|v| g.physical_max = Some(v)).is_some(),
        "unit" => unit_of(x, d).map(|u| g.unit = Some(u)).is_some(),
        "unit_exponent" => int_in(x, values::UNIT_EXPONENT, d).map(|e| g.unit_exponent = Some(e as i8)).is_some(),
        "bits" => count(d).map(|n| g.bits = Some(n)).is_some(),
        "count" => count(d).map(|n| g.count = Some(n)).is_some(),
        _ => return None,
    };
    Some(ok)
}

fn all_keys(keys: &[&'static str]) -> Vec<&'static str> {
    keys.iter().chain(GLOBAL_KEYS).copied().collect()
}

/// A collection from `kind, usage_page = .., usage = ..` (a `nested(...)` or `#[collection(...)]`
/// list). `page` is the usage page in effect (updated by `usage_page`).
pub(super) fn collection(args: &[Arg], span: Span, page: &mut PageScope, d: &mut Diagnostics) -> Option<Collection> {
    let mut c = Collection::new(CollectionKind::Physical).at(Some(span));
    let mut ok = repeated_keys(args, d);
    let mut kinds = 0;
    for x in args.iter().filter(|x| x.key == "usage_page") {
        *page = page_of(&x.value, x.span, d);
        c.usage_page = page.page();
        ok &= *page != PageScope::Unknown;
    }
    for x in args {
        match (x.key.as_str(), &x.value) {
            ("usage_page", _) => {}
            ("usage", v) => match usage_of(v, x.span, *page, d) {
                Some(u) => c.usages.push(u),
                None => ok = false,
            },
            ("usages", ArgValue::List(list)) => {
                for (v, sp) in list {
                    match usage_of(v, *sp, *page, d) {
                        Some(u) => c.usages.push(u),
                        None => ok = false,
                    }
                }
            }
            ("order", _) => match order_of(x, d) {
                Some(tags) => c.emit = Some(tags),
                None => ok = false,
            },
            ("sizes", _) => match sizes_of(x, &[Tag::Collection, Tag::EndCollection], d) {
                Some(sizes) => c.sizes = sizes,
                None => ok = false,
            },
            ("kind", v) => {
                kinds += 1;
                match collection_kind(v, x.span, d) {
                    Some(k) => c.kind = k,
                    None => ok = false,
                }
            }
            (k, ArgValue::Flag) if CollectionKind::NAMES.iter().any(|(n, _)| *n == k) => {
                kinds += 1;
                if let Some(kind) = collection_kind(&ArgValue::Ident(k.to_string()), x.key_span, d) {
                    c.kind = kind;
                }
            }
            _ => match global(x, &mut c.globals, d) {
                Some(good) => ok &= good,
                None => {
                    unknown_key(x, &all_keys(COLLECTION_KEYS), d);
                    ok = false;
                }
            },
        }
        if kinds > 1 {
            d.push(err(CONFLICTING_ARGS, "a collection has one kind", x.key_span).help("keep one of physical, application, logical, ... (or `kind = N`)"));
            ok = false;
            kinds = 1;
        }
    }
    // A usage given by ID is read on the page in effect: say which, as the TOML form does.
    if c.usage_page.is_none() && !c.usages.is_empty() {
        c.usage_page = page.page();
    }
    ok.then_some(c)
}

/// The struct's arguments. `page` is the usage page in effect (updated).
pub(super) fn container(r: &ReportDecl, page: &mut PageScope, d: &mut Diagnostics) -> Container {
    let mut out = Container { cols: Vec::new(), report_id: None, part_of: None, inside: None, allow: Vec::new() };
    repeated_keys(&r.args, d);
    let mut outer = Collection::new(CollectionKind::Application).at(Some(r.span));
    let mut none = false;
    let mut usage_arg = None;
    let mut nested: Vec<&Arg> = Vec::new();
    for a in &r.args {
        match a.key.as_str() {
            "usage_page" => {
                *page = page_of(&a.value, a.span, d);
                outer.usage_page = page.page();
            }
            "usage" => usage_arg = Some(a),
            "collection" => match &a.value {
                ArgValue::Ident(s) if s == "none" => none = true,
                v => {
                    if let Some(k) = collection_kind(v, a.span, d) {
                        outer.kind = k;
                    }
                }
            },
            "report_id" => out.report_id = report_id(a, d),
            "nested" => nested.push(a),
            "part_of" | "inside" => match &a.value {
                ArgValue::Ident(s) | ArgValue::Str(s) => {
                    let slot = if a.key == "part_of" { &mut out.part_of } else { &mut out.inside };
                    *slot = Some((s.clone(), a.span));
                }
                _ => d.push(err(BAD_VALUE, format!("`{}` takes a struct name", a.key), a.span).help(format!("e.g. `{} = Keyboard`", a.key))),
            },
            "allow" => out.allow.extend(allow_of(a, d)),
            _ => {
                if global(a, &mut outer.globals, d).is_none() {
                    unknown_key(a, &all_keys(CONTAINER_KEYS), d);
                }
            }
        }
    }
    // Structs continuing another have no collection of their own.
    let borrowed = out.part_of.as_ref().or(out.inside.as_ref());
    if let (Some((_, at)), true) = (borrowed, out.part_of.is_some() && out.inside.is_some()) {
        d.push(
            err(CONFLICTING_ARGS, "`part_of` and `inside` cannot be combined", *at)
                .help("`part_of` continues a report somewhere else in the descriptor; `inside` puts a new report in the collection before it"),
        );
    }
    if let Some((name, at)) = borrowed {
        let own = |k: &str| ["usage_page", "usage", "collection", "nested"].contains(&k) || (k != "report_id" && GLOBAL_KEYS.contains(&k));
        for a in r.args.iter().filter(|a| own(&a.key)) {
            d.push(
                err(CONFLICTING_ARGS, format!("`{}` conflicts with continuing `{name}`", a.key), a.key_span)
                    .label(Some(*at), "the fields are placed by this")
                    .help("a continuing struct has no collection of its own: open one with `#[collection(...)]` on a field"),
            );
        }
        if out.part_of.is_some() {
            if let Some((_, rid)) = out.report_id {
                d.push(
                    err(CONFLICTING_ARGS, format!("a part of `{name}` has `{name}`'s report ID"), rid)
                        .help("drop `report_id`: the fields belong to that report"),
                );
            }
        }
        return out;
    }
    if none {
        let own = |k: &str| ["usage", "nested"].contains(&k) || (k != "report_id" && GLOBAL_KEYS.contains(&k));
        for a in r.args.iter().filter(|a| own(&a.key)) {
            d.push(
                err(CONFLICTING_ARGS, format!("`{}` conflicts with `collection = none`", a.key), a.key_span)
                    .help("with `collection = none` the fields sit in the collections opened by `#[collection(...)]`: drop one"),
            );
        }
        return out;
    }
    match usage_arg {
        Some(a) => {
            if let Some(u) = usage_of(&a.value, a.span, *page, d) {
                outer.usages.push(u);
                outer.usage_page = outer.usage_page.or(page.page());
            }
        }
        None => d.push(
            err(MISSING_USAGE, format!("`{}` has no collection usage", r.name), r.span)
                .help("add `usage_page = \"...\", usage = \"...\"` to `#[hid_report(...)]`, e.g. \"Generic Desktop\" / \"Mouse\" (or `collection = none`)"),
        ),
    }
    out.cols.push(outer);
    if let [first, second, ..] = nested.as_slice() {
        d.push(
            err(CONFLICTING_ARGS, "`nested` is given twice", second.key_span)
                .label(Some(first.key_span), "the first nested collection")
                .help("one `nested(...)` wraps the fields; for siblings or deeper collections put `#[collection(...)]` and `#[end_collection]` on fields"),
        );
    }
    if let Some(a) = nested.first() {
        match &a.value {
            ArgValue::Call(args) => {
                if let Some(c) = collection(args, r.span, page, d) {
                    out.cols.push(c);
                }
            }
            _ => d.push(err(BAD_VALUE, "`nested` takes a list: `nested(physical, usage = \"Pointer\")`", a.span)),
        }
    }
    out
}

fn report_id(a: &Arg, d: &mut Diagnostics) -> Option<(u8, Span)> {
    let n = want_int(a, d)?;
    if (1..=255).contains(&n) {
        return Some((n as u8, a.span));
    }
    d.push(
        err(BAD_REPORT_ID, format!("report ID {n} is out of range"), a.span)
            .help("report IDs are 1..=255 (0 is reserved, HID 1.11 §6.2.2.7)"),
    );
    None
}
