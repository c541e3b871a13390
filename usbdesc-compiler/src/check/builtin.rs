//! Built-in driver offsets (MicroPython `builtin_driver`): user interfaces and endpoints of
//! configuration 1 must not reuse what the built-in descriptors take, and the built-in bytes must
//! agree with `itf_max` / `ep_max`.

use super::codes;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

/// Interfaces and endpoints of the built-in configuration bytes (empty if unreadable).
pub fn builtin_items(b: &Builtin) -> Vec<ConfigItem> {
    crate::decode::decode_items(&b.config_bytes, 0).unwrap_or_default()
}

pub fn check(dev: &Device, d: &mut Diagnostics) {
    let Some(b) = &dev.builtin else { return };
    let bspan = b.spans.at("preset").or(b.spans.at("config")).or(b.spans.table);
    match crate::decode::decode_items(&b.config_bytes, 0) {
        Err(e) => d.push(
            Diagnostic::error(codes::BUILTIN_BYTES, format!("built-in configuration bytes: {}", e.message))
                .at(b.spans.at("config"))
                .help("give the built-in descriptors that follow the 9-byte configuration header, exactly as the firmware sends them"),
        ),
        Ok(items) => {
            for item in &items {
                let ConfigItem::Interface(i) = item else { continue };
                if i.number >= b.itf_max {
                    d.push(
                        Diagnostic::error(codes::BUILTIN_BYTES, format!("the built-in bytes use interface {} but itf_max is {}", i.number, b.itf_max))
                            .at(b.spans.at("itf_max").or(bspan))
                            .help("itf_max is one more than the highest built-in bInterfaceNumber"),
                    );
                }
                for e in i.endpoints() {
                    if e.number >= b.ep_max {
                        d.push(
                            Diagnostic::error(codes::BUILTIN_BYTES, format!("the built-in bytes use endpoint {:#04x} but ep_max is {}", e.address(), b.ep_max))
                                .at(b.spans.at("ep_max").or(bspan))
                                .help("ep_max is one more than the highest built-in endpoint number (without the IN bit)"),
                        );
                    }
                }
            }
        }
    }
    let Some(c) = dev.configurations.first() else { return };
    for itf in c.interfaces() {
        if itf.number < b.itf_max {
            d.push(
                Diagnostic::error(codes::BUILTIN_COLLISION, format!("interface {} is taken by the built-in driver", itf.number))
                    .at_labeled(itf.spans.at("number").unwrap_or_default(), "user interface")
                    .label(bspan, format!("built-in interfaces 0..{}", b.itf_max))
                    .help(format!("appended interfaces start at itf_max = {}; omit `number` to number them automatically", b.itf_max)),
            );
        }
        for e in itf.endpoints() {
            if e.number != 0 && e.number < b.ep_max {
                d.push(
                    Diagnostic::error(codes::BUILTIN_COLLISION, format!("endpoint {:#04x} collides with the built-in driver's endpoints", e.address()))
                        .at_labeled(e.spans.at("number").unwrap_or_default(), "user endpoint")
                        .label(bspan, format!("built-in endpoint numbers 1..{}", b.ep_max))
                        .help(format!("appended endpoints start at ep_max = {}; omit `number` to number them automatically", b.ep_max)),
                );
            }
        }
    }
    // Strings need no check: numbering gives text strings indices from str_max up, and an
    // explicit index below str_max names one of the built-in driver's strings on purpose.
}
