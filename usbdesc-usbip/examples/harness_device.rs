//! Harness device: serves one example device over USB/IP for the real-kernel acceptance harness.
//!
//! ```text
//! cargo run -p usbdesc-usbip --example harness_device -- DEVICE --listen 127.0.0.1:3241 --expect out.json
//! ```
//! DEVICE is one of `keyboard`, `vendor`, `composite`, `broken-keyboard`. The process writes the
//! expectations JSON (see harness/README.md) once it can read its own descriptors back, then prints
//! what the host sends it on stdout, one event a line:
//! `OUTPUT <hex>` (interrupt OUT data), `SET_REPORT <type> <id> <hex>`, `STATE <usb state>`.
//!
//! The devices are built with usb-device + usbd-hid 0.10 today; the usbdesc runtime replaces them by
//! serving compiled descriptors (only this file changes; the harness reads the JSON).

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::json;
use usb_device::bus::{UsbBus, UsbBusAllocator};
use usb_device::class::{ControlIn, UsbClass};
use usb_device::control::{Recipient, RequestType};
use usb_device::device::StringDescriptors;
use usb_device::prelude::*;
use usbd_hid::descriptor::{KeyboardReport, MouseReport, SerializedDescriptor};
use usbd_hid::hid_class::{
    HIDClass, HidClassSettings, HidCountryCode, HidProtocol, HidSubClass, ProtocolModeConfig,
};
use usbdesc_usbip::{BusHandle, Config, Faults, UsbIpBus};

/// One field as the kernel's HID parser lists it (`/sys/kernel/debug/hid/*/rdesc`).
struct Field {
    kind: &'static str,
    id: u8,
    size: u32,
    count: u32,
    offset: u32,
    min: i32,
    max: i32,
}

const fn f(
    kind: &'static str,
    id: u8,
    size: u32,
    count: u32,
    offset: u32,
    min: i32,
    max: i32,
) -> Field {
    Field {
        kind,
        id,
        size,
        count,
        offset,
        min,
        max,
    }
}

/// What the guest does with one HID interface and what it must observe.
struct HidPlan {
    interface: u8,
    report_descriptor: &'static [u8],
    layout: &'static [Field],
    /// Input report the device sends (report ID first when the descriptor has IDs).
    input: &'static [u8],
    /// Written to hidraw (first byte: report ID, 0 if none) and what the device must receive.
    output: Option<(&'static [u8], &'static [u8])>,
    /// Feature reports the device answers to GET_REPORT (ID, full report incl. ID).
    features: &'static [(u8, &'static [u8])],
    /// HIDIOCSFEATURE buffer; the device must see it as SET_REPORT(Feature, buf[0]) with data buf.
    feature_set: Option<&'static [u8]>,
    /// A report ID the device does not declare: GET_REPORT must STALL (EPIPE).
    missing_id: Option<u8>,
}

struct Spec {
    name: &'static str,
    vid: u16,
    pid: u16,
    manufacturer: &'static str,
    product: &'static str,
    serial: &'static str,
    ep0: u8,
    hid: HidPlan,
    drivers: &'static [&'static str],
    faults: Faults,
    /// The kernel must refuse this device (the harness's proof that it can fail).
    expect_reject: bool,
}

// ---- the example devices ----------------------------------------------------------------------

/// Layout of usbd-hid's KeyboardReport descriptor as HID 1.11 reads it (no report IDs).
const KEYBOARD_LAYOUT: &[Field] = &[
    f("INPUT", 0, 1, 8, 0, 0, 1),    // modifiers E0..E7
    f("INPUT", 0, 8, 1, 8, 0, 255),  // reserved byte (constant, but has usages 0..FF)
    f("INPUT", 0, 8, 6, 16, 0, 255), // key array, usages 00..DD, logical 0..255
    f("OUTPUT", 0, 1, 5, 0, 0, 1),   // LEDs 1..5 (3 padding bits have no usage: not a field)
];

