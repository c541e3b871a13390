//! Report fields wider than 32 bits reach the wire: up to 64 bits as `u64`/`i64` (TOML devices and
//! `#[hid_report]`), wider ones as raw little-endian bytes (TOML devices). Checked bit by bit
//! against a plain bit writer, through `pack`, `pack_into` and `unpack`.

use usbdesc_runtime::hid_report;

mod wide {
    usbdesc_runtime::include_device!("tests/data/wide-fields.toml");
}

/// Writes the low `bits` bits of `v` at bit `off` (LSB first, as HID lays reports out).
fn put(buf: &mut [u8], off: usize, bits: usize, v: u128) {
    for i in 0..bits {
        if v >> i & 1 == 1 {
            buf[(off + i) / 8] |= 1 << ((off + i) % 8);
        }
    }
}

fn le(bytes: &[u8]) -> u128 {
    bytes.iter().rev().fold(0, |a, &b| a << 8 | b as u128)
}

#[test]
fn toml_fields_of_40_64_88_and_68_bits_are_sent() {
    use wide::hid0::Input;
    let big: [u8; 11] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA];
    let r = Input {
        usage_ff00_0002: 5,
        usage_ff00_0003: -2,
        usage_ff00_0004: 0x8123_4567_89AB_CDEF,
        usage_ff00_0005: big,
        usage_ff00_0006: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
        usage_ff00_0006_hi: 0xA,
    };
    let mut want = [0u8; 33];
    put(&mut want, 0, 3, 5);
    put(&mut want, 3, 40, (-2i64) as u64 as u128);
    put(&mut want, 43, 64, 0x8123_4567_89AB_CDEF);
    put(&mut want, 107, 88, le(&big));
    put(&mut want, 195, 64, le(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]));
    put(&mut want, 259, 4, 0xA);
    assert_eq!(Input::LEN, 33);
    assert_eq!(r.pack(), want);
    let mut buf = [0u8; 40];
    assert_eq!(r.pack_into(&mut buf), 33);
    assert_eq!(buf[..33], want);
    assert_eq!(Input::unpack(&want), Ok(r));
    // The top bit of each field is the last one on the wire.
    let ones = Input::unpack(&[0xFF; 33]).unwrap();
    assert_eq!(ones.usage_ff00_0003, -1);
    assert_eq!(ones.usage_ff00_0004, u64::MAX);
    assert_eq!(ones.usage_ff00_0005, [0xFF; 11]);
    assert_eq!(ones.usage_ff00_0006_hi, 0xF);
    let mut back = ones.pack();
    back[32] |= 0x80; // the constant padding bit
    assert_eq!(back, [0xFF; 33]);
}

#[hid_report(usage_page = 0xFF00, usage = 1)]
#[derive(Debug, PartialEq)]
pub struct Wide {
    #[input(usage = 2, bits = 5)]
    pub a: u8,
    #[input(usage = 3)]
    pub b: u64,
    #[input(usage = 4, bits = 36)]
    pub c: i64,
    #[input(usage = 5, bits = 48)]
    pub d: [u64; 2],
}

#[test]
fn macro_u64_and_i64_fields_are_sent() {
    let r = Wide { a: 0x15, b: 0xF0E1_D2C3_B4A5_9687, c: -0x7_0000_0001, d: [0xFFFF_0000_FFFF, 0x1234_5678_9ABC] };
    let mut want = [0u8; 25];
    put(&mut want, 0, 5, 0x15);
    put(&mut want, 5, 64, 0xF0E1_D2C3_B4A5_9687);
    put(&mut want, 69, 36, (-0x7_0000_0001i64) as u64 as u128);
    put(&mut want, 105, 48, 0xFFFF_0000_FFFF);
    put(&mut want, 153, 48, 0x1234_5678_9ABC);
    assert_eq!(Wide::LEN, 26);
    assert_eq!(r.pack()[..25], want);
    let mut buf = [0u8; 26];
    assert_eq!(r.pack_into(&mut buf), 26);
    assert_eq!(buf, r.pack());
    assert_eq!(Wide::unpack(&r.pack()), Ok(r));
}
