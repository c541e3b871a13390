//! `fw-uhid` in `board::run`'s main loop (the class: `uhid.rs`).
#![no_std]
#![no_main]

mod uhid;

use board::bsp::entry;

#[entry]
fn main() -> ! {
    board::run::<uhid::Uhid>()
}
