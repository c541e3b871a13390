//! The type map of TOML devices: a layout report becomes a [`ReportType`] whose fields are named
//! and typed from their usages (`x`, `y`, `wheel`; packed bits as one unsigned integer; arrays of
//! key codes), or from the field form's `name = "..."`.

use super::naming::{kind_ident, n_bytes, snake_ident, UniqueNames};
use super::{FieldTy, ReportField, ReportType};
use crate::hid::layout::{LayoutField, Report};
use crate::scalar::Scalar;

/// A report type for a layout report with field names and types derived from usages (TOML
/// devices, `usbdesc build --emit rust`), or the field form's `name = "..."` where given.
/// Constant fields are padding (written as zeros).
///
/// Types: a variable field with one usage per element becomes one scalar per usage (`x`, `y`,
/// `wheel`); a usage range of 1-bit variable values (buttons, modifier keys, LEDs) of at most 32
/// elements becomes one unsigned integer `u8`/`u16`/`u32` with bit i = usage_min + i (the
/// wire layout, so `modifiers = 0x02` is Left Shift); other fields become arrays (`[u8; 6]` for
/// key code arrays) or scalars of the smallest type that holds their bits (up to `u64`/`i64`);
/// elements wider than 64 bits are their raw little-endian bytes (`[u8; bits / 8]`, and
/// `<name>_hi: u8` with the top `bits % 8` bits).
pub fn from_layout(report: &Report, name: &str, interface: Option<u8>) -> ReportType {
    use crate::hid::usages::{page_display, usage_name};
    let mut fields = Vec::new();
    let mut names = UniqueNames::default();
    let mut unique = |base: String| names.take(base);
    for f in &report.fields {
        if f.constant || f.count == 0 || f.bits == 0 {
            continue;
        }
        let uname = |u: u32| {
            usage_name((u >> 16) as u16, u as u16).unwrap_or_else(|| format!("usage_{:04x}_{:04x}", u >> 16, u & 0xFFFF))
        };
        let doc = field_doc(f);
        let Some(scalar) = Scalar::for_field(f.bits, f.logical_min, f.logical_max) else {
            // Wider than 64 bits: each element as its raw little-endian bytes, `[u8; bits / 8]`,
            // plus `<name>_hi: u8` for the top `bits % 8` bits when the width is not whole bytes.
            let base = match (&f.name, f.usage_of(0)) {
                (Some(n), _) => n.clone(),
                (None, Some(u)) if f.variable => snake_ident(&uname(u)),
                _ => snake_ident(&page_display(f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page))),
            };
            let (full, rem) = (f.bits / 8, f.bits % 8);
            for e in 0..f.count {
                // u64: the offsets of a report over the host limit (not generated) overflow u32.
                let off = (f.bit_offset as u64 + e as u64 * f.bits as u64).min(u32::MAX as u64) as u32;
                let name = unique(if f.count > 1 { format!("{base}_{e}") } else { base.clone() });
                let raw = format!("{doc} Element {e} as raw little-endian bytes ({} bits).", f.bits);
                if full > 0 {
                    fields.push(ReportField {
                        name: name.clone(),
                        ty: FieldTy { scalar: Scalar::U8, array: Some(full) },
                        bit_offset: off,
                        bits: 8,
                        doc: Some(raw.clone()),
                    });
                }
                if rem > 0 {
                    fields.push(ReportField {
                        name: unique(format!("{name}_hi")),
                        ty: FieldTy { scalar: Scalar::U8, array: None },
                        bit_offset: off.saturating_add(full * 8),
                        bits: rem,
                        doc: Some(format!("The top {rem} bits of `{name}`.")),
                    });
                }
            }
            continue;
        };
        let distinct: Vec<u32> = {
            let mut v = Vec::new();
            for u in &f.usages {
                if !v.contains(u) {
                    v.push(*u);
                }
            }
            v
        };
        if f.name.is_none() && f.variable && f.count > 1 && f.usage_range.is_none() && distinct.len() == f.count as usize {
            // One scalar field per element, named by its usage (X, Y, Wheel...).
            for (i, u) in distinct.iter().enumerate() {
                fields.push(ReportField {
                    name: unique(snake_ident(&uname(*u))),
                    ty: FieldTy { scalar, array: None },
                    bit_offset: f.bit_offset.saturating_add((i as u32).saturating_mul(f.bits)),
                    bits: f.bits,
                    doc: Some(doc.clone()),
                });
            }
            continue;
        }
        if f.variable && f.bits == 1 && f.count > 1 && f.count <= 32 && f.usage_range.is_some() && f.logical_min >= 0 {
            // A usage range of 1-bit values (buttons, modifier keys, LEDs) as one unsigned
            // integer: bit i is usage_min + i, as on the wire.
            let page = f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page);
            let scalar = match f.count {
                0..=8 => Scalar::U8,
                9..=16 => Scalar::U16,
                _ => Scalar::U32,
            };
            fields.push(ReportField {
                name: unique(f.name.clone().unwrap_or_else(|| snake_ident(&page_display(page)))),
                ty: FieldTy { scalar, array: None },
                bit_offset: f.bit_offset,
                bits: f.count,
                doc: Some(format!("{doc} Packed bits: bit i is usage_min + i.")),
            });
            continue;
        }
        let base = if let Some(n) = &f.name {
            n.clone()
        } else if f.count == 1 && !distinct.is_empty() && f.usage_range.is_none() {
            snake_ident(&uname(distinct[0]))
        } else if f.count == 1 && f.usage_range.is_some() && f.variable {
            snake_ident(&uname(f.usage_of(0).unwrap_or(0)))
        } else {
            let page = f.usage_range.map(|(a, _)| (a >> 16) as u16).unwrap_or(f.usage_page);
            snake_ident(&page_display(page))
        };
        fields.push(ReportField {
            name: unique(base),
            ty: FieldTy { scalar, array: (f.count > 1).then_some(f.count) },
            bit_offset: f.bit_offset,
            bits: f.bits,
            doc: Some(doc),
        });
    }
    let doc = format!(
        "{} report{} ({} on the wire).",
        kind_ident(report.kind),
        report.id.map(|i| format!(" ID {i}")).unwrap_or_default(),
        n_bytes(report.bytes as u64)
    );
    ReportType {
        name: name.to_string(),
        kind: report.kind,
        id: report.id.unwrap_or(0).min(255) as u8,
        len: report.bytes as usize,
        interface,
        fields,
        doc: Some(doc),
    }
}

fn field_doc(f: &LayoutField) -> String {
    use crate::hid::usages::full_usage_display;
    let usages = match f.usage_range {
        Some((a, b)) if f.usages.is_empty() => format!("{} ..= {}", full_usage_display(a), full_usage_display(b)),
        _ => f.usages.iter().map(|u| full_usage_display(*u)).collect::<Vec<_>>().join(", "),
    };
    format!(
        "{usages}; bit {}, {} × {} bits, logical {}..={}{}.",
        f.bit_offset,
        f.count,
        f.bits,
        f.logical_min,
        f.logical_max,
        if f.variable { "" } else { ", array of usage indices" }
    )
}
