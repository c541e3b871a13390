//! A report descriptor as `#[hid_descriptor]` / `#[hid_report]` source that compiles back to the
//! same bytes (`usbdesc decode --to rust`): the field form ([`super::ReportDescriptor::field_form`])
//! written as Rust structs, one per report ID (a report whose fields are not contiguous continues
//! in `part_of` structs), collections as `#[collection(...)]` / `#[end_collection]` on fields
//! (each struct `collection = none`), padding as `()` fields, the exact item order as `order`, and
//! the lint errors the bytes have as `allow(...)`.
//!
//! Not every descriptor has such source: one without a field form (it stays in item form), a data
//! field wider than 64 bits or of zero size or count, report IDs above 255 or on some reports
//! only, usage items in an order the attribute keys cannot give. [`write`] says which.

use super::field::{Collection, Field, Globals, LocalUsage, Node, UsageRef};
use super::item::{CollectionKind, Item, MainFlags, ReportKind, Tag};
use super::layout::LayoutField;
use super::{AttachContext, ReportDescriptor, SpannedItem};
use crate::diag::Diagnostics;
use crate::ident::snake_ident;
use crate::scalar::Scalar;
use std::collections::HashMap;
use std::fmt::Write;

/// Why a descriptor has no `#[hid_report]` source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotWritable(pub String);

impl std::fmt::Display for NotWritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One typed field of a written struct (padding and collection markers are not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenField {
    pub name: String,
    pub kind: ReportKind,
    pub scalar: Scalar,
    /// `Some(n)` for `[scalar; n]`.
    pub array: Option<u32>,
    /// Which data main item of the descriptor it is (0 = the first Input/Output/Feature).
    pub main_index: usize,
}

/// One report struct (with the fields of its `part_of` structs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenStruct {
    pub name: String,
    pub report_id: Option<u8>,
    pub fields: Vec<WrittenField>,
    /// The kinds of all its fields, padding and fields of no bits included (each kind is a
    /// generated type).
    pub kinds: Vec<ReportKind>,
}

impl WrittenStruct {
    /// The generated type of one kind: the struct itself when all its fields are of that kind,
    /// else `NameInput` / `NameOutput` / `NameFeature`.
    pub fn type_name(&self, kind: ReportKind) -> String {
        if self.kinds.iter().all(|k| *k == kind) {
            return self.name.clone();
        }
        let k = match kind {
            ReportKind::Input => "Input",
            ReportKind::Output => "Output",
            ReportKind::Feature => "Feature",
        };
        format!("{}{k}", self.name)
    }
}

/// The source and what it declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub source: String,
    pub structs: Vec<WrittenStruct>,
}

/// A field of the tree with the collections opened before it and the number closed after it.
#[derive(Default)]
struct Entry<'a> {
    opens: Vec<&'a Collection>,
    field: Option<&'a Field>,
    /// Items written as they are (a marker field with `#[items(...)]`).
    items: Option<&'a [SpannedItem]>,
    closes: usize,
}

/// The entries of one struct: a report's contiguous run of fields.
struct Chunk<'a> {
    /// Report ID (`None`: the descriptor has none).
    id: Option<u32>,
    entries: Vec<Entry<'a>>,
}

