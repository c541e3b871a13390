//! USB Audio 2.0 (UAC2, `bInterfaceProtocol` 0x20): the AudioControl interface (header, clock
//! source, clock selector, input and output terminals, feature unit), the AudioStreaming
//! interface (AS general, format type I) and the class-specific isochronous data endpoint.
//!
//! TOML (inside an interface of `class = "audio"`, `protocol = 0x20`; entity IDs are given, since
//! streaming interfaces refer to terminals by ID):
//! - `[...uac2_header]`: `bcd_adc` ("2.00"), `category` (bCategory: a name such as `"headset"` or
//!   a number), `controls` (bmControls, 0); wTotalLength = the header + every class-specific
//!   AudioControl descriptor after it.
//! - `[[...uac2_clock_source]]`: `id`, `type` (`"external"`, `"internal-fixed"`,
//!   `"internal-variable"`, `"internal-programmable"`), `sync_to_sof`, `frequency` and `validity`
//!   (`"none"`, `"read-only"`, `"programmable"`), `assoc_terminal`, `name`, and `rates = [48000]`:
//!   the sampling frequencies in Hz (not on the wire: the runtime answers the host's CUR/RANGE
//!   requests with them, and the packet-size check uses them).
//! - `[[...uac2_clock_selector]]`: `id`, `sources = [clock IDs]`, `selector` (as `frequency`), `name`.
//! - `[[...uac2_input_terminal]]`: `id`, `type` (wTerminalType: `"usb-streaming"`, `"microphone"`,
//!   ... or a number), `assoc_terminal`, `clock`, `channels`, `channel_config`, `channel_names`,
//!   `controls`, `name`.
//! - `[[...uac2_output_terminal]]`: `id`, `type`, `assoc_terminal`, `source`, `clock`, `controls`, `name`.
//! - `[[...uac2_feature_unit]]`: `id`, `source`, `controls = [master, channel 1, ...]` (bmaControls), `name`.
//! - `[...uac2_streaming]` (AS general): `terminal` (bTerminalLink), `controls`, `format_type` (1),
//!   `formats` (bmFormats, `"pcm"` = 1), `channels`, `channel_config`, `channel_names`.
//! - `[...uac2_format]` (format type I): `subslot_size`, `bit_resolution`.
//! - endpoint `uac2 = { attributes, controls, lock_delay_units, lock_delay }` (all 0 by default, so
//!   `uac2 = {}`): the class-specific AS isochronous data endpoint descriptor, right after the endpoint.

use super::{InterfaceCx, InterfaceReader, Tables, UsbClass};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;
use crate::spec::{class, protocol, subclass, u16_at, CS_ENDPOINT, CS_INTERFACE};
use crate::tomlr::{Table, Value};

/// An entity ID (clock, terminal, unit) used twice in one AudioControl interface.
pub const ENTITY_ID_REUSED: &str = "UD5401";
/// A unit's or terminal's source, or a streaming interface's terminal link, names no unit or terminal.
pub const DANGLING_SOURCE: &str = "UD5402";
/// A terminal's clock or a clock selector's input names no clock entity.
pub const CLOCK_LINK: &str = "UD5403";
/// The AudioControl header's stated wTotalLength is not the length of what follows it.
pub const AC_TOTAL_LENGTH: &str = "UD5404";
/// An isochronous data endpoint's wMaxPacketSize cannot carry the declared rate (a warning: Linux binds).
pub const PACKET_TOO_SMALL: &str = "UD5405";
/// A clock source declares more sampling frequencies than the runtime's RANGE answer holds (a
/// warning: the runtime's limit, not the host's).
pub const TOO_MANY_RATES: &str = "UD5406";
/// An asynchronous isochronous OUT endpoint has no explicit feedback endpoint.
pub const NO_FEEDBACK: &str = "UD5407";

/// Sampling frequencies one clock may list: the runtime's RANGE answer (2 + 12 per rate bytes)
/// fits usb-device's 128-byte control buffer (`usbdesc_runtime::audio::MAX_RATES`).
pub const MAX_RATES: usize = 10;

/// AudioControl descriptor subtypes (UAC2 §A.9).
mod ac {
    pub const HEADER: u8 = 0x01;
    pub const INPUT_TERMINAL: u8 = 0x02;
    pub const OUTPUT_TERMINAL: u8 = 0x03;
    pub const FEATURE_UNIT: u8 = 0x06;
    pub const CLOCK_SOURCE: u8 = 0x0a;
    pub const CLOCK_SELECTOR: u8 = 0x0b;
}
/// AudioStreaming descriptor subtypes (UAC2 §A.10) and the data endpoint's (§A.13).
mod as_ {
    pub const GENERAL: u8 = 0x01;
    pub const FORMAT_TYPE: u8 = 0x02;
    pub const FORMAT_TYPE_I: u8 = 0x01;
    pub const EP_GENERAL: u8 = 0x01;
}

/// The class: USB Audio 2.0.
pub struct Uac2;

