//! Text dumps: item by item with names and collection indentation, and a bit-layout table per
//! report (one row per element of a variable item, or per run of elements with the same usage;
//! one row per array or padding item).

use super::item::{CollectionKind, Item, MainFlags, Tag};
use super::layout::{Layout, LayoutField};
use super::state::{Walker};
use super::usages::{full_usage_display, page_display, usage_display};
use super::SpannedItem;
use std::fmt::Write;

/// The value of an item in words, given the parser state before it.
pub fn describe(item: &Item, w: &Walker) -> String {
    let Item::Short { tag, size, data } = *item else {
        if let Item::Long { tag, data } = item {
            return format!("Long Item (tag 0x{tag:02x}, {} data bytes)", data.len());
        }
        return String::new();
    };
    let name = tag.spec_name();
    let v = item.value();
    match tag {
        Tag::Input | Tag::Output | Tag::Feature => format!("{name} ({})", MainFlags(data).short_text()),
        Tag::Collection => match CollectionKind::from_u8(data as u8).name() {
            Some(n) => format!("{name} ({})", title(n)),
            None if data >= 0x80 => format!("{name} (Vendor 0x{data:02x})"),
            None => format!("{name} (Reserved 0x{data:02x})"),
        },
        Tag::EndCollection | Tag::Push | Tag::Pop => name.to_string(),
        Tag::UsagePage => format!("{name} ({})", page_display(data as u16)),
        Tag::Usage | Tag::UsageMinimum | Tag::UsageMaximum => {
            if size == 4 {
                format!("{name} ({})", full_usage_display(data))
            } else {
                format!("{name} ({})", usage_display(w.globals.usage_page(), data as u16))
            }
        }
        Tag::LogicalMaximum | Tag::PhysicalMaximum if v < 0 && size < 4 => {
            format!("{name} ({v}, or {data} unsigned)")
        }
        Tag::UnitExponent if data <= 0xF => format!("{name} ({})", if data > 7 { data as i64 - 16 } else { data as i64 }),
        Tag::Unit => format!("{name} ({}, 0x{data:x})", super::unit::describe(data)),
        Tag::Reserved(p) => format!("Reserved item 0x{p:02x} (data 0x{data:x})"),
        _ => format!("{name} ({v})"),
    }
}

fn title(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Deepest collection level shown by indentation; deeper items carry their depth as a number, so a
/// line stays short however deep the nesting (indenting every level is quadratic output).
pub const MAX_INDENT: usize = 16;

/// Two spaces a level up to [`MAX_INDENT`], then `[depth N] `.
fn indent(depth: usize) -> String {
    if depth <= MAX_INDENT {
        "  ".repeat(depth)
    } else {
        format!("{}[depth {depth}] ", "  ".repeat(MAX_INDENT))
    }
}

/// Item-by-item dump: byte offset, bytes, description indented by collection depth.
pub fn items(items: &[SpannedItem]) -> String {
    let mut out = String::new();
    let mut w = Walker::new();
    let mut offset = 0usize;
    for (i, s) in items.iter().enumerate() {
        let mut bytes = Vec::new();
        super::encode::encode_item(&s.item, &mut bytes);
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut depth = w.collections.len();
        if s.item.tag() == Some(Tag::EndCollection) {
            depth = depth.saturating_sub(1);
        }
        let text = describe(&s.item, &w);
        let _ = writeln!(out, "{offset:04x}  {:<15} {}{}", hex.join(" "), indent(depth), text);
        offset += bytes.len();
        w.step(i, &s.item);
    }
    out
}

fn usage_text(f: &LayoutField, i: u32) -> String {
    match f.usage_of(i) {
        Some(u) => full_usage_display(u),
        None => "-".into(),
    }
}

/// One table per report, like the keyboard table of a HID class document: offset, bits, usage.
pub fn layout(layout: &Layout) -> String {
    let mut out = String::new();
    for r in &layout.reports {
        let id = match r.id {
            Some(id) => format!("report ID {id}"),
            None => "no report ID".into(),
        };
        let kind = format!("{:?}", r.kind);
        let _ = writeln!(out, "{kind} report, {id}: {} bits, {} byte{}", r.bits, r.bytes, if r.bytes == 1 { "" } else { "s" });
        let _ = writeln!(out, "  {:>6} {:>5}  {:<48} {:<16} flags", "offset", "bits", "usage", "logical");
        if r.id.is_some() {
            let _ = writeln!(out, "  {:>6} {:>5}  {:<48} {:<16}", 0, 8, "(report ID)", "");
        }
        for f in &r.fields {
            let logical = format!("{}..{}", f.logical_min, f.logical_max);
            let flags = f.flags.short_text();
            if f.constant && f.usages.is_empty() && f.usage_range.is_none() {
                let _ = writeln!(out, "  {:>6} {:>5}  {:<48} {:<16} {flags}", f.bit_offset, f.total_bits(), "(padding)", "");
            } else if f.variable && f.count <= 64 {
                // One row per element; a run of elements with the same usage is one row, `NxB`
                // as for arrays (a 63-byte vendor report is one row, not 63).
                let mut i = 0;
                while i < f.count {
                    let usage = usage_text(f, i);
                    let run = (i..f.count).take_while(|&j| usage_text(f, j) == usage).count() as u32;
                    let off = f.bit_offset as u64 + i as u64 * f.bits as u64;
                    let (bits, what) = if run == 1 { (f.bits as u64, usage) } else { (run as u64 * f.bits as u64, format!("{run}x{} {usage}", f.bits)) };
                    let _ = writeln!(out, "  {:>6} {:>5}  {:<48} {:<16} {flags}", off, bits, what, logical);
                    i += run;
                }
            } else {
                let what = match (f.usage_range, f.usages.first()) {
                    (Some((a, b)), _) => format!(
                        "{} [{}..{}]",
                        page_display((a >> 16) as u16),
                        usage_display((a >> 16) as u16, a as u16),
                        usage_display((b >> 16) as u16, b as u16)
                    ),
                    (None, Some(u)) => full_usage_display(*u),
                    _ => "-".into(),
                };
                let what = format!("{}x{} {what}", f.count, f.bits);
                let _ = writeln!(out, "  {:>6} {:>5}  {:<48} {:<16} {flags}", f.bit_offset, f.total_bits(), what, logical);
            }
        }
        out.push('\n');
    }
    out
}
