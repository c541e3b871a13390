//! Numbers and byte layouts from the USB specifications that every layer shares: descriptor types,
//! class / subclass / protocol codes, class-specific subtypes, little-endian helpers and the
//! descriptor splitter.
//!
//! This module is a leaf: it imports nothing from the crate, so the model, the encoder, the
//! decoder, the checks, the classes and the CLI's dump can all import it without forming a circle.

// ---------------------------------------------------------------- descriptor types (USB 2.0 §9.4, Table 9-5)

pub const DEVICE: u8 = 0x01;
pub const CONFIGURATION: u8 = 0x02;
pub const STRING: u8 = 0x03;
pub const INTERFACE: u8 = 0x04;
pub const ENDPOINT: u8 = 0x05;
pub const DEVICE_QUALIFIER: u8 = 0x06;
pub const OTHER_SPEED_CONFIGURATION: u8 = 0x07;
pub const INTERFACE_ASSOCIATION: u8 = 0x0b;
pub const BOS: u8 = 0x0f;
pub const DEVICE_CAPABILITY: u8 = 0x10;
/// HID class descriptor (HID 1.11 §7.1); DFU's functional descriptor has the same number.
pub const HID: u8 = 0x21;
pub const HID_REPORT: u8 = 0x22;
/// Class-specific interface descriptor (CDC, Audio, MIDI, Video, ...).
pub const CS_INTERFACE: u8 = 0x24;
/// Class-specific endpoint descriptor.
pub const CS_ENDPOINT: u8 = 0x25;

// ---------------------------------------------------------------- class codes (usb.org defined class codes)

pub mod class {
    pub const PER_INTERFACE: u8 = 0x00;
    pub const AUDIO: u8 = 0x01;
    pub const CDC: u8 = 0x02;
    pub const HID: u8 = 0x03;
    pub const MASS_STORAGE: u8 = 0x08;
    pub const CDC_DATA: u8 = 0x0a;
    pub const VIDEO: u8 = 0x0e;
    pub const MISC: u8 = 0xef;
    pub const APPLICATION: u8 = 0xfe;
    pub const VENDOR: u8 = 0xff;
}

/// Subclass codes, per class.
pub mod subclass {
    /// Audio 1.0 / 2.0: AudioControl.
    pub const AUDIO_CONTROL: u8 = 0x01;
    /// Audio: AudioStreaming.
    pub const AUDIO_STREAMING: u8 = 0x02;
    /// Audio: MIDIStreaming.
    pub const MIDI_STREAMING: u8 = 0x03;
    /// CDC: Abstract Control Model.
    pub const CDC_ACM: u8 = 0x02;
    /// Mass storage: SCSI transparent command set.
    pub const MSC_SCSI: u8 = 0x06;
    /// HID: boot interface.
    pub const HID_BOOT: u8 = 0x01;
    /// Application specific: Device Firmware Upgrade.
    pub const DFU: u8 = 0x01;
    /// Miscellaneous: common class (with protocol IAD).
    pub const MISC_COMMON: u8 = 0x02;
}

/// Protocol codes, per class and subclass.
pub mod protocol {
    /// Audio: class 1.0 (`PR_PROTOCOL_UNDEFINED`).
    pub const AUDIO_1_0: u8 = 0x00;
    /// Audio: class 2.0 (`IP_VERSION_02_00`).
    pub const AUDIO_2_0: u8 = 0x20;
    /// Mass storage: bulk-only transport.
    pub const MSC_BOT: u8 = 0x50;
    /// Miscellaneous / common: interface association descriptor.
    pub const MISC_IAD: u8 = 0x01;
}

// ---------------------------------------------------------------- class-specific subtypes

/// CDC 1.2 functional descriptor subtypes (CDC 1.2 Table 13).
pub mod cdc {
    pub const HEADER: u8 = 0x00;
    pub const CALL_MANAGEMENT: u8 = 0x01;
    pub const ACM: u8 = 0x02;
    pub const UNION: u8 = 0x06;
}

