//! Writing the two TOML forms of a `report` table (the reader is the parent module).

use super::super::field::{LocalUsage, Node, UsageRef};
use super::super::item::{CollectionKind, Item, MainFlags, ReportKind, Tag};
use super::super::field::Globals;
use super::super::{usages, vocab};
use toml::Value as TV;

fn int(v: i64) -> TV {
    TV::Integer(v)
}

fn page_value(p: u16) -> TV {
    match usages::page_name(p) {
        Some(n) if usages::page_from_name(&n) == Some(p) => TV::String(n),
        _ => int(p as i64),
    }
}

fn usage_value(u: UsageRef, page: Option<u16>) -> TV {
    match u {
        UsageRef::Id(id) => match page.and_then(|p| usages::usage_name(p, id).map(|n| (p, n))) {
            Some((p, n)) if usages::usage_from_name(p, &n) == Some(id) => TV::String(n),
            _ => int(id as i64),
        },
        UsageRef::Extended(u) => {
            let mut t = toml::Table::new();
            let p = (u >> 16) as u16;
            t.insert("page".into(), page_value(p));
            t.insert("id".into(), usage_value(UsageRef::Id(u as u16), Some(p)));
            TV::Table(t)
        }
    }
}

fn flags_value(f: MainFlags) -> TV {
    if f.0 & !0x1FF != 0 {
        return int(f.0 as i64);
    }
    TV::Array(f.names().into_iter().map(|s| TV::String(s.into())).collect())
}

fn emit_value(e: &[Tag]) -> TV {
    TV::Array(e.iter().map(|t| TV::String(vocab::prefix_name(*t).into())).collect())
}

fn sizes_value(sizes: &[(Tag, u8)]) -> TV {
    TV::Table(sizes.iter().map(|(t, n)| (vocab::prefix_name(*t).to_string(), int(*n as i64))).collect())
}

/// The keys of the globals a field or collection states, but the report ID (written first).
/// Pairs are written as `[min, max]` when both are given.
fn write_globals(t: &mut toml::Table, g: &Globals) {
    for (pair, lo_key, hi_key, lo, hi) in [
        ("logical", "logical_min", "logical_max", g.logical_min, g.logical_max),
        ("physical", "physical_min", "physical_max", g.physical_min, g.physical_max),
    ] {
        match (lo, hi) {
            (Some(a), Some(b)) => {
                t.insert(pair.into(), TV::Array(vec![int(a), int(b)]));
            }
            (a, b) => {
                if let Some(a) = a {
                    t.insert(lo_key.into(), int(a));
                }
                if let Some(b) = b {
                    t.insert(hi_key.into(), int(b));
                }
            }
        }
    }
    if let Some(u) = g.unit {
        t.insert("unit".into(), unit_value(u));
    }
    if let Some(e) = g.unit_exponent {
        t.insert("unit_exponent".into(), int(e as i64));
    }
    if let Some(b) = g.bits {
        t.insert("bits".into(), int(b as i64));
    }
    if let Some(c) = g.count {
        t.insert("count".into(), int(c as i64));
    }
}

fn unit_value(u: u32) -> TV {
    match super::super::unit::name_of(u) {
        Some(n) => TV::String(n.into()),
        None => int(u as i64),
    }
}

/// Field form → `report` table, with the report's default item order when it has one.
pub fn write_fields(nodes: &[Node], order: Option<&[Tag]>) -> toml::Table {
    let mut t = toml::Table::new();
    if let Some(o) = order.filter(|o| *o != vocab::default_order().as_slice()) {
        // Only the tags that moved, in their new order (`vocab::order_from` reads it back).
        let moved: Vec<Tag> = o.iter().zip(vocab::default_order()).filter(|(a, b)| *a != b).map(|(a, _)| *a).collect();
        t.insert("order".into(), emit_value(&moved));
    }
    let mut page = None;
    t.insert("collection".into(), TV::Array(nodes.iter().map(|n| TV::Table(write_node(n, &mut page))).collect()));
    t
}

