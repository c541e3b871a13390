//! The runtime tables of a compiled device: every descriptor as bytes plus the interface,
//! endpoint and HID report tables `usbdesc_runtime::DeviceDescriptors` holds. One builder
//! ([`RuntimeTables::from_device`]) feeds both the Rust generator ([`crate::emit::rust`]) and
//! `usbdesc serve` (which leaks the tables into a `&'static DeviceDescriptors`).

use crate::encode;
use crate::hid::item::ReportKind;
use crate::hid::{Layout, ReportDescriptor};
use crate::model::{Device, Direction, HidDescriptor, Transfer};

/// One string descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringTable {
    pub index: u8,
    pub langid: u16,
    pub bytes: Vec<u8>,
}

/// One interface number of configuration 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceTable {
    pub number: u8,
    pub alt_settings: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub builtin: bool,
}

/// One endpoint of configuration 1 (any alternate setting).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointTable {
    pub address: u8,
    pub interface: u8,
    pub alt_setting: u8,
    pub attributes: u8,
    pub max_packet_size: u16,
    pub interval: u8,
    pub builtin: bool,
}

impl EndpointTable {
    /// `Control`, `Isochronous`, `Bulk` or `Interrupt` (bmAttributes bits 1..0).
    pub fn transfer_name(&self) -> &'static str {
        match self.attributes & 3 {
            0 => "Control",
            1 => "Isochronous",
            2 => "Bulk",
            _ => "Interrupt",
        }
    }
}

/// Boot protocol of a HID interface (bInterfaceSubClass 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootKind {
    None,
    Keyboard,
    Mouse,
}

impl BootKind {
    pub fn name(self) -> &'static str {
        match self {
            BootKind::None => "None",
            BootKind::Keyboard => "Keyboard",
            BootKind::Mouse => "Mouse",
        }
    }
}

/// One byte of the boot input report: `bits` bits at `bit_offset` of the source report (0 bits:
/// constant 0), sign extended / saturated as `usbdesc_runtime::BootByte` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootByteTable {
    pub bit_offset: u16,
    pub bits: u8,
    pub signed: bool,
}

/// How the runtime builds the boot input report (HID 1.11 Appendix B) from input report `id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootInputTable {
    pub id: u8,
    pub bytes: Vec<BootByteTable>,
}

/// The boot conversion of a boot keyboard or mouse, derived from its report layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootDerivation {
    /// The byte sources (a missing field's bytes read 0).
    pub map: BootInputTable,
    /// True when the source report already is the boot report (no ID, boot length, every boot
    /// byte in place), so the runtime sends it unchanged.
    pub identity: bool,
    /// What the report descriptor lacks for the conversion (empty when complete).
    pub missing: Vec<&'static str>,
    /// Output report: LED usages (page 0x08, 1..=5) not at the bit the boot LED byte puts them
    /// (the runtime writes the host's boot LED byte to the start of the first output report).
    pub misplaced_leds: Vec<u32>,
}

const KEYBOARD_PAGE: u32 = 0x07 << 16;
const BUTTON_PAGE: u32 = 0x09 << 16;
const LED_PAGE: u32 = 0x08 << 16;
const DESKTOP_X: u32 = 0x0001_0030;
const DESKTOP_Y: u32 = 0x0001_0031;

/// (usage, bit offset, bits, signed, relative) of every element of the variable data fields of `r`.
fn variable_elements(r: &crate::hid::layout::Report) -> Vec<(u32, u64, u32, bool, bool)> {
    let mut v = Vec::new();
    for f in r.fields.iter().filter(|f| f.variable && !f.constant) {
        for i in 0..f.count.min(4096) {
            if let Some(u) = f.usage_of(i) {
                let at = u64::from(f.bit_offset) + u64::from(i) * u64::from(f.bits);
                v.push((u, at, f.bits, f.signed, f.flags.is_relative()));
            }
        }
    }
    v
}

fn byte_src(at: u64, bits: u32, signed: bool) -> Option<BootByteTable> {
    Some(BootByteTable { bit_offset: u16::try_from(at).ok()?, bits: u8::try_from(bits).ok().filter(|b| *b <= 32)?, signed })
}

