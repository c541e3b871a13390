//! Collections balance, Push/Pop balance, reserved items, main items outside any collection.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::{Item, ItemType, Tag};
use crate::hid::state::{walk, Event};

pub const END_WITHOUT_COLLECTION: &str = "UD4101";
pub const COLLECTION_NOT_CLOSED: &str = "UD4102";
pub const POP_WITHOUT_PUSH: &str = "UD4103";
pub const PUSH_LEFT_OPEN: &str = "UD4104";
pub const RESERVED_ITEM: &str = "UD4105";
pub const MAIN_OUTSIDE_COLLECTION: &str = "UD4106";

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    let w = walk(input.items, |i, item, span, ev, w| match ev {
        Event::UnbalancedEnd => d.push(
            Diagnostic::error(END_WITHOUT_COLLECTION, "End Collection without an open collection")
                .at_labeled_opt(span, "nothing to close here")
                .help("remove this End Collection or add the Collection it should close (HID 1.11 §6.2.2.4)")
                .note("Linux hid-core rejects this descriptor: \"collection stack underflow\""),
        ),
        Event::PopEmpty => d.push(
            Diagnostic::error(POP_WITHOUT_PUSH, "Pop without a matching Push")
                .at_labeled_opt(span, "the global item stack is empty here")
                .help("remove this Pop or add a Push before it (HID 1.11 §6.2.2.7)")
                .note("Linux hid-core rejects this descriptor: \"global environment stack underflow\""),
        ),
        Event::Main { .. } if w.collections.is_empty() => d.push(
            Diagnostic::warning(MAIN_OUTSIDE_COLLECTION, format!("{} outside any collection", item.tag().map(|t| t.spec_name()).unwrap_or("")))
                .at_labeled_opt(span, "not inside an Application collection")
                .help("put data items inside a top-level Application collection (HID 1.11 §6.2.2.6)")
                .note("hosts group reports by top-level collection; Windows does not expose items outside one"),
        ),
        Event::Other => {
            if let Item::Long { data, .. } = item {
                if data.len() > crate::hid::encode::MAX_LONG_DATA {
                    d.push(crate::hid::encode::long_item_too_long(data.len(), span));
                }
            }
            // Long items and reserved global tags: Linux refuses them (errors in `linux.rs`).
            let linux_rejects = super::linux::linux_long_item(item) || tag_type(item_prefix(item)) == ItemType::Global;
            if let (Item::Short { tag: Tag::Reserved(p), .. }, false) = (item, linux_rejects) {
                let kind = match tag_type(*p) {
                    ItemType::Main => "main",
                    ItemType::Global => "global",
                    ItemType::Local => "local",
                    ItemType::Reserved => "reserved-type",
                };
                d.push(
                    Diagnostic::warning(RESERVED_ITEM, format!("reserved {kind} item tag 0x{p:02x} (item {i})"))
                        .at_labeled_opt(span, "not defined by HID 1.11")
                        .help("hosts skip reserved items; remove it unless a specific host needs it")
                        .note(if kind == "main" { "Linux accepts the descriptor and logs \"unknown main item tag\"" } else { "Linux accepts the descriptor and ignores the item" }),
                );
            }
        }
        _ => {}
    });
    for c in &w.collections {
        d.push(
            Diagnostic::error(COLLECTION_NOT_CLOSED, "collection is never closed")
                .at_labeled_opt(input.span(c.index), "opened here")
                .help("add an End Collection for every Collection (HID 1.11 §6.2.2.4)")
                .note("Linux hid-core rejects this descriptor: \"unbalanced collection at end of report description\""),
        );
    }
    for &p in &w.push_index {
        d.push(
            Diagnostic::warning(PUSH_LEFT_OPEN, "Push without a matching Pop")
                .at_labeled_opt(input.span(p), "pushed here, never popped")
                .help("add a Pop after the items that needed the saved state (HID 1.11 §6.2.2.7)"),
        );
    }
}

fn item_prefix(item: &Item) -> u8 {
    match item {
        Item::Short { tag, .. } => tag.prefix(),
        Item::Long { .. } => 0xFC,
    }
}

fn tag_type(p: u8) -> ItemType {
    Tag::Reserved(p).item_type()
}
