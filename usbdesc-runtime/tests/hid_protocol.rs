//! HID 1.11 §7.2 class requests, typed reports, idle repeat, boot protocol and remote wakeup,
//! driven by an emulated host.

mod support;

use support::keyboard::KeyboardLeds;
use support::keypad::{KeypadConfig, KeypadLeds};
use support::mouse::MouseReport;
use support::*;
use usb_device::class::UsbClass;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::{Protocol, ReportError, SendError, WakeupError};

#[test]
fn keyboard_input_report_and_get_report() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            // Before anything was sent, GET_REPORT(Input) returns the zeroed report.
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8)
                    .unwrap(),
                [0u8; 8]
            );
            let report = keyboard::report(0x02, [0x04, 0x05, 0, 0, 0, 0]);
            cls.send(&report).unwrap();
            assert_eq!(
                dev.ep_read(cls, 1, 8).unwrap(),
                [0x02, 0, 0x04, 0x05, 0, 0, 0, 0]
            );
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8)
                    .unwrap(),
                [0x02, 0, 0x04, 0x05, 0, 0, 0, 0]
            );
            // Truncated to wLength.
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 3)
                    .unwrap(),
                [0x02, 0, 0x04]
            );
            // Raw send with the wrong length is refused, nothing goes out.
            assert_eq!(cls.send_raw(0, &[1, 2, 3]), Err(SendError::BadLength));
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), Vec::<u8>::new());
        })
        .unwrap();
}

#[test]
fn keyboard_caps_lock_over_control_and_interrupt_out() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            assert_eq!(cls.read_output::<KeyboardLeds>(), None);
            dev.control_write(cls, class_out_itf(), SET_REPORT, 0x0200, 0, 1, &[0x02])
                .unwrap();
            let leds = cls.read_output::<KeyboardLeds>().unwrap().unwrap();
            assert_eq!(leds, keyboard::leds(0x02), "Caps Lock only");
            // Delivered once per write.
            assert_eq!(cls.read_output::<KeyboardLeds>(), None);
            // GET_REPORT(Output) returns the current value.
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0200, 0, 1)
                    .unwrap(),
                [0x02]
            );
            // Interrupt OUT endpoint 1.
            dev.ep_write(cls, 1, &[0x05]).unwrap();
            let leds = cls.read_output::<KeyboardLeds>().unwrap().unwrap();
            assert_eq!(leds, keyboard::leds(0x05), "Num Lock and Scroll Lock");
            // A 2-byte packet matches no output report: dropped.
            dev.ep_write(cls, 1, &[0x01, 0x01]).unwrap();
            assert_eq!(cls.read_output::<KeyboardLeds>(), None);
        })
        .unwrap();
}

#[test]
fn idle_rate_repeats_the_last_report() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            // Boot keyboards default to 500 ms (HID 1.11 §7.2.4).
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0, 0, 1)
                    .unwrap(),
                [125]
            );
            // SET_IDLE 8 ms (2 × 4 ms) for all reports.
            dev.control_write(cls, class_out_itf(), SET_IDLE, 0x0200, 0, 0, &[])
                .unwrap();
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0, 0, 1)
                    .unwrap(),
                [2]
            );
            assert_eq!(cls.idle(0, 0), Some(2));
            // Nothing was sent yet: nothing to repeat.
            cls.tick_ms(100);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), Vec::<u8>::new());
            let report = keyboard::report(0, [0x1E, 0, 0, 0, 0, 0]);
            cls.send(&report).unwrap();
            let first = dev.ep_read(cls, 1, 8).unwrap();
            cls.tick_ms(7);
            assert_eq!(
                dev.ep_read(cls, 1, 8).unwrap(),
                Vec::<u8>::new(),
                "before the idle period"
            );
            cls.tick_ms(1);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), first, "repeated at 8 ms");
            cls.tick_ms(4);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), Vec::<u8>::new());
            cls.tick_ms(4);
            assert_eq!(
                dev.ep_read(cls, 1, 8).unwrap(),
                first,
                "repeated again at 16 ms"
            );
            // Idle 0 = indefinite: no repeats.
            dev.control_write(cls, class_out_itf(), SET_IDLE, 0x0000, 0, 0, &[])
                .unwrap();
            cls.tick_ms(1000);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), Vec::<u8>::new());
        })
        .unwrap();
}

