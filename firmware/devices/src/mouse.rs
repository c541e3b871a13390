// TEMPORARY: replaced by generated code
//! Boot mouse with a wheel: report protocol sends 4 bytes (buttons, X, Y, wheel); boot protocol
//! sends the HID 1.11 Appendix B.2 3-byte format (buttons, X, Y).

use usbdesc_runtime::*;

pub static REPORT_DESCRIPTOR: [u8; 52] = [
    0x05, 0x01, // Usage Page (Generic Desktop)
    0x09, 0x02, // Usage (Mouse)
    0xA1, 0x01, // Collection (Application)
    0x09, 0x01, //   Usage (Pointer)
    0xA1, 0x00, //   Collection (Physical)
    0x05, 0x09, //     Usage Page (Button)
    0x19, 0x01, //     Usage Minimum (1)
    0x29, 0x03, //     Usage Maximum (3)
    0x15, 0x00, //     Logical Minimum (0)
    0x25, 0x01, //     Logical Maximum (1)
    0x95, 0x03, //     Report Count (3)
    0x75, 0x01, //     Report Size (1)
    0x81, 0x02, //     Input (Data, Variable, Absolute): 3 buttons
    0x95, 0x01, //     Report Count (1)
    0x75, 0x05, //     Report Size (5)
    0x81, 0x01, //     Input (Constant): padding
    0x05, 0x01, //     Usage Page (Generic Desktop)
    0x09, 0x30, //     Usage (X)
    0x09, 0x31, //     Usage (Y)
    0x09, 0x38, //     Usage (Wheel)
    0x15, 0x81, //     Logical Minimum (-127)
    0x25, 0x7F, //     Logical Maximum (127)
    0x75, 0x08, //     Report Size (8)
    0x95, 0x03, //     Report Count (3)
    0x81, 0x06, //     Input (Data, Variable, Relative)
    0xC0, //   End Collection
    0xC0, // End Collection
];

pub static DEVICE_DESCRIPTOR: [u8; 18] = [
    0x12, 0x01, 0x00, 0x02, // DEVICE, bcdUSB 2.00
    0x00, 0x00, 0x00, 0x40, // class from interfaces, bMaxPacketSize0 64
    0x09, 0x12, 0x02, 0x00, // idVendor 0x1209, idProduct 0x0002
    0x00, 0x01, 0x01, 0x02, 0x03, 0x01, // bcdDevice 1.00, strings 1-3, 1 configuration
];

pub static CONFIGURATION: [u8; 34] = [
    0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0xA0, 0x32, // wTotalLength 34, remote wakeup, 100 mA
    0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x02, 0x00, // HID boot mouse, 1 endpoint
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x34, 0x00, // HID 1.11, report descriptor 52 bytes
    0x07, 0x05, 0x81, 0x03, 0x04, 0x00, 0x0A, // EP 1 IN interrupt, 4 bytes, 10 ms
];

/// LANGID list: en-US.
pub static STRING_0: [u8; 4] = [0x04, 0x03, 0x09, 0x04];
/// "usbdesc"
pub static STRING_MANUFACTURER: [u8; 16] =
    [0x10, 0x03, 0x75, 0x00, 0x73, 0x00, 0x62, 0x00, 0x64, 0x00, 0x65, 0x00, 0x73, 0x00, 0x63, 0x00];
/// "Boot Mouse"
pub static STRING_PRODUCT: [u8; 22] = [
    0x16, 0x03, 0x42, 0x00, 0x6F, 0x00, 0x6F, 0x00, 0x74, 0x00, 0x20, 0x00, 0x4D, 0x00, 0x6F, 0x00,
    0x75, 0x00, 0x73, 0x00, 0x65, 0x00,
];
/// "M0001"
pub static STRING_SERIAL: [u8; 12] = [0x0C, 0x03, 0x4D, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x31, 0x00];

pub static DEVICE: DeviceDescriptors = DeviceDescriptors {
    device: &DEVICE_DESCRIPTOR,
    configuration: &CONFIGURATION,
    device_qualifier: None,
    other_speed_configuration: None,
    bos: None,
    strings: &[
        StringDescriptor { index: 0, langid: 0, bytes: &STRING_0 },
        StringDescriptor { index: 1, langid: 0x0409, bytes: &STRING_MANUFACTURER },
        StringDescriptor { index: 2, langid: 0x0409, bytes: &STRING_PRODUCT },
        StringDescriptor { index: 3, langid: 0x0409, bytes: &STRING_SERIAL },
    ],
    msos20: None,
    interfaces: &[InterfaceInfo { number: 0, alt_settings: 1, class: 3, subclass: 1, protocol: 2, builtin: false }],
    endpoints: &[EndpointInfo {
        address: 0x81,
        interface: 0,
        alt_setting: 0,
        transfer: TransferType::Interrupt,
        attributes: 0x03,
        max_packet_size: 4,
        interval: 10,
        builtin: false,
    }],
    hid: &[HidInterface {
        interface: 0,
        hid_descriptor: CONFIGURATION.split_at(18).1.split_at(9).0,
        report_descriptor: &REPORT_DESCRIPTOR,
        in_endpoint: 0x81,
        out_endpoint: None,
        boot: BootProtocol::Mouse,
        reports: &[ReportInfo { kind: ReportKind::Input, id: 0, len: 4 }],
    }],
    builtin: None,
};

/// Buttons (bits 0..2), X, Y, wheel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MouseReport {
    pub buttons: u8,
    pub x: i8,
    pub y: i8,
    pub wheel: i8,
}

impl Report for MouseReport {
    const ID: u8 = 0;
    const LEN: usize = 4;
    const KIND: ReportKind = ReportKind::Input;
    const INTERFACE: Option<u8> = Some(0);
}

impl PackReport for MouseReport {
    fn pack_into(&self, buf: &mut [u8]) -> usize {
        let Some(out) = buf.get_mut(..Self::LEN) else { return 0 };
        out.copy_from_slice(&[self.buttons & 0x07, self.x as u8, self.y as u8, self.wheel as u8]);
        Self::LEN
    }
}
impl InputReport for MouseReport {}
