//! Full enumeration through an emulated host: every byte the host reads equals the compiled
//! descriptors, for every example device; truncation follows wLength.

mod support;

use support::*;
use support::{composite, keyboard, keypad, mouse};
use usbd_class_tester::prelude::*;
use usbdesc_runtime::DeviceDescriptors;

/// Reads everything a host reads and compares it with the compiled tables.
fn enumerates_exactly<'a>(mut cls: Class<'a>, mut dev: Dev<'a>) {
    let desc: &DeviceDescriptors = cls.descriptors();
    let cls = &mut cls;
    assert_eq!(
        dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap(),
        desc.device
    );
    assert_eq!(
        dev.device_get_descriptor(cls, 2, 0, 0, 9).unwrap(),
        &desc.configuration[..9]
    );
    let total = u16::from_le_bytes([desc.configuration[2], desc.configuration[3]]);
    assert_eq!(usize::from(total), desc.configuration.len());
    assert_eq!(
        dev.device_get_descriptor(cls, 2, 0, 0, total).unwrap(),
        desc.configuration
    );
    // Every string in every declared language, and string 0 (the LANGID list).
    for s in desc.strings {
        let got = dev
            .device_get_descriptor(cls, 3, s.index, s.langid, 255)
            .unwrap();
        assert_eq!(got, s.bytes, "string {} lang {:#06x}", s.index, s.langid);
    }
    match desc.bos {
        Some(bos) => assert_eq!(
            dev.device_get_descriptor(cls, 15, 0, 0, 0xFFFF).unwrap(),
            bos
        ),
        None => assert!(is_stall(&dev.device_get_descriptor(cls, 15, 0, 0, 5))),
    }
    // Full-speed only: DEVICE_QUALIFIER and OTHER_SPEED_CONFIGURATION STALL (USB 2.0 §9.6.2).
    assert!(is_stall(&dev.device_get_descriptor(cls, 6, 0, 0, 10)));
    assert!(is_stall(&dev.device_get_descriptor(cls, 7, 0, 0, 9)));
    for h in desc.hid {
        let itf = u16::from(h.interface);
        let hid = dev
            .control_read(cls, std_in_itf(), 6, 0x2100, itf, 9)
            .unwrap();
        assert_eq!(hid, h.hid_descriptor);
        // The HID descriptor inside the configuration bundle is the same 9 bytes.
        assert!(desc.configuration.windows(9).any(|w| w == h.hid_descriptor));
        let rd_len = u16::from_le_bytes([h.hid_descriptor[7], h.hid_descriptor[8]]);
        assert_eq!(usize::from(rd_len), h.report_descriptor.len());
        assert_eq!(
            dev.control_read(cls, std_in_itf(), 6, 0x2200, itf, rd_len)
                .unwrap(),
            h.report_descriptor
        );
    }
    for v in desc.vendor {
        let reqt = CtrRequestType::to_host().vendor().device();
        let got = dev
            .control_read(cls, reqt, v.request, v.value, v.index, 0xFFFF)
            .unwrap();
        assert_eq!(got, v.bytes);
    }
    assert_eq!(dev.device_get_configuration(cls).unwrap(), 1);
}

#[test]
fn keyboard_enumerates_exactly() {
    Ctx(&keyboard::DEVICE).with_usb(enumerates_exactly).unwrap();
}

#[test]
fn mouse_enumerates_exactly() {
    Ctx(&mouse::DEVICE).with_usb(enumerates_exactly).unwrap();
}

#[test]
fn keypad_enumerates_exactly() {
    Ctx(&keypad::DEVICE).with_usb(enumerates_exactly).unwrap();
}

#[test]
fn keyboard_bytes_are_the_spec_bytes() {
    // HID 1.11 Appendix B.1: the boot keyboard report descriptor is 63 bytes; the HID descriptor
    // announces exactly that length.
    assert_eq!(keyboard::REPORT_DESCRIPTOR.len(), 63);
    assert_eq!(
        keyboard::DEVICE.hid[0].hid_descriptor,
        &[0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00]
    );
    assert_eq!(keyboard::DEVICE.max_packet_size_0(), 64);
    assert_eq!(keyboard::DEVICE.vid_pid(), (0x1209, 0x0001));
    assert_eq!(
        composite::DEVICE.hid[0].hid_descriptor,
        &[0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3B, 0x00]
    );
    // state: interface header 2 + (4 + 8) input + (4 + 1) output
    assert_eq!(keyboard::DEVICE.state_len(), 19);
}

