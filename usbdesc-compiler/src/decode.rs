//! Blob decoder: device descriptor followed by configuration descriptor(s) (the sysfs
//! `descriptors` layout) → model. Unknown and class-specific descriptors are kept as raw entries in
//! their place, and stored counts and lengths that differ from the computed ones are kept as
//! overrides, so [`crate::encode::blob`] gives back the same bytes. Never panics; every error names
//! the byte offset and carries the byte range as its span.

use crate::diag::{Diagnostic, Span};
use crate::spec::{self, u16_at, SplitError, CONFIGURATION, DEVICE, ENDPOINT, INTERFACE, INTERFACE_ASSOCIATION};
use crate::model::*;
use crate::profile::{Speed, Target};
use crate::speed_limits;

pub const TRUNCATED: &str = "UD6001";
pub const BAD_LENGTH: &str = "UD6002";
pub const WRONG_TYPE: &str = "UD6003";
pub const BAD_TOTAL_LENGTH: &str = "UD6004";
/// More descriptors than [`MAX_DESCRIPTORS`].
pub const TOO_MANY_DESCRIPTORS: &str = "UD6009";

/// Most descriptors a blob may hold: hosts take far fewer (Linux: 8 configurations of at most 32
/// interfaces), and every descriptor becomes a model node that the checks, dumps and generators
/// walk. A 4 MiB blob of 9-byte descriptors (466,000 of them) took 1.2 GB for `--emit json`.
pub const MAX_DESCRIPTORS: usize = 8_192;

/// `Err` at the descriptor past [`MAX_DESCRIPTORS`] (counted by bLength from offset 18, before
/// decoding; a bLength below 2 ends the count and is reported by the decoder).
fn check_descriptor_count(b: &[u8]) -> Result<(), Diagnostic> {
    let (mut p, mut n) = (18usize, 0usize);
    while p + 1 < b.len() && b[p] >= 2 {
        n += 1;
        if n > MAX_DESCRIPTORS {
            return Err(err(TOO_MANY_DESCRIPTORS, p, p + b[p] as usize, format!("more than {MAX_DESCRIPTORS} descriptors")).help(
                "usbdesc reads devices of up to 8192 descriptors; hosts accept far fewer (Linux: 8 configurations, 32 interfaces each)",
            ));
        }
        p += b[p] as usize;
    }
    Ok(())
}

/// A decoded device that TOML cannot express (it would not build back to the same bytes).
pub const NOT_PRINTABLE: &str = "UD6008";

/// Why a decoded device cannot be printed as TOML that builds back to its bytes, if it cannot:
/// a bare device descriptor (the TOML format needs a configuration).
pub fn toml_blocker(dev: &Device) -> Option<Diagnostic> {
    if let Some(len) = dev.length_override {
        // The TOML format has no key for a device descriptor of another length (UD6007 warns).
        return Some(
            Diagnostic::error(NOT_PRINTABLE, format!("the device descriptor's bLength is {len}, not 18: no TOML device builds back to these bytes"))
                .at(Span::new(0, 1))
                .help("`usbdesc dump` shows the blob; a device built from TOML always has bLength 18"),
        );
    }
    dev.configurations.is_empty().then(|| {
        Diagnostic::error(NOT_PRINTABLE, "the blob is a device descriptor alone: no TOML builds back to it, a TOML device needs a configuration")
            .at(Span::new(0, 18))
            .help("decode the whole sysfs `descriptors` file (the device descriptor followed by its configurations); `usbdesc dump` shows the fields of this one")
    })
}

fn err(code: &'static str, at: usize, end: usize, msg: String) -> Diagnostic {
    Diagnostic::error(code, format!("byte offset {at}: {msg}"))
        .at(Span::new(at, end.max(at)))
        .help("the blob must be an 18-byte device descriptor followed by whole configuration descriptors (sysfs `descriptors` layout)")
}

/// Split `bytes` (starting at absolute offset `base`) into descriptors: `(offset, bytes)`
/// ([`crate::spec::split`] with its failure as a diagnostic).
pub fn split(bytes: &[u8], base: usize) -> Result<Vec<(usize, &[u8])>, Diagnostic> {
    spec::split(bytes, base).map_err(|e| match e {
        SplitError::BadLength { at, len } => err(BAD_LENGTH, at, at + 1, format!("descriptor with bLength {len} (at least 2)")),
        SplitError::Truncated { at, len, left, end } => {
            err(TRUNCATED, at, end, format!("descriptor with bLength {len} runs past the end ({left} bytes left)"))
        }
    })
}

