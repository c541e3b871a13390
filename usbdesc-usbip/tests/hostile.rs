//! Issue 15, USB/IP server and runtime: a client that breaks the protocol gets an error status,
//! a STALL or a closed connection, and the device keeps serving the next client. Each test is one
//! finding of the issue. Timeouts here only detect hangs; they assert no speed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use usbdesc_compiler::tables::RuntimeTables;
use usbdesc_usbip::serve::ServeOptions;
use usbdesc_usbip::{wire, Limits};

mod client;
mod served;
use client::*;
use served::*;

const GET_DEVICE: [u8; 8] = [0x80, 6, 0, 1, 0, 0, 18, 0];

fn limits(f: impl FnOnce(&mut Limits)) -> ServeOptions {
    let mut l = Limits::default();
    f(&mut l);
    ServeOptions { limits: l, ..ServeOptions::default() }
}

/// A CMD_SUBMIT header with every field given (no payload).
fn submit_header(seq: u32, dir: u32, ep: u32, length: u32, iso_packets: u32, setup: [u8; 8]) -> Vec<u8> {
    let mut m = cmd_words([1, seq, 0x0001_0002, dir, ep, 0, length, 0, iso_packets, 0]);
    m.extend_from_slice(&setup);
    m
}

/// The device descriptor read over a fresh import: the device still works.
fn device_descriptor_ok(addr: SocketAddr, t: &RuntimeTables) {
    let (status, c) = import(addr, "1-1");
    assert_eq!(status, 0, "import");
    let r = c.unwrap().get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
}

/// The connection is closed by the server: a read ends (EOF or reset), it does not time out.
fn closed_by_server(s: &mut TcpStream) {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut b = [0u8; 64];
    loop {
        match s.read(&mut b) {
            Ok(0) => return,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("connection not closed: {e}"),
        }
    }
}

fn vm_peak_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with("VmPeak:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// "An OUT CMD_SUBMIT with transfer_buffer_length 0xffffffff makes the server allocate 4 GiB
/// before any data arrives": now it is answered at once with -EINVAL, on EP0 and on a bulk
/// endpoint, and the process never maps anything near that size.
#[test]
fn oversize_out_length_gets_an_error_without_allocating() {
    let t = example("cdc-hid-composite.toml");
    let (addr, _tx, _) = start(&t);
    let before = vm_peak_kib();
    let bulk_out = t.endpoints.iter().find(|e| e.attributes & 3 == 2 && e.address & 0x80 == 0).unwrap().address;
    for (ep, setup) in [(0, [0x21, 9, 0, 3, 0, 0, 0xff, 0xff]), (u32::from(bulk_out), [0; 8])] {
        let mut c = import(addr, "1-1").1.unwrap();
        c.s.write_all(&submit_header(7, wire::DIR_OUT, ep, u32::MAX, 0, setup)).unwrap();
        c.dir_in.insert(7, false);
        let r = c.ret();
        assert_eq!((r.command, r.seq, r.status, r.actual), (3, 7, wire::EINVAL, 0), "endpoint {ep}");
    }
    // Virtual, not resident: the old `vec![0u8; length]` mapped 4 GiB without touching it. The
    // margin leaves room for what tests running in parallel map (malloc arenas, thread stacks).
    let grown = vm_peak_kib().saturating_sub(before);
    assert!(grown < 2 * 1024 * 1024, "peak virtual memory grew by {grown} KiB");
    device_descriptor_ok(addr, &t);
}

/// An OUT URB over `max_transfer` whose data does arrive: -EINVAL, the data is dropped, and the
/// next URB on the same connection is read in step.
#[test]
fn oversize_out_with_data_is_refused_in_step() {
    let t = example("cdc-hid-composite.toml");
    let (addr, _tx, _) = start_opts(&t, limits(|l| l.max_transfer = 256));
    let bulk_out = t.endpoints.iter().find(|e| e.attributes & 3 == 2 && e.address & 0x80 == 0).unwrap().address;
    let mut c = import(addr, "1-1").1.unwrap();
    let seq = c.submit(bulk_out, false, 1000, [0; 8], &[0x5a; 1000]);
    let r = c.ret();
    assert_eq!((r.seq, r.status, r.actual), (seq, wire::EINVAL, 0));
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
}

/// "A GET_DESCRIPTOR sent as an OUT URB got status 0, actual 18 followed by 18 stray bytes":
/// now -EINVAL with no data, and the stream stays in step. Endpoint 0x10 is not EP0.
#[test]
fn ep0_follows_the_urb_direction_and_endpoint_16_is_not_ep0() {
    let t = keyboard();
    let (addr, _tx, _) = start(&t);
    let mut c = import(addr, "1-1").1.unwrap();
    let seq = c.submit(0, false, 18, GET_DEVICE, &[0; 18]);
    let r = c.ret();
    assert_eq!((r.seq, r.status, r.actual), (seq, wire::EINVAL, 0));
    let seq = c.submit(0x10, true, 18, GET_DEVICE, &[]);
    let r = c.ret();
    assert_eq!((r.seq, r.status, r.actual, r.data.len()), (seq, wire::EINVAL, 0, 0));
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device), "in step afterwards");
}