fn write_node(n: &Node, page: &mut Option<u16>) -> toml::Table {
    let mut t = toml::Table::new();
    match n {
        Node::Items(items) => {
            t.insert("items".into(), TV::Array(items.iter().map(|s| TV::Table(item_entry(&s.item, page))).collect()));
        }
        Node::Collection(c) => {
            t.insert(
                "collection".into(),
                c.kind.name().map(|s| TV::String(s.into())).unwrap_or_else(|| int(c.kind.to_u8() as i64)),
            );
            if let Some(id) = c.globals.report_id {
                t.insert("report_id".into(), int(id as i64));
            }
            if c.usage_page.is_some() && c.usage_page != *page {
                *page = c.usage_page;
                t.insert("usage_page".into(), page_value(c.usage_page.unwrap_or(0)));
            }
            match c.usages.as_slice() {
                [] => {}
                [u] => {
                    t.insert("usage".into(), usage_value(*u, *page));
                }
                us => {
                    t.insert("usage".into(), TV::Array(us.iter().map(|u| usage_value(*u, *page)).collect()));
                }
            }
            write_globals(&mut t, &c.globals);
            if let Some(e) = &c.emit {
                t.insert("emit".into(), emit_value(e));
            }
            if !c.sizes.is_empty() {
                t.insert("sizes".into(), sizes_value(&c.sizes));
            }
            if !c.children.is_empty() {
                t.insert("fields".into(), TV::Array(c.children.iter().map(|n| TV::Table(write_node(n, page))).collect()));
            }
        }
        Node::Field(f) => {
            t.insert(f.kind.unwrap_or(ReportKind::Input).key().into(), flags_value(f.flags));
            if let Some(id) = f.globals.report_id {
                t.insert("report_id".into(), int(id as i64));
            }
            if f.usage_page.is_some() && f.usage_page != *page {
                *page = f.usage_page;
                t.insert("usage_page".into(), page_value(f.usage_page.unwrap_or(0)));
            }
            let all_usage = f.usages.iter().all(|u| matches!(u, LocalUsage::Usage(_)));
            match f.usages.as_slice() {
                [] => {}
                [LocalUsage::Usage(u)] => {
                    t.insert("usage".into(), usage_value(*u, *page));
                }
                us if all_usage => {
                    t.insert("usage".into(), TV::Array(us.iter().map(|u| usage_value(u.usage(), *page)).collect()));
                }
                [LocalUsage::Min(a), LocalUsage::Max(b)] => {
                    t.insert("usage_min".into(), usage_value(*a, *page));
                    t.insert("usage_max".into(), usage_value(*b, *page));
                }
                us => {
                    let list = us
                        .iter()
                        .map(|u| {
                            let mut e = toml::Table::new();
                            e.insert(u.tag().key().into(), usage_value(u.usage(), *page));
                            TV::Table(e)
                        })
                        .collect();
                    t.insert("usages".into(), TV::Array(list));
                }
            }
            write_globals(&mut t, &f.globals);
            if let Some(e) = &f.emit {
                t.insert("emit".into(), emit_value(e));
            }
            if !f.sizes.is_empty() {
                t.insert("sizes".into(), sizes_value(&f.sizes));
            }
            if let Some(n) = &f.name {
                t.insert("name".into(), TV::String(n.clone()));
            }
        }
    }
    t
}

/// Item form → `report` table.
pub fn write_items(items: &[Item]) -> toml::Table {
    let mut page = Some(0u16);
    let list = items.iter().map(|it| TV::Table(item_entry(it, &mut page))).collect();
    let mut t = toml::Table::new();
    t.insert("items".into(), TV::Array(list));
    t
}

