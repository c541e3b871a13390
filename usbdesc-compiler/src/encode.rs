//! The one descriptor encoder: model → exact little-endian bytes. Every length and count is
//! computed here (or taken from a decoded blob's override). Lengths that do not fit their field are
//! caught by `check::lengths` before anyone ships the bytes; the encoder itself never panics and
//! truncates such values.

use crate::model::*;

/// The descriptor types, re-exported for the encoder's callers (the numbers live in [`crate::spec`]).
pub use crate::spec::{
    BOS, CONFIGURATION, CS_ENDPOINT, CS_INTERFACE, DEVICE, DEVICE_CAPABILITY, DEVICE_QUALIFIER, ENDPOINT, HID, HID_REPORT,
    INTERFACE, INTERFACE_ASSOCIATION, OTHER_SPEED_CONFIGURATION, STRING,
};
use crate::profile::Speed;
use crate::spec::le16;
use crate::speed::{at_other_speed, dual_speed};

/// Append a descriptor whose bLength is computed from its body.
pub fn desc(out: &mut Vec<u8>, ty: u8, body: &[u8]) {
    out.push((body.len() + 2).min(255) as u8);
    out.push(ty);
    out.extend_from_slice(body);
}

/// The 18-byte device descriptor.
pub fn device_descriptor(d: &Device) -> Vec<u8> {
    let mut b = Vec::with_capacity(16);
    le16(&mut b, d.usb);
    b.extend_from_slice(&[d.class, d.subclass, d.protocol, d.max_packet_size_0]);
    le16(&mut b, d.vid);
    le16(&mut b, d.pid);
    le16(&mut b, d.version);
    b.extend_from_slice(&[d.manufacturer.index, d.product.index, d.serial.index]);
    b.push(d.num_configurations_override.unwrap_or(d.configurations.len().min(255) as u8));
    let mut out = Vec::with_capacity(18);
    desc(&mut out, DEVICE, &b);
    if let Some(len) = d.length_override {
        out[0] = len;
    }
    out
}

/// bmAttributes of a configuration.
pub fn config_attributes(c: &Configuration) -> u8 {
    c.attributes_override
        .unwrap_or(0x80 | if c.self_powered { 0x40 } else { 0 } | if c.remote_wakeup { 0x20 } else { 0 })
}

/// The built-in prefix that goes before the user's descriptors in configuration `index`.
pub fn builtin_prefix(d: &Device, index: usize) -> &[u8] {
    match (&d.builtin, index) {
        (Some(b), 0) => &b.config_bytes,
        _ => &[],
    }
}

/// bNumInterfaces as computed (built-in interfaces plus the distinct user interface numbers).
pub fn num_interfaces(d: &Device, index: usize) -> usize {
    let Some(c) = d.configurations.get(index) else { return 0 };
    let builtin = match (&d.builtin, index) {
        (Some(b), 0) => b.itf_max as usize,
        _ => 0,
    };
    builtin + c.interface_numbers().len()
}

/// The body of configuration `index` (everything after the 9-byte header).
pub fn configuration_body(d: &Device, index: usize) -> Vec<u8> {
    let mut out = builtin_prefix(d, index).to_vec();
    if let Some(c) = d.configurations.get(index) {
        for item in &c.items {
            config_item(&mut out, item);
        }
    }
    out
}

/// Computed wTotalLength of configuration `index` (may exceed u16; `check::lengths` reports it).
pub fn total_length(d: &Device, index: usize) -> usize {
    let extra = d.configurations.get(index).map(|c| c.extra.len()).unwrap_or(0);
    9 + extra + configuration_body(d, index).len()
}

/// Configuration `index` (0-based) with all its subordinate descriptors (wTotalLength bytes).
pub fn configuration(d: &Device, index: usize) -> Vec<u8> {
    let Some(c) = d.configurations.get(index) else { return Vec::new() };
    let body = configuration_body(d, index);
    let total = 9 + c.extra.len() + body.len();
    let mut h = Vec::new();
    le16(&mut h, c.total_length_override.unwrap_or(total.min(0xffff) as u16));
    h.push(c.num_interfaces_override.unwrap_or(num_interfaces(d, index).min(255) as u8));
    h.extend_from_slice(&[c.value, c.name.index, config_attributes(c), c.max_power]);
    h.extend_from_slice(&c.extra);
    let mut out = Vec::with_capacity(total);
    desc(&mut out, CONFIGURATION, &h);
    out.extend_from_slice(&body);
    out
}

fn config_item(out: &mut Vec<u8>, item: &ConfigItem) {
    match item {
        ConfigItem::Association(a) => {
            let mut b = vec![a.first_interface, a.interface_count, a.class, a.subclass, a.protocol, a.name.index];
            b.extend_from_slice(&a.extra);
            desc(out, INTERFACE_ASSOCIATION, &b);
        }
        ConfigItem::Interface(i) => interface(out, i),
        ConfigItem::Raw(r) => raw(out, r),
    }
}

pub fn raw(out: &mut Vec<u8>, r: &RawDescriptor) {
    desc(out, r.descriptor_type, &r.data);
}

/// One interface descriptor with everything that follows it (endpoints, class descriptors).
pub fn interface_bytes(i: &Interface) -> Vec<u8> {
    let mut out = Vec::new();
    interface(&mut out, i);
    out
}

fn interface(out: &mut Vec<u8>, i: &Interface) {
    let n_ep = i.num_endpoints_override.unwrap_or(i.endpoints().count().min(255) as u8);
    let mut b = vec![i.number, i.alternate, n_ep, i.class, i.subclass, i.protocol, i.name.index];
    b.extend_from_slice(&i.extra);
    desc(out, INTERFACE, &b);
    interface_items(out, &i.items);
}

