//! Protocol fuzzer: seeded pseudo-random USB/IP traffic, valid and invalid, against `serve` with
//! the composite example (HID + CDC, bulk echo). Each iteration is one hostile connection: random
//! operation headers, random URB headers and setups, truncated messages, unlinks, payloads that do
//! or do not match their lengths, replies read or left unread, and an abrupt close. After every
//! iteration a fresh client must import the device and read the exact device descriptor; the
//! client's read timeout (5 s) is the hang detector, not a speed check.
//!
//! `USBDESC_FUZZ_ITERS` overrides the iteration count, `USBDESC_FUZZ_SEED` the seed.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use usbdesc_compiler::tables::RuntimeTables;
use usbdesc_usbip::serve::ServeOptions;
use usbdesc_usbip::{wire, Limits};

mod client;
mod served;
use client::*;
use served::*;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One random message for an imported connection.
fn urb_message(r: &mut fastrand::Rng, seq: u32, t: &RuntimeTables) -> Vec<u8> {
    let addresses: Vec<u8> = t.endpoints.iter().map(|e| e.address).collect();
    let pick_ep = |r: &mut fastrand::Rng| match r.u8(0..4) {
        0 => 0,
        1 => r.u32(0..=40),
        _ => u32::from(addresses[r.usize(0..addresses.len())] & 0x0f),
    };
    let len = |r: &mut fastrand::Rng| match r.u8(0..6) {
        0 => 0,
        1 => r.u32(..),
        2 => r.u32(0..=0x1_0000),
        _ => r.u32(0..=300),
    };
    match r.u8(0..10) {
        // A well-formed control transfer: standard, class or vendor, either direction.
        0..=3 => {
            let dir_in = r.bool();
            let bm = (if dir_in { 0x80 } else { 0 }) | [0x00, 0x01, 0x02, 0x21, 0x22, 0x40, 0x41][r.usize(0..7)];
            let w_length: u16 = if r.bool() { r.u16(0..=300) } else { r.u16(..) }.min(if dir_in { 0xffff } else { 400 });
            let mut setup = [bm, r.u8(0..16), r.u8(..), r.u8(0..8), r.u8(0..4), 0, 0, 0];
            setup[6..8].copy_from_slice(&w_length.to_le_bytes());
            if r.u8(0..3) == 0 {
                setup = [0x80, 6, r.u8(0..4), r.u8(0..16), 0, 0, 0, 0];
                setup[6..8].copy_from_slice(&r.u16(0..=512).to_le_bytes());
            }
            let mut m = cmd_words([1, seq, 0x0001_0002, u32::from(dir_in), 0, 0, u32::from(w_length), 0, 0, 0]);
            m.extend_from_slice(&setup);
            if !dir_in {
                m.extend((0..w_length).map(|_| r.u8(..)));
            }
            m
        }
        // A URB with random endpoint, direction, length and setup; OUT data of the stated length
        // when it is small, else none (the connection then waits for it and the iteration ends).
        4..=6 => {
            let dir = if r.u8(0..8) == 0 { r.u32(..) } else { r.u32(0..2) };
            let length = len(r);
            let iso = match r.u8(0..8) {
                0 => r.u32(..),
                1 => r.u32(0..=1030),
                2 => u32::MAX,
                _ => 0,
            };
            let mut m = cmd_words([1, seq, 0x0001_0002, dir, pick_ep(r), r.u32(..), length, 0, iso, 0]);
            m.extend((0..8).map(|_| r.u8(..)));
            if dir == 0 && length <= 2048 {
                m.extend((0..length).map(|_| r.u8(..)));
                if iso != 0 && iso != u32::MAX && iso <= 1024 {
                    m.extend((0..16 * iso).map(|_| r.u8(..)));
                }
            }
            m
        }
        // CMD_UNLINK of a recent (or random) sequence number.
        7 => {
            let victim = if r.bool() { seq.saturating_sub(r.u32(1..5)) } else { r.u32(..) };
            let mut m = cmd_words([2, seq, 0x0001_0002, 0, 0, victim, 0, 0, 0, 0]);
            m.extend_from_slice(&[0; 8]);
            m
        }
        // 48 random bytes.
        8 => (0..48).map(|_| r.u8(..)).collect(),
        // A valid GET_DESCRIPTOR(device), cut short.
        _ => {
            let mut m = cmd_words([1, seq, 0x0001_0002, 1, 0, 0, 18, 0, 0, 0]);
            m.extend_from_slice(&[0x80, 6, 0, 1, 0, 0, 18, 0]);
            m.truncate(r.usize(1..48));
            m
        }
    }
}

/// One hostile connection.
fn hostile_iteration(r: &mut fastrand::Rng, addr: SocketAddr, t: &RuntimeTables) {
    let mut s = match r.u8(0..10) {
        // An operation header: random code, version or truncation, then random bytes.
        0 | 1 => {
            let mut s = connect(addr);
            let mut m = vec![0x01, 0x11, 0x80, [0x03, 0x05, r.u8(..)][r.usize(0..3)], 0, 0, 0, 0];
            if r.bool() {
                m[0..2].copy_from_slice(&r.u16(..).to_be_bytes());
            }
            m.extend((0..r.usize(0..40)).map(|_| r.u8(..)));
            m.truncate(r.usize(0..=m.len()));
            let _ = s.write_all(&m);
            s
        }
        _ => match import(addr, "1-1") {
            (0, Some(c)) => c.s,
            (status, _) => panic!("import of a free device: status {status}"),
        },
    };
    for seq in 1..=r.u32(1..30) {
        let m = urb_message(r, seq, t);
        if s.write_all(&m).is_err() {
            break; // the server closed the connection
        }
        if r.u8(0..4) == 0 {
            // Read whatever replies are there (or none): the client reads some, not all.
            s.set_read_timeout(Some(Duration::from_millis(2))).unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
        }
    }
    if r.bool() {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
}

/// A fresh client imports the device and reads the exact device descriptor.
fn still_serves(addr: SocketAddr, t: &RuntimeTables, iteration: u64) {
    let start = Instant::now();
    let mut c = loop {
        match import(addr, "1-1") {
            (0, Some(c)) => break c,
            (status, _) => assert_eq!(status, wire::ST_DEV_BUSY, "iteration {iteration}"),
        }
        assert!(start.elapsed() < Duration::from_secs(30), "iteration {iteration}: device never free again");
    };
    let r = c.get_descriptor(1, 0, 18);
    assert_eq!((r.status, &r.data), (0, &t.device), "iteration {iteration}");
}

#[test]
fn random_usbip_traffic_never_breaks_the_served_device() {
    let t = example("cdc-hid-composite.toml");
    let limits = Limits { io_timeout: Duration::from_millis(300), ..Limits::default() };
    let (addr, _tx, _) = start_opts(&t, ServeOptions { echo_bulk: true, limits, ..ServeOptions::default() });
    let iterations = env_or("USBDESC_FUZZ_ITERS", 300);
    let mut r = fastrand::Rng::with_seed(env_or("USBDESC_FUZZ_SEED", 0x15_15));
    let start = Instant::now();
    for i in 0..iterations {
        hostile_iteration(&mut r, addr, &t);
        still_serves(addr, &t, i);
    }
    eprintln!("{iterations} iterations in {:?}", start.elapsed());
}