fn spans(at: usize, len: usize) -> Spans {
    Spans::table(Span::new(at, at + len))
}

/// Whether `b` starts like a device descriptor: type 01 with bLength 18, or a bLength of 16 to 19
/// (hosts read 18 bytes whatever bLength says; `check::blob` warns). Those first bytes are
/// reserved main items in a HID report descriptor, so sniffing can still tell the two apart.
pub fn device_start(b: &[u8]) -> bool {
    b.len() >= 2 && b[1] == DEVICE && (16..=19).contains(&b[0])
}

/// Decode a sysfs-style blob.
pub fn decode_blob(b: &[u8]) -> Result<Device, Diagnostic> {
    if b.len() < 18 {
        return Err(err(TRUNCATED, 0, b.len(), format!("a device descriptor needs 18 bytes, the blob has {}", b.len())));
    }
    if !device_start(b) {
        return Err(err(
            WRONG_TYPE,
            0,
            2,
            format!("expected a device descriptor (12 01), found {:02x} {:02x}", b[0], b[1]),
        ));
    }
    check_descriptor_count(b)?;
    let mut configurations = Vec::new();
    let mut p = 18usize;
    while p < b.len() {
        let (c, next) = decode_configuration(b, p)?;
        configurations.push(c);
        p = next;
    }
    let num_configs = b[17];
    let mut dev = Device {
        target: Target::GenericFs,
        usb: u16_at(b, 2),
        class: b[4],
        subclass: b[5],
        protocol: b[6],
        max_packet_size_0: b[7],
        vid: u16_at(b, 8),
        pid: u16_at(b, 10),
        version: u16_at(b, 12),
        manufacturer: StrRef::index(b[14]),
        product: StrRef::index(b[15]),
        serial: StrRef::index(b[16]),
        num_configurations_override: (num_configs as usize != configurations.len()).then_some(num_configs),
        length_override: (b[0] != 18).then_some(b[0]),
        configurations,
        spans: spans(0, 18),
        ..Device::empty(Target::GenericFs)
    };
    dev.target = guess_target(&dev);
    Ok(dev)
}

/// Decode the configuration at `p`; returns it and the offset after it.
fn decode_configuration(b: &[u8], p: usize) -> Result<(Configuration, usize), Diagnostic> {
    let rest = &b[p..];
    if rest.len() < 9 {
        return Err(err(TRUNCATED, p, b.len(), format!("a configuration descriptor needs 9 bytes, {} left", rest.len())));
    }
    let len = rest[0] as usize;
    if rest[1] != CONFIGURATION {
        return Err(err(WRONG_TYPE, p, p + 2, format!("expected a configuration descriptor (type 02), found type {:02x}", rest[1])));
    }
    if len < 9 {
        return Err(err(BAD_LENGTH, p, p + 1, format!("configuration descriptor with bLength {len} (at least 9)")));
    }
    let declared_total = u16_at(rest, 2) as usize;
    // A wTotalLength past the blob's end is what a device serving fewer bytes than it announces
    // gives: the host reads what is there (`check::blob` warns). Decode the bytes that exist.
    let total = declared_total.min(rest.len().max(len));
    if total < len {
        return Err(err(BAD_TOTAL_LENGTH, p + 2, p + 4, format!("wTotalLength {total} is shorter than the descriptor itself ({len})")));
    }
    if total > rest.len() {
        return Err(err(TRUNCATED, p, b.len(), format!("a configuration descriptor of bLength {len} runs past the end ({} bytes left)", rest.len())));
    }
    if len > total {
        return Err(err(BAD_LENGTH, p, p + 1, format!("bLength {len} exceeds wTotalLength {total}")));
    }
    let items = decode_items(&rest[len..total], p + len)?;
    let attrs = rest[7];
    let computed = 0x80 | (attrs & 0x60);
    let c = Configuration {
        value: rest[5],
        name: StrRef::index(rest[6]),
        self_powered: attrs & 0x40 != 0,
        remote_wakeup: attrs & 0x20 != 0,
        attributes_override: (attrs != computed).then_some(attrs),
        max_power: rest[8],
        items,
        total_length_override: (declared_total != total).then_some(declared_total as u16),
        num_interfaces_override: None,
        extra: rest[9..len].to_vec(),
        spans: spans(p, total),
    };
    let mut c = c;
    let n_itf = c.interface_numbers().len();
    if n_itf != rest[4] as usize {
        c.num_interfaces_override = Some(rest[4]);
    }
    Ok((c, p + total))
}