/// One source per boot byte (`None`: not found) and what is missing.
type Sources = (Vec<Option<BootByteTable>>, Vec<&'static str>);

/// The boot sources one input report offers: `Some` per boot byte found, and what is missing.
fn sources(r: &crate::hid::layout::Report, kind: BootKind) -> Sources {
    let vars = variable_elements(r);
    let find = |u: u32| vars.iter().find(|e| e.0 == u).copied();
    let zero = Some(BootByteTable { bit_offset: 0, bits: 0, signed: false });
    let mut missing = Vec::new();
    match kind {
        BootKind::None => (Vec::new(), missing),
        BootKind::Keyboard => {
            // Byte 0: modifiers E0..E7 as 8 consecutive 1-bit elements.
            let mods = find(KEYBOARD_PAGE | 0xE0).filter(|m| {
                (0..8u32).all(|k| find(KEYBOARD_PAGE | (0xE0 + k)).is_some_and(|e| e.2 == 1 && e.1 == m.1 + u64::from(k)))
            });
            let mods = mods.and_then(|m| byte_src(m.1, 8, false));
            if mods.is_none() {
                missing.push("modifier keys: Keyboard usages 0xE0..=0xE7 as 8 consecutive 1-bit variable elements");
            }
            // Bytes 2..7: a key code array whose values are the usage IDs.
            let keys = r.fields.iter().find(|f| {
                !f.variable
                    && !f.constant
                    && f.usage_range.is_some_and(|(min, max)| {
                        min & 0xFFFF_0000 == KEYBOARD_PAGE && max & 0xFFFF_0000 == KEYBOARD_PAGE && i64::from(min & 0xFFFF) == f.logical_min
                    })
                    && f.logical_min >= 0
                    && f.logical_max <= 255
                    && (1..=16).contains(&f.bits)
            });
            if keys.is_none() {
                missing.push("key codes: a Keyboard-page array (Usage Minimum = Logical Minimum, values 0..=255)");
            }
            let mut out = vec![mods, zero];
            for i in 0..6u32 {
                out.push(match keys {
                    Some(k) if i < k.count => byte_src(u64::from(k.bit_offset) + u64::from(i * k.bits), k.bits, false),
                    Some(_) => zero,
                    None => None,
                });
            }
            (out, missing)
        }
        BootKind::Mouse => {
            let buttons = find(BUTTON_PAGE | 1).filter(|b| b.2 == 1).and_then(|b| {
                let n = (1..8u32).take_while(|k| find(BUTTON_PAGE | (1 + k)).is_some_and(|e| e.2 == 1 && e.1 == b.1 + u64::from(*k))).count();
                byte_src(b.1, n as u32 + 1, false)
            });
            if buttons.is_none() {
                missing.push("buttons: Button 1 as a 1-bit variable element");
            }
            let axis = |u: u32, what: &'static str, missing: &mut Vec<&'static str>| {
                let s = find(u).filter(|e| e.4).and_then(|e| byte_src(e.1, e.2, e.3));
                if s.is_none() {
                    missing.push(what);
                }
                s
            };
            let x = axis(DESKTOP_X, "X: Generic Desktop X (0x30) as a relative variable element", &mut missing);
            let y = axis(DESKTOP_Y, "Y: Generic Desktop Y (0x31) as a relative variable element", &mut missing);
            (vec![buttons, x, y], missing)
        }
    }
}

/// True when the report bits in `[lo, hi)` hold only constant fields (or lie past the report).
fn constant_bits(r: &crate::hid::layout::Report, lo: u64, hi: u64) -> bool {
    lo >= hi
        || r.fields.iter().filter(|f| !f.constant).all(|f| {
        let start = u64::from(f.bit_offset);
        start + f.total_bits() <= lo || start >= hi
    })
}

/// Derives the boot conversion of a boot keyboard or mouse from its report layout: the first
/// input report that offers every boot field (or else the one offering most) is the source.
/// `None` for a non-boot interface or one without input reports.
pub fn boot_input(layout: &Layout, kind: BootKind) -> Option<BootDerivation> {
    if kind == BootKind::None {
        return None;
    }
    let mut best: Option<(&crate::hid::layout::Report, Sources)> = None;
    for r in layout.reports.iter().filter(|r| r.kind == ReportKind::Input) {
        let s = sources(r, kind);
        if best.as_ref().is_none_or(|b| s.1.len() < b.1 .1.len()) {
            best = Some((r, s));
        }
    }
    let (r, (src, missing)) = best?;
    let bytes: Vec<BootByteTable> = src.into_iter().map(|b| b.unwrap_or(BootByteTable { bit_offset: 0, bits: 0, signed: false })).collect();
    let identity = r.id.is_none()
        && r.bytes == bytes.len() as u64
        && bytes.iter().enumerate().all(|(i, b)| {
            let at = 8 * i as u64;
            let used = u64::from(b.bits);
            (b.bits == 0 || u64::from(b.bit_offset) == at) && used <= 8 && (!b.signed || b.bits == 8) && constant_bits(r, at + used, at + 8)
        });
    let mut misplaced_leds = Vec::new();
    if kind == BootKind::Keyboard {
        if let Some(out) = layout.reports.iter().find(|r| r.kind == ReportKind::Output) {
            let base = if out.id.is_some() { 8 } else { 0 };
            for (u, at, bits, _, _) in variable_elements(out) {
                if (LED_PAGE | 1..=LED_PAGE | 5).contains(&u) && (bits != 1 || at != base + u64::from(u - (LED_PAGE | 1))) {
                    misplaced_leds.push(u & 0xFFFF);
                }
            }
        }
    }
    Some(BootDerivation { map: BootInputTable { id: r.id.unwrap_or(0).min(255) as u8, bytes }, identity, missing, misplaced_leds })
}

/// One report of a HID interface (ID 0 = no report IDs; len in bytes on the wire, ID byte included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportTable {
    pub kind: ReportKind,
    pub id: u8,
    pub len: u16,
}

