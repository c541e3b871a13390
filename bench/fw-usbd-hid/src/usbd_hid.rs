//! usbd-hid 0.10 variant: `KeyboardReport` (declared with `#[gen_hid_descriptor]`) and `HIDClass`.
use board::bsp::hal::usb::UsbBus;
use board::usb_device::bus::UsbBusAllocator;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};
use usbd_hid::descriptor::{KeyboardReport, SerializedDescriptor};
use usbd_hid::hid_class::{
    HIDClass, HidClassSettings, HidCountryCode, HidProtocol, HidSubClass, ProtocolModeConfig,
};

pub struct UsbdHid(HIDClass<'static, UsbBus>);

impl KeyboardClass<'static> for UsbdHid {
    fn new(alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        let settings = HidClassSettings {
            subclass: HidSubClass::Boot,
            protocol: HidProtocol::Keyboard,
            config: ProtocolModeConfig::ForceBoot,
            locale: HidCountryCode::US,
        };
        UsbdHid(HIDClass::new_ep_in_with_settings(
            alloc,
            KeyboardReport::desc(),
            10,
            settings,
        ))
    }
    fn poll(&mut self, dev: &mut UsbDevice<'static, UsbBus>) {
        dev.poll(&mut [&mut self.0]);
    }
    fn send(&mut self, r: &BootReport) -> bool {
        let report = KeyboardReport {
            modifier: r[0],
            reserved: r[1],
            leds: 0,
            keycodes: [r[2], r[3], r[4], r[5], r[6], r[7]],
        };
        self.0.push_input(&report).is_ok()
    }
    fn caps_lock(&mut self) -> Option<bool> {
        let mut buf = [0u8; 1];
        self.0
            .pull_raw_report(&mut buf)
            .ok()
            .map(|_| buf[0] & 0x02 != 0)
    }
}

board::bench_symbol!("BENCH_CLASS_BYTES", core::mem::size_of::<UsbdHid>());
