//! Named fields of the BOS capabilities with the Microsoft OS 2.0 descriptor set.

use super::{bcd, Out};
use usbdesc_compiler::bos::{msos20, webusb};
use usbdesc_compiler::spec::{hex, u16_at, u32_at};

fn at(d: &[u8], i: usize) -> u8 {
    d.get(i).copied().unwrap_or(0)
}

/// One BOS device capability (`c` from bLength on), depth 2.
pub fn capability(o: &mut Out, c: &[u8]) {
    let ty = at(c, 2);
    match ty {
        0x02 if c.len() >= 7 => {
            o.line("USB 2.0 Extension:");
            o.depth = 2;
            let a = u32_at(c, 3);
            o.field("bDevCapabilityType", ty, "USB 2.0 EXTENSION");
            o.field("bmAttributes", format!("0x{a:08x}"), if a & 0x02 != 0 { "LPM supported" } else { "" });
        }
        0x05 if c.len() >= 20 => {
            let uuid = &c[4..20];
            let data = &c[20..];
            let name = if uuid == webusb::UUID {
                "WebUSB"
            } else if uuid == msos20::UUID {
                "Microsoft OS 2.0"
            } else {
                "unknown"
            };
            o.line(format!("Platform Capability ({name}):"));
            o.depth = 2;
            o.field("bDevCapabilityType", ty, "PLATFORM");
            o.field("PlatformCapabilityUUID", "", hex(uuid));
            if uuid == webusb::UUID && data.len() >= 4 {
                o.field("bcdVersion", bcd(u16_at(data, 0)), "");
                o.field("bVendorCode", format!("0x{:02x}", data[2]), "GET_URL request code");
                o.field("iLandingPage", data[3], "URL descriptor index (GET_URL), not a string");
            } else if uuid == msos20::UUID && data.len() >= 8 {
                o.field("dwWindowsVersion", format!("0x{:08x}", u32_at(data, 0)), "");
                o.field("wMSOSDescriptorSetTotalLength", u16_at(data, 4), "bytes");
                o.field("bMS_VendorCode", format!("0x{:02x}", data[6]), "request code");
                o.field("bAltEnumCode", data[7], "");
            } else {
                o.field("CapabilityData", "", hex(data));
            }
        }
        _ => {
            o.line("Device Capability:");
            o.depth = 2;
            o.field("bDevCapabilityType", ty, "");
            o.field("data", "", hex(c.get(3..).unwrap_or(&[])));
        }
    }
    o.depth = 1;
}

fn utf16(b: &[u8]) -> String {
    let u: Vec<u16> = b.chunks(2).map(|c| u16_at(c, 0)).take_while(|&x| x != 0).collect();
    String::from_utf16_lossy(&u)
}

/// The Microsoft OS 2.0 descriptor set (vendor request `code`, wIndex 7), every descriptor in order.
pub fn msos20_set(o: &mut Out, code: u8, set: &[u8]) {
    o.depth = 0;
    o.line(format!("Microsoft OS 2.0 Descriptor Set (vendor request 0x{code:02x}, wIndex 7, {} bytes):", set.len()));
    let mut i = 0;
    while i + 4 <= set.len() {
        let len = u16_at(set, i) as usize;
        let d = &set[i..(i + len).min(set.len())];
        if len < 4 {
            o.depth = 1;
            o.line(format!("(descriptor with wLength {len} at offset {i}: stop)"));
            break;
        }
        let ty = u16_at(d, 2);
        o.depth = 1;
        match ty {
            0 => {
                o.line("Set Header:");
                o.depth = 2;
                o.field("dwWindowsVersion", format!("0x{:08x}", u32_at(d, 4)), "");
                o.field("wTotalLength", u16_at(d, 8), "");
            }
            1 => {
                o.line("Configuration Subset Header:");
                o.depth = 2;
                o.field("bConfigurationValue", at(d, 4), "configuration index");
                o.field("wTotalLength", u16_at(d, 6), "");
            }
            2 => {
                o.line("Function Subset Header:");
                o.depth = 2;
                o.field("bFirstInterface", at(d, 4), "");
                o.field("wSubsetLength", u16_at(d, 6), "");
            }
            3 => {
                o.line("Compatible ID:");
                o.depth = 2;
                let s = |r: std::ops::Range<usize>| d.get(r).map(|b| String::from_utf8_lossy(b).trim_end_matches('\0').to_string()).unwrap_or_default();
                o.field("CompatibleID", "", format!("\"{}\"", s(4..12)));
                o.field("SubCompatibleID", "", format!("\"{}\"", s(12..20)));
            }
            4 => {
                o.line("Registry Property:");
                o.depth = 2;
                let kind = u16_at(d, 4);
                let nlen = u16_at(d, 6) as usize;
                let name = d.get(8..8 + nlen).map(utf16).unwrap_or_default();
                let data = d.get(10 + nlen..).unwrap_or(&[]);
                o.field("wPropertyDataType", kind, match kind { 1 => "REG_SZ", 7 => "REG_MULTI_SZ", _ => "" });
                o.field("PropertyName", "", format!("\"{name}\""));
                let u: Vec<u16> = data.chunks(2).map(|c| u16_at(c, 0)).collect();
                let values: Vec<String> =
                    u.split(|&x| x == 0).filter(|s| !s.is_empty()).map(|s| format!("\"{}\"", String::from_utf16_lossy(s))).collect();
                o.field("PropertyData", "", values.join(", "));
            }
            _ => {
                o.line(format!("Descriptor type {ty}:"));
                o.depth = 2;
                o.field("data", "", hex(d));
            }
        }
        i += len;
    }
    o.depth = 0;
}
