//! Size floor: a minimal hand-written usb-device class that serves static descriptor bytes
//! (device, configuration, HID, report = HID 1.11 Appendix B.1) and pushes 8-byte reports.
use board::bsp::hal::usb::UsbBus;
use board::usb_device::class_prelude::*;
use board::usb_device::control::{Recipient, Request, RequestType};
use board::usb_device::descriptor::descriptor_type;
use board::usb_device::device::UsbDevice;
use board::{BootReport, KeyboardClass};

const DEVICE: [u8; 18] = [
    0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x09, 0x12, 0x01, 0x00, 0x10, 0x00, 0x01, 0x02,
    0x00, 0x01,
];
/// Configuration (9) + interface (9, HID boot keyboard) + HID (9) + endpoint 0x81 (7) = 34 bytes.
const CONFIG: [u8; 34] = [
    0x09, 0x02, 34, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32, //
    0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00, //
    0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 63, 0x00, //
    0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0a,
];
/// HID 1.11 Appendix B.1 boot keyboard report descriptor.
const REPORT: [u8; 63] = [
    0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00, 0x25,
    0x01, //
    0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x05, 0x75,
    0x01, //
    0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01, 0x95,
    0x06, //
    0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xc0,
];

pub struct Floor<'a> {
    iface: InterfaceNumber,
    ep: EndpointIn<'a, UsbBus>,
    last: BootReport,
    idle: u8,
    protocol: u8,
    leds: Option<u8>,
}

impl<'a> UsbClass<UsbBus> for Floor<'a> {
    fn reset(&mut self) {
        self.protocol = 1;
        self.idle = 125;
    }

    fn control_in(&mut self, xfer: ControlIn<UsbBus>) {
        let req = *xfer.request();
        let ours =
            req.recipient == Recipient::Interface && req.index == u8::from(self.iface) as u16;
        match (req.request_type, req.recipient, req.request) {
            (RequestType::Standard, Recipient::Device, Request::GET_DESCRIPTOR) => {
                match (req.value >> 8) as u8 {
                    descriptor_type::DEVICE => xfer.accept_with_static(&DEVICE).ok(),
                    descriptor_type::CONFIGURATION => xfer.accept_with_static(&CONFIG).ok(),
                    _ => None,
                }
            }
            (RequestType::Standard, _, Request::GET_DESCRIPTOR) if ours => {
                match (req.value >> 8) as u8 {
                    0x21 => xfer.accept_with_static(&CONFIG[18..27]).ok(),
                    0x22 => xfer.accept_with_static(&REPORT).ok(),
                    _ => xfer.reject().ok(),
                }
            }
            (RequestType::Class, _, 0x01) if ours => xfer.accept_with(&self.last).ok(),
            (RequestType::Class, _, 0x02) if ours => xfer.accept_with(&[self.idle]).ok(),
            (RequestType::Class, _, 0x03) if ours => xfer.accept_with(&[self.protocol]).ok(),
            (RequestType::Class, _, _) if ours => xfer.reject().ok(),
            _ => None,
        };
    }

    fn control_out(&mut self, xfer: ControlOut<UsbBus>) {
        let req = *xfer.request();
        if req.request_type != RequestType::Class
            || req.recipient != Recipient::Interface
            || req.index != u8::from(self.iface) as u16
        {
            return;
        }
        match req.request {
            0x09 if xfer.data().len() == 1 => {
                self.leds = Some(xfer.data()[0]);
                xfer.accept().ok()
            }
            0x0a => {
                self.idle = (req.value >> 8) as u8;
                xfer.accept().ok()
            }
            0x0b if req.value <= 1 => {
                self.protocol = req.value as u8;
                xfer.accept().ok()
            }
            _ => xfer.reject().ok(),
        };
    }
}

impl KeyboardClass<'static> for Floor<'static> {
    fn new(alloc: &'static UsbBusAllocator<UsbBus>) -> Self {
        Floor {
            iface: alloc.interface(),
            ep: alloc
                .alloc(
                    Some(EndpointAddress::from(0x81)),
                    EndpointType::Interrupt,
                    8,
                    10,
                )
                .unwrap(),
            last: [0; 8],
            idle: 125,
            protocol: 1,
            leds: None,
        }
    }
    fn poll(&mut self, dev: &mut UsbDevice<'static, UsbBus>) {
        dev.poll(&mut [self]);
    }
    fn send(&mut self, report: &BootReport) -> bool {
        self.last = *report;
        self.ep.write(report).is_ok()
    }
    fn caps_lock(&mut self) -> Option<bool> {
        self.leds.take().map(|l| l & 0x02 != 0)
    }
}

board::bench_symbol!("BENCH_CLASS_BYTES", core::mem::size_of::<Floor<'static>>());
