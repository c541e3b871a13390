//! `usbdesc dump`: an `lsusb -v`-like tree of the encoded descriptors, every field named and
//! decoded, with HID report descriptors item by item and a bit-layout table per report.
//!
//! The tree is a view of the model, the one decoder's output for a blob (or the TOML front end's
//! for a device file): every descriptor is shown from its model node with the bytes the encoder
//! gives it (so overrides show as they go on the wire); the built-in driver's prefix is read by the
//! decoder. Class-specific descriptors are shown by their class (`usbdesc_compiler::class`).

use std::fmt::Write;
use usbdesc_compiler::decode;
use usbdesc_compiler::class::{DumpBlock, DumpLine, InterfaceCx};
use usbdesc_compiler::encode;
use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_compiler::model::{ConfigItem, Device, Direction, Endpoint, Interface, InterfaceItem, RawDescriptor, Transfer};
use usbdesc_compiler::spec::{capability::PLATFORM, hex, u16_at, INTERFACE_ASSOCIATION};
use usbdesc_compiler::names::{self, format_bcd, name_of};

struct Out {
    s: String,
    depth: usize,
}

impl Out {
    fn line(&mut self, text: impl AsRef<str>) {
        let _ = writeln!(self.s, "{}{}", "  ".repeat(self.depth), text.as_ref());
    }
    /// `name value description`, lsusb style.
    fn field(&mut self, name: &str, value: impl std::fmt::Display, desc: impl AsRef<str>) {
        let desc = desc.as_ref();
        let pad = 24usize.saturating_sub(2 * self.depth).max(20);
        let text = format!("{name:<pad$}{value:>7}");
        if desc.is_empty() {
            self.line(text);
        } else {
            self.line(format!("{text}  {desc}"));
        }
    }
    /// Indented block of text (report dumps).
    fn block(&mut self, text: &str) {
        for l in text.lines() {
            if l.is_empty() {
                self.s.push('\n');
            } else {
                self.line(l);
            }
        }
    }
}

fn bcd(v: u16) -> String {
    format_bcd(v).unwrap_or_else(|| format!("0x{v:04x}"))
}

fn class_desc(class: u8) -> String {
    name_of(names::CLASSES, class).map(str::to_string).unwrap_or_else(|| "unknown class".into())
}

fn sub_desc(class: u8, sub: u8) -> String {
    name_of(names::subclass_names(class), sub).map(str::to_string).unwrap_or_default()
}

fn proto_desc(class: u8, sub: u8, proto: u8) -> String {
    name_of(names::protocol_names(class, sub), proto).map(str::to_string).unwrap_or_default()
}

fn string_desc(dev: &Device, index: u8) -> String {
    match (index, dev.string(index)) {
        (0, _) => String::new(),
        (_, Some(t)) => t.to_string(),
        (_, None) if dev.builtin.as_ref().is_some_and(|b| index < b.str_max) => "(built-in driver string)".into(),
        (_, None) => "(string not declared)".into(),
    }
}

