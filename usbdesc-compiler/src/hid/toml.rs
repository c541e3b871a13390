//! The two TOML forms of a `report` table, read and written.
//!
//! Field form (`[[report.collection]]`, nested `fields`), item form (`[[report.items]]`, one item per
//! entry) or raw `bytes`. Usage pages and usages are names (HUT) or numbers.

use super::field::{Collection, Field, Globals, LocalUsage, Node, Sizes, UsageRef};
use super::item::{sign_extend, CollectionKind, Item, MainFlags, ReportKind, Tag};
use super::usages::{self, NameSite, PageScope};
use super::values;
use super::SpannedItem;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::tomlr::{did_you_mean, Table, Value, BAD_VALUE, MISSING_KEY, UNKNOWN_NAME};

// Writing needs toml's serde side (feature `emit`).
#[cfg(feature = "emit")]
mod write;
#[cfg(feature = "emit")]
pub use write::{hex_numbers, tidy, write_fields, write_items};

pub const NOT_A_NODE: &str = "UD4024";
pub const FORM_CONFLICT: &str = "UD4025";
pub const ITEM_KEY: &str = "UD4026";
/// Collections nested deeper than [`super::field::MAX_DEPTH`].
pub const TOO_DEEP: &str = "UD4027";

/// What a `report` table holds.
pub enum Parsed {
    /// The nodes and the report's default item order (`order`), if it sets one.
    Fields(Vec<Node>, Option<Vec<Tag>>),
    Items(Vec<SpannedItem>),
    /// The bytes with each byte's place in the TOML source.
    Bytes(Vec<u8>, Vec<Span>),
}

/// Field names become struct fields: one name per descriptor (the generated structs of different
/// reports could share one, but a name is meant to find one field).
fn unique_names<'n>(nodes: &'n [Node], seen: &mut std::collections::HashMap<&'n str, Option<crate::diag::Span>>, d: &mut Diagnostics) {
    for n in nodes {
        match n {
            Node::Collection(c) => unique_names(&c.children, seen, d),
            Node::Items(_) => {}
            Node::Field(f) => {
                let Some(name) = f.name.as_deref() else { continue };
                if let Some(first) = seen.get(name) {
                    d.push(
                        Diagnostic::error(crate::tomlr::BAD_VALUE, format!("field name \"{name}\" is used twice"))
                            .at(f.name_span.or(f.span))
                            .label(*first, "first used here")
                            .help("give each field its own `name`"),
                    );
                } else {
                    seen.insert(name, f.name_span.or(f.span));
                }
            }
        }
    }
}

/// Read a `report` table: exactly one of `collection` (field form), `items` (item form), `bytes`.
pub fn read_report(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<Parsed> {
    let present: Vec<&str> = ["collection", "items", "bytes"].into_iter().filter(|k| t.contains(k)).collect();
    if t.contains("order") && present != ["collection"] {
        d.push(
            Diagnostic::error(FORM_CONFLICT, "`order` sets the item order of the field form: it needs `collection`")
                .at(t.get("order").map(|v| v.span()))
                .help("drop `order`, or write the report in the field form"),
        );
    }
    let out = match present.as_slice() {
        ["collection"] => {
            let mut page = Pages::default();
            let nodes: Vec<Node> = t
                .tables("collection", d)
                .iter()
                .filter_map(|c| read_node(c, &mut page, 1, d))
                .collect();
            unique_names(&nodes, &mut Default::default(), d);
            let order = t.get("order").and_then(|v| read_emit(&v, d)).map(|l| super::vocab::order_from(&l));
            Some(Parsed::Fields(nodes, order))
        }
        ["items"] => {
            let mut page = Pages::default();
            let mut items = Vec::new();
            for it in t.tables("items", d) {
                if let Some(x) = read_item(&it, &mut page, d) {
                    items.push(x);
                }
            }
            Some(Parsed::Items(items))
        }
        ["bytes"] => {
            let v = t.get("bytes")?;
            v.bytes_spanned(d).map(|(b, spans)| Parsed::Bytes(b, spans))
        }
        [] => {
            d.push(
                Diagnostic::error(MISSING_KEY, "a `report` table needs `collection` (field form), `items` (item form) or `bytes`")
                    .at(t.span())
                    .help("add `[[report.collection]]` tables with `fields`, or `[[report.items]]` entries"),
            );
            None
        }
        _ => {
            d.push(
                Diagnostic::error(FORM_CONFLICT, format!("a `report` table takes one form, found {}", present.join(" and ")))
                    .at(t.span())
                    .help("keep one of `collection`, `items`, `bytes`"),
            );
            None
        }
    };
    t.finish(&["collection", "items", "bytes", "order"], d);
    out
}

// ---------- names ----------

fn site<'a>(v: &Value<'_, '_>, path: &'a str) -> NameSite<'a> {
    NameSite { span: v.span(), code: UNKNOWN_NAME, path }
}

