//! `usbdesc serve` over loopback: the compiled examples/keyboard.toml on UsbIpBus through the
//! runtime, checked with the fake USB/IP client.

use std::time::{Duration, Instant};

use usbdesc_usbip::serve::{parse_input_line, ServeOptions, Server};

mod client;
mod served;
use client::*;
use served::*;

/// Writes `data` to bulk OUT endpoint `ep_out` and reads it back from `ep_in` in packets.
fn bulk_echo(c: &mut Client, ep_out: u8, ep_in: u8, data: &[u8]) {
    let seq = c.submit(ep_out & 0x0F, false, data.len() as u32, [0; 8], data);
    let r = c.ret();
    assert_eq!((r.seq, r.status, r.actual), (seq, 0, data.len()));
    let mut back = Vec::new();
    while back.len() < data.len() {
        c.submit(ep_in & 0x0F, true, 128, [0; 8], &[]);
        let r = c.ret();
        assert_eq!(r.status, 0);
        back.extend_from_slice(&r.data);
    }
    assert_eq!(back, data);
}

#[test]
fn keyboard_enumerates_sends_input_and_prints_output() {
    let t = keyboard();
    let (addr, tx, out) = start(&t);
    let (status, c) = import(addr, "1-1");
    assert_eq!(status, 0);
    let mut c = c.unwrap();

    // Enumeration returns exactly the compiled bytes.
    let d = c.get_descriptor(1, 0, 18);
    assert_eq!((d.status, &d.data), (0, &t.device));
    assert_eq!(d.data[..4], [0x12, 0x01, 0x00, 0x02]);
    let cfg = &t.configurations[0];
    let r = c.get_descriptor(2, 0, cfg.len() as u16);
    assert_eq!((r.status, &r.data), (0, cfg));
    c.configure();
    let h = &t.hid[0];
    let l = (h.report_descriptor.len() as u16).to_le_bytes();
    let r = c.control([0x81, 6, 0, 0x22, h.interface, 0, l[0], l[1]], &[]);
    assert_eq!((r.status, &r.data), (0, &h.report_descriptor));
    assert_eq!(h.report_descriptor.len(), 63);
    // Product string (index from the device descriptor) is "Boot Keyboard" in UTF-16LE.
    let r = c.get_descriptor(3, t.device[15], 255);
    let utf16: Vec<u8> = "Boot Keyboard".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(r.data[2..], utf16[..]);

    // An input report line (key 'a' = 0x04) arrives on the interrupt IN endpoint bit for bit.
    tx.send(b"00 00 04 00 00 00 00 00\n".to_vec()).unwrap();
    let seq = c.submit(h.in_endpoint & 0x0F, true, 8, [0; 8], &[]);
    let r = c.ret();
    assert_eq!((r.command, r.seq, r.status), (3, seq, 0));
    assert_eq!(r.data, [0, 0, 4, 0, 0, 0, 0, 0]);

    // A bad line is reported, not sent.
    tx.send(b"00 01\n".to_vec()).unwrap();

    // SET_REPORT(Output, id 0) with the LED byte reaches stdout.
    let r = c.control([0x21, 9, 0, 2, h.interface, 0, 1, 0], &[0x03]);
    assert_eq!(r.status, 0);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let s = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        if s.contains("OUTPUT 0 03\n") && s.contains("ERROR BadLength: 00 01\n") {
            break;
        }
        assert!(Instant::now() < deadline, "stdout so far: {s:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn bind_failure_is_an_error() {
    let t = keyboard();
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let o = ServeOptions { listen: l.local_addr().unwrap(), busid: "1-1".into(), ..ServeOptions::default() };
    let e = Server::bind(&t, &o).err().expect("port in use");
    assert!(e.to_string().starts_with(&format!("cannot listen on {}", o.listen)), "{e}");
}

#[test]
fn input_lines() {
    assert_eq!(parse_input_line("01 02 0a", 0), Ok((0, vec![1, 2, 10])));
    assert_eq!(parse_input_line("01020A", 3), Ok((3, vec![1, 2, 10])));
    assert_eq!(parse_input_line("0x01,0x02", 0), Ok((0, vec![1, 2])));
    assert_eq!(parse_input_line(r#"{"interface":2,"report":"05 ff"}"#, 0), Ok((2, vec![5, 255])));
    assert!(parse_input_line("zz", 0).unwrap_err().contains("invalid hex"));
    assert!(parse_input_line("012", 0).unwrap_err().contains("odd number of hex digits"));
    assert!(parse_input_line(r#"{"interface":2}"#, 0).unwrap_err().contains("report"));
}

/// The composite example with `echo_bulk`: CDC class requests STALL (the runtime implements no CDC
/// requests; the real-kernel harness shows cdc_acm binds and moves data regardless), and 100 bytes
/// written to the bulk OUT endpoint come back on bulk IN in 64-byte packets.
#[test]
fn composite_cdc_requests_stall_and_bulk_echoes() {
    let t = example("cdc-hid-composite.toml");
    let (addr, _tx, _) = start_with(&t, true);
    let (_, c) = import(addr, "1-1");
    let mut c = c.unwrap();
    c.configure();
    // SET_CONTROL_LINE_STATE(DTR|RTS) and SET_LINE_CODING(115200 8N1) to the CDC interface 0.
    assert_eq!(c.control([0x21, 0x22, 3, 0, 0, 0, 0, 0], &[]).status, -32);
    assert_eq!(c.control([0x21, 0x20, 0, 0, 0, 0, 7, 0], &[0x00, 0xc2, 0x01, 0x00, 0, 0, 8]).status, -32);
    let bulk = |dir_in: bool| t.endpoints.iter().find(|e| e.attributes & 3 == 2 && (e.address & 0x80 != 0) == dir_in).unwrap().address;
    let (ep_out, ep_in) = (bulk(false), bulk(true));
    let data: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(7).wrapping_add(3)).collect();
    bulk_echo(&mut c, ep_out, ep_in, &data);
}

/// examples/micropython-hid.toml (`[builtin] preset = "micropython-cdc"`): the built-in CDC owns
/// interfaces 0-1, endpoints 1-2 and string 4; serve claims them with a stand-in, so the
/// keyboard lands on interface 2 / endpoint 0x83 as compiled. Enumeration returns the compiled
/// bytes (built-in descriptors first), the built-in's class requests STALL, its bulk pipes echo,
/// and the keyboard sends its input report.
#[test]
fn builtin_device_is_served() {
    let t = example("micropython-hid.toml");
    assert!(t.builtin.is_some());
    let (addr, tx, _) = start_with(&t, true);
    let (status, c) = import(addr, "1-1");
    assert_eq!(status, 0);
    let mut c = c.unwrap();
    let d = c.get_descriptor(1, 0, 18);
    assert_eq!((d.status, &d.data), (0, &t.device));
    let cfg = &t.configurations[0];
    let r = c.get_descriptor(2, 0, cfg.len() as u16);
    assert_eq!((r.status, &r.data), (0, cfg));
    c.configure();
    // SET_CONTROL_LINE_STATE to the built-in CDC interface 0: STALL.
    assert_eq!(c.control([0x21, 0x22, 3, 0, 0, 0, 0, 0], &[]).status, -32);
    // The built-in bulk pair 0x02 / 0x82 echoes.
    bulk_echo(&mut c, 0x02, 0x82, &(0..70u8).collect::<Vec<_>>());
    // The keyboard: interface 2, report descriptor and an input report on 0x83.
    let h = &t.hid[0];
    assert_eq!((h.interface, h.in_endpoint), (2, 0x83));
    let l = (h.report_descriptor.len() as u16).to_le_bytes();
    let r = c.control([0x81, 6, 0, 0x22, 2, 0, l[0], l[1]], &[]);
    assert_eq!((r.status, &r.data), (0, &h.report_descriptor));
    tx.send(b"02 00 04 00 00 00 00 00\n".to_vec()).unwrap();
    c.submit(3, true, 8, [0; 8], &[]);
    let r = c.ret();
    assert_eq!((r.status, &r.data[..]), (0, &[2, 0, 4, 0, 0, 0, 0, 0][..]));
}
