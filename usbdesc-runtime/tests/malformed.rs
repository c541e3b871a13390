//! Malformed and misdirected requests: each gets a STALL (or a correctly truncated reply), never a
//! panic, and the device keeps working afterwards.

mod support;

use support::*;
use usbd_class_tester::prelude::*;

/// Runs `req` and asserts it STALLs, then that the device still works.
fn stalls<'a>(cls: &mut Class<'a>, dev: &mut Dev<'a>, what: &str, r: Result<Vec<u8>, AnyUsbError>) {
    assert!(is_stall(&r), "{what}: expected STALL, got {r:?}");
    still_works(cls, dev);
}

#[test]
fn bad_descriptor_requests_stall() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let r = dev.control_read(c, std_in_itf(), 6, 0x2200, 5, 63);
            stalls(c, &mut dev, "report descriptor of unknown interface 5", r);
            let r = dev.control_read(c, std_in_itf(), 6, 0x2100, 0x0100, 9);
            stalls(c, &mut dev, "HID descriptor, wIndex high byte set", r);
            let r = dev.control_read(c, std_in_itf(), 6, 0x2201, 0, 63);
            stalls(c, &mut dev, "report descriptor index 1", r);
            let r = dev.control_read(c, std_in_itf(), 6, 0x2300, 0, 63);
            stalls(c, &mut dev, "physical descriptor", r);
            let r = dev.device_get_descriptor(c, 2, 1, 0, 255);
            stalls(c, &mut dev, "configuration index 1", r);
            let r = dev.device_get_descriptor(c, 1, 1, 0, 18);
            stalls(c, &mut dev, "device descriptor index 1", r);
            let r = dev.device_get_descriptor(c, 3, 9, 0x0409, 255);
            stalls(c, &mut dev, "string index 9", r);
            let r = dev.device_get_descriptor(c, 3, 2, 0x0C0C, 255);
            stalls(c, &mut dev, "string in an undeclared language", r);
            let r = dev.device_get_descriptor(c, 0x22, 0, 0, 63);
            stalls(c, &mut dev, "report descriptor with device recipient", r);
            let r = dev.device_get_descriptor(c, 0x09, 0, 0, 9);
            stalls(c, &mut dev, "unknown descriptor type 9", r);
        })
        .unwrap();
}

#[test]
fn wlength_zero_one_short_and_huge() {
    Ctx(&keypad::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            for (len, want) in [
                (0u16, 0usize),
                (1, 1),
                (30, 30),
                (59, 59),
                (60, 59),
                (0xFFFF, 59),
            ] {
                let r = dev
                    .control_read(c, std_in_itf(), 6, 0x2200, 0, len)
                    .unwrap();
                assert_eq!(
                    r,
                    &keypad::REPORT_DESCRIPTOR[..want],
                    "report descriptor, wLength {len}"
                );
            }
            for (len, want) in [(0u16, 0usize), (1, 1), (2, 2), (0xFFFF, 3)] {
                let r = dev
                    .control_read(c, class_in_itf(), GET_REPORT, 0x0101, 0, len)
                    .unwrap();
                assert_eq!(r, &[1u8, 0, 0][..want], "GET_REPORT, wLength {len}");
            }
            assert_eq!(
                dev.control_read(c, class_in_itf(), GET_IDLE, 0x0001, 0, 0)
                    .unwrap(),
                Vec::<u8>::new()
            );
            assert_eq!(
                dev.control_read(c, class_in_itf(), GET_IDLE, 0x0001, 0, 500)
                    .unwrap(),
                [0]
            );
            still_works(c, &mut dev);
        })
        .unwrap();
}

