//! Shared emulated-host harness: the example devices, compiled by `include_device!` from the same
//! TOML files the firmware (firmware/devices) compiles, and `usbd-class-tester` contexts for them.
#![allow(dead_code, unused_imports)]

/// `examples/feather-keyboard.toml`: boot keyboard, LED OUT endpoint, two languages, BOS.
pub mod keyboard {
    usbdesc_runtime::include_device!("../examples/feather-keyboard.toml");
    pub use hid0::{Input as KeyboardReport, Output as KeyboardLeds, REPORT_DESCRIPTOR};
    pub use CONFIGURATION_DESCRIPTOR as CONFIGURATION;

    /// The generated input report from a modifier byte and key codes.
    pub fn report(modifiers: u8, keys: [u8; 6]) -> KeyboardReport {
        KeyboardReport { keyboard_keypad: modifiers, keyboard_keypad_2: keys }
    }
    /// LED bits of the generated output report: Num Lock, Caps Lock, Scroll Lock, Compose, Kana.
    pub fn leds(bits: u8) -> KeyboardLeds {
        KeyboardLeds { led: bits }
    }
}

/// `examples/feather-mouse.toml`: boot mouse with a wheel (4-byte report, 3-byte boot report).
pub mod mouse {
    usbdesc_runtime::include_device!("../examples/feather-mouse.toml");
    pub use hid0::Input as MouseReport;
}

/// `examples/feather-keypad.toml`: report IDs 1 (input), 2 (output), 3 (feature); no boot.
pub mod keypad {
    usbdesc_runtime::include_device!("../examples/feather-keypad.toml");
    pub use hid0::{Feature3 as KeypadConfig, Input1 as KeypadKeys, Output2 as KeypadLeds, REPORT_DESCRIPTOR};

    /// Input report 1 from one bit per key.
    pub fn keys(bits: u16) -> KeypadKeys {
        KeypadKeys { button: bits }
    }
    /// Feature report 3: brightness, mode.
    pub fn config(brightness: u8, mode: u8) -> KeypadConfig {
        KeypadConfig { vendor_defined_page_0x_ff00: [brightness, mode] }
    }
    /// Output report 2 from LED bits 0..3.
    pub fn leds(bits: u8) -> KeypadLeds {
        KeypadLeds { led: bits }
    }
}

/// `examples/feather-composite.toml`: usbd-serial CDC-ACM built in, keypad HID at interface 2.
pub mod composite {
    usbdesc_runtime::include_device!("../examples/feather-composite.toml");
    pub use hid2::{Feature3 as KeypadConfig, Input1 as KeypadKeys, Output2 as KeypadLeds};
}

/// `tests/devices/boot-keyboard-report-id.toml`: boot keyboard as input/output report 1, a
/// consumer-control input report 2.
pub mod keyboard_ids {
    usbdesc_runtime::include_device!("tests/devices/boot-keyboard-report-id.toml");
    pub use hid0::{Input1 as KeyboardReport, Input2 as ConsumerReport, Output1 as KeyboardLeds};
}

/// `tests/devices/boot-mouse-16bit.toml`: boot mouse as report 1 with 5 buttons and 16-bit X/Y.
pub mod mouse16 {
    usbdesc_runtime::include_device!("tests/devices/boot-mouse-16bit.toml");
    pub use hid0::Input1 as MouseReport;
}

use usb_device::bus::UsbBusAllocator;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::{DeviceDescriptors, UsbdescClass};

pub type Class<'a> = UsbdescClass<'a, EmulatedUsbBus>;
pub type Dev<'a> = Device<'a, Class<'a>, Ctx>;

/// A test device serving one compiled `DeviceDescriptors` alone.
pub struct Ctx(pub &'static DeviceDescriptors);

impl UsbDeviceCtx for Ctx {
    type C<'c> = Class<'c>;
    const EP0_SIZE: u8 = 64;

    fn create_class<'a>(&mut self, alloc: &'a UsbBusAllocator<EmulatedUsbBus>) -> AnyResult<Class<'a>> {
        UsbdescClass::new(alloc, self.0).map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
    }
}

/// A test device of a compile-time class type (`include_device!`'s `Class<'a, B>`: device source
/// `S`, `STATE_LEN`, `MAX_EP`). `new` is given `.0`, which a compile-time source ignores.
pub struct StaticCtx<S, const STATE: usize, const MAX_EP: usize>(pub &'static DeviceDescriptors, pub core::marker::PhantomData<S>);

impl<S: usbdesc_runtime::DeviceSource, const STATE: usize, const MAX_EP: usize> StaticCtx<S, STATE, MAX_EP> {
    pub fn new(desc: &'static DeviceDescriptors) -> Self {
        StaticCtx(desc, core::marker::PhantomData)
    }
}

impl<S: usbdesc_runtime::DeviceSource + 'static, const STATE: usize, const MAX_EP: usize> UsbDeviceCtx for StaticCtx<S, STATE, MAX_EP> {
    type C<'c> = UsbdescClass<'c, EmulatedUsbBus, STATE, MAX_EP, S>;
    const EP0_SIZE: u8 = 64;

    fn create_class<'a>(&mut self, alloc: &'a UsbBusAllocator<EmulatedUsbBus>) -> AnyResult<Self::C<'a>> {
        UsbdescClass::new(alloc, self.0).map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
    }
}

/// bmRequestType helpers.
pub fn class_in_itf() -> CtrRequestType {
    CtrRequestType::to_host().class().interface()
}
pub fn class_out_itf() -> CtrRequestType {
    CtrRequestType::to_device().class().interface()
}
pub fn std_in_itf() -> CtrRequestType {
    CtrRequestType::to_host().interface()
}

pub const GET_REPORT: u8 = 0x01;
pub const GET_IDLE: u8 = 0x02;
pub const GET_PROTOCOL: u8 = 0x03;
pub const SET_REPORT: u8 = 0x09;
pub const SET_IDLE: u8 = 0x0A;
pub const SET_PROTOCOL: u8 = 0x0B;

pub fn is_stall<T: std::fmt::Debug>(r: &Result<T, AnyUsbError>) -> bool {
    matches!(r, Err(AnyUsbError::EP0Stalled) | Err(AnyUsbError::EPStalled))
}

/// The device still answers a standard request and a class request correctly.
pub fn still_works<'a>(cls: &mut Class<'a>, dev: &mut Dev<'a>) {
    let desc = cls.descriptors();
    let d = dev.device_get_descriptor(cls, 1, 0, 0, 18).expect("device descriptor after error");
    assert_eq!(d, desc.device);
    let itf = u16::from(desc.hid[0].interface);
    let r = dev.control_read(cls, std_in_itf(), 6, 0x2200, itf, 0xFFFF).expect("report descriptor after error");
    assert_eq!(r, desc.hid[0].report_descriptor);
}

/// xorshift32 with a fixed seed: reproducible random requests without a dependency.
pub struct Rng(pub u32);

impl Rng {
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
    /// A number below `n`.
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}
