//! The blob decoder never panics; whatever it accepts re-encodes exactly, also through TOML
//! (`usbdesc_compiler::selfcheck::blob`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    usbdesc_compiler::selfcheck::blob(data);
});
