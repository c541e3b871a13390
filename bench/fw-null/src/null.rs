//! Reference, not a keyboard: the shared board code and main loop with an empty class (no
//! interface). Its flash is what every variant shares (usb-device, atsamd-hal USB driver, clocks,
//! main loop); `variant − null` is that variant's class code.
use board::bsp::hal::usb::UsbBus;
use board::usb_device::class_prelude::*;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};

pub struct Null;

impl UsbClass<UsbBus> for Null {}

impl KeyboardClass<'static> for Null {
    fn new(_alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        Null
    }
    fn poll(&mut self, dev: &mut UsbDevice<'static, UsbBus>) {
        dev.poll(&mut [self]);
    }
    fn send(&mut self, report: &BootReport) -> bool {
        core::hint::black_box(report);
        true
    }
    fn caps_lock(&mut self) -> Option<bool> {
        None
    }
}

board::bench_symbol!("BENCH_CLASS_BYTES", core::mem::size_of::<Null>());
