//! Report ID values and placement.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::Tag;
use crate::hid::state::{walk, Event};

pub const REPORT_ID_ZERO: &str = "UD4111";
pub const REPORT_ID_TOO_LARGE: &str = "UD4112";
pub const MAIN_WITHOUT_REPORT_ID: &str = "UD4113";

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    let uses_ids = input.items.iter().any(|s| s.item.tag() == Some(Tag::ReportId));
    let mut reported_missing = false;
    walk(input.items, |_, item, span, ev, w| {
        if item.tag() == Some(Tag::ReportId) {
            let v = item.unsigned_value();
            if v == 0 {
                d.push(
                    Diagnostic::error(REPORT_ID_ZERO, "Report ID 0 is reserved")
                        .at_labeled_opt(span, "report ID 0")
                        .help("use report IDs 1..=255 (HID 1.11 §6.2.2.7: Report ID zero is reserved)")
                        .note("Linux hid-core rejects this descriptor: \"report_id 0 is invalid\""),
                );
            } else if v > 255 {
                d.push(
                    Diagnostic::error(REPORT_ID_TOO_LARGE, format!("Report ID {v} does not fit in the 1-byte report prefix"))
                        .at_labeled_opt(span, "must be 1..=255")
                        .help("use report IDs 1..=255; the ID is sent as one byte before the report data")
                        .note(format!("Linux hid-core rejects this descriptor: \"report_id {v} is invalid\"")),
                );
            }
        }
        if let Event::Main { kind, .. } = ev {
            if uses_ids && w.globals.report_id().is_none() && !reported_missing {
                reported_missing = true;
                // Authored descriptors must not do this; a shipped one is parsed by Linux as report
                // ID 0 next to the numbered reports, so for decoded/item-form input it is a warning.
                d.push(
                    input
                        .strict_or_warning(
                            MAIN_WITHOUT_REPORT_ID,
                            format!("{kind:?} item before any Report ID in a descriptor that uses report IDs"),
                        )
                        .at_labeled_opt(span, "this report has no ID")
                        .help("declare a Report ID before the first main item: when one report has an ID, all must (HID 1.11 §6.2.2.7)")
                        .note("Linux hid-core files such items under report ID 0; other hosts may reject the descriptor"),
                );
            }
        }
    });
}
