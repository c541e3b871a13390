//! HID report descriptor lints, one module per rule family.
//!
//! Codes: `UD410x` structure, `UD411x` report IDs, `UD412x` values, `UD413x` usages, `UD414x` report
//! sizes, `UD415x` rules Linux hid-core enforces (errors: the kernel refuses the descriptor), `UD8xxx` rules Windows enforces and Linux does not (warnings with a note). Decoder errors
//! are `UD400x`, field-form compile errors `UD402x`.

mod linux;
mod report_id;
mod size;
/// The largest report Linux takes (UD4159); the Rust report generator refuses larger ones too.
pub use linux::MAX_REPORT_BYTES;
mod structure;
mod usages;
pub(crate) mod values;
mod windows;

use super::layout::{self, Layout};
use super::{AttachContext, SpannedItem};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// Everything a rule family may look at.
pub struct LintInput<'a> {
    pub items: &'a [SpannedItem],
    pub layout: Layout,
    pub ctx: &'a AttachContext,
    /// Authored field form: rules that real devices break harmlessly are errors here.
    pub strict: bool,
}

impl LintInput<'_> {
    pub fn span(&self, index: usize) -> Option<Span> {
        self.items.get(index).and_then(|s| s.span)
    }
    /// Error when strict (authored field form), warning otherwise (decoded or item form).
    pub fn strict_or_warning(&self, code: &'static str, msg: impl Into<String>) -> Diagnostic {
        if self.strict {
            Diagnostic::error(code, msg)
        } else {
            Diagnostic::warning(code, msg)
        }
    }
}

/// Run every lint over the items. `strict` (authored field form) makes the rules that shipping
/// devices break harmlessly (values not representable in Report Size, zero-size data items) errors.
pub fn check(items: &[SpannedItem], ctx: &AttachContext, strict: bool, d: &mut Diagnostics) {
    let input = LintInput { items, layout: layout::compute(items), ctx, strict };
    let mut out = Diagnostics::new();
    structure::check(&input, &mut out);
    linux::check(&input, &mut out);
    report_id::check(&input, &mut out);
    values::check(&input, &mut out);
    usages::check(&input, &mut out);
    size::check(&input, &mut out);
    windows::check(&input, &mut out);
    d.extend(out.map(|mut x| {
        // A secondary label on the primary span adds nothing (field-form items share spans).
        let primary = x.span;
        x.labels.retain(|l| Some(l.span) != primary);
        Some(x)
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hid::encode::{LONG_ITEM_TOO_LONG, MAX_LONG_DATA};
    use crate::hid::{Item, ReportDescriptor};

    /// Items built through the API (not the TOML reader) get the same error as the TOML item form
    /// for a long item whose data does not fit bDataSize; 255 bytes encodes and round-trips.
    #[test]
    fn long_item_over_255_bytes_is_an_error_not_a_cut() {
        let too_long = ReportDescriptor::from_items(vec![Item::Long { tag: 0x10, data: vec![0xAA; MAX_LONG_DATA + 1] }]);
        let mut d = Diagnostics::new();
        too_long.check(&AttachContext::default(), &mut d);
        assert_eq!(d.iter().filter(|x| x.code == LONG_ITEM_TOO_LONG && x.is_error()).count(), 1, "{d:?}");

        let max = ReportDescriptor::from_items(vec![Item::Long { tag: 0x10, data: vec![0xAA; MAX_LONG_DATA] }]);
        let mut d = Diagnostics::new();
        max.check(&AttachContext::default(), &mut d);
        // HID 1.11 allows it; only Linux's refusal of every long item remains.
        assert!(d.iter().filter(|x| x.is_error()).all(|x| x.code == linux::LONG_ITEM), "{d:?}");
        let bytes = max.encode();
        assert_eq!(&bytes[..3], &[0xFE, 0xFF, 0x10]);
        assert_eq!(ReportDescriptor::decode(&bytes).unwrap().encode(), bytes);
    }
}
