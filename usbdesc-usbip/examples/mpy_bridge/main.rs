//! `mpy_bridge`: a generated MicroPython module, unmodified, running in MicroPython (the
//! WebAssembly port under node) as a USB device on the USB/IP bus.
//!
//! ```text
//! USB/IP host ── UsbIpBus + usb-device ── Bridge (this file) ── lines on stdin/stdout ── node run.mjs
//!                 (SET_ADDRESS, SET_CONFIGURATION,   (TinyUSB's part of machine.USBDevice:   MicroPython: machine.py
//!                  GET_STATUS, ...)                    descriptors, built-in driver,         (USBDevice), usb_desc.py
//!                                                      endpoint transfers)                   (generated), main.py (app)
//! ```
//!
//! The bridge plays the part TinyUSB and the port play on a board: it serves desc_dev, desc_cfg
//! and desc_strs as MicroPython handed them to `USBDevice.config()`, serves the built-in driver
//! (MicroPython's CDC-ACM: its strings, its class requests STALL as under `usbdesc serve`, its
//! bulk pipe echoes), passes every other control request to `control_xfer_cb` stage by stage
//! (SETUP, DATA, ACK), runs `submit_xfer` transfers on the endpoints and reports them to
//! `xfer_cb`, calls `open_itf_cb` for each runtime interface once the host configures the device
//! and `reset_cb` on a bus reset. The protocol is described in machine.py.
//!
//! `mpy_bridge DEVICE.toml [--listen ADDR] [--busid 1-1] [--input HEX] [--micropython DIR]`
//! prints `LISTEN <port>` once the device is served, then the module's events (`OUTPUT ...`,
//! `SET_REPORT ...`) one a line. `--input`: an input report the module keeps sending (ID byte
//! first when the interface uses report IDs). `--micropython`: where scripts/install-deps.sh put
//! the npm package (default `~/.cache/usbdesc/micropython`).
//!
//! Limits: one activation (a later `active(False)` / `active(True)` with new descriptors is not
//! re-enumerated); bulk and interrupt endpoints only; full speed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use usb_device::bus::UsbBusAllocator;
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::{Recipient, Request, RequestType};
use usb_device::device::UsbDeviceState;
use usb_device::endpoint::{EndpointAddress, EndpointIn, EndpointOut, EndpointType};
use usb_device::prelude::*;
use usb_device::UsbDirection;
use usbdesc_compiler::builtin::MICROPYTHON_CDC;
use usbdesc_usbip::{Config, UsbIpBus};

const MACHINE_PY: &str = include_str!("machine.py");
const APP_PY: &str = include_str!("app.py");
const RUN_MJS: &str = include_str!("run.mjs");
/// MicroPython's own strings for its built-in CDC driver (shared/tinyusb/mp_usbd_descriptor.c
/// defaults): manufacturer, product, serial, CDC interface.
const BUILTIN_STRINGS: &[(u8, &str)] = &[(1, "MicroPython"), (2, "Board in FS mode"), (3, "000000000000"), (4, "Board CDC")];

fn fail(msg: String) -> ! {
    eprintln!("mpy_bridge: {msg}");
    std::process::exit(2)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn py_bytes(b: &[u8]) -> String {
    format!("bytes(({}))", b.iter().map(|x| format!("{x},")).collect::<String>())
}

/// The node process running MicroPython, and its stdout as lines.
struct Node {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<String>,
}

impl Node {
    fn start(micropython: &str, dir: &std::path::Path) -> Node {
        let mut child = Command::new("node")
            .arg(dir.join("run.mjs"))
            .arg(micropython)
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| fail(format!("cannot run node: {e}")));
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Node { child, stdin, rx }
    }

    fn send(&mut self, line: &str) {
        if writeln!(self.stdin, "{line}").and_then(|_| self.stdin.flush()).is_err() {
            fail("MicroPython (node) exited".into());
        }
    }

    fn recv(&self, timeout: Duration) -> Option<String> {
        match self.rx.recv_timeout(timeout) {
            Ok(l) => Some(l),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => fail("MicroPython (node) exited".into()),
        }
    }
}

