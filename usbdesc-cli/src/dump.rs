//! `usbdesc dump`: an `lsusb -v`-like tree of the encoded descriptors, every field named and
//! decoded, with HID report descriptors item by item and a bit-layout table per report.
//!
//! The tree walks the exact bytes the encoder produces (so overrides and built-in prefixes show as
//! they go on the wire); the model supplies string texts and HID report descriptors.

use std::fmt::Write;
use usbdesc_compiler::decode;
use usbdesc_compiler::encode::{self, CS_INTERFACE, ENDPOINT, HID, INTERFACE, INTERFACE_ASSOCIATION};
use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_compiler::model::{Device, Transfer};
use usbdesc_compiler::names::{self, format_bcd, name_of};

#[path = "dump_class.rs"]
mod class;

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

fn u16_at(d: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([d.get(i).copied().unwrap_or(0), d.get(i + 1).copied().unwrap_or(0)])
}

fn bcd(v: u16) -> String {
    format_bcd(v).unwrap_or_else(|| format!("0x{v:04x}"))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ")
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
                    class::capability(&mut o, c);
                }
            }
        }
    }
    if let Some((code, set)) = encode::msos20_set(dev) {
        class::msos20_set(&mut o, code, &set);
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
    let prefix = encode::builtin_prefix(dev, ci).len();
    let value = c[5];
    let mut st = Walk { class: 0, subclass: 0, protocol: 0, number: 0, alternate: 0, value };
    match decode::split(&c[len..], len) {
        Ok(descs) => {
            for (at, d) in descs {
                if prefix > 0 && at == len {
                    o.depth = 2;
                    o.line(format!("(built-in driver descriptors: {prefix} bytes)"));
                }
                if prefix > 0 && at == len + prefix {
                    o.depth = 2;
                    o.line("(appended descriptors)");
                }
                descriptor(o, dev, &mut st, d);
            }
        }
        Err(e) => o.line(format!("(cannot split the configuration: {})", e.message)),
    }
}

struct Walk {
    class: u8,
    subclass: u8,
    protocol: u8,
    number: u8,
    alternate: u8,
    value: u8,
}

fn descriptor(o: &mut Out, dev: &Device, st: &mut Walk, d: &[u8]) {
    let ty = d[1];
    match ty {
        INTERFACE_ASSOCIATION if d.len() >= 8 => {
            o.depth = 2;
            o.line("Interface Association:");
            o.depth = 3;
            o.field("bLength", d[0], "");
            o.field("bDescriptorType", d[1], "INTERFACE_ASSOCIATION");
            o.field("bFirstInterface", d[2], "");
            o.field("bInterfaceCount", d[3], "");
            o.field("bFunctionClass", d[4], class_desc(d[4]));
            o.field("bFunctionSubClass", d[5], sub_desc(d[4], d[5]));
            o.field("bFunctionProtocol", d[6], proto_desc(d[4], d[5], d[6]));
            o.field("iFunction", d[7], string_desc(dev, d[7]));
        }
        INTERFACE if d.len() >= 9 => {
            *st = Walk { class: d[5], subclass: d[6], protocol: d[7], number: d[2], alternate: d[3], value: st.value };
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
        }
        ENDPOINT if d.len() >= 7 => {
            o.depth = 3;
            o.line("Endpoint Descriptor:");
            o.depth = 4;
            o.field("bLength", d[0], "");
            o.field("bDescriptorType", d[1], "ENDPOINT");
            let dir = if d[2] & 0x80 != 0 { "IN" } else { "OUT" };
            o.field("bEndpointAddress", format!("0x{:02x}", d[2]), format!("EP {} {dir}", d[2] & 0x0f));
            let t = Transfer::from_bits(d[3]);
            let mut a = vec![format!("transfer {}", t.name())];
            if t == Transfer::Isochronous {
                let sync = name_of(names::SYNC, (d[3] >> 2) & 3).unwrap_or("?");
                let usage = name_of(names::USAGE, (d[3] >> 4) & 3).unwrap_or("reserved");
                a.push(format!("sync {sync}"));
                a.push(format!("usage {usage}"));
            }
            o.field("bmAttributes", d[3], a.join(", "));
            let mps = u16_at(d, 4);
            o.field("wMaxPacketSize", format!("0x{mps:04x}"), format!("{}x {} bytes", ((mps >> 11) & 3) + 1, mps & 0x7ff));
            let interval = match t {
                Transfer::Interrupt | Transfer::Isochronous if dev.target.speed() == usbdesc_compiler::profile::Speed::High => {
                    format!("2^({}-1) microframes", d[6])
                }
                Transfer::Interrupt => format!("{} ms", d[6]),
                Transfer::Isochronous => format!("2^({}-1) frames", d[6]),
                _ => String::new(),
            };
            o.field("bInterval", d[6], interval);
            if d.len() > 7 {
                o.field("(extra)", "", hex(&d[7..]));
            }
        }
        HID if st.class == 0x03 && d.len() >= 9 => hid(o, dev, st, d),
        CS_INTERFACE if st.class == 0x02 && d.len() >= 3 => cdc(o, d),
        HID if st.class == 0xfe && st.subclass == 0x01 && class::dfu(o, d) => {}
        // Audio 1.0 and MIDI layouts only; USB Audio 2.0 (protocol 0x20) descriptors print raw.
        _ if st.class == 0x01 && st.protocol != 0x20 && d.len() >= 3 && class::audio(o, st.subclass, d) => {}
        _ => {
            o.depth = 3;
            let name = name_of(names::DESCRIPTOR_TYPES, ty).unwrap_or("unknown");
            o.line(format!("Descriptor type 0x{ty:02x} ({name}), {} bytes:", d.len()));
            o.depth = 4;
            o.line(hex(d));
        }
    }
}