#[test]
fn boot_protocol_switches_report_format() {
    Ctx(&mouse::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            // Devices power up in report protocol (HID 1.11 §7.2.6).
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_PROTOCOL, 0, 0, 1)
                    .unwrap(),
                [1]
            );
            let m = MouseReport {
                button: 0b001,
                x: -3,
                y: 5,
                wheel: -1,
            };
            cls.send(&m).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 4).unwrap(), [1, 0xFD, 5, 0xFF]);
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_PROTOCOL, 0, 0, 1)
                    .unwrap(),
                [0]
            );
            assert_eq!(cls.protocol(0), Some(Protocol::Boot));
            // Boot mouse format: buttons, X, Y (HID 1.11 Appendix B.2), no wheel.
            cls.send(&m).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 4).unwrap(), [1, 0xFD, 5]);
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8)
                    .unwrap(),
                [1, 0xFD, 5]
            );
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 1, 0, 0, &[])
                .unwrap();
            assert_eq!(cls.protocol(0), Some(Protocol::Report));
            cls.send(&m).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 4).unwrap(), [1, 0xFD, 5, 0xFF]);
            // A bus reset returns to report protocol; emulate the stack's reset call.
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            cls.reset();
            assert_eq!(cls.protocol(0), Some(Protocol::Report));
        })
        .unwrap();
}

#[test]
fn boot_keyboard_led_report_in_boot_protocol() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            dev.control_write(cls, class_out_itf(), SET_REPORT, 0x0200, 0, 1, &[0x02])
                .unwrap();
            assert!(
                cls.read_output::<KeyboardLeds>()
                    .unwrap()
                    .unwrap()
                    .led
                    & 0b10
                    != 0 // Caps Lock
            );
            cls.send(&keyboard::report(0x20, [4, 0, 0, 0, 0, 0]))
            .unwrap();
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), [0x20, 0, 4, 0, 0, 0, 0, 0]);
        })
        .unwrap();
}

#[test]
fn boot_keyboard_with_report_ids_sends_the_boot_report_without_the_id() {
    use support::keyboard_ids::{ConsumerReport, KeyboardLeds, KeyboardReport};
    Ctx(&keyboard_ids::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            let keys = KeyboardReport {
                keyboard_keypad: 0b10, // Left Shift
                keyboard_keypad_2: [0x04, 0x05, 0, 0, 0, 0],
            };
            let volume_up = ConsumerReport { consumer: 0x00E9 };
            // Report protocol: ID byte first.
            cls.send(&keys).unwrap();
            assert_eq!(
                dev.ep_read(cls, 1, 16).unwrap(),
                [1, 0x02, 0, 0x04, 0x05, 0, 0, 0, 0]
            );
            cls.send(&volume_up).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 16).unwrap(), [2, 0xE9, 0x00]);
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            // Boot protocol: the 8-byte Appendix B.1 report, no ID byte, on the pipe and for
            // GET_REPORT(Input).
            cls.send(&keys).unwrap();
            assert_eq!(
                dev.ep_read(cls, 1, 16).unwrap(),
                [0x02, 0, 0x04, 0x05, 0, 0, 0, 0]
            );
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 64)
                    .unwrap(),
                [0x02, 0, 0x04, 0x05, 0, 0, 0, 0]
            );
            // The consumer report is not a boot report: it does not go out in boot protocol.
            cls.send(&volume_up).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 16).unwrap(), Vec::<u8>::new());
            // The boot LED byte lands in output report 1 (after its ID byte).
            dev.control_write(cls, class_out_itf(), SET_REPORT, 0x0200, 0, 1, &[0x02])
                .unwrap();
            let leds = cls.read_output::<KeyboardLeds>().unwrap().unwrap();
            assert!(leds.led & 0b10 != 0, "Caps Lock");
            // Back in report protocol the stored consumer report is the current one.
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 1, 0, 0, &[])
                .unwrap();
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0102, 0, 64)
                    .unwrap(),
                [2, 0xE9, 0x00]
            );
        })
        .unwrap();
}

