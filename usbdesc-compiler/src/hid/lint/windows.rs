//! Rules Windows' HID parser enforces and Linux does not: warnings, each with a note.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::Tag;
use crate::hid::state::{walk, Event};
use std::collections::BTreeMap;

pub const ID_ACROSS_COLLECTIONS: &str = "UD8001";
pub const UNALIGNED_VALUE: &str = "UD8002";
pub const ZERO_SIZE_ITEM: &str = "UD8003";

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    // Report ID placement: one ID must not appear in two top-level collections.
    let mut first_top: BTreeMap<u32, (usize, Option<crate::diag::Span>)> = BTreeMap::new();
    let mut reported = std::collections::BTreeSet::new();
    walk(input.items, |_, _item, span, ev, w| {
        let Event::Main { kind, .. } = ev else { return };
        let g = &w.globals;
        // Data items get UD4121 (with the same note); this covers constant ones.
        let constant = matches!(ev, Event::Main { flags, .. } if flags.is_constant());
        if constant && (g.report_size() == 0 || g.report_count() == 0) {
            d.push(
                Diagnostic::warning(ZERO_SIZE_ITEM, format!("{kind:?} item with Report Size {} and Report Count {}", g.report_size(), g.report_count()))
                    .at_labeled_opt(span, "zero-size main item")
                    .help("remove the item or give it a size")
                    .note("Windows' HID parser rejects zero-size main items; Linux skips them"),
            );
        }
        let (Some(id), Some(top)) = (g.report_id(), w.collections.first()) else { return };
        let id_span = g.get(Tag::ReportId).and_then(|v| input.span(v.index));
        match first_top.get(&id) {
            None => {
                first_top.insert(id, (top.top, id_span));
            }
            Some(&(t, first_span)) if t != top.top && reported.insert(id) => d.push(
                Diagnostic::warning(ID_ACROSS_COLLECTIONS, format!("report ID {id} is used in two top-level collections"))
                    .at_labeled_opt(span, "used again in another top-level collection")
                    .label(first_span, "first used here")
                    .help("give each top-level collection its own report IDs")
                    .note("Windows makes one device per top-level collection and routes reports by ID; Linux accepts this"),
            ),
            _ => {}
        }
    });
    for r in &input.layout.reports {
        for f in &r.fields {
            if !f.constant && f.bits >= 8 && f.bit_offset % 8 != 0 {
                d.push(
                    Diagnostic::warning(UNALIGNED_VALUE, format!("{}-bit value at bit offset {} is not byte aligned", f.bits, f.bit_offset))
                        .at_labeled_opt(input.span(f.item_index), "unaligned field")
                        .help("add constant padding before it so it starts on a byte boundary")
                        .note("Windows class drivers (keyboard, mouse, sensors) expect byte-aligned values of 8 bits or more; Linux reads any bit offset"),
                );
            }
        }
    }
}
