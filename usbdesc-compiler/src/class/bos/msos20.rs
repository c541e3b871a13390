//! Microsoft OS 2.0 descriptors (Microsoft OS 2.0 Descriptors Specification, 2017): the platform
//! capability in the BOS and the descriptor set it points to, served for the vendor request with
//! `bMS_VendorCode` and wIndex 7. Every wLength / wTotalLength / wSubsetLength is computed, and the
//! capability's wMSOSDescriptorSetTotalLength is the encoded set's length.
//!
//! TOML `[bos.msos20]`: `vendor_code` (required), `windows_version` (0x06030000 = Windows 8.1),
//! `alt_enum_code` (0), device-scope `compatible_id` / `sub_compatible_id` / `[[bos.msos20.registry]]`
//! (a single-function device), and `[[bos.msos20.function]]` with `interface` (bFirstInterface),
//! `compatible_id`, `sub_compatible_id`, `registry = [{ name, value }]` for a composite device.
//! A registry `value` string is REG_SZ, an array of strings REG_MULTI_SZ (e.g. DeviceInterfaceGUIDs).

use crate::class::{CapabilityItem, DeviceCapability, DumpBlock, VendorDescriptor};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{CapabilityDescriptor, Device};
use crate::spec::capability::{platform, PLATFORM};
use crate::spec::{hex, u16_at, u32_at};
use crate::tomlr::{Table, Value, BAD_VALUE};

/// {D8DD60DF-4589-4CC7-9CD2-659D9E648A9F}, little-endian fields first.
pub const UUID: [u8; 16] =
    [0xdf, 0x60, 0xdd, 0xd8, 0x89, 0x45, 0xc7, 0x4c, 0x9c, 0xd2, 0x65, 0x9d, 0x9e, 0x64, 0x8a, 0x9f];
/// wIndex of the descriptor-set request.
pub const DESCRIPTOR_INDEX: u16 = 7;
const SET_HEADER: u16 = 0x00;
const SUBSET_CONFIGURATION: u16 = 0x01;
const SUBSET_FUNCTION: u16 = 0x02;
const COMPATIBLE_ID: u16 = 0x03;
const REG_PROPERTY: u16 = 0x04;
const REG_SZ: u16 = 1;
const REG_MULTI_SZ: u16 = 7;