/// The Usage Page in effect while reading, as the compiler will have it when it writes the items
/// (document order is compile order): Push saves it, Pop restores it, whether they are written
/// as items (`{ push = true }`) or in a field's or collection's `emit` list.
#[derive(Default)]
struct Pages {
    now: PageScope,
    saved: Vec<PageScope>,
}

impl Pages {
    fn apply(&mut self, t: Tag) {
        match t {
            Tag::Push => self.saved.push(self.now),
            Tag::Pop => {
                if let Some(p) = self.saved.pop() {
                    self.now = p;
                }
            }
            _ => {}
        }
    }

    /// Apply the Push/Pop of a node's `emit` list that come before its first Usage Page or usage
    /// item (they decide the page its usages are read under); returns where the rest start, for
    /// [`Pages::after_usages`].
    fn before_usages(&mut self, emit: &Option<Vec<Tag>>) -> usize {
        let list = emit.as_deref().unwrap_or_default();
        let split = list.iter().position(|t| t.is_usage() || *t == Tag::UsagePage).unwrap_or(list.len());
        list[..split].iter().for_each(|t| self.apply(*t));
        split
    }

    /// Apply the rest of the list, from `split`.
    fn after_usages(&mut self, emit: &Option<Vec<Tag>>, split: usize) {
        let list = emit.as_deref().unwrap_or_default();
        list[split.min(list.len())..].iter().for_each(|t| self.apply(*t));
    }
}

/// A Usage Page value: a HUT name or a number. [`PageScope::Unknown`] when it was reported bad.
fn read_page(v: &Value<'_, '_>, d: &mut Diagnostics) -> PageScope {
    let p = if v.is_str() {
        v.str(d).and_then(|s| usages::page_by_name(s, site(v, v.path()), d))
    } else {
        v.int_in(0, 0xFFFF, d).map(|n| n as u16)
    };
    p.map(PageScope::Page).unwrap_or(PageScope::Unknown)
}

fn read_usage(v: &Value<'_, '_>, page: PageScope, d: &mut Diagnostics) -> Option<UsageRef> {
    if v.is_table() {
        let t = v.table(d)?;
        let p = read_page(&t.require("page", d)?, d);
        let id = read_usage(&t.require("id", d)?, p, d)?;
        t.finish(&["page", "id"], d);
        return match id {
            UsageRef::Id(id) => Some(UsageRef::Extended(((p.page()? as u32) << 16) | id as u32)),
            UsageRef::Extended(_) => None,
        };
    }
    if v.is_str() {
        let s = v.str(d)?;
        return usages::usage_by_name(page, s, site(v, v.path()), d).map(UsageRef::Id);
    }
    let n = v.int_in(0, 0xFFFF_FFFF, d)?;
    Some(if n > 0xFFFF { UsageRef::Extended(n as u32) } else { UsageRef::Id(n as u16) })
}

fn read_flags(v: &Value<'_, '_>, d: &mut Diagnostics) -> Option<u32> {
    let one = |name: &str, span: Span, d: &mut Diagnostics| -> Option<u32> {
        match MainFlags::bit_for(name) {
            Some(b) => Some(b),
            None => {
                let all: Vec<&str> = MainFlags::BITS.iter().flat_map(|(_, a, b)| [*a, *b]).collect();
                let mut diag = Diagnostic::error(UNKNOWN_NAME, format!("unknown main item flag \"{name}\""))
                    .at_labeled(span, "not a flag of HID 1.11 §6.2.2.5");
                diag = match did_you_mean(name, all.iter().copied()) {
                    Some(m) => diag.help(format!("did you mean \"{m}\"?")),
                    None => diag.help(format!("flags: {}", all.join(", "))),
                };
                d.push(diag);
                None
            }
        }
    };
    if v.is_int() {
        return v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as u32);
    }
    if v.is_str() {
        let s = v.str(d)?;
        let mut bits = 0;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            bits |= one(part, v.span(), d)?;
        }
        return Some(bits);
    }
    let mut bits = 0;
    let mut ok = true;
    for it in v.array(d)? {
        match it.str(d).and_then(|s| one(s, it.span(), d)) {
            Some(b) => bits |= b,
            None => ok = false,
        }
    }
    ok.then_some(bits)
}