#[test]
fn replies_are_truncated_to_wlength() {
    Ctx(&keyboard::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cls = &mut cls;
            for len in [0u16, 1, 2, 8, 9, 17, 40, 41, 64, 0xFFFF] {
                let want = &keyboard::CONFIGURATION[..usize::from(len).min(41)];
                assert_eq!(
                    dev.device_get_descriptor(cls, 2, 0, 0, len).unwrap(),
                    want,
                    "wLength {len}"
                );
            }
            for len in [0u16, 1, 17, 18, 19, 255] {
                let want = &keyboard::DEVICE_DESCRIPTOR[..usize::from(len).min(18)];
                assert_eq!(
                    dev.device_get_descriptor(cls, 1, 0, 0, len).unwrap(),
                    want,
                    "wLength {len}"
                );
            }
            // The 63-byte report descriptor crosses a 64-byte packet boundary only when asked.
            for len in [1u16, 62, 63, 64, 1000] {
                let want = &keyboard::REPORT_DESCRIPTOR[..usize::from(len).min(63)];
                assert_eq!(
                    dev.control_read(cls, std_in_itf(), 6, 0x2200, 0, len)
                        .unwrap(),
                    want
                );
            }
            // German product string in the second declared language.
            assert_eq!(dev.device_get_string(cls, 2, 0x0407).unwrap(), "Tastatur");
            assert_eq!(
                dev.device_get_string(cls, 2, 0x0409).unwrap(),
                "Boot Keyboard"
            );
            // LANGID 0 falls back to the first language.
            assert_eq!(dev.device_get_string(cls, 2, 0).unwrap(), "Boot Keyboard");
        })
        .unwrap();
}

/// `examples/hs-composite.toml`: declared for both speeds, so it carries a device qualifier and
/// an other-speed configuration.
mod hs {
    usbdesc_runtime::include_device!("../examples/hs-composite.toml");
}

/// `examples/vendor.toml`: interface 0 has two alternate settings.
mod alt {
    usbdesc_runtime::include_device!("../examples/vendor.toml");
}

#[test]
fn device_qualifier_and_other_speed_when_present() {
    assert_eq!(hs::DEVICE.device_qualifier, Some(&hs::DEVICE_QUALIFIER_DESCRIPTOR[..]));
    assert_eq!(hs::DEVICE.other_speed_configuration, Some(&hs::OTHER_SPEED_CONFIGURATION_DESCRIPTOR[..]));
    Ctx(&hs::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let qualifier = hs::DEVICE_QUALIFIER_DESCRIPTOR;
            let other = hs::OTHER_SPEED_CONFIGURATION_DESCRIPTOR;
            assert_eq!(dev.device_get_descriptor(c, 6, 0, 0, 10).unwrap(), qualifier);
            assert_eq!(dev.device_get_descriptor(c, 6, 0, 0, 4).unwrap(), &qualifier[..4]);
            let o = dev.device_get_descriptor(c, 7, 0, 0, 0xFFFF).unwrap();
            assert_eq!(o, other);
            assert_eq!(o[1], 0x07, "OTHER_SPEED_CONFIGURATION type");
            assert!(
                is_stall(&dev.device_get_descriptor(c, 6, 1, 0, 10)),
                "qualifier index 1"
            );
            // The rest of the device as compiled.
            assert_eq!(dev.device_get_descriptor(c, 1, 0, 0, 18).unwrap(), hs::DEVICE_DESCRIPTOR);
            assert_eq!(
                dev.device_get_descriptor(c, 2, 0, 0, 0xFFFF).unwrap(),
                hs::CONFIGURATION_DESCRIPTOR
            );
        })
        .unwrap();
}

#[test]
fn alternate_settings_are_tracked_per_interface() {
    assert_eq!(alt::DEVICE.interfaces[0].alt_settings, 2);
    Ctx(&alt::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            assert_eq!(dev.interface_get_interface(c).unwrap(), 0);
            dev.interface_set_interface(c, 0, 1).unwrap();
            assert_eq!(dev.interface_get_interface(c).unwrap(), 1);
            assert!(
                is_stall(&dev.interface_set_interface(c, 0, 2)),
                "alt 2 of 2"
            );
            assert_eq!(dev.interface_get_interface(c).unwrap(), 1);
        })
        .unwrap();
}

/// `alt::Class`: the vendor device as a compile-time constant of the class type.
type AltStatic = StaticCtx<alt::Compiled, { alt::STATE_LEN }, { alt::MAX_EP }>;

#[test]
fn compile_time_device_tracks_alternate_settings_and_resets_them() {
    AltStatic::new(&alt::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            dev.interface_set_interface(c, 0, 1).unwrap();
            assert_eq!(dev.interface_get_interface(c).unwrap(), 1);
            usb_device::class::UsbClass::<EmulatedUsbBus>::reset(c);
            assert_eq!(dev.interface_get_interface(c).unwrap(), 0, "bus reset");
        })
        .unwrap();
}