/// Compatible ID that is not at most 8 ASCII characters.
pub const BAD_COMPATIBLE_ID: &str = "UD5102";
/// Function subset for an interface the first configuration does not have.
pub const BAD_FUNCTION: &str = "UD5103";
/// One `registry` property.
pub const REGISTRY_KEYS: &[&str] = &["name", "value"];
/// One `function` subset.
pub const FUNCTION_KEYS: &[&str] = &["interface", "compatible_id", "sub_compatible_id", "registry"];
/// `[bos.msos20]`.
pub const KEYS: &[&str] = &["vendor_code", "windows_version", "alt_enum_code", "compatible_id", "sub_compatible_id", "registry", "function"];

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RegValue {
    Sz(String),
    MultiSz(Vec<String>),
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Registry {
    pub name: String,
    pub value: RegValue,
}

#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Features {
    pub compatible_id: Option<(String, String)>,
    pub registry: Vec<Registry>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Function {
    pub first_interface: u8,
    pub features: Features,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MsOs20 {
    pub vendor_code: u8,
    pub windows_version: u32,
    pub alt_enum_code: u8,
    pub device: Features,
    pub functions: Vec<Function>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

/// A 16-bit length; `check::lengths` reports a set longer than 0xffff before anything is served.
fn le16(v: &mut Vec<u8>, x: usize) {
    v.extend_from_slice(&(x.min(0xffff) as u16).to_le_bytes());
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain(std::iter::once(0)).flat_map(|u| u.to_le_bytes()).collect()
}

fn id8(s: &str) -> [u8; 8] {
    let mut b = [0u8; 8];
    for (i, c) in s.bytes().take(8).enumerate() {
        b[i] = c;
    }
    b
}

impl Features {
    fn encode(&self, out: &mut Vec<u8>) {
        if let Some((id, sub)) = &self.compatible_id {
            le16(out, 20);
            le16(out, COMPATIBLE_ID as usize);
            out.extend_from_slice(&id8(id));
            out.extend_from_slice(&id8(sub));
        }
        for r in &self.registry {
            let name = utf16z(&r.name);
            let (ty, data) = match &r.value {
                RegValue::Sz(s) => (REG_SZ, utf16z(s)),
                RegValue::MultiSz(v) => {
                    let mut b: Vec<u8> = v.iter().flat_map(|s| utf16z(s)).collect();
                    b.extend_from_slice(&[0, 0]);
                    (REG_MULTI_SZ, b)
                }
            };
            le16(out, 10 + name.len() + data.len());
            le16(out, REG_PROPERTY as usize);
            le16(out, ty as usize);
            le16(out, name.len());
            out.extend_from_slice(&name);
            le16(out, data.len());
            out.extend_from_slice(&data);
        }
    }
}

impl MsOs20 {
    /// The whole descriptor set (set header first, wTotalLength computed).
    pub fn set(&self) -> Vec<u8> {
        let mut body = Vec::new();
        self.device.encode(&mut body);
        if !self.functions.is_empty() {
            let mut funcs = Vec::new();
            for f in &self.functions {
                let mut fb = Vec::new();
                f.features.encode(&mut fb);
                le16(&mut funcs, 8);
                le16(&mut funcs, SUBSET_FUNCTION as usize);
                funcs.extend_from_slice(&[f.first_interface, 0]);
                le16(&mut funcs, 8 + fb.len());
                funcs.extend_from_slice(&fb);
            }
            le16(&mut body, 8);
            le16(&mut body, SUBSET_CONFIGURATION as usize);
            // bConfigurationValue here is the configuration index (0 = the first), per the spec's note.
            body.extend_from_slice(&[0, 0]);
            le16(&mut body, 8 + funcs.len());
            body.extend_from_slice(&funcs);
        }
        let mut out = Vec::new();
        le16(&mut out, 10);
        le16(&mut out, SET_HEADER as usize);
        out.extend_from_slice(&self.windows_version.to_le_bytes());
        le16(&mut out, 10 + body.len());
        out.extend_from_slice(&body);
        out
    }

}

impl CapabilityDescriptor for MsOs20 {
    fn key(&self) -> &'static str {
        "msos20"
    }
    /// The platform capability descriptor pointing at [`MsOs20::set`].
    fn encode(&self) -> Vec<u8> {
        let mut data = self.windows_version.to_le_bytes().to_vec();
        le16(&mut data, self.set().len());
        data.push(self.vendor_code);
        data.push(self.alt_enum_code);
        platform(&UUID, &data)
    }
    /// The descriptor set, for the vendor request with bMS_VendorCode, wIndex 7, wValue 0.
    fn vendor(&self) -> Vec<VendorDescriptor> {
        vec![VendorDescriptor {
            capability: "msos20",
            name: "msos20_descriptor_set",
            title: "Microsoft OS 2.0 descriptor set",
            request: self.vendor_code,
            value: 0,
            index: DESCRIPTOR_INDEX,
            bytes: self.set(),
        }]
    }
    /// The set's lengths are 16-bit (the encoder clamps, `check::lengths` reports).
    fn lengths(&self) -> Vec<(String, usize, usize)> {
        vec![("the MS OS 2.0 descriptor set".into(), self.set().len(), 0xffff)]
    }
    fn span(&self) -> Option<Span> {
        self.span
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self) -> String {
        to_toml(self)
    }
}

fn compatible(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<(String, String)> {
    let check = |v: &Value<'_, '_>, d: &mut Diagnostics| -> Option<String> {
        let s = v.str(d)?;
        if s.len() > 8 || !s.is_ascii() {
            d.push(
                Diagnostic::error(BAD_COMPATIBLE_ID, format!("compatible ID \"{s}\" is not at most 8 ASCII characters"))
                    .at(v.span())
                    .help("use a Windows compatible ID such as \"WINUSB\" (padded with zeros to 8 bytes)"),
            );
        }
        Some(s.to_string())
    };
    let id = t.get("compatible_id").and_then(|v| check(&v, d))?;
    let sub = t.get("sub_compatible_id").and_then(|v| check(&v, d)).unwrap_or_default();
    Some((id, sub))
}

fn registry(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<Registry> {
    // Unknown keys are reported even when a value below is missing or wrong.
    t.finish(REGISTRY_KEYS, d);
    let name = t.require("name", d).and_then(|v| v.str(d).map(str::to_string))?;
    let v = t.require("value", d)?;
    let value = if v.is_array() {
        RegValue::MultiSz(v.array(d)?.iter().filter_map(|x| x.str(d).map(str::to_string)).collect())
    } else if v.is_str() {
        RegValue::Sz(v.str(d)?.to_string())
    } else {
        d.push(
            Diagnostic::error(BAD_VALUE, "registry `value` must be a string (REG_SZ) or an array of strings (REG_MULTI_SZ)")
                .at(v.span())
                .help("e.g. value = [\"{01234567-89AB-CDEF-0123-456789ABCDEF}\"] for DeviceInterfaceGUIDs"),
        );
        return None;
    };
    Some(Registry { name, value })
}

fn features(t: &Table<'_, '_>, d: &mut Diagnostics) -> Features {
    Features {
        compatible_id: compatible(t, d),
        registry: t.tables("registry", d).iter().filter_map(|r| registry(r, d)).collect(),
    }
}

/// The capability's reader, dump, check and schema.
pub struct Capability;

impl DeviceCapability for Capability {
    fn key(&self) -> &'static str {
        "msos20"
    }
    fn read(&self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<CapabilityItem> {
        Some(CapabilityItem::new(read(t, d)))
    }
    fn dump(&self, c: &[u8]) -> Option<DumpBlock> {
        if c.len() < 28 || c[2] != PLATFORM || c[4..20] != UUID {
            return None;
        }
        let data = &c[20..];
        let mut b = DumpBlock::new("Platform Capability (Microsoft OS 2.0)", "");
        b.field("bDevCapabilityType", c[2], "PLATFORM");
        b.field("PlatformCapabilityUUID", "", hex(&UUID));
        b.field("dwWindowsVersion", format!("0x{:08x}", u32_at(data, 0)), "");
        b.field("wMSOSDescriptorSetTotalLength", u16_at(data, 4), "bytes");
        b.field("bMS_VendorCode", format!("0x{:02x}", data[6]), "request code");
        b.field("bAltEnumCode", data[7], "");
        Some(b)
    }
    fn dump_vendor(&self, v: &VendorDescriptor) -> Vec<DumpBlock> {
        dump_set(&v.bytes)
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check_functions(dev, d);
    }
    #[cfg(feature = "emit")]
    fn schema(&self) -> serde_json::Value {
        crate::schema_parts::table("the Microsoft OS 2.0 platform capability and descriptor set", KEYS, &["vendor_code"], schema_value)
    }
    fn key_docs(&self) -> &'static str {
        include_str!("msos20.keys.txt")
    }
}

#[cfg(feature = "emit")]
fn schema_value(k: &str) -> serde_json::Value {
    use crate::schema_parts::{byte, int, one_or_many, table};
    use serde_json::json;
    match k {
        "vendor_code" | "alt_enum_code" | "interface" => byte(),
        "windows_version" => int(0, 0xffff_ffff),
        "compatible_id" | "sub_compatible_id" => json!({ "type": "string", "maxLength": 8 }),
        "registry" => one_or_many("registry", table("a registry property (REG_SZ or REG_MULTI_SZ)", REGISTRY_KEYS, &["name", "value"], |k| {
            if k == "name" { json!({ "type": "string" }) } else { json!({ "anyOf": [ { "type": "string" }, { "type": "array", "items": { "type": "string" } } ] }) }
        })),
        _ => one_or_many("msos20_function", table("a function subset for the interfaces from `interface`", FUNCTION_KEYS, &["interface"], schema_value)),
    }
}

/// Every function subset names an interface of the first configuration (its bFirstInterface),
/// and no two subsets name the same one.
fn check_functions(dev: &Device, d: &mut Diagnostics) {
    let Some(ms) = dev.capabilities.iter().find_map(|c| c.downcast_ref::<MsOs20>()) else { return };
    let numbers: Vec<u8> = match dev.configurations.first() {
        Some(c) => {
            let b = dev.builtin.as_ref().map(|b| b.itf_max).unwrap_or(0);
            (0..b).chain(c.interface_numbers()).collect()
        }
        None => Vec::new(),
    };
    for (k, f) in ms.functions.iter().enumerate() {
        if !numbers.contains(&f.first_interface) {
            d.push(
                Diagnostic::error(BAD_FUNCTION, format!("MS OS 2.0 function subset for interface {}, which configuration 1 does not have", f.first_interface))
                    .at(f.span)
                    .help(format!("name one of the interfaces {numbers:?} in `interface`")),
            );
        } else if let Some(prev) = ms.functions[..k].iter().find(|p| p.first_interface == f.first_interface) {
            d.push(
                Diagnostic::error(BAD_FUNCTION, format!("two MS OS 2.0 function subsets for interface {}", f.first_interface))
                    .at(f.span)
                    .label(prev.span, "first subset here")
                    .help("merge the two `[[bos.msos20.function]]` tables"),
            );
        }
    }
}

fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> MsOs20 {
    let vendor_code = t.require("vendor_code", d).and_then(|v| v.u8(d)).unwrap_or(1);
    let windows_version = t.get("windows_version").and_then(|v| v.u32(d)).unwrap_or(0x0603_0000);
    let alt_enum_code = t.get("alt_enum_code").and_then(|v| v.u8(d)).unwrap_or(0);
    let device = features(t, d);
    let mut functions = Vec::new();
    for f in t.tables("function", d) {
        let first_interface = f.require("interface", d).and_then(|v| v.u8(d)).unwrap_or(0);
        let features = features(&f, d);
        f.finish(FUNCTION_KEYS, d);
        functions.push(Function { first_interface, features, span: Some(f.span()) });
    }
    t.finish(KEYS, d);
    MsOs20 { vendor_code, windows_version, alt_enum_code, device, functions, span: Some(t.span()) }
}

/// `[bos.msos20]` and its sub-tables as TOML text.
#[cfg(feature = "emit")]
fn to_toml(m: &MsOs20) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let features = |o: &mut String, f: &Features, prefix: &str| {
        if let Some((id, sub)) = &f.compatible_id {
            *o += &format!("compatible_id = {}\nsub_compatible_id = {}\n", q(id), q(sub));
        }
        for r in &f.registry {
            let v = match &r.value {
                RegValue::Sz(s) => q(s),
                RegValue::MultiSz(v) => format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")),
            };
            *o += &format!("\n[[{prefix}.registry]]\nname = {}\nvalue = {v}\n", q(&r.name));
        }
    };
    let mut o = format!("\n[bos.msos20]\nvendor_code = {}\nwindows_version = {:#010x}\nalt_enum_code = {}\n", m.vendor_code, m.windows_version, m.alt_enum_code);
    // Device-scope keys precede the sub-tables.
    features(&mut o, &m.device, "bos.msos20");
    for f in &m.functions {
        o += &format!("\n[[bos.msos20.function]]\ninterface = {}\n", f.first_interface);
        features(&mut o, &f.features, "bos.msos20.function");
    }
    o
}

fn utf16(b: &[u8]) -> String {
    let u: Vec<u16> = b.chunks(2).map(|c| u16_at(c, 0)).take_while(|&x| x != 0).collect();
    String::from_utf16_lossy(&u)
}

/// The descriptors of a descriptor set, in order, for `usbdesc dump`.
fn dump_set(set: &[u8]) -> Vec<DumpBlock> {
    let at = |d: &[u8], i: usize| d.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= set.len() {
        let len = u16_at(set, i) as usize;
        if len < 4 {
            let mut b = DumpBlock::new("Truncated descriptor", "");
            b.text(0, format!("wLength {len} at offset {i}: the host stops reading here"));
            out.push(b);
            break;
        }
        let d = &set[i..(i + len).min(set.len())];
        let ty = u16_at(d, 2);
        let b = match ty {
            SET_HEADER => {
                let mut b = DumpBlock::new("Set Header", "");
                b.field("dwWindowsVersion", format!("0x{:08x}", u32_at(d, 4)), "");
                b.field("wTotalLength", u16_at(d, 8), "");
                b
            }
            SUBSET_CONFIGURATION => {
                let mut b = DumpBlock::new("Configuration Subset Header", "");
                b.field("bConfigurationValue", at(d, 4), "configuration index");
                b.field("wTotalLength", u16_at(d, 6), "");
                b
            }
            SUBSET_FUNCTION => {
                let mut b = DumpBlock::new("Function Subset Header", "");
                b.field("bFirstInterface", at(d, 4), "");
                b.field("wSubsetLength", u16_at(d, 6), "");
                b
            }
            COMPATIBLE_ID => {
                let s = |r: std::ops::Range<usize>| d.get(r).map(|b| String::from_utf8_lossy(b).trim_end_matches('\0').to_string()).unwrap_or_default();
                let mut b = DumpBlock::new("Compatible ID", "");
                b.field("CompatibleID", "", format!("\"{}\"", s(4..12)));
                b.field("SubCompatibleID", "", format!("\"{}\"", s(12..20)));
                b
            }
            REG_PROPERTY => {
                let kind = u16_at(d, 4);
                let nlen = u16_at(d, 6) as usize;
                let name = d.get(8..8 + nlen).map(utf16).unwrap_or_default();
                let data = d.get(10 + nlen..).unwrap_or(&[]);
                let u: Vec<u16> = data.chunks(2).map(|c| u16_at(c, 0)).collect();
                let values: Vec<String> =
                    u.split(|&x| x == 0).filter(|s| !s.is_empty()).map(|s| format!("\"{}\"", String::from_utf16_lossy(s))).collect();
                let mut b = DumpBlock::new("Registry Property", "");
                b.field("wPropertyDataType", kind, match kind {
                    REG_SZ => "REG_SZ",
                    REG_MULTI_SZ => "REG_MULTI_SZ",
                    _ => "",
                });
                b.field("PropertyName", "", format!("\"{name}\""));
                b.field("PropertyData", "", values.join(", "));
                b
            }
            _ => {
                let mut b = DumpBlock::new(format!("Descriptor type {ty}"), "");
                b.field("data", "", hex(d));
                b
            }
        };
        out.push(b);
        i += len;
    }
    out
}
