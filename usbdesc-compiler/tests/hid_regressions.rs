//! Inputs the fuzzers found; each must pass `selfcheck::hid` (decode, layout, lints, dumps, TOML
//! round trip) without a panic.
use usbdesc_compiler::diag::Diagnostics;
use usbdesc_compiler::hid::ReportDescriptor;

/// The fuzz target's checks (decode, layout, lints, dumps, TOML round trip), then the lints' output.
fn survive(bytes: &[u8]) -> Diagnostics {
    assert!(usbdesc_compiler::selfcheck::hid(bytes), "decodes");
    let r = ReportDescriptor::decode(bytes).expect("decodes");
    let mut d = Diagnostics::new();
    r.check(&Default::default(), &mut d);
    d
}

/// Report Size 63 with an unsigned logical range: the representable range 0..=2^63-1 overflowed i64
/// in the value lint (cargo-fuzz hid_decode, crash-ec56b5a1).
#[test]
fn report_size_63_unsigned_range() {
    let bytes = [
        0x06, 0x0a, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x85, 0x02, 0x09, 0x02, 0x75, 0x08, 0x95, 0x0b, 0x15, //
        0x00, 0x26, 0xff, 0x00, 0x81, 0x02, 0x09, 0x03, 0x75, 0x3f, 0x08, 0x95, 0x14, 0x15, 0x00, 0x26, //
        0xff, 0x00, 0x91, 0x02, 0xc0,
    ];
    let d = survive(&bytes);
    // 0..=255 fits in 63 bits: no "not representable" complaint may come from the 63-bit field.
    assert!(d.iter().all(|x| !x.message.contains("does not fit in Report Size 63")), "{d:?}");
}

/// Two Input items of Report Size 0x9A00_0000 × Report Count 0xD500_0000 (4-byte items), about
/// 2^63 bits each: the report's bit total overflowed u64 in the layout (hid_proptest, shrunk).
#[test]
fn report_bit_total_saturates() {
    let bytes = [
        193, 0, 69, 0, 119, 0, 0, 0, 154, 3, 0, 0, 0, 0, 151, 0, 0, 0, 213, 1, 0, 160, 128, 0, 0, 0, 0, 11, 0, 0, 0, 0,
        128, 144,
    ];
    survive(&bytes);
}
