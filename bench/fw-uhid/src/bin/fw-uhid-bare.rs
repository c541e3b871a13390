//! `fw-uhid` in `bare::run`'s busy-poll main loop (no board support code; the class: `uhid.rs`).
#![no_std]
#![no_main]

#[path = "../uhid.rs"]
mod uhid;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    bare::run::<uhid::Uhid>()
}
