//! Property test: pack random values with `#[hid_report]` structs of several shapes (signed,
//! sub-byte, unaligned, arrays, report IDs, a composition) and decode the bytes with the
//! independent `hidreport` parser, which must see the same values. Plus typed dispatch by ID.

use hidreport::{Field, Report as _};
use proptest::prelude::*;
use usbdesc_runtime::{hid_descriptor, hid_report, ReportError};

#[hid_report(report_id = 3, usage_page = "Generic Desktop", usage = 0x04)]
#[derive(Debug)]
pub struct Joystick {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 5)]
    pub buttons: [bool; 5],
    #[input(usage_page = "Generic Desktop", usage = 0x39, bits = 3, logical_min = 0, logical_max = 7)]
    pub hat: u8,
    #[input(usages = [0x30, 0x31], bits = 12)]
    pub xy: [i16; 2],
    #[input(usage = 0x32, bits = 7)]
    pub z: i8,
    #[input(usage = 0x33)]
    pub rx: i32,
    #[input(usage = 0x36, bits = 20)]
    pub slider: u32,
}

#[hid_report(usage_page = "Generic Desktop", usage = "Mouse", nested(physical, usage = "Pointer"))]
#[derive(Debug)]
pub struct Mouse {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 3)]
    pub buttons: [bool; 3],
    #[input(padding, bits = 5)]
    _pad: (),
    #[input(usage_page = "Generic Desktop", usages = ["X", "Y", "Wheel"], relative)]
    pub xyw: [i8; 3],
    #[input(usage = "Vx", logical_min = -1000, logical_max = 1000)]
    pub vx: i16,
}

#[hid_descriptor]
pub mod composite {
    #[hid_report(report_id = 1, usage_page = "Generic Desktop", usage = "Keyboard")]
    pub struct Keyboard {
        #[input(usage_page = "Keyboard", usage_min = 0xE0, usage_max = 0xE7)]
        pub modifiers: [bool; 8],
        #[input(array, usage_min = 0, usage_max = 101, logical_min = 0, logical_max = 101)]
        pub keys: [u8; 6],
        #[output(usage_page = "LED", usage_min = 1, usage_max = 5)]
        pub leds: [bool; 5],
        #[output(padding, bits = 3)]
        _pad: (),
    }

    #[hid_report(report_id = 2, usage_page = "Consumer", usage = "Consumer Control")]
    pub struct Consumer {
        #[input(array, usage_min = 0, usage_max = 0x3FF, logical_min = 0, logical_max = 0x3FF, bits = 16)]
        pub usages: [u16; 2],
    }

    #[hid_report(report_id = 7, usage_page = 0xFF00, usage = 1)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Settings {
        #[feature(usage = 2, bits = 4)]
        pub mode: u8,
        #[feature(usage = 3, bits = 4, logical_min = -8, logical_max = 7)]
        pub trim: i8,
        #[feature(usage = 4)]
        pub gain: u16,
    }
}

/// Every non-constant element of the report `bytes`, in bit order, as hidreport decodes it.
fn decode(descriptor: &[u8], bytes: &[u8]) -> Vec<i64> {
    let rd = hidreport::ReportDescriptor::try_from(descriptor).expect("hidreport parses the descriptor");
    let fields = match rd.find_input_report(bytes) {
        Some(r) => {
            assert_eq!(r.size_in_bytes(), bytes.len());
            r.fields().to_vec()
        }
        None => {
            let r = rd.find_feature_report(bytes).expect("report found");
            assert_eq!(r.size_in_bytes(), bytes.len());
            r.fields().to_vec()
        }
    };
    let mut fields: Vec<&Field> = fields.iter().collect();
    fields.sort_by_key(|f| f.bits().start);
    let val = |v: &hidreport::FieldValue| if v.is_signed() { i32::from(v) as i64 } else { u32::from(v) as i64 };
    let mut out = Vec::new();
    for f in fields {
        match f {
            Field::Variable(v) => out.push(val(&v.extract(bytes).unwrap())),
            Field::Array(a) => out.extend(a.extract(bytes).unwrap().iter().map(val)),
            Field::Constant(_) => {}
        }
    }
    out
}

fn b(x: bool) -> i64 {
    x as i64
}

/// What `pack_into` wrote into a buffer of 0xAA bytes (its own code path, not `pack`'s).
fn packed_into(f: impl FnOnce(&mut [u8]) -> usize) -> Vec<u8> {
    let mut buf = [0xAAu8; 64];
    let n = f(&mut buf);
    assert!(buf[n..].iter().all(|&x| x == 0xAA), "pack_into wrote past its report");
    buf[..n].to_vec()
}

