//! usbdesc variant of the issue-9 keyboard size benchmark (`cargo xtask bench` reads this crate):
//! `bench/board`'s board set-up and main loop (button D5 types `a`, Caps Lock lights D13), the same
//! as the floor and the usbd-hid/usbd-human-interface-device peers, with usbdesc's class
//! (`usbdesc.rs`).
#![no_std]
#![no_main]

mod usbdesc;

use board::bsp::entry;

#[entry]
fn main() -> ! {
    board::run::<usbdesc::Usbdesc>()
}
