//! TOML reader and writer of the UVC tables.
//!
//! VideoControl interface: `[...video_control]` (`uvc` = bcdUVC, default "1.10"; `clock_hz`,
//! default 48 MHz; `streaming` = baInterfaceNr, default the next interface), then
//! `[[...camera_terminal]]`, `[[...processing_unit]]`, `[[...video_output_terminal]]` in wire order.
//! Terminal and unit `id`s default to the lowest free ID from 1 in declaration order; `source`
//! defaults to the entity declared just before. `controls` is a list of control names (or the
//! bmControls integer). An interrupt endpoint takes `max_transfer_size` (its class-specific
//! endpoint descriptor).
//!
//! VideoStreaming interface: `[...video_streaming]` (the input header: `terminal_link` required,
//! `endpoint` default the first IN endpoint of the interface), then one `[[...video_format]]` per format:
//! `kind = "uncompressed" | "mjpeg"`, `fourcc = "YUY2"` (or `guid` bytes), `frame = [{ width,
//! height, fps = [30, 15] | intervals = [...] | interval_range = { min, max, step } }, ...]`,
//! optional `still_image = { sizes = [[w, h]] }` and `color_matching = { primaries, transfer,
//! matrix }`. Counts, indices, lengths, bit rates, buffer sizes and default intervals are computed.

use super::items::*;
use super::{CAMERA_CONTROLS, PROCESSING_CONTROLS};
use crate::class::{InterfaceCx, InterfaceReader, Tables};
use crate::diag::Diagnostics;
use crate::model::{Endpoint, InterfaceItem, RawDescriptor, Spans, StrRef};
#[cfg(feature = "emit")]
use crate::model::TomlTable;
use crate::spec::CS_ENDPOINT;
use crate::tomlr::{Table, Value};

pub const VC_KEYS: &[&str] = &["uvc", "clock_hz", "streaming", "total_length"];
pub const CT_KEYS: &[&str] = &["id", "controls", "control_size", "focal_length_min", "focal_length_max", "ocular_focal_length", "assoc", "name"];
pub const PU_KEYS: &[&str] = &["id", "source", "controls", "control_size", "max_multiplier", "video_standards", "name"];
pub const OT_KEYS: &[&str] = &["id", "source", "terminal_type", "assoc", "name"];
pub const VS_KEYS: &[&str] =
    &["terminal_link", "endpoint", "info", "still_method", "trigger_support", "trigger_usage", "control_size", "format_count", "total_length"];
pub const FORMAT_KEYS: &[&str] = &[
    "kind", "fourcc", "guid", "bits_per_pixel", "flags", "index", "default_frame", "aspect_x", "aspect_y", "interlace", "copy_protect", "controls",
    "frame", "still_image", "color_matching", "frame_count",
];
pub const FRAME_KEYS: &[&str] =
    &["width", "height", "fps", "intervals", "interval_range", "default_interval", "capabilities", "min_bit_rate", "max_bit_rate", "max_frame_size", "index"];
pub const RANGE_KEYS: &[&str] = &["min", "max", "step"];
pub const STILL_KEYS: &[&str] = &["endpoint", "sizes", "compression"];
pub const COLOR_KEYS: &[&str] = &["primaries", "transfer", "matrix"];
pub const ENDPOINT_KEYS: &[&str] = &["max_transfer_size"];

const FORMAT_TYPES: &[(&str, i128)] = &[("uncompressed", 0), ("mjpeg", 1)];
const TERMINAL_TYPES: &[(&str, i128)] = &[("streaming", 0x0101), ("vendor", 0x0100)];
const ENTITY_KEYS: &[&str] = &["camera_terminal", "processing_unit", "video_output_terminal"];
/// dwClockFrequency when `clock_hz` is not given.
pub const DEFAULT_CLOCK_HZ: u32 = 48_000_000;

/// Bits per pixel of the common uncompressed FOURCCs.
fn fourcc_bpp(fourcc: &str) -> Option<u8> {
    Some(match fourcc {
        "YUY2" | "UYVY" | "YVYU" | "RGBP" => 16,
        "NV12" | "I420" | "YV12" | "M420" => 12,
        "Y800" | "GREY" => 8,
        "BGR3" => 24,
        _ => return None,
    })
}