/// `#[hid_descriptor] pub mod <module> { ... }` for `rd`.
pub fn write(rd: &ReportDescriptor, module: &str) -> Result<Written, NotWritable> {
    let nodes = rd.field_form_or_reason().map_err(|why| NotWritable(format!("it has no field form: {why}")))?;
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut pending: Vec<Entry> = Vec::new();
    let mut opens: Vec<&Collection> = Vec::new();
    // The report ID of each data main item as a host reads it (the field form states it only
    // where it changes, and Push/Pop may restore one).
    let mut ids: Vec<(usize, Option<u32>)> = rd.layout().reports.iter().flat_map(|r| r.fields.iter().map(|f| (f.item_index, r.id))).collect();
    ids.sort_unstable();
    let mut ids = ids.into_iter().map(|(_, id)| id);
    split(&nodes, &mut ids, &mut chunks, &mut pending, &mut opens)?;
    // Collections left empty at the end close on the last struct's marker fields.
    if !pending.is_empty() {
        match chunks.last_mut() {
            Some(c) => c.entries.append(&mut pending),
            None => chunks.push(Chunk { id: None, entries: pending }),
        }
    }
    let ids: Vec<Option<u32>> = chunks.iter().map(|c| c.id).collect();
    if ids.iter().any(Option::is_some) && ids.iter().any(Option::is_none) {
        return Err(NotWritable("some fields have a report ID and some do not".into()));
    }
    if let Some(id) = ids.iter().flatten().find(|id| !(1..=255).contains(*id)) {
        return Err(NotWritable(format!("report ID {id} is not 1..=255")));
    }
    let mut allow = lint_errors(&nodes);
    // A data field without usage is a warning of the lints but an error of the macro unless
    // allowed (a typed field no host can name is usually a mistake; here it is the device's).
    if fields(&nodes).any(|f| !f.is_padding() && f.usages.is_empty()) {
        allow.push(super::lint::DATA_WITHOUT_USAGE.to_string());
        allow.sort();
        allow.dedup();
    }
    let mut out = String::new();
    let _ = writeln!(out, "#[::usbdesc_runtime::hid_descriptor]");
    let _ = writeln!(out, "pub mod {module} {{");
    let mut structs: Vec<WrittenStruct> = Vec::new();
    let mut parts = 0usize;
    let mut main_index = 0usize;
    let mut names = Names::default();
    // Collections open before the chunk being written, and the usage page the macro has in
    // effect (declaration order), which a usage page equal to it need not restate.
    let mut depth = 0usize;
    let mut main: Vec<LayoutField> = rd.layout().reports.into_iter().flat_map(|r| r.fields).collect();
    main.sort_by_key(|f| f.item_index);
    let set = globals_set(rd.items());
    let mut effect = Effect::new(&main, &set);
    for (ci, chunk) in chunks.iter().enumerate() {
        let host_name = match chunk.id {
            Some(id) => format!("Report{id}"),
            None => "Report".to_string(),
        };
        let host = structs.iter().position(|s| s.name == host_name);
        let own = if host.is_none() && depth == 0 { own_collection(&chunk.entries) } else { None };
        let mut args = Vec::new();
        match own {
            Some(c) => {
                if let Some(p) = c.usage_page {
                    args.push(format!("usage_page = {}", page(p)));
                    effect.page = Some(p);
                }
                args.push(format!("usage = {}", usage_on(c.usages[0], effect.page)?));
                if c.kind != CollectionKind::Application {
                    args.push(format!("collection = {}", collection_kind(c.kind)));
                }
            }
            // A part has no collection of its own anyway.
            None if host.is_none() => args.push("collection = none".to_string()),
            None => {}
        }
        let name = match host {
            Some(_) => {
                parts += 1;
                args.push(format!("part_of = {host_name}"));
                format!("{host_name}Part{parts}")
            }
            None => {
                if let Some(id) = chunk.id {
                    args.push(format!("report_id = {id}"));
                }
                structs.push(WrittenStruct { name: host_name.clone(), report_id: chunk.id.map(|i| i as u8), fields: Vec::new(), kinds: Vec::new() });
                host_name.clone()
            }
        };
        if ci == 0 && !allow.is_empty() {
            args.push(format!("allow({})", allow.join(", ")));
        }
        let target = host.unwrap_or(structs.len() - 1);
        let _ = writeln!(out, "    #[hid_report({})]", args.join(", "));
        let _ = writeln!(out, "    pub struct {name} {{");
        let last = chunk.entries.len() - 1;
        for (i, e) in chunk.entries.iter().enumerate() {
            // The struct's own collection is its arguments: not opened or closed by its fields.
            let skip_open = usize::from(own.is_some() && i == 0);
            let skip_close = usize::from(own.is_some() && i == last);
            for c in &e.opens[skip_open..] {
                let _ = writeln!(out, "        #[collection({})]", collection_args(c, &mut effect)?);
            }
            depth += e.opens.len();
            depth -= e.closes;
            let closes = "        #[end_collection]\n".repeat(e.closes - skip_close);
            match e.field {
                Some(f) => {
                    let kind = f.kind.unwrap_or(ReportKind::Input);
                    if !structs[target].kinds.contains(&kind) {
                        structs[target].kinds.push(kind);
                    }
                    let w = field(f, main_index, &closes, &mut effect, &mut names, &host_name, &mut out)?;
                    main_index += 1;
                    if let Some(w) = w {
                        structs[target].fields.push(w);
                    }
                }
                None => {
                    let base = match e.items {
                        Some(items) => {
                            let _ = writeln!(out, "        #[items({})]", items_args(items)?);
                            // What the items set is not known here: restate what follows.
                            effect.forget();
                            "_items"
                        }
                        None => "_collection",
                    };
                    out.push_str(&closes);
                    let _ = writeln!(out, "        {}: (),", names.fresh(&host_name, base));
                }
            }
        }
        let _ = writeln!(out, "    }}");
    }
    let _ = writeln!(out, "}}");
    Ok(Written { source: out, structs })
}