/// "An IN URB can get actual_length > transfer_buffer_length": an 8-byte URB asking (in wLength)
/// for the 18-byte device descriptor gets 8 bytes.
#[test]
fn actual_length_never_exceeds_transfer_buffer_length() {
    let t = keyboard();
    let (addr, _tx, _) = start(&t);
    let mut c = import(addr, "1-1").1.unwrap();
    for room in [0u32, 1, 8, 17] {
        let seq = c.submit(0, true, room, GET_DEVICE, &[]);
        let r = c.ret();
        assert_eq!((r.seq, r.status), (seq, 0));
        assert_eq!((r.actual, &r.data[..]), (room as usize, &t.device[..room as usize]));
    }
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
}

/// Headers whose length on the wire cannot be known close the connection (never a desync):
/// number_of_packets > 1024, an unknown command, a direction other than 0/1, a bad protocol
/// version. The device is imported again right away.
#[test]
fn malformed_headers_close_the_connection() {
    let t = keyboard();
    let (addr, _tx, _) = start(&t);
    let mut bad_command = submit_header(1, wire::DIR_IN, 1, 8, 0, [0; 8]);
    bad_command[3] = 9;
    for msg in [
        submit_header(1, wire::DIR_OUT, 1, 0, 1025, [0; 8]),
        submit_header(1, wire::DIR_OUT, 1, 0, u32::MAX - 1, [0; 8]),
        bad_command,
        submit_header(1, 2, 0, 18, 0, GET_DEVICE),
    ] {
        let mut c = import(addr, "1-1").1.unwrap();
        c.s.write_all(&msg).unwrap();
        closed_by_server(&mut c.s);
        device_descriptor_ok(addr, &t);
    }
    // An OP_REQ_IMPORT with protocol version 0x0100.
    let mut s = connect(addr);
    let mut req = vec![0x01, 0x00, 0x80, 0x03, 0, 0, 0, 0];
    req.extend_from_slice(&wire::busid_field("1-1"));
    s.write_all(&req).unwrap();
    closed_by_server(&mut s);
    device_descriptor_ok(addr, &t);
}

/// A valid isochronous URB (this bus has no isochronous endpoints): -EINVAL after its packet
/// descriptors are read, in step.
#[test]
fn isochronous_urb_is_refused_in_step() {
    let t = keyboard();
    let (addr, _tx, _) = start(&t);
    let mut c = import(addr, "1-1").1.unwrap();
    let mut m = submit_header(5, wire::DIR_OUT, 1, 4, 2, [0; 8]);
    m.extend_from_slice(&[1, 2, 3, 4]);
    m.extend_from_slice(&[0; 32]);
    c.s.write_all(&m).unwrap();
    c.dir_in.insert(5, false);
    let r = c.ret();
    assert_eq!((r.seq, r.status), (5, wire::EINVAL));
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
}

/// "Re-import right after a close fails with ST_DEV_BUSY 248 of 300 times": every import right
/// after the previous client closed succeeds at the first attempt.
#[test]
fn reimport_right_after_close_succeeds() {
    let t = keyboard();
    let (addr, _tx, _) = start(&t);
    for i in 0..50 {
        let (status, c) = import(addr, "1-1");
        assert_eq!(status, 0, "import {i}");
        let r = c.unwrap().get_descriptor(1, 0, 18);
        assert_eq!(r.status, 0);
    }
}

/// "200,000 pending IN URBs": URBs beyond `max_pending_urbs` get -ENOMEM at once; the pending
/// ones stay pending and can be unlinked.
#[test]
fn pending_urbs_are_bounded() {
    let t = keyboard();
    let (addr, _tx, _) = start_opts(&t, limits(|l| l.max_pending_urbs = 8));
    let mut c = import(addr, "1-1").1.unwrap();
    c.configure();
    let ep_in = t.hid[0].in_endpoint & 0x0f;
    let seqs: Vec<u32> = (0..12).map(|_| c.submit(ep_in, true, 8, [0; 8], &[])).collect();
    for &seq in &seqs[8..] {
        let r = c.ret();
        assert_eq!((r.seq, r.status), (seq, wire::ENOMEM));
    }
    for &seq in &seqs[..8] {
        let u = c.unlink(seq);
        let r = c.ret();
        assert_eq!((r.command, r.seq, r.status), (4, u, wire::ECONNRESET));
    }
}

