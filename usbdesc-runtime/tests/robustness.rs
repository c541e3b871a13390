//! Thousands of pseudo-random class, vendor and GET_DESCRIPTOR requests (fixed seed): the class
//! never panics, every reply is at most wLength bytes, and the device still works afterwards.

mod support;

use support::*;
use usbd_class_tester::prelude::*;


fn random_requests<'a>(mut cls: Class<'a>, mut dev: Dev<'a>) {
    let c = &mut cls;
    let mut rng = Rng(0x5EED_1234);
    let mut stalls = 0;
    for _ in 0..3000 {
        let kind = rng.below(4);
        let request = match kind {
            0 => 6, // standard GET_DESCRIPTOR
            _ => rng.below(0x0D) as u8,
        };
        let value = match rng.below(3) {
            0 => rng.below(0x10000) as u16,
            _ => ((rng.below(0x24) as u16) << 8) | rng.below(5) as u16,
        };
        let index = match rng.below(4) {
            0 => rng.below(0x10000) as u16,
            _ => rng.below(3) as u16,
        };
        let length = [0u16, 1, 2, 3, 7, 8, 9, 63, 64, 65, 0xFFFF][rng.below(11) as usize];
        let recipient = rng.below(3);
        let to_device = kind != 0 && rng.below(2) == 1;
        let base = if to_device {
            CtrRequestType::to_device()
        } else {
            CtrRequestType::to_host()
        };
        let base = match kind {
            0 => base,
            1 | 2 => base.class(),
            _ => base.vendor(),
        };
        let reqt = match recipient {
            0 => base.device(),
            1 => base.interface(),
            _ => base.endpoint(),
        };
        let r = if to_device {
            let len = length.min(70);
            let data: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            dev.control_write(c, reqt, request, value, index, len, &data)
        } else {
            dev.control_read(c, reqt, request, value, index, length)
        };
        match r {
            Ok(bytes) => assert!(
                bytes.len() <= usize::from(length),
                "reply longer than wLength"
            ),
            Err(AnyUsbError::EP0Stalled | AnyUsbError::EPStalled) => stalls += 1,
            Err(e) => panic!("unexpected host error {e:?}"),
        }
    }
    assert!(
        stalls > 1000,
        "most random requests must STALL, got {stalls}"
    );
    still_works(c, &mut dev);
}

#[test]
fn keypad_survives_random_requests() {
    Ctx(&keypad::DEVICE).with_usb(random_requests).unwrap();
}

#[test]
fn keyboard_survives_random_requests() {
    Ctx(&keyboard::DEVICE).with_usb(random_requests).unwrap();
}
