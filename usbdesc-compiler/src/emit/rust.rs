//! The Rust back end: the one generator of Rust source text, used by `include_device!`,
//! `#[hid_report]`, `usbdesc build --emit rust` and build scripts ([`crate::build`]).
//!
//! * [`device_module`]: a compiled TOML device as items (consts of every descriptor, a
//!   `pub static DEVICE: usbdesc_runtime::DeviceDescriptors`, and per HID interface a module
//!   `hidN` with its report descriptor and typed report structs).
//! * [`hid_reports`]: `#[hid_report]` declarations → descriptor bytes and report impls.
//! * [`report`]: the report struct / pack / unpack generator both share.

pub mod report;

pub use report::Options;

use crate::diag::{Diagnostic, Diagnostics};
use crate::frontend::rust::{lower, LoweredReport, ReportDecl};
use crate::hid::item::ReportKind;
use crate::hid::{AttachContext, ReportDescriptor};
#[cfg(feature = "device")]
use crate::{model::Device, tables::RuntimeTables};
use report::{FieldTy, ReportField, ReportType};
use std::fmt::Write;

/// `[0x12, 0x01, ...]`, 16 bytes a line.
pub fn byte_array(bytes: &[u8]) -> String {
    let mut s = String::from("[");
    for (i, b) in bytes.iter().enumerate() {
        if i % 16 == 0 {
            s.push_str("\n    ");
        } else {
            s.push(' ');
        }
        let _ = write!(s, "0x{b:02X},");
    }
    if !bytes.is_empty() {
        s.push('\n');
    }
    s.push(']');
    s
}

/// How `#[hid_report]` output is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One struct on its own: `DESCRIPTOR` is an associated const of the struct.
    Single,
    /// Several structs in one module (`#[hid_descriptor] mod m { .. }`): `DESCRIPTOR`,
    /// `REPORT_IDS` and the dispatch enums `Output` / `Feature` are module items.
    Module,
}

/// What [`hid_reports`] produced.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Items to append after the structs.
    pub code: String,
    /// The report descriptor bytes.
    pub descriptor: Vec<u8>,
    /// What each struct became (the macro strips padding fields using this).
    pub reports: Vec<LoweredReport>,
    /// Warnings (lints) that did not stop generation.
    pub warnings: Vec<Diagnostic>,
}

fn kind_name(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Input => "Input",
        ReportKind::Output => "Output",
        ReportKind::Feature => "Feature",
    }
}

/// Compile `#[hid_report]` declarations: lower to the field form, compile and lint with the HID
/// core, lay out, and generate the report types. Errors come back with the caller's spans.
pub fn hid_reports(decls: &[ReportDecl], mode: Mode, o: &Options) -> Result<Generated, Diagnostics> {
    let mut d = Diagnostics::new();
    let Some((nodes, lowered)) = lower(decls, &mut d) else { return Err(d) };
    let rd = ReportDescriptor::from_fields(nodes, &mut d);
    // Lint only what compiled cleanly: after a compile error the lints restate it.
    if !d.has_errors() {
        rd.check(&AttachContext::default(), &mut d);
    }
    if d.has_errors() {
        return Err(d);
    }
    let descriptor = rd.encode();
    let layout = rd.layout();
    let mut code = String::new();
    let mut all_types: Vec<ReportType> = Vec::new();
    for r in &lowered {
        let mut kinds: Vec<ReportKind> = Vec::new();
        for f in &r.fields {
            if !kinds.contains(&f.kind) {
                kinds.push(f.kind);
            }
        }
        let single = kinds.len() == 1;
        for kind in kinds {
            let Some(lr) = layout.report(kind, r.report_id.map(u32::from)) else { continue };
            let mut fields = Vec::new();
            for f in r.fields.iter().filter(|f| f.kind == kind && !f.padding) {
                let Some(lf) = lr.fields.iter().find(|x| x.span == Some(f.span)) else {
                    d.push(Diagnostic::error(crate::frontend::rust::codes::INTERNAL, format!("internal: no layout for field `{}`", f.name)).at(f.span));
                    continue;
                };
                fields.push(ReportField {
                    name: f.name.clone(),
                    ty: FieldTy { scalar: f.scalar, array: f.array },
                    bit_offset: lf.bit_offset,
                    // A scalar over several elements holds them as packed bits.
                    bits: if f.array.is_none() { lf.bits * lf.count } else { lf.bits },
                    doc: None,
                });
            }
            let name = if single { r.name.clone() } else { format!("{}{}", r.name, kind_name(kind)) };
            let t = ReportType {
                name,
                kind,
                id: r.report_id.unwrap_or(0),
                len: lr.bytes as usize,
                interface: None,
                fields,
                doc: Some(format!("The {} report of [`{}`] ({} on the wire).", kind.key(), r.name, report::n_bytes(lr.bytes as u64))),
            };
            if !single {
                code.push_str(&report::struct_def(&t));
            }
            code.push_str(&report::impls(&t, o));
            all_types.push(t);
        }
        if mode == Mode::Single {
            let _ = writeln!(code, "impl {} {{", r.name);
            let _ = writeln!(code, "    /// The HID report descriptor ({} bytes).", descriptor.len());
            let _ = writeln!(code, "    pub const DESCRIPTOR: [u8; {}] = {};", descriptor.len(), byte_array(&descriptor));
            code.push_str("}\n");
        }
    }
    if d.has_errors() {
        return Err(d);
    }
    if mode == Mode::Module {
        let _ = writeln!(code, "/// The HID report descriptor of every report in this module ({} bytes).", descriptor.len());
        let _ = writeln!(code, "pub const DESCRIPTOR: [u8; {}] = {};", descriptor.len(), byte_array(&descriptor));
        let ids: Vec<u8> = lowered.iter().filter_map(|r| r.report_id).collect();
        let _ = writeln!(code, "/// Report IDs in declaration order.");
        let _ = writeln!(code, "pub const REPORT_IDS: [u8; {}] = {:?};", ids.len(), ids);
        for (kind, name) in [(ReportKind::Output, "Output"), (ReportKind::Feature, "Feature")] {
            let of: Vec<&ReportType> = all_types.iter().filter(|t| t.kind == kind).collect();
            if !of.is_empty() {
                code.push_str(&report::dispatch_enum(name, kind, &of, o));
            }
        }
    }
    Ok(Generated { code, descriptor, reports: lowered, warnings: d.into_vec() })
}

