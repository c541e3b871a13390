// TEMPORARY: replaced by generated code
//! A custom 16-key keypad with report IDs: input 1 (16 buttons), output 2 (4 LEDs), feature 3
//! (brightness, mode). No boot protocol. The composite device reuses this interface.

use usbdesc_runtime::*;

pub static REPORT_DESCRIPTOR: [u8; 59] = [
    0x05, 0x01, // Usage Page (Generic Desktop)
    0x09, 0x07, // Usage (Keypad)
    0xA1, 0x01, // Collection (Application)
    0x85, 0x01, //   Report ID (1)
    0x05, 0x09, //   Usage Page (Button)
    0x19, 0x01, //   Usage Minimum (1)
    0x29, 0x10, //   Usage Maximum (16)
    0x15, 0x00, //   Logical Minimum (0)
    0x25, 0x01, //   Logical Maximum (1)
    0x75, 0x01, //   Report Size (1)
    0x95, 0x10, //   Report Count (16)
    0x81, 0x02, //   Input (Data, Variable, Absolute): 16 buttons
    0x85, 0x02, //   Report ID (2)
    0x05, 0x08, //   Usage Page (LEDs)
    0x19, 0x01, //   Usage Minimum (1)
    0x29, 0x04, //   Usage Maximum (4)
    0x95, 0x04, //   Report Count (4)
    0x91, 0x02, //   Output (Data, Variable, Absolute): 4 LEDs
    0x95, 0x04, //   Report Count (4)
    0x91, 0x01, //   Output (Constant): padding
    0x85, 0x03, //   Report ID (3)
    0x06, 0x00, 0xFF, // Usage Page (Vendor 0xFF00)
    0x09, 0x01, //   Usage (1)
    0x15, 0x00, //   Logical Minimum (0)
    0x26, 0xFF, 0x00, // Logical Maximum (255)
    0x75, 0x08, //   Report Size (8)
    0x95, 0x02, //   Report Count (2)
    0xB1, 0x02, //   Feature (Data, Variable, Absolute): brightness, mode
    0xC0, // End Collection
];

/// The keypad's reports, shared with the composite device.
pub static REPORTS: [ReportInfo; 3] = [
    ReportInfo { kind: ReportKind::Input, id: 1, len: 3 },
    ReportInfo { kind: ReportKind::Output, id: 2, len: 2 },
    ReportInfo { kind: ReportKind::Feature, id: 3, len: 3 },
];

pub static DEVICE_DESCRIPTOR: [u8; 18] = [
    0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, // DEVICE, USB 2.00, EP0 64
    0x09, 0x12, 0x03, 0x00, 0x00, 0x01, // 0x1209:0x0003, bcdDevice 1.00
    0x01, 0x02, 0x00, 0x01, // manufacturer 1, product 2, no serial, 1 configuration
];

pub static CONFIGURATION: [u8; 41] = [
    0x09, 0x02, 0x29, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32, // wTotalLength 41, bus powered, 100 mA
    0x09, 0x04, 0x00, 0x00, 0x02, 0x03, 0x00, 0x00, 0x00, // HID (no boot), 2 endpoints
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3B, 0x00, // HID 1.11, report descriptor 59 bytes
    0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x05, // EP 1 IN interrupt, 8 bytes, 5 ms
    0x07, 0x05, 0x01, 0x03, 0x08, 0x00, 0x05, // EP 1 OUT interrupt, 8 bytes, 5 ms
];

/// LANGID list: en-US.
pub static STRING_0: [u8; 4] = [0x04, 0x03, 0x09, 0x04];
/// "usbdesc"
pub static STRING_MANUFACTURER: [u8; 16] =
    [0x10, 0x03, 0x75, 0x00, 0x73, 0x00, 0x62, 0x00, 0x64, 0x00, 0x65, 0x00, 0x73, 0x00, 0x63, 0x00];
/// "Keypad"
pub static STRING_PRODUCT: [u8; 14] = [0x0E, 0x03, 0x4B, 0x00, 0x65, 0x00, 0x79, 0x00, 0x70, 0x00, 0x61, 0x00, 0x64, 0x00];

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
    ],
    msos20: None,
    interfaces: &[InterfaceInfo { number: 0, alt_settings: 1, class: 3, subclass: 0, protocol: 0, builtin: false }],
    endpoints: &[
        EndpointInfo {
            address: 0x81,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Interrupt,
            attributes: 0x03,
            max_packet_size: 8,
            interval: 5,
            builtin: false,
        },
        EndpointInfo {
            address: 0x01,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Interrupt,
            attributes: 0x03,
            max_packet_size: 8,
            interval: 5,
            builtin: false,
        },
    ],
    hid: &[HidInterface {
        interface: 0,
        hid_descriptor: CONFIGURATION.split_at(18).1.split_at(9).0,
        report_descriptor: &REPORT_DESCRIPTOR,
        in_endpoint: 0x81,
        out_endpoint: Some(0x01),
        boot: BootProtocol::None,
        reports: &REPORTS,
    }],
    builtin: None,
};

/// Input report 1: one bit per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeypadKeys {
    pub keys: u16,
}

impl Report for KeypadKeys {
    const ID: u8 = 1;
    const LEN: usize = 3;
    const KIND: ReportKind = ReportKind::Input;
}

impl PackReport for KeypadKeys {
    fn pack_into(&self, buf: &mut [u8]) -> usize {
        let Some(out) = buf.get_mut(..Self::LEN) else { return 0 };
        out[0] = Self::ID;
        out[1..].copy_from_slice(&self.keys.to_le_bytes());
        Self::LEN
    }
}
impl InputReport for KeypadKeys {}

/// Output report 2: four LEDs in bits 0..3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeypadLeds {
    pub leds: u8,
}

impl Report for KeypadLeds {
    const ID: u8 = 2;
    const LEN: usize = 2;
    const KIND: ReportKind = ReportKind::Output;
}

impl UnpackReport for KeypadLeds {
    fn unpack(bytes: &[u8]) -> Result<Self, ReportError> {
        let payload = check_frame(bytes, Self::ID, Self::LEN)?;
        Ok(KeypadLeds { leds: payload[0] & 0x0F })
    }
}
impl OutputReport for KeypadLeds {}

/// Feature report 3: brightness and mode, read and written by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeypadConfig {
    pub brightness: u8,
    pub mode: u8,
}

impl Report for KeypadConfig {
    const ID: u8 = 3;
    const LEN: usize = 3;
    const KIND: ReportKind = ReportKind::Feature;
}

impl PackReport for KeypadConfig {
    fn pack_into(&self, buf: &mut [u8]) -> usize {
        let Some(out) = buf.get_mut(..Self::LEN) else { return 0 };
        out.copy_from_slice(&[Self::ID, self.brightness, self.mode]);
        Self::LEN
    }
}

impl UnpackReport for KeypadConfig {
    fn unpack(bytes: &[u8]) -> Result<Self, ReportError> {
        let p = check_frame(bytes, Self::ID, Self::LEN)?;
        Ok(KeypadConfig { brightness: p[0], mode: p[1] })
    }
}
impl FeatureReport for KeypadConfig {}
