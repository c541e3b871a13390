//! Built-in driver presets (MicroPython `machine.USBDevice.builtin_driver`).
//!
//! With a built-in driver active, MicroPython requires the runtime configuration descriptor to
//! begin with the built-in descriptors, and appended interfaces, endpoints and strings to start at
//! `itf_max`, `ep_max` and `str_max` (MicroPython docs, `machine.USBDevice.builtin_driver`).

use crate::model::{Builtin, Spans};

/// A named preset.
pub struct Preset {
    pub name: &'static str,
    pub itf_max: u8,
    pub ep_max: u8,
    pub str_max: u8,
    pub config_bytes: &'static [u8],
    /// Which firmware the preset reflects.
    pub reflects: &'static str,
}

/// `micropython-cdc`: MicroPython's built-in CDC-ACM serial port on the rp2 and samd ports
/// (MicroPython ≥ 1.23, `shared/tinyusb/mp_usbd_descriptor.c` with TinyUSB's `TUD_CDC_DESCRIPTOR`):
/// IAD + communication interface 0 (string 4 "Board CDC", notification EP 0x81, 8 B, bInterval 16),
/// data interface 1 (bulk OUT 0x02 and IN 0x82, 64 B). Interfaces 0–1, endpoints 1–2, strings 1–4
/// are taken: itf_max = 2, ep_max = 3, str_max = 5. The ACM bmCapabilities byte is 0x02 as in the
/// TinyUSB release MicroPython 1.23 ships (newer TinyUSB writes 0x06).
pub const MICROPYTHON_CDC: Preset = Preset {
    name: "micropython-cdc",
    itf_max: 2,
    ep_max: 3,
    str_max: 5,
    config_bytes: &[
        0x08, 0x0b, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00, // IAD: interfaces 0-1, CDC/ACM
        0x09, 0x04, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x04, // interface 0: CDC ACM, 1 EP, string 4
        0x05, 0x24, 0x00, 0x20, 0x01, // CDC header, bcdCDC 1.20
        0x05, 0x24, 0x01, 0x00, 0x01, // call management, data interface 1
        0x04, 0x24, 0x02, 0x02, // ACM, bmCapabilities 0x02 (line coding)
        0x05, 0x24, 0x06, 0x00, 0x01, // union: control 0, subordinate 1
        0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x10, // EP 0x81 interrupt, 8 B, bInterval 16
        0x09, 0x04, 0x01, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x00, // interface 1: CDC data, 2 EPs
        0x07, 0x05, 0x02, 0x02, 0x40, 0x00, 0x00, // EP 0x02 bulk OUT, 64 B
        0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00, // EP 0x82 bulk IN, 64 B
    ],
    reflects: "MicroPython >= 1.23 rp2/samd built-in CDC-ACM (shared/tinyusb/mp_usbd_descriptor.c)",
};

/// `usbd-serial-cdc`: `usbd_serial::SerialPort::new` (usbd-serial 0.2) created first on a
/// usb-device 0.3 allocator: IAD + communication interface 0 (header 1.10, ACM bmCapabilities 0,
/// union 0/1, call management 0/1, notification EP 0x81 interrupt 8 B, bInterval 255), data
/// interface 1 (bulk IN 0x82 then bulk OUT 0x01, 64 B), no strings. Interfaces 0–1, endpoints 1–2
/// are taken and the next string index is 4: itf_max = 2, ep_max = 3, str_max = 4. Endpoint
/// numbers are the ones usb-device's allocators hand out in order (atsamd-hal, usbd-class-tester);
/// the runtime's emulated-host test compares these bytes with what usbd-serial writes.
pub const USBD_SERIAL_CDC: Preset = Preset {
    name: "usbd-serial-cdc",
    itf_max: 2,
    ep_max: 3,
    str_max: 4,
    config_bytes: &[
        0x08, 0x0b, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00, // IAD: interfaces 0-1, CDC/ACM
        0x09, 0x04, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x00, // interface 0: CDC ACM, 1 EP
        0x05, 0x24, 0x00, 0x10, 0x01, // CDC header, bcdCDC 1.10
        0x04, 0x24, 0x02, 0x00, // ACM, bmCapabilities 0
        0x05, 0x24, 0x06, 0x00, 0x01, // union: control 0, subordinate 1
        0x05, 0x24, 0x01, 0x00, 0x01, // call management, data interface 1
        0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0xff, // EP 0x81 interrupt, 8 B, bInterval 255
        0x09, 0x04, 0x01, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x00, // interface 1: CDC data, 2 EPs
        0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00, // EP 0x82 bulk IN, 64 B
        0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00, // EP 0x01 bulk OUT, 64 B
    ],
    reflects: "usbd-serial 0.2 SerialPort::new on usb-device 0.3 (created before any other class)",
};

pub const PRESETS: &[&Preset] = &[&MICROPYTHON_CDC, &USBD_SERIAL_CDC];

pub fn preset(name: &str) -> Option<&'static Preset> {
    let n = crate::tomlr::normalize_name(name);
    PRESETS.iter().copied().find(|p| crate::tomlr::normalize_name(p.name) == n)
}

impl Preset {
    pub fn to_builtin(&self, spans: Spans) -> Builtin {
        Builtin {
            preset: Some(self.name.to_string()),
            itf_max: self.itf_max,
            ep_max: self.ep_max,
            str_max: self.str_max,
            config_bytes: self.config_bytes.to_vec(),
            spans,
        }
    }
}
