//! USB 2.0 chapter 9 rules: packet sizes, polling intervals, EP0 size (the limits per speed are
//! `crate::speed_limits`), power, IAD device class, BOS version, HID interfaces.

use super::codes;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::profile::Speed;
use crate::speed_limits;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    let speed = dev.target.speed();
    ep0(dev, speed, d);
    for c in &dev.configurations {
        if c.max_power as u32 * 2 > 500 && dev.usb < 0x0300 {
            d.push(
                Diagnostic::error(codes::MAX_POWER, format!("configuration {} draws {} mA; USB 2.0 allows at most 500 mA", c.value, c.max_power as u32 * 2))
                    .at(c.spans.at("max_power_ma"))
                    .help("set max_power_ma to 500 or less"),
            );
        }
        for itf in c.interfaces() {
            for e in itf.endpoints() {
                max_packet(e, speed, d);
                interval(e, speed, d);
            }
            hid_interface(itf, d);
        }
    }
    iad_class(dev, d);
    if dev.has_bos() && dev.usb < 0x0201 {
        d.push(
            Diagnostic::error(codes::BOS_VERSION, format!("a BOS descriptor needs bcdUSB 2.01 or later, the device says {:x}.{:02x}", dev.usb >> 8, dev.usb & 0xff))
                .at(dev.spans.at("usb"))
                .label(dev.bos.first().and_then(|b| b.spans.table).or_else(|| dev.capabilities.iter().find_map(|c| c.span())), "BOS capability declared here")
                .help("set `usb = \"2.01\"` (hosts only ask for BOS from 2.01 on)"),
        );
    }
}

fn ep0(dev: &Device, speed: Speed, d: &mut Diagnostics) {
    if !speed_limits::ep0_sizes(speed).contains(&dev.max_packet_size_0) {
        let m = dev.max_packet_size_0;
        let diag = Diagnostic::error(codes::EP0_SIZE, format!("bMaxPacketSize0 {m} is not allowed at {} speed", speed_name(speed)))
            .at_labeled(dev.spans.at("max_packet_size_0").unwrap_or_default(), match speed {
                Speed::Full => "must be 8, 16, 32 or 64",
                Speed::High => "must be 64",
            })
            .help("USB 2.0 §9.6.1: endpoint 0 takes 8, 16, 32 or 64 bytes at full speed and 64 at high speed");
        d.push(if [8, 16, 32, 64].contains(&m) {
            super::linux::accepts(diag, format!("usb 1-1: Using ep0 maxpacket: {m}"))
        } else {
            super::linux::rejects(diag, format!("usb 1-1: Invalid ep0 maxpacket: {m} / device descriptor read/64, error; unable to enumerate USB device"))
        });
    }
}

fn speed_name(s: Speed) -> &'static str {
    match s {
        Speed::Full => "full",
        Speed::High => "high",
    }
}

pub(crate) fn max_packet(e: &Endpoint, speed: Speed, d: &mut Diagnostics) {
    let size = e.packet_size();
    if let Some(p) = speed_limits::packet_problem(e, speed) {
        let diag = Diagnostic::error(codes::MAX_PACKET, format!("endpoint {:#04x}: wMaxPacketSize {size} is not allowed: {p}", e.address()))
            .at(e.spans.at("max_packet_size"))
            .help("USB 2.0 §5.5-5.8 and §9.6.6 give the packet sizes per speed and transfer type");
        d.push(match linux_max_packet(e, speed) {
            Some(kernel) => super::linux::accepts(diag, kernel),
            None if size == 0 && e.transfer != Transfer::Isochronous => super::linux::rejects(
                diag,
                format!("endpoint {:#X} has invalid wMaxPacketSize 0 (kept, but no data can move; cdc_acm's probe fails with -12)", e.address()),
            ),
            None => diag,
        });
    }
}

