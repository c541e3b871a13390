//! A device that is nothing but a descriptor blob (sysfs `descriptors` layout): it answers
//! GET_DESCRIPTOR(DEVICE / CONFIGURATION index i / STRING) with the blob's bytes (the bus cuts them
//! to wLength), accepts SET_CONFIGURATION and SET_INTERFACE, answers GET_DESCRIPTOR(HID report)
//! with a stand-in report of the requested length, and STALLs every other descriptor request.
//!
//! `UsbIpBus` reads the device descriptor and configuration once before the first import, to fill
//! its device list entry; that probe comes before the first bus reset. A broken blob must still be
//! importable, so until the first reset the device answers the probe with a sanitized header
//! (valid 18-byte device descriptor, a 9-byte configuration with no interfaces). The host (the
//! kernel) only ever talks to the device after the import's reset, and sees the blob verbatim.

use std::sync::mpsc;
use std::time::Duration;

use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::{Recipient, Request, RequestType};
use usb_device::prelude::*;
use usbdesc_usbip::{Config, Speed, UsbIpBus};

const GET_DESCRIPTOR: u8 = 6;
const SET_CONFIGURATION: u8 = 9;
const SET_INTERFACE: u8 = 11;

/// The configurations of a blob as the device serves them: configuration i starts where
/// configuration i-1's wTotalLength ends (the sysfs layout), cut at the blob's end.
pub fn configurations(blob: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut p = 18usize;
    while p + 4 <= blob.len() {
        let total = u16::from_le_bytes([blob[p + 2], blob[p + 3]]) as usize;
        let end = (p + total.max(1)).min(blob.len());
        out.push(&blob[p..end]);
        p = end;
    }
    if p < blob.len() {
        out.push(&blob[p..]);
    }
    out
}

/// A report descriptor of exactly `len` bytes: Usage Page (0) items as filler, then a vendor
/// collection with one 8-bit input field (or an empty collection when too short).
fn stand_in_report(len: usize) -> Vec<u8> {
    const FULL: &[u8] = &[
        0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x01, 0x09, 0x01,
        0x81, 0x02, 0xc0,
    ];
    const SHORT: &[u8] = &[0xa1, 0x01, 0xc0];
    let body = if len >= FULL.len() { FULL } else if len >= SHORT.len() { SHORT } else { &[] };
    let mut v = vec![0x04; len - body.len()];
    v.extend_from_slice(body);
    v
}

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

struct BlobClass {
    device: &'static [u8],
    configs: Vec<&'static [u8]>,
    probe_device: &'static [u8],
    probe_config: &'static [u8],
    reports: Vec<(u16, &'static [u8])>,
    live: bool,
}

impl BlobClass {
    fn new(blob: &'static [u8]) -> BlobClass {
        let mut dev = blob[..blob.len().min(18)].to_vec();
        dev.resize(18, 0);
        let probe_device = {
            let mut d = dev.clone();
            d[0] = 18;
            d[1] = 1;
            leak(d)
        };
        let value = configurations(blob).first().and_then(|c| c.get(5).copied()).unwrap_or(1);
        BlobClass {
            device: &blob[..blob.len().min(18)],
            configs: configurations(blob),
            probe_device,
            probe_config: leak(vec![9, 2, 9, 0, 0, value, 0, 0x80, 50]),
            reports: Vec::new(),
            live: false,
        }
    }

    fn report(&mut self, len: u16) -> &'static [u8] {
        if let Some((_, r)) = self.reports.iter().find(|(l, _)| *l == len) {
            return r;
        }
        let r = leak(stand_in_report(len as usize));
        self.reports.push((len, r));
        r
    }
}

impl<B: usb_device::bus::UsbBus> UsbClass<B> for BlobClass {
    fn reset(&mut self) {
        self.live = true;
    }

    fn control_in(&mut self, xfer: ControlIn<B>) {
        let req: Request = *xfer.request();
        if req.request_type != RequestType::Standard || req.request != GET_DESCRIPTOR {
            return;
        }
        let (kind, index) = ((req.value >> 8) as u8, req.value as u8);
        let answer: Option<&'static [u8]> = match (req.recipient, kind, self.live) {
            (Recipient::Device, 1, false) => Some(self.probe_device),
            (Recipient::Device, 2, false) => Some(self.probe_config),
            (Recipient::Device, 1, true) => Some(self.device),
            (Recipient::Device, 2, true) => self.configs.get(index as usize).copied(),
            (Recipient::Device, 3, _) if index == 0 => Some(&[4, 3, 0x09, 0x04]),
            (Recipient::Device, 3, _) => Some(&[10, 3, b'b', 0, b'l', 0, b'o', 0, b'b', 0]),
            (Recipient::Interface, 0x22, _) => Some(self.report(req.length)),
            _ => None,
        };
        let _ = match answer {
            Some(bytes) => xfer.accept_with_static(bytes),
            None => xfer.reject(),
        };
    }

    fn control_out(&mut self, xfer: ControlOut<B>) {
        let req = *xfer.request();
        let ours = req.request_type == RequestType::Standard
            && matches!(
                (req.recipient, req.request),
                (Recipient::Device, SET_CONFIGURATION) | (Recipient::Interface, SET_INTERFACE)
            );
        if ours {
            let _ = xfer.accept();
        }
    }
}

/// Serves `blob` on 127.0.0.1 (any free port) at `speed` in a thread of its own; returns the port.
pub fn serve(blob: Vec<u8>, speed: Speed) -> std::io::Result<u16> {
    let blob = leak(blob);
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new().name("blob".into()).spawn(move || {
        let config = Config { listen: ([127, 0, 0, 1], 0).into(), speed, ..Config::default() };
        let bus = match UsbIpBus::new(config) {
            Ok(b) => b,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let _ = tx.send(Ok(bus.local_addr().port()));
        let alloc = Box::leak(Box::new(usb_device::bus::UsbBusAllocator::new(bus)));
        let mut class = BlobClass::new(blob);
        let mps0 = blob.get(7).copied().filter(|m| matches!(m, 8 | 16 | 32 | 64)).unwrap_or(64);
        let builder = UsbDeviceBuilder::new(alloc, UsbVidPid(0x1209, 0x0001));
        let builder = match builder.max_packet_size_0(mps0) {
            Ok(b) => b,
            Err(_) => return,
        };
        let mut dev = builder.build();
        loop {
            if !dev.poll(&mut [&mut class]) {
                dev.bus().wait(Duration::from_millis(100));
            }
        }
    })?;
    rx.recv().map_err(|_| std::io::Error::other("device thread died"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_in_has_the_requested_length() {
        for n in [0, 2, 3, 20, 21, 63] {
            assert_eq!(stand_in_report(n).len(), n);
        }
    }
}
