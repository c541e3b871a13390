//! The static data model that generated code fills in.
//!
//! Everything here is `const`-constructible from `&'static` slices, so the compiler can emit one
//! `pub static DEVICE: usbdesc_runtime::DeviceDescriptors = DeviceDescriptors { .. };` and the
//! runtime serves those bytes verbatim. No field is ever computed at run time: all lengths, counts,
//! numbers and addresses come from the compiler.

/// A whole compiled device: the wire bytes plus the tables the runtime needs to serve them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceDescriptors {
    /// The 18-byte DEVICE descriptor (type 0x01). Its `bMaxPacketSize0` (byte 7) must be given to
    /// `UsbDeviceBuilder::max_packet_size_0` (see [`DeviceDescriptors::max_packet_size_0`]).
    pub device: &'static [u8],
    /// The full CONFIGURATION bundle (type 0x02): configuration descriptor followed by every IAD,
    /// interface, class-specific and endpoint descriptor, `wTotalLength` bytes long.
    /// usb-device only accepts `bConfigurationValue` 1.
    pub configuration: &'static [u8],
    /// DEVICE_QUALIFIER (type 0x06); `None` for a full-speed-only device, which then STALLs the
    /// request as USB 2.0 §9.6.2 requires.
    pub device_qualifier: Option<&'static [u8]>,
    /// OTHER_SPEED_CONFIGURATION bundle (type 0x07); `None` STALLs the request.
    pub other_speed_configuration: Option<&'static [u8]>,
    /// The whole BOS bundle (type 0x0F, `wTotalLength` bytes); `None` STALLs GET_DESCRIPTOR(BOS).
    pub bos: Option<&'static [u8]>,
    /// Every STRING descriptor this device declares, one entry per (index, language).
    /// Index 0 is the LANGID list (its `langid` is 0). Indices not listed here are left to other
    /// classes / the usb-device builder (e.g. the strings of a built-in driver below `str_max`).
    pub strings: &'static [StringDescriptor],
    /// Descriptors served on vendor requests to the device (the Microsoft OS 2.0 descriptor set,
    /// the WebUSB landing page): each answers its `bRequest`, `wValue` and `wIndex`; any other
    /// vendor request with a `bRequest` listed here STALLs.
    pub vendor: &'static [VendorDescriptor],
    /// Every interface of the configuration, built-in ones included, in ascending number.
    pub interfaces: &'static [InterfaceInfo],
    /// Every non-control endpoint of the configuration (all alternate settings), built-in included.
    pub endpoints: &'static [EndpointInfo],
    /// The HID interfaces the runtime drives with the HID 1.11 class protocol.
    pub hid: &'static [HidInterface],
    /// When a built-in driver (e.g. usbd-serial CDC-ACM) owns the first interfaces, endpoints and
    /// strings, the first free number of each (TOML `[builtin]`). `None` when the device is all ours.
    pub builtin: Option<BuiltinOffsets>,
}

/// One STRING descriptor (type 0x03) in one language, as sent on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringDescriptor {
    /// String index (`wValue` low byte). 0 is the LANGID list.
    pub index: u8,
    /// Language ID (`wIndex`), e.g. 0x0409; 0 for the LANGID list itself.
    pub langid: u16,
    /// The complete descriptor: `bLength`, `bDescriptorType` = 3, then UTF-16LE code units
    /// (for index 0, the LANGID codes).
    pub bytes: &'static [u8],
}

/// A descriptor served on one vendor request (bmRequestType 0xC0: IN, vendor, device), e.g. the
/// Microsoft OS 2.0 descriptor set (its `bMS_VendorCode`, `wIndex` 7) or a WebUSB URL descriptor
/// (its `bVendorCode`, `wIndex` 2, `wValue` the URL index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorDescriptor {
    /// `bRequest`: the vendor code the BOS capability declares.
    pub request: u8,
    /// `wValue`.
    pub value: u16,
    /// `wIndex`.
    pub index: u16,
    /// The complete descriptor, sent as is (cut to `wLength`).
    pub bytes: &'static [u8],
}

/// One interface number of the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// `bInterfaceNumber`.
    pub number: u8,
    /// How many alternate settings it has (at least 1).
    pub alt_settings: u8,
    /// `bInterfaceClass`, `bInterfaceSubClass`, `bInterfaceProtocol` of alternate setting 0.
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    /// True when a built-in driver (below `BuiltinOffsets::itf_max`) owns it; the runtime does not
    /// allocate it.
    pub builtin: bool,
}

/// USB transfer type (bits 1..0 of `bmAttributes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferType {
    Control,
    Isochronous,
    Bulk,
    Interrupt,
}

/// One endpoint descriptor of the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointInfo {
    /// `bEndpointAddress`: number in bits 3..0, bit 7 set for IN.
    pub address: u8,
    /// The interface and alternate setting it belongs to.
    pub interface: u8,
    pub alt_setting: u8,
    /// Transfer type; `attributes` is the full `bmAttributes` byte (isochronous sync/usage bits).
    pub transfer: TransferType,
    pub attributes: u8,
    /// `wMaxPacketSize` (bits 10..0 size; high-speed multiplier bits 12..11).
    pub max_packet_size: u16,
    /// `bInterval`.
    pub interval: u8,
    /// True when a built-in driver owns it; the runtime does not allocate it.
    pub builtin: bool,
}

