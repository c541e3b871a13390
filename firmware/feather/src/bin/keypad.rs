//! Custom keypad with report IDs: keys on D5, D6, D9, D10 (input report 1), LED 0 of output
//! report 2 drives the red LED, feature report 3 holds brightness/mode set by the host.
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::keypad::hid0::{Feature3 as KeypadConfig, Input1 as KeypadKeys, Output2 as KeypadLeds};
use usbdesc_devices::keypad::{Class, DEVICE};
use usbdesc_feather::{bsp::entry, halt, Board};

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let Ok(mut pad) = Class::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    // Brightness 128, mode 0.
    let _ = pad.set_feature(&KeypadConfig {
        vendor_defined_page_0x_ff00: [128, 0],
    });
    let mut sent = 0u8;
    loop {
        dev.poll(&mut [&mut pad]);
        if let Some(Ok(leds)) = pad.read_output::<KeypadLeds>() {
            board.set_led(leds.led & 1 != 0);
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
        if keys != sent && pad.send(&KeypadKeys { button: u16::from(keys) }).is_ok() {
            sent = keys;
        }
    }
}
