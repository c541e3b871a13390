//! The boot protocol of a HID interface (HID 1.11 Appendix B): where each byte of the boot input
//! report comes from in the interface's own input report, derived from its layout. The runtime
//! tables carry the result; `check::boot` reports what a boot keyboard or mouse lacks.

use crate::hid::item::ReportKind;
use crate::hid::Layout;

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

