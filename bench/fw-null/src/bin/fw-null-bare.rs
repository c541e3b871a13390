//! `fw-null` in `bare::run`'s busy-poll main loop (no board support code; the class: `null.rs`).
#![no_std]
#![no_main]

#[path = "../null.rs"]
mod null;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    bare::run::<null::Null>()
}
