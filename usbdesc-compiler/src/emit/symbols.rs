//! The names the C, TinyUSB and MicroPython back ends give to interface numbers, endpoint
//! addresses, string indices and HID reports, computed once: each back end only adds its prefix
//! and syntax (`enum`/`#define` in C, `const()` in MicroPython).

use crate::class::hid::HidInterfaceInfo;
use crate::encode;
use crate::hid::{Layout, ReportDescriptor, ReportKind};
use crate::model::*;
use crate::names::{self, name_of};

/// An identifier fragment: upper case, every run of other characters one `_`.
pub fn ident(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let t = out.trim_matches('_').to_string();
    if t.is_empty() { "X".into() } else { t }
}

/// Names that stay unique by appending `_2`, `_3`, ...
#[derive(Default)]
struct Names(Vec<String>);

impl Names {
    fn unique(&mut self, base: String) -> String {
        let mut n = base.clone();
        let mut k = 2;
        while self.0.contains(&n) {
            n = format!("{base}_{k}");
            k += 1;
        }
        self.0.push(n.clone());
        n
    }
}

fn class_name(class: u8) -> String {
    match name_of(names::CLASSES, class) {
        Some(n) => ident(n),
        None => format!("CLASS_{class:02X}"),
    }
}

/// The interface's base name: its string text, else its class name.
pub fn interface_name(dev: &Device, i: &Interface) -> String {
    match i.name.text.as_deref().or_else(|| dev.string(i.name.index)) {
        Some(t) => ident(t),
        None => class_name(i.class),
    }
}

/// Interface numbers and endpoint addresses of configuration 1: (`ITF_<name>`, number) and
/// (`EP_<name>_IN|OUT`, address with the direction bit), each number once.
pub fn interfaces_and_endpoints(dev: &Device) -> (Vec<(String, u8)>, Vec<(String, u8)>) {
    let (mut itf_names, mut ep_names) = (Names::default(), Names::default());
    let (mut itfs, mut eps): (Vec<(String, u8)>, Vec<(String, u8)>) = (Vec::new(), Vec::new());
    if let Some(c) = dev.configurations.first() {
        for i in c.interfaces() {
            let base = interface_name(dev, i);
            if !itfs.iter().any(|x| x.1 == i.number) {
                itfs.push((itf_names.unique(format!("ITF_{base}")), i.number));
            }
            for e in i.endpoints() {
                if eps.iter().any(|x| x.1 == e.address()) {
                    continue;
                }
                let dir = if e.direction == Direction::In { "IN" } else { "OUT" };
                eps.push((ep_names.unique(format!("EP_{base}_{dir}")), e.address()));
            }
        }
    }
    (itfs, eps)
}

/// String indices: (`STR_LANGIDS`, 0), (`STR_MANUFACTURER`, i), ... each index once.
pub fn string_indices(dev: &Device) -> Vec<(String, u8)> {
    let mut strs: Vec<(String, u8)> = vec![("STR_LANGIDS".into(), 0)];
    let mut names = Names::default();
    let mut add = |what: String, s: &StrRef| {
        if s.index == 0 || strs.iter().any(|x| x.1 == s.index) {
            return;
        }
        strs.push((names.unique(format!("STR_{what}")), s.index));
    };
    add("MANUFACTURER".into(), &dev.manufacturer);
    add("PRODUCT".into(), &dev.product);
    add("SERIAL".into(), &dev.serial);
    for c in &dev.configurations {
        add(format!("CONFIGURATION_{}", c.value), &c.name);
        for item in &c.items {
            match item {
                ConfigItem::Association(a) => add(format!("FUNCTION_{}", a.first_interface), &a.name),
                ConfigItem::Interface(i) => add(format!("ITF_{}", interface_name(dev, i)), &i.name),
                ConfigItem::Raw(_) => {}
            }
        }
    }
    strs
}

pub fn kind_name(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Input => "INPUT",
        ReportKind::Output => "OUTPUT",
        ReportKind::Feature => "FEATURE",
    }
}

/// Report ID and length names of one report descriptor (lengths in bytes on the wire, ID byte
/// included): `USES_REPORT_IDS`; `INPUT_LEN` without report IDs, `FEATURE_2_ID` / `FEATURE_2_LEN`
/// with them; `MAX_<KIND>_LEN` (0: no such report).
pub fn report_values(layout: &Layout) -> Vec<(String, u64)> {
    let mut v = vec![("USES_REPORT_IDS".to_string(), u64::from(layout.reports.iter().any(|r| r.id.is_some())))];
    for r in &layout.reports {
        let k = kind_name(r.kind);
        match r.id {
            Some(id) => {
                v.push((format!("{k}_{id}_ID"), id.into()));
                v.push((format!("{k}_{id}_LEN"), r.bytes));
            }
            None => v.push((format!("{k}_LEN"), r.bytes)),
        }
    }
    for k in ReportKind::ALL {
        let max = layout.reports.iter().filter(|r| r.kind == k).map(|r| r.bytes).max().unwrap_or(0);
        v.push((format!("MAX_{}_LEN", kind_name(k)), max));
    }
    v
}

/// The layout of report descriptor bytes (empty when they do not decode).
pub fn report_layout(bytes: &[u8]) -> Layout {
    ReportDescriptor::decode(bytes).map(|r| r.layout()).unwrap_or_default()
}

/// The symbol tag of a HID interface (`2`, `2_CFG2`, `2_ALT1`).
pub fn hid_tag(dev: &Device, h: &HidInterfaceInfo) -> String {
    let alt = if h.alternate != 0 { format!("_ALT{}", h.alternate) } else { String::new() };
    let cfg = if dev.configurations.len() > 1 { format!("_CFG{}", h.configuration) } else { String::new() };
    format!("{}{cfg}{alt}", h.interface)
}

/// The HID interfaces of configuration 1, alternate setting 0, with a report descriptor, in
/// descriptor order (TinyUSB's HID instances 0, 1, ...; the MicroPython module's HID table).
pub fn hid_instances(dev: &Device) -> Vec<HidInterfaceInfo> {
    let first = dev.configurations.first().map(|c| c.value);
    dev.hid_interfaces().into_iter().filter(|h| Some(h.configuration) == first && h.alternate == 0 && !h.report.is_empty()).collect()
}

/// bNumInterfaces of configuration 1.
pub fn interface_count(dev: &Device) -> usize {
    if dev.configurations.is_empty() { 0 } else { encode::num_interfaces(dev, 0) }
}
