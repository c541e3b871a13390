//! usbdesc in `bench/bare`'s busy-poll main loop (no board support code; the class:
//! `usbdesc.rs`), the second main loop of the keyboard size benchmark.
#![no_std]
#![no_main]

#[path = "../usbdesc.rs"]
mod usbdesc;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    bare::run::<usbdesc::Usbdesc>()
}
