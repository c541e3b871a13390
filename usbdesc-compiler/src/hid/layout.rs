//! Report layout: for each report type and report ID, every data main item's bit offset, element
//! size, count, signedness, usages and flags, computed the way Linux hid-core and hid-tools do.
//!
//! Bit offsets count from the start of the report as sent on the wire, so in a report with an ID the
//! first field starts at bit 8 (after the Report ID byte). The Report ID is a global item here as in
//! HID 1.11 §6.2.2.7 and Linux (Push/Pop save and restore it).

use super::item::{MainFlags, ReportKind};
use super::state::{walk, Event};
use super::SpannedItem;
use crate::diag::Span;

/// One data main item inside a report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LayoutField {
    /// Bit offset of element 0 from the start of the report (including the Report ID byte).
    pub bit_offset: u32,
    /// Report Size: bits per element.
    pub bits: u32,
    /// Report Count: number of elements.
    pub count: u32,
    /// Logical Minimum < 0: elements are two's-complement.
    pub signed: bool,
    pub flags: MainFlags,
    pub constant: bool,
    pub variable: bool,
    pub usage_page: u16,
    /// Usage items (32-bit, page << 16 | id) in order, after Usage Page concatenation.
    pub usages: Vec<u32>,
    /// Usage Minimum / Maximum, if given.
    pub usage_range: Option<(u32, u32)>,
    pub logical_min: i64,
    pub logical_max: i64,
    pub physical_min: i64,
    pub physical_max: i64,
    pub unit: u32,
    pub unit_exponent: i64,
    /// Index of the main item in the descriptor's item list.
    pub item_index: usize,
    /// The name the field form gave the field (`name = "..."`), for generated structs.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub name: Option<String>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

impl LayoutField {
    /// Total bits (bits × count).
    pub fn total_bits(&self) -> u64 {
        self.bits as u64 * self.count as u64
    }
    /// The usage of element `i` of a variable item (last usage repeats, ranges count up).
    pub fn usage_of(&self, i: u32) -> Option<u32> {
        if let Some((min, max)) = self.usage_range {
            if self.usages.is_empty() {
                return Some(min.saturating_add(i).min(max));
            }
        }
        let n = self.usages.len();
        (n > 0).then(|| self.usages[(i as usize).min(n - 1)])
    }
}

/// One report: a report type and report ID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    pub kind: ReportKind,
    /// Report ID, or `None` when the descriptor declares none (the report has no ID byte).
    pub id: Option<u32>,
    /// Total bits including the Report ID byte.
    pub bits: u64,
    /// Bytes on the wire (bits rounded up), including the Report ID byte.
    pub bytes: u64,
    pub fields: Vec<LayoutField>,
    /// Index of the first main item of this report.
    pub first_item: usize,
}

/// All reports of a descriptor, in order of first appearance.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Layout {
    pub reports: Vec<Report>,
}

impl Layout {
    pub fn report(&self, kind: ReportKind, id: Option<u32>) -> Option<&Report> {
        self.reports.iter().find(|r| r.kind == kind && r.id == id)
    }

    /// The fields as Linux hid-core lists them in debugfs `rdesc`, sorted: one per main data item
    /// with usages (padding without usages is no field); offsets after the Report ID byte; logical
    /// values as the kernel's s32, and both left out (`None`) when equal, as debugfs prints them.
    pub fn kernel_fields(&self) -> Vec<KernelField> {
        let mut v = Vec::new();
        for r in &self.reports {
            let id_bits = if r.id.is_some() { 8 } else { 0 };
            for f in r.fields.iter().filter(|f| !f.usages.is_empty() || f.usage_range.is_some()) {
                let range = f.logical_min != f.logical_max;
                v.push(KernelField {
                    kind: r.kind.key().to_ascii_uppercase(),
                    id: r.id.unwrap_or(0),
                    size: f.bits,
                    count: f.count,
                    offset: f.bit_offset.wrapping_sub(id_bits),
                    min: range.then_some(i64::from(f.logical_min as i32)),
                    max: range.then_some(i64::from(f.logical_max as i32)),
                });
            }
        }
        v.sort();
        v
    }
}

/// One field in the kernel's form ([`Layout::kernel_fields`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KernelField {
    /// `INPUT`, `OUTPUT` or `FEATURE`.
    pub kind: String,
    /// Report ID, 0 without IDs.
    pub id: u32,
    pub size: u32,
    pub count: u32,
    /// Bit offset after the Report ID byte.
    pub offset: u32,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Compute the layout of a list of items.
pub fn compute(items: &[SpannedItem]) -> Layout {
    let mut layout = Layout::default();
    walk(items, |i, _item, span, ev, w| {
        let Event::Main { kind, flags } = ev else { return };
        let g = &w.globals;
        let id = g.report_id();
        let pos = match layout.reports.iter().position(|r| r.kind == *kind && r.id == id) {
            Some(p) => p,
            None => {
                layout.reports.push(Report {
                    kind: *kind,
                    id,
                    bits: if id.is_some() { 8 } else { 0 },
                    bytes: 0,
                    fields: Vec::new(),
                    first_item: i,
                });
                layout.reports.len() - 1
            }
        };
        let r = &mut layout.reports[pos];
        let l = &w.locals_at_main;
        let (pmin, pmax) = (g.physical_min(), g.physical_max());
        let f = LayoutField {
            bit_offset: r.bits.min(u32::MAX as u64) as u32,
            bits: g.report_size(),
            count: g.report_count(),
            signed: g.logical_min() < 0,
            flags: *flags,
            constant: flags.is_constant(),
            variable: flags.is_variable(),
            usage_page: g.usage_page(),
            usages: l.usages.iter().map(|u| u.full()).collect(),
            usage_range: match (l.usage_min, l.usage_max) {
                (Some(a), Some(b)) => Some((a.full(), b.full())),
                // Linux hid-core counts a lone Usage Maximum up from Usage Minimum's reset value 0
                // (the field exists); a lone Usage Minimum adds no usage.
                (None, Some(b)) => Some((b.full() & 0xFFFF_0000, b.full())),
                _ => None,
            },
            logical_min: g.logical_min(),
            logical_max: g.logical_max(),
            // §6.2.2.7: both 0 means "same as logical".
            physical_min: if pmin == 0 && pmax == 0 { g.logical_min() } else { pmin },
            physical_max: if pmin == 0 && pmax == 0 { g.logical_max() } else { pmax },
            unit: g.unit(),
            unit_exponent: g.unit_exponent(),
            item_index: i,
            name: None,
            span,
        };
        // Saturating: a few items of Report Size × Report Count near 2^32 × 2^32 overflow u64.
        r.bits = r.bits.saturating_add(f.total_bits());
        r.bytes = r.bits.div_ceil(8);
        r.fields.push(f);
    });
    layout
}
