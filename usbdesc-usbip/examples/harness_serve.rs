//! Device command of the real-kernel harness (`harness/README.md`, "Plugging in a device"):
//! serves an example TOML device with `usbdesc serve` (the usbdesc runtime on `UsbIpBus`) and
//! writes the expectations from the compiler: descriptor bytes, report descriptors, the layout
//! table of `hid::ReportDescriptor::layout()`, and the declared strings.
//!
//! `harness_serve NAME --listen ADDR --expect FILE` with NAME one of keyboard, mouse, vendor
//! (examples/feature-vendor.toml), composite (examples/cdc-hid-composite.toml), micropython-hid
//! (examples/micropython-hid.toml: MicroPython's built-in CDC-ACM as `[builtin]`, served by a
//! silent stand-in, keyboard at interface 2), `<name>-mpy` such as micropython-hid-mpy or
//! vendor-mpy (the same device, but served by its generated MicroPython module running in
//! MicroPython through the `mpy_bridge` example, which must be built next to this one) and
//! broken-keyboard (keyboard with wTotalLength one too
//! small, which the kernel must reject) and uac2-headset (examples/uac2-headset.toml: USB Audio
//! 2.0, with the runtime's clock answers; snd-usb-audio must bind and read its rates) and uvc-camera
//! (examples/uvc-camera.toml: uvcvideo must bind it and parse every declared frame) and
//! webusb-winusb (examples/webusb-winusb.toml: a vendor device with a BOS; the guest reads the BOS
//! and the vendor descriptors through usbfs and checks one vendor request STALLs).
//! The names in `VARIANTS` (uac2-small-packet, uac2-many-rates, uvc-small-buffer) serve one of
//! those examples with one field changed.

use std::io::{BufReader, Read};
use std::time::Duration;

use serde_json::json;
use usbdesc_compiler::class::uac2::Clock;
use usbdesc_compiler::hid::item::ReportKind;
use usbdesc_compiler::tables::RuntimeTables;
use usbdesc_usbip::serve::{ServeOptions, Server};
use usbdesc_usbip::Faults;

/// What the guest does with a HID interface: the input report the device keeps sending and the
/// output report written to hidraw (ID byte first, 00 without IDs).
struct Plan {
    file: &'static str,
    input: &'static [u8],
    output_write: Option<&'static [u8]>,
    /// An undeclared report ID (GET_REPORT must STALL), or None when the device answers any ID.
    missing_id: Option<u8>,
    faults: Faults,
    expect_reject: bool,
    /// Run this firmware ELF in the emulated Feather M0 (`emu/`) with this key held, instead of
    /// serving the TOML with the host runtime; the output report must light the LED (D13).
    firmware: Option<Firmware>,
}

#[derive(Clone, Copy)]
struct Firmware {
    /// `firmware/` or `bench/` (each has its own target directory).
    workspace: &'static str,
    bin: &'static str,
    key: &'static str,
    /// A second key pressed and released every 20 emulated ms, with the report it adds: the
    /// firmware sends on changes only, so hidraw's first report is `input` or this one.
    pulse: Option<(&'static str, &'static [u8])>,
    /// errno of the 200-byte SET_REPORT(Feature) (110: atsamd-hal never lets usb-device STALL
    /// it; checked on fw-keyboard only, each costs the kernel's 5 s timeout), or None.
    long_set_feature_errno: Option<i32>,
}

