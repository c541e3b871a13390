//! Usage ranges and data items without usages.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::state::{walk, Event};

pub const USAGE_MIN_GT_MAX: &str = "UD4131";
pub const USAGE_RANGE_PAGES: &str = "UD4132";
pub const DATA_WITHOUT_USAGE: &str = "UD4133";
pub const HALF_RANGE: &str = "UD4134";
pub const NO_USAGE_PAGE: &str = "UD4135";

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    walk(input.items, |_, _item, span, ev, w| {
        let l = &w.locals_at_main;
        let is_main = matches!(ev, Event::Main { .. } | Event::CollectionOpen);
        if !is_main {
            return;
        }
        match (l.usage_min, l.usage_max) {
            (Some(a), Some(b)) => {
                if (a.full() >> 16) != (b.full() >> 16) {
                    d.push(
                        input.strict_or_warning(
                            USAGE_RANGE_PAGES,
                            format!("Usage Minimum and Maximum are on different pages (0x{:04X} and 0x{:04X})", a.full() >> 16, b.full() >> 16),
                        )
                        .at_labeled_opt(input.span(b.index), "maximum here")
                        .label(input.span(a.index), "minimum here")
                        .help("a usage range must stay on one usage page (HID 1.11 §6.2.2.8)")
                        .note("Linux accepts the descriptor (hid-core counts the range up from the minimum, whatever its page)"),
                    );
                } else if a.full() > b.full() {
                    d.push(
                        input
                            .strict_or_warning(USAGE_MIN_GT_MAX, format!("Usage Minimum 0x{:X} is greater than Usage Maximum 0x{:X}", a.full() & 0xFFFF, b.full() & 0xFFFF))
                            .at_labeled_opt(input.span(b.index), "maximum below the minimum")
                            .label(input.span(a.index), "minimum here")
                            .help("swap Usage Minimum and Usage Maximum")
                            .note("Linux accepts the descriptor and logs \"ignoring exceeding usage max\""),
                    );
                }
            }
            (Some(x), None) | (None, Some(x)) => d.push(
                input
                    .strict_or_warning(HALF_RANGE, "a usage range needs both Usage Minimum and Usage Maximum")
                    .at_labeled_opt(input.span(x.index), "only one end of the range")
                    .help("add the missing Usage Minimum/Maximum before the main item")
                    .note("Linux accepts the descriptor: a lone Usage Maximum counts up from usage 0, a lone Usage Minimum adds no usage"),
            ),
            _ => {}
        }
        for u in l.usages.iter().chain(l.usage_min.iter()).chain(l.usage_max.iter()) {
            if u.size <= 2 && u.page == 0 {
                d.push(
                    Diagnostic::warning(NO_USAGE_PAGE, "usage with no Usage Page in effect")
                        .at_labeled_opt(input.span(u.index), "page 0 (undefined)")
                        .help("set a Usage Page before this usage"),
                );
                break;
            }
        }
        if let Event::Main { kind, flags } = ev {
            if !flags.is_constant() && l.usages.is_empty() && l.usage_min.is_none() && l.usage_max.is_none() {
                d.push(
                    Diagnostic::warning(DATA_WITHOUT_USAGE, format!("{kind:?} data item has no usage"))
                        .at_labeled_opt(span, "no Usage or Usage Minimum/Maximum before it")
                        .help("give it a Usage, or mark it constant if it is padding"),
                );
            }
        }
    });
}
