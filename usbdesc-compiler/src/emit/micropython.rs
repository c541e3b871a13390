//! Model → a MicroPython module defining `desc_dev`, `desc_cfg` and `desc_strs` for
//! `machine.USBDevice.config()`, following the built-in driver rules of the MicroPython docs
//! (`USBDevice.builtin_driver`):
//! - `desc_cfg` begins with the built-in driver's configuration descriptors;
//! - appended interfaces, endpoints and strings are numbered from `itf_max`, `ep_max`, `str_max`
//!   (the front end's numbering already does this, see [`crate::numbering`]);
//! - bNumInterfaces counts the built-in interfaces and the appended ones;
//! - `desc_strs` entries below `str_max` are `None` (reserved for the built-in driver).
//!
//!
//! The module is also a complete device for `machine.USBDevice` (MicroPython >= 1.23): `const()`
//! names for every interface number, endpoint address, string index and HID report ID/length
//! (from [`super::symbols`]), each HID interface's report descriptor, and the callbacks
//! `control_xfer_cb` (GET_DESCRIPTOR(HID 0x21 / Report 0x22), GET/SET_REPORT with one
//! preallocated buffer per report type and ID, GET/SET_IDLE, GET/SET_PROTOCOL; `False`, a STALL,
//! for anything else), `xfer_cb`, `open_itf_cb`, `reset_cb`, and `send(report_id, data)` for
//! interrupt IN with the hooks `on_output` / `on_feature` for what the host sends, and
//! `report_buffer()` for the value GET_REPORT answers (a feature report's). `config()`
//! installs the callbacks. The runtime text is [`RUNTIME`]: no f-strings, no allocation in the
//! callbacks beyond the short slices a SET_REPORT shorter than its buffer needs.
//!
//! [`check`] reports what MicroPython cannot serve (several configurations, non-ASCII strings,
//! strings placed below `str_max`, translations) before [`module`] prints the text.

use super::symbols;
use crate::diag::{Diagnostic, Diagnostics};
use crate::encode;
use crate::hid::ReportKind;
use crate::model::*;
use std::fmt::Write;

/// More than one configuration: `config()` takes one configuration descriptor.
pub const ONE_CONFIGURATION: &str = "UD1101";
/// A string index below `str_max` would override a built-in string.
pub const STRING_BELOW_STR_MAX: &str = "UD1102";
/// A string that is not plain ASCII (MicroPython requires ASCII apart from index 0).
pub const NOT_ASCII: &str = "UD1103";
/// Translations cannot be served: `desc_strs` is indexed by string index only (warning).
pub const TRANSLATIONS: &str = "UD1104";
/// BOS / MS OS 2.0 / WebUSB / dual-speed descriptors: `config()` takes none of them (warning).
pub const NOT_SERVED: &str = "UD1105";

/// What the MicroPython back end cannot express, as diagnostics (spans into the TOML source).
pub fn check(dev: &Device) -> Diagnostics {
    let mut d = Diagnostics::new();
    if dev.configurations.len() > 1 {
        d.push(
            Diagnostic::error(ONE_CONFIGURATION, format!("MicroPython serves one configuration, the device has {}", dev.configurations.len()))
                .at(dev.configurations.get(1).and_then(|c| c.spans.table))
                .help("machine.USBDevice.config() takes a single desc_cfg; keep one `[[configuration]]`"),
        );
    }
    let str_max = dev.builtin.as_ref().map(|b| b.str_max).unwrap_or(1);
    for r in crate::numbering::str_refs(dev) {
        if r.index != 0 && r.index < str_max && dev.builtin.is_some() {
            d.push(
                Diagnostic::error(STRING_BELOW_STR_MAX, format!("string index {} is below the built-in driver's str_max {str_max}", r.index))
                    .at(r.span)
                    .help("desc_strs entries below str_max must be None; let usbdesc number the strings, or use an index >= str_max"),
            );
        }
        if let Some(t) = &r.text {
            if !t.is_ascii() {
                d.push(
                    Diagnostic::error(NOT_ASCII, format!("string \"{t}\" is not plain ASCII"))
                        .at(r.span)
                        .help("MicroPython's desc_strs holds ASCII strings (index 0 apart); spell it in ASCII"),
                );
            }
        }
    }
    if dev.strings.iter().any(|s| !s.translations.is_empty()) || dev.languages.len() > 1 {
        d.push(
            Diagnostic::warning(TRANSLATIONS, "MicroPython serves one language: translations are left out of desc_strs")
                .at(dev.spans.fields.get("languages").copied())
                .help("desc_strs is indexed by string index only; the host gets the first language for every LANGID"),
        );
    }
    let mut extra: Vec<String> = Vec::new();
    if encode::bos(dev).is_some() {
        extra.push("the BOS descriptor".into());
    }
    extra.extend(dev.vendor_descriptors().iter().map(|v| format!("the {}", v.title)));
    if crate::speed::dual_speed(dev) {
        extra.push("the device qualifier and other-speed configuration".into());
    }
    if !extra.is_empty() {
        d.push(
            Diagnostic::warning(NOT_SERVED, format!("MicroPython's USBDevice.config() cannot serve {}", extra.join(", ")))
                .at(dev.spans.table)
                .help("config() takes desc_dev, desc_cfg and desc_strs only; the module carries these bytes for reference, but a host asking for them gets a STALL"),
        );
    }
    d
}

