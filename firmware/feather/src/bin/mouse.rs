//! Boot mouse: D5/D6 move left/right, D9/D10 move up/down while held; both D5 and D6 = left click.
#![no_std]
#![no_main]

use panic_halt as _;
use usbdesc_devices::mouse::{MouseReport, DEVICE};
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
    let Ok(mut mouse) = UsbdescClass::<_, STATE, MAX_EP, Compiled>::new(board.usb, &DEVICE) else {
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
                buttons: 1,
                ..MouseReport::default()
            }
        } else {
            MouseReport {
                buttons: 0,
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
