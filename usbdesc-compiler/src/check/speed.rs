//! Speed rules: a full-speed-only target (samd21, generic-fs) rejects high-speed values; on a
//! dual-speed target every endpoint must also be valid at full speed in the other-speed
//! configuration (USB 2.0 §9.6.4).

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::profile::Speed;

/// High-speed values declared for a target without high speed.
pub const UNSUPPORTED_SPEED: &str = "UD5301";
/// An endpoint invalid in the other-speed configuration.
pub const OTHER_SPEED: &str = "UD5302";

pub fn check(dev: &Device, d: &mut Diagnostics) {
    if dev.target.speed() == Speed::Full {
        for c in &dev.configurations {
            for itf in c.interfaces() {
                for e in itf.endpoints().filter(|e| e.other_speed.is_some()) {
                    d.push(
                        Diagnostic::error(UNSUPPORTED_SPEED, format!("target {} is full speed only, but endpoint {:#04x} declares high-speed values", dev.target.name(), e.address()))
                            .at(e.spans.at("max_packet_size").or(e.spans.at("interval")))
                            .help("drop the `hs` values, or pick `target = \"generic-hs\"` for a high-speed controller"),
                    );
                }
            }
        }
        return;
    }
    let other = crate::speed::at_other_speed(dev);
    let mut tmp = Diagnostics::new();
    for c in &other.configurations {
        for itf in c.interfaces() {
            for e in itf.endpoints() {
                super::chapter9::max_packet(e, Speed::Full, &mut tmp);
                super::chapter9::interval(e, Speed::Full, &mut tmp);
            }
        }
    }
    for x in tmp {
        let mut n = Diagnostic::error(OTHER_SPEED, format!("in the full-speed (other-speed) configuration: {}", x.message))
            .at(x.span)
            .help("give both speeds, e.g. `max_packet_size = { hs = 512, fs = 64 }`, `interval = { hs = 4, fs = 1 }`");
        n.severity = x.severity;
        n.note = x.note;
        d.push(n);
    }
}