/// The text dump of a device.
pub fn device(dev: &Device) -> String {
    let mut o = Out { s: String::new(), depth: 0 };
    let d = encode::device_descriptor(dev);
    o.line("Device Descriptor:");
    o.depth = 1;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], "DEVICE");
    o.field("bcdUSB", bcd(u16_at(&d, 2)), "");
    o.field("bDeviceClass", d[4], if d[4] == 0 { "defined per interface".to_string() } else { class_desc(d[4]) });
    o.field("bDeviceSubClass", d[5], sub_desc(d[4], d[5]));
    o.field("bDeviceProtocol", d[6], proto_desc(d[4], d[5], d[6]));
    o.field("bMaxPacketSize0", d[7], "");
    o.field("idVendor", format!("0x{:04x}", u16_at(&d, 8)), "");
    o.field("idProduct", format!("0x{:04x}", u16_at(&d, 10)), "");
    o.field("bcdDevice", bcd(u16_at(&d, 12)), "");
    o.field("iManufacturer", d[14], string_desc(dev, d[14]));
    o.field("iProduct", d[15], string_desc(dev, d[15]));
    o.field("iSerialNumber", d[16], string_desc(dev, d[16]));
    o.field("bNumConfigurations", d[17], "");
    for ci in 0..dev.configurations.len() {
        configuration(&mut o, dev, ci);
    }
    o.depth = 0;
    {
        if let Some(b) = encode::bos(dev) {
            o.line("Binary Object Store Descriptor:");
            o.depth = 1;
            o.field("bLength", b[0], "");
            o.field("bDescriptorType", b[1], "BOS");
            o.field("wTotalLength", format!("0x{:04x}", u16_at(&b, 2)), format!("{} bytes", u16_at(&b, 2)));
            o.field("bNumDeviceCaps", b[4], "");
            if let Ok(caps) = decode::split(&b[5..], 5) {
                for (_, c) in caps {
                    capability(&mut o, c);
                }
            }
        }
    }
    for v in dev.vendor_descriptors() {
        o.depth = 0;
        o.line(format!("{} (vendor request 0x{:02x}, wValue {}, wIndex {}, {} bytes):", v.title, v.request, v.value, v.index, v.bytes.len()));
        let blocks = usbdesc_compiler::class::dump_vendor(&v);
        if blocks.is_empty() {
            o.depth = 1;
            o.line(hex(&v.bytes));
        }
        for b in blocks {
            plain_block(&mut o, 1, b);
        }
    }
    o.depth = 0;
    strings(&mut o, dev);
    o.s
}

fn strings(o: &mut Out, dev: &Device) {
    let all = encode::string_descriptors(dev);
    if all.len() <= 1 && dev.strings.is_empty() {
        return;
    }
    o.line("String Descriptors:");
    o.depth = 1;
    for (index, lang, b) in all {
        if index == 0 {
            let langs: Vec<String> = dev.languages.iter().map(|l| format!("0x{l:04x}")).collect();
            o.field("0", format!("{} B", b.len()), format!("LANGIDs {}", langs.join(", ")));
        } else {
            let text = String::from_utf16_lossy(&b[2..].chunks(2).map(|c| u16_at(c, 0)).collect::<Vec<_>>());
            o.field(&format!("{index} (0x{lang:04x})"), format!("{} B", b.len()), format!("\"{text}\""));
        }
    }
    o.depth = 0;
}

fn configuration(o: &mut Out, dev: &Device, ci: usize) {
    let c = encode::configuration(dev, ci);
    if c.len() < 9 {
        return;
    }
    o.depth = 1;
    o.line("Configuration Descriptor:");
    o.depth = 2;
    o.field("bLength", c[0], "");
    o.field("bDescriptorType", c[1], "CONFIGURATION");
    o.field("wTotalLength", format!("0x{:04x}", u16_at(&c, 2)), format!("{} bytes", u16_at(&c, 2)));
    o.field("bNumInterfaces", c[4], "");
    o.field("bConfigurationValue", c[5], "");
    o.field("iConfiguration", c[6], string_desc(dev, c[6]));
    let a = c[7];
    let mut attrs = vec![if a & 0x40 != 0 { "self powered" } else { "bus powered" }];
    if a & 0x20 != 0 {
        attrs.push("remote wakeup");
    }
    if a & 0x80 == 0 {
        attrs.push("bit 7 clear (must be set)");
    }
    o.field("bmAttributes", format!("0x{a:02x}"), attrs.join(", "));
    o.field("MaxPower", c[8], format!("{} mA", c[8] as u32 * 2));
    let len = (c[0] as usize).clamp(9, c.len());
    if len > 9 {
        o.field("(extra)", "", hex(&c[9..len]));
    }
    // The built-in driver's descriptors are bytes in the model: the one decoder reads them.
    let prefix = encode::builtin_prefix(dev, ci);
    if !prefix.is_empty() {
        o.depth = 2;
        o.line(format!("(built-in driver descriptors: {} bytes)", prefix.len()));
        match decode::decode_items(prefix, len) {
            Ok(items) => items.iter().for_each(|item| config_item(o, dev, item)),
            Err(e) => o.line(format!("(cannot split the configuration: {})", e.message)),
        }
    }
    let items = &dev.configurations[ci].items;
    if !prefix.is_empty() && !items.is_empty() {
        o.depth = 2;
        o.line("(appended descriptors)");
    }
    for item in items {
        config_item(o, dev, item);
    }
}