/// Vendor device with report IDs, input + two feature reports (one longer than EP0's packet).
#[rustfmt::skip]
const VENDOR_RDESC: &[u8] = &[
    0x06, 0x00, 0xff,       // Usage Page (Vendor 0xFF00)
    0x09, 0x01,             // Usage (1)
    0xa1, 0x01,             // Collection (Application)
    0x85, 0x01,             //   Report ID (1)
    0x09, 0x02,             //   Usage (2)
    0x15, 0x00,             //   Logical Minimum (0)
    0x26, 0xff, 0x00,       //   Logical Maximum (255)
    0x75, 0x08,             //   Report Size (8)
    0x95, 0x04,             //   Report Count (4)
    0x81, 0x02,             //   Input (Data,Var,Abs)
    0x85, 0x02,             //   Report ID (2)
    0x09, 0x03,             //   Usage (3)
    0x95, 0x06,             //   Report Count (6)
    0xb1, 0x02,             //   Feature (Data,Var,Abs)
    0x85, 0x03,             //   Report ID (3)
    0x09, 0x04,             //   Usage (4)
    0x15, 0x81,             //   Logical Minimum (-127)
    0x25, 0x7f,             //   Logical Maximum (127)
    0x95, 0x28,             //   Report Count (40)
    0xb1, 0x02,             //   Feature (Data,Var,Abs)
    0xc0,                   // End Collection
];
const VENDOR_LAYOUT: &[Field] = &[
    f("INPUT", 1, 8, 4, 0, 0, 255),
    f("FEATURE", 2, 8, 6, 0, 0, 255),
    f("FEATURE", 3, 8, 40, 0, -127, 127),
];
const VENDOR_FEATURE_3: &[u8] = &[
    3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, //
    21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 0x80,
];

/// usbd-hid's MouseReport: 8 buttons, X/Y/wheel relative, AC Pan.
const MOUSE_LAYOUT: &[Field] = &[
    f("INPUT", 0, 1, 8, 0, 0, 1),
    f("INPUT", 0, 8, 1, 8, -127, 127),
    f("INPUT", 0, 8, 1, 16, -127, 127),
    f("INPUT", 0, 8, 1, 24, -127, 127),
    f("INPUT", 0, 8, 1, 32, -127, 127),
];

fn keyboard(name: &'static str, faults: Faults, expect_reject: bool) -> Spec {
    Spec {
        name,
        vid: 0x16c0,
        pid: 0x27db,
        manufacturer: "usbdesc harness",
        product: "Harness Keyboard",
        serial: "KB-0001",
        ep0: 8,
        hid: HidPlan {
            interface: 0,
            report_descriptor: KeyboardReport::desc(),
            layout: KEYBOARD_LAYOUT,
            input: &[0x02, 0x00, 0x04, 0x05, 0, 0, 0, 0], // Left Shift + a, b
            output: Some((&[0x00, 0x05], &[0x05])),       // Num Lock + Scroll Lock
            features: &[],
            feature_set: None,
            missing_id: Some(7),
        },
        drivers: &["usbhid"],
        faults,
        expect_reject,
    }
}

fn lookup(name: &str) -> Option<Spec> {
    Some(match name {
        "keyboard" => keyboard("keyboard", Faults::default(), false),
        "broken-keyboard" => keyboard(
            "broken-keyboard",
            Faults {
                config_total_length_delta: -1,
            },
            true,
        ),
        "vendor" => Spec {
            name: "vendor",
            vid: 0x16c0,
            pid: 0x27dc,
            manufacturer: "usbdesc harness",
            product: "Harness Vendor Features",
            serial: "VF-0002",
            ep0: 16,
            hid: HidPlan {
                interface: 0,
                report_descriptor: VENDOR_RDESC,
                layout: VENDOR_LAYOUT,
                input: &[0x01, 0xde, 0xad, 0xbe, 0xef],
                output: None,
                features: &[
                    (2, &[2, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60]),
                    (3, VENDOR_FEATURE_3),
                ],
                feature_set: Some(&[2, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6]),
                missing_id: Some(9),
            },
            drivers: &["usbhid"],
            faults: Faults::default(),
            expect_reject: false,
        },
        "composite" => Spec {
            name: "composite",
            vid: 0x16c0,
            pid: 0x27dd,
            manufacturer: "usbdesc harness",
            product: "Harness Serial+Mouse",
            serial: "CM-0003",
            ep0: 64,
            hid: HidPlan {
                interface: 2,
                report_descriptor: MouseReport::desc(),
                layout: MOUSE_LAYOUT,
                input: &[0x01, 0x05, 0xfd, 0x00, 0x00],
                output: None,
                features: &[],
                feature_set: None,
                missing_id: Some(4),
            },
            drivers: &["cdc_acm", "usbhid"],
            faults: Faults::default(),
            expect_reject: false,
        },
        _ => return None,
    })
}

