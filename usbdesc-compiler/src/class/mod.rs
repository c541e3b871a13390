//! The class boundary: every USB class that adds class-specific descriptors lives in one module
//! here and is registered with one line in [`CLASSES`]. Nothing outside this file names a class;
//! the core (model, encoder, decoder, TOML reader and writer, checks, schema, dump) calls the
//! hooks below. How to add a class: docs/classes.md.
//!
//! A class has two sides:
//! - its items: the typed descriptors it puts in an interface, each a type implementing
//!   [`ClassDescriptor`] (encode, string references, length limits, TOML table);
//! - the class itself: a unit struct implementing [`UsbClass`] (decode a raw interface into items,
//!   read its TOML tables, endpoint defaults and keys, checks, schema fragments).
//!
//! Every [`UsbClass`] method has a default that does nothing, so a class implements only what it
//! has: Mass Storage (no class-specific descriptors) is a check alone.
//!
//! BOS device capabilities (WebUSB, Microsoft OS 2.0, USB 2.0 Extension, Container ID) are
//! declared once per device, not per interface: each is a module under `class/bos/` registered in
//! [`CAPABILITIES`], with the same two sides one level up ([`CapabilityDescriptor`] items in
//! `Device.capabilities`, a unit struct implementing [`DeviceCapability`]).

pub mod cdc;
pub mod dfu;
pub mod hid;
pub mod midi;
pub mod msc;
pub mod uac2;
pub mod uvc;

/// BOS device capabilities: one module each, registered in [`CAPABILITIES`].
pub mod bos {
    pub mod container_id;
    pub mod msos20;
    pub mod usb2_extension;
    pub mod webusb;
}

use crate::diag::Diagnostics;
pub use crate::model::{CapabilityDescriptor, CapabilityItem, ClassDescriptor, ClassItem, DumpBlock, DumpLine, TomlTable, VendorDescriptor};
use crate::model::{Device, Endpoint, Interface, InterfaceItem};
use crate::tomlr::Table;

/// Every registered class, in the order their hooks run. Adding a class: one `pub mod` line above
/// and one entry here.
pub static CLASSES: &[&dyn UsbClass] = &[&hid::Hid, &cdc::Cdc, &uac2::Uac2, &midi::Midi, &msc::Msc, &dfu::Dfu, &uvc::Uvc];

/// Every registered BOS device capability, in the order they are read and encoded. Adding one:
/// a module under `class/bos/` (and its line in `mod bos` above) and one entry here.
pub static CAPABILITIES: &[&dyn DeviceCapability] = &[
    &bos::usb2_extension::Capability,
    &bos::webusb::Capability,
    &bos::msos20::Capability,
    &bos::container_id::Capability,
];

/// The interface a class hook works in.
#[derive(Clone, Copy, Debug)]
pub struct InterfaceCx {
    pub number: u8,
    pub alternate: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
}

impl InterfaceCx {
    pub fn of(itf: &Interface) -> Self {
        InterfaceCx { number: itf.number, alternate: itf.alternate, class: itf.class, subclass: itf.subclass, protocol: itf.protocol }
    }
}

