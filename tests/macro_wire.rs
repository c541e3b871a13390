//! Reports whose struct is its own wire payload (`usbdesc_runtime::Wire`): the struct has the
//! report's layout, `pack_into` copies it and `unpack` is a checked cast. Each is checked against
//! the same report declared with a `#[repr]` of its own, which keeps the per-field pack code: both
//! must give the same bytes for any values, and the same values back from any bytes.

use core::mem::{align_of, size_of};
use proptest::prelude::*;
use usbdesc_runtime::{hid_report, PackReport, ReportError, Wire};

/// Every wire shape: packed bits with padding after them, a `bool` owning its byte, whole-width
/// signed and unsigned values, an unsigned value narrower than its type, arrays; report ID 7.
macro_rules! gamepad {
    ($name:ident $(, #[$a:meta])?) => {
        #[hid_report(report_id = 7, usage_page = "Generic Desktop", usage = "Gamepad")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $(#[$a])?
        pub struct $name {
            #[input(usage_page = "Button", usage_min = 1, usage_max = 5, bits = 1, count = 5)]
            pub buttons: u8,
            #[input(padding, bits = 3)]
            _pad: (),
            #[input(usage_page = "Button", usage = 6)]
            pub turbo: bool,
            #[input(padding, bits = 7)]
            _pad2: (),
            #[input(usage_page = "Generic Desktop", usage = "X")]
            pub x: i16,
            #[input(usage = "Y", bits = 12, logical_min = 0, logical_max = 4095)]
            pub y: u16,
            #[input(padding, bits = 4)]
            _pad3: (),
            #[input(usages = ["Rx", "Ry"])]
            pub rxy: [i32; 2],
            #[input(usage = "Z")]
            pub z: u64,
            #[input(usage = "Slider")]
            pub slider: [u8; 3],
        }
    };
}

gamepad!(Gamepad);
gamepad!(GamepadFields, #[repr(C)]);

/// No report ID and no padding: `wire()` hands out the struct's bytes as they are.
#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stick {
    #[input(usage_page = "Generic Desktop", usages = ["X", "Y"])]
    pub xy: [i16; 2],
    #[input(usage = "Z")]
    pub z: u8,
}

fn same(g: &Gamepad) -> GamepadFields {
    GamepadFields { buttons: g.buttons, turbo: g.turbo, x: g.x, y: g.y, rxy: g.rxy, z: g.z, slider: g.slider }
}

#[test]
fn the_struct_is_the_payload() {
    assert_eq!(size_of::<Gamepad>(), Gamepad::LEN - 1);
    assert_eq!(align_of::<Gamepad>(), 1);
    assert_eq!(<Gamepad as Wire>::MASKS, &[(0, 0x1f), (1, 0x01), (5, 0x0f)]);
    assert_eq!(<Gamepad as Wire>::WIDE, &[(2, 2, 1), (4, 2, 1), (6, 4, 2), (14, 8, 1)]);
    assert_eq!(size_of::<GamepadFields>(), 32, "a struct with its own #[repr] keeps its layout");
    let g = Gamepad { buttons: 0xff, turbo: true, x: -2, y: 0xfabc, rxy: [1, -1], z: 0x0102030405060708, slider: [9, 8, 7] };
    let bytes = g.pack();
    assert_eq!(
        bytes,
        [
            7, 0x1f, 0x01, 0xfe, 0xff, 0xbc, 0x0a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 8, 7, 6, 5, 4, 3, 2, 1, 9, 8, 7
        ],
        "padding bits cleared, little-endian values"
    );
    // A report ID or padding bits need a pack step; a plain report is sent as it is in memory.
    assert!(g.wire().is_none());
    let s = Stick { xy: [0x0102, -1], z: 5 };
    assert_eq!(s.wire(), Some(&[0x02, 0x01, 0xff, 0xff, 5][..]));
    assert_eq!(s.wire(), Some(&s.pack()[..]));
}

#[test]
fn unpack_is_a_checked_cast() {
    let mut bytes = [0xffu8; 26];
    bytes[0] = 7;
    let g = Gamepad::unpack(&bytes).unwrap();
    // The bool's byte had 0xff: masked to a valid `true`; padding bits dropped.
    assert_eq!((g.buttons, g.turbo, { g.y }), (0x1f, true, 0x0fff));
    assert_eq!(Gamepad::unpack(&bytes[..25]), Err(ReportError::WrongLength { expected: 26, got: 25 }));
    bytes[0] = 6;
    assert_eq!(Gamepad::unpack(&bytes), Err(ReportError::WrongId { expected: 7, got: 6 }));
    assert_eq!(Stick::unpack(&[1, 0, 2, 0, 3]), Ok(Stick { xy: [1, 2], z: 3 }));
    let mut short = [0u8; 4];
    assert_eq!(Stick::default().pack_into(&mut short), 0, "a short buffer is left alone");
}

proptest! {
    #[test]
    fn wire_and_per_field_code_agree(
        buttons: u8, turbo: bool, x: i16, y: u16, rxy: [i32; 2], z: u64, slider: [u8; 3],
        raw in proptest::collection::vec(any::<u8>(), 25),
    ) {
        let g = Gamepad { buttons, turbo, x, y, rxy, z, slider };
        prop_assert_eq!(g.pack(), same(&g).pack());
        let mut buf = [0u8; 40];
        prop_assert_eq!(g.pack_into(&mut buf), 26);
        prop_assert_eq!(&buf[..26], &same(&g).pack()[..]);
        let mut bytes = vec![7u8];
        bytes.extend(&raw);
        let back = Gamepad::unpack(&bytes).unwrap();
        prop_assert_eq!(same(&back), GamepadFields::unpack(&bytes).unwrap());
        prop_assert_eq!(Gamepad::unpack(&back.pack()).unwrap(), back);
    }
}
