// TEMPORARY: replaced by generated code
//! The floor's device (bench/fw-floor): the same device, configuration, HID and report descriptor
//! bytes, no strings of its own (the board's builder serves manufacturer and product), no BOS, no
//! interrupt OUT endpoint (the LED report arrives by SET_REPORT).

use usbdesc_runtime::*;

pub use usbdesc_devices::keyboard::{KeyboardLeds, KeyboardReport, REPORT_DESCRIPTOR};

pub static DEVICE_DESCRIPTOR: [u8; 18] = [
    0x12, 0x01, 0x00, 0x02, // DEVICE, bcdUSB 2.00
    0x00, 0x00, 0x00, 0x08, // class from interfaces, bMaxPacketSize0 8
    0x09, 0x12, 0x01, 0x00, // idVendor 0x1209, idProduct 0x0001
    0x10, 0x00, // bcdDevice 0.10
    0x01, 0x02, 0x00, // iManufacturer 1, iProduct 2 (the builder's), no serial
    0x01, // bNumConfigurations
];

pub static CONFIGURATION: [u8; 34] = [
    0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0x80,
    0x32, // 34 bytes, 1 interface, bus powered
    0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00, // HID boot keyboard, 1 endpoint
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00, // HID 1.11, report descriptor 63 B
    0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0A, // EP 1 IN interrupt, 8 bytes, 10 ms
];

pub static DEVICE: DeviceDescriptors = DeviceDescriptors {
    device: &DEVICE_DESCRIPTOR,
    configuration: &CONFIGURATION,
    device_qualifier: None,
    other_speed_configuration: None,
    bos: None,
    strings: &[],
    msos20: None,
    interfaces: &[InterfaceInfo {
        number: 0,
        alt_settings: 1,
        class: 0x03,
        subclass: 0x01,
        protocol: 0x01,
        builtin: false,
    }],
    endpoints: &[EndpointInfo {
        address: 0x81,
        interface: 0,
        alt_setting: 0,
        transfer: TransferType::Interrupt,
        attributes: 0x03,
        max_packet_size: 8,
        interval: 10,
        builtin: false,
    }],
    hid: &[HidInterface {
        interface: 0,
        hid_descriptor: CONFIGURATION.split_at(18).1.split_at(9).0,
        report_descriptor: &REPORT_DESCRIPTOR,
        in_endpoint: 0x81,
        out_endpoint: None,
        boot: BootProtocol::Keyboard,
        reports: &[
            ReportInfo {
                kind: ReportKind::Input,
                id: 0,
                len: 8,
            },
            ReportInfo {
                kind: ReportKind::Output,
                id: 0,
                len: 1,
            },
        ],
    }],
    builtin: None,
};
