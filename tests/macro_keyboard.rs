//! `#[hid_report]` boot keyboard: the 63 bytes of HID 1.11 Appendix B.1 (E.6), typed input and
//! output reports round-tripping through pack/unpack, and the same bytes as the TOML example.

use usbdesc_runtime::{hid_report, PackReport, Report, ReportError, ReportKind, UnpackReport};

#[hid_report(usage_page = "Generic Desktop", usage = "Keyboard")]
#[derive(Debug)]
pub struct BootKeyboard {
    #[input(usage_page = "Keyboard", usage_min = "Keyboard LeftControl", usage_max = "Keyboard Right GUI")]
    pub modifiers: [bool; 8],
    #[input(padding, bits = 8, order = [count, bits])]
    reserved: (),
    #[output(usage_page = "LED", usage_min = "Num Lock", usage_max = "Kana", order = [count, bits, usage_page, usage_min, usage_max])]
    pub leds: [bool; 5],
    #[output(padding, bits = 3, order = [count, bits])]
    led_padding: (),
    #[input(array, usage_page = "Keyboard", usage_min = 0, usage_max = 101, logical_min = 0, logical_max = 101,
            order = [count, bits, logical_min, logical_max, usage_page, usage_min, usage_max])]
    pub keys: [u8; 6],
}

#[test]
fn boot_keyboard_descriptor_is_the_spec_bytes() {
    // HID 1.11 Appendix B.1 / E.6, byte for byte, as the corpus holds it.
    assert_eq!(BootKeyboard::DESCRIPTOR.to_vec(), usbdesc_tests::hid_spec_boot_keyboard());
}

#[test]
fn boot_keyboard_sizes_and_ids() {
    assert_eq!(BootKeyboardInput::LEN, 8);
    assert_eq!(BootKeyboardOutput::LEN, 1);
    assert_eq!(<BootKeyboardInput as Report>::ID, 0);
    assert_eq!(<BootKeyboardInput as Report>::KIND, ReportKind::Input);
    assert_eq!(<BootKeyboardOutput as Report>::KIND, ReportKind::Output);
}

#[test]
fn boot_keyboard_input_packs_like_the_spec() {
    // Left Shift (bit 1) + Right GUI (bit 7), keys 'a' (0x04) and 'z' (0x1D).
    let r = BootKeyboardInput {
        modifiers: [false, true, false, false, false, false, false, true],
        keys: [0x04, 0x1D, 0, 0, 0, 0],
    };
    assert_eq!(r.pack(), [0x82, 0x00, 0x04, 0x1D, 0, 0, 0, 0]);
    let mut buf = [0xAAu8; 10];
    assert_eq!(PackReport::pack_into(&r, &mut buf), 8);
    assert_eq!(buf, [0x82, 0x00, 0x04, 0x1D, 0, 0, 0, 0, 0xAA, 0xAA]);
    // Too short: nothing written, 0 returned.
    let mut short = [0xAAu8; 7];
    assert_eq!(r.pack_into(&mut short), 0);
    assert_eq!(short, [0xAA; 7]);
    assert_eq!(BootKeyboardInput::unpack(&r.pack()), Ok(r));
}

#[test]
fn boot_keyboard_output_unpacks_leds() {
    // Num Lock (bit 0) + Caps Lock (bit 1) + Kana (bit 4); the padding bits are ignored.
    let leds = <BootKeyboardOutput as UnpackReport>::unpack(&[0b1111_0011]).unwrap();
    assert_eq!(leds.leds, [true, true, false, false, true]);
    assert_eq!(leds.pack(), [0b0001_0011]);
    assert_eq!(BootKeyboardOutput::unpack(&leds.pack()), Ok(leds));
    assert_eq!(BootKeyboardOutput::unpack(&[]), Err(ReportError::WrongLength { expected: 1, got: 0 }));
    assert_eq!(BootKeyboardOutput::unpack(&[1, 2]), Err(ReportError::WrongLength { expected: 1, got: 2 }));
}

/// The same keyboard written as TOML fields (examples/reports/boot_keyboard.toml, not bytes) and
/// compiled by the core encodes to what the macro generated.
#[test]
fn field_form_toml_compiles_to_the_macro_descriptor() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports/boot_keyboard.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[[report.collection.fields]]") && !text.contains("bytes ="), "the example must be in field form");
    let mut d = usbdesc_compiler::diag::Diagnostics::new();
    let rd = usbdesc_compiler::input::report_document(&text, &mut d).expect("boot_keyboard.toml compiles");
    assert!(!d.has_errors(), "{:?}", d.into_vec());
    assert_eq!(rd.encode(), BootKeyboard::DESCRIPTOR.to_vec());
}

mod from_toml {
    usbdesc_runtime::include_device!("examples/keyboard.toml");
}

#[test]
fn include_device_matches_the_macro_and_the_encoder() {
    assert_eq!(from_toml::hid0::REPORT_DESCRIPTOR, BootKeyboard::DESCRIPTOR);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/keyboard.toml");
    let dev = usbdesc_compiler::compile_file(&path).unwrap().device.unwrap();
    assert_eq!(from_toml::DEVICE_DESCRIPTOR.to_vec(), usbdesc_compiler::encode::device_descriptor(&dev));
    assert_eq!(from_toml::CONFIGURATION_DESCRIPTOR.to_vec(), usbdesc_compiler::encode::configuration(&dev, 0));
    assert_eq!(from_toml::DEVICE.device, &from_toml::DEVICE_DESCRIPTOR[..]);
    assert_eq!(from_toml::DEVICE.hid[0].report_descriptor, &BootKeyboard::DESCRIPTOR[..]);
    assert_eq!(from_toml::DEVICE.hid[0].in_endpoint, 0x81);
    assert_eq!(from_toml::DEVICE.hid[0].boot, usbdesc_runtime::BootProtocol::Keyboard);
    // Typed reports generated from the TOML layout pack the same bytes as the macro's.
    let t = from_toml::hid0::Input { modifiers: 0b0000_0001, keys: [0x04, 0, 0, 0, 0, 0] };
    let m = BootKeyboardInput { modifiers: [true, false, false, false, false, false, false, false], keys: t.keys };
    assert_eq!(t.pack(), m.pack());
}
