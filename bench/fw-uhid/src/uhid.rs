//! usbd-human-interface-device 0.6 variant: `BootKeyboard` through `UsbHidClass`.
use board::bsp::hal::usb::UsbBus;
use board::usb_device::bus::UsbBusAllocator;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};
use usbd_human_interface_device::device::keyboard::{BootKeyboard, BootKeyboardConfig};
use usbd_human_interface_device::page::Keyboard;
use usbd_human_interface_device::prelude::*;

type Class = UsbHidClass<'static, UsbBus, frunk::HList!(BootKeyboard<'static, UsbBus>)>;

pub struct Uhid(Class);

/// Modifier bit n of the boot report is usage 0xE0 + n.
fn keys(r: &BootReport) -> impl Iterator<Item = Keyboard> + '_ {
    let mods = (0..8u8)
        .filter(move |b| r[0] & (1 << b) != 0)
        .map(|b| Keyboard::from(0xe0 + b));
    mods.chain(r[2..].iter().map(|&k| Keyboard::from(k)))
}

impl KeyboardClass<'static> for Uhid {
    fn new(alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        Uhid(
            UsbHidClassBuilder::new()
                .add_device(BootKeyboardConfig::default())
                .build(alloc),
        )
    }
    fn poll(&mut self, dev: &mut UsbDevice<'static, UsbBus>) {
        dev.poll(&mut [&mut self.0]);
    }
    fn send(&mut self, r: &BootReport) -> bool {
        match self
            .0
            .device::<BootKeyboard<'static, UsbBus>, _>()
            .write_report(keys(r))
        {
            Ok(()) | Err(UsbHidError::Duplicate) => true,
            Err(_) => false,
        }
    }
    fn caps_lock(&mut self) -> Option<bool> {
        self.0
            .device::<BootKeyboard<'static, UsbBus>, _>()
            .read_report()
            .ok()
            .map(|l| l.caps_lock)
    }
}

board::bench_symbol!("BENCH_CLASS_BYTES", core::mem::size_of::<Uhid>());
