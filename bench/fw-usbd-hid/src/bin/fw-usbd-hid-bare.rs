//! `fw-usbd-hid` in `bare::run`'s busy-poll main loop (no board support code; the class: `usbd_hid.rs`).
#![no_std]
#![no_main]

#[path = "../usbd_hid.rs"]
mod usbd_hid;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    bare::run::<usbd_hid::UsbdHid>()
}
