//! Any file `usbdesc` is given: sniffing and loading (`input::load`), diagnostics rendering, every
//! `--emit` back end (Rust, C, MicroPython, JSON, bin, hex) and the dumps never panic and write
//! output linear in the input; `decode`'s TOML loads back to the same bytes
//! (`usbdesc_compiler::selfcheck::load`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    usbdesc_compiler::selfcheck::load(data);
});