fn plan(name: &str) -> Option<Plan> {
    // `<device>-mpy`: the device's generated MicroPython module behind mpy_bridge (no faults).
    if let Some(base) = name.strip_suffix("-mpy") {
        return plan(base).filter(|p| !p.expect_reject && p.faults == Faults::default());
    }
    let keyboard = |faults, expect_reject| Plan {
        file: "keyboard.toml",
        input: &[0x02, 0x00, 0x04, 0x05, 0, 0, 0, 0], // Left Shift + a, b
        output_write: Some(&[0x00, 0x05]),            // Num Lock + Scroll Lock
        missing_id: Some(7),
        faults,
        expect_reject,
        firmware: None,
    };
    // The firmware examples (firmware/feather, keys to GND on D5/D6/D9/D10, LED on D13), with
    // the report the firmware sends while the key is held.
    let fw = |file, bin, key, pulse, input, output_write, missing_id| Plan {
        file,
        input,
        output_write,
        missing_id: Some(missing_id),
        faults: Faults::default(),
        expect_reject: false,
        firmware: Some(Firmware { workspace: "firmware", bin, key, pulse, long_set_feature_errno: None }),
    };
    let caps: Option<&'static [u8]> = Some(&[0x00, 0x02]); // Caps Lock lights D13
    let key_a: &'static [u8] = &[0, 0, 0x04, 0, 0, 0, 0, 0];
    let key_ab: Option<(&str, &'static [u8])> = Some(("D6", &[0, 0, 0x04, 0x05, 0, 0, 0, 0])); // D6 adds b
    let pad: &'static [u8] = &[0x01, 0x01, 0x00]; // report 1, button 1
    let pad12: Option<(&str, &'static [u8])> = Some(("D6", &[0x01, 0x03, 0x00])); // buttons 1 and 2
    let led2: Option<&'static [u8]> = Some(&[0x02, 0x01]); // report 2, LED 1
    Some(match name {
        "fw-keyboard" => {
            let mut p = fw("feather-keyboard.toml", "keyboard", "D5", key_ab, key_a, caps, 7);
            if let Some(f) = p.firmware.as_mut() {
                f.long_set_feature_errno = Some(110);
            }
            p
        }
        "fw-mouse" => fw("feather-mouse.toml", "mouse", "D6", None, &[0x00, 0x04, 0x00, 0x00], None, 4),
        "fw-keypad" => fw("feather-keypad.toml", "keypad", "D5", pad12, pad, led2, 9),
        "fw-composite" => fw("feather-composite.toml", "composite", "D5", pad12, pad, led2, 9),
        // bench/board's loop reads D5 only: one report while held, so no second key.
        "fw-keyboard-bench" => fw("../firmware/keyboard/keyboard.toml", "keyboard-bench", "D5", None, key_a, caps, 7),
        // The peer firmware with the same wire bytes (bench/fw-floor): a check of the emulator.
        // The usbd-hid and usbd-human-interface-device peers (bench/), with the descriptors
        // they serve in bench/peers/*.toml: a cross-check of the emulator on other classes.
        "fw-usbd-hid" | "fw-uhid" => {
            let (file, bin) = match name {
                "fw-usbd-hid" => ("../bench/peers/usbd-hid.toml", "fw-usbd-hid"),
                _ => ("../bench/peers/uhid.toml", "fw-uhid"),
            };
            Plan {
                firmware: Some(Firmware { workspace: "bench", bin, key: "D5", pulse: None, long_set_feature_errno: None }),
                ..fw(file, "", "D5", None, key_a, caps, 7)
            }
        }
        // The floor's hand-written class answers GET_REPORT with the input report whatever the
        // ID, so there is no undeclared-ID STALL to check there.
        "fw-floor" => Plan {
            firmware: Some(Firmware { workspace: "bench", bin: "fw-floor", key: "D5", pulse: None, long_set_feature_errno: None }),
            missing_id: None,
            ..fw("../firmware/keyboard/keyboard.toml", "", "D5", None, key_a, caps, 7)
        },
        "keyboard" => keyboard(Faults::default(), false),
        "broken-keyboard" => keyboard(Faults { config_total_length_delta: -1 }, true),
        "mouse" => Plan {
            file: "mouse.toml",
            input: &[0x01, 0x05, 0xfd], // left button, X +5, Y -3
            output_write: None,
            missing_id: Some(4),
            faults: Faults::default(),
            expect_reject: false,
            firmware: None,
        },
        "vendor" => Plan {
            file: "feature-vendor.toml",
            input: &[0x01, 0xde, 0xad, 0xbe, 0xef],
            output_write: None,
            missing_id: Some(9),
            faults: Faults::default(),
            expect_reject: false,
            firmware: None,
        },
        "composite" => Plan {
            file: "cdc-hid-composite.toml",
            input: &[0x00, 0x00, 0x1e, 0, 0, 0, 0, 0], // '1'
            output_write: Some(&[0x00, 0x02]),         // Caps Lock, through SET_REPORT (no OUT endpoint)
            missing_id: Some(4),
            faults: Faults::default(),
            expect_reject: false,
            firmware: None,
        },
        // USB Audio 2.0: no HID; snd-usb-audio must bind and read the clock's rates.
        "uac2-headset" => no_hid("uac2-headset.toml"),
        // No HID: the guest checks uvcvideo's binding, video nodes and the frames it parsed.
        "uvc-camera" => no_hid("uvc-camera.toml"),
        // No HID, no driver: the guest reads the BOS and the vendor descriptors through usbfs.
        "webusb-winusb" => no_hid("webusb-winusb.toml"),
        _ if variant(name).is_some() => no_hid(variant(name)?.file),
        "micropython-hid" => Plan {
            file: "micropython-hid.toml",
            input: &[0x00, 0x00, 0x1f, 0, 0, 0, 0, 0], // '2'
            output_write: Some(&[0x00, 0x01]),         // Num Lock, through SET_REPORT (no OUT endpoint)
            missing_id: Some(4),
            faults: Faults::default(),
            expect_reject: false,
            firmware: None,
        },
        _ => return None,
    })
}

/// A class example with one field changed, and the diagnostic that change raises allowed, so it
/// compiles whatever that diagnostic's severity: what the kernel does with the case decides it
/// (harness/README.md, "Diagnostic variants"; not in scripts/realhost.sh's default list).
struct Variant {
    name: &'static str,
    file: &'static str,
    allow: &'static str,
    /// The text replaced (it must occur exactly once in the example) and its replacement.
    from: &'static str,
    to: &'static str,
}

const VARIANTS: &[Variant] = &[
    // UD5405: the speaker's 16-bit alternate setting carries 128 of the 192 bytes a 1 ms frame needs.
    Variant { name: "uac2-small-packet", file: "uac2-headset.toml", allow: "UD5405", from: "max_packet_size = 196      # (48 + 1) samples", to: "max_packet_size = 128      # too small: (48 + 1) samples" },
    // UD5406: twelve rates on the clock, more than the runtime's RANGE answer holds.
    Variant {
        name: "uac2-many-rates",
        file: "uac2-headset.toml",
        allow: "UD5406",
        from: "rates = [48000]",
        to: "rates = [48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 6000, 5512, 4000]",
    },
    // UD5503: the default YUY2 frame (640x480, 614400 bytes) declares half of that as its buffer.
    Variant { name: "uvc-small-buffer", file: "uvc-camera.toml", allow: "UD5503", from: "fps = [5, 1] }", to: "fps = [5, 1], max_frame_size = 307200 }" },
];

fn variant(name: &str) -> Option<&'static Variant> {
    VARIANTS.iter().find(|v| v.name == name)
}

impl Variant {
    fn apply(&self, text: &str) -> String {
        if text.matches(self.from).count() != 1 {
            fail(format!("{}: `{}` does not occur exactly once in {}", self.name, self.from, self.file));
        }
        format!("allow = [\"{}\"]\n{}", self.allow, text.replacen(self.from, self.to, 1))
    }
}

/// A device with no HID interface: the guest checks only its class driver.
fn no_hid(file: &'static str) -> Plan {
    Plan { file, input: &[], output_write: None, missing_id: None, faults: Faults::default(), expect_reject: false, firmware: None }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn fail(msg: String) -> ! {
    eprintln!("harness_serve: {msg}");
    std::process::exit(2)
}

/// A declared string (first language) by its index in the device descriptor, "" when absent.
fn string(t: &RuntimeTables, index: u8) -> String {
    let Some(s) = t.strings.iter().find(|s| s.index == index && index != 0) else { return String::new() };
    let units: Vec<u16> = s.bytes.get(2..).unwrap_or(&[]).chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

fn expectations(name: &str, p: &Plan, t: &RuntimeTables, clocks: &[Clock], frames: &[String], port: u16) -> serde_json::Value {
    let mut drivers = Vec::new();
    if t.interfaces.iter().any(|i| i.class == 0x02) {
        drivers.push("cdc_acm");
    }
    if !t.hid.is_empty() {
        drivers.push("usbhid");
    }
    if t.interfaces.iter().any(|i| i.class == 0x01) {
        drivers.push("snd-usb-audio");
    }
    if t.interfaces.iter().any(|i| i.class == 0x0E) {
        drivers.push("uvcvideo");
    }
    let hid: Vec<_> = t
        .hid
        .iter()
        .map(|h| {
            let features: Vec<_> = h
                .reports
                .iter()
                .filter(|r| r.kind == ReportKind::Feature)
                .map(|r| {
                    // The runtime answers GET_REPORT(Feature) with the current value: zeros
                    // until the host sets it.
                    let mut d = vec![0u8; usize::from(r.len)];
                    if r.id != 0 {
                        d[0] = r.id;
                    }
                    json!({"id": r.id, "data": hex(&d)})
                })
                .collect();
            let feature_set = h.reports.iter().find(|r| r.kind == ReportKind::Feature).map(|r| {
                let mut d: Vec<u8> = (0..r.len).map(|i| 0xa1u8.wrapping_add((i as u8).wrapping_mul(0x11))).collect();
                if r.id != 0 {
                    d[0] = r.id;
                }
                hex(&d)
            });
            let has_output = h.reports.iter().any(|r| r.kind == ReportKind::Output);
            let output_write = p.output_write.filter(|_| has_output);
            json!({
                "interface": h.interface,
                "report_descriptor": hex(&h.report_descriptor),
                "layout": h.layout.kernel_fields(),
                "input": match p.firmware.map(|f| f.pulse) {
                    Some(Some((_, alt))) => json!([hex(p.input), hex(alt)]),
                    // One report per key press, read by the VT keyboard handler before hidraw
                    // opens (the mouse repeats its report while the key is held).
                    Some(None) if p.file != "feather-mouse.toml" => json!(null),
                    _ => json!(hex(p.input)),
                },
                "long_set_feature_errno": match p.firmware {
                    Some(f) => json!(f.long_set_feature_errno),
                    None => json!(32),
                },
                "output_write": output_write.map(hex),
                // The device prints `OUTPUT <itf> <report bytes>` (ID byte only when IDs are used).
                // An emulated firmware shows it on the LED pin (`OUTPUT LED D13 1` from emu/).
                "output_expect": output_write.map(|w| match p.firmware {
                    Some(_) => "LED D13 1".to_string(),
                    None => format!("{} {}", h.interface, hex(if w[0] == 0 { &w[1..] } else { w })),
                }),
                "features": features,
                "feature_set": feature_set,
                "missing_id": p.missing_id,
            })
        })
        .collect();
    let cfg = t.configurations.first().cloned().unwrap_or_default();
    json!({
        "device": name,
        "port": port,
        "vid": format!("{:02x}{:02x}", t.device[9], t.device[8]),
        "pid": format!("{:02x}{:02x}", t.device[11], t.device[10]),
        "descriptors": hex(&[t.device.as_slice(), &cfg].concat()),
        "strings": {"manufacturer": string(t, t.device[14]), "product": string(t, t.device[15]), "serial": string(t, t.device[16])},
        "drivers": drivers,
        // snd-usb-audio's card (named by the product string) and the rates it read (RANGE).
        "audio": (!clocks.is_empty()).then(|| json!({
            "card": string(t, t.device[15]),
            // The runtime's RANGE answer holds the first MAX_RATES rates of a clock.
            "rates": clocks.iter().flat_map(|c| c.rates.iter().take(usbdesc_runtime::audio::MAX_RATES).copied()).collect::<std::collections::BTreeSet<u32>>(),
        })),
        "expect_reject": p.expect_reject,
        "hid": hid,
        "video_frames": frames,
        // BOS (GET_DESCRIPTOR 0x0F00) and the descriptors served on vendor requests, as compiled.
        "bos": t.bos.as_deref().map(hex),
        "vendor": t.vendor.iter().map(|v| json!({
            "name": v.name, "request": v.request, "value": v.value, "index": v.index, "bytes": hex(&v.bytes),
        })).collect::<Vec<_>>(),
        "vendor_stall": vendor_stall(t),
    })
}

/// A vendor request the device must STALL: the first vendor code it serves, with a wIndex that
/// code does not serve (the runtime STALLs unknown requests on its own codes).
fn vendor_stall(t: &RuntimeTables) -> Option<serde_json::Value> {
    let first = t.vendor.first()?;
    let used = |i: u16| t.vendor.iter().any(|v| v.request == first.request && v.index == i);
    let index = (3..=u16::MAX).find(|&i| !used(i))?;
    Some(json!({"request": first.request, "value": first.value, "index": index}))
}

/// `WIDTHxHEIGHT (F.f fps)` of every UVC frame the compiler typed (uncompressed and MJPEG), in
/// order: the frames uvcvideo must report parsing, with the default rate it prints
/// (10^7 / dwDefaultFrameInterval, one decimal, truncated).
fn video_frames(dev: &usbdesc_compiler::model::Device) -> Vec<String> {
    use usbdesc_compiler::class::uvc::VideoItem;
    let items = dev.configurations.iter().flat_map(|c| c.interfaces()).flat_map(|i| i.items.iter());
    items
        .filter_map(|i| match i.class::<VideoItem>() {
            Some(VideoItem::Frame(f)) => {
                let interval = f.default_interval.max(1);
                Some(format!("{}x{} ({}.{} fps)", f.width, f.height, 10_000_000 / interval, 100_000_000 / interval % 10))
            }
            _ => None,
        })
        .collect()
}

/// stdin of `serve`: the plan's input report as a hex line every 50 ms.
struct Repeat {
    line: Vec<u8>,
    at: usize,
}

impl Read for Repeat {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.line.len() {
            std::thread::sleep(Duration::from_millis(50));
            self.at = 0;
        }
        let n = out.len().min(self.line.len() - self.at);
        out[..n].copy_from_slice(&self.line[self.at..self.at + n]);
        self.at += n;
        Ok(n)
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
    let Some((name, p)) = name.and_then(|n| plan(&n).map(|p| (n, p))) else {
        eprintln!("usage: harness_serve keyboard|mouse|vendor|composite|micropython-hid|broken-keyboard|uac2-headset|uvc-camera|webusb-winusb|<one of the first five>-mpy|fw-keyboard|fw-mouse|fw-keypad|fw-composite|fw-keyboard-bench|fw-floor|fw-usbd-hid|fw-uhid [--listen ADDR] [--expect FILE]");
        std::process::exit(64);
    };
    let Ok(listen) = listen.parse() else { fail("bad --listen address".into()) };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/").to_string() + p.file;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("{path}: {e}")));
    let text = match variant(&name) {
        Some(v) => v.apply(&text),
        None => text,
    };
    let c = usbdesc_compiler::compile_str(p.file, &text);
    let Some(dev) = c.device.as_ref() else { fail(c.render()) };
    let t = RuntimeTables::from_device(dev);
    if name.ends_with("-mpy") {
        run_micropython(&name, &p, &t, &path, &listen, expect.as_deref());
    }
    if let Some(fw) = p.firmware {
        emulated(&name, &p, fw, &t, listen, expect);
    }
    let clocks = usbdesc_compiler::class::uac2::clocks(dev);
    let audio_clocks = usbdesc_usbip::serve::leak_audio_clocks(&clocks);
    let o = ServeOptions { listen, echo_bulk: true, faults: p.faults, audio_clocks, ..ServeOptions::default() };
    let server = Server::bind(&t, &o).unwrap_or_else(|e| fail(e.to_string()));
    if let Some(path) = expect {
        write_expectations(&path, &expectations(&name, &p, &t, &clocks, &video_frames(dev), server.local_addr().port()));
    }
    let input = Repeat { line: format!("{}\n", hex(p.input)).into_bytes(), at: 0 };
    if let Err(e) = server.run(BufReader::new(input), std::io::stdout()) {
        fail(e.to_string());
    }
}

/// `<name>-mpy`: the device's generated MicroPython module, unmodified, in MicroPython (the
/// WebAssembly port under node) behind `mpy_bridge`; the expectations are the compiler's, as for
/// every device. Events from the module are passed through; the bridge ends with this process.
fn run_micropython(name: &str, p: &Plan, t: &RuntimeTables, toml: &str, listen: &std::net::SocketAddr, expect: Option<&str>) -> ! {
    use std::io::{BufRead, Write};
    let exe = std::env::current_exe().ok().and_then(|e| Some(e.parent()?.join("mpy_bridge")));
    let Some(exe) = exe.filter(|e| e.exists()) else { fail("mpy_bridge not found next to harness_serve (cargo build --example mpy_bridge)".into()) };
    let mut child = std::process::Command::new(exe)
        .args([toml, "--listen", &listen.to_string(), "--input", &hex(p.input)])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail(format!("mpy_bridge: {e}")));
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let port = match lines.next() {
        Some(Ok(l)) if l.starts_with("LISTEN ") => l[7..].trim().parse::<u16>().unwrap_or_else(|_| fail(format!("mpy_bridge: {l}"))),
        other => fail(format!("mpy_bridge did not start: {other:?}")),
    };
    if let Some(path) = expect {
        write_expectations(path, &expectations(name, p, t, &[], &[], port));
    }
    let mut out = std::io::stdout();
    for l in lines.map_while(Result::ok) {
        let _ = writeln!(out, "{l}");
        let _ = out.flush();
    }
    let status = child.wait().map(|s| s.code().unwrap_or(1)).unwrap_or(1);
    std::process::exit(if status == 0 { 1 } else { status })
}

fn write_expectations(path: &str, doc: &serde_json::Value) {
    let tmp = format!("{path}.tmp");
    let text = serde_json::to_string_pretty(doc).expect("json");
    if std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)).is_err() {
        fail(format!("cannot write {path}"));
    }
}

