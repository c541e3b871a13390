//! Blob decoder: malformed input gives a diagnostic naming the byte offset (never a panic), and
//! any blob it accepts re-encodes exactly.
mod support;
use usbdesc_compiler::decode::{decode_blob, BAD_LENGTH, BAD_TOTAL_LENGTH, TRUNCATED, WRONG_TYPE};
use usbdesc_compiler::diag::Span;
use usbdesc_compiler::encode;

const KEYBOARD: &str = "12 01 00 02 00 00 00 40 09 12 01 00 00 01 01 02 03 01 \
    09 02 22 00 01 01 00 a0 32 09 04 00 00 01 03 01 01 00 09 21 11 01 00 01 22 3f 00 07 05 81 03 08 00 0a";

fn bytes(s: &str) -> Vec<u8> {
    usbdesc_compiler::tomlr::parse_hex_bytes(s).unwrap()
}

#[test]
fn keyboard_decodes_to_typed_descriptors() {
    let b = bytes(KEYBOARD);
    let d = decode_blob(&b).unwrap();
    assert_eq!((d.vid, d.pid, d.usb), (0x1209, 0x0001, 0x0200));
    let c = &d.configurations[0];
    assert!(c.remote_wakeup && !c.self_powered);
    assert_eq!(c.max_power, 50);
    let itf = c.interfaces().next().unwrap();
    assert_eq!((itf.class, itf.subclass, itf.protocol), (3, 1, 1));
    assert_eq!(itf.hid().unwrap().report_length(), 63);
    let ep = itf.endpoints().next().unwrap();
    assert_eq!((ep.address(), ep.packet_size(), ep.interval), (0x81, 8, 10));
    assert_eq!(encode::blob(&d), b);
}

fn err(b: &[u8]) -> (&'static str, String, Option<Span>) {
    let e = decode_blob(b).unwrap_err();
    (e.code, e.message, e.span)
}

#[test]
fn errors_name_the_byte_offset() {
    let good = bytes(KEYBOARD);
    // Too short for a device descriptor.
    let (code, msg, _) = err(&good[..10]);
    assert_eq!(code, TRUNCATED);
    assert!(msg.starts_with("byte offset 0:"), "{msg}");
    // Not a device descriptor.
    let mut b = good.clone();
    b[1] = 2;
    assert_eq!(err(&b).0, WRONG_TYPE);
    // wTotalLength shorter than the configuration descriptor.
    let mut b = good.clone();
    b[20] = 5;
    let (code, msg, span) = err(&b);
    assert_eq!(code, BAD_TOTAL_LENGTH);
    assert!(msg.starts_with("byte offset 20:"), "{msg}");
    assert_eq!(span, Some(Span::new(20, 22)));
    // wTotalLength past the end: a short read; the bytes there decode, and re-encode exactly
    // (the lint warns, UD6005).
    let mut b = good.clone();
    b[20] = 0x40;
    let d = decode_blob(&b).unwrap();
    assert_eq!(d.configurations[0].total_length_override, Some(0x40));
    assert_eq!(encode::blob(&d), b);
    // A descriptor with bLength 0 inside the configuration (the HID descriptor at offset 36).
    let mut b = good.clone();
    b[36] = 0;
    let (code, msg, _) = err(&b);
    assert_eq!(code, BAD_LENGTH);
    assert!(msg.starts_with("byte offset 36:"), "{msg}");
    // A descriptor running past wTotalLength.
    let mut b = good.clone();
    b[45] = 9;
    let (code, msg, _) = err(&b);
    assert_eq!(code, TRUNCATED);
    assert!(msg.starts_with("byte offset 45:"), "{msg}");
    // Trailing garbage after the last configuration.
    let mut b = good.clone();
    b.extend_from_slice(&[1, 2]);
    let (code, msg, _) = err(&b);
    assert_eq!(code, TRUNCATED);
    assert!(msg.starts_with("byte offset 52:"), "{msg}");
}

#[test]
fn stored_counts_that_differ_are_kept() {
    let mut b = bytes(KEYBOARD);
    b[17] = 2; // bNumConfigurations
    b[22] = 3; // bNumInterfaces
    b[31] = 4; // bNumEndpoints
    let d = decode_blob(&b).unwrap();
    assert_eq!(d.num_configurations_override, Some(2));
    assert_eq!(d.configurations[0].num_interfaces_override, Some(3));
    assert_eq!(encode::blob(&d), b);
    let text = usbdesc_compiler::emit::toml::to_toml(&d);
    assert!(text.contains("num_configurations = 2") && text.contains("num_interfaces = 3") && text.contains("num_endpoints = 4"), "{text}");
    let back = usbdesc_compiler::compile_str("x", &text).device.unwrap();
    assert_eq!(encode::blob(&back), b);
}

/// The target the decoder guesses for each corpus blob (from the USB 2.0 speed limits the blob
/// breaks at each speed, `usbdesc_compiler::speed_limits`), pinned: a camera and a programmer with
/// 512-byte bulk endpoints are high speed, the other 58 blobs full speed.
#[test]
fn guessed_target_of_every_corpus_blob_is_pinned() {
    use usbdesc_compiler::profile::Target;
    let files = support::config_files();
    assert_eq!(files.len(), 60, "expected the 60 corpus blobs in {}", support::corpus_dir().join("config").display());
    let high: Vec<String> = files
        .iter()
        .filter(|f| decode_blob(&support::read_hex(f)).unwrap().target == Target::GenericHs)
        .map(|f| f.file_name().unwrap().to_string_lossy()[..3].to_string())
        .collect();
    assert_eq!(high, ["001", "032"], "corpus blobs guessed generic-hs (all others generic-fs)");
}
