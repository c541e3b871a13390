//! CDC 1.2 (PSTN subclass, Abstract Control Model): the header, call management, ACM and union
//! functional descriptors of a communication interface (class 0x02), and what Linux's cdc_acm
//! needs to bind one.
//!
//! TOML: `[...cdc_acm]` writes the four descriptors in the usual order: `bcd_cdc` (1.20),
//! `call_management` (0), `acm_capabilities` (0x02), `data_interface` / `control` /
//! `subordinates` (default: this interface and the next).

use super::{InterfaceCx, InterfaceReader, Stateless, Tables, UsbClass};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;
use crate::spec::{cdc, class, hex, le16, subclass, u16_at, CS_INTERFACE};
use crate::tomlr::Table;

/// CDC ACM function that Linux's cdc_acm cannot bind.
pub const CDC_ACM: &str = "UD2015";

/// The class: CDC ACM.
pub struct Cdc;

/// CDC functional descriptors (CS_INTERFACE, CDC 1.2 PSTN subclass).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum CdcFunctional {
    Header { bcd_cdc: u16 },
    CallManagement { capabilities: u8, data_interface: u8 },
    Acm { capabilities: u8 },
    Union { control: u8, subordinates: Vec<u8> },
}

fn encode(out: &mut Vec<u8>, c: &CdcFunctional) {
    let mut b = Vec::new();
    match c {
        CdcFunctional::Header { bcd_cdc } => {
            b.push(cdc::HEADER);
            le16(&mut b, *bcd_cdc);
        }
        CdcFunctional::CallManagement { capabilities, data_interface } => {
            b.extend_from_slice(&[cdc::CALL_MANAGEMENT, *capabilities, *data_interface]);
        }
        CdcFunctional::Acm { capabilities } => b.extend_from_slice(&[cdc::ACM, *capabilities]),
        CdcFunctional::Union { control, subordinates } => {
            b.extend_from_slice(&[cdc::UNION, *control]);
            b.extend_from_slice(subordinates);
        }
    }
    crate::encode::desc(out, CS_INTERFACE, &b);
}

/// Turn raw CDC header / call management / ACM / union descriptors that appear in that order into
/// typed CDC functional descriptors.
fn lift(itf: &mut Interface) {
    if itf.class != class::CDC {
        return;
    }
    let is = |item: &InterfaceItem, subtype: u8, len: Option<usize>| match item {
        InterfaceItem::Raw(r) => {
            r.descriptor_type == CS_INTERFACE
                && r.data.first() == Some(&subtype)
                && len.is_none_or(|l| r.data.len() + 2 == l)
                && r.data.len() + 2 >= 4
        }
        _ => false,
    };
    let n = itf.items.len();
    let mut i = 0;
    while i + 4 <= n {
        let w = &itf.items[i..i + 4];
        if is(&w[0], cdc::HEADER, Some(5)) && is(&w[1], cdc::CALL_MANAGEMENT, Some(5)) && is(&w[2], cdc::ACM, Some(4)) && is(&w[3], cdc::UNION, None) && raw_len(&w[3]) >= 5 {
            let data = |k: usize| match &itf.items[i + k] {
                InterfaceItem::Raw(r) => r.data.clone(),
                _ => Vec::new(),
            };
            let (h, c, a, u) = (data(0), data(1), data(2), data(3));
            let typed = [
                CdcFunctional::Header { bcd_cdc: u16_at(&h, 1) },
                CdcFunctional::CallManagement { capabilities: c[1], data_interface: c[2] },
                CdcFunctional::Acm { capabilities: a[1] },
                CdcFunctional::Union { control: u[1], subordinates: u[2..].to_vec() },
            ];
            for (k, t) in typed.into_iter().enumerate() {
                itf.items[i + k] = t.into();
            }
            i += 4;
        } else {
            i += 1;
        }
    }
}

fn raw_len(item: &InterfaceItem) -> usize {
    match item {
        InterfaceItem::Raw(r) => r.data.len() + 2,
        _ => 0,
    }
}

pub const CDC_KEYS: &[&str] = &["bcd_cdc", "call_management", "data_interface", "acm_capabilities", "control", "subordinates"];

