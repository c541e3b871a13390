//! The HID class descriptor (HID 1.11 §6.2.1, type 0x21) of a HID interface (class 0x03): the
//! class's bcdHID, country code and the descriptors it lists, the report descriptor first. The
//! report descriptors themselves are [`crate::hid`].
//!
//! TOML: `[...hid]` with `bcd_hid` (1.11), `country_code`, `report = { ... }` (see
//! [`crate::hid::ReportDescriptor::from_toml`]) or `report_length`, and `descriptors` (further
//! class descriptors: `{ type, length }`).

use super::{InterfaceCx, InterfaceReader, Stateless, Tables, UsbClass};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::hid::ReportDescriptor;
use crate::model::*;
use crate::spec::{class, le16, u16_at, HID, HID_REPORT};
use crate::tomlr::{Table, Value};

/// The class: HID (its class descriptor).
pub struct Hid;

/// HID class descriptor (type 0x21) of a HID interface.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HidDescriptor {
    pub bcd_hid: u16,
    pub country_code: u8,
    /// The compiled report descriptor bytes (empty when only the length is known, e.g. decoded blobs).
    pub report_bytes: Vec<u8>,
    /// wDescriptorLength of the report descriptor when no report is given or it differs.
    pub report_length_override: Option<u16>,
    /// Further class descriptors listed after the report (type, length), e.g. physical descriptors.
    pub extra_descriptors: Vec<(u8, u16)>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub report: Option<ReportDescriptor>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

impl HidDescriptor {
    pub fn report_length(&self) -> u16 {
        self.report_length_override.unwrap_or(self.report_bytes.len().min(0xffff) as u16)
    }
}

/// Where a HID interface lives, for runtimes and generators.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HidInterfaceInfo {
    pub configuration: u8,
    pub interface: u8,
    pub alternate: u8,
    pub report: Vec<u8>,
    pub in_endpoint: Option<u8>,
    pub in_max_packet: Option<u16>,
    pub out_endpoint: Option<u8>,
    pub out_max_packet: Option<u16>,
}

impl Device {
    /// Every HID interface with its report descriptor bytes and interrupt endpoints.
    pub fn hid_interfaces(&self) -> Vec<HidInterfaceInfo> {
        let mut out = Vec::new();
        for c in &self.configurations {
            for itf in c.interfaces() {
                if let Some(h) = itf.hid() {
                    let ep = |dir: Direction| {
                        itf.endpoints().find(|e| e.direction == dir && e.transfer == Transfer::Interrupt)
                    };
                    out.push(HidInterfaceInfo {
                        configuration: c.value,
                        interface: itf.number,
                        alternate: itf.alternate,
                        report: h.report_bytes.clone(),
                        in_endpoint: ep(Direction::In).map(|e| e.address()),
                        in_max_packet: ep(Direction::In).map(|e| e.packet_size()),
                        out_endpoint: ep(Direction::Out).map(|e| e.address()),
                        out_max_packet: ep(Direction::Out).map(|e| e.packet_size()),
                    });
                }
            }
        }
        out
    }
}

impl Interface {
    /// The interface's (first) HID class descriptor.
    pub fn hid(&self) -> Option<&HidDescriptor> {
        self.items.iter().find_map(|i| i.class::<HidDescriptor>())
    }
}

/// The HID class descriptor (HID 1.11 §6.2.1).
pub fn descriptor(h: &HidDescriptor) -> Vec<u8> {
    let mut b = Vec::new();
    le16(&mut b, h.bcd_hid);
    b.push(h.country_code);
    b.push((1 + h.extra_descriptors.len()).min(255) as u8);
    b.push(HID_REPORT);
    le16(&mut b, h.report_length());
    for (ty, len) in &h.extra_descriptors {
        b.push(*ty);
        le16(&mut b, *len);
    }
    let mut out = Vec::new();
    crate::encode::desc(&mut out, HID, &b);
    out
}

/// A HID class descriptor of a HID interface (listing the report descriptor first); `d` from
/// bLength on.
fn parse(d: &[u8], spans: Spans) -> Option<HidDescriptor> {
    if d.len() < 9 || d[1] != HID || !(d.len() - 6).is_multiple_of(3) || d[5] as usize != (d.len() - 6) / 3 {
        return None;
    }
    if d[6] != HID_REPORT {
        return None;
    }
    let extra_descriptors = d[9..].chunks(3).map(|c| (c[0], u16_at(c, 1))).collect();
    Some(HidDescriptor {
        bcd_hid: u16_at(d, 2),
        country_code: d[4],
        report_bytes: Vec::new(),
        report_length_override: Some(u16_at(d, 7)),
        extra_descriptors,
        report: None,
        spans,
    })
}

