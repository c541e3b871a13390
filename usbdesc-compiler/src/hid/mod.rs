//! HID report descriptors: item model, field form and item form, usage names (hut), encoder,
//! decoder, report layout and lints.
//!
//! CONTRACT used by the rest of the core (the device model, the TOML front end, the CLI, the macros).
//! The HID owner may grow this API but must keep these entry points:
//! - [`ReportDescriptor::from_toml`]: parse the `report` table of a HID interface
//!   (`[configuration.interface.hid.report]`) or of a standalone report document (top-level `[report]`).
//! - [`ReportDescriptor::encode`]: the exact bytes (the one HID encoder).
//! - [`ReportDescriptor::decode`]: bytes → descriptor (field form where it re-encodes exactly, otherwise
//!   item form). Never panics; errors name the byte offset.
//! - [`ReportDescriptor::to_toml`]: a `toml::Table` that `from_toml` reads back to the same bytes.
//! - [`ReportDescriptor::check`]: lints (with an optional interrupt endpoint size for the size rule).

use crate::diag::{Diagnostic, Diagnostics};
use crate::tomlr::Table;

/// A HID report descriptor (stub until the HID module lands: holds raw bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportDescriptor {
    bytes: Vec<u8>,
}

/// What the HID lints may know about the interface the report is attached to.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttachContext {
    /// wMaxPacketSize of the interrupt IN endpoint, if any.
    pub in_max_packet: Option<u16>,
    /// wMaxPacketSize of the interrupt OUT endpoint, if any.
    pub out_max_packet: Option<u16>,
    /// Span of the endpoint declaration, for labels.
    pub endpoint_span: Option<crate::diag::Span>,
}

impl ReportDescriptor {
    pub fn from_toml(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<ReportDescriptor> {
        let bytes = t.require("bytes", d)?.bytes(d)?;
        t.finish(&["bytes"], d);
        Some(ReportDescriptor { bytes })
    }
    pub fn decode(bytes: &[u8]) -> Result<ReportDescriptor, Diagnostic> {
        Ok(ReportDescriptor { bytes: bytes.to_vec() })
    }
    pub fn encode(&self) -> Vec<u8> {
        self.bytes.clone()
    }
    pub fn to_toml(&self) -> toml::Table {
        let mut t = toml::Table::new();
        t.insert(
            "bytes".into(),
            toml::Value::String(self.bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")),
        );
        t
    }
    pub fn check(&self, _ctx: &AttachContext, _d: &mut Diagnostics) {}
}
