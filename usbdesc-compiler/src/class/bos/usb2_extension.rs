//! The USB 2.0 Extension capability (USB 2.0 LPM ECN §4.1): bmAttributes, bit 1 = LPM.
//!
//! TOML: `[bos.usb2_extension] lpm = true`, or `attributes = 0x02` for the whole field.

use crate::class::{CapabilityItem, DeviceCapability, DumpBlock};
use crate::diag::Diagnostics;
use crate::model::CapabilityDescriptor;
use crate::spec::{capability::USB2_EXTENSION, u32_at, DEVICE_CAPABILITY};
use crate::tomlr::Table;

/// `[bos.usb2_extension]`.
pub const KEYS: &[&str] = &["lpm", "attributes"];
/// bmAttributes bit 1: Link Power Management supported.
const LPM: u32 = 0x02;

/// The capability's one field.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Usb2Extension {
    pub attributes: u32,
}

impl CapabilityDescriptor for Usb2Extension {
    fn key(&self) -> &'static str {
        "usb2_extension"
    }
    fn encode(&self) -> Vec<u8> {
        let mut b = vec![7, DEVICE_CAPABILITY, USB2_EXTENSION];
        b.extend_from_slice(&self.attributes.to_le_bytes());
        b
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self) -> String {
        format!("\n[bos.usb2_extension]\nattributes = {:#010x}\n", self.attributes)
    }
}

/// The capability's reader, dump and schema.
pub struct Capability;

impl DeviceCapability for Capability {
    fn key(&self) -> &'static str {
        "usb2_extension"
    }
    fn read(&self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<CapabilityItem> {
        let mut attributes = 0u32;
        if t.get("lpm").and_then(|v| v.bool(d)) == Some(true) {
            attributes |= LPM;
        }
        if let Some(x) = t.get("attributes").and_then(|v| v.u32(d)) {
            attributes = x;
        }
        t.finish(KEYS, d);
        Some(CapabilityItem::new(Usb2Extension { attributes }))
    }
    fn dump(&self, c: &[u8]) -> Option<DumpBlock> {
        if c.len() < 7 || c[2] != USB2_EXTENSION {
            return None;
        }
        let a = u32_at(c, 3);
        let mut b = DumpBlock::new("USB 2.0 Extension", "");
        b.field("bDevCapabilityType", c[2], "USB 2.0 EXTENSION");
        b.field("bmAttributes", format!("0x{a:08x}"), if a & LPM != 0 { "LPM supported" } else { "" });
        Some(b)
    }
    #[cfg(feature = "emit")]
    fn schema(&self) -> serde_json::Value {
        use crate::schema_parts::{boolean, int, table};
        table("the USB 2.0 Extension capability", KEYS, &[], |k| if k == "lpm" { boolean() } else { int(0, 0xffff_ffff) })
    }
    fn key_docs(&self) -> &'static str {
        "bos.usb2_extension | none | [bos.usb2_extension] | The USB 2.0 Extension capability (LPM).
usb2_extension.lpm | false | lpm = true | bmAttributes bit 1: Link Power Management.
usb2_extension.attributes | from lpm | attributes = 0x02 | bmAttributes as a number."
    }
}
