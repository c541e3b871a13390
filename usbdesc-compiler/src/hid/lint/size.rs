//! Report sizes: whole bytes, and what fits in the interrupt endpoint.

use super::structure::AtOpt;
use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::ReportKind;

pub const LARGER_THAN_PACKET: &str = "UD4141";
pub const NOT_WHOLE_BYTES: &str = "UD4142";
pub const REPORT_TOO_LARGE: &str = "UD4143";

/// The largest report a host accepts: Linux usbhid's `HID_MAX_BUFFER_SIZE` (uhid takes 4096).
/// Larger reports are refused by the host and by the Rust report generator.
pub const MAX_REPORT_BYTES: u64 = 16384;

fn id_text(id: Option<u32>) -> String {
    id.map(|i| format!(" (report ID {i})")).unwrap_or_default()
}

pub fn check(input: &LintInput<'_>, d: &mut Diagnostics) {
    for r in &input.layout.reports {
        let span = input.span(r.fields.last().map(|f| f.item_index).unwrap_or(r.first_item));
        if r.bits % 8 != 0 {
            d.push(
                Diagnostic::warning(NOT_WHOLE_BYTES, format!("{:?} report{} is {} bits, not a whole number of bytes", r.kind, id_text(r.id), r.bits))
                    .at_labeled_opt(span, "report ends here")
                    .help(format!("add {} bits of constant padding", 8 - r.bits % 8)),
            );
        }
        if r.bytes > MAX_REPORT_BYTES {
            d.push(
                Diagnostic::error(
                    REPORT_TOO_LARGE,
                    format!("{:?} report{} is {} bytes, larger than the {MAX_REPORT_BYTES} bytes a host accepts", r.kind, id_text(r.id), r.bytes),
                )
                .at_labeled_opt(span, "report ends here")
                .help("Linux usbhid refuses reports over 16384 bytes (uhid over 4096): lower Report Size × Report Count or split the report over report IDs"),
            );
            continue;
        }
        let max = match r.kind {
            ReportKind::Input => input.ctx.in_max_packet,
            ReportKind::Output => input.ctx.out_max_packet,
            ReportKind::Feature => None,
        };
        if let Some(max) = max {
            if r.bytes > max as u64 {
                let id_note = if r.id.is_some() { ", including the report ID byte" } else { "" };
                d.push(
                    Diagnostic::error(
                        LARGER_THAN_PACKET,
                        format!("{:?} report{} is {} bytes{id_note}, larger than the endpoint's wMaxPacketSize {max}", r.kind, id_text(r.id), r.bytes),
                    )
                    .at_labeled_opt(span, "report ends here")
                    .label(input.ctx.endpoint_span, "endpoint declared here")
                    .help("raise the endpoint's max packet size or split the report"),
                );
            }
        }
    }
}
