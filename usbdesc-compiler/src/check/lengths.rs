//! Length fields: every descriptor fits its one-byte bLength, every configuration its wTotalLength,
//! every HID report its wDescriptorLength.

use super::codes;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;

fn too_long(what: &str, len: usize, max: usize, span: Option<Span>, d: &mut Diagnostics) {
    if len > max {
        d.push(
            Diagnostic::error(codes::LENGTH_OVERFLOW, format!("{what} is {len} bytes long; its length field holds at most {max}"))
                .at(span)
                .help("split the data or drop bytes: lengths are computed and cannot overflow silently"),
        );
    }
}

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for (ci, c) in dev.configurations.iter().enumerate() {
        too_long(&format!("configuration {}", c.value), crate::encode::total_length(dev, ci), 0xffff, c.spans.table, d);
        too_long("the configuration descriptor", 9 + c.extra.len(), 255, c.spans.at("extra"), d);
        for item in &c.items {
            match item {
                ConfigItem::Association(a) => too_long("the interface association descriptor", 8 + a.extra.len(), 255, a.spans.at("extra"), d),
                ConfigItem::Interface(i) => interface(i, d),
                ConfigItem::Raw(r) => raw(r, d),
            }
        }
    }
    for r in &dev.bos {
        raw(r, d);
    }
    // The BOS and the MS OS 2.0 set carry a 16-bit total (the encoder clamps, this check reports).
    let bos_span = dev.spans.fields.get("bos").copied().or(dev.spans.table);
    if let Some(b) = crate::encode::bos(dev) {
        too_long("the BOS descriptor with its capabilities", b.len(), 0xffff, bos_span, d);
    }
    for c in &dev.capabilities {
        for (what, len, limit) in c.lengths() {
            too_long(&what, len, limit, c.span().or(bos_span), d);
        }
    }
}

fn raw(r: &RawDescriptor, d: &mut Diagnostics) {
    too_long(&format!("descriptor type {:#04x}", r.descriptor_type), r.data.len() + 2, 255, r.spans.at("bytes"), d);
}

fn interface(i: &Interface, d: &mut Diagnostics) {
    too_long("the interface descriptor", 9 + i.extra.len(), 255, i.spans.at("extra"), d);
    if i.endpoints().count() > 255 {
        too_long("the endpoint count", i.endpoints().count(), 255, i.spans.table, d);
    }
    for item in &i.items {
        match item {
            InterfaceItem::Class(c) => {
                for (what, len, max, span) in c.lengths(i) {
                    too_long(&what, len, max, span, d);
                }
            }
            InterfaceItem::Raw(r) => raw(r, d),
            InterfaceItem::Endpoint(e) => {
                too_long("the endpoint descriptor", 7 + e.extra.len(), 255, e.spans.at("extra"), d);
                for r in &e.items {
                    raw(r, d);
                }
            }
        }
    }
}
