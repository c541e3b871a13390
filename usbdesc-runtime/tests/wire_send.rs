//! A report that is its own wire bytes (`usbdesc_runtime::Wire`, no report ID, no padding bits):
//! `send` hands the struct's bytes to the endpoint without packing, and the host gets exactly the
//! report's bytes; GET_REPORT returns the same bytes afterwards.

mod support;

use support::*;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::PackReport;

mod joystick {
    usbdesc_runtime::include_device!("tests/devices/wire-joystick.toml");
    pub use hid0::Input as JoystickReport;
}

const EXPECTED: [u8; 6] = [0x81, 0xfe, 0xff, 0x34, 0x12, 200];

fn report() -> joystick::JoystickReport {
    joystick::JoystickReport { button: 0b1000_0001, x: -2, y: 0x1234, slider: 200 }
}

#[test]
fn a_wire_report_is_sent_as_it_is() {
    assert_eq!(core::mem::size_of::<joystick::JoystickReport>(), joystick::JoystickReport::LEN);
    // No pack step: the struct's own bytes are the report.
    assert_eq!(report().wire(), Some(&EXPECTED[..]));
    Ctx(&joystick::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            cls.send(&report()).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), EXPECTED);
            assert_eq!(dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8).unwrap(), EXPECTED);
        })
        .unwrap();
}