/// The state of one interface's tables: entity IDs (assigned before any entity is read), the
/// UVC version of the VideoControl header, how many formats were read.
pub struct Reader {
    ids: Vec<u8>,
    entity: usize,
    bcd_uvc: u16,
    formats: u8,
}

impl Reader {
    pub fn new(tables: Tables<'_, '_, '_>, d: &mut Diagnostics) -> Reader {
        let entities: Vec<&Table> = tables.iter().filter(|(k, _)| ENTITY_KEYS.contains(k)).map(|(_, t)| t).collect();
        let explicit: Vec<Option<u8>> = entities.iter().map(|t| t.get("id").and_then(|v| v.int_in(1, 255, d)).map(|n| n as u8)).collect();
        let mut taken: Vec<u8> = explicit.iter().flatten().copied().collect();
        let mut next = 1u16;
        let ids = explicit
            .iter()
            .map(|e| {
                e.unwrap_or_else(|| {
                    while next < 255 && taken.contains(&(next as u8)) {
                        next += 1;
                    }
                    taken.push(next as u8);
                    next as u8
                })
            })
            .collect();
        let bcd_uvc = tables
            .iter()
            .find(|(k, _)| *k == "video_control")
            .and_then(|(_, t)| t.get("uvc"))
            .and_then(|v| v.bcd(&mut Diagnostics::new()))
            .unwrap_or(0x0110);
        Reader { ids, entity: 0, bcd_uvc, formats: 0 }
    }
}

fn name(t: &Table<'_, '_>, d: &mut Diagnostics) -> StrRef {
    match t.get("name") {
        Some(v) if v.is_int() => StrRef { index: v.u8(d).unwrap_or(0), text: None, span: Some(v.span()) },
        Some(v) => StrRef { index: 0, text: v.str(d).map(str::to_string), span: Some(v.span()) },
        None => StrRef::none(),
    }
}

/// `controls`: a list of names from `table` or the bitmap as an integer.
fn controls(t: &Table<'_, '_>, table: &[(u8, &str)], d: &mut Diagnostics) -> u32 {
    let Some(v) = t.get("controls") else { return 0 };
    if v.is_int() {
        return v.u32(d).unwrap_or(0);
    }
    let names: Vec<(&str, i128)> = table.iter().map(|(bit, n)| (*n, i128::from(*bit))).collect();
    let mut bits = 0u32;
    for x in v.array(d).unwrap_or_default() {
        if let Some(bit) = x.name_or_int(&names, 0, 31, d) {
            bits |= 1 << bit;
        }
    }
    bits
}

fn int_or<T: TryFrom<i128>>(t: &Table<'_, '_>, key: &str, lo: i128, hi: i128, default: T, d: &mut Diagnostics) -> T {
    t.get(key).and_then(|v| v.int_in(lo, hi, d)).and_then(|n| T::try_from(n).ok()).unwrap_or(default)
}