fn read_i64_in(v: &Value<'_, '_>, lo: i128, hi: i128, d: &mut Diagnostics) -> Option<i64> {
    v.int_in(lo, hi, d).map(|n| n as i64)
}

/// Logical and physical values ([`values::VALUE_32`]).
const VALUE: (i128, i128) = (values::VALUE_32.lo as i128, values::VALUE_32.hi as i128);

fn read_pair(v: &Value<'_, '_>, d: &mut Diagnostics) -> Option<(i64, i64)> {
    let a = v.array(d)?;
    if a.len() != 2 {
        d.push(
            Diagnostic::error(BAD_VALUE, format!("`{}` must be [min, max]", v.path()))
                .at(v.span())
                .help("write two integers, e.g. [0, 255]"),
        );
        return None;
    }
    Some((read_i64_in(&a[0], VALUE.0, VALUE.1, d)?, read_i64_in(&a[1], VALUE.0, VALUE.1, d)?))
}

fn read_emit(v: &Value<'_, '_>, d: &mut Diagnostics) -> Option<Vec<Tag>> {
    let mut out = Vec::new();
    for it in v.array(d)? {
        let s = it.str(d)?;
        match super::vocab::prefix_tag(s) {
            Some(t) => out.push(t),
            None => {
                let names = super::vocab::all_names();
                let diag = Diagnostic::error(UNKNOWN_NAME, format!("`{}`: unknown item \"{s}\"", it.path())).at(it.span());
                d.push(match did_you_mean(s, names.iter().copied()) {
                    Some(m) => diag.help(format!("did you mean \"{m}\"?")),
                    None => diag.help(format!("items: {}", names.join(", "))),
                });
                return None;
            }
        }
    }
    Some(out)
}

/// A `sizes` table: `{ usage_max = 2, logical_max = 4 }` (names of [`super::vocab`] and the node's
/// main item, `main`), each 0, 1, 2 or 4 bytes.
fn read_sizes(v: &Value<'_, '_>, main: &[Tag], key_spans: &mut Vec<(Tag, Span)>, d: &mut Diagnostics) -> Sizes {
    let mut out = Sizes::new();
    let Some(t) = v.table(d) else { return out };
    let mut known: Vec<String> = super::vocab::all_names().into_iter().map(String::from).collect();
    known.extend(main.iter().map(|t| t.key().to_string()));
    for (key, kspan) in t.keys() {
        let tag = super::vocab::prefix_tag(&key).or_else(|| main.iter().copied().find(|t| t.key() == key));
        let Some(tag) = tag else {
            let diag = Diagnostic::error(UNKNOWN_NAME, format!("`{}.{key}`: not an item this node writes", t.path())).at(kspan);
            d.push(match did_you_mean(&key, known.iter().map(String::as_str)) {
                Some(m) => diag.help(format!("did you mean `{m}`?")),
                None => diag.help(format!("items: {}", known.join(", "))),
            });
            continue;
        };
        let Some(sv) = t.get(&key) else { continue };
        let Some(n) = sv.int(d) else { continue };
        if !super::vocab::ITEM_SIZES.iter().any(|s| *s as i128 == n) {
            d.push(
                Diagnostic::error(super::field::SIZE_TOO_SMALL, format!("`{}`: an item holds 0, 1, 2 or 4 data bytes, not {n}", sv.path()))
                    .at(sv.span())
                    .help("use 0, 1, 2 or 4 (HID 1.11 §6.2.2.2)"),
            );
            continue;
        }
        if out.iter().any(|(k, _)| *k == tag) {
            d.push(
                Diagnostic::error(BAD_VALUE, format!("`{}`: two sizes for {}", sv.path(), tag.spec_name()))
                    .at(sv.span())
                    .help("give each item one size (`bits` and `report_size` name the same item)"),
            );
            continue;
        }
        // Size problems point at the size.
        key_spans.retain(|(k, _)| *k != tag);
        key_spans.push((tag, sv.span()));
        out.push((tag, n as u8));
    }
    out
}

