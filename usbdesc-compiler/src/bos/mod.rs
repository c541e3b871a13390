//! Typed BOS device capabilities (USB 3.2 §9.6.2 / USB 2.0 LPM ECN): the USB 2.0 Extension, the
//! WebUSB platform capability and the Microsoft OS 2.0 platform capability. They are encoded by
//! [`crate::encode::bos`] before any raw `[[bos.capability]]`.
//!
//! bcdUSB: a device that declares any BOS capability and no `usb` version gets bcdUSB 2.01; an
//! explicit version below 2.01 is an error (UD2008), never silently raised.
//!
//! TOML: `[bos] usb2_extension = { lpm = true }` (or `usb2_extension = { attributes = 0x02 }`),
//! `[bos.webusb]` (see [`webusb`]), `[bos.msos20]` (see [`msos20`]).

pub mod msos20;
pub mod webusb;

use crate::diag::Diagnostics;
use crate::tomlr::Table;

pub use crate::spec::capability::{PLATFORM, USB2_EXTENSION};

#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Platform {
    /// bmAttributes of the USB 2.0 Extension capability (bit 1 = LPM).
    pub usb2_extension: Option<u32>,
    pub webusb: Option<webusb::WebUsb>,
    pub msos20: Option<msos20::MsOs20>,
}

impl Platform {
    pub fn is_empty(&self) -> bool {
        self.usb2_extension.is_none() && self.webusb.is_none() && self.msos20.is_none()
    }

    /// The capability descriptors (each with bLength, type 0x10, bDevCapabilityType, ...).
    pub fn capabilities(&self) -> Vec<Vec<u8>> {
        let mut v = Vec::new();
        if let Some(a) = self.usb2_extension {
            let mut b = vec![7, crate::spec::DEVICE_CAPABILITY, USB2_EXTENSION];
            b.extend_from_slice(&a.to_le_bytes());
            v.push(b);
        }
        if let Some(w) = &self.webusb {
            v.push(w.capability());
        }
        if let Some(m) = &self.msos20 {
            v.push(m.capability());
        }
        v
    }
}

/// A platform capability: bLength, 0x10, 0x05, bReserved, the 16-byte UUID, then `data`.
pub fn platform_capability(uuid: &[u8; 16], data: &[u8]) -> Vec<u8> {
    let mut b = vec![(20 + data.len()).min(255) as u8, crate::spec::DEVICE_CAPABILITY, PLATFORM, 0];
    b.extend_from_slice(uuid);
    b.extend_from_slice(data);
    b
}

/// Read the typed parts of `[bos]`; keys handled here are listed in [`KEYS`].
pub const KEYS: &[&str] = &["usb2_extension", "webusb", "msos20"];
/// `[bos.usb2_extension]`.
pub const USB2_EXTENSION_KEYS: &[&str] = &["lpm", "attributes"];

pub fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> Platform {
    let mut p = Platform::default();
    if let Some(u) = t.table("usb2_extension", d) {
        let mut a = 0u32;
        if u.get("lpm").and_then(|v| v.bool(d)) == Some(true) {
            a |= 0x02;
        }
        if let Some(x) = u.get("attributes").and_then(|v| v.u32(d)) {
            a = x;
        }
        u.finish(USB2_EXTENSION_KEYS, d);
        p.usb2_extension = Some(a);
    }
    if let Some(w) = t.table("webusb", d) {
        p.webusb = webusb::read(&w, d);
    }
    if let Some(m) = t.table("msos20", d) {
        p.msos20 = Some(msos20::read(&m, d));
    }
    p
}

/// The typed `[bos]` tables as TOML text (for the emitter).
#[cfg(feature = "emit")]
pub fn to_toml(p: &Platform) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut o = String::new();
    if let Some(a) = p.usb2_extension {
        o += &format!("\n[bos.usb2_extension]\nattributes = {a:#010x}\n");
    }
    if let Some(w) = &p.webusb {
        o += &format!("\n[bos.webusb]\nvendor_code = {}\nbcd_version = {}\n", w.vendor_code, crate::names::bcd_toml(w.bcd_version));
        if let Some((scheme, rest)) = &w.landing_page {
            let prefix = match scheme {
                0 => "http://",
                1 => "https://",
                _ => "",
            };
            o += &format!("landing_page = {}\n", q(&format!("{prefix}{rest}")));
        }
    }
    if let Some(m) = &p.msos20 {
        o += &format!("\n[bos.msos20]\nvendor_code = {}\nwindows_version = {:#010x}\nalt_enum_code = {}\n", m.vendor_code, m.windows_version, m.alt_enum_code);
        let features = |o: &mut String, f: &msos20::Features, prefix: &str| {
            if let Some((id, sub)) = &f.compatible_id {
                *o += &format!("compatible_id = {}\nsub_compatible_id = {}\n", q(id), q(sub));
            }
            for r in &f.registry {
                let v = match &r.value {
                    msos20::RegValue::Sz(s) => q(s),
                    msos20::RegValue::MultiSz(v) => format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")),
                };
                *o += &format!("\n[[{prefix}.registry]]\nname = {}\nvalue = {v}\n", q(&r.name));
            }
        };
        // Device-scope keys must precede the sub-tables.
        let mut dev_keys = String::new();
        let mut dev_tables = String::new();
        features(&mut dev_tables, &m.device, "bos.msos20");
        if let Some(split) = dev_tables.find("\n[[") {
            dev_keys.push_str(&dev_tables[..split]);
            dev_keys.push('\n');
            o += &dev_keys;
            o += &dev_tables[split..];
        } else {
            o += &dev_tables;
        }
        for f in &m.functions {
            o += &format!("\n[[bos.msos20.function]]\ninterface = {}\n", f.first_interface);
            features(&mut o, &f.features, "bos.msos20.function");
        }
    }
    o
}