/// Decode the descriptors of a configuration body (after its 9-byte header).
pub fn decode_items(body: &[u8], base: usize) -> Result<Vec<ConfigItem>, Diagnostic> {
    let mut items: Vec<ConfigItem> = Vec::new();
    let mut in_interface = false;
    let mut in_endpoint = false;
    for (at, d) in split(body, base)? {
        let ty = d[1];
        let len = d.len();
        match ty {
            INTERFACE if len >= 9 => {
                items.push(ConfigItem::Interface(Interface {
                    number: d[2],
                    alternate: d[3],
                    class: d[5],
                    subclass: d[6],
                    protocol: d[7],
                    name: StrRef::index(d[8]),
                    items: Vec::new(),
                    num_endpoints_override: Some(d[4]),
                    extra: d[9..].to_vec(),
                    spans: spans(at, len),
                }));
                in_interface = true;
                in_endpoint = false;
            }
            INTERFACE_ASSOCIATION if len >= 8 => {
                items.push(ConfigItem::Association(Association {
                    first_interface: d[2],
                    interface_count: d[3],
                    class: d[4],
                    subclass: d[5],
                    protocol: d[6],
                    name: StrRef::index(d[7]),
                    extra: d[8..].to_vec(),
                    spans: spans(at, len),
                }));
                in_interface = false;
                in_endpoint = false;
            }
            _ => {
                let Some(ConfigItem::Interface(itf)) = items.last_mut().filter(|_| in_interface) else {
                    items.push(ConfigItem::Raw(raw(at, d)));
                    continue;
                };
                if ty == ENDPOINT && len >= 7 {
                    itf.items.push(InterfaceItem::Endpoint(Endpoint {
                        number: d[2] & 0x0f,
                        direction: if d[2] & 0x80 != 0 { Direction::In } else { Direction::Out },
                        transfer: Transfer::from_bits(d[3]),
                        attributes_high: d[3] >> 2,
                        max_packet_size: u16_at(d, 4),
                        interval: d[6],
                        extra: d[7..].to_vec(),
                        items: Vec::new(),
                        other_speed: None,
                        spans: spans(at, len),
                    }));
                    in_endpoint = true;
                    // Reserved address bits 4..6 cannot be modelled: keep such an endpoint raw.
                    if d[2] & 0x70 != 0 {
                        itf.items.pop();
                        itf.items.push(InterfaceItem::Raw(raw(at, d)));
                        in_endpoint = false;
                    }
                } else if in_endpoint {
                    if let Some(InterfaceItem::Endpoint(e)) = itf.items.last_mut() {
                        e.items.push(raw(at, d));
                    }
                } else {
                    itf.items.push(InterfaceItem::Raw(raw(at, d)));
                }
            }
        }
    }
    for item in items.iter_mut() {
        if let ConfigItem::Interface(itf) = item {
            if itf.num_endpoints_override == Some(itf.endpoints().count() as u8) {
                itf.num_endpoints_override = None;
            }
            crate::class::lift(itf);
        }
    }
    Ok(items)
}

fn raw(at: usize, d: &[u8]) -> RawDescriptor {
    RawDescriptor { descriptor_type: d[1], data: d[2..].to_vec(), spans: spans(at, d.len()) }
}

/// The generic profile whose speed fits the decoded device best: the one whose USB 2.0 speed
/// limits (`crate::speed_limits`: EP0 size, packet sizes, intervals) it breaks less often; full
/// speed on a tie.
fn guess_target(dev: &Device) -> Target {
    if speed_limits::breaks(dev, Speed::High) < speed_limits::breaks(dev, Speed::Full) {
        Target::GenericHs
    } else {
        Target::GenericFs
    }
}
