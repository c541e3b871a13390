//! A fake USB/IP client (written here from the protocol document, byte by byte) drives a real
//! usb-device stack served by `UsbIpBus` over loopback.

use std::net::SocketAddr;
use std::time::Duration;

use usb_device::bus::{InterfaceNumber, UsbBus, UsbBusAllocator};
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::RequestType;
use usb_device::descriptor::DescriptorWriter;
use usb_device::endpoint::{EndpointAddress, EndpointIn, EndpointOut};
use usb_device::prelude::*;
use usb_device::UsbError;
use usbdesc_usbip::{wire, Config, UsbIpBus};

// ---- the device under test ----------------------------------------------------------------

const VENDOR_IN: u8 = 0x01; // returns wValue bytes of pattern
const VENDOR_STORE: u8 = 0x02; // OUT: stores the data stage
const VENDOR_LOAD: u8 = 0x03; // IN: returns the stored data
const VENDOR_REJECT: u8 = 0x04; // always STALLs
const VENDOR_INTR: u8 = 0x05; // OUT, no data: sends wValue bytes on the interrupt IN endpoint

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 13 + 1) as u8).collect()
}

/// Vendor interface: bulk OUT 0x01 / IN 0x81 (16-byte packets) echo each transfer; interrupt IN 0x82.
struct TestClass<'a, B: UsbBus> {
    iface: InterfaceNumber,
    bulk_in: EndpointIn<'a, B>,
    bulk_out: EndpointOut<'a, B>,
    intr: EndpointIn<'a, B>,
    stored: Vec<u8>,
    rx: Vec<u8>,
    tx: Vec<u8>,
    tx_pos: Option<usize>,
}

impl<B: UsbBus> TestClass<'_, B> {
    fn send_next(&mut self) {
        let Some(pos) = self.tx_pos else { return };
        let max = self.bulk_in.max_packet_size() as usize;
        if pos > self.tx.len() {
            self.tx_pos = None;
            return;
        }
        let end = (pos + max).min(self.tx.len());
        match self.bulk_in.write(&self.tx[pos..end]) {
            // A full last packet needs a ZLP to end the transfer; a short one ends it.
            Ok(n) => {
                self.tx_pos = if n == max {
                    Some(pos + n)
                } else {
                    Some(self.tx.len() + 1)
                }
            }
            Err(UsbError::WouldBlock) => {}
            Err(e) => panic!("bulk write: {e:?}"),
        }
    }
}

impl<B: UsbBus> UsbClass<B> for TestClass<'_, B> {
    fn get_configuration_descriptors(&self, w: &mut DescriptorWriter) -> usb_device::Result<()> {
        w.interface(self.iface, 0xff, 0x12, 0x34)?;
        w.endpoint(&self.bulk_out)?;
        w.endpoint(&self.bulk_in)?;
        w.endpoint(&self.intr)
    }

    fn control_in(&mut self, xfer: ControlIn<B>) {
        let r = *xfer.request();
        if r.request_type != RequestType::Vendor {
            return;
        }
        match r.request {
            VENDOR_IN => {
                let p = pattern(r.value as usize);
                xfer.accept_with(&p).ok();
            }
            VENDOR_LOAD => {
                let s = self.stored.clone();
                xfer.accept_with(&s).ok();
            }
            VENDOR_REJECT => {
                xfer.reject().ok();
            }
            _ => {}
        }
    }

    fn control_out(&mut self, xfer: ControlOut<B>) {
        let r = *xfer.request();
        if r.request_type != RequestType::Vendor {
            return;
        }
        match r.request {
            VENDOR_STORE => {
                self.stored = xfer.data().to_vec();
                xfer.accept().ok();
            }
            VENDOR_INTR => {
                self.intr
                    .write(&pattern(r.value as usize))
                    .expect("interrupt packet armed");
                xfer.accept().ok();
            }
            _ => {
                xfer.reject().ok();
            }
        }
    }

    fn endpoint_out(&mut self, addr: EndpointAddress) {
        if addr != self.bulk_out.address() {
            return;
        }
        let mut buf = [0u8; 64];
        let n = self.bulk_out.read(&mut buf).expect("packet");
        self.rx.extend_from_slice(&buf[..n]);
        if n < self.bulk_out.max_packet_size() as usize {
            self.tx = std::mem::take(&mut self.rx);
            self.tx_pos = Some(0);
            self.send_next();
        }
    }

    fn endpoint_in_complete(&mut self, addr: EndpointAddress) {
        if addr == self.bulk_in.address() {
            self.send_next();
        }
    }
}

