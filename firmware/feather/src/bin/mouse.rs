//! Boot mouse: D5/D6 move left/right, D9/D10 move up/down while held; both D5 and D6 = left click.
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::mouse::{hid0::Input as MouseReport, Class, DEVICE};
use usbdesc_feather::{bsp::entry, halt, Board};

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let Ok(mut mouse) = Class::new(board.usb, &DEVICE) else {
        halt(Some(&mut board))
    };
    let Some(mut dev) = board.device(&DEVICE) else {
        halt(Some(&mut board))
    };
    let mut ms = 0u8;
    loop {
        dev.poll(&mut [&mut mouse]);
        if !board.tick() {
            continue;
        }
        mouse.tick_ms(1);
        ms = ms.wrapping_add(1);
        if ms % 10 != 0 {
            continue;
        }
        let k = board.keys();
        let axis = |neg: u8, pos: u8| (k & pos != 0) as i8 * 4 - (k & neg != 0) as i8 * 4;
        let report = if k & 0b11 == 0b11 {
            MouseReport {
                button: 0b001,
                ..MouseReport::default()
            }
        } else {
            MouseReport {
                button: 0,
                x: axis(0b01, 0b10),
                y: axis(0b0100, 0b1000),
                wheel: 0,
            }
        };
        if report != MouseReport::default() {
            let _ = mouse.send(&report);
        }
    }
}