/// The global keys shared by fields and collections (not `usage_page`, read with the usages).
const GLOBAL_KEYS: &[&str] = &[
    "report_id", "logical", "logical_min", "logical_max", "physical", "physical_min", "physical_max", "unit",
    "unit_exponent", "bits", "count",
];

fn read_globals(t: &Table<'_, '_>, g: &mut Globals, d: &mut Diagnostics) {
    if let Some(v) = t.get("report_id") {
        g.report_id = v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as u32);
    }
    if let Some(v) = t.get("logical") {
        if let Some((a, b)) = read_pair(&v, d) {
            g.logical_min = Some(a);
            g.logical_max = Some(b);
        }
    }
    if let Some(v) = t.get("physical") {
        if let Some((a, b)) = read_pair(&v, d) {
            g.physical_min = Some(a);
            g.physical_max = Some(b);
        }
    }
    for (k, slot) in [
        ("logical_min", &mut g.logical_min),
        ("logical_max", &mut g.logical_max),
        ("physical_min", &mut g.physical_min),
        ("physical_max", &mut g.physical_max),
    ] {
        if let Some(v) = t.get(k) {
            *slot = read_i64_in(&v, VALUE.0, VALUE.1, d);
        }
    }
    if let Some(v) = t.get("unit") {
        let r = values::UNIT;
        g.unit = v.name_or_int(super::unit::NAMES, r.lo.into(), r.hi.into(), d).map(|n| n as u32);
    }
    if let Some(v) = t.get("unit_exponent") {
        let r = values::UNIT_EXPONENT;
        g.unit_exponent = v.int_in(r.lo.into(), r.hi.into(), d).map(|n| n as i8);
    }
    if let Some(v) = t.get("bits") {
        g.bits = v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as u32);
    }
    if let Some(v) = t.get("count") {
        g.count = v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as u32);
    }
}

// ---------- field form ----------

pub const COLLECTION_KEYS: &[&str] = &[
    "collection", "usage_page", "usage", "report_id", "logical", "logical_min", "logical_max", "physical",
    "physical_min", "physical_max", "unit", "unit_exponent", "bits", "count", "emit", "sizes", "fields",
];
pub const FIELD_KEYS: &[&str] = &[
    "input", "output", "feature", "report_id", "usage_page", "usage", "usage_min", "usage_max", "usages",
    "logical", "logical_min", "logical_max", "physical", "physical_min", "physical_max", "unit",
    "unit_exponent", "bits", "count", "padding", "emit", "sizes", "name",
];

/// Which item each field key writes (for spans).
const FIELD_KEY_TAGS: &[(&str, &[Tag])] = &[
    ("report_id", &[Tag::ReportId]),
    ("usage_page", &[Tag::UsagePage]),
    ("usage", &[Tag::Usage]),
    ("usage_min", &[Tag::UsageMinimum]),
    ("usage_max", &[Tag::UsageMaximum]),
    ("usages", &[Tag::Usage, Tag::UsageMinimum, Tag::UsageMaximum]),
    ("logical", &[Tag::LogicalMinimum, Tag::LogicalMaximum]),
    ("logical_min", &[Tag::LogicalMinimum]),
    ("logical_max", &[Tag::LogicalMaximum]),
    ("physical", &[Tag::PhysicalMinimum, Tag::PhysicalMaximum]),
    ("physical_min", &[Tag::PhysicalMinimum]),
    ("physical_max", &[Tag::PhysicalMaximum]),
    ("unit", &[Tag::Unit]),
    ("unit_exponent", &[Tag::UnitExponent]),
    ("bits", &[Tag::ReportSize]),
    ("count", &[Tag::ReportCount]),
    ("padding", &[Tag::ReportSize, Tag::ReportCount]),
];

