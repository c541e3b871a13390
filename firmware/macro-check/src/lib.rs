//! Build check only: every macro's generated code compiles for `thumbv6m-none-eabi`, no_std, no
//! alloc, with no warnings.
#![no_std]
#![deny(warnings)]

use usbdesc_runtime::{hid_descriptor, hid_report, PackReport, ReportError};

/// The TOML boot keyboard device.
pub mod keyboard {
    usbdesc_runtime::include_device!("../../examples/keyboard.toml");
}

/// The TOML CDC + HID composite device (built-in driver offsets).
pub mod composite_toml {
    usbdesc_runtime::include_device!("../../examples/cdc-hid-composite.toml");
}

#[hid_report(usage_page = "Generic Desktop", usage = "Mouse", nested(physical, usage = "Pointer"))]
pub struct Mouse {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 3)]
    pub buttons: [bool; 3],
    #[input(padding, bits = 5)]
    _pad: (),
    #[input(usage_page = "Generic Desktop", usages = ["X", "Y", "Wheel"], relative)]
    pub xyw: [i8; 3],
}

#[hid_descriptor]
pub mod composite {
    #[hid_report(report_id = 1, usage_page = "Generic Desktop", usage = "Keyboard")]
    pub struct Keyboard {
        #[input(usage_page = "Keyboard", usage_min = 0xE0, usage_max = 0xE7, bits = 1, count = 8)]
        pub modifiers: u8,
        #[input(array, usage_min = 0, usage_max = 101, logical_min = 0, logical_max = 101)]
        pub keys: [u8; 6],
        #[output(usage_page = "LED", usage_min = 1, usage_max = 5)]
        pub leds: [bool; 5],
        #[output(padding, bits = 3)]
        _pad: (),
    }

    #[hid_report(report_id = 2, usage_page = "Consumer", usage = "Consumer Control")]
    pub struct Consumer {
        #[input(array, usage_min = 0, usage_max = 0x3FF, logical_min = 0, logical_max = 0x3FF, bits = 16)]
        pub usages: [u16; 2],
    }
}

/// Packs a mouse report into `buf` (what a firmware send path does).
pub fn send_mouse(m: &Mouse, buf: &mut [u8]) -> usize {
    m.pack_into(buf)
}

/// Typed dispatch of an incoming output report.
pub fn on_output(bytes: &[u8]) -> Result<bool, ReportError> {
    match composite::Output::unpack(bytes)? {
        composite::Output::KeyboardOutput(k) => Ok(k.leds[1]),
    }
}

/// Generic over the runtime traits.
pub fn pack_any<R: PackReport>(r: &R, buf: &mut [u8]) -> usize {
    r.pack_into(buf)
}

/// The TOML device's typed input report.
pub fn toml_keys(buf: &mut [u8]) -> usize {
    let r = keyboard::hid0::Input::default();
    pack_any(&r, buf) + keyboard::DEVICE.hid.len() + composite_toml::DEVICE.interfaces.len()
}