/// One item-form entry; `page` is the Usage Page the reader will have in effect (for usage names;
/// `None` when it cannot know, after a Pop), updated by the item.
fn item_entry(it: &Item, page: &mut Option<u16>) -> toml::Table {
    let mut t = toml::Table::new();
    match it {
        Item::Long { tag, data } => {
            t.insert("long".into(), int(*tag as i64));
            t.insert("data".into(), TV::String(data.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")));
        }
        Item::Short { tag: Tag::Reserved(p), size, data } => {
            t.insert("reserved".into(), int(*p as i64));
            t.insert("data".into(), int(*data as i64));
            if !it.is_canonical() {
                t.insert("size".into(), int(*size as i64));
            }
        }
        Item::Short { tag, size, data } => {
            let value = it.value();
            let v = match tag {
                Tag::Input | Tag::Output | Tag::Feature => flags_value(MainFlags(*data)),
                Tag::Collection => match CollectionKind::from_u8(*data as u8).name() {
                    Some(n) if *data <= 0xFF => TV::String(n.into()),
                    _ => int(value),
                },
                Tag::EndCollection | Tag::Push | Tag::Pop if *data == 0 => TV::Boolean(true),
                Tag::UsagePage => {
                    *page = Some(*data as u16);
                    if *data <= 0xFFFF { page_value(*data as u16) } else { int(value) }
                }
                Tag::Usage | Tag::UsageMinimum | Tag::UsageMaximum => {
                    if *size == 4 {
                        int(value)
                    } else {
                        usage_value(UsageRef::Id(*data as u16), *page)
                    }
                }
                Tag::UnitExponent if *size == 1 && (8..=0xF).contains(data) => int(*data as i64 - 16),
                _ => int(value),
            };
            if *tag == Tag::Pop {
                *page = None;
            }
            t.insert(tag.key().into(), v);
            if !it.is_canonical() {
                t.insert("size".into(), int(*size as i64));
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::hid::toml::{read_report, Parsed};
    use crate::tomlr::Table;

    /// The item form writes `size` only where [`Item::is_canonical`] says the encoder would choose
    /// another, and reads items through [`Item::canonical`]: extended usages, 32-bit values of
    /// signed items, dataless items with data and reserved items all come back exactly.
    #[test]
    fn item_form_sizes_come_from_item_canonical() {
        let items = vec![
            Item::Short { tag: Tag::UsagePage, size: 1, data: 1 },
            Item::Short { tag: Tag::Usage, size: 4, data: 0x000D_0022 },
            Item::Short { tag: Tag::Usage, size: 4, data: 5 },
            Item::Short { tag: Tag::Usage, size: 2, data: 5 },
            Item::Short { tag: Tag::LogicalMaximum, size: 4, data: 0xFFFF_FFFF },
            Item::Short { tag: Tag::LogicalMaximum, size: 4, data: 0x8000_0000 },
            Item::Short { tag: Tag::Pop, size: 1, data: 0 },
            Item::Short { tag: Tag::EndCollection, size: 1, data: 7 },
            Item::Short { tag: Tag::Reserved(0xF4), size: 2, data: 3 },
            Item::Short { tag: Tag::Reserved(0xF4), size: 2, data: 0x1234 },
        ];
        let written = write_items(&items);
        let mut doc = toml::Table::new();
        doc.insert("report".into(), TV::Table(written.clone()));
        let text = toml::to_string(&doc).unwrap();
        let parsed = crate::tomlr::parse(&text).unwrap();
        let root = Table::root(&parsed);
        let mut d = Diagnostics::new();
        let report = root.require("report", &mut d).unwrap().table(&mut d).unwrap();
        let Some(Parsed::Items(back)) = read_report(&report, &mut d) else { panic!("{text}\n{d:?}") };
        assert!(!d.has_errors(), "{text}\n{d:?}");
        assert_eq!(back.into_iter().map(|s| s.item).collect::<Vec<_>>(), items, "{text}");
        // `size` only where the canonical size differs: 3rd, 4th, 5th, 7th and 9th items.
        let sizes: Vec<bool> = written["items"].as_array().unwrap().iter().map(|t| t.as_table().unwrap().contains_key("size")).collect();
        assert_eq!(sizes, [false, false, true, true, true, false, true, false, true, false]);
    }
}

/// Keys whose numbers the HID spec writes in hex, with their digit count: usage pages and usages
/// (those without a name are numbers), report IDs, main item flags, units, long and reserved item
/// tags. [`hex_numbers`] rewrites them in the written TOML (toml writes every integer in decimal).
const HEX_KEYS: &[(&str, usize)] = &[
    ("usage_page", 4),
    ("usage", 4),
    ("usage_min", 4),
    ("usage_max", 4),
    ("usages", 4),
    ("page", 4),
    ("id", 4),
    ("report_id", 2),
    ("input", 2),
    ("output", 2),
    ("feature", 2),
    ("unit", 2),
    ("long", 2),
    ("reserved", 2),
];

/// The text of a written `report` table as a person would write it: small tables of a node
/// (`sizes = { usage_max = 2 }`, an extended usage `{ page = ..., id = ... }`) inline on the node
/// instead of in sections of their own, and the numbers of [`HEX_KEYS`] in hex ([`hex_numbers`]).
pub fn tidy(text: &str) -> String {
    hex_numbers(&inline_subtables(text))
}

/// Keys of a node whose small tables are written inline (`sizes = { ... }`, `items = [{ ... }]`).
const INLINE_KEYS: &[&str] = &["sizes", "usage", "usage_min", "usage_max", "usages", "items"];

/// Fold the `[P.key]` section, or the run of `[[P.key]]` entries, of one of [`INLINE_KEYS`] that
/// directly follows the keys of its parent `[P]` / `[[P]]` and holds only `k = v` lines into one
/// `key = { k = v, ... }` / `key = [{ ... }, ...]` line of the parent.
fn inline_subtables(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let header = |l: &str| -> Option<(String, bool)> {
        if let Some(p) = l.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            Some((p.to_string(), true))
        } else {
            l.strip_prefix('[').and_then(|r| r.strip_suffix(']')).map(|p| (p.to_string(), false))
        }
    };
    // The `k = v` lines after line `i` up to a blank line or the end, if that is how it ends.
    let body = |i: usize| -> Option<(Vec<&str>, usize)> {
        let mut j = i + 1;
        let mut pairs = Vec::new();
        while j < lines.len() && !lines[j].is_empty() && !lines[j].starts_with('[') && lines[j].contains(" = ") {
            pairs.push(lines[j]);
            j += 1;
        }
        (!pairs.is_empty() && (j == lines.len() || lines[j].is_empty())).then_some((pairs, j))
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut parent: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((path, array)) = header(line) {
            let key = parent.as_ref().and_then(|p| path.strip_prefix(&format!("{p}."))).filter(|k| INLINE_KEYS.contains(k));
            if let Some(key) = key {
                // One section, or every entry of the array (each a header and its body).
                let mut entries = Vec::new();
                let mut j = i;
                while j < lines.len() && lines[j] == line {
                    let Some((pairs, end)) = body(j) else { break };
                    entries.push(format!("{{ {} }}", pairs.join(", ")));
                    j = end;
                    // Skip the blank line between entries when another entry follows.
                    if array && j + 1 < lines.len() && lines[j].is_empty() && lines[j + 1] == line {
                        j += 1;
                    }
                    if !array {
                        break;
                    }
                }
                let whole = j == lines.len() || lines[j].is_empty() || !lines[j].starts_with("[[") || lines[j] != line;
                if !entries.is_empty() && whole && (j == lines.len() || header(lines[j]).is_none()) {
                    while out.last().is_some_and(|l| l.is_empty()) {
                        out.pop();
                    }
                    out.push(if array { format!("{key} = [{}]", entries.join(", ")) } else { format!("{key} = {}", entries[0]) });
                    i = j;
                    continue;
                }
            }
            parent = Some(path);
        }
        out.push(line.to_string());
        i += 1;
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// The text of a written `report` table (or a document holding one) with the numbers of
/// [`HEX_KEYS`] in hex: `usage_page = 0xFF00`, `report_id = 0x5A`, `usage = [0x0030, 0x0031]`.
/// Reading gives the same values back.
pub fn hex_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut at_boundary = true;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("sizes = {") {
            // Sizes are byte counts, whatever the keys inside are called.
            let end = rest.find('}').map(|i| i + 1).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            at_boundary = false;
            continue;
        }
        if at_boundary {
            if let Some((key, width)) = HEX_KEYS.iter().find(|(k, _)| rest.starts_with(&format!("{k} = "))) {
                let head = key.len() + 3;
                out.push_str(&rest[..head]);
                rest = &rest[head..];
                let value_end = if rest.starts_with('[') { rest.find(']').map(|i| i + 1) } else { rest.find([',', ' ', '\n', '}']) }.unwrap_or(rest.len());
                out.push_str(&hex_integers(&rest[..value_end], *width));
                rest = &rest[value_end..];
                at_boundary = false;
                continue;
            }
        }
        out.push(c);
        at_boundary = matches!(c, '\n' | '{' | ' ' | ',');
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Non-negative decimal integers in `value` (a number or a flat array; strings untouched) in hex.
fn hex_integers(value: &str, width: usize) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            match digits.parse::<u64>() {
                Ok(n) => out.push_str(&format!("0x{n:0width$X}")),
                Err(_) => out.push_str(digits),
            }
            digits.clear();
        }
    };
    let mut prev = ' ';
    for c in value.chars() {
        if c == '"' {
            in_string = !in_string;
        }
        if !in_string && c.is_ascii_digit() && (!digits.is_empty() || matches!(prev, '[' | ' ' | ',')) {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
        prev = c;
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod hex_tests {
    use super::hex_numbers;

    #[test]
    fn spec_numbers_in_hex_others_in_decimal() {
        let text = "usage_page = 65280\nusage = [48, \"Y\", 2]\nreport_id = 90\nlogical = [0, 255]\nbits = 8\n\
                    items = [{ usage_page = 1 }, { logical_max = 255 }, { usage = { page = 65280, id = 1 } }, { long = 16, data = \"01\" }]\n\
                    input = [\"data\"]\nunit_exponent = -2\nname = \"usage = 5\"\n";
        assert_eq!(
            hex_numbers(text),
            "usage_page = 0xFF00\nusage = [0x0030, \"Y\", 0x0002]\nreport_id = 0x5A\nlogical = [0, 255]\nbits = 8\n\
             items = [{ usage_page = 0x0001 }, { logical_max = 255 }, { usage = { page = 0xFF00, id = 0x0001 } }, { long = 0x10, data = \"01\" }]\n\
             input = [\"data\"]\nunit_exponent = -2\nname = \"usage = 5\"\n"
        );
    }
}
