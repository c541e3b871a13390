//! `usbdesc dump` of UVC descriptors (lsusb style), from their bytes.

use super::items::*;
use super::{CAMERA_CONTROLS, PROCESSING_CONTROLS};
use crate::model::DumpBlock;
use crate::spec::{self, CS_ENDPOINT, CS_INTERFACE};

/// [`spec::u16_at`] when both bytes are there.
fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    (i + 2 <= b.len()).then(|| spec::u16_at(b, i))
}

/// [`spec::u32_at`] when all four bytes are there.
fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    (i + 4 <= b.len()).then(|| spec::u32_at(b, i))
}

fn names(bits: u32, table: &[(u8, &str)]) -> String {
    let n: Vec<&str> = table.iter().filter(|(b, _)| bits & 1 << b != 0).map(|(_, n)| *n).collect();
    n.join(", ")
}

/// The block of one UVC descriptor (`b` starts with bLength); `control`: it sits in a
/// VideoControl interface (the two share subtype numbers). `None` for what it does not know or
/// bytes too short for their subtype.
pub fn dump(b: &[u8], control: bool) -> Option<DumpBlock> {
    if b.len() < 3 {
        return None;
    }
    if b[1] == CS_ENDPOINT {
        let n = interrupt_max_transfer(&b[2..])?;
        let mut k = DumpBlock::new("VideoControl Endpoint Descriptor", "CS_ENDPOINT");
        k.field("bDescriptorSubtype", 3, "EP_INTERRUPT").field("wMaxTransferSize", n, "bytes");
        return Some(k);
    }
    if b[1] != CS_INTERFACE || b.len() < 4 {
        return None;
    }
    let mut k;
    match (control, b[2]) {
        (true, VC_HEADER) => {
            k = DumpBlock::new("VideoControl Interface Descriptor", "CS_INTERFACE");
            let bcd = u16_at(b, 3)?;
            k.field("bDescriptorSubtype", 1, "HEADER")
                .field("bcdUVC", format!("{}.{:02x}", bcd >> 8, bcd & 0xff), "")
                .field("wTotalLength", format!("{:#06x}", u16_at(b, 5)?), format!("{} bytes", u16_at(b, 5)?))
                .field("dwClockFrequency", u32_at(b, 7)?, "Hz")
                .field("bInCollection", *b.get(11)?, "");
            for (i, n) in b.get(12..)?.iter().enumerate() {
                k.field(format!("baInterfaceNr({i})"), n, "");
            }
        }
        (true, VC_INPUT_TERMINAL) => {
            k = DumpBlock::new("VideoControl Interface Descriptor", "CS_INTERFACE");
            let ty = u16_at(b, 4)?;
            k.field("bDescriptorSubtype", 2, "INPUT_TERMINAL")
                .field("bTerminalID", b[3], "")
                .field("wTerminalType", format!("{ty:#06x}"), if ty == ITT_CAMERA { "camera sensor" } else { "" })
                .field("bAssocTerminal", *b.get(6)?, "")
                .field("iTerminal", *b.get(7)?, "");
            if ty == ITT_CAMERA {
                let n = usize::from(*b.get(14)?);
                let bits = bitmap(b, 15, n);
                k.field("bControlSize", n, "").field("bmControls", format!("{bits:#08x}"), names(bits, CAMERA_CONTROLS));
            }
        }
        (true, VC_OUTPUT_TERMINAL) => {
            k = DumpBlock::new("VideoControl Interface Descriptor", "CS_INTERFACE");
            let ty = u16_at(b, 4)?;
            k.field("bDescriptorSubtype", 3, "OUTPUT_TERMINAL")
                .field("bTerminalID", b[3], "")
                .field("wTerminalType", format!("{ty:#06x}"), if ty == TT_STREAMING { "USB streaming" } else { "" })
                .field("bAssocTerminal", *b.get(6)?, "")
                .field("bSourceID", *b.get(7)?, "")
                .field("iTerminal", *b.get(8)?, "");
        }
        (true, VC_PROCESSING_UNIT) => {
            k = DumpBlock::new("VideoControl Interface Descriptor", "CS_INTERFACE");
            let n = usize::from(*b.get(7)?);
            let bits = bitmap(b, 8, n);
            k.field("bDescriptorSubtype", 5, "PROCESSING_UNIT")
                .field("bUnitID", b[3], "")
                .field("bSourceID", *b.get(4)?, "")
                .field("wMaxMultiplier", u16_at(b, 5)?, "")
                .field("bControlSize", n, "")
                .field("bmControls", format!("{bits:#08x}"), names(bits, PROCESSING_CONTROLS))
                .field("iProcessing", *b.get(8 + n)?, "");
            if let Some(v) = b.get(9 + n) {
                k.field("bmVideoStandards", format!("{v:#04x}"), "");
            }
        }
        (false, VS_INPUT_HEADER) => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            k.field("bDescriptorSubtype", 1, "INPUT_HEADER")
                .field("bNumFormats", b[3], "")
                .field("wTotalLength", format!("{:#06x}", u16_at(b, 4)?), format!("{} bytes", u16_at(b, 4)?))
                .field("bEndpointAddress", format!("{:#04x}", b.get(6)?), "")
                .field("bmInfo", *b.get(7)?, "")
                .field("bTerminalLink", *b.get(8)?, "")
                .field("bStillCaptureMethod", *b.get(9)?, "")
                .field("bTriggerSupport", *b.get(10)?, "")
                .field("bTriggerUsage", *b.get(11)?, "")
                .field("bControlSize", *b.get(12)?, "");
            let n = usize::from(b[12]).max(1);
            for (i, c) in b.get(13..)?.chunks(n).enumerate() {
                k.field(format!("bmaControls({i})"), format!("{:#04x}", bitmap(c, 0, c.len())), "");
            }
        }
        (false, VS_FORMAT_UNCOMPRESSED) if b.len() >= 27 => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            let fourcc: String = b[5..9].iter().map(|&c| if c.is_ascii_graphic() { c as char } else { '.' }).collect();
            k.field("bDescriptorSubtype", 4, "FORMAT_UNCOMPRESSED")
                .field("bFormatIndex", b[3], "")
                .field("bNumFrameDescriptors", b[4], "")
                .field("guidFormat", b[5..21].iter().map(|x| format!("{x:02x}")).collect::<String>(), fourcc)
                .field("bBitsPerPixel", b[21], "")
                .field("bDefaultFrameIndex", b[22], "")
                .field("bAspectRatioX", b[23], "")
                .field("bAspectRatioY", b[24], "")
                .field("bmInterlaceFlags", format!("{:#04x}", b[25]), "")
                .field("bCopyProtect", b[26], "");
        }
        (false, VS_FORMAT_MJPEG) if b.len() >= 11 => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            k.field("bDescriptorSubtype", 6, "FORMAT_MJPEG")
                .field("bFormatIndex", b[3], "")
                .field("bNumFrameDescriptors", b[4], "")
                .field("bFlags", b[5], if b[5] & 1 != 0 { "fixed-size samples" } else { "" })
                .field("bDefaultFrameIndex", b[6], "")
                .field("bAspectRatioX", b[7], "")
                .field("bAspectRatioY", b[8], "")
                .field("bmInterlaceFlags", format!("{:#04x}", b[9]), "")
                .field("bCopyProtect", b[10], "");
        }
        (false, s @ (VS_FRAME_UNCOMPRESSED | VS_FRAME_MJPEG)) if b.len() >= 26 => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            let interval = |v: u32| if v == 0 { String::new() } else { format!("{:.2} fps", 10_000_000.0 / f64::from(v)) };
            k.field("bDescriptorSubtype", s, if s == VS_FRAME_UNCOMPRESSED { "FRAME_UNCOMPRESSED" } else { "FRAME_MJPEG" })
                .field("bFrameIndex", b[3], "")
                .field("bmCapabilities", format!("{:#04x}", b[4]), if b[4] & 1 != 0 { "still image supported" } else { "" })
                .field("wWidth", u16_at(b, 5)?, "")
                .field("wHeight", u16_at(b, 7)?, "")
                .field("dwMinBitRate", u32_at(b, 9)?, "")
                .field("dwMaxBitRate", u32_at(b, 13)?, "")
                .field("dwMaxVideoFrameBufferSize", u32_at(b, 17)?, "")
                .field("dwDefaultFrameInterval", u32_at(b, 21)?, interval(u32_at(b, 21)?))
                .field("bFrameIntervalType", b[25], if b[25] == 0 { "continuous" } else { "" });
            let names: &[&str] = if b[25] == 0 { &["dwMinFrameInterval", "dwMaxFrameInterval", "dwFrameIntervalStep"] } else { &[] };
            for (i, c) in b[26..].chunks_exact(4).enumerate() {
                let v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                let name = names.get(i).map_or_else(|| format!("dwFrameInterval({i})"), |n| n.to_string());
                k.field(name, v, interval(v));
            }
        }
        (false, VS_STILL_IMAGE_FRAME) => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            let n = usize::from(*b.get(4)?);
            k.field("bDescriptorSubtype", 3, "STILL_IMAGE_FRAME").field("bEndpointAddress", format!("{:#04x}", b[3]), "").field("bNumImageSizePatterns", n, "");
            for i in 0..n {
                k.field(format!("wWidth({i})"), u16_at(b, 5 + 4 * i)?, "").field(format!("wHeight({i})"), u16_at(b, 7 + 4 * i)?, "");
            }
            k.field("bNumCompressionPatterns", *b.get(5 + 4 * n)?, "");
        }
        (false, VS_COLORFORMAT) if b.len() >= 6 => {
            k = DumpBlock::new("VideoStreaming Interface Descriptor", "CS_INTERFACE");
            k.field("bDescriptorSubtype", 0x0d, "COLORFORMAT")
                .field("bColorPrimaries", b[3], "")
                .field("bTransferCharacteristics", b[4], "")
                .field("bMatrixCoefficients", b[5], "");
        }
        _ => return None,
    }
    Some(k)
}