/// Decoder: the raw HID class descriptors of a HID interface become typed (descriptors after an
/// endpoint stay with the endpoint, raw).
fn lift(itf: &mut Interface) {
    if itf.class != class::HID {
        return;
    }
    for item in itf.items.iter_mut() {
        let InterfaceItem::Raw(r) = item else { continue };
        let mut bytes = vec![(r.data.len() + 2).min(255) as u8, r.descriptor_type];
        bytes.extend_from_slice(&r.data);
        if let Some(h) = parse(&bytes, r.spans.clone()) {
            *item = h.into();
        }
    }
}

/// `[...hid]`.
pub const KEYS: &[&str] = &["bcd_hid", "country_code", "report", "report_length", "descriptors"];

/// One entry of the `descriptors` list.
pub const DESCRIPTOR_KEYS: &[&str] = &["type", "length"];

/// `t`'s value at `key`, its span noted in `spans`.
fn noted<'a, 'i>(t: &Table<'a, 'i>, key: &'static str, spans: &mut Spans) -> Option<Value<'a, 'i>> {
    t.get(key).inspect(|v| spans.set(key, v.span()))
}

/// `[...hid]`.
fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> HidDescriptor {
    let mut spans = Spans::table(t.span());
    let bcd_hid = noted(t, "bcd_hid", &mut spans).and_then(|v| v.bcd(d)).unwrap_or(0x0111);
    let country_code = noted(t, "country_code", &mut spans).and_then(|v| v.u8(d)).unwrap_or(0);
    let report = noted(t, "report", &mut spans).and_then(|v| ReportDescriptor::from_toml(&v.table(d)?, d));
    let report_length_override = noted(t, "report_length", &mut spans).and_then(|v| v.u16(d));
    if report.is_none() && report_length_override.is_none() && !spans.has("report") {
        d.push(
            Diagnostic::error(crate::tomlr::MISSING_KEY, "HID interface without a report descriptor")
                .at(t.span())
                .help("add `report = { ... }` (or `report_length = N` when the report is served elsewhere)"),
        );
    }
    let mut extra_descriptors = Vec::new();
    for x in t.tables("descriptors", d) {
        let ty = x.require("type", d).and_then(|v| v.u8(d)).unwrap_or(0);
        let len = x.require("length", d).and_then(|v| v.u16(d)).unwrap_or(0);
        x.finish(DESCRIPTOR_KEYS, d);
        extra_descriptors.push((ty, len));
    }
    t.finish(KEYS, d);
    let report_bytes = report.as_ref().map(|r| r.encode()).unwrap_or_default();
    HidDescriptor { bcd_hid, country_code, report_bytes, report_length_override, extra_descriptors, report, spans }
}

/// How `usbdesc dump` shows the descriptor, with the report descriptor it lists when the input
/// holds it (item by item, then the bit layout).
fn describe(h: &HidDescriptor, d: &[u8]) -> DumpBlock {
    let mut b = DumpBlock::new("HID Device Descriptor", "HID");
    b.field("bcdHID", crate::names::format_bcd(h.bcd_hid).unwrap_or_else(|| format!("0x{:04x}", h.bcd_hid)), "");
    b.field("bCountryCode", h.country_code, if h.country_code == 0 { "not localized" } else { "" });
    b.field("bNumDescriptors", d.get(5).copied().unwrap_or(0), "");
    let listed = std::iter::once((HID_REPORT, h.report_length())).chain(h.extra_descriptors.iter().copied());
    for (k, (ty, len)) in listed.enumerate() {
        let name = match ty {
            HID_REPORT => "Report",
            0x23 => "Physical",
            _ => "",
        };
        b.field("bDescriptorType", ty, name);
        b.field("wDescriptorLength", len, "");
        if k > 0 {
            continue;
        }
        if h.report_bytes.is_empty() {
            b.text(0, "Report Descriptor: not part of this input (a blob holds only its length); dump the report descriptor file itself");
            continue;
        }
        match ReportDescriptor::decode(&h.report_bytes) {
            Ok(r) => {
                b.text(0, format!("Report Descriptor: ({} bytes)", h.report_bytes.len()));
                b.text(1, r.dump_items());
                b.text(0, "Report layout (bit offsets from the start of the report):");
                b.text(1, r.dump_layout());
            }
            Err(e) => {
                b.text(0, format!("Report Descriptor: undecodable: {}", e.message));
            }
        }
    }
    b
}