/// Every field straddles a byte boundary or packs several elements: packed bits in a `u8` and a
/// `u16` (`bits = 1, count = N`), a 4-bit value, an 11-bool run across bytes, a signed 12-bit
/// value. 40 bits, 5 bytes.
#[hid_report(usage_page = "Generic Desktop", usage = "Gamepad")]
#[derive(Debug)]
pub struct Straddle {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 3, bits = 1, count = 3)]
    pub low: u8,
    #[input(usage_page = "Generic Desktop", usage = "Hat switch", bits = 4, logical_min = 0, logical_max = 8)]
    pub hat: u8,
    #[input(usage_page = "Button", usage_min = 4, usage_max = 13, bits = 1, count = 10)]
    pub mid: u16,
    #[input(usage_min = 14, usage_max = 24)]
    pub flags: [bool; 11],
    #[input(usage_page = "Generic Desktop", usage = "X", bits = 12)]
    pub x: i16,
}

/// One bit (or one value) at a time: each lands at the exact wire bit, in both packers.
#[test]
fn straddling_fields_land_on_their_bits() {
    let zero = Straddle { low: 0, hat: 0, mid: 0, flags: [false; 11], x: 0 };
    let check = |r: &Straddle, want: [u8; 5]| {
        assert_eq!(r.pack(), want, "pack of {r:?}");
        assert_eq!(packed_into(|b| r.pack_into(b)), want.to_vec(), "pack_into of {r:?}");
        let back = Straddle::unpack(&want).unwrap();
        assert_eq!(back.pack(), want);
    };
    check(&zero, [0; 5]);
    // low: bits 0..3.
    check(&Straddle { low: 0b100, ..zero }, [0b0000_0100, 0, 0, 0, 0]);
    // hat: bits 3..7.
    check(&Straddle { hat: 0b1001, ..zero }, [0b0100_1000, 0, 0, 0, 0]);
    // mid: bits 7..17: element 0 at bit 7, element 1 at bit 8, element 9 at bit 16.
    check(&Straddle { mid: 1, ..zero }, [0x80, 0, 0, 0, 0]);
    check(&Straddle { mid: 0b10, ..zero }, [0, 0x01, 0, 0, 0]);
    check(&Straddle { mid: 1 << 9, ..zero }, [0, 0, 0x01, 0, 0]);
    // flags: bits 17..28; flags[0] at 17, flags[7] at 24, flags[10] at 27.
    let mut f = [false; 11];
    f[0] = true;
    check(&Straddle { flags: f, ..zero }, [0, 0, 0b10, 0, 0]);
    let mut f = [false; 11];
    f[7] = true;
    check(&Straddle { flags: f, ..zero }, [0, 0, 0, 0b1, 0]);
    let mut f = [false; 11];
    f[10] = true;
    check(&Straddle { flags: f, ..zero }, [0, 0, 0, 0b1000, 0]);
    // x: bits 28..40, two's complement: -1 fills them, 1 is bit 28.
    check(&Straddle { x: -1, ..zero }, [0, 0, 0, 0xF0, 0xFF]);
    check(&Straddle { x: 1, ..zero }, [0, 0, 0, 0x10, 0]);
    // Bits above a packed field's elements are dropped, not carried into the next field.
    check(&Straddle { low: 0xFF, ..zero }, [0b111, 0, 0, 0, 0]);
}

proptest! {
    #[test]
    fn straddle_matches_hidreport(low in 0u8..8, hat in 0u8..=8, mid in 0u16..1024, flags in prop::array::uniform11(any::<bool>()), x in -2048i16..2048) {
        let r = Straddle { low, hat, mid, flags, x };
        let bytes = r.pack();
        prop_assert_eq!(packed_into(|b| r.pack_into(b)), bytes.to_vec());
        let mut want: Vec<i64> = (0..3).map(|i| (low >> i & 1) as i64).collect();
        want.push(hat as i64);
        want.extend((0..10).map(|i| (mid >> i & 1) as i64));
        want.extend(flags.iter().map(|&v| b(v)));
        want.push(x as i64);
        prop_assert_eq!(decode(&Straddle::DESCRIPTOR, &bytes), want);
        let back = Straddle::unpack(&bytes).unwrap();
        prop_assert_eq!((back.low, back.hat, back.mid, back.flags, back.x), (low, hat, mid, flags, x));
    }
}

