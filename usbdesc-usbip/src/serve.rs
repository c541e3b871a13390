//! `usbdesc serve`: a compiled device on the USB/IP bus, driven by the real runtime
//! (`usbdesc_runtime::UsbdescClass`). Input reports come in as text lines, output and feature
//! reports the host writes go out as text lines.
//!
//! Input lines: hex bytes of one input report (`01 02 0a`, `01020a`, `0x01,0x02`), ID byte first
//! when the interface uses report IDs, for the first HID interface; or JSON
//! `{"interface":N,"report":"01 02 .."}`. Output lines: `OUTPUT <itf> <hex>` for output reports (interrupt
//! OUT or SET_REPORT), `SET_REPORT 3 <id> <hex>` for feature reports (3: the HID report type),
//! hex as on the wire (ID byte first when the report has one), `ERROR ...` for an
//! input line that could not be sent.
//!
//! A device with a `[builtin]` driver is served with a silent stand-in for that driver
//! ([`crate::builtin::BuiltinStandIn`]): its descriptors are served verbatim with the rest of the
//! configuration, its class requests STALL, and `echo_bulk` loops its bulk pipes back.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use usb_device::bus::UsbBusAllocator;
use usb_device::class::UsbClass;
use usb_device::prelude::*;
use usbdesc_compiler::hid::item::ReportKind as CoreKind;
use usbdesc_compiler::tables::{BootKind, RuntimeTables};
use usbdesc_compiler::tomlr::parse_hex_bytes;
use usbdesc_runtime as rt;

use crate::{Config, UsbIpBus};

/// Why `serve` stopped.
#[derive(Debug)]
pub enum ServeError {
    /// The listen address could not be bound.
    Bind(SocketAddr, std::io::Error),
    /// The runtime refused the compiled tables.
    Init(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(a, e) => write!(f, "cannot listen on {a}: {e}"),
            ServeError::Init(e) => write!(f, "the runtime refused the device: {e}"),
        }
    }
}

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn kind(k: CoreKind) -> rt::ReportKind {
    match k {
        CoreKind::Input => rt::ReportKind::Input,
        CoreKind::Output => rt::ReportKind::Output,
        CoreKind::Feature => rt::ReportKind::Feature,
    }
}

fn transfer(attr: u8) -> rt::TransferType {
    match attr & 3 {
        0 => rt::TransferType::Control,
        1 => rt::TransferType::Isochronous,
        2 => rt::TransferType::Bulk,
        _ => rt::TransferType::Interrupt,
    }
}

/// The tables as the runtime's `&'static` model (leaked: a served device lives for the process).
pub fn leak_descriptors(t: &RuntimeTables) -> &'static rt::DeviceDescriptors {
    let strings = t
        .strings
        .iter()
        .map(|s| rt::StringDescriptor { index: s.index, langid: s.langid, bytes: leak(s.bytes.clone()) })
        .collect();
    let interfaces = t
        .interfaces
        .iter()
        .map(|i| rt::InterfaceInfo {
            number: i.number,
            alt_settings: i.alt_settings,
            class: i.class,
            subclass: i.subclass,
            protocol: i.protocol,
            builtin: i.builtin,
        })
        .collect();
    let endpoints = t
        .endpoints
        .iter()
        .map(|e| rt::EndpointInfo {
            address: e.address,
            interface: e.interface,
            alt_setting: e.alt_setting,
            transfer: transfer(e.attributes),
            attributes: e.attributes,
            max_packet_size: e.max_packet_size,
            interval: e.interval,
            builtin: e.builtin,
        })
        .collect();
    let hid = t
        .hid
        .iter()
        .map(|h| rt::HidInterface {
            interface: h.interface,
            hid_descriptor: leak(h.hid_descriptor.clone()),
            report_descriptor: leak(h.report_descriptor.clone()),
            in_endpoint: h.in_endpoint,
            out_endpoint: h.out_endpoint,
            boot: match h.boot {
                BootKind::None => rt::BootProtocol::None,
                BootKind::Keyboard => rt::BootProtocol::Keyboard,
                BootKind::Mouse => rt::BootProtocol::Mouse,
            },
            boot_input: h.boot_input.as_ref().map(|b| rt::BootInput {
                id: b.id,
                bytes: leak(b.bytes.iter().map(|x| rt::BootByte { bit_offset: x.bit_offset, bits: x.bits, signed: x.signed }).collect()),
            }),
            reports: leak(h.reports.iter().map(|r| rt::ReportInfo { kind: kind(r.kind), id: r.id, len: r.len }).collect()),
        })
        .collect();
    Box::leak(Box::new(rt::DeviceDescriptors {
        device: leak(t.device.clone()),
        configuration: leak(t.configurations.first().cloned().unwrap_or_default()),
        device_qualifier: t.device_qualifier.clone().map(leak),
        other_speed_configuration: t.other_speed_configuration.clone().map(leak),
        bos: t.bos.clone().map(leak),
        strings: leak(strings),
        vendor: leak(t.vendor.iter().map(|v| rt::VendorDescriptor { request: v.request, value: v.value, index: v.index, bytes: leak(v.bytes.clone()) }).collect()),
        interfaces: leak(interfaces),
        endpoints: leak(endpoints),
        hid: leak(hid),
        builtin: t.builtin.map(|b| rt::BuiltinOffsets { itf_max: b.itf_max, ep_max: b.ep_max, str_max: b.str_max }),
    }))
}

