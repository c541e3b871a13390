//! The resolved descriptor model: every number (interface numbers, endpoint addresses, string
//! indices) is assigned. Items are kept in declaration order so that a decoded blob re-encodes
//! byte for byte. Raw overrides (`*_override`) exist only for decoded blobs whose stored counts or
//! lengths differ from the computed ones; front ends for humans never set them from user input
//! except through the documented escape hatches.

use crate::diag::Span;
use crate::profile::Target;
use std::collections::BTreeMap;

/// Source locations of one model node: the whole table and individual fields.
#[derive(Clone, Debug, Default)]
pub struct Spans {
    pub table: Option<Span>,
    pub fields: BTreeMap<&'static str, Span>,
}

impl Spans {
    pub fn table(span: Span) -> Self {
        Spans { table: Some(span), fields: BTreeMap::new() }
    }
    /// Span of a field, falling back to the table.
    pub fn at(&self, field: &str) -> Option<Span> {
        self.fields.get(field).copied().or(self.table)
    }
    /// Whether the field was written by the user (not computed).
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
    pub fn set(&mut self, field: &'static str, span: Span) {
        self.fields.insert(field, span);
    }
}

/// A string reference (iManufacturer, iInterface, ...): an index, with the text when known.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StrRef {
    /// The string index (0 = no string).
    pub index: u8,
    /// Text in the first language, when declared (decoded blobs have none).
    pub text: Option<String>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

impl StrRef {
    pub fn none() -> Self {
        StrRef::default()
    }
    pub fn index(index: u8) -> Self {
        StrRef { index, text: None, span: None }
    }
}

/// One string descriptor: its index, the text in the first language and translations.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StringDesc {
    pub index: u8,
    pub text: String,
    /// LANGID → text, for languages other than the first.
    pub translations: BTreeMap<u16, String>,
}