impl InterfaceReader for Reader {
    fn read(&mut self, cx: &InterfaceCx, key: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<InterfaceItem> {
        let span = Some(t.span());
        let item = match key {
            "video_control" => {
                let streaming = match t.get("streaming").and_then(|v| v.array(d)) {
                    Some(items) => items.iter().filter_map(|x| x.u8(d)).collect(),
                    None => vec![cx.number.saturating_add(1)],
                };
                let h = VcHeader {
                    bcd_uvc: self.bcd_uvc,
                    clock_hz: int_or(t, "clock_hz", 0, i128::from(u32::MAX), DEFAULT_CLOCK_HZ, d),
                    streaming,
                    total_length_override: t.get("total_length").and_then(|v| v.u16(d)),
                    span,
                };
                t.finish(VC_KEYS, d);
                VideoItem::VcHeader(h)
            }
            "camera_terminal" | "processing_unit" | "video_output_terminal" => return vec![self.entity(key, t, d).into()],
            "video_streaming" => {
                let h = InputHeader {
                    endpoint: t.get("endpoint").and_then(|v| v.u8(d)),
                    info: int_or(t, "info", 0, 255, 0, d),
                    terminal_link: t.require("terminal_link", d).and_then(|v| v.u8(d)).unwrap_or(0),
                    still_method: int_or(t, "still_method", 0, 3, 0, d),
                    trigger_support: int_or(t, "trigger_support", 0, 1, 0, d),
                    trigger_usage: int_or(t, "trigger_usage", 0, 1, 0, d),
                    control_size: int_or(t, "control_size", 0, 4, 1, d),
                    format_count_override: t.get("format_count").and_then(|v| v.u8(d)),
                    total_length_override: t.get("total_length").and_then(|v| v.u16(d)),
                    span,
                };
                t.finish(VS_KEYS, d);
                VideoItem::InputHeader(h)
            }
            "video_format" => return self.format(t, d),
            _ => return Vec::new(),
        };
        vec![item.into()]
    }

    fn endpoint(&mut self, _cx: &InterfaceCx, t: &Table<'_, '_>, e: &mut Endpoint, d: &mut Diagnostics) {
        if let Some(v) = t.get("max_transfer_size") {
            if let Some(n) = v.u16(d) {
                e.items.insert(0, RawDescriptor { descriptor_type: CS_ENDPOINT, data: interrupt_endpoint(n), spans: Spans::table(v.span()) });
            }
        }
    }
}

impl Reader {
    fn entity(&mut self, key: &str, t: &Table<'_, '_>, d: &mut Diagnostics) -> VideoItem {
        let id = self.ids.get(self.entity).copied().unwrap_or(1);
        let previous = self.entity.checked_sub(1).and_then(|k| self.ids.get(k)).copied().unwrap_or(0);
        self.entity += 1;
        let span = Some(t.span());
        let source = || int_or(t, "source", 0, 255, previous, &mut Diagnostics::new());
        let item = match key {
            "camera_terminal" => {
                let item = VideoItem::CameraTerminal(CameraTerminal {
                    id,
                    assoc: int_or(t, "assoc", 0, 255, 0, d),
                    name: name(t, d),
                    focal_min: int_or(t, "focal_length_min", 0, 0xffff, 0, d),
                    focal_max: int_or(t, "focal_length_max", 0, 0xffff, 0, d),
                    ocular: int_or(t, "ocular_focal_length", 0, 0xffff, 0, d),
                    controls: controls(t, CAMERA_CONTROLS, d),
                    control_size: int_or(t, "control_size", 0, 4, 3, d),
                    span,
                });
                t.finish(CT_KEYS, d);
                item
            }
            "processing_unit" => {
                let _ = t.get("source").map(|v| v.u8(d));
                let item = VideoItem::ProcessingUnit(ProcessingUnit {
                    id,
                    source: source(),
                    max_multiplier: int_or(t, "max_multiplier", 0, 0xffff, 0, d),
                    controls: controls(t, PROCESSING_CONTROLS, d),
                    control_size: int_or(t, "control_size", 0, 4, if self.bcd_uvc >= 0x0150 { 3 } else { 2 }, d),
                    name: name(t, d),
                    video_standards: match t.get("video_standards") {
                        Some(v) => v.u8(d),
                        None => (self.bcd_uvc >= 0x0110).then_some(0),
                    },
                    span,
                });
                t.finish(PU_KEYS, d);
                item
            }
            _ => {
                let _ = t.get("source").map(|v| v.u8(d));
                let item = VideoItem::OutputTerminal(OutputTerminal {
                    id,
                    terminal_type: t.get("terminal_type").and_then(|v| v.name_or_int(TERMINAL_TYPES, 0, 0xffff, d)).map_or(TT_STREAMING, |n| n as u16),
                    assoc: int_or(t, "assoc", 0, 255, 0, d),
                    source: source(),
                    name: name(t, d),
                    span,
                });
                t.finish(OT_KEYS, d);
                item
            }
        };
        // The ID was assigned by `Reader::new`; read again only to report a wrong type.
        let _ = t.get("id").map(|v| v.u8(d));
        item
    }