/// A compiled device as Rust items: consts for every descriptor, `pub static DEVICE`, and a
/// module `hidN` per HID interface (N = interface number) with its report types. Prints the
/// [`RuntimeTables`] of the device.
#[cfg(feature = "device")]
pub fn device_module(dev: &Device, o: &Options) -> String {
    let t = RuntimeTables::from_device(dev);
    let rt = &o.runtime;
    let mut s = String::new();
    let _ = writeln!(s, "// Generated by usbdesc from the device description; do not edit.");
    let dd = &t.device;
    let _ = writeln!(s, "/// DEVICE descriptor.");
    let _ = writeln!(s, "pub const DEVICE_DESCRIPTOR: [u8; {}] = {};", dd.len(), byte_array(dd));
    for (i, c) in t.configurations.iter().enumerate() {
        let suffix = if i == 0 { String::new() } else { format!("_{}", i + 1) };
        let _ = writeln!(s, "/// CONFIGURATION {} bundle (wTotalLength bytes).", i + 1);
        let _ = writeln!(s, "pub const CONFIGURATION_DESCRIPTOR{suffix}: [u8; {}] = {};", c.len(), byte_array(c));
    }
    if let Some(b) = &t.bos {
        let _ = writeln!(s, "/// BOS descriptor with its device capabilities.");
        let _ = writeln!(s, "pub const BOS_DESCRIPTOR: [u8; {}] = {};", b.len(), byte_array(b));
    }
    if let Some(q) = &t.device_qualifier {
        let _ = writeln!(s, "/// DEVICE_QUALIFIER descriptor (the device also runs at the other speed).");
        let _ = writeln!(s, "pub const DEVICE_QUALIFIER_DESCRIPTOR: [u8; {}] = {};", q.len(), byte_array(q));
    }
    if let Some(o) = &t.other_speed_configuration {
        let _ = writeln!(s, "/// OTHER_SPEED_CONFIGURATION bundle of configuration 1.");
        let _ = writeln!(s, "pub const OTHER_SPEED_CONFIGURATION_DESCRIPTOR: [u8; {}] = {};", o.len(), byte_array(o));
    }
    if let Some((code, set)) = &t.msos20 {
        let _ = writeln!(s, "/// Microsoft OS 2.0 descriptor set (vendor request {code:#04x}, wIndex 7).");
        let _ = writeln!(s, "pub const MSOS20_DESCRIPTOR_SET: [u8; {}] = {};", set.len(), byte_array(set));
    }
    if let Some((code, url)) = &t.webusb_url {
        let _ = writeln!(s, "/// WebUSB landing page (GET_URL), served from `DEVICE.webusb`.");
        let _ = writeln!(s, "pub const WEBUSB_URL: {rt}::WebUsbUrl = {rt}::WebUsbUrl {{ vendor_code: {code:#04x}, url: &{} }};", byte_array(url));
    }
    let _ = writeln!(s, "/// Every string descriptor: (index, LANGID) → bytes; index 0 is the LANGID list.");
    let _ = writeln!(s, "pub static STRINGS: [{rt}::StringDescriptor; {}] = [", t.strings.len());
    for st in &t.strings {
        let _ = writeln!(
            s,
            "    {rt}::StringDescriptor {{ index: {}, langid: 0x{:04X}, bytes: &{} }},",
            st.index,
            st.langid,
            byte_array(&st.bytes).replace('\n', " ")
        );
    }
    s.push_str("];\n");

    let _ = writeln!(s, "/// Every interface number of configuration 1.");
    let _ = writeln!(s, "pub static INTERFACES: [{rt}::InterfaceInfo; {}] = [", t.interfaces.len());
    for i in &t.interfaces {
        let _ = writeln!(
            s,
            "    {rt}::InterfaceInfo {{ number: {}, alt_settings: {}, class: 0x{:02X}, subclass: 0x{:02X}, protocol: 0x{:02X}, builtin: {} }},",
            i.number, i.alt_settings, i.class, i.subclass, i.protocol, i.builtin
        );
    }
    s.push_str("];\n");
    let _ = writeln!(s, "/// Every endpoint of configuration 1 (all alternate settings).");
    let _ = writeln!(s, "pub static ENDPOINTS: [{rt}::EndpointInfo; {}] = [", t.endpoints.len());
    for e in &t.endpoints {
        let _ = writeln!(
            s,
            "    {rt}::EndpointInfo {{ address: 0x{:02X}, interface: {}, alt_setting: {}, transfer: {rt}::TransferType::{}, attributes: 0x{:02X}, max_packet_size: {}, interval: {}, builtin: {} }},",
            e.address,
            e.interface,
            e.alt_setting,
            e.transfer_name(),
            e.attributes,
            e.max_packet_size,
            e.interval,
            e.builtin
        );
    }
    s.push_str("];\n");

    let mut hid_entries = Vec::new();
    for h in &t.hid {
        let n = h.interface;
        let _ = writeln!(s, "/// HID interface {n}: descriptors and typed reports.");
        let _ = writeln!(s, "pub mod hid{n} {{");
        let _ = writeln!(s, "/// The HID class descriptor (type 0x21), as inside the configuration.");
        let _ = writeln!(s, "pub const HID_DESCRIPTOR: [u8; {}] = {};", h.hid_descriptor.len(), byte_array(&h.hid_descriptor));
        let _ = writeln!(s, "/// The report descriptor (type 0x22).");
        let _ = writeln!(s, "pub const REPORT_DESCRIPTOR: [u8; {}] = {};", h.report_descriptor.len(), byte_array(&h.report_descriptor));
        let _ = writeln!(s, "/// Every report in descriptor order.");
        let _ = writeln!(s, "pub static REPORTS: [{rt}::ReportInfo; {}] = [", h.reports.len());
        for r in &h.reports {
            let _ = writeln!(s, "    {rt}::ReportInfo {{ kind: {rt}::ReportKind::{}, id: {}, len: {} }},", kind_name(r.kind), r.id, r.len);
        }
        s.push_str("];\n");
        if let Some(b) = &h.boot_input {
            let _ = writeln!(s, "/// Where each byte of the boot input report comes from (input report {}).", b.id);
            let _ = writeln!(s, "pub static BOOT_INPUT: [{rt}::BootByte; {}] = [", b.bytes.len());
            for x in &b.bytes {
                let _ = writeln!(s, "    {rt}::BootByte {{ bit_offset: {}, bits: {}, signed: {} }},", x.bit_offset, x.bits, x.signed);
            }
            s.push_str("];\n");
        }
        for r in &h.layout.reports {
            if r.bytes > crate::hid::lint::MAX_REPORT_BYTES {
                // Lint error UD4159 (a decoded blob keeps its model despite it): no typed struct
                // for a report no host accepts (its `[u8; LEN]` alone could be gigabytes).
                let _ = writeln!(s, "// {} is {} bytes, over the {} a host accepts (UD4159): no typed report.", report::layout_type_name(r), r.bytes, crate::hid::lint::MAX_REPORT_BYTES);
                continue;
            }
            let ty = report::from_layout(r, &report::layout_type_name(r), Some(n));
            s.push_str(&report::struct_def(&ty));
            s.push_str(&report::impls(&ty, o));
        }
        s.push_str("}\n");
        hid_entries.push(format!(
            "    {rt}::HidInterface {{ interface: {n}, hid_descriptor: {}, report_descriptor: &hid{n}::REPORT_DESCRIPTOR, in_endpoint: 0x{:02X}, out_endpoint: {}, boot: {rt}::BootProtocol::{}, boot_input: {}, reports: &hid{n}::REPORTS }},",
            match t.configurations.first().and_then(|c| hid_descriptor_at(c, h)) {
                // The bytes inside the configuration bundle (no second copy in flash).
                // (The compiler merges this copy of the constant with `DEVICE.configuration`'s.)
                Some(at) => format!("CONFIGURATION_DESCRIPTOR.split_at({at}).1.split_at({}).0", h.hid_descriptor.len()),
                None => format!("&hid{n}::HID_DESCRIPTOR"),
            },
            h.in_endpoint,
            match h.out_endpoint {
                Some(a) => format!("::core::option::Option::Some(0x{a:02X})"),
                None => "::core::option::Option::None".into(),
            },
            h.boot.name(),
            match &h.boot_input {
                Some(b) => format!("::core::option::Option::Some({rt}::BootInput {{ id: {}, bytes: &hid{n}::BOOT_INPUT }})", b.id),
                None => "::core::option::Option::None".into(),
            }
        ));
    }
    let _ = writeln!(s, "/// Every HID interface the runtime drives.");
    let _ = writeln!(s, "pub static HID: [{rt}::HidInterface; {}] = [", hid_entries.len());
    for e in &hid_entries {
        s.push_str(e);
        s.push('\n');
    }
    s.push_str("];\n");
    let _ = writeln!(s, "/// The whole device for `usbdesc_runtime::UsbdescClass`.");
    let _ = writeln!(s, "pub static DEVICE: {rt}::DeviceDescriptors = {rt}::DeviceDescriptors {{");
    let _ = writeln!(s, "    device: &DEVICE_DESCRIPTOR,");
    if t.configurations.is_empty() {
        let _ = writeln!(s, "    configuration: &[],");
    } else {
        let _ = writeln!(s, "    configuration: &CONFIGURATION_DESCRIPTOR,");
    }
    match &t.device_qualifier {
        Some(_) => {
            let _ = writeln!(s, "    device_qualifier: ::core::option::Option::Some(&DEVICE_QUALIFIER_DESCRIPTOR),");
        }
        None => {
            let _ = writeln!(s, "    device_qualifier: ::core::option::Option::None,");
        }
    }
    match &t.other_speed_configuration {
        Some(_) => {
            let _ = writeln!(s, "    other_speed_configuration: ::core::option::Option::Some(&OTHER_SPEED_CONFIGURATION_DESCRIPTOR),");
        }
        None => {
            let _ = writeln!(s, "    other_speed_configuration: ::core::option::Option::None,");
        }
    }
    if t.bos.is_some() {
        let _ = writeln!(s, "    bos: ::core::option::Option::Some(&BOS_DESCRIPTOR),");
    } else {
        let _ = writeln!(s, "    bos: ::core::option::Option::None,");
    }
    let _ = writeln!(s, "    strings: &STRINGS,");
    match &t.msos20 {
        Some((code, _)) => {
            let _ = writeln!(
                s,
                "    msos20: ::core::option::Option::Some({rt}::MsOs20 {{ vendor_code: {code:#04x}, descriptor_set: &MSOS20_DESCRIPTOR_SET }}),"
            );
        }
        None => {
            let _ = writeln!(s, "    msos20: ::core::option::Option::None,");
        }
    }
    if t.webusb_url.is_some() {
        let _ = writeln!(s, "    webusb: ::core::option::Option::Some(WEBUSB_URL),");
    } else {
        let _ = writeln!(s, "    webusb: ::core::option::Option::None,");
    }
    let _ = writeln!(s, "    interfaces: &INTERFACES,");
    let _ = writeln!(s, "    endpoints: &ENDPOINTS,");
    let _ = writeln!(s, "    hid: &HID,");
    match &t.builtin {
        Some(b) => {
            let _ = writeln!(
                s,
                "    builtin: ::core::option::Option::Some({rt}::BuiltinOffsets {{ itf_max: {}, ep_max: {}, str_max: {} }}),",
                b.itf_max, b.ep_max, b.str_max
            );
        }
        None => {
            let _ = writeln!(s, "    builtin: ::core::option::Option::None,");
        }
    }
    s.push_str("};\n");
    runtime_class_items(&t, rt, &mut s);
    s
}