#[test]
fn bad_report_requests_stall() {
    Ctx(&keypad::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let r = dev.control_read(c, class_in_itf(), GET_REPORT, 0x0109, 0, 3);
            stalls(c, &mut dev, "GET_REPORT missing ID 9", r);
            let r = dev.control_read(c, class_in_itf(), GET_REPORT, 0x0100, 0, 3);
            stalls(c, &mut dev, "GET_REPORT ID 0 on an interface using IDs", r);
            let r = dev.control_read(c, class_in_itf(), GET_REPORT, 0x0301, 0, 3);
            stalls(
                c,
                &mut dev,
                "GET_REPORT feature with an input report's ID",
                r,
            );
            let r = dev.control_read(c, class_in_itf(), GET_REPORT, 0x0401, 0, 3);
            stalls(c, &mut dev, "GET_REPORT report type 4", r);
            let r = dev.control_read(c, class_in_itf(), GET_REPORT, 0x0101, 1, 3);
            stalls(c, &mut dev, "GET_REPORT to unknown interface 1", r);
            let r = dev.control_write(c, class_out_itf(), SET_REPORT, 0x0202, 0, 1, &[2]);
            stalls(c, &mut dev, "SET_REPORT shorter than the report", r);
            let r = dev.control_write(c, class_out_itf(), SET_REPORT, 0x0202, 0, 3, &[2, 1, 0]);
            stalls(c, &mut dev, "SET_REPORT longer than the report", r);
            let r = dev.control_write(c, class_out_itf(), SET_REPORT, 0x0202, 0, 2, &[3, 1]);
            stalls(c, &mut dev, "SET_REPORT whose first byte is not the ID", r);
            let r = dev.control_write(c, class_out_itf(), SET_REPORT, 0x0101, 0, 3, &[1, 0, 0]);
            stalls(c, &mut dev, "SET_REPORT of an input report", r);
            let r = dev.control_write(c, class_out_itf(), SET_REPORT, 0x0207, 0, 2, &[7, 1]);
            stalls(c, &mut dev, "SET_REPORT unknown ID", r);
            let r = dev.control_write(c, class_out_itf(), SET_IDLE, 0x0A07, 0, 0, &[]);
            stalls(c, &mut dev, "SET_IDLE unknown ID 7", r);
            let r = dev.control_read(c, class_in_itf(), GET_IDLE, 0x0007, 0, 1);
            stalls(c, &mut dev, "GET_IDLE unknown ID 7", r);
            let r = dev.control_write(c, class_out_itf(), SET_IDLE, 0x0A01, 0, 1, &[0]);
            stalls(c, &mut dev, "SET_IDLE with a data stage", r);
            let r = dev.control_read(c, class_in_itf(), 0x05, 0, 0, 1);
            stalls(c, &mut dev, "undefined class request 5", r);
            // None of the rejected writes reached the application.
            assert_eq!(c.read_output::<keypad::KeypadLeds>(), None);
            assert_eq!(c.read_feature::<keypad::KeypadConfig>(), None);
        })
        .unwrap();
}

#[test]
fn wrong_direction_or_recipient_stalls() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let r = dev.control_write(c, class_out_itf(), GET_REPORT, 0x0100, 0, 0, &[]);
            stalls(c, &mut dev, "GET_REPORT host-to-device", r);
            let r = dev.control_read(c, class_in_itf(), SET_REPORT, 0x0200, 0, 1);
            stalls(c, &mut dev, "SET_REPORT device-to-host", r);
            let r = dev.control_read(c, class_in_itf(), SET_IDLE, 0, 0, 1);
            stalls(c, &mut dev, "SET_IDLE device-to-host", r);
            let r = dev.control_write(c, class_out_itf(), GET_PROTOCOL, 0, 0, 0, &[]);
            stalls(c, &mut dev, "GET_PROTOCOL host-to-device", r);
            let dev_rcpt = CtrRequestType::to_host().class().device();
            let r = dev.control_read(c, dev_rcpt, GET_REPORT, 0x0100, 0, 8);
            stalls(c, &mut dev, "GET_REPORT to the device", r);
            let ep_rcpt = CtrRequestType::to_host().class().endpoint();
            let r = dev.control_read(c, ep_rcpt, GET_REPORT, 0x0100, 0x81, 8);
            stalls(c, &mut dev, "GET_REPORT to an endpoint", r);
            let r = dev.control_read(
                c,
                CtrRequestType::to_host().vendor().device(),
                0x20,
                0,
                7,
                16,
            );
            stalls(c, &mut dev, "vendor request without MS OS 2.0", r);
            let r = dev.control_write(c, class_out_itf(), SET_PROTOCOL, 2, 0, 0, &[]);
            stalls(c, &mut dev, "SET_PROTOCOL 2", r);
            // After all that, the class protocol still works.
            dev.control_write(c, class_out_itf(), SET_REPORT, 0x0200, 0, 1, &[0x02])
                .unwrap();
            assert!(
                c.read_output::<keyboard::KeyboardLeds>()
                    .unwrap()
                    .unwrap()
                    .led
                    & 0b10
                    != 0 // Caps Lock
            );
        })
        .unwrap();
}