/// One HID interface (configuration 1, alternate setting 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HidTable {
    pub interface: u8,
    pub hid_descriptor: Vec<u8>,
    pub report_descriptor: Vec<u8>,
    pub in_endpoint: u8,
    pub out_endpoint: Option<u8>,
    pub boot: BootKind,
    /// The boot input conversion; `None` when not a boot interface or the report already is the
    /// boot report.
    pub boot_input: Option<BootInputTable>,
    pub reports: Vec<ReportTable>,
    /// The report layout the report table was computed from.
    pub layout: Layout,
}

/// Built-in class offsets (interfaces, endpoints, strings below these belong to the built-in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinTable {
    pub itf_max: u8,
    pub ep_max: u8,
    pub str_max: u8,
}

/// Everything the runtime needs about a device, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeTables {
    pub device: Vec<u8>,
    /// Every configuration bundle (wTotalLength bytes); the runtime serves the first.
    pub configurations: Vec<Vec<u8>>,
    pub bos: Option<Vec<u8>>,
    /// DEVICE_QUALIFIER, for devices that run at both full and high speed.
    pub device_qualifier: Option<Vec<u8>>,
    /// OTHER_SPEED_CONFIGURATION of the first configuration, for dual-speed devices.
    pub other_speed_configuration: Option<Vec<u8>>,
    /// Microsoft OS 2.0 descriptor set and its vendor code (vendor request, wIndex 7).
    pub msos20: Option<(u8, Vec<u8>)>,
    /// WebUSB landing-page URL descriptor and its vendor code (GET_URL, wIndex 2).
    pub webusb_url: Option<(u8, Vec<u8>)>,
    pub strings: Vec<StringTable>,
    pub interfaces: Vec<InterfaceTable>,
    pub endpoints: Vec<EndpointTable>,
    pub hid: Vec<HidTable>,
    pub builtin: Option<BuiltinTable>,
}

/// The report layout of a HID interface's report bytes (the model's field form when present).
fn hid_layout(h: &HidDescriptor) -> Layout {
    match &h.report {
        Some(r) => r.layout(),
        None => ReportDescriptor::decode(&h.report_bytes).map(|r| r.layout()).unwrap_or_default(),
    }
}

