//! usbdesc's class for both keyboard benchmark main loops (`main.rs`: `bench/board`'s;
//! `bin/keyboard-bare.rs`: `bench/bare`'s busy-poll loop): the device compiled from
//! `keyboard.toml` by `include_device!`, exactly what a user of usbdesc writes: the same wire
//! descriptors as `bench/fw-floor`, the typed report structs generated from the report descriptor.

/// The compiled device: descriptor consts, `DEVICE`, typed reports in `hid0`.
mod device {
    usbdesc_runtime::include_device!("keyboard.toml");
}

use board::bsp::hal::usb::UsbBus;
use board::usb_device::bus::UsbBusAllocator;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};
use device::hid0::{Input as KeyboardReport, Output as KeyboardLeds};
use device::DEVICE;
use usbdesc_runtime::{DeviceDescriptors, DeviceSource, UsbdescClass};

/// The compiled device as a compile-time constant of the class.
struct Keyboard;

impl DeviceSource for Keyboard {
    const DEVICE: Option<&'static DeviceDescriptors> = Some(&DEVICE);
}

/// State bytes: what the device needs, rounded to whole words (cheaper to clear).
const STATE: usize = DEVICE.state_len().next_multiple_of(4);
/// Endpoint numbers 0 and 1 (the device uses 0x81 only).
const MAX_EP: usize = 2;

pub struct Usbdesc(UsbdescClass<'static, UsbBus, STATE, MAX_EP, Keyboard>);

impl KeyboardClass<'static> for Usbdesc {
    /// usbdesc serves the strings of `keyboard.toml` (the board's text), so the builder keeps no
    /// second copy.
    const SERVES_STRINGS: bool = true;

    fn new(alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        match UsbdescClass::new(alloc, &DEVICE) {
            Ok(class) => Usbdesc(class),
            // The compiled device is fixed, so this is unreachable in practice; halt like a panic.
            Err(_) => loop {
                cortex_m::asm::wfi();
            },
        }
    }
    fn poll(&mut self, dev: &mut UsbDevice<'static, UsbBus>) {
        dev.poll(&mut [&mut self.0]);
    }
    fn send(&mut self, report: &BootReport) -> bool {
        let mut keys = [0u8; 6];
        keys.copy_from_slice(&report[2..]);
        // Field names come from the usages: the modifier bits (Keyboard/Keypad page, a usage
        // range of 1-bit values: one `u8`) and the key code array.
        self.0
            .send(&KeyboardReport {
                keyboard_keypad: report[0],
                keyboard_keypad_2: keys,
            })
            .is_ok()
    }
    fn caps_lock(&mut self) -> Option<bool> {
        match self.0.read_output::<KeyboardLeds>()? {
            // LED usages Num Lock ..= Kana as bits: Caps Lock is bit 1.
            Ok(leds) => Some(leds.led & 0b10 != 0),
            Err(_) => None,
        }
    }
}

board::bench_symbol!("BENCH_CLASS_BYTES", core::mem::size_of::<Usbdesc>());
// Parts of it: the report state arena, the scratch buffer `send` packs into, the alternate
// settings.
board::bench_symbol!("BENCH_STATE_BYTES", STATE);
board::bench_symbol!("BENCH_SCRATCH_BYTES", usbdesc_runtime::MAX_REPORT);
board::bench_symbol!("BENCH_ALTS_BYTES", usbdesc_runtime::ALT_INTERFACES);