/// "2,000 idle connections -> 2,003 threads": connections beyond the handshake places are closed
/// at once; idle ones are dropped after `io_timeout`, and then an import works.
#[test]
fn idle_connections_are_bounded_and_time_out() {
    let t = keyboard();
    let (addr, _tx, _) = start_opts(&t, limits(|l| l.io_timeout = Duration::from_millis(300)));
    let threads = || std::fs::read_dir("/proc/self/task").unwrap().count();
    let before = threads();
    let idle: Vec<TcpStream> = (0..200).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let grown = threads().saturating_sub(before);
    assert!(grown < 50, "{grown} more threads for 200 idle connections");
    let start = Instant::now();
    loop {
        // Refused (closed) while the places are taken; answered once the idle ones time out.
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(&[0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0]).unwrap_or_default();
        let mut v = Vec::new();
        let _ = s.read_to_end(&mut v);
        if v.len() > 12 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "device list never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(idle);
    device_descriptor_ok(addr, &t);
}

/// "One client that stops reading freezes the device's poll loop and every other client (a
/// second import hangs instead of getting ST_DEV_BUSY)". Client A floods requests and never
/// reads a reply. Client B's imports are answered (ST_DEV_BUSY while A holds the device), A is
/// dropped (reply queue over its limit, or a write timeout), and then B imports and enumerates.
#[test]
fn a_client_that_stops_reading_does_not_freeze_another() {
    let t = example("cdc-hid-composite.toml");
    let (addr, _tx, _) = start_opts(
        &t,
        limits(|l| {
            l.io_timeout = Duration::from_millis(500);
            l.max_queued_replies = 64 * 1024;
        }),
    );
    let mut a = import(addr, "1-1").1.unwrap();
    let cfg_len = t.configurations[0].len() as u16;
    let l = cfg_len.to_le_bytes();
    let mut flood = Vec::new();
    for seq in 1..=60_000u32 {
        flood.extend(submit_header(seq, wire::DIR_IN, 0, u32::from(cfg_len), 0, [0x80, 6, 0, 2, 0, 0, l[0], l[1]]));
    }
    let mut w = a.s.try_clone().unwrap();
    let flooder = std::thread::spawn(move || {
        // Fails once the server drops A.
        let _ = w.write_all(&flood);
    });
    let start = Instant::now();
    let mut busy = 0;
    let mut b = loop {
        // `import` panics if the reply does not come within its 5 s read timeout.
        match import(addr, "1-1") {
            (0, Some(c)) => break c,
            (status, _) => assert_eq!(status, wire::ST_DEV_BUSY),
        }
        busy += 1;
        assert!(start.elapsed() < Duration::from_secs(30), "A was never dropped");
    };
    let r = b.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
    closed_by_server(&mut a.s);
    flooder.join().unwrap();
    eprintln!("B imported after {busy} ST_DEV_BUSY answers, {:?}", start.elapsed());
}

/// Runtime through usb-device 0.3.2: "a control OUT with wLength > 128 gets no answer at all".
/// usb-device ignores the SETUP (its control buffer is 128 bytes) and discards the first data
/// packet with a STALL; the host sees -EPIPE at once, and EP0 works afterwards.
#[test]
fn control_out_longer_than_usb_device_buffer_stalls() {
    let t = example("feature-vendor.toml");
    let (addr, _tx, _) = start(&t);
    let mut c = import(addr, "1-1").1.unwrap();
    c.configure();
    let itf = t.hid[0].interface;
    for len in [129u16, 200, 1000] {
        let l = len.to_le_bytes();
        // SET_REPORT(Feature, ID 3) with a long data stage, and a vendor OUT request.
        let r = c.control([0x21, 9, 3, 3, itf, 0, l[0], l[1]], &vec![3; len as usize]);
        assert_eq!(r.status, wire::EPIPE, "SET_REPORT wLength {len}");
        let r = c.control([0x40, 0x33, 0, 0, 0, 0, l[0], l[1]], &vec![0; len as usize]);
        assert_eq!(r.status, wire::EPIPE, "vendor OUT wLength {len}");
    }
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device));
}
