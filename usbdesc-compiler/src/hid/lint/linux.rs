//! Rules Linux hid-core enforces: each is an error because the kernel refuses the whole
//! descriptor (hid-generic's probe fails with -EINVAL and the device has no HID function). The
//! verdicts and messages were measured on Debian's 6.1 kernel through /dev/uhid
//! (`tests/verdicts/hid.tsv`, harness/hid_verdicts.py); each note quotes the kernel's log line.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::{Item, ItemType, Tag};

pub const LONG_ITEM: &str = "UD4151";
pub const RESERVED_GLOBAL: &str = "UD4152";
pub const REPORT_SIZE_LIMIT: &str = "UD4153";
pub const REPORT_COUNT_LIMIT: &str = "UD4154";
pub const DELIMITER_NESTING: &str = "UD4155";
pub const PUSH_DEPTH: &str = "UD4156";
pub const DESCRIPTOR_TOO_LONG: &str = "UD4158";
pub const REPORT_TOO_LONG: &str = "UD4159";

/// hid-core's limits (include/linux/hid.h): Report Size ≤ 256 bits, Report Count ≤ HID_MAX_USAGES,
/// Push depth ≤ HID_GLOBAL_STACK_SIZE. (Its usage limit, also HID_MAX_USAGES per main item, cannot
/// be reached by explicit Usage items within the 4096-byte descriptor limit; ranges are capped.)
pub const MAX_REPORT_SIZE: u32 = 256;
pub const MAX_USAGES: u32 = 12288;
pub const MAX_PUSH_DEPTH: usize = 4;
/// HID_MAX_DESCRIPTOR_SIZE: usbhid refuses longer report descriptors ("weird size of report
/// descriptor"), uhid refuses to create the device.
pub const MAX_DESCRIPTOR_BYTES: usize = 4096;
/// HID_MAX_BUFFER_SIZE: a report's fields (its ID byte not counted) must be shorter than this over
/// USB (uhid allows only 4096).
pub const MAX_REPORT_BYTES: u64 = 16384;

/// True when Linux reads this item as a long item: prefix 0xFE, and every short item whose tag
/// nibble is 15 (hid-core's `fetch_item` tests the tag, not the whole prefix).
pub fn linux_long_item(item: &Item) -> bool {
    match item {
        Item::Long { .. } => true,
        Item::Short { tag, .. } => tag.prefix() & 0xF0 == 0xF0,
    }
}