/// What MicroPython passed to `USBDevice.config()`, as the bridge serves it.
#[derive(Default)]
struct Descriptors {
    device: Vec<u8>,
    configuration: Vec<u8>,
    /// String descriptors by index (0: the LANGID list).
    strings: BTreeMap<u8, Vec<u8>>,
}

fn string_descriptor(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().take(126).collect();
    let mut d = vec![(2 + 2 * units.len()) as u8, 3];
    for u in units {
        d.extend_from_slice(&u.to_le_bytes());
    }
    d
}

/// Runs MicroPython until the module calls `active(True)`; returns the descriptors announced.
fn wait_active(node: &Node) -> Descriptors {
    let mut d = Descriptors::default();
    d.strings.insert(0, vec![4, 3, 0x09, 0x04]);
    for (i, s) in BUILTIN_STRINGS.iter().filter(|(i, _)| *i < MICROPYTHON_CDC.str_max) {
        d.strings.insert(*i, string_descriptor(s));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let Some(line) = node.recv(deadline.saturating_duration_since(Instant::now())) else {
            fail("MicroPython did not activate the USB device in 30 s".into())
        };
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["CONFIG", dev, cfg] => {
                d.device = unhex(dev).unwrap_or_default();
                d.configuration = unhex(cfg).unwrap_or_default();
            }
            ["LANGIDS", b] => {
                d.strings.insert(0, unhex(b).unwrap_or_default());
            }
            ["STRING", i, text] => {
                let (Ok(i), Some(t)) = (i.parse::<u8>(), unhex(text)) else { continue };
                d.strings.insert(i, string_descriptor(&String::from_utf8_lossy(&t)));
            }
            ["ACTIVE", "1"] => return d,
            _ => eprintln!("micropython: {line}"),
        }
    }
}

/// One endpoint of desc_cfg: address, transfer type, max packet size, interval.
fn endpoints(cfg: &[u8]) -> Vec<(u8, u8, u16, u8)> {
    let mut v: Vec<(u8, u8, u16, u8)> = Vec::new();
    let mut at = 0;
    while at + 2 <= cfg.len() && cfg[at] >= 2 {
        let d = &cfg[at..(at + usize::from(cfg[at])).min(cfg.len())];
        if d.len() >= 7 && d[1] == 5 && !v.iter().any(|e| e.0 == d[2]) {
            v.push((d[2], d[3] & 3, u16::from_le_bytes([d[4], d[5]]), d[6]));
        }
        at += usize::from(cfg[at]);
    }
    v
}

/// (offset, length) of each runtime function: an IAD with all its interfaces, or an interface
/// (number >= itf_max, alternate setting 0 and its alternate settings) with its class and
/// endpoint descriptors: what `open_itf_cb` receives, once each.
fn runtime_interfaces(cfg: &[u8], itf_max: u8) -> Vec<(usize, usize)> {
    // (offset, first interface, interface count) per IAD or interface at alternate setting 0.
    let mut starts: Vec<(usize, u8, u8)> = Vec::new();
    let mut at = 9;
    while at + 4 <= cfg.len() && cfg[at] >= 2 {
        match cfg[at + 1] {
            0x0b => starts.push((at, cfg[at + 2], cfg[at + 3])),
            4 if cfg[at + 3] == 0 => starts.push((at, cfg[at + 2], 1)),
            _ => {}
        }
        at += usize::from(cfg[at]);
    }
    let mut v = Vec::new();
    let mut k = 0;
    while k < starts.len() {
        let (off, first, count) = starts[k];
        // The function ends where a descriptor of an interface outside it (or another IAD) begins.
        let mut next = k + 1;
        while next < starts.len() && cfg[starts[next].0 + 1] == 4 && starts[next].1.wrapping_sub(first) < count {
            next += 1;
        }
        let end = starts.get(next).map(|s| s.0).unwrap_or(cfg.len());
        if first >= itf_max {
            v.push((off, end - off));
        }
        k = next;
    }
    v
}

