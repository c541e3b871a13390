// TEMPORARY: replaced by generated code
//! Boot keyboard (HID 1.11 Appendix B.1) with an interrupt OUT endpoint for the LED report,
//! strings in two languages and a BOS with a USB 2.0 extension capability.

use usbdesc_runtime::*;

/// HID 1.11 Appendix B.1 / E.6 boot keyboard report descriptor: 63 bytes.
pub static REPORT_DESCRIPTOR: [u8; 63] = [
    0x05, 0x01, // Usage Page (Generic Desktop)
    0x09, 0x06, // Usage (Keyboard)
    0xA1, 0x01, // Collection (Application)
    0x05, 0x07, //   Usage Page (Keyboard/Keypad)
    0x19, 0xE0, //   Usage Minimum (Left Control)
    0x29, 0xE7, //   Usage Maximum (Right GUI)
    0x15, 0x00, //   Logical Minimum (0)
    0x25, 0x01, //   Logical Maximum (1)
    0x75, 0x01, //   Report Size (1)
    0x95, 0x08, //   Report Count (8)
    0x81, 0x02, //   Input (Data, Variable, Absolute): modifier byte
    0x95, 0x01, //   Report Count (1)
    0x75, 0x08, //   Report Size (8)
    0x81, 0x01, //   Input (Constant): reserved byte
    0x95, 0x05, //   Report Count (5)
    0x75, 0x01, //   Report Size (1)
    0x05, 0x08, //   Usage Page (LEDs)
    0x19, 0x01, //   Usage Minimum (Num Lock)
    0x29, 0x05, //   Usage Maximum (Kana)
    0x91, 0x02, //   Output (Data, Variable, Absolute): LED report
    0x95, 0x01, //   Report Count (1)
    0x75, 0x03, //   Report Size (3)
    0x91, 0x01, //   Output (Constant): LED report padding
    0x95, 0x06, //   Report Count (6)
    0x75, 0x08, //   Report Size (8)
    0x15, 0x00, //   Logical Minimum (0)
    0x25, 0x65, //   Logical Maximum (101)
    0x05, 0x07, //   Usage Page (Keyboard/Keypad)
    0x19, 0x00, //   Usage Minimum (0)
    0x29, 0x65, //   Usage Maximum (101)
    0x81, 0x00, //   Input (Data, Array): key array (6 bytes)
    0xC0, // End Collection
];

pub static DEVICE_DESCRIPTOR: [u8; 18] = [
    0x12, 0x01, // bLength, DEVICE
    0x10, 0x02, // bcdUSB 2.10 (BOS present)
    0x00, 0x00, 0x00, // class from interfaces
    0x40, // bMaxPacketSize0 64
    0x09, 0x12, 0x01, 0x00, // idVendor 0x1209 (pid.codes), idProduct 0x0001 (test)
    0x00, 0x01, // bcdDevice 1.00
    0x01, 0x02, 0x03, // iManufacturer, iProduct, iSerialNumber
    0x01, // bNumConfigurations
];

pub static CONFIGURATION: [u8; 41] = [
    0x09, 0x02, 0x29, 0x00, // CONFIGURATION, wTotalLength 41
    0x01, 0x01, 0x00, // bNumInterfaces 1, bConfigurationValue 1, iConfiguration 0
    0xA0, 0x32, // bus powered + remote wakeup, 100 mA
    0x09, 0x04, 0x00, 0x00, 0x02, // INTERFACE 0, alt 0, 2 endpoints
    0x03, 0x01, 0x01, 0x04, // HID, boot subclass, keyboard protocol, iInterface 4
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, // HID 1.11, country 0, 1 class descriptor
    0x22, 0x3F, 0x00, // REPORT descriptor, 63 bytes
    0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0A, // EP 1 IN interrupt, 8 bytes, 10 ms
    0x07, 0x05, 0x01, 0x03, 0x08, 0x00, 0x0A, // EP 1 OUT interrupt, 8 bytes, 10 ms
];

pub static BOS: [u8; 12] = [
    0x05, 0x0F, 0x0C, 0x00, 0x01, // BOS, wTotalLength 12, 1 capability
    0x07, 0x10, 0x02, 0x02, 0x00, 0x00, 0x00, // USB 2.0 extension, LPM supported
];

/// LANGID list: en-US (0x0409), de-DE (0x0407).
pub static STRING_0: [u8; 6] = [0x06, 0x03, 0x09, 0x04, 0x07, 0x04];
/// "usbdesc"
pub static STRING_MANUFACTURER: [u8; 16] =
    [0x10, 0x03, 0x75, 0x00, 0x73, 0x00, 0x62, 0x00, 0x64, 0x00, 0x65, 0x00, 0x73, 0x00, 0x63, 0x00];
/// "Boot Keyboard"
pub static STRING_PRODUCT_EN: [u8; 28] = [
    0x1C, 0x03, 0x42, 0x00, 0x6F, 0x00, 0x6F, 0x00, 0x74, 0x00, 0x20, 0x00, 0x4B, 0x00, 0x65, 0x00,
    0x79, 0x00, 0x62, 0x00, 0x6F, 0x00, 0x61, 0x00, 0x72, 0x00, 0x64, 0x00,
];
/// "Tastatur"
pub static STRING_PRODUCT_DE: [u8; 18] =
    [0x12, 0x03, 0x54, 0x00, 0x61, 0x00, 0x73, 0x00, 0x74, 0x00, 0x61, 0x00, 0x74, 0x00, 0x75, 0x00, 0x72, 0x00];
