//! The compile-time device source (`DeviceSource`): a class whose device is a constant of its
//! type must behave exactly like the run-time one, request for request.

mod support;

use support::keyboard::{self, KeyboardLeds};
use support::*;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::Protocol;

/// The class type `include_device!` generates for the keyboard: `keyboard::Compiled` as the
/// device source, `STATE_LEN` and `MAX_EP` from the compiled device.
type KeyboardCtx = StaticCtx<keyboard::Compiled, { keyboard::STATE_LEN }, { keyboard::MAX_EP }>;

#[test]
fn static_keyboard_serves_the_same_bytes_and_protocol() {
    // Given another device on purpose: the type's device wins.
    KeyboardCtx::new(&support::mouse::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            let desc = &keyboard::DEVICE;
            assert!(core::ptr::eq(cls.descriptors(), desc));
            assert_eq!(
                dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap(),
                desc.device
            );
            let total = desc.configuration.len() as u16;
            assert_eq!(
                dev.device_get_descriptor(cls, 2, 0, 0, total).unwrap(),
                desc.configuration
            );
            for s in desc.strings {
                assert_eq!(
                    dev.device_get_descriptor(cls, 3, s.index, s.langid, 255)
                        .unwrap(),
                    s.bytes
                );
            }
            assert_eq!(
                dev.device_get_descriptor(cls, 15, 0, 0, 0xFFFF).unwrap(),
                desc.bos.unwrap()
            );
            assert!(is_stall(&dev.device_get_descriptor(cls, 6, 0, 0, 10)));
            // HID and report descriptors.
            assert_eq!(
                dev.control_read(cls, std_in_itf(), 6, 0x2100, 0, 9)
                    .unwrap(),
                desc.hid[0].hid_descriptor
            );
            assert_eq!(
                dev.control_read(cls, std_in_itf(), 6, 0x2200, 0, 255)
                    .unwrap(),
                desc.hid[0].report_descriptor
            );
            // Input report, GET_REPORT, idle repeat.
            let report = keyboard::report(0x02, [0x04, 0, 0, 0, 0, 0]);
            dev.control_write(cls, class_out_itf(), SET_IDLE, 0x0100, 0, 0, &[])
                .unwrap();
            cls.send(&report).unwrap();
            let first = dev.ep_read(cls, 1, 8).unwrap();
            assert_eq!(first, [0x02, 0, 0x04, 0, 0, 0, 0, 0]);
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_REPORT, 0x0100, 0, 8)
                    .unwrap(),
                first
            );
            cls.tick_ms(3);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), Vec::<u8>::new());
            cls.tick_ms(1);
            assert_eq!(dev.ep_read(cls, 1, 8).unwrap(), first, "repeated at 4 ms");
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0, 0, 1)
                    .unwrap(),
                [1]
            );
            // Caps Lock by SET_REPORT and by interrupt OUT; a malformed one STALLs.
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
            dev.ep_write(cls, 1, &[0x01]).unwrap();
            assert!(cls.read_output::<KeyboardLeds>().unwrap().unwrap().led & 1 != 0); // Num Lock
            assert!(is_stall(&dev.control_write(
                cls,
                class_out_itf(),
                SET_REPORT,
                0x0200,
                0,
                2,
                &[1, 2]
            )));
            // Reports the keyboard does not declare (it uses no report IDs; the compile-time
            // class finds its reports in a constant table, not by a walk) STALL.
            for (request, value) in [(GET_REPORT, 0x0101), (GET_REPORT, 0x0300), (GET_IDLE, 1)] {
                assert!(is_stall(&dev.control_read(
                    cls,
                    class_in_itf(),
                    request,
                    value,
                    0,
                    8
                )));
            }
            for (request, value, data) in [
                (SET_IDLE, 0x0101, &[][..]),
                (SET_REPORT, 0x0201, &[0x02][..]),
                (SET_REPORT, 0x0300, &[0x02][..]),
            ] {
                assert!(is_stall(&dev.control_write(
                    cls,
                    class_out_itf(),
                    request,
                    value,
                    0,
                    data.len() as u16,
                    data
                )));
            }
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_IDLE, 0, 0, 1)
                    .unwrap(),
                [1],
                "SET_IDLE of an undeclared ID changed nothing"
            );
            // Boot protocol.
            dev.control_write(cls, class_out_itf(), SET_PROTOCOL, 0, 0, 0, &[])
                .unwrap();
            assert_eq!(cls.protocol(0), Some(Protocol::Boot));
            assert_eq!(
                dev.control_read(cls, class_in_itf(), GET_PROTOCOL, 0, 0, 1)
                    .unwrap(),
                [0]
            );
            // Unknown interface STALLs.
            assert!(is_stall(&dev.control_read(
                cls,
                class_in_itf(),
                GET_IDLE,
                0,
                5,
                1
            )));
        })
        .unwrap();
}

#[test]
fn generated_class_parameters_fit_the_device() {
    // Keyboard state: interface header 2 + (4 + 8) input + (4 + 1) output = 19, in whole words.
    assert_eq!(keyboard::DEVICE.state_len(), 19);
    assert_eq!(keyboard::STATE_LEN, 20);
    // Endpoint 1 is the highest the keyboard uses; the composite's HID uses 3 (after usbd-serial).
    assert_eq!(keyboard::MAX_EP, 2);
    assert_eq!(support::composite::MAX_EP, 4);
    assert_eq!(
        support::composite::STATE_LEN,
        support::composite::DEVICE.state_len().next_multiple_of(4)
    );
}

/// The mouse as a compile-time constant of the class type: one language, so each string index
/// has one string and the class finds it in one walk.
type MouseCtx = StaticCtx<mouse::Compiled, { mouse::STATE_LEN }, { mouse::MAX_EP }>;

#[test]
fn static_single_language_strings_answer_like_the_runtime_walk() {
    let strings = support::mouse::DEVICE.strings;
    assert!(strings.iter().any(|s| s.index != 0), "the mouse declares strings");
    for (i, a) in strings.iter().enumerate() {
        assert!(strings[i + 1..].iter().all(|b| b.index != a.index), "one language");
    }
    MouseCtx::new(&mouse::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let strings = support::mouse::DEVICE.strings;
            let langid = strings[0].bytes[2] as u16 | (strings[0].bytes[3] as u16) << 8;
            let named = strings.iter().filter(|s| s.index != 0);
            assert_eq!(
                dev.device_get_descriptor(c, 3, 0, 0, 255).unwrap(),
                strings[0].bytes,
                "LANGID list"
            );
            for s in named {
                // Its language, or LANGID 0: the string; another language: STALL.
                for l in [langid, 0] {
                    assert_eq!(
                        dev.device_get_descriptor(c, 3, s.index, l, 255).unwrap(),
                        s.bytes
                    );
                }
                assert!(is_stall(&dev.device_get_descriptor(
                    c,
                    3,
                    s.index,
                    langid ^ 0x0400,
                    255
                )));
            }
        })
        .unwrap();
}