/// Offset of HID interface `h`'s class descriptor inside configuration bundle `config`: the
/// first descriptor of type 0x21 after interface `h.interface`'s alternate setting 0, when its
/// bytes are `h.hid_descriptor`.
#[cfg(feature = "device")]
fn hid_descriptor_at(config: &[u8], h: &crate::tables::HidTable) -> Option<usize> {
    let mut ours = false;
    for (at, b) in crate::decode::split(config, 0).ok()? {
        match b.get(1) {
            Some(0x04) => ours = b.get(2..4) == Some(&[h.interface, 0][..]),
            Some(0x21) if ours => return (b == h.hid_descriptor.as_slice()).then_some(at),
            _ => {}
        }
    }
    None
}

/// What firmware needs beyond `DEVICE` to build the runtime class with no hand-written numbers:
/// the [`DeviceSource`](usbdesc_runtime) type that makes `DEVICE` a compile-time constant of the
/// class, `STATE_LEN` (report state bytes), `MAX_EP` (endpoint numbers the class allocates) and
/// the class type `Class<'a, B>` with those filled in.
#[cfg(feature = "device")]
fn runtime_class_items(t: &RuntimeTables, rt: &str, s: &mut String) {
    let max_ep = t.endpoints.iter().filter(|e| !e.builtin).map(|e| usize::from(e.address & 0x0F) + 1).max().unwrap_or(1);
    let _ = writeln!(s, "/// Bytes of HID report state the runtime keeps for `DEVICE`, rounded up to whole words.");
    let _ = writeln!(s, "pub const STATE_LEN: usize = DEVICE.state_len().next_multiple_of(4);");
    let _ = writeln!(s, "/// Endpoint numbers below this are the ones the runtime allocates (highest used + 1).");
    let _ = writeln!(s, "pub const MAX_EP: usize = {max_ep};");
    let _ = writeln!(s, "/// `DEVICE` as a compile-time constant of the runtime class (table walks fold away).");
    let _ = writeln!(s, "#[derive(Clone, Copy, Debug)]");
    let _ = writeln!(s, "pub enum Compiled {{}}");
    let _ = writeln!(s, "impl {rt}::DeviceSource for Compiled {{");
    let _ = writeln!(s, "    const DEVICE: ::core::option::Option<&'static {rt}::DeviceDescriptors> = ::core::option::Option::Some(&DEVICE);");
    s.push_str("}\n");
    let _ = writeln!(s, "/// The runtime class serving this device: `Class::new(&alloc, &DEVICE)`, after any built-in driver.");
    let _ = writeln!(s, "pub type Class<'a, B> = {rt}::UsbdescClass<'a, B, STATE_LEN, MAX_EP, Compiled>;");
}