// ---- a tiny class answering GET_REPORT(Feature) before usbd-hid (which rejects them all) --------

struct FeatureResponder {
    interface: u16,
    reports: &'static [(u8, &'static [u8])],
}

impl<B: UsbBus> UsbClass<B> for FeatureResponder {
    fn control_in(&mut self, xfer: ControlIn<B>) {
        let r = *xfer.request();
        let get_feature = r.request_type == RequestType::Class
            && r.recipient == Recipient::Interface
            && r.request == 0x01
            && r.index == self.interface
            && (r.value >> 8) == 3;
        if !get_feature {
            return;
        }
        if let Some((_, data)) = self
            .reports
            .iter()
            .find(|(id, _)| *id as u16 == r.value & 0xff)
        {
            xfer.accept_with_static(data).ok();
        }
        // Unknown IDs fall through to usbd-hid, which STALLs.
    }
}

// ---- running -----------------------------------------------------------------------------------

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn event(line: &str) {
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{line}");
    let _ = o.flush();
}

/// Reads the device's own descriptors back through the bus and writes the expectations file.
fn write_expectations(spec: &Spec, handle: BusHandle, path: String, port: u16) {
    let (dev, cfg) = match handle.read_device_and_config() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("harness_device: cannot read own descriptors: {e:?}");
            std::process::exit(2);
        }
    };
    let h = &spec.hid;
    let layout: Vec<_> = h
        .layout
        .iter()
        .map(|x| json!({"kind": x.kind, "id": x.id, "size": x.size, "count": x.count, "offset": x.offset, "min": x.min, "max": x.max}))
        .collect();
    let doc = json!({
        "device": spec.name,
        "port": port,
        "vid": format!("{:04x}", spec.vid),
        "pid": format!("{:04x}", spec.pid),
        "descriptors": hex(&[dev, cfg].concat()),
        "strings": {"manufacturer": spec.manufacturer, "product": spec.product, "serial": spec.serial},
        "drivers": spec.drivers,
        "expect_reject": spec.expect_reject,
        "hid": [{
            "interface": h.interface,
            "report_descriptor": hex(h.report_descriptor),
            "layout": layout,
            "input": hex(h.input),
            "output_write": h.output.map(|o| hex(o.0)),
            "output_expect": h.output.map(|o| hex(o.1)),
            "features": h.features.iter().map(|(id, d)| json!({"id": id, "data": hex(d)})).collect::<Vec<_>>(),
            "feature_set": h.feature_set.map(hex),
            "missing_id": h.missing_id,
        }],
    });
    let tmp = format!("{path}.tmp");
    let text = serde_json::to_string_pretty(&doc).expect("json");
    if std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .is_err()
    {
        eprintln!("harness_device: cannot write {path}");
        std::process::exit(2);
    }
}

/// Per-loop HID duties: send the input report now and then, report what the host sent.
struct HidDriver {
    last_push: Instant,
}