fn setup_bytes(r: &Request) -> [u8; 8] {
    let dir = if r.direction == UsbDirection::In { 0x80 } else { 0 };
    let bm = dir | ((r.request_type as u8) << 5) | (r.recipient as u8);
    let [v0, v1] = r.value.to_le_bytes();
    let [i0, i1] = r.index.to_le_bytes();
    let [l0, l1] = r.length.to_le_bytes();
    [bm, r.request, v0, v1, i0, i1, l0, l1]
}

enum Reply {
    Stall,
    Ok,
    Data(Vec<u8>),
    Buf,
}

struct Bridge<'a> {
    node: Node,
    desc: Descriptors,
    /// Leaked copies of replies longer than usb-device's control buffer (accept_with_static).
    statics: Vec<&'static [u8]>,
    itf_max: u8,
    ins: Vec<(u8, EndpointIn<'a, UsbIpBus>)>,
    outs: Vec<(u8, EndpointOut<'a, UsbIpBus>)>,
    /// Runtime IN transfers: data and bytes sent so far.
    in_xfers: BTreeMap<u8, (Vec<u8>, usize)>,
    /// Runtime OUT transfers: buffer length and bytes received so far.
    out_xfers: BTreeMap<u8, (usize, Vec<u8>)>,
    /// Built-in bulk pairs (OUT, IN) and the bytes waiting to go back.
    echo: Vec<(u8, u8, Vec<u8>)>,
    /// MicroPython lines that arrived while waiting for a REPLY.
    later: Vec<String>,
    /// Where the module's events (`OUTPUT ...`, `SET_REPORT ...`) go.
    events: Box<dyn FnMut(&str) + 'a>,
}

impl<'a> Bridge<'a> {
    fn new(alloc: &'a UsbBusAllocator<UsbIpBus>, node: Node, desc: Descriptors, itf_max: u8, events: Box<dyn FnMut(&str) + 'a>) -> Bridge<'a> {
        let mut b = Bridge {
            node,
            events,
            statics: Vec::new(),
            itf_max,
            ins: Vec::new(),
            outs: Vec::new(),
            in_xfers: BTreeMap::new(),
            out_xfers: BTreeMap::new(),
            echo: Vec::new(),
            later: Vec::new(),
            desc,
        };
        let eps = endpoints(&b.desc.configuration);
        for &(addr, ty, mps, interval) in &eps {
            let ty = match ty {
                2 => EndpointType::Bulk,
                3 => EndpointType::Interrupt,
                _ => fail(format!("endpoint {addr:#04x}: only bulk and interrupt endpoints are bridged")),
            };
            let a = Some(EndpointAddress::from(addr));
            let err = |e: usb_device::UsbError| -> String { format!("endpoint {addr:#04x}: {e:?}") };
            if addr & 0x80 != 0 {
                b.ins.push((addr, alloc.alloc(a, ty, mps, interval).map_err(err).unwrap_or_else(|e| fail(e))));
            } else {
                b.outs.push((addr, alloc.alloc(a, ty, mps, interval).map_err(err).unwrap_or_else(|e| fail(e))));
            }
        }
        // The built-in driver's bulk pipes echo, as under `usbdesc serve --echo-bulk`.
        let builtin_ep = |a: u8| (a & 0x7f) < MICROPYTHON_CDC.ep_max && itf_max > 0;
        for &(o, ty, _, _) in eps.iter().filter(|e| e.0 & 0x80 == 0 && e.1 == 2 && builtin_ep(e.0)) {
            if let Some(&(i, ..)) = eps.iter().find(|e| e.0 & 0x80 != 0 && e.1 == ty && builtin_ep(e.0)) {
                b.echo.push((o, i, Vec::new()));
            }
        }
        b
    }

    fn is_builtin_ep(&self, addr: u8) -> bool {
        self.echo.iter().any(|e| e.0 == addr || e.1 == addr) || ((addr & 0x7f) < MICROPYTHON_CDC.ep_max && self.itf_max > 0)
    }

    /// One stage of `control_xfer_cb`.
    fn ask(&mut self, stage: u8, setup: &[u8; 8], data: &[u8]) -> Reply {
        let mut line = format!("CTRL {stage} {}", hex(setup));
        if !data.is_empty() {
            line += &format!(" {}", hex(data));
        }
        self.node.send(&line);
        loop {
            let Some(l) = self.node.recv(Duration::from_secs(5)) else {
                eprintln!("mpy_bridge: control_xfer_cb gave no answer in 5 s: STALL");
                return Reply::Stall;
            };
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                ["REPLY", "STALL"] => return Reply::Stall,
                ["REPLY", "OK"] => return Reply::Ok,
                ["REPLY", "DATA"] => return Reply::Data(Vec::new()),
                ["REPLY", "DATA", h] => return Reply::Data(unhex(h).unwrap_or_default()),
                ["REPLY", "BUF", _] => return Reply::Buf,
                _ => self.later.push(l),
            }
        }
    }

    fn accept_in(&mut self, xfer: ControlIn<UsbIpBus>, data: &[u8]) {
        let _ = if data.len() <= 128 {
            xfer.accept_with(data)
        } else {
            let s = match self.statics.iter().find(|s| **s == data) {
                Some(s) => *s,
                None => {
                    let s: &'static [u8] = Box::leak(data.to_vec().into_boxed_slice());
                    self.statics.push(s);
                    s
                }
            };
            xfer.accept_with_static(s)
        };
    }

    /// GET_DESCRIPTOR to the device: what the port serves from config()'s arguments.
    fn device_descriptor(&self, r: &Request) -> Option<Vec<u8>> {
        let (ty, index) = ((r.value >> 8) as u8, r.value as u8);
        match ty {
            1 => Some(self.desc.device.clone()),
            2 if index == 0 => Some(self.desc.configuration.clone()),
            3 => self.desc.strings.get(&index).cloned(),
            _ => None,
        }
    }

    /// Requests MicroPython's callback sees: class and vendor requests, and standard
    /// GET_DESCRIPTOR to an interface, of the runtime interfaces (not the built-in driver's).
    fn for_micropython(&self, r: &Request) -> bool {
        match r.recipient {
            Recipient::Interface => (r.index as u8) >= self.itf_max && (r.request_type != RequestType::Standard || r.request == Request::GET_DESCRIPTOR),
            Recipient::Endpoint => r.request_type != RequestType::Standard && !self.is_builtin_ep(r.index as u8),
            Recipient::Device => r.request_type == RequestType::Vendor,
            _ => false,
        }
    }

    fn start_in(&mut self, addr: u8) {
        let Some((data, sent)) = self.in_xfers.get_mut(&addr) else { return };
        let Some((_, ep)) = self.ins.iter().find(|e| e.0 == addr) else { return };
        let mps = usize::from(ep.max_packet_size());
        let end = (*sent + mps).min(data.len());
        if ep.write(&data[*sent..end]).is_ok() {
            *sent = end;
        }
    }

    /// A line from MicroPython outside a control transfer.
    fn handle_line(&mut self, line: &str) {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["SUBMIT", ep, arg] => {
                let Ok(ep) = ep.parse::<u8>() else { return };
                if ep & 0x80 != 0 {
                    self.in_xfers.insert(ep, (unhex(arg).unwrap_or_default(), 0));
                    self.start_in(ep);
                } else {
                    self.out_xfers.insert(ep, (arg.parse().unwrap_or(0), Vec::new()));
                    self.endpoint_out(EndpointAddress::from(ep));
                }
            }
            ["EVENT", ..] => (self.events)(line.trim_start().trim_start_matches("EVENT").trim_start()),
            ["STALL", ep, on] => {
                let Ok(ep) = ep.parse::<u8>() else { return };
                let on = *on == "1";
                if let Some((_, e)) = self.ins.iter().find(|e| e.0 == ep) {
                    if on { e.stall() } else { e.unstall() }
                }
                if let Some((_, e)) = self.outs.iter().find(|e| e.0 == ep) {
                    if on { e.stall() } else { e.unstall() }
                }
            }
            _ => eprintln!("micropython: {line}"),
        }
    }

    fn pump(&mut self) {
        let mut lines = std::mem::take(&mut self.later);
        while let Ok(l) = self.node.rx.try_recv() {
            lines.push(l);
        }
        for l in lines {
            self.handle_line(&l);
        }
        for k in 0..self.echo.len() {
            let (o, i, _) = self.echo[k];
            if let Some((_, ep)) = self.outs.iter().find(|e| e.0 == o) {
                let mut b = [0u8; 64];
                if let Ok(n) = ep.read(&mut b) {
                    self.echo[k].2.extend_from_slice(&b[..n]);
                }
            }
            let pending = &mut self.echo[k].2;
            if let (false, Some((_, ep))) = (pending.is_empty(), self.ins.iter().find(|e| e.0 == i)) {
                let n = pending.len().min(usize::from(ep.max_packet_size()));
                if ep.write(&pending[..n]).is_ok() {
                    pending.drain(..n);
                }
            }
        }
    }
}