impl RuntimeTables {
    /// Compute the tables of a compiled device.
    pub fn from_device(dev: &Device) -> RuntimeTables {
        let configurations: Vec<Vec<u8>> = (0..dev.configurations.len()).map(|i| encode::configuration(dev, i)).collect();
        let strings = encode::string_descriptors(dev)
            .into_iter()
            .map(|(index, langid, bytes)| StringTable { index, langid, bytes })
            .collect();
        let itf_max = dev.builtin.as_ref().map(|b| b.itf_max).unwrap_or(0);
        let mut interfaces: Vec<InterfaceTable> = Vec::new();
        let mut endpoints = Vec::new();
        let (mut cur_itf, mut cur_alt) = (0u8, 0u8);
        let empty = Vec::new();
        // A compiled bundle is well formed (the checks reject malformed raw bytes), so the one
        // descriptor splitter the decoder uses cannot fail here; if it did, the tables stay empty.
        for (_, b) in crate::decode::split(configurations.first().unwrap_or(&empty), 0).unwrap_or_default() {
            match b[1] {
                0x04 if b.len() >= 9 => {
                    cur_itf = b[2];
                    cur_alt = b[3];
                    match interfaces.iter_mut().find(|x| x.number == b[2]) {
                        Some(x) => x.alt_settings = x.alt_settings.saturating_add(1),
                        None => interfaces.push(InterfaceTable {
                            number: b[2],
                            alt_settings: 1,
                            class: b[5],
                            subclass: b[6],
                            protocol: b[7],
                            builtin: b[2] < itf_max,
                        }),
                    }
                }
                0x05 if b.len() >= 7 => endpoints.push(EndpointTable {
                    address: b[2],
                    interface: cur_itf,
                    alt_setting: cur_alt,
                    attributes: b[3],
                    max_packet_size: u16::from_le_bytes([b[4], b[5]]),
                    interval: b[6],
                    builtin: cur_itf < itf_max,
                }),
                _ => {}
            }
        }
        interfaces.sort_by_key(|x| x.number);
        let mut hid = Vec::new();
        if let Some(c) = dev.configurations.first() {
            for itf in c.interfaces().filter(|i| i.alternate == 0) {
                let Some(h) = itf.hid() else { continue };
                let layout = hid_layout(h);
                let reports = layout
                    .reports
                    .iter()
                    .map(|r| ReportTable { kind: r.kind, id: r.id.unwrap_or(0).min(255) as u8, len: r.bytes.min(0xFFFF) as u16 })
                    .collect();
                let ep = |dir: Direction| itf.endpoints().find(|e| e.direction == dir && e.transfer == Transfer::Interrupt).map(|e| e.address());
                let boot = match (itf.subclass, itf.protocol) {
                    (1, 1) => BootKind::Keyboard,
                    (1, 2) => BootKind::Mouse,
                    _ => BootKind::None,
                };
                let boot_input = boot_input(&layout, boot).filter(|b| !b.identity).map(|b| b.map);
                hid.push(HidTable {
                    interface: itf.number,
                    hid_descriptor: encode::hid_descriptor(h),
                    report_descriptor: h.report_bytes.clone(),
                    in_endpoint: ep(Direction::In).unwrap_or(0),
                    out_endpoint: ep(Direction::Out),
                    boot,
                    boot_input,
                    reports,
                    layout,
                });
            }
        }
        RuntimeTables {
            device: encode::device_descriptor(dev),
            configurations,
            bos: encode::bos(dev),
            device_qualifier: encode::device_qualifier(dev),
            other_speed_configuration: encode::other_speed_configuration(dev, 0),
            msos20: encode::msos20_set(dev),
            webusb_url: encode::webusb_url(dev),
            strings,
            interfaces,
            endpoints,
            hid,
            builtin: dev.builtin.as_ref().map(|b| BuiltinTable { itf_max: b.itf_max, ep_max: b.ep_max, str_max: b.str_max }),
        }
    }
}