fn py_bytes(out: &mut String, name: &str, bytes: &[u8]) {
    let _ = writeln!(out, "{name} = bytes((");
    for chunk in bytes.chunks(12) {
        let line: Vec<String> = chunk.iter().map(|b| format!("0x{b:02x}")).collect();
        let _ = writeln!(out, "    {},", line.join(", "));
    }
    let _ = writeln!(out, "))\n");
}

fn py_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The Python module text. Call [`check`] first; problems it reports are not repeated here.
pub fn module(dev: &Device, source_name: &str) -> String {
    let mut out = String::new();
    // A line break in the name would end the comment and start code.
    let name: String = source_name.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    let _ = writeln!(out, "# USB descriptors generated by usbdesc from {name}. Do not edit.");
    let _ = writeln!(out, "# A machine.USBDevice device (MicroPython >= 1.23): config(machine.USBDevice()) serves it;");
    let _ = writeln!(out, "# send(report_id, data) sends input reports; on_output / on_feature receive the host's reports.\n");
    let _ = writeln!(out, "try:\n    from micropython import const\nexcept ImportError:  # CPython, for tests\n    def const(x):\n        return x\n");
    let cfg = encode::configuration(dev, 0);
    let prefix_len = encode::builtin_prefix(dev, 0).len();
    match &dev.builtin {
        Some(b) => {
            let what = b.preset.as_deref().map(|p| format!("preset {p}")).unwrap_or_else(|| "given in the TOML".into());
            let _ = writeln!(out, "# Built-in driver ({what}): desc_cfg begins with its descriptors, and the appended");
            let _ = writeln!(out, "# interfaces, endpoints and strings start at ITF_MAX, EP_MAX and STR_MAX.");
            let _ = writeln!(out, "ITF_MAX = {}\nEP_MAX = {}\nSTR_MAX = {}", b.itf_max, b.ep_max, b.str_max);
        }
        None => {
            let _ = writeln!(out, "# No built-in driver: config() sets builtin_driver to BUILTIN_NONE.");
            let _ = writeln!(out, "ITF_MAX = 0\nEP_MAX = 1\nSTR_MAX = 1");
        }
    }
    let _ = writeln!(out, "BUILTIN_CFG_LEN = {prefix_len}\n");
    py_bytes(&mut out, "desc_dev", &encode::device_descriptor(dev));
    let _ = writeln!(
        out,
        "# 9-byte configuration header (wTotalLength {}, bNumInterfaces {}), then {prefix_len} bytes of\n# built-in descriptors, then {} bytes of appended descriptors.",
        cfg.len(),
        cfg.get(4).copied().unwrap_or(0),
        cfg.len().saturating_sub(9 + prefix_len)
    );
    py_bytes(&mut out, "desc_cfg", &cfg);

    let str_max = dev.builtin.as_ref().map(|b| b.str_max).unwrap_or(1);
    let top = dev.strings.iter().map(|s| s.index).max().unwrap_or(0);
    let _ = writeln!(out, "desc_strs = [");
    for i in 0..=top.max(str_max.saturating_sub(1)) {
        let (value, note) = if i == 0 {
            if dev.builtin.is_some() || dev.languages == [0x0409] {
                ("None".to_string(), "LANGIDs: MicroPython's default (English)".to_string())
            } else {
                let zero = encode::string_descriptors(dev).into_iter().next().map(|x| x.2).unwrap_or_default();
                let b: Vec<String> = zero.iter().map(|x| format!("\\x{x:02x}")).collect();
                (format!("b\"{}\"", b.concat()), "LANGIDs".to_string())
            }
        } else if i < str_max {
            ("None".to_string(), "reserved for the built-in driver".to_string())
        } else {
            match dev.string(i) {
                Some(t) => (py_str(t), String::new()),
                None => ("None".to_string(), "unused".to_string()),
            }
        };
        if note.is_empty() {
            let _ = writeln!(out, "    {value},  # {i}");
        } else {
            let _ = writeln!(out, "    {value},  # {i}: {note}");
        }
    }
    let _ = writeln!(out, "]\n");

    let reference: Vec<(String, Vec<u8>)> = encode::bos(dev)
        .map(|b| ("desc_bos".to_string(), b))
        .into_iter()
        .chain(dev.vendor_descriptors().into_iter().map(|v| (format!("desc_{}", v.name), v.bytes)))
        .collect();
    if !reference.is_empty() {
        let _ = writeln!(out, "# Not served by config() (usbdesc warning UD1105); for reference and for drivers that can.");
        for (name, b) in reference {
            py_bytes(&mut out, &name, &b);
        }
    }

    hid(&mut out, dev, &cfg);
    out.push_str(CHECK_AND_CONFIG);
    let builtin = if dev.builtin.is_some() { "BUILTIN_DEFAULT" } else { "BUILTIN_NONE" };
    out.push_str(&CONFIG.replace("{BUILTIN}", builtin));
    out
}