/// Built-in driver offsets (MicroPython `machine.USBDevice.builtin_driver`).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Builtin {
    /// Preset name, if one was used.
    pub preset: Option<String>,
    /// One more than the highest built-in bInterfaceNumber.
    pub itf_max: u8,
    /// One more than the highest built-in endpoint number (without the IN bit).
    pub ep_max: u8,
    /// One more than the highest built-in string index.
    pub str_max: u8,
    /// Built-in descriptors placed first in configuration 1 (without the 9-byte configuration header).
    pub config_bytes: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Device {
    pub target: Target,
    /// bcdUSB.
    pub usb: u16,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub max_packet_size_0: u8,
    pub vid: u16,
    pub pid: u16,
    /// bcdDevice.
    pub version: u16,
    pub manufacturer: StrRef,
    pub product: StrRef,
    pub serial: StrRef,
    /// LANGIDs of string descriptor 0 (first = default language).
    pub languages: Vec<u16>,
    pub strings: Vec<StringDesc>,
    pub builtin: Option<Builtin>,
    pub configurations: Vec<Configuration>,
    /// Raw BOS device capabilities (`[[bos.capability]]`: bDevCapabilityType and the bytes after
    /// it), encoded after the typed ones.
    pub bos: Vec<RawDescriptor>,
    /// Typed BOS device capabilities (`crate::class::bos`), in registration order.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub capabilities: Vec<CapabilityItem>,
    /// bNumConfigurations when it differs from the number of configurations (decoded blobs only).
    pub num_configurations_override: Option<u8>,
    /// The device descriptor's bLength when it is not 18 (decoded blobs only; hosts read 18 bytes
    /// whatever it says).
    pub length_override: Option<u8>,
    /// Diagnostic codes the user downgraded from error to warning (`allow = [...]`).
    pub allow: Vec<String>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Configuration {
    /// bConfigurationValue.
    pub value: u8,
    pub name: StrRef,
    pub self_powered: bool,
    pub remote_wakeup: bool,
    /// Whole bmAttributes when its reserved bits differ from the computed value (decoded blobs).
    pub attributes_override: Option<u8>,
    /// bMaxPower in 2 mA units.
    pub max_power: u8,
    pub items: Vec<ConfigItem>,
    pub total_length_override: Option<u16>,
    pub num_interfaces_override: Option<u8>,
    /// Bytes after the 9 standard bytes of the configuration descriptor (bLength > 9).
    pub extra: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum ConfigItem {
    Association(Association),
    Interface(Interface),
    Raw(RawDescriptor),
}

/// Interface association descriptor.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Association {
    pub first_interface: u8,
    pub interface_count: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub name: StrRef,
    pub extra: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Interface {
    pub number: u8,
    pub alternate: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub name: StrRef,
    pub items: Vec<InterfaceItem>,
    pub num_endpoints_override: Option<u8>,
    pub extra: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

impl Interface {
    pub fn endpoints(&self) -> impl Iterator<Item = &Endpoint> {
        self.items.iter().filter_map(|i| match i {
            InterfaceItem::Endpoint(e) => Some(e),
            _ => None,
        })
    }
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum InterfaceItem {
    Raw(RawDescriptor),
    Endpoint(Endpoint),
    /// A descriptor of a class behind the class boundary (`crate::class`); it serializes as
    /// `{"kind": <class name>, ...}`.
    #[cfg_attr(feature = "serde", serde(untagged))]
    Class(ClassItem),
}

impl InterfaceItem {
    /// The class item of type `T`, if this is one.
    pub fn class<T: ClassDescriptor>(&self) -> Option<&T> {
        match self {
            InterfaceItem::Class(c) => c.downcast_ref(),
            _ => None,
        }
    }
    pub fn class_mut<T: ClassDescriptor>(&mut self) -> Option<&mut T> {
        match self {
            InterfaceItem::Class(c) => c.downcast_mut(),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- the class boundary, item side

/// A typed class-specific descriptor in an interface, implemented by a class module (see
/// `crate::class` and docs/classes.md). The model keeps it boxed and names no class; everything
/// that has to know the class's bytes, names or string references asks through this trait.
pub trait ClassDescriptor: ItemBase {
    /// The class module's name (`"midi"`, `"dfu"`): the `kind` of the item in JSON output.
    fn class(&self) -> &'static str;
    /// Append the descriptor's bytes (bLength first). `tail` holds the interface items after it
    /// (headers whose wTotalLength counts what follows look at it).
    fn encode(&self, tail: &[InterfaceItem], out: &mut Vec<u8>);
    /// The string references the descriptor holds (iJack, ...), for string numbering. Default none.
    fn strings(&self) -> Vec<&StrRef> {
        Vec::new()
    }
    /// The same, to assign indices.
    fn strings_mut(&mut self) -> Vec<&mut StrRef> {
        Vec::new()
    }
    /// Variable-length parts that may outgrow their length byte: `(what, bytes, limit, span)`;
    /// `check::lengths` reports those above the limit. `itf` is the interface holding the item.
    fn lengths(&self, _itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        Vec::new()
    }
    /// The TOML table this item is written as, given the items after it in the interface; `None`:
    /// write the encoded bytes as a raw `class_descriptor`.
    #[cfg(feature = "emit")]
    fn to_toml(&self, _tail: &[InterfaceItem]) -> Option<TomlTable> {
        None
    }
    /// Codes the TOML written by [`ClassDescriptor::to_toml`] breaks when it is read back, which
    /// the writer lists in `allow` (a decoded HID report in the field form is linted strictly).
    #[cfg(feature = "emit")]
    fn toml_allow(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Computed values the item adds beside its serialized fields in `--emit json` (its encoded
    /// bytes, lengths, a HID report's layout). Default none.
    #[cfg(feature = "emit")]
    fn json_computed(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::Map::new()
    }
    /// How `usbdesc dump` shows the descriptor; `bytes` is what [`ClassDescriptor::encode`] wrote
    /// (bLength first). `None`: a hex line.
    fn dump(&self, _bytes: &[u8]) -> Option<DumpBlock> {
        None
    }
}

/// One descriptor as `usbdesc dump` shows it (lsusb style): a title line, then bLength,
/// bDescriptorType (named `type_name`) and the lines of `fields`.
#[derive(Clone, Debug, Default)]
pub struct DumpBlock {
    pub title: String,
    pub type_name: &'static str,
    pub fields: Vec<DumpLine>,
}

/// A line of a [`DumpBlock`] after bDescriptorType.
#[derive(Clone, Debug)]
pub enum DumpLine {
    /// `name value description`, aligned like the standard fields.
    Field(String, String, String),
    /// Free text (a HID report's items), `indent` levels below the fields.
    Text { indent: usize, text: String },
}

impl DumpBlock {
    pub fn new(title: impl Into<String>, type_name: &'static str) -> Self {
        DumpBlock { title: title.into(), type_name, fields: Vec::new() }
    }
    /// Add a field.
    pub fn field(&mut self, name: impl Into<String>, value: impl std::fmt::Display, desc: impl Into<String>) -> &mut Self {
        self.fields.push(DumpLine::Field(name.into(), value.to_string(), desc.into()));
        self
    }
    /// Add lines of text `indent` levels below the fields.
    pub fn text(&mut self, indent: usize, text: impl Into<String>) -> &mut Self {
        self.fields.push(DumpLine::Text { indent, text: text.into() });
        self
    }
}

/// One TOML table written for class items: `[prefix.key]` (or `[[prefix.key]]` when `array`)
/// with its `key = value` lines. A non-array key is written once per interface; a second item
/// with the same key falls back to a raw `class_descriptor`.
#[derive(Clone, Debug, Default)]
pub struct TomlTable {
    pub key: &'static str,
    pub array: bool,
    pub kv: Vec<(String, String)>,
    /// How many interface items the table stands for, from this one (CDC-ACM: 4). At least 1.
    pub consumed: usize,
}

crate::boxed::boxed_item!(
    /// A boxed [`ClassDescriptor`].
    ClassItem,
    ClassDescriptor,
    ItemBase,
    class
);

// ---------------------------------------------------------------- BOS capabilities, item side

/// A typed BOS device capability (USB 3.2 §9.6.2), implemented by a capability module under
/// `crate::class::bos` (see docs/classes.md). The model keeps it boxed as a [`CapabilityItem`] and
/// names no capability; the encoder, the writers, the checks and the runtime tables ask through
/// this trait. The other side, the capability's reader, dump, checks and schema, is
/// `crate::class::DeviceCapability`.
pub trait CapabilityDescriptor: CapabilityBase {
    /// Its table under `[bos]` (`"webusb"`); the `kind` in JSON output.
    fn key(&self) -> &'static str;
    /// The device capability descriptor: bLength, 0x10, bDevCapabilityType, then its fields.
    fn encode(&self) -> Vec<u8>;
    /// Descriptors the capability serves on vendor requests (the MS OS 2.0 descriptor set, the
    /// WebUSB landing page). Default none.
    fn vendor(&self) -> Vec<VendorDescriptor> {
        Vec::new()
    }
    /// Parts that may outgrow their length field: `(what, bytes, limit)`; `check::lengths`
    /// reports those above the limit (UD2011). Default none.
    fn lengths(&self) -> Vec<(String, usize, usize)> {
        Vec::new()
    }
    /// Where it was declared (its TOML table), for diagnostics.
    fn span(&self) -> Option<Span> {
        None
    }
    /// The TOML it is written as: `[bos.KEY]` with its keys, then its sub-tables.
    #[cfg(feature = "emit")]
    fn to_toml(&self) -> String;
}

crate::boxed::boxed_item!(
    /// A boxed [`CapabilityDescriptor`].
    CapabilityItem,
    CapabilityDescriptor,
    CapabilityBase,
    key
);

/// A descriptor the device serves on a vendor request (bmRequestType 0xC0: IN, vendor, device):
/// `bRequest` = `request` (the capability's vendor code), `wValue` = `value`, `wIndex` = `index`.
/// Any other `wValue`/`wIndex` on a code in use STALLs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VendorDescriptor {
    /// The capability's key (`msos20`): emitted code names `{KEY}_VENDOR_CODE`.
    pub capability: &'static str,
    /// snake_case name of the bytes in generated code and JSON (`msos20_descriptor_set`).
    pub name: &'static str,
    /// What it is, for comments and `usbdesc dump` ("Microsoft OS 2.0 descriptor set").
    pub title: &'static str,
    pub request: u8,
    pub value: u16,
    pub index: u16,
    pub bytes: Vec<u8>,
}

impl<T: ClassDescriptor> From<T> for InterfaceItem {
    fn from(item: T) -> Self {
        InterfaceItem::Class(ClassItem::new(item))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Direction {
    Out,
    In,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Transfer {
    Control,
    Isochronous,
    Bulk,
    Interrupt,
}

impl Transfer {
    pub fn bits(self) -> u8 {
        match self {
            Transfer::Control => 0,
            Transfer::Isochronous => 1,
            Transfer::Bulk => 2,
            Transfer::Interrupt => 3,
        }
    }
    pub fn from_bits(b: u8) -> Transfer {
        match b & 3 {
            0 => Transfer::Control,
            1 => Transfer::Isochronous,
            2 => Transfer::Bulk,
            _ => Transfer::Interrupt,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Transfer::Control => "control",
            Transfer::Isochronous => "isochronous",
            Transfer::Bulk => "bulk",
            Transfer::Interrupt => "interrupt",
        }
    }
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Endpoint {
    /// Endpoint number 0..=15 (without the direction bit).
    pub number: u8,
    pub direction: Direction,
    pub transfer: Transfer,
    /// bmAttributes bits 2..=7 (iso synchronisation type, usage type, reserved bits), shifted down by 2.
    pub attributes_high: u8,
    /// wMaxPacketSize as sent (bits 0..10 size, bits 11..12 additional transactions).
    pub max_packet_size: u16,
    /// bInterval as sent.
    pub interval: u8,
    /// Bytes after the 7 standard bytes (e.g. audio bRefresh, bSynchAddress).
    pub extra: Vec<u8>,
    /// Class-specific and companion descriptors that follow this endpoint.
    pub items: Vec<RawDescriptor>,
    /// wMaxPacketSize and bInterval at the other speed (see [`crate::speed`]); `None` = the same.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub other_speed: Option<(u16, u8)>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

impl Endpoint {
    pub fn address(&self) -> u8 {
        (self.number & 0x0f) | if self.direction == Direction::In { 0x80 } else { 0 }
    }
    pub fn attributes(&self) -> u8 {
        self.transfer.bits() | (self.attributes_high << 2)
    }
    /// Packet size without the additional-transaction bits.
    pub fn packet_size(&self) -> u16 {
        self.max_packet_size & 0x7ff
    }
    pub fn additional_transactions(&self) -> u8 {
        ((self.max_packet_size >> 11) & 3) as u8
    }
}

/// A descriptor kept as bytes: `bDescriptorType` and everything after it.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawDescriptor {
    pub descriptor_type: u8,
    /// Bytes after bLength and bDescriptorType.
    pub data: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub spans: Spans,
}

impl Device {
    /// A device with no configurations, strings or capabilities: USB 2.0, EP0 size 64, English
    /// (US) strings, bcdDevice 1.00, VID and PID 0.
    pub fn empty(target: Target) -> Device {
        Device {
            target,
            usb: 0x0200,
            class: 0,
            subclass: 0,
            protocol: 0,
            max_packet_size_0: 64,
            vid: 0,
            pid: 0,
            version: 0x0100,
            manufacturer: StrRef::none(),
            product: StrRef::none(),
            serial: StrRef::none(),
            languages: vec![0x0409],
            strings: Vec::new(),
            builtin: None,
            configurations: Vec::new(),
            bos: Vec::new(),
            capabilities: Vec::new(),
            num_configurations_override: None,
            length_override: None,
            allow: Vec::new(),
            spans: Spans::default(),
        }
    }
    /// Whether any configuration (or the built-in prefix) holds an interface association.
    pub fn has_iad(&self) -> bool {
        let builtin_iad = self.builtin.as_ref().is_some_and(|b| crate::spec::contains_iad(&b.config_bytes));
        builtin_iad || self.configurations.iter().any(|c| c.associations().next().is_some())
    }
    /// Whether the device declares any BOS capability (typed or raw).
    pub fn has_bos(&self) -> bool {
        !self.bos.is_empty() || !self.capabilities.is_empty()
    }
    /// Every descriptor the device's capabilities serve on vendor requests, in capability order.
    pub fn vendor_descriptors(&self) -> Vec<VendorDescriptor> {
        self.capabilities.iter().flat_map(|c| c.vendor()).collect()
    }
    /// Text of a string index in the first language.
    pub fn string(&self, index: u8) -> Option<&str> {
        self.strings.iter().find(|s| s.index == index).map(|s| s.text.as_str())
    }
}

impl Configuration {
    pub fn interfaces(&self) -> impl Iterator<Item = &Interface> {
        self.items.iter().filter_map(|i| match i {
            ConfigItem::Interface(x) => Some(x),
            _ => None,
        })
    }
    pub fn associations(&self) -> impl Iterator<Item = &Association> {
        self.items.iter().filter_map(|i| match i {
            ConfigItem::Association(x) => Some(x),
            _ => None,
        })
    }
    /// Distinct interface numbers declared by the user part, in first-seen order.
    pub fn interface_numbers(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for i in self.interfaces() {
            if !v.contains(&i.number) {
                v.push(i.number);
            }
        }
        v
    }
}