fn start_device() -> SocketAddr {
    let bus = UsbIpBus::new(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    })
    .unwrap();
    let addr = bus.local_addr();
    std::thread::spawn(move || {
        let alloc = UsbBusAllocator::new(bus);
        let iface = alloc.interface();
        assert_eq!(u8::from(iface), 0);
        let mut class = TestClass {
            iface,
            bulk_out: alloc.bulk(16),
            bulk_in: alloc.bulk(16),
            intr: alloc.interrupt(8, 1),
            stored: Vec::new(),
            rx: Vec::new(),
            tx: Vec::new(),
            tx_pos: None,
        };
        let mut dev = UsbDeviceBuilder::new(&alloc, UsbVidPid(0x1209, 0x0001))
            .strings(&[StringDescriptors::default()
                .manufacturer("usbdesc test")
                .product("Loopback")
                .serial_number("L1")])
            .unwrap()
            .max_packet_size_0(8)
            .unwrap()
            .device_release(0x0123)
            .build();
        loop {
            if !dev.poll(&mut [&mut class]) {
                dev.bus().wait(Duration::from_millis(20));
            }
        }
    });
    addr
}

mod client;
use client::*;

// ---- tests ----------------------------------------------------------------------------------

#[test]
fn devlist_lists_the_real_device() {
    let addr = start_device();
    let v = devlist(addr);
    assert_eq!(&v[..8], &[0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0]);
    assert_eq!(be32(&v, 8), 1, "one device");
    let d = &v[12..];
    assert_eq!(&d[256..260], b"1-1\0");
    assert_eq!(be32(d, 288 + 8), 2, "full speed");
    assert_eq!(
        &d[300..306],
        &[0x12, 0x09, 0x00, 0x01, 0x01, 0x23],
        "idVendor 1209 idProduct 0001 bcdDevice 0123"
    );
    assert_eq!(
        &d[306..312],
        &[0, 0, 0, 1, 1, 1],
        "class/sub/proto, bConfigurationValue, 1 config, 1 interface"
    );
    assert_eq!(&d[312..316], &[0xff, 0x12, 0x34, 0], "the interface triple");
    assert_eq!(d.len(), 316);
}

#[test]
fn enumeration_reads_exact_descriptors() {
    let addr = start_device();
    let (st, c) = import(addr, "1-1");
    assert_eq!(st, 0);
    let mut c = c.unwrap();
    // 18 bytes over an 8-byte EP0 (8+8+2), though the host asked for 64.
    let r = c.get_descriptor(1, 0, 64);
    assert_eq!(r.status, 0);
    assert_eq!(r.data.len(), 18);
    assert_eq!(&r.data[..8], &[18, 1, 0x10, 0x02, 0, 0, 0, 8]);
    assert_eq!(&r.data[8..14], &[0x09, 0x12, 0x01, 0x00, 0x23, 0x01]);
    // Cut to wLength: 9 of the configuration's bytes.
    let head = c.get_descriptor(2, 0, 9);
    assert_eq!(head.data.len(), 9);
    let total = u16::from_le_bytes([head.data[2], head.data[3]]);
    assert_eq!(total, 9 + 9 + 7 * 3);
    // wLength 16 exactly two full packets: no ZLP is needed; the reply is 16 bytes.
    assert_eq!(c.get_descriptor(2, 0, 16).data.len(), 16);
    let full = c.get_descriptor(2, 0, 255);
    assert_eq!(full.data.len(), total as usize);
    assert_eq!(&full.data[9..18], &[9, 4, 0, 0, 3, 0xff, 0x12, 0x34, 0]);
    assert_eq!(&full.data[18..25], &[7, 5, 0x01, 0x02, 16, 0, 0]);
    assert_eq!(&full.data[25..32], &[7, 5, 0x81, 0x02, 16, 0, 0]);
    assert_eq!(&full.data[32..39], &[7, 5, 0x82, 0x03, 8, 0, 1]);
    let s = c.get_descriptor(3, 1, 255);
    let text: Vec<u8> = "usbdesc test"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert_eq!(s.data[..2], [2 + text.len() as u8, 3]);
    assert_eq!(&s.data[2..], &text[..]);
    c.configure();
    let r = c.control([0x80, 8, 0, 0, 0, 0, 1, 0], &[]);
    assert_eq!((r.status, r.data), (0, vec![1]), "GET_CONFIGURATION");
}

#[test]
fn stall_is_epipe_and_ep0_recovers() {
    let addr = start_device();
    let mut c = import(addr, "1-1").1.unwrap();
    let r = c.vendor_in(VENDOR_REJECT, 0, 8);
    assert_eq!((r.status, r.data.len()), (wire::EPIPE, 0));
    let r = c.vendor_out(0x7f, 0, &[1, 2, 3]);
    assert_eq!(r.status, wire::EPIPE, "unknown OUT request");
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, r.data.len()), (0, 18));
}

