//! Report sizes: whole bytes, and what fits in the interrupt endpoint.

use super::LintInput;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::item::ReportKind;

pub const LARGER_THAN_PACKET: &str = "UD4141";
pub const NOT_WHOLE_BYTES: &str = "UD4142";

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
        let (max, endpoint) = match r.kind {
            ReportKind::Input => (input.ctx.in_max_packet, input.ctx.in_endpoint_span),
            ReportKind::Output => (input.ctx.out_max_packet, input.ctx.out_endpoint_span),
            ReportKind::Feature => (None, None),
        };
        if let Some(max) = max {
            if r.bytes > max as u64 {
                let id_note = if r.id.is_some() { ", including the report ID byte" } else { "" };
                let side = if r.kind == ReportKind::Input { "IN" } else { "OUT" };
                d.push(
                    Diagnostic::error(
                        LARGER_THAN_PACKET,
                        format!("{:?} report{} is {} bytes{id_note}, larger than the endpoint's wMaxPacketSize {max}", r.kind, id_text(r.id), r.bytes),
                    )
                    .at_labeled_opt(span, "report ends here")
                    .label(endpoint, format!("interrupt {side} endpoint declared here"))
                    .help(packet_help(r.bytes, max, input.ctx.speed_max_packet)),
                );
            }
        }
    }
}

/// Raise the packet size only where the speed allows a packet that holds the report.
fn packet_help(bytes: u64, max: u16, speed_max: Option<u16>) -> String {
    match speed_max {
        Some(limit) if bytes <= limit as u64 => format!("raise the endpoint's max_packet_size to {bytes} (at most {limit} at this speed), or split the report"),
        Some(limit) if max >= limit => format!("{max} is already the largest interrupt packet at this speed: split the report into smaller reports (report IDs)"),
        Some(limit) => format!("a packet holds at most {limit} bytes at this speed: split the report into smaller reports (report IDs)"),
        None => "raise the endpoint's max packet size or split the report".into(),
    }
}