// ---------------------------------------------------------------- the class boundary

impl ClassDescriptor for HidDescriptor {
    fn class(&self) -> &'static str {
        "hid"
    }
    fn encode(&self, _tail: &[InterfaceItem], out: &mut Vec<u8>) {
        out.extend_from_slice(&descriptor(self));
    }
    fn lengths(&self, _itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        vec![
            ("the HID report descriptor".into(), self.report_bytes.len(), 0xffff, self.spans.at("report")),
            ("the HID descriptor".into(), 9 + 3 * self.extra_descriptors.len(), 255, self.spans.at("descriptors")),
        ]
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self, _tail: &[InterfaceItem]) -> Option<TomlTable> {
        let mut kv = vec![("bcd_hid".into(), crate::names::bcd_toml(self.bcd_hid)), ("country_code".into(), self.country_code.to_string())];
        if let Some(r) = &self.report {
            kv.push(("report".into(), crate::hid::toml::tidy(&toml::Value::Table(r.to_toml()).to_string())));
        }
        if let Some(n) = self.report_length_override {
            kv.push(("report_length".into(), n.to_string()));
        }
        if !self.extra_descriptors.is_empty() {
            let items: Vec<String> = self.extra_descriptors.iter().map(|(t, l)| format!("{{ type = {t:#04x}, length = {l} }}")).collect();
            kv.push(("descriptors".into(), format!("[{}]", items.join(", "))));
        }
        Some(TomlTable { key: "hid", array: false, kv, consumed: 1 })
    }
    #[cfg(feature = "emit")]
    fn toml_allow(&self) -> Vec<&'static str> {
        self.report.as_ref().map(|r| r.written_form_errors()).unwrap_or_default()
    }
    #[cfg(feature = "emit")]
    fn json_computed(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert("report_length".into(), self.report_length().into());
        m.insert("descriptor".into(), crate::spec::hex(&descriptor(self)).into());
        if let Some(r) = &self.report {
            m.insert("report".into(), r.to_json());
        }
        m
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        Some(describe(self, bytes))
    }
}

impl UsbClass for Hid {
    fn name(&self) -> &'static str {
        "hid"
    }
    fn key_docs(&self) -> &'static str {
        include_str!("hid.keys.txt")
    }
    fn keys(&self) -> &'static [&'static str] {
        &["hid"]
    }
    fn lift(&self, itf: &mut Interface) {
        lift(itf)
    }
    fn reader(&self, _cx: &InterfaceCx, _tables: Tables<'_, '_, '_>, _d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(Stateless(|_: &InterfaceCx, _: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics| vec![read(t, d).into()]))
    }
    /// A HID class descriptor the decoder left with an endpoint (Linux's usbhid looks there too).
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        if cx.class != class::HID {
            return None;
        }
        parse(bytes, Spans::default()).map(|h| describe(&h, bytes))
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check(dev, d)
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        use crate::schema_parts::*;
        use serde_json::json;
        (key == "hid").then(|| {
            table("the HID class descriptor of a HID interface", KEYS, &[], |k| match k {
                "bcd_hid" => bcd(),
                "country_code" => byte(),
                "report" => json!({ "$ref": "#/$defs/report" }),
                "report_length" => int(0, 0xffff),
                "descriptors" => one_or_many("descriptors", table("a further class descriptor listed in the HID descriptor", DESCRIPTOR_KEYS, &["type", "length"], |k| {
                    if k == "type" { byte() } else { int(0, 0xffff) }
                })),
                _ => json!({}),
            })
        })
    }
}

/// HID report lints, run with what the interface knows (interrupt endpoint sizes).
pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces() {
            for item in &itf.items {
                let Some(h) = item.class::<HidDescriptor>() else { continue };
                let Some(report) = &h.report else { continue };
                let ep = |dir: Direction| itf.endpoints().find(|e| e.direction == dir && e.transfer == Transfer::Interrupt);
                let ctx = crate::hid::AttachContext {
                    in_max_packet: ep(Direction::In).map(|e| e.packet_size()),
                    out_max_packet: ep(Direction::Out).map(|e| e.packet_size()),
                    in_endpoint_span: ep(Direction::In).and_then(|e| e.spans.table),
                    out_endpoint_span: ep(Direction::Out).and_then(|e| e.spans.table),
                    speed_max_packet: Some(dev.target.profile().max_packet_interrupt_bulk),
                };
                report.check(&ctx, d);
            }
        }
    }
}
