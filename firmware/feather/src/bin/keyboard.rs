//! Boot keyboard: D5, D6, D9, D10 type A, B, C, D; the red LED (D13) follows the host's Caps Lock.
//! A key press while the host is suspended wakes it up (remote wakeup).
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::keyboard::{hid0, Class, DEVICE};
use usbdesc_feather::{bsp::entry, halt, Board};

const KEY_A: u8 = 0x04;

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let Ok(mut kbd) = Class::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    let mut sent = 0u8;
    loop {
        dev.poll(&mut [&mut kbd]);
        if let Some(Ok(leds)) = kbd.read_output::<hid0::Output>() {
            board.set_led(leds.led & 0b10 != 0); // LED 2: Caps Lock
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
        // Byte 0 modifiers (`keyboard_keypad`), bytes 2..7 key codes (`keyboard_keypad_2`).
        let mut report = hid0::Input::default();
        for (slot, n) in report
            .keyboard_keypad_2
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