/// `cdc_acm = { ... }`: the four CDC-ACM functional descriptors (header, call management, ACM,
/// union) in the usual order, with interface numbers defaulting to this interface and the next.
fn read_cdc_acm(t: &Table<'_, '_>, number: u8, d: &mut Diagnostics) -> Vec<CdcFunctional> {
    let data_default = number.saturating_add(1);
    let bcd_cdc = t.get("bcd_cdc").and_then(|v| v.bcd(d)).unwrap_or(0x0120);
    let call = t.get("call_management").and_then(|v| v.u8(d)).unwrap_or(0);
    let data_interface = t.get("data_interface").and_then(|v| v.u8(d)).unwrap_or(data_default);
    let acm = t.get("acm_capabilities").and_then(|v| v.u8(d)).unwrap_or(0x02);
    let control = t.get("control").and_then(|v| v.u8(d)).unwrap_or(number);
    let subordinates = t
        .get("subordinates")
        .and_then(|v| v.array(d))
        .map(|items| items.iter().filter_map(|x| x.u8(d)).collect::<Vec<u8>>())
        .unwrap_or_else(|| vec![data_interface]);
    t.finish(CDC_KEYS, d);
    vec![
        CdcFunctional::Header { bcd_cdc },
        CdcFunctional::CallManagement { capabilities: call, data_interface },
        CdcFunctional::Acm { capabilities: acm },
        CdcFunctional::Union { control, subordinates },
    ]
}

/// CDC ACM: what Linux's cdc_acm needs to bind a communication interface (class 02, subclass 02):
/// an endpoint on the communication interface (its notification endpoint) and a data interface,
/// named by the union (or call management) functional descriptor, with two endpoints (bulk IN and
/// OUT). Without them cdc_acm's probe fails and the serial port does not exist (observed by the
/// real-host harness, `tests/verdicts/config.tsv`).
pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces().filter(|i| i.alternate == 0 && i.class == class::CDC && i.subclass == subclass::CDC_ACM && i.protocol <= 6) {
            if let Some(p) = problem(c, itf) {
                d.push(crate::diag::linux::driver_rejects(
                    "cdc_acm",
                    Diagnostic::error(CDC_ACM, format!("CDC ACM interface {}: {p}", itf.number))
                        .at(itf.spans.table)
                        .help("a CDC ACM function is a communication interface with an interrupt IN endpoint, a union descriptor, and a data interface (class 0x0a) with a bulk IN and a bulk OUT endpoint"),
                    "probe of the interface fails (\"cdc_acm: probe of 1-1:1.0 failed with error -22\", or silently with -19): no ttyACM device",
                ));
            }
        }
    }
}

fn problem(c: &Configuration, comm: &Interface) -> Option<String> {
    let data_number = functional(comm, cdc::UNION).or_else(|| functional(comm, cdc::CALL_MANAGEMENT));
    // Without either descriptor cdc_acm only takes a "castrated" device: three endpoints on the
    // communication interface itself.
    let Some(data_number) = data_number else {
        return (comm.endpoints().count() != 3)
            .then(|| "no union or call management functional descriptor names its data interface".to_string());
    };
    if comm.endpoints().count() == 0 {
        return Some("the communication interface has no (notification) endpoint".into());
    }
    let Some(data) = c.interfaces().find(|i| i.number == data_number && i.alternate == 0) else {
        return Some(format!("its data interface {data_number} does not exist"));
    };
    let n = data.endpoints().count();
    (n < 2).then(|| format!("its data interface {data_number} has {n} endpoint{}, it needs 2", if n == 1 { "" } else { "s" }))
}

/// The interface number a union (subtype 6: its first subordinate) or call management (subtype 1:
/// bDataInterface) functional descriptor names, typed or still raw (the decoder types them only in
/// the usual order).
fn functional(itf: &Interface, subtype: u8) -> Option<u8> {
    itf.items.iter().find_map(|i| match (i, subtype) {
        (InterfaceItem::Class(c), _) => match (c.downcast_ref::<CdcFunctional>(), subtype) {
            (Some(CdcFunctional::Union { subordinates, .. }), cdc::UNION) => subordinates.first().copied(),
            (Some(CdcFunctional::CallManagement { data_interface, .. }), cdc::CALL_MANAGEMENT) => Some(*data_interface),
            _ => None,
        },
        (InterfaceItem::Raw(r), _) if r.descriptor_type == CS_INTERFACE && r.data.first() == Some(&subtype) => {
            r.data.get(2).copied()
        }
        _ => None,
    })
}

