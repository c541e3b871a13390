//! The second main loop of the keyboard size benchmark: a busy-poll keyboard written against
//! atsamd-hal and usb-device directly (no Feather M0 board support code), so that the size ratios
//! do not rest on `board::run` alone. Every variant's `*-bare` binary is `bare::run::<TheirClass>()`
//! with the same class as its `board::run` binary.
//!
//! Once the host has configured the device it types `a` over and over (a press report, then a
//! release report, each as soon as the endpoint takes it); PA17 (the Feather's red LED) follows the
//! host's Caps Lock.
#![no_std]

use atsamd_hal as hal;
use board::{BootReport, KeyboardClass, KEY_A};
use hal::clock::GenericClockController;
use hal::prelude::*;
use hal::usb::UsbBus;
use usb_device::bus::UsbBusAllocator;
use usb_device::device::UsbDeviceState;

/// Clocks, the LED pin and USB straight from the HAL, then the busy-poll loop.
pub fn run<K: KeyboardClass<'static>>() -> ! {
    let mut p = hal::pac::Peripherals::take().unwrap();
    let mut clocks = GenericClockController::with_internal_32kosc(
        p.gclk,
        &mut p.pm,
        &mut p.sysctrl,
        &mut p.nvmctrl,
    );
    let pins = hal::gpio::Pins::new(p.port);
    let mut led = pins.pa17.into_push_pull_output();
    let gclk0 = clocks.gclk0();
    let usb_clock = clocks.usb(&gclk0).unwrap();
    let alloc: &'static UsbBusAllocator<UsbBus> = cortex_m::singleton!(: UsbBusAllocator<UsbBus> =
        UsbBusAllocator::new(UsbBus::new(&usb_clock, &mut p.pm, pins.pa24, pins.pa25, p.usb)))
    .unwrap();
    let mut kbd = K::new(alloc);
    let mut dev = board::device::<K>(alloc);

    let mut press = true;
    loop {
        kbd.poll(&mut dev);
        if dev.state() == UsbDeviceState::Configured {
            let mut report: BootReport = [0; 8];
            if press {
                report[2] = KEY_A;
            }
            if kbd.send(&report) {
                press = !press;
            }
        }
        match kbd.caps_lock() {
            Some(true) => led.set_high().ok(),
            Some(false) => led.set_low().ok(),
            None => None,
        };
    }
}