/// Compile TOML text to Rust items ([`device_module`]); on errors, the rendered diagnostics
/// (`file:line:col: error[CODE]: ...` with the source snippet).
#[cfg(feature = "device")]
pub fn toml_to_rust(name: &str, text: &str, o: &Options) -> Result<String, String> {
    let c = crate::compile_str(name, text);
    match &c.device {
        Some(dev) => Ok(device_module(dev, o)),
        None => Err(c.render()),
    }
}

#[cfg(all(test, feature = "device"))]
mod tests {
    use super::*;

    /// Each HID interface's class descriptor is served from inside the configuration bundle: the
    /// offset found is where its bytes are (interface 2 after a CDC pair, too).
    #[test]
    fn hid_descriptor_is_a_slice_of_the_configuration() {
        for (file, offsets) in [("keyboard.toml", &[18usize][..]), ("feather-composite.toml", &[0][..])] {
            let path = format!("{}/../examples/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let c = crate::compile_str(&path, &text);
            let t = RuntimeTables::from_device(c.device.as_ref().unwrap());
            let config = &t.configurations[0];
            for (h, want) in t.hid.iter().zip(offsets) {
                let at = hid_descriptor_at(config, h).expect("found");
                assert_eq!(&config[at..at + h.hid_descriptor.len()], h.hid_descriptor.as_slice());
                if *want != 0 {
                    assert_eq!(at, *want);
                }
            }
            let code = device_module(c.device.as_ref().unwrap(), &Options::default());
            assert!(code.contains("hid_descriptor: CONFIGURATION_DESCRIPTOR.split_at("), "{code}");
        }
    }
}
