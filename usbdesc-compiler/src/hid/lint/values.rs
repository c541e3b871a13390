//! Report Size / Count, logical and physical ranges, the 1-byte 0xFF-as--1 trap, units.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::Tag;
use crate::hid::state::{walk, Event, GlobalState};

pub const ZERO_SIZE: &str = "UD4121";
pub const LOGICAL_MIN_GT_MAX: &str = "UD4122";
pub const NOT_REPRESENTABLE: &str = "UD4123";
pub const NEGATIVE_MAX_TRAP: &str = "UD4124";
pub const PHYSICAL_MIN_GT_MAX: &str = "UD4125";
pub const PHYSICAL_WITHOUT_UNIT: &str = "UD4126";

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    // Report each global item once (many main items share it).
    let mut seen = std::collections::BTreeSet::new();
    let span_of = |g: &GlobalState, t: Tag| g.get(t).and_then(|v| input.span(v.index));
    walk(input.items, |_, _item, span, ev, w| {
        let Event::Main { kind, flags } = ev else { return };
        let g = &w.globals;
        let data = !flags.is_constant();
        let (size, count) = (g.report_size(), g.report_count());
        if data && (size == 0 || count == 0) {
            let what = if size == 0 { "Report Size" } else { "Report Count" };
            d.push(
                input
                    .strict_or_warning(ZERO_SIZE, format!("{kind:?} data item with {what} 0 carries no data"))
                    .at_labeled_opt(span, "zero bits")
                    .help(format!("set a {what} of at least 1 before this item, or remove it"))
                    .note("Windows' HID parser rejects zero-size main items; Linux skips them"),
            );
        }
        if !data {
            return;
        }
        let (lmin, lmax) = (g.logical_min(), g.logical_max());
        let lmax_item = g.get(Tag::LogicalMaximum);
        if lmin > lmax && seen.insert((Tag::LogicalMaximum, lmax_item.map(|v| v.index))) {
            d.push(
                Diagnostic::error(LOGICAL_MIN_GT_MAX, format!("Logical Minimum {lmin} is greater than Logical Maximum {lmax}"))
                    .at_labeled_opt(span_of(g, Tag::LogicalMaximum).or(span), "maximum below the minimum")
                    .label(span_of(g, Tag::LogicalMinimum), "minimum set here")
                    .help("swap the values or fix the range (HID 1.11 §6.2.2.7)")
                    .note("Linux hid-core rejects this descriptor: the main item's logical range is invalid (\"item … parsing failed\")"),
            );
        }
        if let Some(v) = lmax_item {
            // 1- or 2-byte maximum with its top bit set while the minimum is not negative: the spec
            // reads it as negative (e.g. 25 FF = -1), Linux reads it as unsigned.
            if lmin >= 0 && v.size < 4 && v.signed() < 0 && seen.insert((Tag::Reserved(0), Some(v.index))) {
                d.push(
                    Diagnostic::warning(
                        NEGATIVE_MAX_TRAP,
                        format!("Logical Maximum 0x{:X} in {} byte(s) is {} as a signed value", v.raw, v.size, v.signed()),
                    )
                    .at_labeled_opt(input.span(v.index), format!("meant {}?", v.raw))
                    .help(format!(
                        "write it in {} bytes (the encoder does this for `logical = [{lmin}, {}]`) so it stays positive",
                        v.size * 2,
                        v.raw
                    ))
                    .note("HID 1.11 §6.2.2.7 makes Logical Maximum signed; Linux reads it unsigned when the minimum is >= 0, other hosts do not"),
                );
            }
        }
        if size > 0 && size < 64 {
            // i128 so that a 63-bit unsigned range (2^63 - 1) cannot overflow.
            let (lo, hi) = if lmin < 0 {
                (-(1i128 << (size - 1)), (1i128 << (size - 1)) - 1)
            } else {
                (0, (1i128 << size) - 1)
            };
            for (t, v) in [(Tag::LogicalMinimum, lmin), (Tag::LogicalMaximum, lmax)] {
                let at = g.get(t).map(|x| x.index);
                if !(lo..=hi).contains(&(v as i128)) && seen.insert((t, at.map(|i| i + 1_000_000 * size as usize))) {
                    let sign = if lmin < 0 { "signed" } else { "unsigned" };
                    d.push(
                        input
                            .strict_or_warning(
                                NOT_REPRESENTABLE,
                                format!("{} {v} does not fit in Report Size {size} ({sign}: {lo}..={hi})", t.spec_name()),
                            )
                        .at_labeled_opt(span_of(g, t).or(span), "out of range for the field")
                        .label(span, "used by this item")
                        .help(format!("raise Report Size or narrow the logical range to {lo}..={hi}")),
                    );
                }
            }
        }
        let (pmin_v, pmax_v) = (g.get(Tag::PhysicalMinimum), g.get(Tag::PhysicalMaximum));
        let (pmin, pmax) = (g.physical_min(), g.physical_max());
        if (pmin != 0 || pmax != 0) && pmin > pmax && seen.insert((Tag::PhysicalMaximum, pmax_v.map(|v| v.index))) {
            d.push(
                input
                    .strict_or_warning(PHYSICAL_MIN_GT_MAX, format!("Physical Minimum {pmin} is greater than Physical Maximum {pmax}"))
                    .at_labeled_opt(span_of(g, Tag::PhysicalMaximum).or(span_of(g, Tag::PhysicalMinimum)).or(span), "maximum below the minimum")
                    .help("swap the values or fix the range (HID 1.11 §6.2.2.7)")
                    .note("Linux accepts the descriptor (hid-core does not check the physical range)"),
            );
        }
        if (pmin != 0 || pmax != 0) && g.unit() == 0 && seen.insert((Tag::Unit, pmin_v.or(pmax_v).map(|v| v.index))) {
            d.push(
                Diagnostic::warning(PHYSICAL_WITHOUT_UNIT, format!("physical range {pmin}..{pmax} without a Unit"))
                    .at_labeled_opt(span_of(g, Tag::PhysicalMaximum).or(span), "physical range set here")
                    .label(span, "used by this item")
                    .help("add a Unit (and Unit Exponent) so hosts can scale the value, or drop the physical range"),
            );
        }
    });
}