/// Issue 15: GET_STATUS, GET_INTERFACE, SET_INTERFACE and SET_FEATURE / CLEAR_FEATURE
/// (ENDPOINT_HALT) for an interface or endpoint the device does not have STALL (usb-device alone
/// accepts them); the same requests for ones it has still succeed.
#[test]
fn standard_requests_to_missing_interfaces_and_endpoints_stall() {
    const GET_STATUS: u8 = 0;
    const CLEAR_FEATURE: u8 = 1;
    const SET_FEATURE: u8 = 3;
    const GET_INTERFACE: u8 = 10;
    const SET_INTERFACE: u8 = 11;
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let desc = c.descriptors();
            assert_eq!(desc.endpoints.len(), 2, "interrupt IN and OUT");
            let itf_in = CtrRequestType::to_host().interface();
            let itf_out = CtrRequestType::to_device().interface();
            let ep_in = CtrRequestType::to_host().endpoint();
            let ep_out = CtrRequestType::to_device().endpoint();
            let missing_itf = desc.interfaces.len() as u16;
            let r = dev.control_read(c, itf_in, GET_STATUS, 0, missing_itf, 2);
            stalls(c, &mut dev, "GET_STATUS of a missing interface", r);
            let r = dev.control_read(c, itf_in, GET_INTERFACE, 0, missing_itf, 1);
            stalls(c, &mut dev, "GET_INTERFACE of a missing interface", r);
            let r = dev.control_write(c, itf_out, SET_INTERFACE, 0, missing_itf, 0, &[]);
            stalls(c, &mut dev, "SET_INTERFACE of a missing interface", r);
            let r = dev.control_read(c, itf_in, GET_STATUS, 0, 0x0100, 2);
            stalls(c, &mut dev, "GET_STATUS, interface 0 with a high byte", r);
            for missing in [0x07u16, 0x87, 0x0f, 0x181] {
                let r = dev.control_read(c, ep_in, GET_STATUS, 0, missing, 2);
                stalls(c, &mut dev, &format!("GET_STATUS of missing endpoint {missing:#x}"), r);
                let r = dev.control_write(c, ep_out, SET_FEATURE, 0, missing, 0, &[]);
                stalls(c, &mut dev, &format!("SET_FEATURE(HALT) of missing endpoint {missing:#x}"), r);
                let r = dev.control_write(c, ep_out, CLEAR_FEATURE, 0, missing, 0, &[]);
                stalls(c, &mut dev, &format!("CLEAR_FEATURE(HALT) of missing endpoint {missing:#x}"), r);
            }
            // What exists still answers: the interface, endpoint 0 both ways, both endpoints.
            for i in desc.interfaces {
                let n = u16::from(i.number);
                assert_eq!(dev.control_read(c, itf_in, GET_STATUS, 0, n, 2).unwrap(), [0, 0], "interface {n}");
                dev.control_write(c, itf_out, SET_INTERFACE, 0, n, 0, &[]).unwrap();
            }
            for e in [0x00u16, 0x80].into_iter().chain(desc.endpoints.iter().map(|e| u16::from(e.address))) {
                assert_eq!(dev.control_read(c, ep_in, GET_STATUS, 0, e, 2).unwrap(), [0, 0], "endpoint {e:#x}");
            }
        })
        .unwrap();
}
