//! The blob decoder never panics; whatever it accepts re-encodes exactly, also through TOML.
#![no_main]
use libfuzzer_sys::fuzz_target;
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode_blob(data) {
        assert_eq!(encode::blob(&d), data);
        let text = to_toml(&d);
        let c = compile_str("blob.toml", &text);
        if c.device.is_none() {
        panic!("{}\n{text}", c.render());
    }
    let back = c.device.unwrap();
        assert_eq!(encode::blob(&back), data);
    }
});
