//! `#[hid_report]` / `#[hid_descriptor]` say what real descriptors say: sibling and trailing
//! collections (`#[collection]` / `#[end_collection]` on fields), several report IDs in one
//! application collection (`inside`), a report continued elsewhere (`part_of`), padding with
//! any flags and globals, unit names, and `allow(...)` for a deliberate lint error. The item
//! lists are snapshots (reviewed); the packed reports are checked against the layout.

use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_runtime::hid_descriptor;

#[hid_descriptor]
pub mod touch {
    #[hid_report(report_id = 1, usage_page = "Digitizers", usage = "Touch Screen")]
    pub struct Touch {
        #[collection(logical, usage = "Finger")]
        #[input(usage = "Tip Switch")]
        pub tip1: bool,
        #[input(padding, variable, bits = 7)]
        _p1: (),
        #[input(usage_page = "Generic Desktop", usage = "X", logical_max = 4095, physical_min = 0, physical_max = 2000, unit = "centimeter", unit_exponent = -2, bits = 16)]
        #[end_collection]
        pub x1: u16,
        #[collection(logical, usage_page = "Digitizers", usage = "Finger")]
        #[input(usage = "Tip Switch")]
        pub tip2: bool,
        #[input(padding, variable, bits = 7)]
        _p2: (),
        #[input(usage_page = "Generic Desktop", usage = "X", logical_max = 4095, physical_min = 0, physical_max = 2000, unit = "centimeter", unit_exponent = -2, bits = 16)]
        #[end_collection]
        pub x2: u16,
        // After the two finger collections, still in the application collection.
        #[input(usage_page = "Digitizers", usage = "Contact Count", logical_max = 127, bits = 8)]
        pub count: u8,
    }

    // Report 2 in the same application collection.
    #[hid_report(report_id = 2, inside = Touch)]
    pub struct Max {
        #[feature(usage = "Contact Count Maximum", logical_max = 10)]
        pub max: u8,
    }
}

#[hid_descriptor]
pub mod split {
    // Report 1's input, report 2, then report 1's feature: `part_of` places the feature field
    // after report 2 while it stays a field of `Main`.
    #[hid_report(report_id = 1, usage_page = "Generic Desktop", usage = "Joystick")]
    pub struct Main {
        #[input(usage = "X")]
        pub x: i8,
    }
    #[hid_report(report_id = 2, usage_page = "Consumer", usage = "Consumer Control")]
    pub struct Media {
        #[input(usage = "Volume Increment")]
        pub up: bool,
        // Padding restating a unit (Zephyr-style Cnst,Var,Abs).
        #[input(padding, variable, unit = "none", bits = 7)]
        _pad: (),
    }
    #[hid_report(part_of = Main, allow(UD4123))]
    pub struct MainFeature {
        #[collection(logical, usage_page = "Generic Desktop", usage = "Joystick")]
        // 300 does not fit 8 bits: a deliberate lint error, allowed.
        #[feature(usage = "Dial", logical_min = 0, logical_max = 300, bits = 8)]
        #[end_collection]
        pub dial: u16,
    }
}

fn items(bytes: &[u8]) -> String {
    ReportDescriptor::decode(bytes).unwrap().dump_items()
}

#[test]
fn sibling_and_trailing_collections_and_two_ids_in_one_application() {
    insta::assert_snapshot!("touch_items", items(&touch::DESCRIPTOR));
    assert_eq!(touch::REPORT_IDS, [1, 2]);
    let t = touch::Touch { tip1: true, x1: 0x0ABC, tip2: false, x2: 0x0123, count: 2 };
    // ID, tip1 + 7 padding bits, x1, tip2 + padding, x2, count.
    assert_eq!(t.pack(), [1, 0x01, 0xBC, 0x0A, 0x00, 0x23, 0x01, 2]);
    assert_eq!(touch::Max { max: 10 }.pack(), [2, 10]);
    // The layout agrees: one input report 1 of 8 bytes, one feature report 2 of 2.
    let l = ReportDescriptor::decode(&touch::DESCRIPTOR).unwrap().layout();
    let r1 = l.reports.iter().find(|r| r.id == Some(1)).unwrap();
    assert_eq!((r1.bytes, touch::Touch::LEN), (8, 8));
    let x2 = r1.fields.iter().filter(|f| f.usages == [0x0001_0030]).nth(1).unwrap();
    assert_eq!((x2.bit_offset, x2.unit, x2.unit_exponent), (40, 0x11, -2));
}

#[test]
fn a_report_continued_elsewhere_and_padding_with_flags_and_globals() {
    insta::assert_snapshot!("split_items", items(&split::DESCRIPTOR));
    // `Main` has both kinds: one generated type per kind, the feature field moved into it.
    assert_eq!(split::MainInput { x: -2 }.pack(), [1, 0xFE]);
    assert_eq!(split::MainFeature { dial: 0x2C }.pack(), [1, 0x2C]);
    assert_eq!(split::Media { up: true }.pack(), [2, 0x01]);
    let l = ReportDescriptor::decode(&split::DESCRIPTOR).unwrap().layout();
    let pad = l.reports.iter().find(|r| r.id == Some(2)).unwrap().fields.iter().find(|f| f.constant).unwrap();
    assert_eq!(pad.flags.0, 0x03, "padding is Cnst,Var,Abs");
}
