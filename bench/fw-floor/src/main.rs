//! `fw-floor` in `board::run`'s main loop (the class: `floor.rs`).
#![no_std]
#![no_main]

mod floor;

use board::bsp::entry;

#[entry]
fn main() -> ! {
    board::run::<floor::Floor<'static>>()
}