impl UsbClass<UsbIpBus> for Bridge<'_> {
    fn reset(&mut self) {
        self.in_xfers.clear();
        self.out_xfers.clear();
        self.node.send("CONFIGURED 0");
        self.node.send("RESET");
    }

    fn control_in(&mut self, xfer: ControlIn<UsbIpBus>) {
        let r = *xfer.request();
        if r.request_type == RequestType::Standard && r.recipient == Recipient::Device && r.request == Request::GET_DESCRIPTOR {
            match self.device_descriptor(&r) {
                Some(d) => self.accept_in(xfer, &d),
                None => {
                    let _ = xfer.reject();
                }
            }
            return;
        }
        if r.recipient == Recipient::Interface && (r.index as u8) < self.itf_max && r.request_type != RequestType::Standard {
            let _ = xfer.reject(); // the built-in driver's class requests STALL, as under `usbdesc serve`
            return;
        }
        if !self.for_micropython(&r) {
            return;
        }
        let setup = setup_bytes(&r);
        match self.ask(1, &setup, &[]) {
            Reply::Stall | Reply::Buf => {
                let _ = xfer.reject();
            }
            Reply::Ok => self.accept_in(xfer, &[]),
            Reply::Data(d) => {
                self.accept_in(xfer, &d);
                if r.length > 0 {
                    self.ask(2, &setup, &[]);
                }
                self.ask(3, &setup, &[]);
            }
        }
    }

    fn control_out(&mut self, xfer: ControlOut<UsbIpBus>) {
        let r = *xfer.request();
        if r.recipient == Recipient::Interface && (r.index as u8) < self.itf_max && r.request_type != RequestType::Standard {
            let _ = xfer.reject();
            return;
        }
        if !self.for_micropython(&r) {
            return;
        }
        let setup = setup_bytes(&r);
        let data = xfer.data().to_vec();
        let ok = match self.ask(1, &setup, &[]) {
            Reply::Stall | Reply::Data(_) => false,
            Reply::Ok => r.length == 0,
            Reply::Buf => !matches!(self.ask(2, &setup, &data), Reply::Stall),
        };
        if !ok {
            let _ = xfer.reject();
            return;
        }
        let _ = xfer.accept();
        self.ask(3, &setup, &[]);
    }

    fn endpoint_in_complete(&mut self, addr: EndpointAddress) {
        let a = u8::from(addr);
        let Some((data, sent)) = self.in_xfers.get(&a) else { return };
        if *sent >= data.len() {
            let n = data.len();
            self.in_xfers.remove(&a);
            self.node.send(&format!("XFER {a} 1 {n}"));
        } else {
            self.start_in(a);
        }
    }

    fn endpoint_out(&mut self, addr: EndpointAddress) {
        let a = u8::from(addr);
        if self.echo.iter().any(|e| e.0 == a) {
            return; // read by pump()
        }
        let Some((len, got)) = self.out_xfers.get_mut(&a) else { return };
        let Some((_, ep)) = self.outs.iter().find(|e| e.0 == a) else { return };
        let mut b = [0u8; 1024];
        let Ok(n) = ep.read(&mut b) else { return };
        got.extend_from_slice(&b[..n]);
        if n < usize::from(ep.max_packet_size()) || got.len() >= *len {
            got.truncate(*len);
            let line = format!("XFER {a} 1 {} {}", got.len(), hex(got));
            self.out_xfers.remove(&a);
            self.node.send(&line);
        }
    }
}

