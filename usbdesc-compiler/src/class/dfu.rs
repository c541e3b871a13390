//! DFU 1.1 (Device Firmware Upgrade): the DFU functional descriptor (DFU 1.1 §4.1.3 / §4.2.4,
//! type 0x21, 9 bytes) of a DFU interface (class 0xFE, subclass 0x01; protocol 1 = runtime,
//! 2 = DFU mode).
//!
//! TOML: `[...dfu]` with `will_detach`, `manifestation_tolerant`, `can_upload`, `can_download`
//! (booleans; default download only) or a raw `attributes`, `detach_timeout_ms` (255),
//! `transfer_size` (bytes per control transfer; required), `bcd_dfu` ("1.10").

use super::{InterfaceCx, InterfaceReader, Stateless, Tables, UsbClass};
use crate::diag::Diagnostics;
use crate::model::*;
use crate::spec::{class, dfu::FUNCTIONAL, subclass, u16_at};
use crate::tomlr::Table;

/// The class: DFU 1.1.
pub struct Dfu;

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DfuFunctional {
    /// bmAttributes: bit 0 download, 1 upload, 2 manifestation tolerant, 3 will detach.
    pub attributes: u8,
    pub detach_timeout_ms: u16,
    pub transfer_size: u16,
    pub bcd_dfu: u16,
}

fn encode(out: &mut Vec<u8>, f: &DfuFunctional) {
    out.extend_from_slice(&[9, FUNCTIONAL, f.attributes]);
    out.extend_from_slice(&f.detach_timeout_ms.to_le_bytes());
    out.extend_from_slice(&f.transfer_size.to_le_bytes());
    out.extend_from_slice(&f.bcd_dfu.to_le_bytes());
}

pub fn is_dfu(itf: &Interface) -> bool {
    itf.class == class::APPLICATION && itf.subclass == subclass::DFU
}

/// Decoder: a raw 9-byte type-0x21 descriptor of a DFU interface becomes typed.
fn lift(itf: &mut Interface) {
    if !is_dfu(itf) {
        return;
    }
    for item in itf.items.iter_mut() {
        if let InterfaceItem::Raw(r) = item {
            if r.descriptor_type == FUNCTIONAL && r.data.len() == 7 {
                let d = &r.data;
                *item = DfuFunctional {
                    attributes: d[0],
                    detach_timeout_ms: u16_at(d, 1),
                    transfer_size: u16_at(d, 3),
                    bcd_dfu: u16_at(d, 5),
                }
                .into();
            }
        }
    }
}

/// `[...dfu]` keys.
pub const KEYS: &[&str] =
    &["can_download", "can_upload", "manifestation_tolerant", "will_detach", "attributes", "detach_timeout_ms", "transfer_size", "bcd_dfu"];
const BITS: &[(&str, u8)] = &[("can_download", 0x01), ("can_upload", 0x02), ("manifestation_tolerant", 0x04), ("will_detach", 0x08)];

pub fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> DfuFunctional {
    let mut attributes = 0x01;
    for (k, bit) in BITS {
        if let Some(b) = t.get(k).and_then(|v| v.bool(d)) {
            attributes = if b { attributes | bit } else { attributes & !bit };
        }
    }
    if let Some(a) = t.get("attributes").and_then(|v| v.u8(d)) {
        attributes = a;
    }
    let detach_timeout_ms = t.get("detach_timeout_ms").and_then(|v| v.u16(d)).unwrap_or(255);
    let transfer_size = t.require("transfer_size", d).and_then(|v| v.u16(d)).unwrap_or(64);
    let bcd_dfu = t.get("bcd_dfu").and_then(|v| v.bcd(d)).unwrap_or(0x0110);
    t.finish(KEYS, d);
    DfuFunctional { attributes, detach_timeout_ms, transfer_size, bcd_dfu }
}

/// `key = value` lines for the TOML emitter.
#[cfg(feature = "emit")]
fn to_toml(f: &DfuFunctional) -> Vec<(String, String)> {
    let mut kv: Vec<(String, String)> = Vec::new();
    if f.attributes & 0xf0 != 0 {
        kv.push(("attributes".into(), format!("{:#04x}", f.attributes)));
    } else {
        for (k, bit) in BITS {
            kv.push(((*k).into(), (f.attributes & bit != 0).to_string()));
        }
    }
    kv.push(("detach_timeout_ms".into(), f.detach_timeout_ms.to_string()));
    kv.push(("transfer_size".into(), f.transfer_size.to_string()));
    kv.push(("bcd_dfu".into(), crate::names::bcd_toml(f.bcd_dfu)));
    kv
}

// ---------------------------------------------------------------- the class boundary

impl ClassDescriptor for DfuFunctional {
    fn class(&self) -> &'static str {
        "dfu"
    }
    fn encode(&self, _tail: &[InterfaceItem], out: &mut Vec<u8>) {
        encode(out, self)
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self, _tail: &[InterfaceItem]) -> Option<TomlTable> {
        Some(TomlTable { key: "dfu", array: false, kv: to_toml(self), consumed: 1 })
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        Some(describe(bytes))
    }
}

impl UsbClass for Dfu {
    fn name(&self) -> &'static str {
        "dfu"
    }
    fn key_docs(&self) -> &'static str {
        include_str!("dfu.keys.txt")
    }
    fn keys(&self) -> &'static [&'static str] {
        &["dfu"]
    }
    fn lift(&self, itf: &mut Interface) {
        lift(itf)
    }
    /// A functional descriptor of another length (DFU 1.0: 7 bytes) stays raw; it is still shown.
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        let dfu = cx.class == class::APPLICATION && cx.subclass == subclass::DFU;
        (dfu && bytes.len() >= 7 && bytes[1] == FUNCTIONAL).then(|| describe(bytes))
    }
    fn reader(&self, _cx: &InterfaceCx, _tables: Tables<'_, '_, '_>, _d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(Stateless(|_: &InterfaceCx, _: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics| vec![read(t, d).into()]))
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        use crate::schema_parts::*;
        (key == "dfu").then(|| {
            table("the DFU functional descriptor", KEYS, &["transfer_size"], |k| match k {
                "attributes" => byte(),
                "detach_timeout_ms" | "transfer_size" => int(0, 0xffff),
                "bcd_dfu" => bcd(),
                _ => boolean(),
            })
        })
    }
}

/// How `usbdesc dump` shows a DFU functional descriptor (`d` from bLength on, at least 7 bytes;
/// DFU 1.0 devices omit bcdDFUVersion).
fn describe(d: &[u8]) -> DumpBlock {
    let mut b = DumpBlock::new("DFU Functional Descriptor", "DFU FUNCTIONAL");
    let a = d.get(2).copied().unwrap_or(0);
    let names: Vec<&str> = [(0x01, "can download"), (0x02, "can upload"), (0x04, "manifestation tolerant"), (0x08, "will detach")]
        .iter()
        .filter(|(bit, _)| a & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    b.field("bmAttributes", format!("0x{a:02x}"), names.join(", "));
    b.field("wDetachTimeOut", u16_at(d, 3), format!("{} ms", u16_at(d, 3)));
    b.field("wTransferSize", u16_at(d, 5), "bytes");
    if d.len() >= 9 {
        b.field("bcdDFUVersion", crate::names::format_bcd(u16_at(d, 7)).unwrap_or_else(|| format!("0x{:04x}", u16_at(d, 7))), "");
    }
    b
}