fn read_node(t: &Table<'_, '_>, page: &mut Pages, depth: usize, d: &mut Diagnostics) -> Option<Node> {
    if t.contains("collection") {
        if depth > super::field::MAX_DEPTH {
            d.push(
                Diagnostic::error(TOO_DEEP, format!("collections nested more than {} deep", super::field::MAX_DEPTH))
                    .at(t.span())
                    .help("flatten the collections, or write the descriptor in item form (`[[report.items]]`) or as `bytes`"),
            );
            return None;
        }
        return read_collection(t, page, depth, d).map(Node::Collection);
    }
    if ["input", "output", "feature"].iter().any(|k| t.contains(k)) {
        return read_field(t, page, d).map(Node::Field);
    }
    if t.contains("items") {
        let mut items = Vec::new();
        for it in t.tables("items", d) {
            if let Some(x) = read_item(&it, page, d) {
                items.push(x);
            }
        }
        t.finish(&["items"], d);
        return Some(Node::Items(items));
    }
    d.push(
        Diagnostic::error(NOT_A_NODE, format!("`{}` is neither a collection nor a field", t.path()))
            .at(t.span())
            .help("a collection has `collection = \"application\"`; a field has `input`, `output` or `feature`; items written as they are go in `items = [...]`"),
    );
    t.finish(FIELD_KEYS, d);
    None
}

fn read_collection(t: &Table<'_, '_>, page: &mut Pages, depth: usize, d: &mut Diagnostics) -> Option<Collection> {
    let kind = t.get("collection")?.name_or_int(CollectionKind::NAMES, 0, 0xFF, d);
    let mut c = Collection::new(CollectionKind::from_u8(kind.unwrap_or(0) as u8));
    c.span = Some(t.span());
    for (key, tags) in [("collection", &[Tag::Collection][..]), ("usage_page", &[Tag::UsagePage]), ("usage", &[Tag::Usage])]
        .into_iter()
        .chain(FIELD_KEY_TAGS.iter().filter(|(k, _)| GLOBAL_KEYS.contains(k)).map(|(k, t)| (*k, *t)))
    {
        if let Some(v) = t.get(key) {
            c.key_spans.extend(tags.iter().map(|tg| (*tg, v.span())));
        }
    }
    read_globals(t, &mut c.globals, d);
    c.emit = t.get("emit").and_then(|v| read_emit(&v, d));
    let split = page.before_usages(&c.emit);
    if let Some(v) = t.get("usage_page") {
        page.now = read_page(&v, d);
    }
    // The page in effect (document order is compile order).
    c.usage_page = page.now.page();
    if let Some(v) = t.get("usage") {
        let list = if v.is_array() { v.array(d).unwrap_or_default() } else { vec![v] };
        for u in list {
            if let Some(u) = read_usage(&u, page.now, d) {
                c.usages.push(u);
            }
        }
    }
    page.after_usages(&c.emit, split);
    if let Some(v) = t.get("sizes") {
        c.sizes = read_sizes(&v, &[Tag::Collection, Tag::EndCollection], &mut c.key_spans, d);
    }
    for ch in t.tables("fields", d) {
        if let Some(n) = read_node(&ch, page, depth + 1, d) {
            c.children.push(n);
        }
    }
    t.finish(COLLECTION_KEYS, d);
    kind.map(|_| c)
}