/// USB MIDI 1.0 subtypes (MIDI 1.0 Appendix A).
pub mod midi {
    /// AC_HEADER (Audio 1.0) and MS_HEADER (MIDI 1.0) share the value.
    pub const HEADER: u8 = 0x01;
    pub const IN_JACK: u8 = 0x02;
    pub const OUT_JACK: u8 = 0x03;
    /// Class-specific MIDIStreaming endpoint descriptor.
    pub const MS_GENERAL: u8 = 0x01;
    pub const JACK_EMBEDDED: u8 = 0x01;
    pub const JACK_EXTERNAL: u8 = 0x02;
}

/// DFU 1.1 (§4.1.3).
pub mod dfu {
    /// The DFU functional descriptor's type (the same number as [`super::HID`]).
    pub const FUNCTIONAL: u8 = 0x21;
}

/// BOS device capability types (USB 3.2 Table 9-14).
pub mod capability {
    pub const USB2_EXTENSION: u8 = 0x02;
    pub const CONTAINER_ID: u8 = 0x04;
    pub const PLATFORM: u8 = 0x05;

    /// A platform capability descriptor: bLength, 0x10, 0x05, bReserved, the 16-byte UUID, then
    /// `data` (bLength saturates at 255; `check::lengths` reports longer ones).
    pub fn platform(uuid: &[u8; 16], data: &[u8]) -> Vec<u8> {
        let mut b = vec![(20 + data.len()).min(255) as u8, super::DEVICE_CAPABILITY, PLATFORM, 0];
        b.extend_from_slice(uuid);
        b.extend_from_slice(data);
        b
    }
}

// ---------------------------------------------------------------- byte helpers

/// Append `x` little-endian.
pub fn le16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// The little-endian u16 at `i` (missing bytes read as 0).
pub fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b.get(i).copied().unwrap_or(0), b.get(i + 1).copied().unwrap_or(0)])
}

/// The little-endian u32 at `i` (missing bytes read as 0).
pub fn u32_at(b: &[u8], i: usize) -> u32 {
    u16_at(b, i) as u32 | (u16_at(b, i + 2) as u32) << 16
}

/// Bytes as lines of 16 lower-case hex pairs (the corpus `.hex` layout, without comments).
pub fn hex_lines(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for chunk in bytes.chunks(16) {
        out.push_str(&hex(chunk));
        out.push('\n');
    }
    out
}

/// Bytes as lower-case hex pairs separated by spaces (`"06 00 ff"`).
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(char::from_digit((x >> 4) as u32, 16).unwrap_or('0'));
        s.push(char::from_digit((x & 15) as u32, 16).unwrap_or('0'));
    }
    s
}

// ---------------------------------------------------------------- the descriptor splitter

/// Why a run of descriptors cannot be split (offsets are absolute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// A bLength below 2 at `at`.
    BadLength { at: usize, len: usize },
    /// A descriptor at `at` of bLength `len` runs past the end (`end`), `left` bytes remain.
    Truncated { at: usize, len: usize, left: usize, end: usize },
}

/// Split `bytes` (starting at absolute offset `base`) into descriptors by bLength:
/// `(offset, bytes)`.
pub fn split(bytes: &[u8], base: usize) -> Result<Vec<(usize, &[u8])>, SplitError> {
    let mut out = Vec::new();
    let mut p = 0usize;
    while p < bytes.len() {
        let len = bytes[p] as usize;
        let at = base + p;
        if len < 2 {
            return Err(SplitError::BadLength { at, len });
        }
        if p + len > bytes.len() {
            return Err(SplitError::Truncated { at, len, left: bytes.len() - p, end: base + bytes.len() });
        }
        out.push((at, &bytes[p..p + len]));
        p += len;
    }
    Ok(out)
}

/// Whether a descriptor sequence contains an interface association descriptor.
pub fn contains_iad(bytes: &[u8]) -> bool {
    split(bytes, 0).map(|v| v.iter().any(|(_, d)| d.get(1) == Some(&INTERFACE_ASSOCIATION))).unwrap_or(false)
}
