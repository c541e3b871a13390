//! Shared board and main loop for the keyboard size benchmark (issue 9).
//!
//! Every firmware variant is `board::run::<TheirClass>()`: the variants differ only in the USB
//! class behind [`KeyboardClass`]. Board: Adafruit Feather M0 (SAMD21G18A). A button between D5 and
//! GND types `a` while held; the red LED on D13 follows the host's Caps Lock output report.
#![no_std]

use panic_halt as _;

pub use feather_m0 as bsp;
pub use usb_device;

use bsp::hal;
use hal::clock::GenericClockController;
use hal::prelude::*;
use hal::usb::UsbBus;
use usb_device::bus::UsbBusAllocator;
use usb_device::device::{StringDescriptors, UsbDevice, UsbDeviceBuilder, UsbVidPid};

/// The one boot keyboard report every variant sends: modifiers, reserved, six key codes.
pub type BootReport = [u8; 8];

/// HID usage of the key the button types (Keyboard `a`).
pub const KEY_A: u8 = 0x04;

/// The manufacturer and product strings (indices 1 and 2) every variant's device has.
pub const MANUFACTURER: &str = "usbdesc bench";
pub const PRODUCT: &str = "Boot keyboard";

/// What each firmware variant provides: its USB class, nothing else.
pub trait KeyboardClass<'a>: Sized {
    /// True when the class answers GET_DESCRIPTOR(STRING) for [`MANUFACTURER`] and [`PRODUCT`]
    /// itself; else usb-device's builder serves them.
    const SERVES_STRINGS: bool = false;
    /// Allocate interfaces and endpoints.
    fn new(alloc: &'a UsbBusAllocator<UsbBus>) -> Self;
    /// Poll the device with this class (`dev.poll(&mut [self or its class])`).
    fn poll(&mut self, dev: &mut UsbDevice<'a, UsbBus>);
    /// Queue an 8-byte boot keyboard input report; `true` when the endpoint took it.
    fn send(&mut self, report: &BootReport) -> bool;
    /// Caps Lock state from the last output report the host sent, if a new one arrived.
    fn caps_lock(&mut self) -> Option<bool>;
}

/// Defines the absolute symbol `$name` = `$value` (no section, no flash): what `cargo xtask
/// bench` reads from each firmware besides its sections, e.g. `BENCH_CLASS_BYTES`, the size of the
/// class object (RAM on `main`'s stack).
#[macro_export]
macro_rules! bench_symbol {
    ($name:literal, $value:expr) => {
        core::arch::global_asm!(
            concat!(".globl ", $name),
            concat!(".set ", $name, ", {}"),
            const $value
        );
    };
}

/// The device every variant builds (VID/PID 1209:0001). A class that serves the device's strings
/// itself gets a builder without them (the builder's copy would never be sent).
pub fn device<K: KeyboardClass<'static>>(
    alloc: &'static UsbBusAllocator<UsbBus>,
) -> UsbDevice<'static, UsbBus> {
    let builder = UsbDeviceBuilder::new(alloc, UsbVidPid(0x1209, 0x0001));
    let builder = if K::SERVES_STRINGS {
        builder
    } else {
        builder
            .strings(&[StringDescriptors::default()
                .manufacturer(MANUFACTURER)
                .product(PRODUCT)])
            .unwrap()
    };
    builder.build()
}

/// Board set-up and the main loop shared by every variant.
pub fn run<K: KeyboardClass<'static>>() -> ! {
    let mut peripherals = bsp::pac::Peripherals::take().unwrap();
    let mut clocks = GenericClockController::with_internal_32kosc(
        peripherals.gclk,
        &mut peripherals.pm,
        &mut peripherals.sysctrl,
        &mut peripherals.nvmctrl,
    );
    let pins = bsp::Pins::new(peripherals.port);
    let mut led: bsp::RedLed = pins.d13.into();
    let button = pins.d5.into_pull_up_input();

    let alloc: &'static UsbBusAllocator<UsbBus> = cortex_m::singleton!(: UsbBusAllocator<UsbBus> =
        bsp::usb_allocator(peripherals.usb, &mut clocks, &mut peripherals.pm, pins.usb_dm, pins.usb_dp))
    .unwrap();
    let mut kbd = K::new(alloc);
    let mut dev = device::<K>(alloc);

    let mut sent_pressed = false;
    loop {
        kbd.poll(&mut dev);
        let pressed = button.is_low().unwrap_or(false);
        if pressed != sent_pressed {
            let mut report: BootReport = [0; 8];
            if pressed {
                report[2] = KEY_A;
            }
            if kbd.send(&report) {
                sent_pressed = pressed;
            }
        }
        if let Some(caps) = kbd.caps_lock() {
            if caps {
                led.set_high().ok();
            } else {
                led.set_low().ok();
            }
        }
    }
}
