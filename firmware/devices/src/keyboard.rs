//! Boot keyboard (HID 1.11 Appendix B.1) with an interrupt OUT endpoint for the LED report,
//! strings in two languages and a BOS with a USB 2.0 extension capability:
//! `examples/feather-keyboard.toml`. Input report `hid0::Input` (8 bytes), LED output report
//! `hid0::Output` (1 byte).

usbdesc_runtime::include_device!("../../examples/feather-keyboard.toml");

pub use hid0::REPORT_DESCRIPTOR;

use usbdesc_runtime::{PackReport, Report, ReportError, ReportKind, UnpackReport};

/// The boot keyboard input report by byte (modifier bits, key codes), for `firmware/keyboard`
/// (the size-benchmark variant, maintained separately), which names it so. Packs through the
/// generated [`hid0::Input`]: ID, length and kind are the generated ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyboardReport {
    pub modifiers: u8,
    pub keys: [u8; 6],
}

impl Report for KeyboardReport {
    const ID: u8 = hid0::Input::ID;
    const LEN: usize = hid0::Input::LEN;
    const KIND: ReportKind = hid0::Input::KIND;
    const INTERFACE: Option<u8> = <hid0::Input as Report>::INTERFACE;
}

impl PackReport for KeyboardReport {
    #[inline]
    fn pack_into(&self, buf: &mut [u8]) -> usize {
        let m = self.modifiers;
        hid0::Input { keyboard_keypad: m, keyboard_keypad_2: self.keys }
            .pack_into(buf)
    }
}
impl usbdesc_runtime::InputReport for KeyboardReport {}

/// The LED output report by name, for `firmware/keyboard` (see [`KeyboardReport`]); unpacks
/// through the generated [`hid0::Output`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyboardLeds {
    pub num_lock: bool,
    pub caps_lock: bool,
    pub scroll_lock: bool,
    pub compose: bool,
    pub kana: bool,
}

impl Report for KeyboardLeds {
    const ID: u8 = hid0::Output::ID;
    const LEN: usize = hid0::Output::LEN;
    const KIND: ReportKind = hid0::Output::KIND;
    const INTERFACE: Option<u8> = <hid0::Output as Report>::INTERFACE;
}

impl UnpackReport for KeyboardLeds {
    fn unpack(bytes: &[u8]) -> Result<Self, ReportError> {
        // Bit i is LED usage 1 + i: Num Lock, Caps Lock, Scroll Lock, Compose, Kana.
        let led = hid0::Output::unpack(bytes)?.led;
        let on = |i: u8| led & (1 << i) != 0;
        Ok(KeyboardLeds { num_lock: on(0), caps_lock: on(1), scroll_lock: on(2), compose: on(3), kana: on(4) })
    }
}
impl usbdesc_runtime::OutputReport for KeyboardLeds {}