const CHECK_AND_CONFIG: &str = r#"
def check_builtin(builtin):
    """Raise ValueError unless `builtin` (a USBDevice.BUILTIN_* object) is the built-in driver
    these descriptors were generated for: same itf_max, ep_max, str_max and descriptors."""
    if BUILTIN_CFG_LEN == 0:
        return
    got = (builtin.itf_max, builtin.ep_max, builtin.str_max)
    if got != (ITF_MAX, EP_MAX, STR_MAX):
        raise ValueError("built-in driver has itf_max, ep_max, str_max = %r, expected %r" % (got, (ITF_MAX, EP_MAX, STR_MAX)))
    if bytes(builtin.desc_cfg)[9:] != desc_cfg[9:9 + BUILTIN_CFG_LEN]:
        raise ValueError("built-in configuration descriptors differ from the ones in desc_cfg")
"#;

const CONFIG: &str = r#"

def config(usbd, **callbacks):
    """Serve this device: usbd is machine.USBDevice(). The module's open_itf_cb, reset_cb,
    control_xfer_cb and xfer_cb are installed unless given in callbacks."""
    global _usbd
    _usbd = usbd
    for name, cb in (("open_itf_cb", open_itf_cb), ("reset_cb", reset_cb), ("control_xfer_cb", control_xfer_cb), ("xfer_cb", xfer_cb)):
        if name not in callbacks:
            callbacks[name] = cb
    usbd.active(False)
    usbd.builtin_driver = usbd.{BUILTIN}
    check_builtin(usbd.builtin_driver)
    usbd.config(desc_dev, desc_cfg, desc_strs, **callbacks)
    usbd.active(True)
"#;

/// Offset in `cfg` of the HID class descriptor (type 0x21) of interface `itf`, alternate setting 0.
fn hid_descriptor_at(cfg: &[u8], itf: u8) -> Option<(usize, usize)> {
    let (mut at, mut cur) = (0usize, None);
    while at + 1 < cfg.len() {
        let n = usize::from(cfg[at]);
        if n < 2 || at + n > cfg.len() {
            return None;
        }
        match cfg[at + 1] {
            0x04 if n >= 4 => cur = Some((cfg[at + 2], cfg[at + 3])),
            0x21 if cur == Some((itf, 0)) => return Some((at, n)),
            _ => {}
        }
        at += n;
    }
    None
}

