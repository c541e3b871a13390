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

use super::field::{Collection, Field, LocalUsage, Node, UsageRef};
use super::item::{CollectionKind, MainFlags, ReportKind, Tag};
use super::{AttachContext, ReportDescriptor};
use crate::diag::Diagnostics;
use crate::emit::rust::report::naming::snake_ident;
use crate::scalar::Scalar;
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
}

impl WrittenStruct {
    /// The generated type of one kind: the struct itself when all its fields are of that kind,
    /// else `NameInput` / `NameOutput` / `NameFeature`.
    pub fn type_name(&self, kind: ReportKind) -> String {
        if self.fields.iter().all(|f| f.kind == kind) {
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
    let nodes = rd.field_form().ok_or_else(|| NotWritable("it has no field form (it stays in item form)".into()))?;
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut pending: Vec<Entry> = Vec::new();
    let mut opens: Vec<&Collection> = Vec::new();
    split(&nodes, &mut chunks, &mut pending, &mut opens)?;
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
    let allow = lint_errors(&nodes);
    let mut out = String::new();
    let _ = writeln!(out, "#[::usbdesc_runtime::hid_descriptor]");
    let _ = writeln!(out, "pub mod {module} {{");
    let mut structs: Vec<WrittenStruct> = Vec::new();
    let mut parts = 0usize;
    let mut main_index = 0usize;
    let mut names = Names::default();
    for (ci, chunk) in chunks.iter().enumerate() {
        let host_name = match chunk.id {
            Some(id) => format!("Report{id}"),
            None => "Report".to_string(),
        };
        let host = structs.iter().position(|s| s.name == host_name);
        let mut args = vec!["collection = none".to_string()];
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
                structs.push(WrittenStruct { name: host_name.clone(), report_id: chunk.id.map(|i| i as u8), fields: Vec::new() });
                host_name.clone()
            }
        };
        if ci == 0 && !allow.is_empty() {
            args.push(format!("allow({})", allow.join(", ")));
        }
        let target = host.unwrap_or(structs.len() - 1);
        let _ = writeln!(out, "    #[hid_report({})]", args.join(", "));
        let _ = writeln!(out, "    pub struct {name} {{");
        for e in &chunk.entries {
            for c in &e.opens {
                let _ = writeln!(out, "        #[collection({})]", collection_args(c)?);
            }
            let closes = "        #[end_collection]\n".repeat(e.closes);
            match e.field {
                Some(f) => {
                    let w = field(f, main_index, &closes, &mut names, &host_name, &mut out)?;
                    main_index += 1;
                    if let Some(w) = w {
                        structs[target].fields.push(w);
                    }
                }
                None => {
                    out.push_str(&closes);
                    let _ = writeln!(out, "        {}: (),", names.fresh(&host_name, "_collection"));
                }
            }
        }
        let _ = writeln!(out, "    }}");
    }
    let _ = writeln!(out, "}}");
    Ok(Written { source: out, structs })
}

