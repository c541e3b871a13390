//! The runtime tables of a compiled device: every descriptor as bytes plus the interface,
//! endpoint and HID report tables `usbdesc_runtime::DeviceDescriptors` holds. One builder
//! ([`RuntimeTables::from_device`]) feeds both the Rust generator ([`crate::emit::rust`]) and
//! `usbdesc serve` (which leaks the tables into a `&'static DeviceDescriptors`).

use crate::encode;
use crate::hid::item::ReportKind;
use crate::hid::{Layout, ReportDescriptor};
use crate::class::hid::HidDescriptor;
use crate::model::{Device, Direction, Transfer};

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

mod boot;
pub use boot::{boot_input, BootByteTable, BootDerivation, BootInputTable, BootKind};

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
    /// Descriptors served on vendor requests (MS OS 2.0 descriptor set, WebUSB landing page).
    pub vendor: Vec<crate::model::VendorDescriptor>,
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
                    hid_descriptor: crate::class::hid::descriptor(h),
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
            vendor: dev.vendor_descriptors(),
            strings,
            interfaces,
            endpoints,
            hid,
            builtin: dev.builtin.as_ref().map(|b| BuiltinTable { itf_max: b.itf_max, ep_max: b.ep_max, str_max: b.str_max }),
        }
    }
}
