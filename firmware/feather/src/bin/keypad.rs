//! Custom keypad with report IDs: keys on D5, D6, D9, D10 (input report 1), LED 0 of output
//! report 2 drives the red LED, feature report 3 holds brightness/mode set by the host.
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::keypad::{KeypadConfig, KeypadKeys, KeypadLeds, DEVICE};
use usbdesc_feather::{bsp::entry, halt, Board};
use usbdesc_runtime::{DeviceDescriptors, DeviceSource, UsbdescClass};

/// The compiled device as a compile-time constant of the class (smaller firmware).
struct Compiled;

impl DeviceSource for Compiled {
    const DEVICE: Option<&'static DeviceDescriptors> = Some(&DEVICE);
}

/// State bytes: what the device needs, rounded to whole words (cheaper to clear).
const STATE: usize = DEVICE.state_len().next_multiple_of(4);
/// Endpoint numbers 0 and 1 (the device uses endpoint 1 only).
const MAX_EP: usize = 2;

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let Ok(mut pad) = UsbdescClass::<_, STATE, MAX_EP, Compiled>::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    let _ = pad.set_feature(&KeypadConfig {
        brightness: 128,
        mode: 0,
    });
    let mut sent = 0u8;
    loop {
        dev.poll(&mut [&mut pad]);
        if let Some(Ok(leds)) = pad.read_output::<KeypadLeds>() {
            board.set_led(leds.leds & 1 != 0);
        }
        if let Some(Ok(cfg)) = pad.read_feature::<KeypadConfig>() {
            // Echo the accepted configuration back as the current feature value.
            let _ = pad.set_feature(&cfg);
        }
        if !board.tick() {
            continue;
        }
        pad.tick_ms(1);
        let keys = board.keys();
        if keys != sent && pad.send(&KeypadKeys { keys: keys.into() }).is_ok() {
            sent = keys;
        }
    }
}
