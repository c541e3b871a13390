//! Composite: usbd-serial CDC-ACM (built-in console, interfaces 0-1, echoes what it receives)
//! plus the keypad HID interface at the `[builtin]` offsets (interface 2, endpoints 3).
#![no_std]
#![no_main]

use panic_halt as _;
use usbd_serial::SerialPort;
use usbdesc_devices::composite::hid2::{Input1 as KeypadKeys, Output2 as KeypadLeds};
use usbdesc_devices::composite::{Class, DEVICE};
use usbdesc_feather::{bsp::entry, halt, Board};

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    // The built-in driver first: it takes interfaces 0-1 and endpoints 0x81, 0x01, 0x82.
    let mut serial = SerialPort::new(board.usb);
    // The init check proves the compiled offsets match what usb-device handed out.
    let Ok(mut pad) = Class::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    let mut sent = 0u8;
    let mut buf = [0u8; 64];
    loop {
        dev.poll(&mut [&mut serial, &mut pad]);
        if let Ok(n) = serial.read(&mut buf) {
            let _ = serial.write(&buf[..n]);
        }
        if let Some(Ok(leds)) = pad.read_output::<KeypadLeds>() {
            board.set_led(leds.led & 1 != 0);
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
