//! Boot keyboards and mice (bInterfaceSubClass 1, protocol 1 or 2; HID 1.11 §4.2): in boot
//! protocol the runtime builds the Appendix B report from the report-protocol input report with
//! byte sources derived from the report layout ([`crate::tables::boot_input`], the same derivation
//! the runtime tables use). A report descriptor that lacks a boot field, or a keyboard whose LED
//! outputs are not where the boot LED byte puts them, cannot work in boot protocol.

use crate::diag::{Diagnostic, Diagnostics};
use crate::hid::ReportDescriptor;
use crate::model::*;
use crate::tables::{boot_input, BootKind};

/// A boot keyboard or mouse whose report descriptor lacks what the boot report needs.
pub const BOOT_FIELDS: &str = "UD2014";

const NOTE: &str = "HID 1.11 Appendix B: boot keyboard input = modifiers, reserved, 6 key codes; LED output bits 0..4 = Num, Caps, Scroll, Compose, Kana; boot mouse = buttons, X, Y";

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces() {
            let kind = match (itf.class, itf.subclass, itf.protocol) {
                (0x03, 1, 1) => BootKind::Keyboard,
                (0x03, 1, 2) => BootKind::Mouse,
                _ => continue,
            };
            let Some(h) = itf.hid() else { continue };
            // A decoded blob that carries only the report length cannot be checked.
            let layout = match &h.report {
                Some(r) => r.layout(),
                None if h.report_bytes.is_empty() => continue,
                None => match ReportDescriptor::decode(&h.report_bytes) {
                    Ok(r) => r.layout(),
                    Err(_) => continue,
                },
            };
            let what = if kind == BootKind::Keyboard { "keyboard" } else { "mouse" };
            let at = h.spans.table.or(itf.spans.table);
            let Some(b) = boot_input(&layout, kind) else {
                d.push(
                    Diagnostic::error(BOOT_FIELDS, format!("boot {what} interface {} has no input report", itf.number))
                        .at(at)
                        .help("declare the boot fields in an input report, or set `subclass = \"none\"`")
                        .note(NOTE),
                );
                continue;
            };
            for m in &b.missing {
                d.push(
                    Diagnostic::error(BOOT_FIELDS, format!("boot {what} interface {}: the report descriptor has no {m}", itf.number))
                        .at(at)
                        .help("add the field (the boot report is built from it in boot protocol), or set `subclass = \"none\"`")
                        .note(NOTE),
                );
            }
            for led in &b.misplaced_leds {
                d.push(
                    Diagnostic::error(
                        BOOT_FIELDS,
                        format!("boot keyboard interface {}: LED usage {led:#04x} is not the 1-bit element at bit {} of the first output report", itf.number, led - 1),
                    )
                    .at(at)
                    .help("put LED usages 1..=5 (Num Lock .. Kana) first in the first output report, one bit each, in order")
                    .note(NOTE),
                );
            }
        }
    }
}
