// TEMPORARY: replaced by generated code
//! Composite device: usbd-serial's CDC-ACM as the built-in driver (interfaces 0-1, endpoints
//! 0x81, 0x01, 0x82 exactly as usbd-serial 0.2 declares and allocates them), then the keypad HID
//! interface at the `[builtin]` offsets (interface 2, endpoints 3, strings from 4). BOS carries an
//! MS OS 2.0 platform capability (vendor code 0x20) with a header-only descriptor set.

use usbdesc_runtime::*;

use super::keypad;

pub static DEVICE_DESCRIPTOR: [u8; 18] = [
    0x12, 0x01, 0x10, 0x02, // DEVICE, bcdUSB 2.10
    0xEF, 0x02, 0x01, 0x40, // Miscellaneous / Common / IAD, EP0 64
    0x09, 0x12, 0x04, 0x00, 0x00, 0x01, // 0x1209:0x0004, bcdDevice 1.00
    0x01, 0x02, 0x03, 0x01, // strings 1-3, 1 configuration
];

pub static CONFIGURATION: [u8; 107] = [
    0x09, 0x02, 0x6B, 0x00, 0x03, 0x01, 0x00, 0x80, 0x32, // wTotalLength 107, 3 interfaces
    // --- built-in: usbd-serial CDC-ACM ---
    0x08, 0x0B, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00, // IAD: interfaces 0-1, CDC ACM
    0x09, 0x04, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x00, // interface 0: CDC comm, 1 endpoint
    0x05, 0x24, 0x00, 0x10, 0x01, // CDC header, bcdCDC 1.10
    0x04, 0x24, 0x02, 0x00, // ACM, bmCapabilities 0
    0x05, 0x24, 0x06, 0x00, 0x01, // union: control 0, subordinate 1
    0x05, 0x24, 0x01, 0x00, 0x01, // call management: data interface 1
    0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0xFF, // EP 1 IN interrupt, 8 bytes, interval 255
    0x09, 0x04, 0x01, 0x00, 0x02, 0x0A, 0x00, 0x00, 0x00, // interface 1: CDC data, 2 endpoints
    0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00, // EP 2 IN bulk 64
    0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00, // EP 1 OUT bulk 64
    // --- ours: keypad HID ---
    0x09, 0x04, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00, 0x04, // interface 2: HID, iInterface 4
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3B, 0x00, // HID 1.11, report descriptor 59 bytes
    0x07, 0x05, 0x83, 0x03, 0x08, 0x00, 0x05, // EP 3 IN interrupt, 8 bytes, 5 ms
    0x07, 0x05, 0x03, 0x03, 0x08, 0x00, 0x05, // EP 3 OUT interrupt, 8 bytes, 5 ms
];

pub static BOS: [u8; 33] = [
    0x05, 0x0F, 0x21, 0x00, 0x01, // BOS, wTotalLength 33, 1 capability
    0x1C, 0x10, 0x05, 0x00, // platform capability, 28 bytes
    0xDF, 0x60, 0xDD, 0xD8, 0x89, 0x45, 0xC7, 0x4C, // MS OS 2.0 UUID D8DD60DF-4589-4CC7-
    0x9C, 0xD2, 0x65, 0x9D, 0x9E, 0x64, 0x8A, 0x9F, //   9CD2-659D9E648A9F
    0x00, 0x00, 0x03, 0x06, // dwWindowsVersion 0x06030000 (Windows 8.1)
    0x0A, 0x00, 0x20, 0x00, // wMSOSDescriptorSetTotalLength 10, bMS_VendorCode 0x20, no alt enum
];

/// MS OS 2.0 descriptor set: the set header alone (wLength 10, type 0, Windows 8.1, total 10).
pub static MSOS20_SET: [u8; 10] = [0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x06, 0x0A, 0x00];

