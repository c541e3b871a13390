//! Controller profile limits (`target = ...`): endpoint numbers, packet sizes and the HAL's
//! endpoint buffer pool. Every message names the limit and the profile.

use super::codes;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    let p = dev.target.profile();
    let tspan = dev.spans.fields.get("target").copied();
    usb_device_configuration(dev, tspan, d);
    for (ci, c) in dev.configurations.iter().enumerate() {
        let builtin = match (&dev.builtin, ci) {
            (Some(b), 0) => super::builtin::builtin_items(b),
            _ => Vec::new(),
        };
        let all: Vec<&Interface> = builtin
            .iter()
            .chain(c.items.iter())
            .filter_map(|i| match i {
                ConfigItem::Interface(x) => Some(x),
                _ => None,
            })
            .collect();
        // Buffer per endpoint address: the largest packet over alternate settings.
        let mut buffers: Vec<(u8, u16)> = Vec::new();
        for itf in &all {
            for e in itf.endpoints() {
                let size = e.packet_size();
                if e.number > p.max_endpoint_number && e.number <= 15 {
                    d.push(
                        Diagnostic::error(codes::PROFILE_ENDPOINT_NUMBER, format!("endpoint {:#04x}: the {} profile has endpoint numbers 1..={}", e.address(), p.name, p.max_endpoint_number))
                            .at(e.spans.at("number"))
                            .label(tspan, format!("target {}", p.name))
                            .help(format!("{}; use fewer endpoints or share numbers between IN and OUT", p.source)),
                    );
                }
                let limit = match e.transfer {
                    Transfer::Isochronous => p.max_packet_iso,
                    _ => p.max_packet_interrupt_bulk,
                };
                if size > limit {
                    d.push(
                        Diagnostic::error(codes::PROFILE_MAX_PACKET, format!("endpoint {:#04x}: {size}-byte packets exceed the {} profile's {limit}-byte limit for {} endpoints", e.address(), p.name, e.transfer.name()))
                            .at(e.spans.at("max_packet_size"))
                            .label(tspan, format!("target {}", p.name))
                            .help(format!("{}; lower max_packet_size to {limit} or less", p.source)),
                    );
                } else if let Some(per) = p.buffer_per_endpoint.filter(|per| size > *per) {
                    d.push(
                        Diagnostic::error(codes::PROFILE_ENDPOINT_BUFFER, format!("endpoint {:#04x}: {size}-byte packets exceed the {per}-byte endpoint buffer of the {} profile", e.address(), p.name))
                            .at(e.spans.at("max_packet_size"))
                            .label(tspan, format!("target {}", p.name))
                            .help(format!("{}; lower max_packet_size to {per} or enlarge the pool with an atsamd-hal usb-buffer feature", p.source)),
                    );
                }
                match buffers.iter_mut().find(|(a, _)| *a == e.address()) {
                    Some(b) => b.1 = b.1.max(size),
                    None => buffers.push((e.address(), size)),
                }
            }
        }
        if let Some(pool) = p.buffer_pool {
            let used: u32 = 2 * dev.max_packet_size_0 as u32 + buffers.iter().map(|(_, s)| *s as u32).sum::<u32>();
            if used > pool {
                d.push(
                    Diagnostic::error(codes::PROFILE_BUFFER_POOL, format!("configuration {} needs {used} bytes of endpoint buffers; the {} profile's pool holds {pool}", c.value, p.name))
                        .at(c.spans.table)
                        .label(tspan, format!("target {}", p.name))
                        .help(format!("{}; use smaller packets or fewer endpoints", p.source)),
                );
            }
        }
    }
}

/// The samd21 target runs on usb-device (usbdesc-runtime on atsamd-hal), which serves exactly
/// one configuration and accepts SET_CONFIGURATION only for bConfigurationValue 1.
fn usb_device_configuration(dev: &Device, tspan: Option<crate::diag::Span>, d: &mut Diagnostics) {
    if dev.target != crate::profile::Target::Samd21 {
        return;
    }
    let help = "usb-device 0.3 (the runtime on this target) serves one configuration with bConfigurationValue 1; \
                remove the extra configurations or choose target = \"generic-fs\"";
    for (ci, c) in dev.configurations.iter().enumerate() {
        if ci > 0 {
            d.push(
                Diagnostic::error(codes::PROFILE_CONFIGURATION, format!("configuration {}: the samd21 target serves one configuration only", ci + 1))
                    .at(c.spans.at("value"))
                    .label(tspan, "target samd21 (usb-device runtime)")
                    .help(help),
            );
        } else if c.value != 1 {
            d.push(
                Diagnostic::error(codes::PROFILE_CONFIGURATION, format!("bConfigurationValue {} on the samd21 target: usb-device only accepts 1", c.value))
                    .at(c.spans.at("value"))
                    .label(tspan, "target samd21 (usb-device runtime)")
                    .help(help),
            );
        }
    }
}