/// Flatten the tree into chunks of entries.
fn split<'a>(nodes: &'a [Node], chunks: &mut Vec<Chunk<'a>>, pending: &mut Vec<Entry<'a>>, opens: &mut Vec<&'a Collection>) -> Result<(), NotWritable> {
    for n in nodes {
        match n {
            Node::Collection(c) => {
                opens.push(c);
                split(&c.children, chunks, pending, opens)?;
                // A collection closes after the last entry written inside or after it; with
                // collections opened since and no field to carry them, a marker carries them.
                if !opens.is_empty() {
                    pending.push(Entry { opens: std::mem::take(opens), field: None, closes: 1 });
                } else if let Some(e) = pending.last_mut() {
                    e.closes += 1;
                } else if let Some(e) = chunks.last_mut().and_then(|c| c.entries.last_mut()) {
                    e.closes += 1;
                } else {
                    pending.push(Entry { opens: Vec::new(), field: None, closes: 1 });
                }
            }
            Node::Field(f) => {
                let id = f.report_id;
                let entry = Entry { opens: std::mem::take(opens), field: Some(f), closes: 0 };
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

fn usage(u: UsageRef) -> Result<String, NotWritable> {
    match u {
        UsageRef::Id(id) => Ok(hex(id as i64)),
        UsageRef::Extended(x) if x > 0xFFFF => Ok(format!("{x:#010x}")),
        UsageRef::Extended(x) => Err(NotWritable(format!("a 4-byte usage {x:#x} on page 0"))),
    }
}

/// `kind, usage_page = .., usage = ..`.
fn collection_args(c: &Collection) -> Result<String, NotWritable> {
    let mut a = Vec::new();
    match CollectionKind::NAMES.iter().find(|(_, v)| *v == c.kind.to_u8() as i128) {
        Some((n, _)) => a.push(n.to_string()),
        None => a.push(format!("kind = {:#04x}", c.kind.to_u8())),
    }
    if let Some(p) = c.usage_page {
        a.push(format!("usage_page = {}", hex(p as i64)));
    }
    match c.usages.as_slice() {
        [] => {}
        [u] => a.push(format!("usage = {}", usage(*u)?)),
        us => a.push(format!("usages = [{}]", us.iter().map(|u| usage(*u)).collect::<Result<Vec<_>, _>>()?.join(", "))),
    }
    if let Some(order) = &c.emit {
        a.push(order_arg(order));
    }
    Ok(a.join(", "))
}

fn order_arg(tags: &[Tag]) -> String {
    let names: Vec<&str> = tags
        .iter()
        .map(|t| match t {
            Tag::ReportSize => "bits",
            Tag::ReportCount => "count",
            t => t.key(),
        })
        .collect();
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
fn usage_args(us: &[LocalUsage], a: &mut Vec<String>) -> Result<(), NotWritable> {
    let plain: Vec<UsageRef> = us.iter().take_while(|u| matches!(u, LocalUsage::Usage(_))).map(|u| u.usage()).collect();
    let rest = &us[plain.len()..];
    match plain.as_slice() {
        [] => {}
        [u] => a.push(format!("usage = {}", usage(*u)?)),
        many => a.push(format!("usages = [{}]", many.iter().map(|u| usage(*u)).collect::<Result<Vec<_>, _>>()?.join(", "))),
    }
    match rest {
        [] => Ok(()),
        [LocalUsage::Min(x), LocalUsage::Max(y)] => {
            a.push(format!("usage_min = {}", usage(*x)?));
            a.push(format!("usage_max = {}", usage(*y)?));
            Ok(())
        }
        _ => Err(NotWritable("usage items in an order the attribute keys cannot give (a range before usages, or several ranges)".into())),
    }
}

/// Print one field (its attribute, then `closes`, the `#[end_collection]` lines that close
/// collections after it, then its line); the typed field it declares, if any.
fn field(f: &Field, main_index: usize, closes: &str, names: &mut Names, report: &str, out: &mut String) -> Result<Option<WrittenField>, NotWritable> {
    let kind = f.kind.unwrap_or(ReportKind::Input);
    let bits = f.bits.unwrap_or(0);
    let count = f.count.unwrap_or(0);
    let padding = f.is_padding();
    let mut a: Vec<String> = Vec::new();
    if padding {
        a.push("padding".into());
    }
    a.extend(flag_args(f.flags, padding));
    if let Some(p) = f.usage_page {
        a.push(format!("usage_page = {}", hex(p as i64)));
    }
    usage_args(&f.usages, &mut a)?;
    let both = |x: Option<i64>, y: Option<i64>| if padding || x.is_some() || y.is_some() { (x.or((!padding).then_some(0)), y.or((!padding).then_some(0))) } else { (None, None) };
    if !padding && (f.logical_min.is_none() || f.logical_max.is_none()) {
        return Err(NotWritable("a data field with no Logical Minimum or Maximum in effect".into()));
    }
    for (k, v) in [("logical_min", f.logical_min), ("logical_max", f.logical_max)] {
        if let Some(v) = v {
            a.push(format!("{k} = {}", hex(v)));
        }
    }
    let (pmin, pmax) = both(f.physical_min, f.physical_max);
    for (k, v) in [("physical_min", pmin), ("physical_max", pmax)] {
        if let Some(v) = v {
            a.push(format!("{k} = {}", hex(v)));
        }
    }
    if let Some(e) = f.unit_exponent {
        a.push(format!("unit_exponent = {e}"));
    }
    if let Some(u) = f.unit {
        a.push(format!("unit = {}", hex(u as i64)));
    }
    if bits == 0 || (count == 0 && !padding) {
        return Err(NotWritable(format!("a field of Report Size {bits} and Report Count {count}")));
    }
    a.push(format!("bits = {bits}"));
    if padding && count != 1 {
        a.push(format!("count = {count}"));
    }
    if let Some(order) = &f.emit {
        a.push(order_arg(order));
    }
    let _ = writeln!(out, "        #[{}({})]", kind.key(), a.join(", "));
    out.push_str(closes);
    if padding {
        let _ = writeln!(out, "        {}: (),", names.fresh(report, "_padding"));
        return Ok(None);
    }
    let (min, max) = (f.logical_min.unwrap_or(0), f.logical_max.unwrap_or(0));
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
