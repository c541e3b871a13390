//! The peer side: usbd-hid 0.10 reports declared with `#[gen_hid_descriptor]` and packed with the
//! serializer the macro generates (`AsInputReport::serialize`, what `HIDClass::push_input` calls).

use crate::Pack;
use usbd_hid::descriptor::generator_prelude::*;
use usbd_hid::descriptor::KeyboardReport;

impl Pack for KeyboardReport {
    #[inline(never)]
    fn pack(&self, buf: &mut [u8]) -> usize {
        self.serialize(buf).unwrap_or(0)
    }
}

pub fn keyboard() -> KeyboardReport {
    KeyboardReport {
        modifier: 0x02,
        reserved: 0,
        leds: 0,
        keycodes: [0x04, 0x05, 0x06, 0, 0, 0],
    }
}

/// A two-contact touch screen input report, 20 fields (see BENCHMARKS.md for the layout). No report
/// ID: usbd-hid 0.10 generates no serializer for reports with IDs.
#[gen_hid_descriptor(
    (collection = APPLICATION, usage_page = DIGITIZER, usage = 0x04) = {
        (usage_page = DIGITIZER,) = {
            (collection = LOGICAL, usage = 0x22) = {
                (usage_min = 0x42, usage_max = 0x43) = { #[packed_bits = 2] c0_state=input; };
                (usage = 0x51,) = { c0_id=input; };
                (usage_page = GENERIC_DESKTOP, usage = X,) = { c0_x=input; };
                (usage_page = GENERIC_DESKTOP, usage = Y,) = { c0_y=input; };
                (usage = 0x48,) = { c0_width=input; };
                (usage = 0x49,) = { c0_height=input; };
                (usage = 0x30,) = { c0_pressure=input; };
                (usage = 0x3f,) = { c0_azimuth=input; };
                (usage = 0x3d,) = { c0_tilt=input; };
            };
            (collection = LOGICAL, usage = 0x22) = {
                (usage_min = 0x42, usage_max = 0x43) = { #[packed_bits = 2] c1_state=input; };
                (usage = 0x51,) = { c1_id=input; };
                (usage_page = GENERIC_DESKTOP, usage = X,) = { c1_x=input; };
                (usage_page = GENERIC_DESKTOP, usage = Y,) = { c1_y=input; };
                (usage = 0x48,) = { c1_width=input; };
                (usage = 0x49,) = { c1_height=input; };
                (usage = 0x30,) = { c1_pressure=input; };
                (usage = 0x3f,) = { c1_azimuth=input; };
                (usage = 0x3d,) = { c1_tilt=input; };
            };
            (usage = 0x56,) = { scan_time=input; };
            (usage = 0x54,) = { contact_count=input; };
        };
    }
)]
pub struct DigitizerReport {
    pub c0_state: u8,
    pub c0_id: u8,
    pub c0_x: u16,
    pub c0_y: u16,
    pub c0_width: u16,
    pub c0_height: u16,
    pub c0_pressure: u16,
    pub c0_azimuth: u16,
    pub c0_tilt: i8,
    pub c1_state: u8,
    pub c1_id: u8,
    pub c1_x: u16,
    pub c1_y: u16,
    pub c1_width: u16,
    pub c1_height: u16,
    pub c1_pressure: u16,
    pub c1_azimuth: u16,
    pub c1_tilt: i8,
    pub scan_time: u16,
    pub contact_count: u8,
}

impl Pack for DigitizerReport {
    #[inline(never)]
    fn pack(&self, buf: &mut [u8]) -> usize {
        self.serialize(buf).unwrap_or(0)
    }
}

pub fn digitizer() -> DigitizerReport {
    DigitizerReport {
        c0_state: 0b11,
        c0_id: 1,
        c0_x: 1200,
        c0_y: 3400,
        c0_width: 40,
        c0_height: 44,
        c0_pressure: 900,
        c0_azimuth: 180,
        c0_tilt: -12,
        c1_state: 0b01,
        c1_id: 2,
        c1_x: 5600,
        c1_y: 7800,
        c1_width: 38,
        c1_height: 41,
        c1_pressure: 700,
        c1_azimuth: 90,
        c1_tilt: 7,
        scan_time: 0xbeef,
        contact_count: 2,
    }
}

/// The report descriptor usbd-hid generates for [`DigitizerReport`] (printed by `pack describe`).
pub fn digitizer_descriptor() -> &'static [u8] {
    DigitizerReport::desc()
}