/// USB Audio 2.0 clock sources of the compiler's model as the runtime's `&'static` table (leaked).
pub fn leak_audio_clocks(clocks: &[usbdesc_compiler::class::uac2::Clock]) -> &'static [rt::audio::AudioClock] {
    leak(clocks.iter().map(|c| rt::audio::AudioClock { interface: c.interface, clock_id: c.id, controls: c.controls, rates: leak(c.rates.clone()) }).collect())
}

/// Parses one input line: `(interface, report bytes)`; `first_itf` is used for bare hex. Hex is
/// read by the core's parser (`tomlr::parse_hex_bytes`: "01 02", "0102", "0x01,0x02").
pub fn parse_input_line(line: &str, first_itf: u8) -> Result<(u8, Vec<u8>), String> {
    let line = line.trim();
    if line.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("bad JSON: {e}"))?;
        let itf = match v.get("interface") {
            None => first_itf,
            Some(n) => n.as_u64().and_then(|n| u8::try_from(n).ok()).ok_or("`interface` must be a number 0..=255")?,
        };
        let hex = v.get("report").and_then(|r| r.as_str()).ok_or("JSON needs `report`: a hex string")?;
        return Ok((itf, parse_hex_bytes(hex)?));
    }
    Ok((first_itf, parse_hex_bytes(line)?))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub busid: String,
    /// Echo what the host writes to a bulk OUT endpoint back on the bulk IN endpoint of the same
    /// interface (a loopback for CDC data interfaces and vendor pipes).
    pub echo_bulk: bool,
    /// What one USB/IP client can make the server hold, and its timeouts.
    pub limits: crate::Limits,
    /// Test-only fault injection of the bus (e.g. a wrong wTotalLength); leave at default.
    pub faults: crate::Faults,
    /// USB Audio 2.0 clock sources, answered by `usbdesc_runtime::audio::Uac2Clocks` (empty: none).
    pub audio_clocks: &'static [rt::audio::AudioClock],
}

impl Default for ServeOptions {
    fn default() -> Self {
        let c = Config::default();
        ServeOptions { listen: c.listen, busid: c.busid, echo_bulk: false, limits: c.limits, faults: c.faults, audio_clocks: &[] }
    }
}

/// A bound server, ready to [`Server::run`].
/// The served device's report-state arena (the firmware picks its own, much smaller): room for
/// a Surface Laptop Studio's 40 KB of reports; offsets stay within u16.
const STATE_BYTES: usize = 60 * 1024;

pub struct Server {
    bus: UsbIpBus,
    desc: &'static rt::DeviceDescriptors,
    /// (bulk OUT address, bulk IN address, bytes waiting to go back).
    echo: Vec<(u8, u8, Vec<u8>)>,
    audio_clocks: &'static [rt::audio::AudioClock],
}

/// Bulk OUT/IN endpoint pairs of the same interface (alternate setting 0).
fn bulk_pairs(t: &RuntimeTables) -> Vec<(u8, u8, Vec<u8>)> {
    let bulk = |e: &&usbdesc_compiler::tables::EndpointTable| e.attributes & 3 == 2 && e.alt_setting == 0;
    t.endpoints
        .iter()
        .filter(bulk)
        .filter(|o| o.address & 0x80 == 0)
        .filter_map(|o| {
            let i = t.endpoints.iter().filter(bulk).find(|i| i.address & 0x80 != 0 && i.interface == o.interface)?;
            Some((o.address, i.address, Vec::new()))
        })
        .collect()
}

impl Server {
    /// Binds the listener for the device's tables.
    pub fn bind(t: &RuntimeTables, o: &ServeOptions) -> Result<Server, ServeError> {
        let config = Config { listen: o.listen, busid: o.busid.clone(), limits: o.limits, faults: o.faults, ..Config::default() };
        let bus = UsbIpBus::new(config).map_err(|e| ServeError::Bind(o.listen, e))?;
        let echo = if o.echo_bulk { bulk_pairs(t) } else { Vec::new() };
        Ok(Server { bus, desc: leak_descriptors(t), echo, audio_clocks: o.audio_clocks })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.bus.local_addr()
    }