/// The tables of one interface, in declaration order, with their keys (every key, not only the
/// class's own).
pub type Tables<'t, 'a, 'i> = &'t [(&'static str, Table<'a, 'i>)];

/// A USB class as the core sees it. Every method has a default that does nothing.
pub trait UsbClass: Sync {
    /// The module's name, e.g. `"midi"`.
    fn name(&self) -> &'static str;

    /// Interface-table keys this class reads (`[...dfu]`, `[[...midi_in_jack]]`).
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Keys this class adds to an endpoint table of its interfaces (MIDI: `jacks`).
    fn endpoint_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Decoder: turn raw descriptors of `itf` that this class understands into typed items. They
    /// must re-encode to the same bytes (keep stored lengths as overrides when they differ).
    fn lift(&self, _itf: &mut Interface) {}

    /// TOML reader: start reading one interface. `tables` holds every table of the interface in
    /// declaration order; a class that needs to see them all first (MIDI jack labels) does it
    /// here and keeps what it learns in the returned reader.
    fn reader(&self, _cx: &InterfaceCx, _tables: Tables<'_, '_, '_>, _d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(NoReader)
    }

    /// The `extra` bytes an endpoint of this interface gets when the TOML gives none (Audio 1.0:
    /// bRefresh and bSynchAddress); the TOML writer leaves them out.
    fn endpoint_extra(&self, _cx: &InterfaceCx) -> Option<&'static [u8]> {
        None
    }

    /// TOML writer: `key = value` lines this class writes in an endpoint table, and how many of
    /// the endpoint's leading `items` they stand for (MIDI: `jacks` for the MS_GENERAL descriptor).
    fn endpoint_toml(&self, _cx: &InterfaceCx, _e: &Endpoint) -> (Vec<(String, String)>, usize) {
        (Vec::new(), 0)
    }

    /// `usbdesc dump`: how to show a descriptor that stayed raw in one of this class's interfaces
    /// (an endpoint's class-specific descriptor, or one [`UsbClass::lift`] could not type).
    /// `bytes` start with bLength. `None`: not this class's (the next class is asked, then a hex line).
    fn dump_raw(&self, _cx: &InterfaceCx, _bytes: &[u8]) -> Option<DumpBlock> {
        None
    }

    /// Rules on the whole device (IDs, references), run after the core checks.
    fn check(&self, _dev: &Device, _d: &mut Diagnostics) {}

    /// JSON Schema of the table under interface key `key` (one of [`UsbClass::keys`]), as
    /// `(schema, array)` (array: the key takes `[[...]]`).
    #[cfg(feature = "emit")]
    fn schema(&self, _key: &str) -> Option<serde_json::Value> {
        None
    }

    /// Documentation of its keys, lines of `TABLE.KEY | default | example | meaning` as in
    /// `schema/keys.txt` (interface keys are `interface.KEY`, a table's own keys `KEY.FIELD`).
    fn key_docs(&self) -> &'static str {
        ""
    }

    /// Rust items this class adds to a generated device module (`include_device!`, `--emit
    /// rust`): the tables its part of the runtime needs that the descriptors do not carry (UAC2:
    /// the clocks' sampling rates). `rt` is the path of the runtime crate. Default none.
    fn rust_items(&self, _dev: &Device, _rt: &str) -> String {
        String::new()
    }

    /// The same for the C header (`--emit c`, `--emit tinyusb`): defines a C class driver needs
    /// that the descriptors do not carry. `up` is the header's upper-case prefix. Default none.
    #[cfg(feature = "emit")]
    fn c_items(&self, _dev: &Device, _up: &str) -> String {
        String::new()
    }
}

/// A BOS device capability as the core sees it (the item side is [`CapabilityDescriptor`]). The
/// device-level counterpart of [`UsbClass`]: a capability is declared once per device, as the
/// table `[bos.KEY]`.
pub trait DeviceCapability: Sync {
    /// Its table under `[bos]` (`"webusb"`).
    fn key(&self) -> &'static str;

    /// TOML reader: the item of its table `[bos.KEY]` (`None` after an error it reported).
    fn read(&self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<CapabilityItem>;

    /// `usbdesc dump`: the fields of a device capability descriptor (`bytes` from bLength on), typed
    /// or written raw as `[[bos.capability]]`. `None`: not this capability's (the next is asked,
    /// then a hex line).
    fn dump(&self, _bytes: &[u8]) -> Option<DumpBlock> {
        None
    }

    /// `usbdesc dump`: the descriptors inside one of its vendor descriptors (the MS OS 2.0 set's
    /// headers, IDs and properties). Default: none (the bytes are shown as hex).
    fn dump_vendor(&self, _v: &VendorDescriptor) -> Vec<DumpBlock> {
        Vec::new()
    }

    /// Rules on the whole device (interfaces a capability names), run after the core checks.
    fn check(&self, _dev: &Device, _d: &mut Diagnostics) {}

    /// JSON Schema of its table `[bos.KEY]`.
    #[cfg(feature = "emit")]
    fn schema(&self) -> serde_json::Value;

    /// Documentation of its keys, lines of `TABLE.KEY | default | example | meaning` as in
    /// `schema/keys.txt` (the table is `KEY`; its own entry is `bos.KEY`).
    fn key_docs(&self) -> &'static str {
        ""
    }
}

/// Reads a class's tables of one interface (see [`UsbClass::reader`]).
pub trait InterfaceReader {
    /// The items of the table under `key` (one of the class's keys).
    fn read(&mut self, _cx: &InterfaceCx, _key: &'static str, _t: &Table<'_, '_>, _d: &mut Diagnostics) -> Vec<InterfaceItem> {
        Vec::new()
    }
    /// An endpoint table of the interface: read the class's endpoint keys into `e`.
    fn endpoint(&mut self, _cx: &InterfaceCx, _t: &Table<'_, '_>, _e: &mut Endpoint, _d: &mut Diagnostics) {}
}

/// The reader of a class without per-interface state: it calls `read`.
pub struct Stateless<F>(pub F);

impl<F: Fn(&InterfaceCx, &'static str, &Table<'_, '_>, &mut Diagnostics) -> Vec<InterfaceItem>> InterfaceReader for Stateless<F> {
    fn read(&mut self, cx: &InterfaceCx, key: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<InterfaceItem> {
        (self.0)(cx, key, t, d)
    }
}

struct NoReader;
impl InterfaceReader for NoReader {}

// ---------------------------------------------------------------- dispatch (the only place that walks CLASSES)

/// Every interface key of every class, in registration order.
pub fn interface_keys() -> Vec<&'static str> {
    CLASSES.iter().flat_map(|c| c.keys().iter().copied()).collect()
}

