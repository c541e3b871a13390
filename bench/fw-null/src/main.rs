//! `fw-null` in `board::run`'s main loop (the class: `null.rs`).
#![no_std]
#![no_main]

mod null;

use board::bsp::entry;

#[entry]
fn main() -> ! {
    board::run::<null::Null>()
}
