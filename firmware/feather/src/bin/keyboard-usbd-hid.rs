//! Peer for the flash comparison: the same boot keyboard as `keyboard` (keys on D5, D6, D9, D10,
//! Caps Lock on the red LED, 1 ms tick, same board setup) written with usbd-hid 0.10.
#![no_std]
#![no_main]

use panic_halt as _;
use usb_device::device::{StringDescriptors, UsbDeviceBuilder, UsbVidPid};
use usb_device::LangID;
use usbd_hid::descriptor::{KeyboardReport, SerializedDescriptor};
use usbd_hid::hid_class::{HIDClass, HidClassSettings, HidProtocol, HidSubClass};
use usbdesc_feather::{bsp::entry, halt, Board};

const KEY_A: u8 = 0x04;

#[entry]
fn main() -> ! {
    let Some(mut board) = Board::take() else {
        halt(None)
    };
    let settings = HidClassSettings {
        subclass: HidSubClass::Boot,
        protocol: HidProtocol::Keyboard,
        ..HidClassSettings::default()
    };
    let mut kbd = HIDClass::new_with_settings(board.usb, KeyboardReport::desc(), 10, settings);
    let strings = StringDescriptors::new(LangID::EN_US)
        .manufacturer("usbdesc")
        .product("Boot Keyboard")
        .serial_number("KB0001");
    let Ok(builder) =
        UsbDeviceBuilder::new(board.usb, UsbVidPid(0x1209, 0x0001)).strings(&[strings])
    else {
        halt(Some(&mut board))
    };
    let Ok(builder) = builder.max_packet_size_0(64) else {
        halt(Some(&mut board))
    };
    let mut dev = builder.supports_remote_wakeup(true).build();
    let mut sent = 0u8;
    let mut led = [0u8; 8];
    loop {
        dev.poll(&mut [&mut kbd]);
        if let Ok(n) = kbd.pull_raw_output(&mut led) {
            if n >= 1 {
                board.set_led(led[0] & 0x02 != 0);
            }
        }
        if !board.tick() {
            continue;
        }
        let keys = board.keys();
        if keys == sent {
            continue;
        }
        let mut report = KeyboardReport {
            modifier: 0,
            reserved: 0,
            leds: 0,
            keycodes: [0; 6],
        };
        for (slot, n) in report
            .keycodes
            .iter_mut()
            .zip(0..4u8)
            .filter(|(_, n)| keys & (1 << n) != 0)
        {
            *slot = KEY_A + n;
        }
        if kbd.push_input(&report).is_ok() {
            sent = keys;
        }
    }
}
