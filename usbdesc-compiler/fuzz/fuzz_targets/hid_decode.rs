//! Any bytes: the HID decoder never panics; what decodes re-encodes to the same bytes; layout,
//! lints, dumps and the TOML form never panic, and the TOML text reads back to the same bytes
//! (`usbdesc_compiler::selfcheck::hid`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    usbdesc_compiler::selfcheck::hid(data);
});