#[test]
fn control_multi_packet_both_directions() {
    let addr = start_device();
    let mut c = import(addr, "1-1").1.unwrap();
    let data = pattern(37);
    let r = c.vendor_out(VENDOR_STORE, 0, &data);
    assert_eq!(
        (r.status, r.actual, r.data.len()),
        (0, 37, 0),
        "OUT: actual_length, no data"
    );
    assert_eq!(
        c.vendor_in(VENDOR_LOAD, 0, 100).data,
        data,
        "5 packets of 8, last short"
    );
    assert_eq!(
        c.vendor_in(VENDOR_LOAD, 0, 20).data,
        data[..20],
        "cut to wLength"
    );
    // Exactly a multiple of the packet size and shorter than wLength: the device ends with a ZLP.
    assert_eq!(c.vendor_in(VENDOR_IN, 24, 64).data, pattern(24));
    assert_eq!(c.vendor_in(VENDOR_IN, 100, 100).data, pattern(100));
}

#[test]
fn bulk_multi_packet_and_short_packet_ends_transfer() {
    let addr = start_device();
    let mut c = import(addr, "1-1").1.unwrap();
    c.configure();
    let data = pattern(40);
    let seq = c.submit(1, false, 40, [0; 8], &data);
    let r = c.ret();
    assert_eq!((r.seq, r.status, r.actual), (seq, 0, 40));
    // Echo comes back as 16 + 16 + 8: the short packet ends the transfer before 64 bytes.
    let seq = c.submit(1, true, 64, [0; 8], &[]);
    let r = c.ret();
    assert_eq!((r.seq, r.status), (seq, 0));
    assert_eq!(r.data, data);
    // A URB smaller than the transfer is filled and completed; the rest goes to the next URB.
    c.submit(1, false, 40, [0; 8], &data);
    assert_eq!(c.ret().status, 0);
    c.submit(1, true, 16, [0; 8], &[]);
    assert_eq!(c.ret().data, data[..16]);
    c.submit(1, true, 64, [0; 8], &[]);
    assert_eq!(c.ret().data, data[16..]);
}

#[test]
fn interrupt_in_waits_for_data_and_unlink_cancels() {
    let addr = start_device();
    let mut c = import(addr, "1-1").1.unwrap();
    c.configure();
    // An IN URB with no data pending stays pending; unlinking it answers -ECONNRESET and the
    // victim never completes.
    let victim = c.submit(2, true, 8, [0; 8], &[]);
    std::thread::sleep(Duration::from_millis(50));
    let u = c.unlink(victim);
    let r = c.ret();
    assert_eq!((r.command, r.seq, r.status), (4, u, wire::ECONNRESET));
    // Next IN URB completes once the device writes.
    let waiting = c.submit(2, true, 8, [0; 8], &[]);
    let kick = c.submit(0, false, 0, [0x40, VENDOR_INTR, 5, 0, 0, 0, 0, 0], &[]);
    let (a, b) = (c.ret(), c.ret());
    let (ctrl, intr) = if a.seq == kick { (a, b) } else { (b, a) };
    assert_eq!((ctrl.seq, ctrl.status), (kick, 0));
    assert_eq!((intr.seq, intr.status, intr.data), (waiting, 0, pattern(5)));
    // Unlinking a URB that already completed: status 0.
    let u = c.unlink(waiting);
    let r = c.ret();
    assert_eq!((r.command, r.seq, r.status), (4, u, 0));
    // A packet larger than the URB's buffer: babble, -EOVERFLOW without data, stream in step.
    let small = c.submit(2, true, 4, [0; 8], &[]);
    let kick = c.submit(0, false, 0, [0x40, VENDOR_INTR, 8, 0, 0, 0, 0, 0], &[]);
    let (a, b) = (c.ret(), c.ret());
    let (intr, ctrl) = if a.seq == small { (a, b) } else { (b, a) };
    assert_eq!((ctrl.seq, ctrl.status), (kick, 0));
    assert_eq!(
        (intr.status, intr.actual, intr.data.len()),
        (wire::EOVERFLOW, 0, 0)
    );
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, r.data.len()), (0, 18));
}

#[test]
fn import_errors_disconnect_and_reimport() {
    let addr = start_device();
    assert_eq!(import(addr, "2-7").0, wire::ST_NODEV);
    let mut c = import(addr, "1-1").1.unwrap();
    c.configure();
    assert_eq!(
        import(addr, "1-1").0,
        wire::ST_DEV_BUSY,
        "one import at a time"
    );
    // A pending URB when the client vanishes must not leak into the next session.
    c.submit(2, true, 8, [0; 8], &[]);
    drop(c);
    let mut again = None;
    for _ in 0..100 {
        match import(addr, "1-1") {
            (0, c) => {
                again = c;
                break;
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    let mut c = again.expect("re-import after disconnect");
    // The device saw a reset: unconfigured again.
    let r = c.control([0x80, 8, 0, 0, 0, 0, 1, 0], &[]);
    assert_eq!(r.data, vec![0]);
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, r.data.len()), (0, 18));
}