/// Flatten the tree into chunks of entries.
fn split<'a>(
    nodes: &'a [Node],
    ids: &mut impl Iterator<Item = Option<u32>>,
    chunks: &mut Vec<Chunk<'a>>,
    pending: &mut Vec<Entry<'a>>,
    opens: &mut Vec<&'a Collection>,
) -> Result<(), NotWritable> {
    for n in nodes {
        match n {
            Node::Collection(c) => {
                opens.push(c);
                split(&c.children, ids, chunks, pending, opens)?;
                // A collection closes after the last entry written inside or after it; with
                // collections opened since and no field to carry them, a marker carries them.
                if !opens.is_empty() {
                    pending.push(Entry { opens: std::mem::take(opens), closes: 1, ..Default::default() });
                } else if let Some(e) = pending.last_mut() {
                    e.closes += 1;
                } else if let Some(e) = chunks.last_mut().and_then(|c| c.entries.last_mut()) {
                    e.closes += 1;
                } else {
                    pending.push(Entry { closes: 1, ..Default::default() });
                }
            }
            Node::Items(items) => pending.push(Entry { opens: std::mem::take(opens), items: Some(items), ..Default::default() }),
            Node::Field(f) => {
                let id = ids.next().ok_or_else(|| NotWritable("a data main item the layout does not have".into()))?;
                let entry = Entry { opens: std::mem::take(opens), field: Some(f), ..Default::default() };
                match chunks.last_mut() {
                    Some(c) if c.id == id => {
                        c.entries.append(pending);
                        c.entries.push(entry);
                    }
                    _ => {
                        let mut entries = std::mem::take(pending);
                        entries.push(entry);
                        chunks.push(Chunk { id, entries });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Unique Rust field names per report.
#[derive(Default)]
struct Names {
    taken: std::collections::HashSet<(String, String)>,
}

impl Names {
    fn fresh(&mut self, report: &str, base: &str) -> String {
        let mut n = base.to_string();
        let mut i = 2;
        while !self.taken.insert((report.to_string(), n.clone())) {
            n = format!("{base}_{i}");
            i += 1;
        }
        n
    }
}

/// Every field of the tree, in order.
fn fields(nodes: &[Node]) -> Box<dyn Iterator<Item = &Field> + '_> {
    Box::new(nodes.iter().flat_map(|n| -> Box<dyn Iterator<Item = &Field>> {
        match n {
            Node::Field(f) => Box::new(std::iter::once(f)),
            Node::Collection(c) => fields(&c.children),
            Node::Items(_) => Box::new(std::iter::empty()),
        }
    }))
}

/// The lint errors of the field form as the macro compiles it (they become `allow(...)`).
fn lint_errors(nodes: &[Node]) -> Vec<String> {
    let mut d = Diagnostics::new();
    let rd = ReportDescriptor::from_fields(nodes.to_vec(), &mut d);
    rd.check(&AttachContext::default(), &mut d);
    d.error_codes().into_iter().map(str::to_string).collect()
}

fn hex(n: i64) -> String {
    if (0..10).contains(&n) {
        n.to_string()
    } else if n < 0 {
        n.to_string()
    } else {
        format!("{n:#x}")
    }
}

/// A usage page: its HUT name where that reads back as the page, else the number.
fn page(p: u16) -> String {
    match super::usages::page_name_exact(p) {
        Some(n) => format!("{n:?}"),
        None => hex(p as i64),
    }
}

/// A usage: its name on `page` (the page in effect where it is read) where that reads back as
/// the ID, else the number.
fn usage_on(u: UsageRef, page: Option<u16>) -> Result<String, NotWritable> {
    if let (UsageRef::Id(id), Some(p)) = (u, page) {
        if let Some(n) = super::usages::usage_name_exact(p, id) {
            return Ok(format!("{n:?}"));
        }
    }
    usage(u)
}

fn usage(u: UsageRef) -> Result<String, NotWritable> {
    match u {
        UsageRef::Id(id) => Ok(hex(id as i64)),
        UsageRef::Extended(x) if x > 0xFFFF => Ok(format!("{x:#010x}")),
        UsageRef::Extended(x) => Err(NotWritable(format!("a 4-byte usage {x:#x} on page 0"))),
    }
}

/// The collection a chunk can declare in its struct's arguments: opened by its first entry at
/// the top level, closed by its last, with one usage and no item order of its own.
fn own_collection<'a>(entries: &[Entry<'a>]) -> Option<&'a Collection> {
    let c = *entries.first()?.opens.first()?;
    let mut depth = 0usize;
    for (i, e) in entries.iter().enumerate() {
        depth += e.opens.len();
        depth = depth.checked_sub(e.closes)?;
        if depth == 0 && i + 1 != entries.len() {
            return None;
        }
    }
    (depth == 0 && c.usages.len() == 1 && c.emit.is_none() && c.sizes.is_empty() && c.globals == Globals::default()).then_some(c)
}

/// `physical`, `application`, ... or the number.
fn collection_kind(k: CollectionKind) -> String {
    match CollectionKind::NAMES.iter().find(|(_, v)| *v == k.to_u8() as i128) {
        Some((n, _)) => n.to_string(),
        None => format!("{:#04x}", k.to_u8()),
    }
}

/// Whether a global must be written: it differs from the value in effect (the previous node's,
/// so writing it or not compiles the same), or the node's item order lists it.
fn needed(t: Tag, v: i64, in_effect: Option<i64>, emit: &Option<Vec<Tag>>) -> bool {
    in_effect != Some(v) || emit.as_ref().is_some_and(|e| e.contains(&t))
}

/// Globals in effect where the macro reads the next node, as the source written so far sets
/// them (declaration order is descriptor order).
struct Effect<'a> {
    page: Option<u16>,
    logical_min: Option<i64>,
    logical_max: Option<i64>,
    /// The data main items as a host reads them, in order (the layout's fields).
    main: &'a [LayoutField],
    /// By main item index: the globals a host's state holds there (Push/Pop included).
    set: &'a HashMap<usize, Vec<Tag>>,
}

impl<'a> Effect<'a> {
    fn new(main: &'a [LayoutField], set: &'a HashMap<usize, Vec<Tag>>) -> Self {
        Effect { main, set, page: None, logical_min: None, logical_max: None }
    }
    /// Nothing known of the globals in effect (after items written as they are).
    fn forget(&mut self) {
        *self = Effect::new(self.main, self.set);
    }
}

/// The globals set in the state at each main item.
fn globals_set(items: &[SpannedItem]) -> HashMap<usize, Vec<Tag>> {
    let mut out = HashMap::new();
    super::state::walk(items, |i, item, _, _, w| {
        if item.tag().is_some_and(|t| t.is_main_data()) {
            out.insert(i, w.globals.values.keys().copied().collect());
        }
    });
    out
}

/// `kind, usage_page = .., usage = ..`; `effect` holds the globals in effect (updated).
fn collection_args(c: &Collection, effect: &mut Effect<'_>) -> Result<String, NotWritable> {
    let mut a = Vec::new();
    match CollectionKind::NAMES.iter().find(|(_, v)| *v == c.kind.to_u8() as i128) {
        Some((n, _)) => a.push(n.to_string()),
        None => a.push(format!("kind = {:#04x}", c.kind.to_u8())),
    }
    if let Some(p) = c.usage_page {
        if needed(Tag::UsagePage, p.into(), effect.page.map(i64::from), &c.emit) {
            a.push(format!("usage_page = {}", page(p)));
        }
        effect.page = Some(p);
    }
    let on = |u: &UsageRef| usage_on(*u, c.usage_page);
    match c.usages.as_slice() {
        [] => {}
        [u] => a.push(format!("usage = {}", on(u)?)),
        us => a.push(format!("usages = [{}]", us.iter().map(on).collect::<Result<Vec<_>, _>>()?.join(", "))),
    }
    let g = &c.globals;
    if let Some(id) = g.report_id {
        a.push(format!("report_id = {id}"));
    }
    scaling_args(g, &mut a);
    for (k, v) in [("bits", g.bits), ("count", g.count)] {
        if let Some(v) = v {
            a.push(format!("{k} = {v}"));
        }
    }
    for (slot, v) in [(&mut effect.logical_min, g.logical_min), (&mut effect.logical_max, g.logical_max)] {
        if v.is_some() {
            *slot = v;
        }
    }
    if let Some(order) = &c.emit {
        a.push(order_arg(order));
    }
    if !c.sizes.is_empty() {
        a.push(sizes_arg(&c.sizes));
    }
    Ok(a.join(", "))
}

/// The logical and physical range, unit exponent and unit a node sets.
fn scaling_args(g: &Globals, a: &mut Vec<String>) {
    for (k, v) in [("logical_min", g.logical_min), ("logical_max", g.logical_max), ("physical_min", g.physical_min), ("physical_max", g.physical_max)] {
        if let Some(v) = v {
            a.push(format!("{k} = {v}"));
        }
    }
    if let Some(e) = g.unit_exponent {
        a.push(format!("unit_exponent = {e}"));
    }
    if let Some(u) = g.unit {
        a.push(format!("unit = {}", unit(u)));
    }
}

/// `sizes(logical_max = 2, input = 1)`.
fn sizes_arg(sizes: &[(Tag, u8)]) -> String {
    let list: Vec<String> = sizes.iter().map(|(t, n)| format!("{} = {n}", size_name(*t))).collect();
    format!("sizes({})", list.join(", "))
}

fn size_name(t: Tag) -> &'static str {
    if super::vocab::PREFIX_TAGS.contains(&t) {
        super::vocab::prefix_name(t)
    } else {
        t.key()
    }
}