impl EndpointInfo {
    /// The usb-device endpoint type to allocate it with (isochronous sync and usage from
    /// `attributes`).
    pub fn endpoint_type(&self) -> usb_device::endpoint::EndpointType {
        use usb_device::endpoint::{
            EndpointType, IsochronousSynchronizationType as Sync, IsochronousUsageType as Usage,
        };
        match self.transfer {
            TransferType::Control => EndpointType::Control,
            TransferType::Bulk => EndpointType::Bulk,
            TransferType::Interrupt => EndpointType::Interrupt,
            TransferType::Isochronous => EndpointType::Isochronous {
                synchronization: match (self.attributes >> 2) & 3 {
                    0 => Sync::NoSynchronization,
                    1 => Sync::Asynchronous,
                    2 => Sync::Adaptive,
                    _ => Sync::Synchronous,
                },
                usage: match (self.attributes >> 4) & 3 {
                    0 => Usage::Data,
                    1 => Usage::Feedback,
                    _ => Usage::ImplicitFeedbackData,
                },
            },
        }
    }
}

/// Which boot protocol (HID 1.11 §4.2, `bInterfaceProtocol`) an interface supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootProtocol {
    /// Not a boot device (subclass 0); SET_PROTOCOL is STALLed.
    None,
    /// Boot keyboard: 8-byte input report, 1-byte LED output report in boot protocol.
    Keyboard,
    /// Boot mouse: 3-byte input report (buttons, X, Y) in boot protocol.
    Mouse,
}

/// Where the bytes of the boot input report (HID 1.11 Appendix B) come from, computed by the
/// compiler from the report layout: keyboard byte 0 modifiers, 1 reserved, 2..7 key codes; mouse
/// byte 0 buttons, 1 X, 2 Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BootInput {
    /// Report ID of the input report the boot report is built from (0: no report IDs). While in
    /// boot protocol only this report is sent.
    pub id: u8,
    /// One source per boot byte: 8 for a keyboard, 3 for a mouse.
    pub bytes: &'static [BootByte],
}

/// One byte of the boot input report: `bits` bits at `bit_offset` of the source report (offsets
/// count the report ID byte, HID bit order). `bits` 0 is a constant 0. A source wider than 8 bits
/// saturates (signed to -127..=127, unsigned to 255); a signed one narrower than 8 bits is sign
/// extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BootByte {
    pub bit_offset: u16,
    pub bits: u8,
    pub signed: bool,
}

/// The kind of a HID report; the discriminant is the report type of GET/SET_REPORT `wValue`
/// high byte (HID 1.11 §7.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ReportKind {
    Input = 1,
    Output = 2,
    Feature = 3,
}

/// One report of a HID interface's report descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportInfo {
    pub kind: ReportKind,
    /// Report ID; 0 when the descriptor uses no report IDs.
    pub id: u8,
    /// Length on the wire in bytes, including the report ID byte when `id != 0`.
    pub len: u16,
}

/// One HID interface (HID 1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HidInterface {
    /// `bInterfaceNumber`.
    pub interface: u8,
    /// The 9-byte (or longer) HID class descriptor (type 0x21), exactly as inside `configuration`.
    pub hid_descriptor: &'static [u8],
    /// The report descriptor (type 0x22), served for GET_DESCRIPTOR(REPORT).
    pub report_descriptor: &'static [u8],
    /// Address of the interrupt IN endpoint (bit 7 set).
    pub in_endpoint: u8,
    /// Address of the optional interrupt OUT endpoint.
    pub out_endpoint: Option<u8>,
    /// Boot protocol support.
    pub boot: BootProtocol,
    /// How the boot input report is built from a report-protocol input report while the host has
    /// selected boot protocol; `None` when the first input report already is the boot report
    /// (no report ID, the HID 1.11 Appendix B layout and length) and is sent as is.
    pub boot_input: Option<BootInput>,
    /// Every report, input, output and feature, in descriptor order.
    pub reports: &'static [ReportInfo],
}

/// First free interface number, endpoint number and string index after a built-in driver
/// (MicroPython's `itf_max`, `ep_max`, `str_max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinOffsets {
    pub itf_max: u8,
    pub ep_max: u8,
    pub str_max: u8,
}

/// A device with no descriptors and no tables (what the class falls back to instead of a panic
/// path; tests fill in the tables they need with `..EMPTY`).
pub(crate) const EMPTY: DeviceDescriptors = DeviceDescriptors {
    device: &[],
    configuration: &[],
    device_qualifier: None,
    other_speed_configuration: None,
    bos: None,
    strings: &[],
    vendor: &[],
    interfaces: &[],
    endpoints: &[],
    hid: &[],
    builtin: None,
};

impl DeviceDescriptors {
    /// `bMaxPacketSize0` of the device descriptor (8 if the descriptor is malformed), to pass to
    /// `UsbDeviceBuilder::max_packet_size_0`.
    pub const fn max_packet_size_0(&self) -> u8 {
        if self.device.len() > 7 {
            self.device[7]
        } else {
            8
        }
    }

    /// `idVendor` and `idProduct` of the device descriptor, to pass to `UsbVidPid`.
    pub const fn vid_pid(&self) -> (u16, u16) {
        if self.device.len() < 12 {
            return (0, 0);
        }
        let d = self.device;
        (
            u16::from_le_bytes([d[8], d[9]]),
            u16::from_le_bytes([d[10], d[11]]),
        )
    }

    /// Bytes of state the runtime keeps for this device (see `UsbdescClass`'s `STATE`): the HID
    /// report state, then what each VideoStreaming interface negotiated (6 bytes each).
    pub const fn state_len(&self) -> usize {
        self.hid_state_len() + crate::video::state_len(self)
    }

    /// Bytes of HID report state: where the video state starts.
    pub(crate) const fn hid_state_len(&self) -> usize {
        let mut total = 0;
        let mut i = 0;
        while i < self.hid.len() {
            total += crate::state::ITF_HEADER;
            let reports = self.hid[i].reports;
            let mut r = 0;
            while r < reports.len() {
                total += crate::state::REPORT_HEADER + reports[r].len as usize;
                r += 1;
            }
            i += 1;
        }
        total
    }
}