/// One descriptor of a configuration body, from the model.
fn config_item(o: &mut Out, dev: &Device, item: &ConfigItem) {
    match item {
        ConfigItem::Association(a) => {
            o.depth = 2;
            o.line("Interface Association:");
            o.depth = 3;
            o.field("bLength", (8 + a.extra.len()).min(255), "");
            o.field("bDescriptorType", INTERFACE_ASSOCIATION, "INTERFACE_ASSOCIATION");
            o.field("bFirstInterface", a.first_interface, "");
            o.field("bInterfaceCount", a.interface_count, "");
            o.field("bFunctionClass", a.class, class_desc(a.class));
            o.field("bFunctionSubClass", a.subclass, sub_desc(a.class, a.subclass));
            o.field("bFunctionProtocol", a.protocol, proto_desc(a.class, a.subclass, a.protocol));
            o.field("iFunction", a.name.index, string_desc(dev, a.name.index));
        }
        ConfigItem::Interface(itf) => interface(o, dev, itf),
        ConfigItem::Raw(r) => raw(o, &raw_bytes(r)),
    }
}

fn raw_bytes(r: &RawDescriptor) -> Vec<u8> {
    let mut b = Vec::new();
    encode::raw(&mut b, r);
    b
}

fn interface(o: &mut Out, dev: &Device, itf: &Interface) {
    let all = encode::interface_bytes(itf);
    let d = &all[..(9 + itf.extra.len()).min(all.len())];
    o.depth = 2;
    o.line("Interface Descriptor:");
    o.depth = 3;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], "INTERFACE");
    o.field("bInterfaceNumber", d[2], "");
    o.field("bAlternateSetting", d[3], "");
    o.field("bNumEndpoints", d[4], "");
    o.field("bInterfaceClass", d[5], class_desc(d[5]));
    o.field("bInterfaceSubClass", d[6], sub_desc(d[5], d[6]));
    o.field("bInterfaceProtocol", d[7], proto_desc(d[5], d[6], d[7]));
    o.field("iInterface", d[8], string_desc(dev, d[8]));
    let cx = InterfaceCx::of(itf);
    for (k, item) in itf.items.iter().enumerate() {
        match item {
            InterfaceItem::Endpoint(e) => {
                endpoint(o, dev, e);
                for r in &e.items {
                    class_raw(o, &cx, &raw_bytes(r));
                }
            }
            InterfaceItem::Raw(r) => class_raw(o, &cx, &raw_bytes(r)),
            InterfaceItem::Class(c) => {
                let b = encode::interface_item(&itf.items, k);
                match c.dump(&b) {
                    Some(block) => class_block(o, &b, block),
                    None => raw(o, &b),
                }
            }
        }
    }
}

fn endpoint(o: &mut Out, dev: &Device, e: &Endpoint) {
    let d = encode::endpoint_descriptor(e);
    o.depth = 3;
    o.line("Endpoint Descriptor:");
    o.depth = 4;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], "ENDPOINT");
    let dir = if e.direction == Direction::In { "IN" } else { "OUT" };
    o.field("bEndpointAddress", format!("0x{:02x}", e.address()), format!("EP {} {dir}", e.number));
    let t = e.transfer;
    let mut a = vec![format!("transfer {}", t.name())];
    if t == Transfer::Isochronous {
        let sync = name_of(names::SYNC, e.attributes_high & 3).unwrap_or("?");
        let usage = name_of(names::USAGE, (e.attributes_high >> 2) & 3).unwrap_or("reserved");
        a.push(format!("sync {sync}"));
        a.push(format!("usage {usage}"));
    }
    o.field("bmAttributes", e.attributes(), a.join(", "));
    let mps = e.max_packet_size;
    o.field("wMaxPacketSize", format!("0x{mps:04x}"), format!("{}x {} bytes", e.additional_transactions() + 1, e.packet_size()));
    let interval = match t {
        Transfer::Interrupt | Transfer::Isochronous if dev.target.speed() == usbdesc_compiler::profile::Speed::High => {
            format!("2^({}-1) microframes", e.interval)
        }
        Transfer::Interrupt => format!("{} ms", e.interval),
        Transfer::Isochronous => format!("2^({}-1) frames", e.interval),
        _ => String::new(),
    };
    o.field("bInterval", e.interval, interval);
    if !e.extra.is_empty() {
        o.field("(extra)", "", hex(&e.extra));
    }
}