/// "KB0001"
pub static STRING_SERIAL: [u8; 14] = [0x0E, 0x03, 0x4B, 0x00, 0x42, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x31, 0x00];
/// "Keyboard interface"
pub static STRING_INTERFACE: [u8; 38] = [
    0x26, 0x03, 0x4B, 0x00, 0x65, 0x00, 0x79, 0x00, 0x62, 0x00, 0x6F, 0x00, 0x61, 0x00, 0x72, 0x00,
    0x64, 0x00, 0x20, 0x00, 0x69, 0x00, 0x6E, 0x00, 0x74, 0x00, 0x65, 0x00, 0x72, 0x00, 0x66, 0x00,
    0x61, 0x00, 0x63, 0x00, 0x65, 0x00,
];

pub static DEVICE: DeviceDescriptors = DeviceDescriptors {
    device: &DEVICE_DESCRIPTOR,
    configuration: &CONFIGURATION,
    device_qualifier: None,
    other_speed_configuration: None,
    bos: Some(&BOS),
    strings: &[
        StringDescriptor { index: 0, langid: 0, bytes: &STRING_0 },
        StringDescriptor { index: 1, langid: 0x0409, bytes: &STRING_MANUFACTURER },
        StringDescriptor { index: 1, langid: 0x0407, bytes: &STRING_MANUFACTURER },
        StringDescriptor { index: 2, langid: 0x0409, bytes: &STRING_PRODUCT_EN },
        StringDescriptor { index: 2, langid: 0x0407, bytes: &STRING_PRODUCT_DE },
        StringDescriptor { index: 3, langid: 0x0409, bytes: &STRING_SERIAL },
        StringDescriptor { index: 3, langid: 0x0407, bytes: &STRING_SERIAL },
        StringDescriptor { index: 4, langid: 0x0409, bytes: &STRING_INTERFACE },
        StringDescriptor { index: 4, langid: 0x0407, bytes: &STRING_INTERFACE },
    ],
    msos20: None,
    interfaces: &[InterfaceInfo {
        number: 0,
        alt_settings: 1,
        class: 0x03,
        subclass: 0x01,
        protocol: 0x01,
        builtin: false,
    }],
    endpoints: &[
        EndpointInfo {
            address: 0x81,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Interrupt,
            attributes: 0x03,
            max_packet_size: 8,
            interval: 10,
            builtin: false,
        },
        EndpointInfo {
            address: 0x01,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Interrupt,
            attributes: 0x03,
            max_packet_size: 8,
            interval: 10,
            builtin: false,
        },
    ],
    hid: &[HidInterface {
        interface: 0,
        hid_descriptor: CONFIGURATION.split_at(18).1.split_at(9).0,
        report_descriptor: &REPORT_DESCRIPTOR,
        in_endpoint: 0x81,
        out_endpoint: Some(0x01),
        boot: BootProtocol::Keyboard,
        reports: &[
            ReportInfo { kind: ReportKind::Input, id: 0, len: 8 },
            ReportInfo { kind: ReportKind::Output, id: 0, len: 1 },
        ],
    }],
    builtin: None,
};

/// The 8-byte boot keyboard input report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyboardReport {
    pub modifiers: u8,
    pub keys: [u8; 6],
}

impl Report for KeyboardReport {
    const ID: u8 = 0;
    const LEN: usize = 8;
    const KIND: ReportKind = ReportKind::Input;
    const INTERFACE: Option<u8> = Some(0);
}

impl PackReport for KeyboardReport {
    fn pack_into(&self, buf: &mut [u8]) -> usize {
        let Some(out) = buf.get_mut(..Self::LEN) else { return 0 };
        out[0] = self.modifiers;
        out[1] = 0;
        out[2..].copy_from_slice(&self.keys);
        Self::LEN
    }
}
impl InputReport for KeyboardReport {}

/// The 1-byte LED output report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyboardLeds {
    pub num_lock: bool,
    pub caps_lock: bool,
    pub scroll_lock: bool,
    pub compose: bool,
    pub kana: bool,
}

impl Report for KeyboardLeds {
    const ID: u8 = 0;
    const LEN: usize = 1;
    const KIND: ReportKind = ReportKind::Output;
    const INTERFACE: Option<u8> = Some(0);
}

impl UnpackReport for KeyboardLeds {
    fn unpack(bytes: &[u8]) -> Result<Self, ReportError> {
        let b = check_frame(bytes, Self::ID, Self::LEN)?[0];
        Ok(KeyboardLeds {
            num_lock: b & 0x01 != 0,
            caps_lock: b & 0x02 != 0,
            scroll_lock: b & 0x04 != 0,
            compose: b & 0x08 != 0,
            kana: b & 0x10 != 0,
        })
    }
}
impl OutputReport for KeyboardLeds {}