/// The descriptors of interface items in order; each may look at what follows it (MIDI headers
/// count the bytes after them).
fn interface_items(out: &mut Vec<u8>, items: &[InterfaceItem]) {
    for (k, item) in items.iter().enumerate() {
        match item {
            InterfaceItem::Raw(r) => raw(out, r),
            InterfaceItem::Endpoint(e) => endpoint(out, e),
            InterfaceItem::Class(c) => c.encode(&items[k + 1..], out),
        }
    }
}

/// The bytes of interface item `k` of `items` alone (it may look at the items after it), with the
/// class-specific descriptors an endpoint carries.
pub fn interface_item(items: &[InterfaceItem], k: usize) -> Vec<u8> {
    let mut out = Vec::new();
    match items.get(k) {
        Some(InterfaceItem::Class(c)) => c.encode(&items[k + 1..], &mut out),
        Some(_) => interface_items(&mut out, &items[k..k + 1]),
        None => {}
    }
    out
}

/// The endpoint descriptor alone (without the descriptors that follow it).
pub fn endpoint_descriptor(e: &Endpoint) -> Vec<u8> {
    let mut b = vec![e.address(), e.attributes()];
    le16(&mut b, e.max_packet_size);
    b.push(e.interval);
    b.extend_from_slice(&e.extra);
    let mut out = Vec::new();
    desc(&mut out, ENDPOINT, &b);
    out
}

/// Encoded length of a run of interface items.
pub fn interface_items_len(items: &[InterfaceItem]) -> usize {
    let mut out = Vec::new();
    interface_items(&mut out, items);
    out.len()
}

fn endpoint(out: &mut Vec<u8>, e: &Endpoint) {
    out.extend_from_slice(&endpoint_descriptor(e));
    for r in &e.items {
        raw(out, r);
    }
}

/// String descriptor 0 (the LANGID list) and every string in every language:
/// `(index, langid, bytes)`; string 0 has langid 0.
pub fn string_descriptors(d: &Device) -> Vec<(u8, u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut zero = Vec::new();
    for l in &d.languages {
        le16(&mut zero, *l);
    }
    let mut s0 = Vec::new();
    desc(&mut s0, STRING, &zero);
    out.push((0, 0, s0));
    for s in &d.strings {
        for (i, lang) in d.languages.iter().enumerate() {
            let text = if i == 0 { &s.text } else { s.translations.get(lang).unwrap_or(&s.text) };
            out.push((s.index, *lang, string_descriptor(text)));
        }
    }
    out
}

/// One string descriptor (UTF-16LE, truncated to 126 code units; `check::strings` reports longer ones).
pub fn string_descriptor(text: &str) -> Vec<u8> {
    let mut b = Vec::new();
    for u in text.encode_utf16().take(126) {
        le16(&mut b, u);
    }
    let mut out = Vec::new();
    desc(&mut out, STRING, &b);
    out
}

/// The BOS descriptor with its device capabilities, if any are declared.
pub fn bos(d: &Device) -> Option<Vec<u8>> {
    if !d.has_bos() {
        return None;
    }
    let typed: Vec<Vec<u8>> = d.capabilities.iter().map(|c| c.encode()).collect();
    let mut caps: Vec<u8> = typed.concat();
    for c in &d.bos {
        raw(&mut caps, c);
    }
    let mut h = Vec::new();
    le16(&mut h, (5 + caps.len()).min(0xffff) as u16);
    h.push((d.bos.len() + typed.len()).min(255) as u8);
    let mut out = Vec::new();
    desc(&mut out, BOS, &h);
    out.extend_from_slice(&caps);
    Some(out)
}

/// The sysfs `descriptors` layout: device descriptor followed by every configuration.
pub fn blob(d: &Device) -> Vec<u8> {
    let mut out = device_descriptor(d);
    for i in 0..d.configurations.len() {
        out.extend_from_slice(&configuration(d, i));
    }
    out
}

/// DEVICE_QUALIFIER (USB 2.0 §9.6.2) of a device that runs at both speeds; `None` if full speed only.
pub fn device_qualifier(d: &Device) -> Option<Vec<u8>> {
    if !dual_speed(d) {
        return None;
    }
    let mut b = vec![10, DEVICE_QUALIFIER];
    b.extend_from_slice(&d.usb.to_le_bytes());
    b.extend_from_slice(&[d.class, d.subclass, d.protocol, d.max_packet_size_0]);
    b.push(d.num_configurations_override.unwrap_or(d.configurations.len().min(255) as u8));
    b.push(0);
    Some(b)
}

/// OTHER_SPEED_CONFIGURATION `index` (USB 2.0 §9.6.4); `None` if full speed only.
pub fn other_speed_configuration(d: &Device, index: usize) -> Option<Vec<u8>> {
    if !dual_speed(d) || index >= d.configurations.len() {
        return None;
    }
    let mut b = configuration_for_speed(d, index, Speed::Full);
    if let Some(t) = b.get_mut(1) {
        *t = OTHER_SPEED_CONFIGURATION;
    }
    Some(b)
}

/// Configuration `index` as it reads when the device runs at `speed` (per-speed packet sizes
/// and intervals).
pub fn configuration_for_speed(d: &Device, index: usize, speed: Speed) -> Vec<u8> {
    if speed == d.target.speed() {
        configuration(d, index)
    } else {
        configuration(&at_other_speed(d), index)
    }
}