fn cdc(o: &mut Out, d: &[u8]) {
    o.depth = 3;
    let (name, fields): (&str, Vec<(&str, String)>) = match d[2] {
        0x00 => ("CDC Header", vec![("bcdCDC", bcd(u16_at(d, 3)))]),
        0x01 => ("CDC Call Management", vec![
            ("bmCapabilities", format!("0x{:02x}", d.get(3).copied().unwrap_or(0))),
            ("bDataInterface", d.get(4).copied().unwrap_or(0).to_string()),
        ]),
        0x02 => ("CDC ACM", vec![("bmCapabilities", format!("0x{:02x}", d.get(3).copied().unwrap_or(0)))]),
        0x06 => ("CDC Union", vec![
            ("bControlInterface", d.get(3).copied().unwrap_or(0).to_string()),
            ("bSubordinateInterface", d.get(4..).map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")).unwrap_or_default()),
        ]),
        _ => ("CDC functional descriptor", vec![("data", hex(&d[3..]))]),
    };
    o.line(format!("{name}:"));
    o.depth = 4;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], "CS_INTERFACE");
    o.field("bDescriptorSubtype", d[2], "");
    for (k, v) in fields {
        o.field(k, v, "");
    }
}

fn hid(o: &mut Out, dev: &Device, st: &Walk, d: &[u8]) {
    o.depth = 3;
    o.line("HID Device Descriptor:");
    o.depth = 4;
    o.field("bLength", d[0], "");
    o.field("bDescriptorType", d[1], "HID");
    o.field("bcdHID", bcd(u16_at(d, 2)), "");
    o.field("bCountryCode", d[4], if d[4] == 0 { "not localized" } else { "" });
    o.field("bNumDescriptors", d[5], "");
    for (k, c) in d[6..].chunks(3).enumerate() {
        let ty = c[0];
        let tyname = match ty {
            0x22 => "Report",
            0x23 => "Physical",
            _ => "",
        };
        o.field("bDescriptorType", ty, tyname);
        o.field("wDescriptorLength", u16_at(c, 1), "");
        if k == 0 && ty == 0x22 {
            let info = dev
                .hid_interfaces()
                .into_iter()
                .find(|h| h.configuration == st.value && h.interface == st.number && h.alternate == st.alternate);
            match info.filter(|h| !h.report.is_empty()) {
                Some(h) => match ReportDescriptor::decode(&h.report) {
                    Ok(r) => {
                        o.line(format!("Report Descriptor: ({} bytes)", h.report.len()));
                        o.depth = 5;
                        o.block(&r.dump_items());
                        o.depth = 4;
                        o.line("Report layout (bit offsets from the start of the report):");
                        o.depth = 5;
                        o.block(&r.dump_layout());
                        o.depth = 4;
                    }
                    Err(e) => o.line(format!("Report Descriptor: undecodable: {}", e.message)),
                },
                None => o.line("Report Descriptor: not part of this input (a blob holds only its length); dump the report descriptor file itself"),
            }
        }
    }
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