/// What to serve and where.
struct Options {
    toml: String,
    listen: std::net::SocketAddr,
    busid: String,
    input: Option<Vec<u8>>,
    micropython: String,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let (mut toml, mut listen, mut busid, mut input) = (None, "127.0.0.1:3240".to_string(), "1-1".to_string(), None);
    let mut micropython = default_micropython_dir();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_default(),
            "--busid" => busid = args.next().unwrap_or_default(),
            "--input" => input = args.next(),
            "--micropython" => micropython = args.next().unwrap_or_default(),
            _ => toml = Some(a),
        }
    }
    let Some(toml) = toml else {
        eprintln!("usage: mpy_bridge DEVICE.toml [--listen ADDR] [--busid 1-1] [--input HEX] [--micropython DIR]");
        std::process::exit(64);
    };
    let Ok(listen) = listen.parse() else { fail("bad --listen address".into()) };
    let input = input.map(|h| unhex(&h).unwrap_or_else(|| fail(format!("--input {h}: not hex"))));
    Options { toml, listen, busid, input, micropython }
}

/// `$USBDESC_MICROPYTHON_DIR`, else where scripts/install-deps.sh installs the npm package.
fn default_micropython_dir() -> String {
    std::env::var("USBDESC_MICROPYTHON_DIR").unwrap_or_else(|_| format!("{}/.cache/usbdesc/micropython", std::env::var("HOME").unwrap_or_default()))
}