fn rejects(d: Diagnostic, kernel_says: &str) -> Diagnostic {
    d.note(format!("Linux hid-core rejects this descriptor: \"{kernel_says}\" (hid-generic's probe fails with -EINVAL)"))
}

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    let len: usize = input.items.iter().map(|s| s.item.encoded_len()).sum();
    if len > MAX_DESCRIPTOR_BYTES {
        d.push(
            Diagnostic::error(DESCRIPTOR_TOO_LONG, format!("the report descriptor is {len} bytes, more than {MAX_DESCRIPTOR_BYTES}"))
                .at_labeled_opt(input.items.last().and_then(|s| s.span), "ends here")
                .help("split the device into several HID interfaces, each with its own report descriptor")
                .note("Linux usbhid refuses the interface (\"weird size of report descriptor\"); uhid refuses to create the device"),
        );
    }
    for r in &input.layout.reports {
        // hid-core sizes a report without its Report ID byte and keeps one byte of its buffer for
        // the ID: at most HID_MAX_BUFFER_SIZE - 1 bytes of fields (measured: 16383 accepted).
        let bits = r.bits.saturating_sub(if r.id.is_some() { 8 } else { 0 });
        if bits > (MAX_REPORT_BYTES - 1) * 8 {
            let bytes = bits.div_ceil(8);
            let what = match r.id {
                Some(id) => format!("{:?} report {id} holds {bytes} bytes after its Report ID", r.kind),
                None => format!("{:?} report is {bytes} bytes", r.kind),
            };
            d.push(rejects(
                Diagnostic::error(REPORT_TOO_LONG, format!("{what}: Linux takes at most {}", MAX_REPORT_BYTES - 1))
                    .at_labeled_opt(input.span(r.first_item), "first item of the report")
                    .help(format!("keep every report at {} bytes or less, not counting the Report ID byte", MAX_REPORT_BYTES - 1)),
                "report is too long",
            ));
        }
    }
    let mut delimiter_depth = 0u32;
    let mut push_depth = 0usize;
    for (i, s) in input.items.iter().enumerate() {
        let span = s.span;
        if linux_long_item(&s.item) {
            d.push(rejects(
                Diagnostic::error(LONG_ITEM, format!("item {i} is a long item as Linux reads it"))
                    .at_labeled_opt(span, "tag 15: a long item to hid-core")
                    .help("use short items only: HID 1.11 defines no long item tag, and Linux refuses any item whose tag is 15"),
                "unexpected long global item",
            ));
            // The kernel stops here; what follows is read out of step with us.
            return;
        }
        let Item::Short { tag, data, .. } = &s.item else { continue };
        match tag {
            Tag::Reserved(p) if tag.item_type() == ItemType::Global => d.push(rejects(
                Diagnostic::error(RESERVED_GLOBAL, format!("reserved global item tag 0x{p:02x} (item {i})"))
                    .at_labeled_opt(span, "not defined by HID 1.11")
                    .help("remove it: hosts skip reserved main and local items, but Linux refuses reserved global items"),
                &format!("unknown global tag 0x{:x}", p >> 4),
            )),
            Tag::ReportSize if *data > MAX_REPORT_SIZE => d.push(rejects(
                Diagnostic::error(REPORT_SIZE_LIMIT, format!("Report Size {data} is larger than {MAX_REPORT_SIZE} bits"))
                    .at_labeled_opt(span, "too large for Linux")
                    .help(format!("split the value into several fields of at most {MAX_REPORT_SIZE} bits")),
                &format!("invalid report_size {data}"),
            )),
            Tag::ReportCount if *data > MAX_USAGES => d.push(rejects(
                Diagnostic::error(REPORT_COUNT_LIMIT, format!("Report Count {data} is larger than {MAX_USAGES}"))
                    .at_labeled_opt(span, "too many elements for Linux")
                    .help(format!("split the item into several main items of at most {MAX_USAGES} elements")),
                &format!("invalid report_count {data}"),
            )),
            Tag::Push => {
                push_depth += 1;
                if push_depth > MAX_PUSH_DEPTH {
                    d.push(rejects(
                        Diagnostic::error(PUSH_DEPTH, format!("Push nested {push_depth} deep; Linux keeps {MAX_PUSH_DEPTH}"))
                            .at_labeled_opt(span, "one Push too many")
                            .help("Pop before pushing again"),
                        "global environment stack overflow",
                    ));
                }
            }
            Tag::Pop => push_depth = push_depth.saturating_sub(1),
            Tag::Delimiter if *data != 0 => {
                if delimiter_depth != 0 {
                    d.push(rejects(
                        Diagnostic::error(DELIMITER_NESTING, "Delimiter opened inside an open Delimiter")
                            .at_labeled_opt(span, "nested open")
                            .help("close the first Delimiter set (Delimiter 0) before opening the next"),
                        "nested delimiters",
                    ));
                }
                delimiter_depth += 1;
            }
            Tag::Delimiter => {
                if delimiter_depth == 0 {
                    d.push(rejects(
                        Diagnostic::error(DELIMITER_NESTING, "Delimiter close without an open Delimiter")
                            .at_labeled_opt(span, "nothing to close")
                            .help("remove this Delimiter (0) or open a set with Delimiter (1) before it"),
                        "bogus close delimiter",
                    ));
                } else {
                    delimiter_depth -= 1;
                }
            }
            // hid-core clears the local state (delimiter depth included) at every main item.
            t if t.item_type() == ItemType::Main => delimiter_depth = 0,
            _ => {}
        }
    }
    if delimiter_depth != 0 {
        d.push(rejects(
            Diagnostic::error(DELIMITER_NESTING, "Delimiter set left open at the end of the descriptor")
                .at_labeled_opt(input.items.last().and_then(|s| s.span), "descriptor ends here")
                .help("close the Delimiter set with Delimiter (0)"),
            "unbalanced delimiter at end of report description",
        ));
    }
}
