//! The usbdesc side of the report packing benchmark: the same reports as `peers.rs`, declared with
//! `#[hid_report]` and packed with the generated `pack_into` (no allocation, no `Result`). The
//! field types are usbd-hid's: the 8 modifier bits and each contact's 2 state bits are one `u8`
//! (`bits = 1, count = N`, like usbd-hid's `#[packed_bits = N]`), the key codes a `[u8; 6]`, and
//! the keyboard's reserved byte is a field of the struct as in usbd-hid's `KeyboardReport` (a
//! constant item with usage 0 instead of padding, so that the struct covers every byte of the
//! report). Both reports are therefore their own wire payload (`usbdesc_runtime::Wire`):
//! `pack_into` copies the struct's bytes and clears the digitizer's padding bits.
//!
//! The digitizer is flat (no per-contact logical collections: `#[hid_report]` has report-level
//! `nested(..)` only); the packed bytes are the same 33 bytes as usbd-hid's, which
//! `cargo xtask bench` checks (`pack bytes CASE`).

use crate::Pack;
use usbdesc_runtime::hid_report;

/// HID 1.11 App. B.1 boot keyboard (input report: 8 bytes; the LED output report is separate).
#[hid_report(usage_page = "Generic Desktop", usage = "Keyboard")]
#[allow(dead_code)] // only its generated `BootKeyboardInput` is packed here
pub struct BootKeyboard {
    #[input(usage_page = "Keyboard", usage_min = "Keyboard LeftControl", usage_max = "Keyboard Right GUI", bits = 1, count = 8)]
    pub modifiers: u8,
    #[input(constant, usage = 0, logical_min = 0, logical_max = 1, order = [count, bits, usage])]
    pub reserved: u8,
    #[output(usage_page = "LED", usage_min = "Num Lock", usage_max = "Kana", order = [count, bits, usage_page, usage_min, usage_max])]
    pub leds: [bool; 5],
    #[output(padding, bits = 3, order = [count, bits])]
    led_padding: (),
    #[input(array, usage_page = "Keyboard", usage_min = 0, usage_max = 101, logical_min = 0, logical_max = 101,
            order = [count, bits, logical_min, logical_max, usage_page, usage_min, usage_max])]
    pub keys: [u8; 6],
}

pub type Keyboard = BootKeyboardInput;

/// The two-contact touch screen of `peers::DigitizerReport`, 20 fields, 33 bytes, no report ID.
#[hid_report(usage_page = 0x0D, usage = 0x04)]
pub struct Digitizer {
    #[input(usage_page = 0x0D, usage_min = 0x42, usage_max = 0x43, bits = 1, count = 2)]
    pub c0_state: u8,
    #[input(padding, bits = 6)]
    _c0_pad: (),
    #[input(usage_page = 0x0D, usage = 0x51)]
    pub c0_id: u8,
    #[input(usage_page = "Generic Desktop", usage = "X")]
    pub c0_x: u16,
    #[input(usage_page = "Generic Desktop", usage = "Y")]
    pub c0_y: u16,
    #[input(usage_page = 0x0D, usage = 0x48)]
    pub c0_width: u16,
    #[input(usage_page = 0x0D, usage = 0x49)]
    pub c0_height: u16,
    #[input(usage_page = 0x0D, usage = 0x30)]
    pub c0_pressure: u16,
    #[input(usage_page = 0x0D, usage = 0x3F)]
    pub c0_azimuth: u16,
    #[input(usage_page = 0x0D, usage = 0x3D)]
    pub c0_tilt: i8,
    #[input(usage_page = 0x0D, usage_min = 0x42, usage_max = 0x43, bits = 1, count = 2)]
    pub c1_state: u8,
    #[input(padding, bits = 6)]
    _c1_pad: (),
    #[input(usage_page = 0x0D, usage = 0x51)]
    pub c1_id: u8,
    #[input(usage_page = "Generic Desktop", usage = "X")]
    pub c1_x: u16,
    #[input(usage_page = "Generic Desktop", usage = "Y")]
    pub c1_y: u16,
    #[input(usage_page = 0x0D, usage = 0x48)]
    pub c1_width: u16,
    #[input(usage_page = 0x0D, usage = 0x49)]
    pub c1_height: u16,
    #[input(usage_page = 0x0D, usage = 0x30)]
    pub c1_pressure: u16,
    #[input(usage_page = 0x0D, usage = 0x3F)]
    pub c1_azimuth: u16,
    #[input(usage_page = 0x0D, usage = 0x3D)]
    pub c1_tilt: i8,
    #[input(usage_page = 0x0D, usage = 0x56)]
    pub scan_time: u16,
    #[input(usage_page = 0x0D, usage = 0x54)]
    pub contact_count: u8,
}

impl Pack for Keyboard {
    #[inline(never)]
    fn pack(&self, buf: &mut [u8]) -> usize {
        self.pack_into(buf)
    }
}

impl Pack for Digitizer {
    #[inline(never)]
    fn pack(&self, buf: &mut [u8]) -> usize {
        self.pack_into(buf)
    }
}

/// Left Shift, keys a b c (the same values as `peers::keyboard()`).
pub fn keyboard() -> Keyboard {
    BootKeyboardInput {
        modifiers: 0x02,
        reserved: 0,
        keys: [0x04, 0x05, 0x06, 0, 0, 0],
    }
}

/// The values of `peers::digitizer()`.
pub fn digitizer() -> Digitizer {
    Digitizer {
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

/// The reference: the same number of bytes as a report copied with `copy_from_slice` (with the
/// same length check as `pack_into`: 0 when the buffer is short).
pub struct Memcpy<const N: usize>(pub [u8; N]);

impl<const N: usize> Pack for Memcpy<N> {
    #[inline(never)]
    fn pack(&self, buf: &mut [u8]) -> usize {
        match buf.get_mut(..N) {
            Some(dst) => {
                dst.copy_from_slice(&self.0);
                N
            }
            None => 0,
        }
    }
}

/// 8 bytes, the keyboard report's length.
pub fn memcpy_keyboard() -> Memcpy<8> {
    Memcpy([0x02, 0, 0x04, 0x05, 0x06, 0, 0, 0])
}

/// 33 bytes, the digitizer report's length.
pub fn memcpy_digitizer() -> Memcpy<33> {
    let mut b = [0u8; 33];
    let mut buf = [0u8; 64];
    Pack::pack(&digitizer(), &mut buf);
    b.copy_from_slice(&buf[..33]);
    Memcpy(b)
}