    /// Runs the device forever: input lines from `input` (read on a thread), host writes to `out`.
    /// Returns only on an init error.
    pub fn run(self, input: impl BufRead + Send + 'static, mut out: impl Write) -> Result<(), ServeError> {
        let desc = self.desc;
        let mut echo = self.echo;
        let (tx, rx) = mpsc::sync_channel::<String>(16);
        let mut pending: Option<((u8, Vec<u8>), String)> = None;
        std::thread::spawn(move || {
            for line in input.lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let alloc = UsbBusAllocator::new(self.bus);
        // The built-in driver comes first, as on the board.
        let mut builtin = crate::builtin::BuiltinStandIn::new(&alloc, desc).map_err(ServeError::Init)?;
        // Report state for every report of the device: room for the largest reports Linux takes
        // (usbhid allows 16384 bytes each; real tablets carry 7,487-byte ones).
        let mut class = rt::UsbdescClass::<_, STATE_BYTES, 16>::new(&alloc, desc).map_err(|e| ServeError::Init(format!("{e:?}")))?;
        // USB Audio 2.0 clock requests (CUR/RANGE of the sampling frequency), after the class.
        let mut audio = (!self.audio_clocks.is_empty()).then(|| rt::audio::Uac2Clocks::<8>::new(self.audio_clocks));
        let (vid, pid) = desc.vid_pid();
        let mut dev = UsbDeviceBuilder::new(&alloc, UsbVidPid(vid, pid))
            .max_packet_size_0(desc.max_packet_size_0())
            .map_err(|e| ServeError::Init(format!("{e:?}")))?
            .build();
        let first_itf = desc.hid.first().map(|h| h.interface).unwrap_or(0);
        let mut last = Instant::now();
        let mut buf = vec![0u8; STATE_BYTES];
        loop {
            let polled = {
                let mut classes: Vec<&mut dyn UsbClass<UsbIpBus>> = vec![&mut class];
                classes.extend(builtin.as_mut().map(|b| b as &mut dyn UsbClass<UsbIpBus>));
                classes.extend(audio.as_mut().map(|a| a as &mut dyn UsbClass<UsbIpBus>));
                dev.poll(&mut classes)
            };
            if !polled {
                alloc_wait(&dev);
            }
            for h in desc.hid {
                for r in h.reports {
                    let Some(n) = class.take_raw(h.interface, r.kind, r.id, &mut buf) else { continue };
                    let line = match r.kind {
                        rt::ReportKind::Output => format!("OUTPUT {} {}", h.interface, hex(&buf[..n])),
                        _ => format!("SET_REPORT 3 {} {}", r.id, hex(&buf[..n])),
                    };
                    let _ = writeln!(out, "{line}");
                    let _ = out.flush();
                }
            }
            for (out_addr, in_addr, pending) in echo.iter_mut() {
                let builtin = builtin.as_ref();
                if let Some(ep) = class.out_ep(*out_addr).or_else(|| builtin?.out_ep(*out_addr)) {
                    let mut b = [0u8; 64];
                    if let Ok(n) = ep.read(&mut b) {
                        pending.extend_from_slice(&b[..n]);
                    }
                }
                if let (false, Some(ep)) = (pending.is_empty(), class.in_ep(*in_addr).or_else(|| builtin?.in_ep(*in_addr))) {
                    let n = pending.len().min(usize::from(ep.max_packet_size()));
                    if ep.write(&pending[..n]).is_ok() {
                        pending.drain(..n);
                    }
                }
            }
            // One input report at a time: a busy endpoint (host not reading yet) keeps it pending,
            // and the bounded channel pushes back on the reader, so no line is dropped.
            loop {
                if pending.is_none() {
                    let Ok(line) = rx.try_recv() else { break };
                    if line.trim().is_empty() || line.trim_start().starts_with('#') {
                        continue;
                    }
                    match parse_input_line(&line, first_itf) {
                        Ok(r) => pending = Some((r, line)),
                        Err(e) => {
                            let _ = writeln!(out, "ERROR {e}: {}", line.trim());
                            let _ = out.flush();
                            continue;
                        }
                    }
                }
                let Some(((itf, bytes), line)) = &pending else { break };
                match class.send_raw(*itf, bytes) {
                    Err(rt::SendError::Busy) => break,
                    Ok(()) => {}
                    Err(e) => {
                        let _ = writeln!(out, "ERROR {e:?}: {}", line.trim());
                        let _ = out.flush();
                    }
                }
                pending = None;
            }
            let ms = last.elapsed().as_millis();
            if ms > 0 {
                class.tick_ms(ms.min(1000) as u16);
                last = Instant::now();
            }
        }
    }
}

fn alloc_wait(dev: &UsbDevice<'_, UsbIpBus>) {
    dev.bus().wait(Duration::from_millis(1));
}
