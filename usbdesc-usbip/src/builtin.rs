//! A stand-in for a `[builtin]` driver under `usbdesc serve`.
//!
//! On the board a built-in class (MicroPython's CDC-ACM, usbd-serial) owns the first interfaces,
//! endpoints and strings, and is created before the usbdesc runtime. Here a placeholder claims
//! the same numbers from the allocator (interfaces `0..itf_max`, string indices `4..str_max`,
//! every built-in endpoint at its compiled address), so the runtime's init check passes and the
//! host enumerates the device: the runtime serves the whole configuration, built-in descriptors
//! included, verbatim. The placeholder answers no request, so the built-in interfaces' class
//! requests STALL; `serve` may echo bulk data through its endpoints ([`BuiltinStandIn::out_ep`]).

use usb_device::bus::UsbBusAllocator;
use usb_device::class::UsbClass;
use usb_device::endpoint::{EndpointAddress, EndpointIn, EndpointOut};
use usbdesc_runtime as rt;

use crate::UsbIpBus;

/// The built-in driver's interfaces, strings and endpoints, claimed and left silent.
pub struct BuiltinStandIn<'a> {
    ins: Vec<EndpointIn<'a, UsbIpBus>>,
    outs: Vec<EndpointOut<'a, UsbIpBus>>,
}

impl<'a> BuiltinStandIn<'a> {
    /// Claims what `desc.builtin` reserves; `Ok(None)` when the device has no built-in driver.
    /// Call it before creating the runtime class, as firmware creates the built-in driver first.
    pub fn new(alloc: &'a UsbBusAllocator<UsbIpBus>, desc: &rt::DeviceDescriptors) -> Result<Option<Self>, String> {
        let Some(b) = desc.builtin else { return Ok(None) };
        for _ in 0..b.itf_max {
            alloc.interface();
        }
        // usb-device hands out string indices from 4 (0 is the LANGID list, 1-3 the builder's).
        for _ in 4..b.str_max {
            alloc.string();
        }
        let mut s = BuiltinStandIn { ins: Vec::new(), outs: Vec::new() };
        for (k, e) in desc.endpoints.iter().enumerate() {
            if !e.builtin || desc.endpoints[..k].iter().any(|x| x.address == e.address) {
                continue;
            }
            if !matches!(e.transfer, rt::TransferType::Bulk | rt::TransferType::Interrupt) {
                return Err(format!("built-in endpoint {:#04x}: {:?} is not served over USB/IP", e.address, e.transfer));
            }
            let ty = e.endpoint_type();
            let addr = Some(EndpointAddress::from(e.address));
            let fail = |err| format!("built-in endpoint {:#04x}: {err:?}", e.address);
            if e.address & 0x80 != 0 {
                s.ins.push(alloc.alloc(addr, ty, e.max_packet_size, e.interval).map_err(fail)?);
            } else {
                s.outs.push(alloc.alloc(addr, ty, e.max_packet_size, e.interval).map_err(fail)?);
            }
        }
        Ok(Some(s))
    }

    /// A built-in IN endpoint by address.
    pub fn in_ep(&self, address: u8) -> Option<&EndpointIn<'a, UsbIpBus>> {
        self.ins.iter().find(|e| u8::from(e.address()) == address)
    }

    /// A built-in OUT endpoint by address.
    pub fn out_ep(&self, address: u8) -> Option<&EndpointOut<'a, UsbIpBus>> {
        self.outs.iter().find(|e| u8::from(e.address()) == address)
    }
}

/// Every request is left unanswered, so usb-device STALLs it.
impl UsbClass<UsbIpBus> for BuiltinStandIn<'_> {}