/// (address, bmAttributes, wMaxPacketSize) of every endpoint descriptor in a configuration.
fn endpoints(config: &[u8]) -> Vec<(u8, u8, u16)> {
    let mut v: Vec<(u8, u8, u16)> = Vec::new();
    let mut at = 0;
    while at + 2 <= config.len() && config[at] >= 2 {
        let d = &config[at..config.len().min(at + usize::from(config[at]))];
        if d.len() >= 7 && d[1] == 5 && !v.iter().any(|e| e.0 == d[2]) {
            v.push((d[2], d[3], u16::from_le_bytes([d[4], d[5]])));
        }
        at += usize::from(config[at]);
    }
    v
}

/// Serves the firmware running in the emulated Feather M0: `emu/` (Python) drives this bus
/// through `usbdesc_usbip::pipe` on its stdin/stdout; its events (LED, SET_REPORT) go to stdout.
fn emulated(name: &str, p: &Plan, fw: Firmware, t: &RuntimeTables, listen: std::net::SocketAddr, expect: Option<String>) -> ! {
    use usbdesc_usbip::{pipe, Config, UsbIpBus};
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let dir = std::env::var("USBDESC_FIRMWARE_DIR")
        .ok()
        .filter(|_| fw.workspace == "firmware")
        .unwrap_or_else(|| format!("{root}/{}/target/thumbv6m-none-eabi/release", fw.workspace));
    let elf = format!("{dir}/{}", fw.bin);
    if !std::path::Path::new(&elf).is_file() {
        fail(format!("{elf} is not built (scripts/firmware.sh; bench/: cargo xtask bench)"));
    }
    let mut bus = UsbIpBus::new(Config { listen, ..Config::default() }).unwrap_or_else(|e| fail(format!("{listen}: {e}")));
    let cfg = t.configurations.first().cloned().unwrap_or_default();
    pipe::alloc(&mut bus, u16::from(t.device[7]), &endpoints(&cfg)).unwrap_or_else(|e| fail(e));
    let mut args = vec!["-m", "usbdesc_emu", "serve", &elf, "--press", fw.key];
    if let Some((key, _)) = fw.pulse {
        args.extend(["--pulse", key]);
    }
    let mut child = std::process::Command::new("python3")
        .args(&args)
        .current_dir(format!("{root}/emu"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail(format!("python3 -m usbdesc_emu: {e}")));
    if let Some(path) = expect {
        write_expectations(&path, &expectations(name, p, t, &[], &[], bus.local_addr().port()));
    }
    let (Some(to_emu), Some(from_emu)) = (child.stdin.take(), child.stdout.take()) else { fail("no pipe to the emulator".into()) };
    let r = pipe::run(&bus, BufReader::new(from_emu), to_emu, std::io::stdout());
    let status = child.wait();
    fail(format!("emulator ended: {r:?}, {status:?}"))
}
