//! A device outside this process drives the bus: it speaks [`UsbBus`] over a line protocol.
//!
//! The emulated Feather M0 (`emu/`, Python) runs the real firmware on a model of the SAMD21 USB
//! controller; the part of it that plays the USB host towards that controller calls these
//! operations, and the server turns them into USB/IP replies exactly as it does for usb-device on
//! [`UsbIpBus`]: one USB/IP implementation for both kinds of device.
//!
//! One request a line, one reply a line (endpoint addresses in hex, `81` = EP1 IN; data in hex,
//! `-` for none):
//!
//! | request | reply |
//! |---|---|
//! | `poll` | `reset`, `none`, or `data OUT IN SETUP` (bitmasks as `UsbBus::poll` returns them) |
//! | `read EP` | `ok HEX`, `wouldblock`, `error WHAT` |
//! | `write EP HEX` | `ok N`, `wouldblock`, `error WHAT` |
//! | `stall EP 0\|1` | `ok` |
//! | `wait MS` | `ok` after up to MS ms, earlier when the host has something new |
//! | `event TEXT` | `ok`; TEXT goes to the events writer (the harness reads it) |
//!
//! A malformed request gets `error ...` and the connection goes on; end of input ends [`run`].

use std::io::{BufRead, Write};
use std::time::Duration;

use usb_device::bus::{PollResult, UsbBus};
use usb_device::endpoint::{EndpointAddress, EndpointType};
use usb_device::UsbError;

use crate::UsbIpBus;