/// The items of an `items` node: `push`, `usage_page = 1`, `logical_max(data = 0xff, size = 2)`,
/// `long(tag = .., data = [..])`, `reserved(prefix = .., data = .., size = ..)`.
fn items_args(items: &[SpannedItem]) -> Result<String, NotWritable> {
    let mut a = Vec::new();
    for it in items {
        a.push(match &it.item {
            Item::Long { tag, data } => {
                format!("long(tag = {tag:#04x}, data = [{}])", data.iter().map(|b| format!("{b:#04x}")).collect::<Vec<_>>().join(", "))
            }
            Item::Short { tag: Tag::Reserved(p), size, data } => format!("reserved(prefix = {p:#04x}, data = {data:#x}, size = {size})"),
            item @ Item::Short { tag, size, data } => {
                if Item::canonical(*tag, item.value()) == *item {
                    if tag.is_dataless() && *size == 0 {
                        tag.key().to_string()
                    } else {
                        format!("{} = {}", tag.key(), item.value())
                    }
                } else {
                    format!("{}(data = {data:#x}, size = {size})", tag.key())
                }
            }
        });
    }
    Ok(a.join(", "))
}

/// A unit: its name (`"centimeter"`) when it has one, else the number.
fn unit(u: u32) -> String {
    match super::unit::NAMES.iter().find(|(_, v)| *v == u as i128) {
        Some((n, _)) => format!("{n:?}"),
        None => hex(u as i64),
    }
}