#[test]
fn boot_mouse_with_wide_axes_converts_from_the_layout() {
    use support::mouse16::MouseReport;
    Ctx(&mouse16::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            let m = MouseReport {
                button: 0b10101,
                x: -300,
                y: 5,
                wheel: 1,
            };
            cls.send(&m).unwrap();
            assert_eq!(
                dev.ep_read(cls, 1, 8).unwrap(),
                [1, 0x15, 0xD4, 0xFE, 5, 0, 1]
            );
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            // Buttons 1..5, X saturated to -127, Y 5 (HID 1.11 Appendix B.2), no ID byte.
            cls.send(&m).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), [0x15, 0x81, 5]);
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8)
                    .unwrap(),
                [0x15, 0x81, 5]
            );
        })
        .unwrap();
}

#[test]
fn report_ids_feature_and_output_reports() {
    Ctx(&keypad::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            cls.send(&keypad::keys(0x8001)).unwrap();
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), [1, 0x01, 0x80]);
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0101, 0, 3)
                    .unwrap(),
                [1, 0x01, 0x80]
            );
            // Feature 3: application value, then host write.
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0303, 0, 3)
                    .unwrap(),
                [3, 0, 0]
            );
            cls.set_feature(&keypad::config(7, 1))
            .unwrap();
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0303, 0, 3)
                    .unwrap(),
                [3, 7, 1]
            );
            assert_eq!(cls.read_feature::<KeypadConfig>(), None);
            dev.control_write(cls, class_out_itf(), SET_REPORT, 0x0303, 0, 3, &[3, 9, 2])
                .unwrap();
            assert_eq!(
                cls.read_feature::<KeypadConfig>(),
                Some(Ok(keypad::config(9, 2)))
            );
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0303, 0, 255)
                    .unwrap(),
                [3, 9, 2]
            );
            // Output 2 over the interrupt OUT endpoint, ID byte first.
            dev.ep_write(cls, 1, &[2, 0x0F]).unwrap();
            assert_eq!(
                cls.read_output::<KeypadLeds>(),
                Some(Ok(keypad::leds(0x0F)))
            );
            // Wrong ID on the interrupt pipe: dropped.
            dev.ep_write(cls, 1, &[5, 0x0F]).unwrap();
            assert_eq!(cls.read_output::<KeypadLeds>(), None);
            // Idle per report ID.
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0x0001, 0, 1)
                    .unwrap(),
                [0]
            );
            dev.control_write(cls, class_out_itf(), SET_IDLE, 0x0A01, 0, 0, &[])
                .unwrap();
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0x0001, 0, 1)
                    .unwrap(),
                [10]
            );
            // Not a boot device: GET/SET_PROTOCOL STALL.
            assert!(is_stall(&dev.control_read(
                cls,
                class_in_itf(),
                GET_PROTOCOL,
                0,
                0,
                1
            )));
            assert!(is_stall(&dev.control_write(
                cls,
                class_out_itf(),
                SET_PROTOCOL,
                0,
                0,
                0,
                &[]
            )));
            still_works(cls, &mut dev);
        })
        .unwrap();
}

#[test]
fn typed_unpack_checks_framing() {
    assert_eq!(
        KeypadConfig::unpack(&[3, 1, 2]),
        Ok(keypad::config(1, 2))
    );
    assert_eq!(
        KeypadConfig::unpack(&[4, 1, 2]),
        Err(ReportError::WrongId {
            expected: 3,
            got: 4
        })
    );
    assert_eq!(
        KeypadConfig::unpack(&[3, 1]),
        Err(ReportError::WrongLength {
            expected: 3,
            got: 2
        })
    );
    assert_eq!(
        KeyboardLeds::unpack(&[]),
        Err(ReportError::WrongLength {
            expected: 1,
            got: 0
        })
    );
}

#[test]
fn remote_wakeup_needs_declaration_enable_and_suspend() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|cls, mut dev| {
            let mut signalled = false;
            assert_eq!(
                cls.remote_wakeup(dev.usb_dev(), || signalled = true),
                Err(WakeupError::NotEnabled)
            );
            let mut cls = cls;
            dev.device_set_feature(&mut cls, 1).unwrap();
            assert_eq!(dev.device_get_status(&mut cls).unwrap() & 0x0002, 0x0002);
            assert_eq!(
                cls.remote_wakeup(dev.usb_dev(), || signalled = true),
                Err(WakeupError::NotSuspended)
            );
            assert!(!signalled);
        })
        .unwrap();
    Ctx(&keypad::DEVICE)
        .with_usb(|cls, mut dev| {
            assert_eq!(
                cls.remote_wakeup(dev.usb_dev(), || ()),
                Err(WakeupError::NotDeclared)
            );
        })
        .unwrap();
}