fn py_consts(out: &mut String, comment: &str, values: &[(String, String)]) {
    if values.is_empty() {
        return;
    }
    let _ = writeln!(out, "# {comment}");
    for (k, v) in values {
        let _ = writeln!(out, "{k} = const({v})");
    }
    out.push('\n');
}

/// Constants, report descriptors and the HID tables the runtime reads.
fn hid(out: &mut String, dev: &Device, cfg: &[u8]) {
    let (itfs, eps) = symbols::interfaces_and_endpoints(dev);
    py_consts(out, "Interface numbers", &itfs.into_iter().map(|(k, v)| (k, v.to_string())).collect::<Vec<_>>());
    py_consts(out, "Endpoint addresses (direction bit included)", &eps.into_iter().map(|(k, v)| (k, format!("0x{v:02x}"))).collect::<Vec<_>>());
    py_consts(out, "String indices", &symbols::string_indices(dev).into_iter().map(|(k, v)| (k, v.to_string())).collect::<Vec<_>>());
    let mut table = String::new();
    let mut buffers = String::new();
    let mut hid_desc = String::new();
    for h in symbols::hid_instances(dev) {
        let tag = symbols::hid_tag(dev, &h);
        let layout = symbols::report_layout(&h.report);
        let values: Vec<(String, String)> = symbols::report_values(&layout).into_iter().map(|(k, v)| (format!("HID_{tag}_{k}"), v.to_string())).collect();
        py_consts(out, &format!("HID interface {}: report IDs and lengths in bytes (report ID byte included)", h.interface), &values);
        let _ = writeln!(out, "# HID interface {}: report descriptor (GET_DESCRIPTOR type 0x22)", h.interface);
        py_bytes(out, &format!("HID_{tag}_REPORT_DESC"), &h.report);
        let out_len = layout.reports.iter().filter(|r| r.kind == ReportKind::Output).map(|r| r.bytes).max().unwrap_or(0).max(h.out_max_packet.map(u64::from).unwrap_or(0).min(64));
        let _ = writeln!(
            table,
            "    ({}, HID_{tag}_REPORT_DESC, 0x{:02x}, 0x{:02x}, bytearray({})),",
            h.interface,
            h.in_endpoint.unwrap_or(0),
            h.out_endpoint.unwrap_or(0),
            if h.out_endpoint.is_some() { out_len } else { 0 }
        );
        let entries: Vec<String> = layout
            .reports
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    ReportKind::Input => 1,
                    ReportKind::Output => 2,
                    ReportKind::Feature => 3,
                };
                let id = r.id.unwrap_or(0).min(255);
                format!("0x{:04x}: _report({id}, {})", kind << 8 | id, r.bytes)
            })
            .collect();
        let _ = writeln!(buffers, "    {{{}}},", entries.join(", "));
        let (at, n) = hid_descriptor_at(cfg, h.interface).unwrap_or((0, 0));
        let _ = writeln!(hid_desc, "    _cfg_view[{at}:{}],", at + n);
    }
    let _ = writeln!(out, "# HID interfaces: (interface, report descriptor, IN endpoint, OUT endpoint or 0, OUT buffer)");
    let _ = writeln!(out, "_HID = (\n{table})\n");
    out.push_str(REPORT_FN);
    let _ = writeln!(out, "# Report buffers per HID interface, by wValue of GET/SET_REPORT (type << 8 | report ID)");
    let _ = writeln!(out, "_REPORTS = (\n{buffers})\n");
    let _ = writeln!(out, "_cfg_view = memoryview(desc_cfg)");
    let _ = writeln!(out, "# Each HID interface's HID class descriptor inside desc_cfg (GET_DESCRIPTOR type 0x21)");
    let _ = writeln!(out, "_HID_DESC = (\n{hid_desc})");
    out.push_str(RUNTIME);
}

const REPORT_FN: &str = r#"
def _report(report_id, length):
    b = bytearray(length)
    if report_id:
        b[0] = report_id
    return b


"#;

/// The device runtime: plain MicroPython, shared by every generated module.
pub const RUNTIME: &str = r#"
# Hooks: on_output(itf, report) for output reports (interrupt OUT or SET_REPORT(Output)),
# on_feature(itf, report) for SET_REPORT(Feature); report is a memoryview of the report bytes,
# report ID first when the interface uses IDs, valid until the hook returns.
on_output = None
on_feature = None