impl HidDriver {
    fn service<B: UsbBus>(&mut self, hid: &mut HIDClass<'_, B>, plan: &HidPlan, configured: bool) {
        if configured
            && self.last_push.elapsed() >= Duration::from_millis(50)
            && hid.push_raw_input(plan.input).is_ok()
        {
            self.last_push = Instant::now();
        }
        let mut buf = [0u8; 64];
        if let Ok(n) = hid.pull_raw_output(&mut buf) {
            event(&format!("OUTPUT {}", hex(&buf[..n])));
        }
        let mut big = [0u8; 128];
        if let Ok(info) = hid.pull_raw_report(&mut big) {
            event(&format!(
                "SET_REPORT {} {} {}",
                info.report_type as u8,
                info.report_id,
                hex(&big[..info.len])
            ));
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut name, mut listen, mut expect) = (None, "127.0.0.1:3240".to_string(), None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_default(),
            "--expect" => expect = args.next(),
            _ => name = Some(a),
        }
    }
    let Some(spec) = name.as_deref().and_then(lookup) else {
        eprintln!("usage: harness_device keyboard|vendor|composite|broken-keyboard [--listen ADDR] [--expect FILE]");
        std::process::exit(64);
    };
    let Ok(listen) = listen.parse() else {
        eprintln!("harness_device: bad --listen address");
        std::process::exit(64);
    };
    let bus = match UsbIpBus::new(Config {
        listen,
        faults: spec.faults,
        ..Config::default()
    }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("harness_device: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let port = bus.local_addr().port();
    if let Some(path) = expect {
        let handle = bus.handle();
        let s = lookup(spec.name).expect("known");
        std::thread::spawn(move || write_expectations(&s, handle, path, port));
    }
    let alloc = UsbBusAllocator::new(bus);
    let strings = StringDescriptors::default()
        .manufacturer(spec.manufacturer)
        .product(spec.product)
        .serial_number(spec.serial);
    if spec.name == "composite" {
        run_composite(&alloc, &spec, strings)
    } else {
        run_single(&alloc, &spec, strings)
    }
}

fn settings_for(spec: &Spec) -> HidClassSettings {
    let keyboard = spec.hid.output.is_some();
    HidClassSettings {
        subclass: if keyboard {
            HidSubClass::Boot
        } else {
            HidSubClass::NoSubClass
        },
        protocol: if keyboard {
            HidProtocol::Keyboard
        } else {
            HidProtocol::Generic
        },
        config: if keyboard {
            ProtocolModeConfig::ForceBoot
        } else {
            ProtocolModeConfig::DefaultBehavior
        },
        locale: HidCountryCode::NotSupported,
    }
}

fn run_single(alloc: &UsbBusAllocator<UsbIpBus>, spec: &Spec, strings: StringDescriptors<'_>) -> ! {
    let mut hid =
        HIDClass::new_with_settings(alloc, spec.hid.report_descriptor, 10, settings_for(spec));
    let mut features = FeatureResponder {
        interface: spec.hid.interface as u16,
        reports: spec.hid.features,
    };
    let mut dev = UsbDeviceBuilder::new(alloc, UsbVidPid(spec.vid, spec.pid))
        .strings(&[strings])
        .and_then(|b| b.max_packet_size_0(spec.ep0))
        .expect("valid builder settings")
        .build();
    let mut drv = HidDriver {
        last_push: Instant::now(),
    };
    let mut state = dev.state();
    loop {
        let busy = dev.poll(&mut [&mut features, &mut hid]);
        if dev.state() != state {
            state = dev.state();
            event(&format!("STATE {state:?}"));
        }
        drv.service(&mut hid, &spec.hid, state == UsbDeviceState::Configured);
        if !busy {
            dev.bus().wait(Duration::from_millis(5));
        }
    }
}

fn run_composite(
    alloc: &UsbBusAllocator<UsbIpBus>,
    spec: &Spec,
    strings: StringDescriptors<'_>,
) -> ! {
    let mut serial = usbd_serial::SerialPort::new(alloc);
    let mut hid = HIDClass::new_ep_in(alloc, spec.hid.report_descriptor, 10);
    let mut dev = UsbDeviceBuilder::new(alloc, UsbVidPid(spec.vid, spec.pid))
        .composite_with_iads()
        .strings(&[strings])
        .and_then(|b| b.max_packet_size_0(spec.ep0))
        .expect("valid builder settings")
        .build();
    let mut drv = HidDriver {
        last_push: Instant::now(),
    };
    let mut state = dev.state();
    loop {
        let busy = dev.poll(&mut [&mut serial, &mut hid]);
        if dev.state() != state {
            state = dev.state();
            event(&format!("STATE {state:?}"));
        }
        drv.service(&mut hid, &spec.hid, state == UsbDeviceState::Configured);
        // Echo the serial port (exercises bulk transfers both ways).
        let mut buf = [0u8; 64];
        if let Ok(n) = serial.read(&mut buf) {
            event(&format!("SERIAL {}", hex(&buf[..n])));
            let _ = serial.write(&buf[..n]);
        }
        if !busy {
            dev.bus().wait(Duration::from_millis(5));
        }
    }
}
