//! `fw-usbd-hid` in `board::run`'s main loop (the class: `usbd_hid.rs`).
#![no_std]
#![no_main]

mod usbd_hid;

use board::bsp::entry;

#[entry]
fn main() -> ! {
    board::run::<usbd_hid::UsbdHid>()
}
