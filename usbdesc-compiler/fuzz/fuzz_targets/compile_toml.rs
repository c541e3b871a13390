//! The TOML front end, checks, encoder and emitter never panic; a compiled device prints as TOML
//! that compiles to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use usbdesc_compiler::{compile_str, emit::toml::to_toml, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let c = compile_str("fuzz.toml", text);
    let _ = c.render();
    if let Some(d) = c.device {
        let bytes = encode::blob(&d);
        let strings = encode::string_descriptors(&d);
        let _ = encode::bos(&d);
        let printed = to_toml(&d);
        let again = compile_str("printed.toml", &printed);
        if again.device.is_none() {
        panic!("{}\n{printed}", again.render());
    }
    let back = again.device.unwrap();
        assert_eq!(encode::blob(&back), bytes);
        assert_eq!(encode::string_descriptors(&back), strings);
    }
});
