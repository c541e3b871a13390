//! HID report lints, run with what the interface knows (interrupt endpoint sizes).

use crate::diag::Diagnostics;
use crate::hid::AttachContext;
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces() {
            for item in &itf.items {
                let InterfaceItem::Hid(h) = item else { continue };
                let Some(report) = &h.report else { continue };
                let ep = |dir: Direction| itf.endpoints().find(|e| e.direction == dir && e.transfer == Transfer::Interrupt);
                let ctx = AttachContext {
                    in_max_packet: ep(Direction::In).map(|e| e.packet_size()),
                    out_max_packet: ep(Direction::Out).map(|e| e.packet_size()),
                    in_endpoint_span: ep(Direction::In).and_then(|e| e.spans.table),
                    out_endpoint_span: ep(Direction::Out).and_then(|e| e.spans.table),
                    speed_max_packet: Some(dev.target.profile().max_packet_interrupt_bulk),
                };
                report.check(&ctx, d);
            }
        }
    }
}
