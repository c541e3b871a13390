//! The TOML front end, checks, encoder and emitter never panic; a compiled device prints as TOML
//! that compiles to the same bytes (`usbdesc_compiler::selfcheck::toml`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    usbdesc_compiler::selfcheck::toml(data);
});