fn order_arg(tags: &[Tag]) -> String {
    let names: Vec<&str> = tags.iter().map(|t| super::vocab::prefix_name(*t)).collect();
    format!("order = [{}]", names.join(", "))
}

/// The flag words of `flags` that differ from the default (Data,Var,Abs for data, Cnst,Arr,Abs
/// for padding), or `flags = N` when a bit has no word.
fn flag_args(flags: MainFlags, padding: bool) -> Vec<String> {
    let known: u32 = MainFlags::BITS.iter().map(|(b, _, _)| b).fold(0, |a, b| a | b);
    if flags.0 & !known != 0 {
        return vec![format!("flags = {:#x}", flags.0)];
    }
    let default = if padding { MainFlags::CONSTANT } else { MainFlags::VARIABLE };
    MainFlags::BITS
        .iter()
        .filter(|(b, _, _)| (flags.0 ^ default) & b != 0)
        .map(|(b, set, clear)| if flags.0 & b != 0 { set.to_string() } else { clear.to_string() })
        .collect()
}

/// The element type: signed when the logical minimum is negative (as the layout reads it), wide
/// enough for `bits` and for both logical bounds.
fn scalar(bits: u32, min: i64, max: i64) -> Option<Scalar> {
    if bits == 1 && min == 0 && max == 1 {
        return Some(Scalar::Bool);
    }
    let signed = min < 0;
    [Scalar::U8, Scalar::I8, Scalar::U16, Scalar::I16, Scalar::U32, Scalar::I32, Scalar::U64, Scalar::I64]
        .into_iter()
        .filter(|s| s.signed() == signed && s.width() >= bits)
        .find(|s| {
            let (lo, hi) = s.range();
            lo <= min && max <= hi
        })
}