/// One class-specific UAC2 interface descriptor.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum Uac2Item {
    /// AudioControl header (UAC2 §4.7.2).
    AcHeader {
        bcd_adc: u16,
        category: u8,
        controls: u8,
        total_length_override: Option<u16>,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Clock source (§4.7.2.1); `rates` are not on the wire.
    ClockSource {
        id: u8,
        attributes: u8,
        controls: u8,
        assoc_terminal: u8,
        name: StrRef,
        rates: Vec<u32>,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Clock selector (§4.7.2.2).
    ClockSelector {
        id: u8,
        sources: Vec<u8>,
        controls: u8,
        name: StrRef,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Input terminal (§4.7.2.4).
    InputTerminal {
        id: u8,
        terminal_type: u16,
        assoc_terminal: u8,
        clock: u8,
        channels: u8,
        channel_config: u32,
        channel_names: u8,
        controls: u16,
        name: StrRef,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Output terminal (§4.7.2.5).
    OutputTerminal {
        id: u8,
        terminal_type: u16,
        assoc_terminal: u8,
        source: u8,
        clock: u8,
        controls: u16,
        name: StrRef,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Feature unit (§4.7.2.8): bmaControls of the master channel, then of each channel.
    FeatureUnit {
        id: u8,
        source: u8,
        controls: Vec<u32>,
        name: StrRef,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Class-specific AS interface descriptor (§4.9.2).
    AsGeneral {
        terminal: u8,
        controls: u8,
        format_type: u8,
        formats: u32,
        channels: u8,
        channel_config: u32,
        channel_names: u8,
        #[cfg_attr(feature = "serde", serde(skip))]
        span: Option<Span>,
    },
    /// Type I format (Format Types §2.3.1.6).
    FormatTypeI { subslot_size: u8, bit_resolution: u8 },
}

impl Uac2Item {
    /// The entity ID of a clock, terminal or unit.
    pub fn entity_id(&self) -> Option<u8> {
        match self {
            Uac2Item::ClockSource { id, .. }
            | Uac2Item::ClockSelector { id, .. }
            | Uac2Item::InputTerminal { id, .. }
            | Uac2Item::OutputTerminal { id, .. }
            | Uac2Item::FeatureUnit { id, .. } => Some(*id),
            _ => None,
        }
    }
    fn is_clock(&self) -> bool {
        matches!(self, Uac2Item::ClockSource { .. } | Uac2Item::ClockSelector { .. })
    }
    fn span(&self) -> Option<Span> {
        match self {
            Uac2Item::AcHeader { span, .. }
            | Uac2Item::ClockSource { span, .. }
            | Uac2Item::ClockSelector { span, .. }
            | Uac2Item::InputTerminal { span, .. }
            | Uac2Item::OutputTerminal { span, .. }
            | Uac2Item::FeatureUnit { span, .. }
            | Uac2Item::AsGeneral { span, .. } => *span,
            _ => None,
        }
    }
    fn name(&self) -> Option<&StrRef> {
        match self {
            Uac2Item::ClockSource { name, .. }
            | Uac2Item::ClockSelector { name, .. }
            | Uac2Item::InputTerminal { name, .. }
            | Uac2Item::OutputTerminal { name, .. }
            | Uac2Item::FeatureUnit { name, .. } => Some(name),
            _ => None,
        }
    }
    fn name_mut(&mut self) -> Option<&mut StrRef> {
        match self {
            Uac2Item::ClockSource { name, .. }
            | Uac2Item::ClockSelector { name, .. }
            | Uac2Item::InputTerminal { name, .. }
            | Uac2Item::OutputTerminal { name, .. }
            | Uac2Item::FeatureUnit { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn is_uac2(class_: u8, protocol_: u8) -> bool {
    class_ == class::AUDIO && protocol_ == protocol::AUDIO_2_0
}
fn is_control(itf: &Interface) -> bool {
    is_uac2(itf.class, itf.protocol) && itf.subclass == subclass::AUDIO_CONTROL
}
fn is_streaming(class_: u8, subclass_: u8, protocol_: u8) -> bool {
    is_uac2(class_, protocol_) && subclass_ == subclass::AUDIO_STREAMING
}

// ---------------------------------------------------------------- encoder

fn le32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}

/// Append the descriptor of `item`; `tail` is what follows it in the interface (for wTotalLength).
fn encode(out: &mut Vec<u8>, item: &Uac2Item, tail: &[InterfaceItem]) {
    let mut b = vec![];
    match item {
        Uac2Item::AcHeader { bcd_adc, category, controls, total_length_override, .. } => {
            let class_tail: Vec<InterfaceItem> =
                tail.iter().take_while(|i| !matches!(i, InterfaceItem::Endpoint(_))).cloned().collect();
            let total = (9 + crate::encode::interface_items_len(&class_tail)).min(0xffff) as u16;
            b.push(ac::HEADER);
            b.extend_from_slice(&bcd_adc.to_le_bytes());
            b.push(*category);
            b.extend_from_slice(&total_length_override.unwrap_or(total).to_le_bytes());
            b.push(*controls);
        }
        Uac2Item::ClockSource { id, attributes, controls, assoc_terminal, name, .. } => {
            b.extend_from_slice(&[ac::CLOCK_SOURCE, *id, *attributes, *controls, *assoc_terminal, name.index]);
        }
        Uac2Item::ClockSelector { id, sources, controls, name, .. } => {
            b.extend_from_slice(&[ac::CLOCK_SELECTOR, *id, sources.len().min(255) as u8]);
            b.extend_from_slice(sources);
            b.extend_from_slice(&[*controls, name.index]);
        }
        Uac2Item::InputTerminal { id, terminal_type, assoc_terminal, clock, channels, channel_config, channel_names, controls, name, .. } => {
            b.extend_from_slice(&[ac::INPUT_TERMINAL, *id]);
            b.extend_from_slice(&terminal_type.to_le_bytes());
            b.extend_from_slice(&[*assoc_terminal, *clock, *channels]);
            le32(&mut b, *channel_config);
            b.push(*channel_names);
            b.extend_from_slice(&controls.to_le_bytes());
            b.push(name.index);
        }
        Uac2Item::OutputTerminal { id, terminal_type, assoc_terminal, source, clock, controls, name, .. } => {
            b.extend_from_slice(&[ac::OUTPUT_TERMINAL, *id]);
            b.extend_from_slice(&terminal_type.to_le_bytes());
            b.extend_from_slice(&[*assoc_terminal, *source, *clock]);
            b.extend_from_slice(&controls.to_le_bytes());
            b.push(name.index);
        }
        Uac2Item::FeatureUnit { id, source, controls, name, .. } => {
            b.extend_from_slice(&[ac::FEATURE_UNIT, *id, *source]);
            for c in controls {
                le32(&mut b, *c);
            }
            b.push(name.index);
        }
        Uac2Item::AsGeneral { terminal, controls, format_type, formats, channels, channel_config, channel_names, .. } => {
            b.extend_from_slice(&[as_::GENERAL, *terminal, *controls, *format_type]);
            le32(&mut b, *formats);
            b.push(*channels);
            le32(&mut b, *channel_config);
            b.push(*channel_names);
        }
        Uac2Item::FormatTypeI { subslot_size, bit_resolution } => {
            b.extend_from_slice(&[as_::FORMAT_TYPE, as_::FORMAT_TYPE_I, *subslot_size, *bit_resolution]);
        }
    }
    out.push((b.len() + 2).min(255) as u8);
    out.push(CS_INTERFACE);
    out.extend_from_slice(&b);
}

/// The class-specific AS isochronous data endpoint descriptor (§4.10.1.2):
/// `(attributes, controls, lock_delay_units, lock_delay)`.
pub type EndpointFields = (u8, u8, u8, u16);

pub fn endpoint_descriptor((attributes, controls, units, delay): EndpointFields) -> RawDescriptor {
    let mut data = vec![as_::EP_GENERAL, attributes, controls, units];
    data.extend_from_slice(&delay.to_le_bytes());
    RawDescriptor { descriptor_type: CS_ENDPOINT, data, spans: Spans::default() }
}

/// The fields of `r` when it is a well-formed AS isochronous data endpoint descriptor.
pub fn endpoint_fields(r: &RawDescriptor) -> Option<EndpointFields> {
    let d = &r.data;
    (r.descriptor_type == CS_ENDPOINT && d.len() == 6 && d[0] == as_::EP_GENERAL).then(|| (d[1], d[2], d[3], u16_at(d, 4)))
}

// ---------------------------------------------------------------- decoder

/// The typed item of raw class-specific bytes `d` (after bLength and bDescriptorType) in an
/// AudioControl (`control`) or AudioStreaming interface, when they have the exact UAC2 length.
fn lift_one(control: bool, d: &[u8]) -> Option<Uac2Item> {
    let n = d.len();
    let u32_at = |i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    Some(match (control, *d.first()?) {
        (true, ac::HEADER) if n == 7 => Uac2Item::AcHeader { bcd_adc: u16_at(d, 1), category: d[3], controls: d[6], total_length_override: Some(u16_at(d, 4)), span: None },
        (true, ac::CLOCK_SOURCE) if n == 6 => {
            Uac2Item::ClockSource { id: d[1], attributes: d[2], controls: d[3], assoc_terminal: d[4], name: StrRef::index(d[5]), rates: Vec::new(), span: None }
        }
        (true, ac::CLOCK_SELECTOR) if n >= 5 && n == 5 + d[2] as usize => Uac2Item::ClockSelector {
            id: d[1],
            sources: d[3..3 + d[2] as usize].to_vec(),
            controls: d[n - 2],
            name: StrRef::index(d[n - 1]),
            span: None,
        },
        (true, ac::INPUT_TERMINAL) if n == 15 => Uac2Item::InputTerminal {
            id: d[1],
            terminal_type: u16_at(d, 2),
            assoc_terminal: d[4],
            clock: d[5],
            channels: d[6],
            channel_config: u32_at(7),
            channel_names: d[11],
            controls: u16_at(d, 12),
            name: StrRef::index(d[14]),
            span: None,
        },
        (true, ac::OUTPUT_TERMINAL) if n == 10 => Uac2Item::OutputTerminal {
            id: d[1],
            terminal_type: u16_at(d, 2),
            assoc_terminal: d[4],
            source: d[5],
            clock: d[6],
            controls: u16_at(d, 7),
            name: StrRef::index(d[9]),
            span: None,
        },
        (true, ac::FEATURE_UNIT) if n >= 8 && (n - 4) % 4 == 0 => Uac2Item::FeatureUnit {
            id: d[1],
            source: d[2],
            controls: (3..n - 1).step_by(4).map(u32_at).collect(),
            name: StrRef::index(d[n - 1]),
            span: None,
        },
        (false, as_::GENERAL) if n == 14 => Uac2Item::AsGeneral {
            terminal: d[1],
            controls: d[2],
            format_type: d[3],
            formats: u32_at(4),
            channels: d[8],
            channel_config: u32_at(9),
            channel_names: d[13],
            span: None,
        },
        (false, as_::FORMAT_TYPE) if n == 4 && d[1] == as_::FORMAT_TYPE_I => Uac2Item::FormatTypeI { subslot_size: d[2], bit_resolution: d[3] },
        _ => return None,
    })
}

/// Decoder: type the raw class-specific descriptors of UAC2 AudioControl / AudioStreaming
/// interfaces (they re-encode to the same bytes); keep the header's stored wTotalLength as an
/// override only when it differs from the computed one.
fn lift(itf: &mut Interface) {
    let control = is_control(itf);
    if !control && !is_streaming(itf.class, itf.subclass, itf.protocol) {
        return;
    }
    for item in itf.items.iter_mut() {
        let InterfaceItem::Raw(r) = item else { continue };
        if r.descriptor_type != CS_INTERFACE {
            continue;
        }
        if let Some(t) = lift_one(control, &r.data) {
            *item = t.into();
        }
    }
    let Some(k) = itf.items.iter().position(|i| matches!(i.class::<Uac2Item>(), Some(Uac2Item::AcHeader { .. }))) else { return };
    let computed = {
        let mut probe = itf.items[k].class::<Uac2Item>().cloned();
        if let Some(Uac2Item::AcHeader { total_length_override, .. }) = probe.as_mut() {
            *total_length_override = None;
        }
        let mut out = Vec::new();
        if let Some(p) = &probe {
            encode(&mut out, p, &itf.items[k + 1..]);
        }
        u16::from_le_bytes([out.get(6).copied().unwrap_or(0), out.get(7).copied().unwrap_or(0)])
    };
    if let Some(Uac2Item::AcHeader { total_length_override, .. }) = itf.items[k].class_mut::<Uac2Item>() {
        if *total_length_override == Some(computed) {
            *total_length_override = None;
        }
    }
}

// ---------------------------------------------------------------- TOML front end

pub const HEADER_KEYS: &[&str] = &["bcd_adc", "category", "controls", "total_length"];
pub const CLOCK_SOURCE_KEYS: &[&str] = &["id", "type", "sync_to_sof", "frequency", "validity", "assoc_terminal", "name", "rates"];
pub const CLOCK_SELECTOR_KEYS: &[&str] = &["id", "sources", "selector", "name"];
pub const INPUT_TERMINAL_KEYS: &[&str] =
    &["id", "type", "assoc_terminal", "clock", "channels", "channel_config", "channel_names", "controls", "name"];
pub const OUTPUT_TERMINAL_KEYS: &[&str] = &["id", "type", "assoc_terminal", "source", "clock", "controls", "name"];
pub const FEATURE_UNIT_KEYS: &[&str] = &["id", "source", "controls", "name"];
pub const STREAMING_KEYS: &[&str] = &["terminal", "controls", "format_type", "formats", "channels", "channel_config", "channel_names"];
pub const FORMAT_KEYS: &[&str] = &["subslot_size", "bit_resolution"];
pub const ENDPOINT_KEYS: &[&str] = &["attributes", "controls", "lock_delay_units", "lock_delay"];

/// bCategory (UAC2 §A.7).
pub const CATEGORIES: &[(&str, i128)] = &[
    ("desktop-speaker", 0x01),
    ("home-theater", 0x02),
    ("microphone", 0x03),
    ("headset", 0x04),
    ("telephone", 0x05),
    ("converter", 0x06),
    ("voice-sound-recorder", 0x07),
    ("io-box", 0x08),
    ("musical-instrument", 0x09),
    ("pro-audio", 0x0a),
    ("audio-video", 0x0b),
    ("control-panel", 0x0c),
    ("other", 0xff),
];
/// wTerminalType (Terminal Types 2.0 §2): the common ones.
pub const TERMINAL_TYPES: &[(&str, i128)] = &[
    ("usb-streaming", 0x0101),
    ("microphone", 0x0201),
    ("desktop-microphone", 0x0202),
    ("speaker", 0x0301),
    ("headphones", 0x0302),
    ("desktop-speaker", 0x0304),
    ("headset", 0x0402),
    ("line-connector", 0x0603),
    ("spdif", 0x0605),
];
/// bmAttributes bits 1..0 of a clock source.
const CLOCK_TYPES: &[(&str, i128)] = &[("external", 0), ("internal-fixed", 1), ("internal-variable", 2), ("internal-programmable", 3)];
/// A 2-bit control field (§4.1): absent, host readable, host programmable.
const CONTROL: &[(&str, i128)] = &[("none", 0), ("read-only", 1), ("programmable", 3)];
const FORMATS: &[(&str, i128)] = &[("pcm", 1)];

fn id(t: &Table<'_, '_>, key: &str, d: &mut Diagnostics) -> u8 {
    t.require(key, d).and_then(|v| v.int_in(1, 255, d)).unwrap_or(1) as u8
}
fn u8_or(t: &Table<'_, '_>, key: &str, default: u8, d: &mut Diagnostics) -> u8 {
    t.get(key).and_then(|v| v.u8(d)).unwrap_or(default)
}
fn word(t: &Table<'_, '_>, key: &str, d: &mut Diagnostics) -> u16 {
    t.get(key).and_then(|v| v.u16(d)).unwrap_or(0)
}
fn dword(t: &Table<'_, '_>, key: &str, d: &mut Diagnostics) -> u32 {
    t.get(key).and_then(|v| v.u32(d)).unwrap_or(0)
}
fn named_or(t: &Table<'_, '_>, key: &str, names: &[(&str, i128)], hi: i128, default: i128, d: &mut Diagnostics) -> i128 {
    t.get(key).and_then(|v| v.name_or_int(names, 0, hi, d)).unwrap_or(default)
}
fn terminal_type(t: &Table<'_, '_>, d: &mut Diagnostics) -> u16 {
    t.require("type", d).and_then(|v| v.name_or_int(TERMINAL_TYPES, 0, 0xffff, d)).unwrap_or(0x0101) as u16
}
fn name(t: &Table<'_, '_>, d: &mut Diagnostics) -> StrRef {
    match t.get("name") {
        Some(v) if v.is_int() => StrRef { index: v.u8(d).unwrap_or(0), text: None, span: Some(v.span()) },
        Some(v) => StrRef { index: 0, text: v.str(d).map(str::to_string), span: Some(v.span()) },
        None => StrRef::none(),
    }
}
fn ids(v: Option<Value<'_, '_>>, d: &mut Diagnostics) -> Vec<u8> {
    v.and_then(|v| v.array(d)).map(|a| a.iter().filter_map(|x| x.int_in(1, 255, d).map(|n| n as u8)).collect()).unwrap_or_default()
}

/// One table of an interface (`key` is one of [`Uac2::keys`]).
fn read(key: &str, t: &Table<'_, '_>, d: &mut Diagnostics) -> Uac2Item {
    let span = Some(t.span());
    match key {
        "uac2_header" => {
            let item = Uac2Item::AcHeader {
                bcd_adc: t.get("bcd_adc").and_then(|v| v.bcd(d)).unwrap_or(0x0200),
                category: named_or(t, "category", CATEGORIES, 255, 0, d) as u8,
                controls: u8_or(t, "controls", 0, d),
                total_length_override: t.get("total_length").and_then(|v| v.u16(d)),
                span,
            };
            t.finish(HEADER_KEYS, d);
            item
        }
        "uac2_clock_source" => {
            let attributes = named_or(t, "type", CLOCK_TYPES, 3, 1, d) as u8
                | if t.get("sync_to_sof").and_then(|v| v.bool(d)).unwrap_or(false) { 4 } else { 0 };
            let controls = named_or(t, "frequency", CONTROL, 3, 1, d) as u8 | (named_or(t, "validity", CONTROL, 3, 0, d) as u8) << 2;
            let rates = t
                .get("rates")
                .and_then(|v| v.array(d))
                .map(|a| a.iter().filter_map(|x| x.int_in(1, u32::MAX as i128, d).map(|n| n as u32)).collect())
                .unwrap_or_default();
            let item = Uac2Item::ClockSource {
                id: id(t, "id", d),
                attributes,
                controls,
                assoc_terminal: u8_or(t, "assoc_terminal", 0, d),
                name: name(t, d),
                rates,
                span,
            };
            t.finish(CLOCK_SOURCE_KEYS, d);
            item
        }
        "uac2_clock_selector" => {
            let item = Uac2Item::ClockSelector {
                id: id(t, "id", d),
                sources: ids(t.require("sources", d), d),
                controls: named_or(t, "selector", CONTROL, 3, 0, d) as u8,
                name: name(t, d),
                span,
            };
            t.finish(CLOCK_SELECTOR_KEYS, d);
            item
        }
        "uac2_input_terminal" => {
            let item = Uac2Item::InputTerminal {
                id: id(t, "id", d),
                terminal_type: terminal_type(t, d),
                assoc_terminal: u8_or(t, "assoc_terminal", 0, d),
                clock: id(t, "clock", d),
                channels: u8_or(t, "channels", 1, d),
                channel_config: dword(t, "channel_config", d),
                channel_names: u8_or(t, "channel_names", 0, d),
                controls: word(t, "controls", d),
                name: name(t, d),
                span,
            };
            t.finish(INPUT_TERMINAL_KEYS, d);
            item
        }
        "uac2_output_terminal" => {
            let item = Uac2Item::OutputTerminal {
                id: id(t, "id", d),
                terminal_type: terminal_type(t, d),
                assoc_terminal: u8_or(t, "assoc_terminal", 0, d),
                source: id(t, "source", d),
                clock: id(t, "clock", d),
                controls: word(t, "controls", d),
                name: name(t, d),
                span,
            };
            t.finish(OUTPUT_TERMINAL_KEYS, d);
            item
        }
        "uac2_feature_unit" => {
            let controls = match t.require("controls", d).and_then(|v| v.array(d)) {
                Some(a) => a.iter().filter_map(|x| x.u32(d)).collect(),
                None => vec![0],
            };
            let item = Uac2Item::FeatureUnit { id: id(t, "id", d), source: id(t, "source", d), controls, name: name(t, d), span };
            t.finish(FEATURE_UNIT_KEYS, d);
            item
        }
        "uac2_streaming" => {
            let item = Uac2Item::AsGeneral {
                terminal: id(t, "terminal", d),
                controls: u8_or(t, "controls", 0, d),
                format_type: u8_or(t, "format_type", 1, d),
                formats: t.get("formats").and_then(|v| v.name_or_int(FORMATS, 0, u32::MAX as i128, d)).unwrap_or(1) as u32,
                channels: u8_or(t, "channels", 1, d),
                channel_config: dword(t, "channel_config", d),
                channel_names: u8_or(t, "channel_names", 0, d),
                span,
            };
            t.finish(STREAMING_KEYS, d);
            item
        }
        _ => {
            let item = Uac2Item::FormatTypeI { subslot_size: u8_or(t, "subslot_size", 2, d), bit_resolution: u8_or(t, "bit_resolution", 16, d) };
            t.finish(FORMAT_KEYS, d);
            item
        }
    }
}

/// Endpoint `uac2 = { ... }` of an AudioStreaming interface.
fn read_endpoint(cx: &InterfaceCx, t: &Table<'_, '_>, e: &mut Endpoint, d: &mut Diagnostics) {
    let Some(v) = t.get("uac2") else { return };
    let Some(u) = v.table(d) else { return };
    if !is_streaming(cx.class, cx.subclass, cx.protocol) {
        d.push(
            Diagnostic::error(crate::tomlr::BAD_VALUE, "`uac2` belongs to an endpoint of a USB Audio 2.0 streaming interface")
                .at(v.span())
                .help("set `class = \"audio\"`, `subclass = \"audio-streaming\"`, `protocol = 0x20` on the interface, or drop `uac2`"),
        );
        return;
    }
    let fields = (u8_or(&u, "attributes", 0, d), u8_or(&u, "controls", 0, d), u8_or(&u, "lock_delay_units", 0, d), word(&u, "lock_delay", d));
    u.finish(ENDPOINT_KEYS, d);
    let mut r = endpoint_descriptor(fields);
    r.spans = Spans::table(v.span());
    e.items.insert(0, r);
}

// ---------------------------------------------------------------- TOML writer

#[cfg(feature = "emit")]
fn to_toml(item: &Uac2Item) -> TomlTable {
    let hex = |v: u64| format!("{v:#04x}");
    let name_of = |names: &[(&str, i128)], v: i128| match names.iter().find(|(_, n)| *n == v) {
        Some((s, _)) => format!("\"{s}\""),
        None => hex(v as u64),
    };
    let str_ref = |n: &StrRef| match (&n.text, n.index) {
        (Some(t), _) => Some(toml::Value::String(t.clone()).to_string()),
        (None, 0) => None,
        (None, i) => Some(i.to_string()),
    };
    let mut kv: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| kv.push((k.to_string(), v));
    let (key, array) = match item {
        Uac2Item::AcHeader { bcd_adc, category, controls, total_length_override, .. } => {
            put("bcd_adc", crate::names::bcd_toml(*bcd_adc));
            put("category", name_of(CATEGORIES, i128::from(*category)));
            put("controls", hex(u64::from(*controls)));
            if let Some(t) = total_length_override {
                put("total_length", t.to_string());
            }
            ("uac2_header", false)
        }
        Uac2Item::ClockSource { id, attributes, controls, assoc_terminal, rates, .. } => {
            put("id", id.to_string());
            put("type", name_of(CLOCK_TYPES, i128::from(attributes & 3)));
            put("sync_to_sof", (attributes & 4 != 0).to_string());
            put("frequency", name_of(CONTROL, i128::from(controls & 3)));
            put("validity", name_of(CONTROL, i128::from((controls >> 2) & 3)));
            put("assoc_terminal", assoc_terminal.to_string());
            if !rates.is_empty() {
                put("rates", format!("[{}]", rates.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")));
            }
            ("uac2_clock_source", true)
        }
        Uac2Item::ClockSelector { id, sources, controls, .. } => {
            put("id", id.to_string());
            put("sources", format!("[{}]", sources.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")));
            put("selector", name_of(CONTROL, i128::from(*controls)));
            ("uac2_clock_selector", true)
        }
        Uac2Item::InputTerminal { id, terminal_type, assoc_terminal, clock, channels, channel_config, channel_names, controls, .. } => {
            put("id", id.to_string());
            put("type", name_of(TERMINAL_TYPES, i128::from(*terminal_type)));
            put("assoc_terminal", assoc_terminal.to_string());
            put("clock", clock.to_string());
            put("channels", channels.to_string());
            put("channel_config", hex(u64::from(*channel_config)));
            put("channel_names", channel_names.to_string());
            put("controls", hex(u64::from(*controls)));
            ("uac2_input_terminal", true)
        }
        Uac2Item::OutputTerminal { id, terminal_type, assoc_terminal, source, clock, controls, .. } => {
            put("id", id.to_string());
            put("type", name_of(TERMINAL_TYPES, i128::from(*terminal_type)));
            put("assoc_terminal", assoc_terminal.to_string());
            put("source", source.to_string());
            put("clock", clock.to_string());
            put("controls", hex(u64::from(*controls)));
            ("uac2_output_terminal", true)
        }
        Uac2Item::FeatureUnit { id, source, controls, .. } => {
            put("id", id.to_string());
            put("source", source.to_string());
            put("controls", format!("[{}]", controls.iter().map(|c| hex(u64::from(*c))).collect::<Vec<_>>().join(", ")));
            ("uac2_feature_unit", true)
        }
        Uac2Item::AsGeneral { terminal, controls, format_type, formats, channels, channel_config, channel_names, .. } => {
            put("terminal", terminal.to_string());
            put("controls", hex(u64::from(*controls)));
            put("format_type", format_type.to_string());
            put("formats", if *formats == 1 { "\"pcm\"".into() } else { hex(u64::from(*formats)) });
            put("channels", channels.to_string());
            put("channel_config", hex(u64::from(*channel_config)));
            put("channel_names", channel_names.to_string());
            ("uac2_streaming", false)
        }
        Uac2Item::FormatTypeI { subslot_size, bit_resolution } => {
            put("subslot_size", subslot_size.to_string());
            put("bit_resolution", bit_resolution.to_string());
            ("uac2_format", false)
        }
    };
    if let Some(s) = item.name().and_then(str_ref) {
        kv.push(("name".into(), s));
    }
    TomlTable { key, array, kv, consumed: 1 }
}

// ---------------------------------------------------------------- the class boundary

impl ClassDescriptor for Uac2Item {
    fn class(&self) -> &'static str {
        "uac2"
    }
    fn encode(&self, tail: &[InterfaceItem], out: &mut Vec<u8>) {
        encode(out, self, tail)
    }
    fn strings(&self) -> Vec<&StrRef> {
        self.name().into_iter().collect()
    }
    fn strings_mut(&mut self) -> Vec<&mut StrRef> {
        self.name_mut().into_iter().collect()
    }
    fn lengths(&self, _itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        match self {
            Uac2Item::ClockSelector { sources, span, .. } => vec![("the clock selector descriptor".into(), 7 + sources.len(), 255, *span)],
            Uac2Item::FeatureUnit { controls, span, .. } => vec![("the feature unit descriptor".into(), 6 + 4 * controls.len(), 255, *span)],
            _ => Vec::new(),
        }
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self, _tail: &[InterfaceItem]) -> Option<TomlTable> {
        Some(to_toml(self))
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        Some(dump(self, bytes))
    }
}

// ---------------------------------------------------------------- dump

fn name_in(names: &[(&'static str, i128)], v: i128) -> String {
    names.iter().find(|(_, n)| *n == v).map(|(s, _)| s.to_string()).unwrap_or_default()
}

/// `usbdesc dump` of one item; `bytes` is its encoding (wTotalLength as on the wire).
fn dump(item: &Uac2Item, bytes: &[u8]) -> DumpBlock {
    let control = |v: u8| name_in(CONTROL, i128::from(v & 3));
    let hex32 = |v: u32| format!("{v:#010x}");
    let mut b;
    match item {
        Uac2Item::AcHeader { bcd_adc, category, controls, .. } => {
            b = DumpBlock::new("AudioControl Interface Header (UAC2)", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::HEADER, "HEADER");
            b.field("bcdADC", crate::names::bcd_toml(*bcd_adc).trim_matches('"'), "");
            b.field("bCategory", category, name_in(CATEGORIES, i128::from(*category)));
            b.field("wTotalLength", u16_at(bytes, 6), "");
            b.field("bmControls", format!("{controls:#04x}"), "");
        }
        Uac2Item::ClockSource { id, attributes, controls, assoc_terminal, name, rates, .. } => {
            b = DumpBlock::new("Clock Source", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::CLOCK_SOURCE, "CLOCK_SOURCE");
            b.field("bClockID", id, "");
            let sof = if attributes & 4 != 0 { ", synchronised to SOF" } else { "" };
            b.field("bmAttributes", format!("{attributes:#04x}"), format!("{}{sof}", name_in(CLOCK_TYPES, i128::from(attributes & 3))));
            b.field("bmControls", format!("{controls:#04x}"), format!("frequency {}, validity {}", control(*controls), control(controls >> 2)));
            b.field("bAssocTerminal", assoc_terminal, "");
            b.field("iClockSource", name.index, name.text.clone().unwrap_or_default());
            if !rates.is_empty() {
                b.field("(rates)", rates.iter().map(u32::to_string).collect::<Vec<_>>().join(" "), "Hz, answered by the runtime");
            }
        }
        Uac2Item::ClockSelector { id, sources, controls, name, .. } => {
            b = DumpBlock::new("Clock Selector", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::CLOCK_SELECTOR, "CLOCK_SELECTOR");
            b.field("bClockID", id, "");
            b.field("bNrInPins", sources.len(), "");
            b.field("baCSourceID", sources.iter().map(u8::to_string).collect::<Vec<_>>().join(" "), "");
            b.field("bmControls", format!("{controls:#04x}"), format!("selector {}", control(*controls)));
            b.field("iClockSelector", name.index, name.text.clone().unwrap_or_default());
        }
        Uac2Item::InputTerminal { id, terminal_type, assoc_terminal, clock, channels, channel_config, channel_names, controls, name, .. } => {
            b = DumpBlock::new("Input Terminal", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::INPUT_TERMINAL, "INPUT_TERMINAL");
            b.field("bTerminalID", id, "");
            b.field("wTerminalType", format!("{terminal_type:#06x}"), name_in(TERMINAL_TYPES, i128::from(*terminal_type)));
            b.field("bAssocTerminal", assoc_terminal, "");
            b.field("bCSourceID", clock, "");
            b.field("bNrChannels", channels, "");
            b.field("bmChannelConfig", hex32(*channel_config), "");
            b.field("iChannelNames", channel_names, "");
            b.field("bmControls", format!("{controls:#06x}"), "");
            b.field("iTerminal", name.index, name.text.clone().unwrap_or_default());
        }
        Uac2Item::OutputTerminal { id, terminal_type, assoc_terminal, source, clock, controls, name, .. } => {
            b = DumpBlock::new("Output Terminal", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::OUTPUT_TERMINAL, "OUTPUT_TERMINAL");
            b.field("bTerminalID", id, "");
            b.field("wTerminalType", format!("{terminal_type:#06x}"), name_in(TERMINAL_TYPES, i128::from(*terminal_type)));
            b.field("bAssocTerminal", assoc_terminal, "");
            b.field("bSourceID", source, "");
            b.field("bCSourceID", clock, "");
            b.field("bmControls", format!("{controls:#06x}"), "");
            b.field("iTerminal", name.index, name.text.clone().unwrap_or_default());
        }
        Uac2Item::FeatureUnit { id, source, controls, name, .. } => {
            b = DumpBlock::new("Feature Unit", "CS_INTERFACE");
            b.field("bDescriptorSubtype", ac::FEATURE_UNIT, "FEATURE_UNIT");
            b.field("bUnitID", id, "");
            b.field("bSourceID", source, "");
            for (k, c) in controls.iter().enumerate() {
                b.field(format!("bmaControls({k})"), hex32(*c), if k == 0 { "master" } else { "" });
            }
            b.field("iFeature", name.index, name.text.clone().unwrap_or_default());
        }
        Uac2Item::AsGeneral { terminal, controls, format_type, formats, channels, channel_config, channel_names, .. } => {
            b = DumpBlock::new("AudioStreaming Interface (UAC2)", "CS_INTERFACE");
            b.field("bDescriptorSubtype", as_::GENERAL, "AS_GENERAL");
            b.field("bTerminalLink", terminal, "");
            b.field("bmControls", format!("{controls:#04x}"), "");
            b.field("bFormatType", format_type, "");
            b.field("bmFormats", hex32(*formats), if *formats == 1 { "PCM" } else { "" });
            b.field("bNrChannels", channels, "");
            b.field("bmChannelConfig", hex32(*channel_config), "");
            b.field("iChannelNames", channel_names, "");
        }
        Uac2Item::FormatTypeI { subslot_size, bit_resolution } => {
            b = DumpBlock::new("Format Type I", "CS_INTERFACE");
            b.field("bDescriptorSubtype", as_::FORMAT_TYPE, "FORMAT_TYPE");
            b.field("bFormatType", as_::FORMAT_TYPE_I, "FORMAT_TYPE_I");
            b.field("bSubslotSize", subslot_size, "");
            b.field("bBitResolution", bit_resolution, "");
        }
    }
    b
}

/// `usbdesc dump` of the class-specific isochronous data endpoint descriptor (bLength first).
fn dump_endpoint(bytes: &[u8]) -> Option<DumpBlock> {
    let r = RawDescriptor { descriptor_type: *bytes.get(1)?, data: bytes.get(2..)?.to_vec(), spans: Spans::default() };
    let (attributes, controls, units, delay) = endpoint_fields(&r)?;
    let mut b = DumpBlock::new("AudioStreaming Endpoint (UAC2)", "CS_ENDPOINT");
    b.field("bDescriptorSubtype", as_::EP_GENERAL, "EP_GENERAL");
    b.field("bmAttributes", format!("{attributes:#04x}"), if attributes & 0x80 != 0 { "MaxPacketsOnly" } else { "" });
    b.field("bmControls", format!("{controls:#04x}"), "");
    b.field("bLockDelayUnits", units, match units { 1 => "milliseconds", 2 => "decoded PCM samples", _ => "" });
    b.field("wLockDelay", delay, "");
    Some(b)
}

struct Reader;

impl InterfaceReader for Reader {
    fn read(&mut self, _cx: &InterfaceCx, key: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<InterfaceItem> {
        vec![read(key, t, d).into()]
    }
    fn endpoint(&mut self, cx: &InterfaceCx, t: &Table<'_, '_>, e: &mut Endpoint, d: &mut Diagnostics) {
        read_endpoint(cx, t, e, d)
    }
}

impl UsbClass for Uac2 {
    fn name(&self) -> &'static str {
        "uac2"
    }
    fn key_docs(&self) -> &'static str {
        include_str!("uac2.keys.txt")
    }
    /// `AUDIO_CLOCKS`, the clock sources with their rates, for
    /// `usbdesc_runtime::audio::Uac2Clocks::<AUDIO_CLOCK_COUNT>::new(&AUDIO_CLOCKS)`.
    fn rust_items(&self, dev: &Device, rt: &str) -> String {
        let clocks = clocks(dev);
        if clocks.is_empty() {
            return String::new();
        }
        let mut s = String::from("/// USB Audio 2.0 clock sources with their declared sampling rates (the first is the power-on\n");
        s += &format!("/// rate), for `{rt}::audio::Uac2Clocks::<AUDIO_CLOCK_COUNT>::new(&AUDIO_CLOCKS)`.\n");
        s += &format!("pub static AUDIO_CLOCKS: [{rt}::audio::AudioClock; {}] = [\n", clocks.len());
        for c in &clocks {
            let rates: Vec<String> = c.rates.iter().map(u32::to_string).collect();
            s += &format!(
                "    {rt}::audio::AudioClock {{ interface: {}, clock_id: {}, controls: {:#04x}, rates: &[{}] }},\n",
                c.interface,
                c.id,
                c.controls,
                rates.join(", ")
            );
        }
        s += "];\n";
        s += &format!("/// How many clock sources `AUDIO_CLOCKS` holds (the `N` of `Uac2Clocks`).\npub const AUDIO_CLOCK_COUNT: usize = {};\n", clocks.len());
        s
    }
    /// Per clock source: its AudioControl interface and the rates to answer RANGE / CUR with
    /// (TinyUSB's `tud_audio_get_req_entity_cb`).
    #[cfg(feature = "emit")]
    fn c_items(&self, dev: &Device, up: &str) -> String {
        let clocks = clocks(dev);
        if clocks.is_empty() {
            return String::new();
        }
        let mut s = String::from("/* USB Audio 2.0 clock sources: the AudioControl interface and the sampling rates a host\n   reads with RANGE (one subrange per rate) and CUR (the first at power-on) */\n");
        s += &format!("#define {up}_AUDIO_CLOCK_COUNT {}\n", clocks.len());
        for c in &clocks {
            let rates: Vec<String> = c.rates.iter().map(|r| format!("{r}u")).collect();
            let p = format!("{up}_AUDIO_CLOCK_{}", c.id);
            s += &format!("#define {p}_INTERFACE {}\n#define {p}_RATE_COUNT {}\n#define {p}_RATES {{ {} }}\n", c.interface, c.rates.len(), rates.join(", "));
        }
        s.push('\n');
        s
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "uac2_header",
            "uac2_clock_source",
            "uac2_clock_selector",
            "uac2_input_terminal",
            "uac2_output_terminal",
            "uac2_feature_unit",
            "uac2_streaming",
            "uac2_format",
        ]
    }
    fn endpoint_keys(&self) -> &'static [&'static str] {
        &["uac2"]
    }
    fn lift(&self, itf: &mut Interface) {
        lift(itf)
    }
    fn reader(&self, _cx: &InterfaceCx, _tables: Tables<'_, '_, '_>, _d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(Reader)
    }
    fn endpoint_toml(&self, cx: &InterfaceCx, e: &Endpoint) -> (Vec<(String, String)>, usize) {
        if !is_streaming(cx.class, cx.subclass, cx.protocol) {
            return (Vec::new(), 0);
        }
        let Some((attributes, controls, units, delay)) = e.items.first().and_then(endpoint_fields) else { return (Vec::new(), 0) };
        let parts: Vec<String> = [("attributes", attributes as u16), ("controls", controls as u16), ("lock_delay_units", units as u16), ("lock_delay", delay)]
            .iter()
            .filter(|(_, v)| *v != 0)
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let value = if parts.is_empty() { "{}".to_string() } else { format!("{{ {} }}", parts.join(", ")) };
        (vec![("uac2".into(), value)], 1)
    }
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        if !is_streaming(cx.class, cx.subclass, cx.protocol) {
            return None;
        }
        dump_endpoint(bytes)
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check::check(dev, d)
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        schema::schema(key)
    }
}

/// A clock source the runtime serves: the AudioControl interface, the clock ID, bmControls and
/// the declared rates (for `usbdesc_runtime::audio::AudioClock`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    pub interface: u8,
    pub id: u8,
    pub controls: u8,
    pub rates: Vec<u32>,
}

/// Every clock source with declared rates in the first configuration.
pub fn clocks(dev: &Device) -> Vec<Clock> {
    let Some(c) = dev.configurations.first() else { return Vec::new() };
    c.interfaces()
        .filter(|i| is_control(i))
        .flat_map(|i| {
            i.items.iter().filter_map(move |it| match it.class::<Uac2Item>() {
                Some(Uac2Item::ClockSource { id, controls, rates, .. }) if !rates.is_empty() => {
                    Some(Clock { interface: i.number, id: *id, controls: *controls, rates: rates.clone() })
                }
                _ => None,
            })
        })
        .collect()
}

/// UAC2 rules: entity IDs, unit/terminal and clock references, the AC header's wTotalLength,
/// rates per clock, isochronous packet sizes and feedback endpoints.
mod check {
    use super::*;
    use crate::profile::Speed;

    /// The entities of one configuration's AudioControl interfaces: (interface, item).
    type Entities<'a> = Vec<(u8, &'a Uac2Item)>;

    pub fn check(dev: &Device, d: &mut Diagnostics) {
        for c in &dev.configurations {
            let mut entities: Entities = Vec::new();
            for itf in c.interfaces().filter(|i| is_control(i)) {
                control(itf, &mut entities, d);
            }
            references(&entities, d);
            for itf in c.interfaces().filter(|i| is_streaming(i.class, i.subclass, i.protocol)) {
                streaming(dev, itf, &entities, d);
            }
        }
    }

    fn control<'a>(itf: &'a Interface, entities: &mut Entities<'a>, d: &mut Diagnostics) {
        let mut seen: Vec<(u8, Option<Span>)> = Vec::new();
        for (k, it) in itf.items.iter().enumerate() {
            let Some(u) = it.class::<Uac2Item>() else { continue };
            if let Uac2Item::AcHeader { total_length_override: Some(stated), .. } = u {
                let mut out = Vec::new();
                let mut probe = u.clone();
                if let Uac2Item::AcHeader { total_length_override, .. } = &mut probe {
                    *total_length_override = None;
                }
                encode(&mut out, &probe, &itf.items[k + 1..]);
                let computed = u16::from_le_bytes([out[6], out[7]]);
                if *stated != computed {
                    d.push(
                        Diagnostic::warning(AC_TOTAL_LENGTH, format!("the AudioControl header of interface {} says wTotalLength {stated}, but it and the descriptors after it are {computed} bytes", itf.number))
                            .at(u.span().or(itf.spans.table))
                            .help("drop `total_length`: usbdesc computes it")
                            .note("Linux's snd-usb-audio walks the interface's descriptors and does not read this field; other hosts (Windows' usbaudio2.sys) use it to find the class-specific descriptors"),
                    );
                }
            }
            if let Uac2Item::ClockSource { rates, span, id, .. } = u {
                if rates.len() > MAX_RATES {
                    d.push(
                        Diagnostic::warning(TOO_MANY_RATES, format!("clock source {id} lists {} sampling frequencies; usbdesc-runtime's RANGE answer holds the first {MAX_RATES}", rates.len()))
                            .at(span.or(itf.spans.table))
                            .help(format!("keep at most {MAX_RATES} rates, build usb-device with its `control-buffer-256` feature (21 rates), or answer the clock's RANGE request in your own firmware"))
                            .note(format!("a limit of usbdesc-runtime, not of the host: it answers RANGE of the sampling frequency with one subrange per rate (2 + 12 bytes each) from usb-device's 128-byte control buffer, so a host is offered only the first {MAX_RATES} (Linux 6.1 with 12 declared: `Rates: 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 6000`); Linux reads any number of subranges (it listed all 12 from a 146-byte answer)")),
                    );
                }
            }
            let Some(id) = u.entity_id() else { continue };
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
                d.push(
                    Diagnostic::warning(ENTITY_ID_REUSED, format!("audio entity ID {id} is used twice in interface {}", itf.number))
                        .at(u.span().or(itf.spans.table))
                        .label(*first, "first used here")
                        .help("clocks, terminals and units share one ID space in the AudioControl interface: give each its own `id`")
                        .note("Linux's snd-usb-audio finds an entity by the first descriptor with that ID, so the second one is never used"),
                );
            }
            seen.push((id, u.span()));
            entities.push((itf.number, u));
        }
    }

    fn find<'a>(entities: &'a Entities<'a>, id: u8) -> Option<&'a Uac2Item> {
        entities.iter().find(|(_, e)| e.entity_id() == Some(id)).map(|(_, e)| *e)
    }

    fn dangling(d: &mut Diagnostics, what: String, span: Option<Span>, entities: &Entities) {
        let ids: Vec<String> = entities.iter().filter(|(_, e)| !e.is_clock()).filter_map(|(_, e)| e.entity_id()).map(|i| i.to_string()).collect();
        d.push(
            Diagnostic::error(DANGLING_SOURCE, what)
                .at(span)
                .help(format!("name a terminal or unit of the AudioControl interface (IDs there: {})", if ids.is_empty() { "none".into() } else { ids.join(", ") }))
                .note("Linux's snd-usb-audio logs `unit N not found!` while it builds the mixer and leaves the controls of that path out"),
        );
    }

    fn clock_link(d: &mut Diagnostics, what: String, span: Option<Span>, entities: &Entities) {
        let ids: Vec<String> = entities.iter().filter(|(_, e)| e.is_clock()).filter_map(|(_, e)| e.entity_id()).map(|i| i.to_string()).collect();
        d.push(
            Diagnostic::error(CLOCK_LINK, what)
                .at(span)
                .help(format!("name a clock source or clock selector (clock IDs: {})", if ids.is_empty() { "none".into() } else { ids.join(", ") }))
                .note("Linux's snd-usb-audio logs `parse_audio_format_rates_v2v3(): unable to find clock source` and the stream gets no sampling rate, so it cannot be opened"),
        );
    }

    fn references(entities: &Entities, d: &mut Diagnostics) {
        let unit = |id: u8| find(entities, id).is_some_and(|e| !e.is_clock());
        let clock = |id: u8| find(entities, id).is_some_and(Uac2Item::is_clock);
        for (_, e) in entities {
            let span = e.span();
            match e {
                Uac2Item::OutputTerminal { id, source, clock: c, .. } => {
                    if !unit(*source) {
                        dangling(d, format!("output terminal {id} takes its signal from entity {source}, which is no terminal or unit"), span, entities);
                    }
                    if !clock(*c) {
                        clock_link(d, format!("output terminal {id} is clocked by entity {c}, which is no clock"), span, entities);
                    }
                }
                Uac2Item::FeatureUnit { id, source, .. } if !unit(*source) => {
                    dangling(d, format!("feature unit {id} takes its signal from entity {source}, which is no terminal or unit"), span, entities);
                }
                Uac2Item::InputTerminal { id, clock: c, .. } if !clock(*c) => {
                    clock_link(d, format!("input terminal {id} is clocked by entity {c}, which is no clock"), span, entities);
                }
                Uac2Item::ClockSelector { id, sources, .. } => {
                    for s in sources.iter().filter(|s| !clock(**s)) {
                        clock_link(d, format!("clock selector {id} has input {s}, which is no clock"), span, entities);
                    }
                }
                _ => {}
            }
        }
    }

    /// The highest declared rate reaching the clock entity `id` (through selectors), if any is declared.
    fn max_rate(entities: &Entities, id: u8, depth: u8) -> Option<u32> {
        match find(entities, id)? {
            Uac2Item::ClockSource { rates, .. } => rates.iter().max().copied(),
            Uac2Item::ClockSelector { sources, .. } if depth < 8 => sources.iter().filter_map(|s| max_rate(entities, *s, depth + 1)).max(),
            _ => None,
        }
    }

    fn streaming(dev: &Device, itf: &Interface, entities: &Entities, d: &mut Diagnostics) {
        let items: Vec<&Uac2Item> = itf.items.iter().filter_map(|i| i.class::<Uac2Item>()).collect();
        let general = items.iter().find_map(|u| match u {
            Uac2Item::AsGeneral { terminal, channels, span, .. } => Some((*terminal, *channels, *span)),
            _ => None,
        });
        let Some((terminal, channels, span)) = general else { return };
        let clock = match find(entities, terminal) {
            Some(Uac2Item::InputTerminal { clock, .. } | Uac2Item::OutputTerminal { clock, .. }) => Some(*clock),
            Some(_) => None,
            None if entities.is_empty() => return,
            None => {
                dangling(d, format!("streaming interface {} alternate setting {} links terminal {terminal}, which does not exist", itf.number, itf.alternate), span, entities);
                return;
            }
        };
        let subslot = items.iter().find_map(|u| match u {
            Uac2Item::FormatTypeI { subslot_size, .. } => Some(*subslot_size),
            _ => None,
        });
        let data: Vec<&Endpoint> = itf.endpoints().filter(|e| e.transfer == Transfer::Isochronous && (e.attributes_high >> 2) & 3 == 0).collect();
        let feedback = itf.endpoints().any(|e| e.transfer == Transfer::Isochronous && (e.attributes_high >> 2) & 3 == 1);
        for e in &data {
            // Asynchronous (sync type 01) OUT data needs the device's rate fed back.
            if e.direction == Direction::Out && e.attributes_high & 3 == 1 && !feedback {
                d.push(
                    Diagnostic::warning(NO_FEEDBACK, format!("asynchronous isochronous OUT endpoint {:#04x} has no feedback endpoint", e.address()))
                        .at(e.spans.table.or(itf.spans.table))
                        .help("add an isochronous IN endpoint with `usage = \"feedback\"` to this alternate setting, or make the data endpoint `sync = \"adaptive\"`")
                        .note("USB 2.0 §5.12.4.2: an asynchronous sink reports its rate through a feedback endpoint; without one the host can only send at the nominal rate and the device's clock drifts against it"),
                );
            }
            let (Some(clock), Some(subslot)) = (clock, subslot) else { continue };
            let Some(rate) = max_rate(entities, clock, 0) else { continue };
            let hs = dev.target.speed() == Speed::High;
            let mut speeds = vec![(if hs { "high" } else { "full" }, hs, e.max_packet_size, e.interval)];
            if let Some((mps, interval)) = e.other_speed {
                speeds.push((if hs { "full" } else { "high" }, !hs, mps, interval));
            }
            for (speed, high, mps, interval) in speeds {
                let exp = u32::from(interval.clamp(1, 16) - 1);
                // Service interval in microseconds: 2^(bInterval-1) frames (1 ms) or microframes (125 µs).
                let period_us = u64::from(if high { 125u32 } else { 1000 }) << exp;
                let samples = (u64::from(rate) * period_us).div_ceil(1_000_000);
                let need = samples * u64::from(channels) * u64::from(subslot);
                let capacity = u64::from(mps & 0x7ff) * (1 + u64::from((mps >> 11) & 3));
                if capacity < need {
                    d.push(
                        Diagnostic::warning(PACKET_TOO_SMALL, format!("endpoint {:#04x} carries {capacity} bytes per {period_us} µs at {speed} speed; {rate} Hz × {channels} channels × {subslot} bytes needs {need}", e.address()))
                            .at(e.spans.at("max_packet_size"))
                            .help(format!("set max_packet_size to at least {need} (TinyUSB adds one sample, {}, for clock drift)", need + u64::from(channels) * u64::from(subslot)))
                            .note("Linux 6.1's snd-usb-audio binds and offers the rate anyway (`/proc/asound/card0/stream0`: `Rates: 48000` for an altsetting of 128-byte packets at 48 kHz × 2 × 2 bytes, with the same kernel log as a packet that fits); while streaming it puts at most wMaxPacketSize in a packet, fewer samples than the rate needs: playback underruns, capture loses samples"),
                    );
                }
            }
        }
    }
}

#[cfg(feature = "emit")]
mod schema {
    use super::*;
    use crate::schema_parts::*;
    use serde_json::{json, Value};

    fn control() -> Value {
        named(CONTROL, 0, 3)
    }

    pub fn schema(key: &str) -> Option<Value> {
        let entity = |desc: &str, keys: &[&str], required: &[&str]| {
            one_or_many(
                key,
                table(desc, keys, required, |k| match k {
                    "id" | "clock" | "source" | "assoc_terminal" => int(if k == "assoc_terminal" { 0 } else { 1 }, 255),
                    "type" if key == "uac2_clock_source" => named(CLOCK_TYPES, 0, 3),
                    "type" => named(TERMINAL_TYPES, 0, 0xffff),
                    "sync_to_sof" => boolean(),
                    "frequency" | "validity" | "selector" => control(),
                    "rates" => json!({ "type": "array", "description": "sampling frequencies in Hz (the runtime answers RANGE/CUR with them, the first 10 in RANGE)", "items": int(1, u32::MAX as i64) }),
                    "sources" => json!({ "type": "array", "items": int(1, 255) }),
                    "controls" if key == "uac2_feature_unit" => json!({ "type": "array", "description": "bmaControls: master channel, then each channel", "items": int(0, u32::MAX as i64) }),
                    "controls" => int(0, 0xffff),
                    "channels" | "channel_names" => byte(),
                    "channel_config" => int(0, u32::MAX as i64),
                    "name" => str_ref(),
                    _ => json!({}),
                }),
            )
        };
        Some(match key {
            "uac2_header" => table("the USB Audio 2.0 AudioControl header; wTotalLength is computed", HEADER_KEYS, &[], |k| match k {
                "bcd_adc" => bcd(),
                "category" => named(CATEGORIES, 0, 255),
                "controls" => byte(),
                _ => int(0, 0xffff),
            }),
            "uac2_clock_source" => entity("a USB Audio 2.0 clock source", CLOCK_SOURCE_KEYS, &["id"]),
            "uac2_clock_selector" => entity("a USB Audio 2.0 clock selector", CLOCK_SELECTOR_KEYS, &["id", "sources"]),
            "uac2_input_terminal" => entity("a USB Audio 2.0 input terminal", INPUT_TERMINAL_KEYS, &["id", "type", "clock"]),
            "uac2_output_terminal" => entity("a USB Audio 2.0 output terminal", OUTPUT_TERMINAL_KEYS, &["id", "type", "source", "clock"]),
            "uac2_feature_unit" => entity("a USB Audio 2.0 feature unit", FEATURE_UNIT_KEYS, &["id", "source", "controls"]),
            "uac2_streaming" => table("the USB Audio 2.0 class-specific AS interface descriptor", STREAMING_KEYS, &["terminal"], |k| match k {
                "terminal" => int(1, 255),
                "formats" => named(FORMATS, 0, u32::MAX as i64),
                "channel_config" => int(0, u32::MAX as i64),
                _ => byte(),
            }),
            "uac2_format" => table("a USB Audio 2.0 type I format descriptor", FORMAT_KEYS, &[], |_| byte()),
            "uac2" => table("the USB Audio 2.0 class-specific isochronous data endpoint descriptor", ENDPOINT_KEYS, &[], |k| {
                if k == "lock_delay" { int(0, 0xffff) } else { byte() }
            }),
            _ => return None,
        })
    }
}