    /// A `[[...video_format]]`: the format, its frames, its still image frame and color matching.
    fn format(&mut self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<InterfaceItem> {
        self.formats = self.formats.saturating_add(1);
        let span = Some(t.span());
        let mjpeg = t.require("kind", d).and_then(|v| v.name_or_int(FORMAT_TYPES, 0, 1, d)) == Some(1);
        let kind = if mjpeg {
            FormatKind::Mjpeg { flags: int_or(t, "flags", 0, 255, 1, d) }
        } else {
            let fourcc = t.get("fourcc").and_then(|v| v.str(d).map(|s| (s.to_string(), v.span())));
            let mut guid = [0u8; 16];
            match (&fourcc, t.get("guid")) {
                (Some((f, _)), _) if f.len() == 4 && f.is_ascii() => {
                    guid[..4].copy_from_slice(f.as_bytes());
                    guid[4..].copy_from_slice(&GUID_TAIL);
                }
                (Some((f, fs)), _) => d.push(
                    crate::diag::Diagnostic::error(crate::tomlr::BAD_VALUE, format!("fourcc \"{f}\" is not four ASCII characters"))
                        .at(*fs)
                        .help("give four characters such as \"YUY2\" or \"NV12\", or the 16 `guid` bytes"),
                ),
                (None, Some(v)) => match v.bytes(d) {
                    Some(b) if b.len() == 16 => guid.copy_from_slice(&b),
                    Some(b) => d.push(
                        crate::diag::Diagnostic::error(crate::tomlr::BAD_VALUE, format!("a format GUID is 16 bytes, not {}", b.len()))
                            .at(v.span())
                            .help("or give `fourcc = \"YUY2\"`"),
                    ),
                    None => {}
                },
                (None, None) => {
                    let _ = t.require("fourcc", d);
                }
            }
            let default_bpp = fourcc.as_ref().and_then(|(f, _)| fourcc_bpp(f)).unwrap_or(16);
            FormatKind::Uncompressed { guid, bits_per_pixel: int_or(t, "bits_per_pixel", 1, 255, default_bpp, d) }
        };
        let format = Format {
            kind,
            index: int_or(t, "index", 1, 255, self.formats, d),
            default_frame: int_or(t, "default_frame", 0, 255, 1, d),
            aspect_x: int_or(t, "aspect_x", 0, 255, 0, d),
            aspect_y: int_or(t, "aspect_y", 0, 255, 0, d),
            interlace: int_or(t, "interlace", 0, 255, 0, d),
            copy_protect: int_or(t, "copy_protect", 0, 255, 0, d),
            controls: t.get("controls").and_then(|v| v.u32(d)).unwrap_or(0),
            frame_count_override: t.get("frame_count").and_then(|v| v.u8(d)),
            span,
        };
        let bpp = format.bits_per_pixel();
        let subtype = format.frame_subtype();
        let mut items: Vec<InterfaceItem> = vec![VideoItem::Format(format).into()];
        for (k, ft) in t.tables("frame", d).iter().enumerate() {
            items.push(VideoItem::Frame(frame(ft, subtype, (k + 1).min(255) as u8, bpp, d)).into());
        }
        if let Some(st) = t.table("still_image", d) {
            let sizes = st
                .get("sizes")
                .and_then(|v| v.array(d))
                .unwrap_or_default()
                .iter()
                .filter_map(|p| {
                    let wh = p.array(d)?;
                    match wh.as_slice() {
                        [w, h] => Some((w.u16(d)?, h.u16(d)?)),
                        _ => {
                            d.push(crate::diag::Diagnostic::error(crate::tomlr::BAD_VALUE, "a still image size is [width, height]").at(p.span()));
                            None
                        }
                    }
                })
                .collect();
            let compression = st.get("compression").and_then(|v| v.array(d)).unwrap_or_default().iter().filter_map(|x| x.u8(d)).collect();
            items.push(VideoItem::Still(Still { endpoint: int_or(&st, "endpoint", 0, 255, 0, d), sizes, compression, span: Some(st.span()) }).into());
            st.finish(STILL_KEYS, d);
        }
        if let Some(ct) = t.table("color_matching", d) {
            items.push(
                VideoItem::ColorMatching {
                    primaries: int_or(&ct, "primaries", 0, 255, 1, d),
                    transfer: int_or(&ct, "transfer", 0, 255, 1, d),
                    matrix: int_or(&ct, "matrix", 0, 255, 4, d),
                }
                .into(),
            );
            ct.finish(COLOR_KEYS, d);
        }
        t.finish(FORMAT_KEYS, d);
        items
    }
}

/// One `frame` table of a format with `bpp` bits per pixel.
fn frame(t: &Table<'_, '_>, subtype: u8, position: u8, bpp: u8, d: &mut Diagnostics) -> Frame {
    let width: u16 = t.require("width", d).and_then(|v| v.u16(d)).unwrap_or(0);
    let height: u16 = t.require("height", d).and_then(|v| v.u16(d)).unwrap_or(0);
    let list = |v: Value<'_, '_>, d: &mut Diagnostics, fps: bool| -> Vec<u32> {
        v.array(d)
            .unwrap_or_default()
            .iter()
            .filter_map(|x| if fps { x.int_in(1, 10_000_000, d).map(|f| (10_000_000 / f) as u32) } else { x.u32(d) })
            .collect()
    };
    let intervals = if let Some(v) = t.get("intervals") {
        Intervals::Discrete(list(v, d, false))
    } else if let Some(v) = t.get("fps") {
        Intervals::Discrete(list(v, d, true))
    } else if let Some(r) = t.table("interval_range", d) {
        let i = Intervals::Continuous {
            min: int_or(&r, "min", 0, i128::from(u32::MAX), 0, d),
            max: int_or(&r, "max", 0, i128::from(u32::MAX), 0, d),
            step: int_or(&r, "step", 0, i128::from(u32::MAX), 0, d),
        };
        r.finish(RANGE_KEYS, d);
        i
    } else {
        let _ = t.require("fps", d);
        Intervals::Discrete(Vec::new())
    };
    let default_interval = match &intervals {
        Intervals::Discrete(v) => v.first().copied().unwrap_or(0),
        Intervals::Continuous { min, .. } => *min,
    };
    let f = Frame {
        subtype,
        index: int_or(t, "index", 1, 255, position, d),
        capabilities: int_or(t, "capabilities", 0, 255, 0, d),
        width,
        height,
        min_bit_rate: 0,
        max_bit_rate: 0,
        max_buffer: 0,
        default_interval: int_or(t, "default_interval", 0, i128::from(u32::MAX), default_interval, d),
        intervals,
        span: Some(t.span()),
    };
    let (min, max, buffer) = computed(&f, bpp);
    let f = Frame {
        min_bit_rate: int_or(t, "min_bit_rate", 0, i128::from(u32::MAX), min, d),
        max_bit_rate: int_or(t, "max_bit_rate", 0, i128::from(u32::MAX), max, d),
        max_buffer: int_or(t, "max_frame_size", 0, i128::from(u32::MAX), buffer, d),
        ..f
    };
    t.finish(FRAME_KEYS, d);
    f
}

/// The computed (min bit rate, max bit rate, buffer size) of a frame: the bits of one image at
/// the longest and the shortest interval, the bytes of one image.
pub fn computed(f: &Frame, bpp: u8) -> (u32, u32, u32) {
    let min = bit_rate(f.width, f.height, bpp, f.intervals.longest());
    let max = bit_rate(f.width, f.height, bpp, f.intervals.shortest());
    (min, max, f.image_bytes(bpp).min(u64::from(u32::MAX)) as u32)
}

// ---------------------------------------------------------------- TOML writer

#[cfg(feature = "emit")]
fn name_toml(n: &StrRef) -> Option<String> {
    match (&n.text, n.index) {
        (Some(t), _) => Some(::toml::Value::String(t.clone()).to_string()),
        (None, 0) => None,
        (None, i) => Some(i.to_string()),
    }
}

#[cfg(feature = "emit")]
fn list<T: ToString>(v: &[T]) -> String {
    format!("[{}]", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
}

/// `controls` as names when every set bit has one, else the integer.
#[cfg(feature = "emit")]
fn controls_toml(bits: u32, table: &[(u8, &str)]) -> String {
    let names: Option<Vec<String>> =
        (0..32).filter(|b| bits & 1 << b != 0).map(|b| table.iter().find(|(x, _)| *x == b).map(|(_, n)| format!("\"{n}\""))).collect();
    match names {
        Some(n) => format!("[{}]", n.join(", ")),
        None => format!("{bits:#x}"),
    }
}

/// The TOML table of `item` (`tail`: the interface items after it).
#[cfg(feature = "emit")]
pub fn to_toml(item: &VideoItem, tail: &[InterfaceItem]) -> Option<TomlTable> {
    let mut kv: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| kv.push((k.to_string(), v));
    let (key, array, consumed) = match item {
        VideoItem::VcHeader(h) => {
            push("uvc", crate::names::bcd_toml(h.bcd_uvc));
            push("clock_hz", h.clock_hz.to_string());
            push("streaming", list(&h.streaming));
            if let Some(t) = h.total_length_override {
                push("total_length", t.to_string());
            }
            ("video_control", false, 1)
        }
        VideoItem::CameraTerminal(c) => {
            push("id", c.id.to_string());
            push("controls", controls_toml(c.controls, CAMERA_CONTROLS));
            if c.control_size != 3 {
                push("control_size", c.control_size.to_string());
            }
            for (k, v) in [("focal_length_min", c.focal_min), ("focal_length_max", c.focal_max), ("ocular_focal_length", c.ocular)] {
                if v != 0 {
                    push(k, v.to_string());
                }
            }
            if c.assoc != 0 {
                push("assoc", c.assoc.to_string());
            }
            if let Some(n) = name_toml(&c.name) {
                push("name", n);
            }
            ("camera_terminal", true, 1)
        }
        VideoItem::ProcessingUnit(p) => {
            push("id", p.id.to_string());
            push("source", p.source.to_string());
            push("controls", controls_toml(p.controls, PROCESSING_CONTROLS));
            push("control_size", p.control_size.to_string());
            if p.max_multiplier != 0 {
                push("max_multiplier", p.max_multiplier.to_string());
            }
            if let Some(v) = p.video_standards {
                push("video_standards", v.to_string());
            }
            if let Some(n) = name_toml(&p.name) {
                push("name", n);
            }
            ("processing_unit", true, 1)
        }
        VideoItem::OutputTerminal(o) => {
            push("id", o.id.to_string());
            push("source", o.source.to_string());
            if o.terminal_type != TT_STREAMING {
                push("terminal_type", format!("{:#06x}", o.terminal_type));
            }
            if o.assoc != 0 {
                push("assoc", o.assoc.to_string());
            }
            if let Some(n) = name_toml(&o.name) {
                push("name", n);
            }
            ("video_output_terminal", true, 1)
        }
        VideoItem::InputHeader(h) => {
            push("terminal_link", h.terminal_link.to_string());
            if let Some(e) = h.endpoint {
                push("endpoint", format!("{e:#04x}"));
            }
            for (k, v, default) in [
                ("info", h.info, 0),
                ("still_method", h.still_method, 0),
                ("trigger_support", h.trigger_support, 0),
                ("trigger_usage", h.trigger_usage, 0),
                ("control_size", h.control_size, 1),
            ] {
                if v != default {
                    push(k, v.to_string());
                }
            }
            if let Some(n) = h.format_count_override {
                push("format_count", n.to_string());
            }
            if let Some(t) = h.total_length_override {
                push("total_length", t.to_string());
            }
            ("video_streaming", false, 1)
        }
        VideoItem::Format(f) => return Some(format_toml(f, tail)),
        // A frame, still image or color matching descriptor away from its format: raw bytes.
        _ => return None,
    };
    Some(TomlTable { key, array, kv, consumed })
}

/// A format with the frames, still image frame and color matching right after it.
#[cfg(feature = "emit")]
fn format_toml(f: &Format, tail: &[InterfaceItem]) -> TomlTable {
    let mut kv: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| kv.push((k.to_string(), v));
    match f.kind {
        FormatKind::Uncompressed { guid, bits_per_pixel } => {
            push("kind", "\"uncompressed\"".into());
            match f.fourcc() {
                Some(fc) => {
                    let default = fourcc_bpp(&fc).unwrap_or(16);
                    push("fourcc", format!("\"{fc}\""));
                    if bits_per_pixel != default {
                        push("bits_per_pixel", bits_per_pixel.to_string());
                    }
                }
                None => {
                    push("guid", format!("\"{}\"", guid.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")));
                    push("bits_per_pixel", bits_per_pixel.to_string());
                }
            }
        }
        FormatKind::Mjpeg { flags } => {
            push("kind", "\"mjpeg\"".into());
            if flags != 1 {
                push("flags", flags.to_string());
            }
        }
    }
    // The writer sees only what follows the format, so its index is always written.
    push("index", f.index.to_string());
    for (k, v, default) in [
        ("default_frame", f.default_frame, 1),
        ("aspect_x", f.aspect_x, 0),
        ("aspect_y", f.aspect_y, 0),
        ("interlace", f.interlace, 0),
        ("copy_protect", f.copy_protect, 0),
    ] {
        if v != default {
            push(k, v.to_string());
        }
    }
    if f.controls != 0 {
        push("controls", format!("{:#x}", f.controls));
    }
    if let Some(n) = f.frame_count_override {
        push("frame_count", n.to_string());
    }
    let frames: Vec<&Frame> = frames_after(tail).collect();
    let bpp = f.bits_per_pixel();
    let lines: Vec<String> = frames.iter().enumerate().map(|(k, fr)| format!("  {},", frame_toml(fr, k + 1, bpp))).collect();
    push("frame", format!("[\n{}\n]", lines.join("\n")));
    let mut consumed = 1 + frames.len();
    if let Some(VideoItem::Still(s)) = tail.get(frames.len()).and_then(|i| i.class::<VideoItem>()) {
        let sizes: Vec<String> = s.sizes.iter().map(|(w, h)| format!("[{w}, {h}]")).collect();
        let mut parts = vec![format!("sizes = [{}]", sizes.join(", "))];
        if s.endpoint != 0 {
            parts.push(format!("endpoint = {:#04x}", s.endpoint));
        }
        if !s.compression.is_empty() {
            parts.push(format!("compression = {}", list(&s.compression)));
        }
        push("still_image", format!("{{ {} }}", parts.join(", ")));
        consumed += 1;
    }
    if let Some(VideoItem::ColorMatching { primaries, transfer, matrix }) = tail.get(consumed - 1).and_then(|i| i.class::<VideoItem>()) {
        push("color_matching", format!("{{ primaries = {primaries}, transfer = {transfer}, matrix = {matrix} }}"));
        consumed += 1;
    }
    TomlTable { key: "video_format", array: true, kv, consumed }
}

/// One frame as an inline table; computed values are left out.
#[cfg(feature = "emit")]
fn frame_toml(f: &Frame, position: usize, bpp: u8) -> String {
    let mut parts = vec![format!("width = {}", f.width), format!("height = {}", f.height)];
    let (default_interval, intervals) = match &f.intervals {
        Intervals::Discrete(v) => {
            // `fps = [f]` reads as 10^7 / f (integer division): written so when that gives `i` back.
            let fps: Option<Vec<u32>> =
                v.iter().map(|&i| (i > 0 && i <= 10_000_000 && 10_000_000 / (10_000_000 / i) == i).then(|| 10_000_000 / i)).collect();
            let text = match fps {
                Some(fps) if !fps.is_empty() => format!("fps = {}", list(&fps)),
                _ => format!("intervals = {}", list(v)),
            };
            (v.first().copied().unwrap_or(0), text)
        }
        Intervals::Continuous { min, max, step } => (*min, format!("interval_range = {{ min = {min}, max = {max}, step = {step} }}")),
    };
    parts.push(intervals);
    if f.default_interval != default_interval {
        parts.push(format!("default_interval = {}", f.default_interval));
    }
    if usize::from(f.index) != position {
        parts.push(format!("index = {}", f.index));
    }
    if f.capabilities != 0 {
        parts.push(format!("capabilities = {}", f.capabilities));
    }
    let (min, max, buffer) = computed(f, bpp);
    for (k, v, c) in [("min_bit_rate", f.min_bit_rate, min), ("max_bit_rate", f.max_bit_rate, max), ("max_frame_size", f.max_buffer, buffer)] {
        if v != c {
            parts.push(format!("{k} = {v}"));
        }
    }
    format!("{{ {} }}", parts.join(", "))
}