/// Allocates endpoint 0 (`ep0_max`) and each `(address, bmAttributes, wMaxPacketSize)` as the
/// device declared them, the way usb-device and the classes would on a real bus.
pub fn alloc(bus: &mut UsbIpBus, ep0_max: u16, endpoints: &[(u8, u8, u16)]) -> Result<(), String> {
    let mut one = |addr: u8, ty: EndpointType, max: u16| {
        let a = EndpointAddress::from(addr);
        bus.alloc_ep(a.direction(), Some(a), ty, max, 1)
            .map(|_| ())
            .map_err(|e| format!("endpoint {addr:02x}: {e:?}"))
    };
    one(0x00, EndpointType::Control, ep0_max)?;
    one(0x80, EndpointType::Control, ep0_max)?;
    for &(addr, attributes, max) in endpoints {
        let ty = match attributes & 3 {
            2 => EndpointType::Bulk,
            3 => EndpointType::Interrupt,
            _ => {
                return Err(format!(
                    "endpoint {addr:02x}: only bulk and interrupt endpoints are served"
                ))
            }
        };
        one(addr, ty, max & 0x7FF)?;
    }
    Ok(())
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s == "-" {
        return Some(Vec::new());
    }
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn ep(s: Option<&str>) -> Result<EndpointAddress, String> {
    let a = s
        .and_then(|s| u8::from_str_radix(s, 16).ok())
        .ok_or("bad endpoint address")?;
    if a & 0x70 != 0 {
        return Err(format!("bad endpoint address {a:02x}"));
    }
    Ok(EndpointAddress::from(a))
}

fn usb_error(e: UsbError) -> String {
    match e {
        UsbError::WouldBlock => "wouldblock".into(),
        e => format!("error {e:?}"),
    }
}

/// One request; the reply line (without newline).
pub fn handle(bus: &UsbIpBus, line: &str, events: &mut impl Write) -> String {
    let mut w = line.split_whitespace();
    let r = match w.next() {
        Some("poll") => Ok(match bus.poll() {
            PollResult::Reset => "reset".to_string(),
            PollResult::Data {
                ep_out,
                ep_in_complete,
                ep_setup,
            } => format!("data {ep_out} {ep_in_complete} {ep_setup}"),
            _ => "none".to_string(),
        }),
        Some("read") => ep(w.next()).map(|a| {
            let mut buf = [0u8; 1024];
            match bus.read(a, &mut buf) {
                Ok(n) => format!("ok {}", hex(&buf[..n])),
                Err(e) => usb_error(e),
            }
        }),
        Some("write") => ep(w.next()).and_then(|a| {
            let data = w.next().and_then(unhex).ok_or("bad data")?;
            Ok(match bus.write(a, &data) {
                Ok(n) => format!("ok {n}"),
                Err(e) => usb_error(e),
            })
        }),
        Some("stall") => ep(w.next()).and_then(|a| match w.next() {
            Some(v @ ("0" | "1")) => {
                bus.set_stalled(a, v == "1");
                Ok("ok".to_string())
            }
            _ => Err("stall needs 0 or 1".to_string()),
        }),
        Some("wait") => match w.next().and_then(|m| m.parse::<u64>().ok()) {
            Some(ms) => {
                bus.wait(Duration::from_millis(ms.min(1000)));
                Ok("ok".to_string())
            }
            None => Err("wait needs milliseconds".to_string()),
        },
        Some("event") => {
            let text = line.trim_start().strip_prefix("event").unwrap_or("").trim();
            let _ = writeln!(events, "{text}");
            let _ = events.flush();
            Ok("ok".to_string())
        }
        _ => Err(format!("unknown request {:?}", line.trim())),
    };
    r.unwrap_or_else(|e| format!("error {e}"))
}

/// Answers requests from `input` on `output` until `input` ends.
pub fn run(
    bus: &UsbIpBus,
    input: impl BufRead,
    mut output: impl Write,
    mut events: impl Write,
) -> std::io::Result<()> {
    for line in input.lines() {
        let reply = handle(bus, &line?, &mut events);
        writeln!(output, "{reply}")?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn bus() -> UsbIpBus {
        let mut b = UsbIpBus::new(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        })
        .unwrap();
        alloc(&mut b, 64, &[(0x81, 3, 8), (0x01, 3, 8)]).unwrap();
        b
    }

    #[test]
    fn requests_reach_the_bus_and_bad_lines_get_errors() {
        let b = bus();
        let mut ev = Vec::new();
        assert_eq!(handle(&b, "poll", &mut ev), "none");
        assert_eq!(handle(&b, "read 01", &mut ev), "wouldblock");
        assert_eq!(handle(&b, "write 81 0000040000000000", &mut ev), "ok 8");
        assert_eq!(handle(&b, "write 81 00", &mut ev), "wouldblock"); // the first waits for the host
        assert_eq!(handle(&b, "write 81 0", &mut ev), "error bad data");
        assert_eq!(
            handle(&b, "write 81 000102030405060708", &mut ev),
            "error BufferOverflow"
        );
        assert_eq!(
            handle(&b, "read 7f", &mut ev),
            "error bad endpoint address 7f"
        );
        assert_eq!(
            handle(&b, "stall 81 2", &mut ev),
            "error stall needs 0 or 1"
        );
        assert_eq!(handle(&b, "stall 81 1", &mut ev), "ok");
        assert!(b.is_stalled(EndpointAddress::from(0x81)));
        assert_eq!(
            handle(&b, "frobnicate", &mut ev),
            "error unknown request \"frobnicate\""
        );
        assert_eq!(handle(&b, "event OUTPUT LED D13 1", &mut ev), "ok");
        assert_eq!(String::from_utf8(ev).unwrap(), "OUTPUT LED D13 1\n");
    }

    #[test]
    fn a_local_control_transfer_goes_through_the_pipe() {
        let b = bus();
        let h = b.handle();
        let t = std::thread::spawn(move || h.get_descriptor(1, 0, 0, 18));
        let mut ev = Vec::new();
        // The external device: wait for the SETUP, read it, answer 18 bytes, take the status ZLP.
        let mut setup = String::new();
        for _ in 0..200 {
            if handle(&b, "poll", &mut ev) == "data 0 0 1" {
                setup = handle(&b, "read 00", &mut ev);
                break;
            }
            handle(&b, "wait 10", &mut ev);
        }
        assert_eq!(setup, "ok 8006000100001200");
        let dev = "12011002000000400912010000010102030109";
        assert_eq!(
            handle(&b, &format!("write 80 {}", &dev[..36]), &mut ev),
            "ok 18"
        );
        assert_eq!(handle(&b, "poll", &mut ev), "data 1 1 0");
        assert_eq!(handle(&b, "read 00", &mut ev), "ok -");
        assert_eq!(t.join().unwrap().unwrap(), unhex(&dev[..36]).unwrap());
    }
}
