//! Boot keyboard: D5, D6, D9, D10 type A, B, C, D; the red LED (D13) follows the host's Caps Lock.
//! A key press while the host is suspended wakes it up (remote wakeup).
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::keyboard::{KeyboardLeds, KeyboardReport, DEVICE};
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

const KEY_A: u8 = 0x04;

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let Ok(mut kbd) = UsbdescClass::<_, STATE, MAX_EP, Compiled>::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    let mut sent = 0u8;
    loop {
        dev.poll(&mut [&mut kbd]);
        if let Some(Ok(leds)) = kbd.read_output::<KeyboardLeds>() {
            board.set_led(leds.caps_lock);
        }
        if !board.tick() {
            continue;
        }
        kbd.tick_ms(1);
        let keys = board.keys();
        if keys == sent {
            continue;
        }
        if keys != 0 {
            let _ = kbd.remote_wakeup(&dev, Board::signal_resume);
        }
        let mut report = KeyboardReport::default();
        for (slot, n) in report
            .keys
            .iter_mut()
            .zip(0..4u8)
            .filter(|(_, n)| keys & (1 << n) != 0)
        {
            *slot = KEY_A + n;
        }
        if kbd.send(&report).is_ok() {
            sent = keys;
        }
    }
}