fn main() {
    let o = options();
    let parent = std::os::unix::process::parent_id();
    run(
        &o,
        |port| {
            println!("LISTEN {port}");
            let _ = std::io::stdout().flush();
        },
        |e| {
            println!("{e}");
            let _ = std::io::stdout().flush();
        },
        // Started by another process (the harness): end with it, and so does node.
        &|| std::os::unix::process::parent_id() != parent,
    );
}

/// Starts MicroPython, waits for `active(True)`, serves the device; `ready` gets the port bound,
/// `events` each event line. Returns when `stop()` says so (checked twice a second).
fn run(o: &Options, ready: impl FnOnce(u16), events: impl FnMut(&str), stop: &dyn Fn() -> bool) {
    let toml = &o.toml;
    let text = std::fs::read_to_string(toml).unwrap_or_else(|e| fail(format!("{toml}: {e}")));
    let c = usbdesc_compiler::compile_str(toml, &text);
    let Some(dev) = c.device.as_ref() else { fail(c.render()) };
    let diags = usbdesc_compiler::emit::micropython::check(dev);
    if diags.has_errors() {
        fail(format!("{toml}: cannot be served by MicroPython"));
    }
    if dev.builtin.as_ref().is_some_and(|b| b.config_bytes != MICROPYTHON_CDC.config_bytes) {
        fail("the bridge's built-in driver is MicroPython's CDC-ACM (preset micropython-cdc)".into());
    }
    let uses_ids = usbdesc_compiler::tables::RuntimeTables::from_device(dev).hid.first().is_some_and(|h| h.reports.iter().any(|r| r.id != 0));
    let (input_id, input_data) = match &o.input {
        Some(b) if uses_ids && !b.is_empty() => (b[0], Some(b[1..].to_vec())),
        Some(b) => (0, Some(b.clone())),
        None => (0, None),
    };

    // The MicroPython file system: the generated module, the machine shim, the app.
    let dir = std::env::temp_dir().join(format!("usbdesc-mpy-bridge-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let header = [9u8, 2, 0, 0, MICROPYTHON_CDC.itf_max, 1, 0, 0x80, 125];
    let mut builtin_cfg = header.to_vec();
    builtin_cfg.extend_from_slice(MICROPYTHON_CDC.config_bytes);
    let total = builtin_cfg.len() as u16;
    builtin_cfg[2..4].copy_from_slice(&total.to_le_bytes());
    let files = [
        ("usb_desc.py", usbdesc_compiler::emit::micropython::module(dev, toml)),
        ("machine.py", MACHINE_PY.to_string()),
        ("main.py", APP_PY.to_string()),
        ("run.mjs", RUN_MJS.to_string()),
        (
            "_bridge_builtin.py",
            format!(
                "ITF_MAX = {}\nEP_MAX = {}\nSTR_MAX = {}\nDESC_DEV = {}\nDESC_CFG = {}\n",
                MICROPYTHON_CDC.itf_max,
                MICROPYTHON_CDC.ep_max,
                MICROPYTHON_CDC.str_max,
                py_bytes(&[18, 1, 0, 2, 0xef, 2, 1, 64, 0x8a, 0x2e, 5, 0, 0, 1, 1, 2, 3, 1]),
                py_bytes(&builtin_cfg)
            ),
        ),
        (
            "_bridge_app.py",
            format!(
                "INPUT_ID = {input_id}\nINPUT_DATA = {}\nUSES_REPORT_IDS = {}\n",
                input_data.as_deref().map(py_bytes).unwrap_or_else(|| "None".into()),
                if uses_ids { "True" } else { "False" }
            ),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| fail(format!("{}: {e}", dir.join(name).display())));
    }
    let node = Node::start(&o.micropython, &dir);
    let desc = wait_active(&node);
    let _ = std::fs::remove_dir_all(&dir);
    let itf_max = if desc.configuration.get(9..9 + MICROPYTHON_CDC.config_bytes.len()) == Some(MICROPYTHON_CDC.config_bytes) { MICROPYTHON_CDC.itf_max } else { 0 };

    let bus = UsbIpBus::new(Config { listen: o.listen, busid: o.busid.clone(), ..Config::default() }).unwrap_or_else(|e| fail(format!("cannot listen on {}: {e}", o.listen)));
    let port = bus.local_addr().port();
    let alloc = UsbBusAllocator::new(bus);
    let (vid, pid) = match desc.device.get(8..12) {
        Some(b) => (u16::from_le_bytes([b[0], b[1]]), u16::from_le_bytes([b[2], b[3]])),
        None => fail("desc_dev is shorter than a device descriptor".into()),
    };
    let ep0 = desc.device[7];
    let mut bridge = Bridge::new(&alloc, node, desc, itf_max, Box::new(events));
    let mut usb = UsbDeviceBuilder::new(&alloc, UsbVidPid(vid, pid))
        .max_packet_size_0(ep0)
        .unwrap_or_else(|e| fail(format!("bMaxPacketSize0 {ep0}: {e:?}")))
        .build();
    ready(port);
    let mut configured = false;
    let mut checked = Instant::now();
    loop {
        if checked.elapsed() > Duration::from_millis(500) {
            checked = Instant::now();
            if stop() {
                let _ = bridge.node.child.kill();
                let _ = bridge.node.child.wait();
                return;
            }
        }
        if !usb.poll(&mut [&mut bridge]) {
            usb.bus().wait(Duration::from_millis(1));
        }
        let now = usb.state() == UsbDeviceState::Configured;
        if now != configured {
            configured = now;
            bridge.node.send(if now { "CONFIGURED 1" } else { "CONFIGURED 0" });
            if now {
                for (off, len) in runtime_interfaces(&bridge.desc.configuration, itf_max) {
                    bridge.node.send(&format!("OPEN {off} {len}"));
                }
            }
        }
        bridge.pump();
        if let Ok(Some(status)) = bridge.node.child.try_wait() {
            fail(format!("MicroPython (node) exited: {status}"));
        }
    }
}

#[cfg(test)]
#[path = "../../tests/client/mod.rs"]
mod client;

/// The bridge against the project's USB/IP test client (no kernel): the generated module answers
/// in MicroPython. The real-kernel run is `micropython-hid-mpy` in scripts/realhost.sh.
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn generated_module_in_micropython_serves_the_keyboard_over_usbip() {
        let mp = default_micropython_dir();
        assert!(std::path::Path::new(&mp).join("node_modules/@micropython/micropython-webassembly-pyscript").is_dir(), "MicroPython not in {mp}: run scripts/install-deps.sh");
        let toml = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/micropython-hid.toml").to_string();
        let input = vec![0, 0, 0x1f, 0, 0, 0, 0, 0];
        let o = Options { toml: toml.clone(), listen: "127.0.0.1:0".parse().unwrap(), busid: "1-1".into(), input: Some(input.clone()), micropython: mp };
        let (port_tx, port_rx) = mpsc::channel();
        let (ev_tx, ev_rx) = mpsc::channel::<String>();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let server = std::thread::spawn(move || run(&o, |p| port_tx.send(p).unwrap(), |e| ev_tx.send(e.to_string()).unwrap(), &|| stop2.load(Ordering::Relaxed)));
        let port: u16 = port_rx.recv_timeout(Duration::from_secs(30)).expect("the bridge serves");
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));

        let dev = usbdesc_compiler::compile_file(std::path::Path::new(&toml)).unwrap().device.unwrap();
        let t = usbdesc_compiler::tables::RuntimeTables::from_device(&dev);
        let (status, c) = client::import(addr, "1-1");
        assert_eq!(status, 0);
        let mut c = c.unwrap();
        assert_eq!(c.get_descriptor(1, 0, 18).data, t.device);
        assert_eq!(c.get_descriptor(2, 0, 512).data, t.configurations[0]);
        assert_eq!(c.get_descriptor(3, 5, 255).data, string_descriptor("MicroPython"));
        assert_eq!(c.get_descriptor(3, 4, 255).data, string_descriptor("Board CDC"));
        c.configure();
        // GET_DESCRIPTOR(Report) and (HID) of interface 2: control_xfer_cb in MicroPython.
        assert_eq!(c.control([0x81, 6, 0, 0x22, 2, 0, 255, 0], &[]).data, t.hid[0].report_descriptor);
        assert_eq!(c.control([0x81, 6, 0, 0x21, 2, 0, 9, 0], &[]).data, t.hid[0].hid_descriptor);
        // The input report the app sends through usb_desc.send() every tick.
        c.submit(3, true, 8, [0; 8], &[]);
        let r = c.ret();
        assert_eq!((r.status, r.data), (0, input));
        // SET_REPORT(Output) reaches on_output; GET_REPORT of an undeclared ID STALLs (-32).
        assert_eq!(c.control([0x21, 9, 0, 2, 2, 0, 1, 0], &[0x01]).status, 0);
        assert_eq!(ev_rx.recv_timeout(Duration::from_secs(5)).unwrap(), "OUTPUT 2 01");
        assert_eq!(c.control([0xa1, 1, 4, 3, 2, 0, 64, 0], &[]).status, -32);
        // SET_IDLE / GET_IDLE, and the built-in CDC's class requests STALL.
        assert_eq!(c.control([0x21, 0x0a, 0, 0x7d, 2, 0, 0, 0], &[]).status, 0);
        assert_eq!(c.control([0xa1, 2, 0, 0, 2, 0, 1, 0], &[]).data, [0x7d]);
        assert_eq!(c.control([0xa1, 0x21, 0, 0, 0, 0, 7, 0], &[]).status, -32);
        stop.store(true, Ordering::Relaxed);
        server.join().unwrap();
    }
}