proptest! {
    #[test]
    fn joystick_matches_hidreport(
        buttons in prop::array::uniform5(any::<bool>()), hat in 0u8..8, x in -2048i16..2048, y in -2048i16..2048,
        z in -64i8..64, rx in any::<i32>(), slider in 0u32..(1 << 20),
    ) {
        let r = Joystick { buttons, hat, xy: [x, y], z, rx, slider };
        let bytes = r.pack();
        prop_assert_eq!(bytes.len(), Joystick::LEN);
        prop_assert_eq!(bytes[0], 3);
        let mut want: Vec<i64> = buttons.iter().map(|&v| b(v)).collect();
        want.extend([hat as i64, x as i64, y as i64, z as i64, rx as i64, slider as i64]);
        prop_assert_eq!(decode(&Joystick::DESCRIPTOR, &bytes), want);
        prop_assert_eq!(Joystick::unpack(&bytes).unwrap().pack(), bytes);
        prop_assert_eq!(packed_into(|b| r.pack_into(b)), bytes.to_vec());
    }

    #[test]
    fn mouse_matches_hidreport(buttons in prop::array::uniform3(any::<bool>()), xyw in prop::array::uniform3(any::<i8>()), vx in -1000i16..=1000) {
        let r = Mouse { buttons, xyw, vx };
        let bytes = r.pack();
        let mut want: Vec<i64> = buttons.iter().map(|&v| b(v)).collect();
        want.extend(xyw.iter().map(|&v| v as i64));
        want.push(vx as i64);
        prop_assert_eq!(decode(&Mouse::DESCRIPTOR, &bytes), want);
        prop_assert_eq!(packed_into(|b| r.pack_into(b)), bytes.to_vec());
        let back = Mouse::unpack(&bytes).unwrap();
        prop_assert_eq!((back.buttons, back.xyw, back.vx), (buttons, xyw, vx));
    }

    #[test]
    fn composite_matches_hidreport(
        modifiers in prop::array::uniform8(any::<bool>()), keys in prop::array::uniform6(0u8..=101),
        usages in prop::array::uniform2(0u16..=0x3FF), mode in 0u8..16, trim in -8i8..8, gain in any::<u16>(),
    ) {
        let k = composite::KeyboardInput { modifiers, keys };
        let mut want: Vec<i64> = modifiers.iter().map(|&v| b(v)).collect();
        want.extend(keys.iter().map(|&v| v as i64));
        prop_assert_eq!(decode(&composite::DESCRIPTOR, &k.pack()), want);
        prop_assert_eq!(packed_into(|b| k.pack_into(b)), k.pack().to_vec());
        let c = composite::Consumer { usages };
        prop_assert_eq!(decode(&composite::DESCRIPTOR, &c.pack()), usages.iter().map(|&v| v as i64).collect::<Vec<_>>());
        let s = composite::Settings { mode, trim, gain };
        prop_assert_eq!(decode(&composite::DESCRIPTOR, &s.pack()), vec![mode as i64, trim as i64, gain as i64]);
        prop_assert_eq!(packed_into(|b| s.pack_into(b)), s.pack().to_vec());
        // Typed dispatch by report ID.
        match composite::Feature::unpack(&s.pack()) {
            Ok(composite::Feature::Settings(got)) => prop_assert_eq!(got, s),
            other => prop_assert!(false, "dispatch gave {:?}", other.map(|f| f.id())),
        }
    }
}

#[test]
fn composite_ids_and_dispatch() {
    assert_eq!(composite::REPORT_IDS, [1, 2, 7]);
    assert_eq!(composite::KeyboardInput::LEN, 1 + 1 + 6);
    assert_eq!(composite::KeyboardOutput::LEN, 2);
    assert_eq!(composite::Consumer::LEN, 5);
    assert_eq!(composite::Settings::LEN, 4);
    let leds = composite::Output::unpack(&[1, 0b0000_0010]).unwrap();
    assert_eq!(leds.id(), 1);
    let composite::Output::KeyboardOutput(k) = leds;
    assert_eq!(k, composite::KeyboardOutput { leds: [false, true, false, false, false] });
    assert_eq!(composite::Output::unpack(&[9, 0]).err(), Some(ReportError::WrongId { expected: 0, got: 9 }));
    assert_eq!(composite::Output::unpack(&[1]).err(), Some(ReportError::WrongLength { expected: 2, got: 1 }));
    assert_eq!(composite::Output::unpack(&[]).err(), Some(ReportError::WrongLength { expected: 1, got: 0 }));
    assert_eq!(composite::Settings::unpack(&[2, 0, 0, 0]), Err(ReportError::WrongId { expected: 7, got: 2 }));
    // Feature pack: mode in the low nibble, trim (two's complement) in the high nibble.
    let s = composite::Settings { mode: 5, trim: -2, gain: 0x1234 };
    assert_eq!(s.pack(), [7, 0xE5, 0x34, 0x12]);
}