/// How `usbdesc dump` shows a CDC functional descriptor (typed or raw; `d` from bLength on).
fn describe(d: &[u8]) -> DumpBlock {
    let at = |i: usize| d.get(i).copied().unwrap_or(0);
    let (name, fields): (&str, Vec<(&str, String)>) = match at(2) {
        cdc::HEADER => ("CDC Header", vec![("bcdCDC", crate::names::format_bcd(u16_at(d, 3)).unwrap_or_else(|| format!("0x{:04x}", u16_at(d, 3))))]),
        cdc::CALL_MANAGEMENT => {
            ("CDC Call Management", vec![("bmCapabilities", format!("0x{:02x}", at(3))), ("bDataInterface", at(4).to_string())])
        }
        cdc::ACM => ("CDC ACM", vec![("bmCapabilities", format!("0x{:02x}", at(3)))]),
        cdc::UNION => ("CDC Union", vec![
            ("bControlInterface", at(3).to_string()),
            ("bSubordinateInterface", d.get(4..).map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")).unwrap_or_default()),
        ]),
        _ => ("CDC functional descriptor", vec![("data", hex(d.get(3..).unwrap_or(&[])))]),
    };
    let mut b = DumpBlock::new(name, "CS_INTERFACE");
    b.field("bDescriptorSubtype", at(2), "");
    for (k, v) in fields {
        b.field(k, v, "");
    }
    b
}

// ---------------------------------------------------------------- the class boundary

impl ClassDescriptor for CdcFunctional {
    fn class(&self) -> &'static str {
        "cdc"
    }
    fn encode(&self, _tail: &[InterfaceItem], out: &mut Vec<u8>) {
        encode(out, self)
    }
    fn lengths(&self, itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        match self {
            CdcFunctional::Union { subordinates, .. } => {
                vec![("the CDC union descriptor".into(), 4 + subordinates.len(), 255, itf.spans.at("cdc_acm"))]
            }
            _ => Vec::new(),
        }
    }
    /// The `cdc_acm` table when this header starts the four descriptors it stands for.
    #[cfg(feature = "emit")]
    fn to_toml(&self, tail: &[InterfaceItem]) -> Option<TomlTable> {
        let bcd_cdc = match self {
            CdcFunctional::Header { bcd_cdc } => *bcd_cdc,
            _ => return None,
        };
        let typed = |k: usize| tail.get(k).and_then(|i| i.class::<CdcFunctional>());
        let (
            Some(CdcFunctional::CallManagement { capabilities, data_interface }),
            Some(CdcFunctional::Acm { capabilities: acm }),
            Some(CdcFunctional::Union { control, subordinates }),
        ) = (typed(0), typed(1), typed(2))
        else {
            return None;
        };
        let kv = vec![
            ("bcd_cdc".into(), crate::names::bcd_toml(bcd_cdc)),
            ("call_management".into(), format!("{capabilities:#04x}")),
            ("data_interface".into(), data_interface.to_string()),
            ("acm_capabilities".into(), format!("{acm:#04x}")),
            ("control".into(), control.to_string()),
            ("subordinates".into(), format!("[{}]", subordinates.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))),
        ];
        Some(TomlTable { key: "cdc_acm", array: false, kv, consumed: 4 })
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        Some(describe(bytes))
    }
}

impl UsbClass for Cdc {
    fn name(&self) -> &'static str {
        "cdc"
    }
    fn key_docs(&self) -> &'static str {
        include_str!("cdc.keys.txt")
    }
    fn keys(&self) -> &'static [&'static str] {
        &["cdc_acm"]
    }
    fn lift(&self, itf: &mut Interface) {
        lift(itf)
    }
    fn reader(&self, _cx: &InterfaceCx, _tables: Tables<'_, '_, '_>, _d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(Stateless(|cx: &InterfaceCx, _: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics| {
            read_cdc_acm(t, cx.number, d).into_iter().map(InterfaceItem::from).collect()
        }))
    }
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        (cx.class == class::CDC && bytes.len() >= 3 && bytes[1] == CS_INTERFACE).then(|| describe(bytes))
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check(dev, d)
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        use crate::schema_parts::*;
        (key == "cdc_acm").then(|| {
            table("the four CDC-ACM functional descriptors (header, call management, ACM, union)", CDC_KEYS, &[], |k| match k {
                "bcd_cdc" => bcd(),
                "subordinates" => serde_json::json!({ "type": "array", "items": byte() }),
                _ => byte(),
            })
        })
    }
}