fn read_field(t: &Table<'_, '_>, page: &mut Pages, d: &mut Diagnostics) -> Option<Field> {
    let mut f = Field { span: Some(t.span()), ..Default::default() };
    let kinds: Vec<ReportKind> = ReportKind::ALL.into_iter().filter(|k| t.contains(k.key())).collect();
    if kinds.len() > 1 {
        d.push(
            Diagnostic::error(NOT_A_NODE, "a field is one of `input`, `output` or `feature`, not several")
                .at(t.span())
                .help("split it into one field per report type"),
        );
    }
    let kind = kinds[0];
    f.kind = Some(kind);
    for (key, tags) in FIELD_KEY_TAGS {
        if let Some(v) = t.get(key) {
            f.key_spans.extend(tags.iter().map(|tg| (*tg, v.span())));
        }
    }
    if let Some(v) = t.get(kind.key()) {
        f.key_spans.push((kind.tag(), v.span()));
    }
    f.flags = MainFlags(read_flags(&t.get(kind.key())?, d).unwrap_or(0));
    f.emit = t.get("emit").and_then(|v| read_emit(&v, d));
    let split = page.before_usages(&f.emit);
    if let Some(v) = t.get("usage_page") {
        page.now = read_page(&v, d);
    }
    f.usage_page = page.now.page();
    if let Some(v) = t.get("usage") {
        let list = if v.is_array() { v.array(d).unwrap_or_default() } else { vec![v] };
        for u in list {
            if let Some(u) = read_usage(&u, page.now, d) {
                f.usages.push(LocalUsage::Usage(u));
            }
        }
    }
    if let Some(v) = t.get("usage_min") {
        if let Some(u) = read_usage(&v, page.now, d) {
            f.usages.push(LocalUsage::Min(u));
        }
    }
    if let Some(v) = t.get("usage_max") {
        if let Some(u) = read_usage(&v, page.now, d) {
            f.usages.push(LocalUsage::Max(u));
        }
    }
    if let Some(v) = t.get("usages") {
        for e in v.tables(d) {
            for (k, tag) in [("usage", Tag::Usage), ("usage_min", Tag::UsageMinimum), ("usage_max", Tag::UsageMaximum)] {
                if let Some(uv) = e.get(k) {
                    if let Some(u) = read_usage(&uv, page.now, d) {
                        f.usages.push(match tag {
                            Tag::Usage => LocalUsage::Usage(u),
                            Tag::UsageMinimum => LocalUsage::Min(u),
                            _ => LocalUsage::Max(u),
                        });
                    }
                }
            }
            e.finish(&["usage", "usage_min", "usage_max"], d);
        }
    }
    page.after_usages(&f.emit, split);
    let mut g = Globals::default();
    read_globals(t, &mut g, d);
    f = f.with_globals(g);
    if let Some(v) = t.get("padding") {
        f.globals.bits = v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as u32);
        f.globals.count = Some(1);
        f.flags.0 |= MainFlags::CONSTANT;
    }
    if let Some(v) = t.get("sizes") {
        f.sizes = read_sizes(&v, &[kind.tag()], &mut f.key_spans, d);
    }
    if let Some(v) = t.get("name") {
        f.name_span = Some(v.span());
        f.name = v.str(d).and_then(|s| {
            if crate::ident::snake_ident(s) == s {
                return Some(s.to_string());
            }
            d.push(
                Diagnostic::error(crate::tomlr::BAD_VALUE, format!("`{}`: \"{s}\" is not a field name", v.path()))
                    .at(v.span())
                    .help(format!(
                        "write a snake_case Rust identifier (not a keyword), e.g. \"{}\"",
                        crate::ident::snake_ident(s)
                    )),
            );
            None
        });
    }
    t.finish(FIELD_KEYS, d);
    Some(f)
}

// ---------- item form ----------

