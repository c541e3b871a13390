//! usbdesc variant of the issue-9 keyboard size benchmark (`cargo xtask bench` reads this crate):
//! `bench/board`'s board set-up and main loop (button D5 types `a`, Caps Lock lights D13), the same
//! as the floor and the usbd-hid/usbd-human-interface-device peers, with usbdesc's class serving the
//! same wire descriptors as `bench/fw-floor` (strings come from the board's builder, as there).
#![no_std]
#![no_main]

mod device;

use board::bsp::entry;
use board::bsp::hal::usb::UsbBus;
use board::usb_device::bus::UsbBusAllocator;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};
use device::{KeyboardLeds, KeyboardReport, DEVICE};
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

struct Usbdesc(UsbdescClass<'static, UsbBus, STATE, MAX_EP, Keyboard>);

impl KeyboardClass<'static> for Usbdesc {
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
        self.0
            .send(&KeyboardReport {
                modifiers: report[0],
                keys,
            })
            .is_ok()
    }
    fn caps_lock(&mut self) -> Option<bool> {
        match self.0.read_output::<KeyboardLeds>()? {
            Ok(leds) => Some(leds.caps_lock),
            Err(_) => None,
        }
    }
}

#[entry]
fn main() -> ! {
    board::run::<Usbdesc>()
}