/// The usage keys: `usage`/`usages` then one range (the order the macro writes them in).
fn usage_args(us: &[LocalUsage], page: Option<u16>, a: &mut Vec<String>) -> Result<(), NotWritable> {
    let plain: Vec<UsageRef> = us.iter().take_while(|u| matches!(u, LocalUsage::Usage(_))).map(|u| u.usage()).collect();
    let rest = &us[plain.len()..];
    let on = |u: &UsageRef| usage_on(*u, page);
    match plain.as_slice() {
        [] => {}
        [u] => a.push(format!("usage = {}", on(u)?)),
        many => a.push(format!("usages = [{}]", many.iter().map(on).collect::<Result<Vec<_>, _>>()?.join(", "))),
    }
    match rest {
        [] => Ok(()),
        [LocalUsage::Min(x), LocalUsage::Max(y)] => {
            a.push(format!("usage_min = {}", on(x)?));
            a.push(format!("usage_max = {}", on(y)?));
            Ok(())
        }
        _ => Err(NotWritable("usage items in an order the attribute keys cannot give (a range before usages, or several ranges)".into())),
    }
}

/// Print one field (its attribute, then `closes`, the `#[end_collection]` lines that close
/// collections after it, then its line); the typed field it declares, if any.
fn field(f: &Field, main_index: usize, closes: &str, effect: &mut Effect<'_>, names: &mut Names, report: &str, out: &mut String) -> Result<Option<WrittenField>, NotWritable> {
    let kind = f.kind.unwrap_or(ReportKind::Input);
    let padding = f.is_padding();
    // What the field form leaves "in effect" the macro needs stated (a data field's logical
    // range defaults to its type's otherwise): the values a host reads there (the layout).
    let host = effect.main.get(main_index).ok_or_else(|| NotWritable("a data main item the layout does not have".into()))?;
    // Whether a host has the global in its state at this main item (Push/Pop included).
    let set_before = |t: Tag| effect.set.get(&host.item_index).is_some_and(|set| set.contains(&t));
    if f.globals.bits.is_none() && !set_before(Tag::ReportSize) {
        return Err(NotWritable("a field where no Report Size was ever set".into()));
    }
    let bits = f.globals.bits.unwrap_or(host.bits);
    let count = f.globals.count.unwrap_or(host.count);
    let (lmin, lmax) = if padding {
        (f.globals.logical_min, f.globals.logical_max)
    } else {
        let min = f.globals.logical_min.or_else(|| set_before(Tag::LogicalMinimum).then_some(host.logical_min));
        let max = f.globals.logical_max.or_else(|| set_before(Tag::LogicalMaximum).then_some(host.logical_max));
        (min, max)
    };
    let mut g = f.globals.clone();
    (g.logical_min, g.logical_max) = (lmin, lmax);
    let f = &f.clone().with_globals(g);
    let mut a: Vec<String> = Vec::new();
    if padding {
        a.push("padding".into());
    }
    a.extend(flag_args(f.flags, padding));
    if let Some(p) = f.usage_page {
        if needed(Tag::UsagePage, p.into(), effect.page.map(i64::from), &f.emit) {
            a.push(format!("usage_page = {}", page(p)));
        }
        effect.page = Some(p);
    }
    usage_args(&f.usages, f.usage_page, &mut a)?;
    if !padding {
        // Never set before this field: the macro leaves it unstated.
        for (k, v) in [("logical_min", f.globals.logical_min), ("logical_max", f.globals.logical_max)] {
            if v.is_none() {
                a.push(format!("{k} = in_effect"));
            }
        }
    }
    for (k, t, v, slot) in [
        ("logical_min", Tag::LogicalMinimum, f.globals.logical_min, &mut effect.logical_min),
        ("logical_max", Tag::LogicalMaximum, f.globals.logical_max, &mut effect.logical_max),
    ] {
        if let Some(v) = v {
            // Padding takes what is in effect; a data field states its range.
            if !padding || needed(t, v, *slot, &f.emit) {
                a.push(format!("{k} = {v}"));
            }
            *slot = Some(v);
        }
    }
    for (k, v) in [("physical_min", f.globals.physical_min), ("physical_max", f.globals.physical_max)] {
        if let Some(v) = v {
            a.push(format!("{k} = {v}"));
        }
    }
    if let Some(e) = f.globals.unit_exponent {
        a.push(format!("unit_exponent = {e}"));
    }
    if let Some(u) = f.globals.unit {
        a.push(format!("unit = {}", unit(u)));
    }
    // A data field of no bits has type `()`: its count is said, not an array length.
    let empty = !padding && (bits == 0 || count == 0);
    if padding && bits == 0 {
        return Err(NotWritable(format!("padding of Report Size 0 (Report Count {count})")));
    }
    a.push(format!("bits = {bits}"));
    if (padding && count != 1) || empty {
        a.push(format!("count = {count}"));
    }
    if let Some(order) = &f.emit {
        a.push(order_arg(order));
    }
    if !f.sizes.is_empty() {
        a.push(sizes_arg(&f.sizes));
    }
    let _ = writeln!(out, "        #[{}({})]", kind.key(), a.join(", "));
    out.push_str(closes);
    if padding || empty {
        let _ = writeln!(out, "        {}: (),", names.fresh(report, if padding { "_padding" } else { "_empty" }));
        return Ok(None);
    }
    let (min, max) = (f.globals.logical_min.unwrap_or(0), f.globals.logical_max.unwrap_or(0));
    let s = scalar(bits, min.min(max), max.max(min)).ok_or_else(|| NotWritable(format!("a data field of {bits} bits (wider than 64)")))?;
    if count > 0xFFFF {
        return Err(NotWritable(format!("a data field of {count} elements (an array holds at most 65535)")));
    }
    let base = f.name.clone().unwrap_or_else(|| field_base(f));
    let name = names.fresh(report, &base);
    let array = (count > 1).then_some(count);
    let ty = match array {
        Some(n) => format!("[{}; {n}]", s.name()),
        None => s.name().to_string(),
    };
    let _ = writeln!(out, "        pub {name}: {ty},");
    Ok(Some(WrittenField { name, kind, scalar: s, array, main_index }))
}

/// A field name from the first usage's HUT name (or its page).
fn field_base(f: &Field) -> String {
    let page = f.usage_page.unwrap_or(0);
    let named = f.usages.first().and_then(|u| match u.usage() {
        UsageRef::Id(id) => super::usages::usage_name(page, id),
        UsageRef::Extended(x) => super::usages::usage_name((x >> 16) as u16, x as u16),
    });
    match named {
        Some(n) => snake_ident(&n),
        None => snake_ident(&super::usages::page_display(page)),
    }
}