#[cfg(test)]
mod function_tests {
    use super::runtime_interfaces;

    /// An IAD is opened with its interfaces, once; a lone interface with its alternate settings.
    #[test]
    fn open_itf_cb_gets_each_function_once() {
        let mut cfg = vec![9, 2, 0, 0, 4, 1, 0, 0x80, 50];
        let iad = cfg.len();
        cfg.extend([8, 0x0b, 1, 2, 2, 2, 0, 0]); // IAD: interfaces 1-2
        cfg.extend([9, 4, 1, 0, 1, 2, 2, 0, 0, 7, 5, 0x81, 3, 8, 0, 16]);
        cfg.extend([9, 4, 2, 0, 0, 10, 0, 0, 0]);
        let lone = cfg.len();
        cfg.extend([9, 4, 3, 0, 0, 3, 0, 0, 0, 9, 4, 3, 1, 0, 3, 0, 0, 0]); // interface 3, alt 0 and 1
        let builtin = cfg.len();
        cfg.extend([9, 4, 0, 0, 0, 0xff, 0, 0, 0]); // interface 0: built-in (below itf_max)
        assert_eq!(runtime_interfaces(&cfg, 1), vec![(iad, lone - iad), (lone, builtin - lone)]);
        assert_eq!(runtime_interfaces(&cfg, 0).len(), 3);
    }
}