_usbd = None
_N = len(_HID)
_busy = bytearray(_N)
_idle = bytearray(_N)
_protocol = bytearray(b"\x01" * _N)
_idle_mv = tuple(memoryview(_idle)[i:i + 1] for i in range(_N))
_protocol_mv = tuple(memoryview(_protocol)[i:i + 1] for i in range(_N))
_out_mv = tuple(memoryview(h[4]) for h in _HID)


def _hid_index(itf):
    for i in range(_N):
        if _HID[i][0] == itf:
            return i
    return -1


def _submit_out(i):
    h = _HID[i]
    if h[3] and _usbd is not None:
        _usbd.submit_xfer(h[3], h[4])


def control_xfer_cb(stage, request):
    """machine.USBDevice control_xfer_cb: the HID requests of every HID interface; False (STALL)
    for anything else."""
    bm = request[0]
    req = request[1]
    value = request[2] | (request[3] << 8)
    length = request[6] | (request[7] << 8)
    if bm & 0x1F != 1:
        return False
    i = _hid_index(request[4])
    if i < 0:
        return False
    if bm == 0x81 and req == 6:
        if stage != 1:
            return True
        t = value >> 8
        if t == 0x22:
            return _HID[i][1]
        if t == 0x21:
            return _HID_DESC[i]
        return False
    if bm == 0xA1:
        if stage != 1:
            return True
        if req == 1:
            b = _REPORTS[i].get(value)
            return False if b is None else b
        if req == 2:
            return _idle_mv[i]
        if req == 3:
            return _protocol_mv[i]
        return False
    if bm != 0x21:
        return False
    if req == 9:
        b = _REPORTS[i].get(value)
        if b is None or length == 0 or length > len(b):
            return False
        if stage == 1:
            return b if length == len(b) else memoryview(b)[:length]
        if stage == 3:
            hook = on_output if value >> 8 == 2 else on_feature if value >> 8 == 3 else None
            if hook is not None:
                hook(_HID[i][0], memoryview(b)[:length])
        return True
    if req == 0x0A:
        if stage == 3:
            _idle[i] = value >> 8
        return True
    if req == 0x0B:
        if stage == 3:
            _protocol[i] = value & 0xFF
        return True
    return False


def xfer_cb(ep, result, xferred):
    """machine.USBDevice xfer_cb: an input report went out, or an output report came in."""
    for i in range(_N):
        h = _HID[i]
        if ep == h[2]:
            _busy[i] = 0
            return
        if ep == h[3]:
            if result and on_output is not None:
                on_output(h[0], _out_mv[i][:xferred])
            _submit_out(i)
            return


def open_itf_cb(desc):
    """machine.USBDevice open_itf_cb: the host configured the device; start OUT transfers."""
    if desc[1] == 4:
        i = _hid_index(desc[2])
        if i >= 0:
            _busy[i] = 0
            _submit_out(i)


def reset_cb():
    """machine.USBDevice reset_cb: pending transfers are gone."""
    for i in range(_N):
        _busy[i] = 0


def report_buffer(report_type, report_id, itf=-1):
    """The buffer GET_REPORT answers for a report (report_type 1 input, 2 output, 3 feature;
    report_id 0 without report IDs), report ID byte first when IDs are used: write a feature
    report's value into it. None when no HID interface (or not `itf`) declares the report."""
    for i in range(_N):
        if itf < 0 or _HID[i][0] == itf:
            b = _REPORTS[i].get(report_type << 8 | report_id)
            if b is not None:
                return b
    return None


def send(report_id, data, itf=-1):
    """Send input report `report_id` (0 when the interface has no report IDs) on the interrupt IN
    endpoint; `data` is the report without its ID byte. False while the previous report is still
    in flight or the host has not configured the device."""
    for i in range(_N):
        if itf >= 0 and _HID[i][0] != itf:
            continue
        b = _REPORTS[i].get(0x100 | report_id)
        if b is None:
            continue
        off = 1 if report_id else 0
        if len(data) != len(b) - off:
            raise ValueError("input report length")
        if _busy[i] or _usbd is None:
            return False
        b[off:] = data
        if not _usbd.submit_xfer(_HID[i][2], b):
            return False
        _busy[i] = 1
        return True
    raise ValueError("no such input report")
"#;