/// Every endpoint key the classes add.
pub fn endpoint_keys() -> Vec<&'static str> {
    CLASSES.iter().flat_map(|c| c.endpoint_keys().iter().copied()).collect()
}

/// The class that reads interface key `key`.
pub fn owner(key: &str) -> Option<usize> {
    CLASSES.iter().position(|c| c.keys().contains(&key))
}

/// Decoder: let every class lift the raw descriptors of `itf`.
pub fn lift(itf: &mut Interface) {
    for c in CLASSES {
        c.lift(itf);
    }
}

/// The readers of every class for one interface, indexed like [`CLASSES`].
pub fn readers(cx: &InterfaceCx, tables: Tables<'_, '_, '_>, d: &mut Diagnostics) -> Vec<Box<dyn InterfaceReader>> {
    CLASSES.iter().map(|c| c.reader(cx, tables, d)).collect()
}

/// The `extra` default of an endpoint in interface `cx`.
pub fn endpoint_extra(cx: &InterfaceCx) -> Option<&'static [u8]> {
    CLASSES.iter().find_map(|c| c.endpoint_extra(cx))
}

/// The classes' endpoint lines and how many leading endpoint items they stand for.
pub fn endpoint_toml(cx: &InterfaceCx, e: &Endpoint) -> (Vec<(String, String)>, usize) {
    let mut kv = Vec::new();
    let mut used = 0;
    for c in CLASSES {
        let (k, n) = c.endpoint_toml(cx, e);
        kv.extend(k);
        used += n;
    }
    (kv, used)
}

/// How the classes show a raw descriptor of interface `cx` in `usbdesc dump`.
pub fn dump_raw(cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
    CLASSES.iter().find_map(|c| c.dump_raw(cx, bytes))
}

/// The Rust items every class adds to a generated device module.
pub fn rust_items(dev: &Device, rt: &str) -> String {
    CLASSES.iter().map(|c| c.rust_items(dev, rt)).collect()
}

/// The C defines every class adds to a generated header.
#[cfg(feature = "emit")]
pub fn c_items(dev: &Device, up: &str) -> String {
    CLASSES.iter().map(|c| c.c_items(dev, up)).collect()
}

/// Every class's checks.
pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in CLASSES {
        c.check(dev, d);
    }
}

/// The schema of class interface key `key`.
#[cfg(feature = "emit")]
pub fn schema(key: &str) -> Option<serde_json::Value> {
    CLASSES.iter().find_map(|c| c.schema(key))
}

// ---------------------------------------------------------------- capability dispatch (the only place that walks CAPABILITIES)

/// The keys under `[bos]` the capabilities read.
pub fn capability_keys() -> Vec<&'static str> {
    CAPABILITIES.iter().map(|c| c.key()).collect()
}

/// Read every capability table of `[bos]`, in registration order.
pub fn read_capabilities(bos: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<CapabilityItem> {
    CAPABILITIES.iter().filter_map(|c| bos.table(c.key(), d).and_then(|t| c.read(&t, d))).collect()
}

/// How a capability shows the device capability descriptor `bytes` in `usbdesc dump`.
pub fn dump_capability(bytes: &[u8]) -> Option<DumpBlock> {
    CAPABILITIES.iter().find_map(|c| c.dump(bytes))
}

/// The descriptors inside vendor descriptor `v`, shown by the capability that serves it.
pub fn dump_vendor(v: &VendorDescriptor) -> Vec<DumpBlock> {
    CAPABILITIES.iter().find(|c| c.key() == v.capability).map(|c| c.dump_vendor(v)).unwrap_or_default()
}

/// Every capability's checks.
pub fn check_capabilities(dev: &Device, d: &mut Diagnostics) {
    for c in CAPABILITIES {
        c.check(dev, d);
    }
}

/// The schema of capability table `[bos.key]`.
#[cfg(feature = "emit")]
pub fn capability_schema(key: &str) -> Option<serde_json::Value> {
    CAPABILITIES.iter().find(|c| c.key() == key).map(|c| c.schema())
}

/// The key documentation every class and capability brings (see [`DeviceCapability::key_docs`]).
pub fn key_docs() -> impl Iterator<Item = &'static str> {
    CLASSES.iter().map(|c| c.key_docs()).chain(CAPABILITIES.iter().map(|c| c.key_docs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every class key has a schema, so editors and `docs/format.md` know it.
    #[cfg(feature = "emit")]
    #[test]
    fn every_class_key_has_a_schema() {
        for c in CLASSES {
            for k in c.keys().iter().chain(c.endpoint_keys()) {
                assert!(c.schema(k).is_some(), "class {} has no schema for `{k}`", c.name());
            }
        }
    }
}