/// What usbcore does with a packet size the spec forbids, where the real kernel showed it accepts:
/// a full-speed interrupt or bulk size above 64 is cut to 64, a high-speed bulk size other than
/// 512 is logged and kept. `None`: rejected (size 0) or not observed (other
/// transfer types and speeds); the rule stays an error.
fn linux_max_packet(e: &Endpoint, speed: Speed) -> Option<String> {
    let (size, addr) = (e.packet_size(), e.address());
    if size == 0 || e.max_packet_size & 0xe000 != 0 || e.additional_transactions() > 0 {
        return None;
    }
    match (speed, e.transfer) {
        (Speed::Full, Transfer::Interrupt | Transfer::Bulk) if size > 64 => {
            Some(format!("endpoint {addr:#X} has invalid maxpacket {size}, setting to 64"))
        }
        (Speed::High, Transfer::Bulk) => Some(format!("bulk endpoint {addr:#X} has invalid maxpacket {size} (logged, kept)")),
        _ => None,
    }
}

pub(crate) fn interval(e: &Endpoint, speed: Speed, d: &mut Diagnostics) {
    let i = e.interval;
    if let Some((lo, hi, rule)) = speed_limits::interval_range(speed, e.transfer) {
        if i < lo || i > hi {
            let diag = Diagnostic::error(codes::INTERVAL, format!("endpoint {:#04x}: bInterval {i} is out of range", e.address()))
                .at_labeled(e.spans.at("interval").or(e.spans.at("interval_ms")).unwrap_or_default(), format!("must be {lo}..={hi}"))
                .help(format!("USB 2.0 §9.6.6, {rule}; `interval_ms` computes it for you"));
            // Observed on the real kernel: a full-speed interrupt endpoint with bInterval 0.
            d.push(if (speed, e.transfer, i) == (Speed::Full, Transfer::Interrupt, 0) {
                super::linux::accepts(diag, format!("endpoint {:#X} has an invalid bInterval 0, changing to 10", e.address()))
            } else {
                diag
            });
        }
    }
}

fn hid_interface(itf: &Interface, d: &mut Diagnostics) {
    let is_hid = itf.class == 0x03;
    match (is_hid, itf.hid()) {
        (true, None) => d.push(
            Diagnostic::error(codes::HID_DESCRIPTOR, format!("HID interface {} has no HID class descriptor", itf.number))
                .at(itf.spans.at("class"))
                .help("add a `[...interface.hid]` table with the report descriptor"),
        ),
        (false, Some(h)) => d.push(
            Diagnostic::error(codes::HID_DESCRIPTOR, format!("interface {} has a HID descriptor but its class is {:#04x}, not HID (0x03)", itf.number, itf.class))
                .at(h.spans.table)
                .label(itf.spans.fields.get("class").copied(), "class declared here")
                .help("set `class = \"hid\"` on the interface"),
        ),
        _ => {}
    }
    if is_hid && itf.alternate == 0 && !itf.endpoints().any(|e| e.direction == Direction::In && e.transfer == Transfer::Interrupt) {
        d.push(super::linux::driver_rejects(
            "usbhid",
            Diagnostic::error(codes::HID_ENDPOINT, format!("HID interface {} has no interrupt IN endpoint", itf.number))
                .at(itf.spans.table)
                .help("HID 1.11 §4.4: add an endpoint with direction = \"in\", transfer = \"interrupt\""),
            "usbhid 1-1:1.0: couldn't find an input interrupt endpoint (the interface gets no driver)",
        ));
    }
}

fn iad_class(dev: &Device, d: &mut Diagnostics) {
    let first = dev.configurations.iter().flat_map(|c| c.associations()).next();
    if !dev.has_iad() {
        return;
    }
    if (dev.class, dev.subclass, dev.protocol) != (0xef, 0x02, 0x01) {
        d.push(
            Diagnostic::error(
                codes::IAD_DEVICE_CLASS,
                format!(
                    "interface associations need device class EF/02/01 (misc/common/IAD), the device says {:02X}/{:02X}/{:02X}",
                    dev.class, dev.subclass, dev.protocol
                ),
            )
            .at(dev.spans.at("class"))
            .label(first.and_then(|a| a.spans.table), "interface association here")
            .help("set class = \"misc\", subclass = \"common\", protocol = \"iad\" in [device] (or omit them)"),
        );
    }
}
