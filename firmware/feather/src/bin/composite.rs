//! Composite: usbd-serial CDC-ACM (built-in console, interfaces 0-1, echoes what it receives)
//! plus the keypad HID interface at the `[builtin]` offsets (interface 2, endpoints 3).
#![no_std]
#![no_main]

use panic_halt as _;
use usbd_serial::SerialPort;
use usbdesc_devices::composite::DEVICE;
use usbdesc_devices::keypad::{KeypadKeys, KeypadLeds};
use usbdesc_feather::{bsp::entry, halt, Board};
use usbdesc_runtime::{DeviceDescriptors, DeviceSource, UsbdescClass};

/// The compiled device as a compile-time constant of the class (smaller firmware).
struct Compiled;

impl DeviceSource for Compiled {
    const DEVICE: Option<&'static DeviceDescriptors> = Some(&DEVICE);
}

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    // The built-in driver first: it takes interfaces 0-1 and endpoints 0x81, 0x01, 0x82.
    let mut serial = SerialPort::new(board.usb);
    // The init check proves the compiled offsets match what usb-device handed out.
    let Ok(mut pad) = UsbdescClass::<_, 128, 8, Compiled>::new(board.usb, &DEVICE) else {
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
            board.set_led(leds.leds & 1 != 0);
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