fn read_item(t: &Table<'_, '_>, page: &mut Pages, d: &mut Diagnostics) -> Option<SpannedItem> {
    let span = Some(t.span());
    let keys: Vec<(String, Span)> = t.keys().into_iter().filter(|(k, _)| k != "size" && k != "data").collect();
    if keys.len() != 1 {
        d.push(
            Diagnostic::error(ITEM_KEY, format!("`{}` must hold exactly one item key, found {}", t.path(), keys.len()))
                .at(t.span())
                .help("write one item per entry, e.g. { usage_page = \"Generic Desktop\" } (plus optional `size`)"),
        );
        return None;
    }
    let (key, kspan) = &keys[0];
    let v = t.get(key)?;
    if key == "long" {
        let tag = v.u8(d)?;
        let dv = t.require("data", d)?;
        let data = dv.bytes(d)?;
        t.finish(&["long", "data"], d);
        if data.len() > super::encode::MAX_LONG_DATA {
            d.push(super::encode::long_item_too_long(data.len(), Some(dv.span())));
            return None;
        }
        return Some(SpannedItem { item: Item::Long { tag, data }, span });
    }
    if key == "reserved" {
        let prefix = v.u8(d)?;
        let data = match t.get("data") {
            Some(x) => x.int_in(0, 0xFFFF_FFFF, d)? as u32,
            None => 0,
        };
        let tag = Tag::from_prefix(prefix);
        let item = match read_size(t, d)? {
            Some(size) => Item::with_size(tag, size, data),
            None => Item::canonical(tag, data as i64),
        };
        t.finish(&["reserved", "data", "size"], d);
        return Some(SpannedItem { item, span });
    }
    let Some(tag) = Tag::from_key(key) else {
        let keys: Vec<&str> = Tag::ALL.iter().map(|t| t.key()).chain(["long", "reserved"]).collect();
        let mut diag = Diagnostic::error(ITEM_KEY, format!("unknown item `{key}`")).at_labeled(*kspan, "not an item key");
        diag = match did_you_mean(key, keys.iter().copied()) {
            Some(m) => diag.help(format!("did you mean `{m}`?")),
            None => diag.help(format!("item keys: {}", keys.join(", "))),
        };
        d.push(diag);
        return None;
    };
    // Push and Pop move the page whatever data they carry (as the kernel's parser does).
    page.apply(tag);
    let value: i64 = match tag {
        Tag::Input | Tag::Output | Tag::Feature => read_flags(&v, d)? as i64,
        Tag::Collection => v.name_or_int(CollectionKind::NAMES, 0, 0xFFFF_FFFF, d)? as i64,
        Tag::EndCollection | Tag::Push | Tag::Pop if v.raw().as_bool() == Some(true) => 0,
        Tag::UsagePage => {
            let p = if v.is_str() { read_page(&v, d).page().map(i64::from) } else { v.int_in(0, 0xFFFF_FFFF, d).map(|n| n as i64) };
            page.now = p.map(|p| PageScope::Page(p as u16)).unwrap_or(PageScope::Unknown);
            p?
        }
        Tag::Usage | Tag::UsageMinimum | Tag::UsageMaximum => match read_usage(&v, page.now, d)? {
            UsageRef::Id(id) => id as i64,
            UsageRef::Extended(u) => u as i64,
        },
        t if t.is_signed() => v.int_in(VALUE.0, VALUE.1, d)? as i64,
        Tag::UnitExponent => {
            let n = v.int_in(-8, 0xFFFF_FFFF, d)?;
            (if n < 0 { n & 0xF } else { n }) as i64
        }
        _ => v.int_in(0, 0xFFFF_FFFF, d)? as i64,
    };
    let item = match read_size(t, d)? {
        None => Item::canonical(tag, value),
        Some(size) => {
            let it = Item::with_size(tag, size, value as u32);
            let fits = if tag.is_signed() && value < 0 {
                sign_extend(it.unsigned_value(), size) == value
            } else {
                it.unsigned_value() as i64 == value & 0xFFFF_FFFF
            };
            if !fits {
                d.push(
                    Diagnostic::error(BAD_VALUE, format!("{} = {value} does not fit in {size} data byte(s)", tag.spec_name()))
                        .at(span)
                        .help("use a larger `size` or drop `size` to let the encoder choose"),
                );
                return None;
            }
            it
        }
    };
    t.finish(&[key.as_str(), "size"], d);
    Some(SpannedItem { item, span })
}

fn read_size(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<Option<u8>> {
    let Some(v) = t.get("size") else { return Some(None) };
    let n = v.int(d)?;
    if ![0, 1, 2, 4].contains(&n) {
        d.push(
            Diagnostic::error(BAD_VALUE, format!("item `size` = {n}: a short item holds 0, 1, 2 or 4 data bytes"))
                .at(v.span())
                .help("use 0, 1, 2 or 4 (HID 1.11 §6.2.2.2)"),
        );
        return None;
    }
    Some(Some(n as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fahrenheit_field_encodes_the_spec_unit() {
        let text = r#"
[[report.collection]]
collection = "application"
usage_page = "Sensors"
usage = 0x33
fields = [{ input = ["data", "variable"], usage = 0x434, logical = [0, 255], bits = 8, count = 1, unit = "fahrenheit", physical = [0, 255] }]
"#;
        let doc = crate::tomlr::parse(text).unwrap();
        let root = Table::root(&doc);
        let mut d = Diagnostics::new();
        let report = root.require("report", &mut d).unwrap().table(&mut d).unwrap();
        let r = crate::hid::ReportDescriptor::from_toml(&report, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        // Unit, 4 bytes: 0x00010003 (English Linear, temperature^1).
        assert!(r.encode().windows(5).any(|w| w == [0x67, 0x03, 0x00, 0x01, 0x00]), "{:02x?}", r.encode());
    }
}