/// A raw descriptor of an interface: as its class shows it, else as bytes.
fn class_raw(o: &mut Out, cx: &InterfaceCx, d: &[u8]) {
    match usbdesc_compiler::class::dump_raw(cx, d) {
        Some(block) => class_block(o, d, block),
        None => raw(o, d),
    }
}

/// One BOS device capability (`c` from bLength on), shown by the capability that knows it.
fn capability(o: &mut Out, c: &[u8]) {
    let b = usbdesc_compiler::class::dump_capability(c).unwrap_or_else(|| match c.get(2).copied().unwrap_or(0) {
        PLATFORM if c.len() >= 20 => {
            let mut b = DumpBlock::new("Platform Capability (unknown)", "");
            b.field("bDevCapabilityType", PLATFORM, "PLATFORM");
            b.field("PlatformCapabilityUUID", "", hex(&c[4..20]));
            b.field("CapabilityData", "", hex(&c[20..]));
            b
        }
        ty => {
            let mut b = DumpBlock::new("Device Capability", "");
            b.field("bDevCapabilityType", ty, "");
            b.field("data", "", hex(c.get(3..).unwrap_or(&[])));
            b
        }
    });
    plain_block(o, 1, b);
}

/// A block without bLength/bDescriptorType lines (BOS capabilities, vendor descriptors): the
/// title at `depth`, the lines below it.
fn plain_block(o: &mut Out, depth: usize, b: DumpBlock) {
    o.depth = depth;
    o.line(format!("{}:", b.title));
    lines(o, depth + 1, b.fields);
    o.depth = depth;
}

/// The lines of a block at `depth`.
fn lines(o: &mut Out, depth: usize, fields: Vec<DumpLine>) {
    o.depth = depth;
    for l in fields {
        match l {
            DumpLine::Field(name, value, desc) => o.field(&name, value, desc),
            DumpLine::Text { indent, text } => {
                o.depth = depth + indent;
                o.block(&text);
                o.depth = depth;
            }
        }
    }
}

/// A class-specific descriptor's block: title, bLength, bDescriptorType and the class's lines.
fn class_block(o: &mut Out, d: &[u8], b: DumpBlock) {
    o.depth = 3;
    o.line(format!("{}:", b.title));
    o.depth = 4;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], b.type_name);
    lines(o, 4, b.fields);
}

/// A descriptor nobody names: its type and bytes.
fn raw(o: &mut Out, d: &[u8]) {
    let ty = d[1];
    o.depth = 3;
    let name = name_of(names::DESCRIPTOR_TYPES, ty).unwrap_or("unknown");
    o.line(format!("Descriptor type 0x{ty:02x} ({name}), {} bytes:", d.len()));
    o.depth = 4;
    o.line(hex(d));
}

/// The text dump of a standalone HID report descriptor.
pub fn report(r: &ReportDescriptor) -> String {
    let bytes = r.encode();
    let mut s = format!("HID Report Descriptor: ({} bytes)\n", bytes.len());
    for l in r.dump_items().lines() {
        let _ = writeln!(s, "  {l}");
    }
    s.push_str("Report layout (bit offsets from the start of the report):\n");
    for l in r.dump_layout().lines() {
        if l.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "  {l}");
        }
    }
    s
}
