//! `fw-floor` in `bare::run`'s busy-poll main loop (no board support code; the class: `floor.rs`).
#![no_std]
#![no_main]

#[path = "../floor.rs"]
mod floor;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    bare::run::<floor::Floor<'static>>()
}
