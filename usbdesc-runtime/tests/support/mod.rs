//! Shared emulated-host harness: the example devices (the same files the firmware builds) and
//! `usbd-class-tester` contexts for them.
#![allow(dead_code)]

#[path = "../../../firmware/devices/src/composite.rs"]
pub mod composite;
#[path = "../../../firmware/devices/src/keyboard.rs"]
pub mod keyboard;
#[path = "../../../firmware/devices/src/keypad.rs"]
pub mod keypad;
#[path = "../../../firmware/devices/src/mouse.rs"]
pub mod mouse;

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