/// LANGID list: en-US.
pub static STRING_0: [u8; 4] = [0x04, 0x03, 0x09, 0x04];
/// "usbdesc"
pub static STRING_MANUFACTURER: [u8; 16] =
    [0x10, 0x03, 0x75, 0x00, 0x73, 0x00, 0x62, 0x00, 0x64, 0x00, 0x65, 0x00, 0x73, 0x00, 0x63, 0x00];
/// "Composite"
pub static STRING_PRODUCT: [u8; 20] = [
    0x14, 0x03, 0x43, 0x00, 0x6F, 0x00, 0x6D, 0x00, 0x70, 0x00, 0x6F, 0x00, 0x73, 0x00, 0x69, 0x00,
    0x74, 0x00, 0x65, 0x00,
];
/// "C0001"
pub static STRING_SERIAL: [u8; 12] = [0x0C, 0x03, 0x43, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x31, 0x00];
/// "Keypad interface"
pub static STRING_KEYPAD: [u8; 34] = [
    0x22, 0x03, 0x4B, 0x00, 0x65, 0x00, 0x79, 0x00, 0x70, 0x00, 0x61, 0x00, 0x64, 0x00, 0x20, 0x00,
    0x69, 0x00, 0x6E, 0x00, 0x74, 0x00, 0x65, 0x00, 0x72, 0x00, 0x66, 0x00, 0x61, 0x00, 0x63, 0x00,
    0x65, 0x00,
];

const fn ep(address: u8, interface: u8, transfer: TransferType, size: u16, interval: u8, builtin: bool) -> EndpointInfo {
    let attributes = match transfer {
        TransferType::Control => 0,
        TransferType::Isochronous => 1,
        TransferType::Bulk => 2,
        TransferType::Interrupt => 3,
    };
    EndpointInfo { address, interface, alt_setting: 0, transfer, attributes, max_packet_size: size, interval, builtin }
}

pub static DEVICE: DeviceDescriptors = DeviceDescriptors {
    device: &DEVICE_DESCRIPTOR,
    configuration: &CONFIGURATION,
    device_qualifier: None,
    other_speed_configuration: None,
    bos: Some(&BOS),
    strings: &[
        StringDescriptor { index: 0, langid: 0, bytes: &STRING_0 },
        StringDescriptor { index: 1, langid: 0x0409, bytes: &STRING_MANUFACTURER },
        StringDescriptor { index: 2, langid: 0x0409, bytes: &STRING_PRODUCT },
        StringDescriptor { index: 3, langid: 0x0409, bytes: &STRING_SERIAL },
        StringDescriptor { index: 4, langid: 0x0409, bytes: &STRING_KEYPAD },
    ],
    msos20: Some(MsOs20 { vendor_code: 0x20, descriptor_set: &MSOS20_SET }),
    interfaces: &[
        InterfaceInfo { number: 0, alt_settings: 1, class: 0x02, subclass: 0x02, protocol: 0, builtin: true },
        InterfaceInfo { number: 1, alt_settings: 1, class: 0x0A, subclass: 0, protocol: 0, builtin: true },
        InterfaceInfo { number: 2, alt_settings: 1, class: 0x03, subclass: 0, protocol: 0, builtin: false },
    ],
    endpoints: &[
        ep(0x81, 0, TransferType::Interrupt, 8, 255, true),
        ep(0x82, 1, TransferType::Bulk, 64, 0, true),
        ep(0x01, 1, TransferType::Bulk, 64, 0, true),
        ep(0x83, 2, TransferType::Interrupt, 8, 5, false),
        ep(0x03, 2, TransferType::Interrupt, 8, 5, false),
    ],
    hid: &[HidInterface {
        interface: 2,
        hid_descriptor: CONFIGURATION.split_at(84).1.split_at(9).0,
        report_descriptor: &keypad::REPORT_DESCRIPTOR,
        in_endpoint: 0x83,
        out_endpoint: Some(0x03),
        boot: BootProtocol::None,
        reports: &keypad::REPORTS,
    }],
    builtin: Some(BuiltinOffsets { itf_max: 2, ep_max: 3, str_max: 4 }),
};
