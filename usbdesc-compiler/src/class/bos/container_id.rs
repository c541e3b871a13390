//! The Container ID capability (USB 3.2 §9.6.2.3): a UUID unique to the physical device, which
//! Windows uses to group the device's functions (and hubs' ports) into one device in Devices and
//! Printers, whichever port or hub it is seen through.
//!
//! TOML: `[bos.container_id] uuid = "6f0c1a2e-4b8d-4c7e-9a51-3d2f8e7b6c10"`. The UUID is laid out
//! as a GUID (the first three fields little-endian), the order Windows and `lsusb -v` read.
//! It names one physical unit: Windows shows two units reporting the same ID as one device, so a
//! compiled-in ID suits a device of which one unit is plugged in at a time.

use crate::class::{CapabilityItem, DeviceCapability, DumpBlock};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::CapabilityDescriptor;
use crate::spec::{capability::CONTAINER_ID, DEVICE_CAPABILITY};
use crate::tomlr::Table;

/// `[bos.container_id]`.
pub const KEYS: &[&str] = &["uuid"];
/// A `uuid` that is not a UUID.
pub const BAD_UUID: &str = "UD5104";

/// The capability: its UUID.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ContainerId {
    pub uuid: uuid::Uuid,
}

impl CapabilityDescriptor for ContainerId {
    fn key(&self) -> &'static str {
        "container_id"
    }
    fn encode(&self) -> Vec<u8> {
        let mut b = vec![20, DEVICE_CAPABILITY, CONTAINER_ID, 0];
        b.extend_from_slice(&self.uuid.to_bytes_le());
        b
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self) -> String {
        format!("\n[bos.container_id]\nuuid = \"{}\"\n", self.uuid.hyphenated())
    }
}

/// The capability's reader, dump and schema.
pub struct Capability;

impl DeviceCapability for Capability {
    fn key(&self) -> &'static str {
        "container_id"
    }
    fn read(&self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<CapabilityItem> {
        let v = t.require("uuid", d);
        t.finish(KEYS, d);
        let v = v?;
        let text = v.str(d)?;
        match uuid::Uuid::try_parse(text) {
            Ok(uuid) => Some(CapabilityItem::new(ContainerId { uuid })),
            Err(_) => {
                d.push(
                    Diagnostic::error(BAD_UUID, format!("container ID \"{text}\" is not a UUID"))
                        .at(v.span())
                        .help("write 32 hex digits as 8-4-4-4-12, e.g. \"6f0c1a2e-4b8d-4c7e-9a51-3d2f8e7b6c10\" (generate one with `uuidgen`)"),
                );
                None
            }
        }
    }
    fn dump(&self, c: &[u8]) -> Option<DumpBlock> {
        if c.len() != 20 || c[2] != CONTAINER_ID {
            return None;
        }
        let uuid = uuid::Uuid::from_bytes_le(c[4..20].try_into().ok()?);
        let mut b = DumpBlock::new("Container ID", "");
        b.field("bDevCapabilityType", c[2], "CONTAINER ID");
        b.field("ContainerID", "", format!("{{{}}}", uuid.hyphenated()));
        Some(b)
    }
    #[cfg(feature = "emit")]
    fn schema(&self) -> serde_json::Value {
        crate::schema_parts::table("the Container ID capability", KEYS, &["uuid"], |_| {
            serde_json::json!({ "type": "string", "pattern": "^(\\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\\}|[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})$" })
        })
    }
    fn key_docs(&self) -> &'static str {
        "bos.container_id | none | [bos.container_id] | The Container ID capability: one UUID per physical device, which Windows groups the device's functions by.
container_id.uuid | required | uuid = \"6f0c1a2e-4b8d-4c7e-9a51-3d2f8e7b6c10\" | ContainerID, laid out as a GUID (first three fields little-endian); one per physical unit: Windows shows units with the same ID as one device."
    }
}
