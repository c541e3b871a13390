//! USB MIDI 1.0 (Audio Device Class 1.0, subclass MIDIStreaming): the AudioControl header, the
//! MIDIStreaming header, MIDI IN / OUT jacks and the class-specific bulk endpoint descriptor.
//!
//! TOML (inside an interface):
//! - `[...audio_control]`: `bcd_adc` ("1.00"), `streaming = [1]` (baInterfaceNr; default: the
//!   next interface number). wTotalLength = header + the following class-specific AC descriptors.
//! - `[...midi_streaming]`: `bcd_msc` ("1.00"). wTotalLength = header + every descriptor after it
//!   in the interface, endpoints included (MIDI 1.0 §6.1.2.2 and Appendix B.4.3: 0x41 for the
//!   example adapter, which counts the endpoints).
//! - `[[...midi_in_jack]]` / `[[...midi_out_jack]]`: `type = "embedded" | "external"`, `id` (auto:
//!   the lowest free ID from 1, in declaration order), `label` (a name other jacks and endpoints
//!   refer to), `name` (iJack string), and for OUT jacks `sources = [{ jack = "label" | id, pin = 1 }]`
//!   (or just `["label", 2]`).
//! - endpoint `jacks = ["label", 3]`: the class-specific MS_GENERAL endpoint descriptor with its
//!   associated embedded jacks (MIDI 1.0 §6.2.2), placed right after the endpoint.

use super::{InterfaceCx, InterfaceReader, Tables, UsbClass};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;
use crate::spec::midi::{HEADER, IN_JACK, MS_GENERAL, OUT_JACK};
use crate::spec::{class, protocol, subclass, u16_at, CS_ENDPOINT, CS_INTERFACE};
use crate::tomlr::{Table, Value};

/// Jack ID used twice in one MIDIStreaming interface.
pub const JACK_ID_REUSED: &str = "UD5001";
/// A jack reference (OUT jack source or endpoint association) that names no jack.
pub const JACK_DANGLING: &str = "UD5002";

/// The class: USB MIDI 1.0 (Audio 1.0 AudioControl header and MIDIStreaming).
pub struct Midi;

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum MidiItem {
    /// Class-specific AudioControl interface header (Audio 1.0 §4.3.2).
    AcHeader { bcd_adc: u16, streaming: Vec<u8>, total_length_override: Option<u16> },
    /// Class-specific MIDIStreaming interface header (MIDI 1.0 §6.1.2.2).
    MsHeader { bcd_msc: u16, total_length_override: Option<u16> },
    /// MIDI IN jack (§6.1.2.3).
    InJack { embedded: bool, id: u8, name: StrRef, #[cfg_attr(feature = "serde", serde(skip))] span: Option<Span> },
    /// MIDI OUT jack (§6.1.2.4); sources are (baSourceID, BaSourcePin).
    OutJack { embedded: bool, id: u8, sources: Vec<(u8, u8)>, name: StrRef, #[cfg_attr(feature = "serde", serde(skip))] span: Option<Span> },
}

impl MidiItem {
    pub fn jack_id(&self) -> Option<u8> {
        match self {
            MidiItem::InJack { id, .. } | MidiItem::OutJack { id, .. } => Some(*id),
            _ => None,
        }
    }
    pub fn name_mut(&mut self) -> Option<&mut StrRef> {
        match self {
            MidiItem::InJack { name, .. } | MidiItem::OutJack { name, .. } => Some(name),
            _ => None,
        }
    }
    pub fn name(&self) -> Option<&StrRef> {
        match self {
            MidiItem::InJack { name, .. } | MidiItem::OutJack { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn jack_type(embedded: bool) -> u8 {
    if embedded { crate::spec::midi::JACK_EMBEDDED } else { crate::spec::midi::JACK_EXTERNAL }
}

/// Append the descriptor of `item`; `tail` is what follows it in the interface (for wTotalLength).
fn encode(out: &mut Vec<u8>, item: &MidiItem, tail: &[InterfaceItem]) {
    let mut b = vec![];
    match item {
        MidiItem::AcHeader { bcd_adc, streaming, total_length_override } => {
            let len = 8 + streaming.len();
            let class_tail: Vec<InterfaceItem> =
                tail.iter().take_while(|i| !matches!(i, InterfaceItem::Endpoint(_))).cloned().collect();
            let total = len + crate::encode::interface_items_len(&class_tail);
            b.push(HEADER);
            b.extend_from_slice(&bcd_adc.to_le_bytes());
            b.extend_from_slice(&total_length_override.unwrap_or(total.min(0xffff) as u16).to_le_bytes());
            b.push(streaming.len().min(255) as u8);
            b.extend_from_slice(streaming);
        }
        MidiItem::MsHeader { bcd_msc, total_length_override } => {
            let total = 7 + crate::encode::interface_items_len(tail);
            b.push(HEADER);
            b.extend_from_slice(&bcd_msc.to_le_bytes());
            b.extend_from_slice(&total_length_override.unwrap_or(total.min(0xffff) as u16).to_le_bytes());
        }
        MidiItem::InJack { embedded, id, name, .. } => b.extend_from_slice(&[IN_JACK, jack_type(*embedded), *id, name.index]),
        MidiItem::OutJack { embedded, id, sources, name, .. } => {
            b.extend_from_slice(&[OUT_JACK, jack_type(*embedded), *id, sources.len().min(255) as u8]);
            for (s, p) in sources {
                b.extend_from_slice(&[*s, *p]);
            }
            b.push(name.index);
        }
    }
    out.push((b.len() + 2).min(255) as u8);
    out.push(CS_INTERFACE);
    out.extend_from_slice(&b);
}

/// The class-specific MS bulk endpoint descriptor with its associated jack IDs.
pub fn endpoint_descriptor(jacks: &[u8]) -> RawDescriptor {
    let mut data = vec![MS_GENERAL, jacks.len().min(255) as u8];
    data.extend_from_slice(jacks);
    RawDescriptor { descriptor_type: CS_ENDPOINT, data, spans: Spans::default() }
}

/// The associated jack IDs when `r` is a well-formed MS_GENERAL endpoint descriptor.
pub fn endpoint_jacks(r: &RawDescriptor) -> Option<&[u8]> {
    let d = &r.data;
    // Jack ID 0 is invalid (IDs are 1..=255), so such a descriptor is not read as a jack list.
    (r.descriptor_type == CS_ENDPOINT
        && d.len() >= 2
        && d[0] == MS_GENERAL
        && d[1] as usize == d.len() - 2
        && d[2..].iter().all(|&j| j != 0))
        .then(|| &d[2..])
}

pub fn is_midi_streaming(itf: &Interface) -> bool {
    itf.class == class::AUDIO && itf.subclass == subclass::MIDI_STREAMING
}
/// A MIDI 1.0 streaming interface: audio class, MIDIStreaming subclass and protocol 0 (Audio
/// 1.0). Another protocol (a MIDI 2.0 or vendor interface) is not typed as MIDI 1.0: the lift
/// and the TOML writer leave its descriptors raw.
fn is_midi1_streaming(class: u8, subclass: u8, protocol: u8) -> bool {
    class == class::AUDIO && subclass == subclass::MIDI_STREAMING && protocol == protocol::AUDIO_1_0
}
/// Audio 1.0 endpoints (audio and MIDI streaming) are 9 bytes: the standard 7 plus bRefresh and
/// bSynchAddress (Audio 1.0 §4.6.1.1, MIDI 1.0 §6.2.1). Audio 2.0 (protocol 0x20) uses 7 bytes.
pub fn audio1_endpoints(class: u8, protocol: u8) -> bool {
    class == class::AUDIO && protocol == protocol::AUDIO_1_0
}
/// The two bytes an Audio 1.0 endpoint gets when the TOML gives no `extra`.
pub const AUDIO1_ENDPOINT_EXTRA: [u8; 2] = [0, 0];
/// An Audio 1.0 AudioControl interface (protocol 0: UAC2's is 0x20, UAC3's 0x30, with headers
/// of another shape).
pub fn is_audio_control(itf: &Interface) -> bool {
    itf.class == class::AUDIO && itf.subclass == subclass::AUDIO_CONTROL && itf.protocol == 0
}

/// Decoder: turn raw class-specific descriptors of AudioControl / MIDI 1.0 streaming interfaces into
/// typed items where they re-encode to the same bytes; keep a header's stored wTotalLength as an
/// override when it differs from the computed one.
fn lift(itf: &mut Interface) {
    let ac = is_audio_control(itf);
    let ms = is_midi1_streaming(itf.class, itf.subclass, itf.protocol);
    if !ac && !ms {
        return;
    }
    for item in itf.items.iter_mut() {
        let InterfaceItem::Raw(r) = item else { continue };
        if r.descriptor_type != CS_INTERFACE || r.data.is_empty() {
            continue;
        }
        let d = &r.data;
        let u16_at = |i: usize| u16_at(d, i);
        let typed = match d[0] {
            HEADER if ac && d.len() >= 6 && d[5] as usize == d.len() - 6 => Some(MidiItem::AcHeader {
                bcd_adc: u16_at(1),
                streaming: d[6..].to_vec(),
                total_length_override: Some(u16_at(3)),
            }),
            HEADER if ms && d.len() == 5 => Some(MidiItem::MsHeader { bcd_msc: u16_at(1), total_length_override: Some(u16_at(3)) }),
            // Jack ID 0 is not a valid ID (MIDI 1.0 §6.1.2.2): such bytes stay raw so they re-encode as given.
            IN_JACK if ms && d.len() == 4 && (1..=2).contains(&d[1]) && d[2] != 0 => {
                Some(MidiItem::InJack { embedded: d[1] == 1, id: d[2], name: StrRef::index(d[3]), span: None })
            }
            OUT_JACK
                if ms
                    && d.len() >= 5
                    && (1..=2).contains(&d[1])
                    && d[2] != 0
                    && d.len() == 5 + 2 * d[3] as usize
                    && d[4..4 + 2 * d[3] as usize].chunks(2).all(|c| c[0] != 0 && c[1] != 0) => {
                let n = d[3] as usize;
                Some(MidiItem::OutJack {
                    embedded: d[1] == 1,
                    id: d[2],
                    sources: d[4..4 + 2 * n].chunks(2).map(|c| (c[0], c[1])).collect(),
                    name: StrRef::index(d[4 + 2 * n]),
                    span: None,
                })
            }
            _ => None,
        };
        if let Some(t) = typed {
            *item = t.into();
        }
    }
    // Drop header overrides that equal the computed totals.
    for k in 0..itf.items.len() {
        let computed = {
            let Some(m) = itf.items[k].class::<MidiItem>() else { continue };
            let mut probe = m.clone();
            match &mut probe {
                MidiItem::AcHeader { total_length_override, .. } | MidiItem::MsHeader { total_length_override, .. } => {
                    *total_length_override = None
                }
                _ => continue,
            }
            let mut out = Vec::new();
            encode(&mut out, &probe, &itf.items[k + 1..]);
            // wTotalLength sits at bytes 5..7 of both headers.
            u16::from_le_bytes([out.get(5).copied().unwrap_or(0), out.get(6).copied().unwrap_or(0)])
        };
        if let Some(MidiItem::AcHeader { total_length_override, .. } | MidiItem::MsHeader { total_length_override, .. }) =
            itf.items[k].class_mut::<MidiItem>()
        {
            if *total_length_override == Some(computed) {
                *total_length_override = None;
            }
        }
    }
}

// ---------------------------------------------------------------- TOML front end

/// Jack labels and IDs of one MIDIStreaming interface, assigned before the jacks are read.
#[derive(Default)]
pub struct Jacks {
    /// (label, id) in declaration order.
    labels: Vec<(String, u8)>,
    /// IDs of every jack, in declaration order.
    ids: Vec<u8>,
}

impl Jacks {
    /// Assign IDs to the `midi_in_jack` / `midi_out_jack` tables of `list` (declaration order):
    /// explicit IDs are kept, the others take the lowest free ID from 1.
    pub fn assign(list: Tables<'_, '_, '_>, d: &mut Diagnostics) -> Jacks {
        let jacks: Vec<&Table> = list.iter().filter(|(k, _)| k.starts_with("midi_") && k.ends_with("_jack")).map(|(_, t)| t).collect();
        let explicit: Vec<Option<u8>> = jacks.iter().map(|t| t.get("id").and_then(|v| v.int_in(1, 255, d)).map(|n| n as u8)).collect();
        let mut taken: Vec<u8> = explicit.iter().flatten().copied().collect();
        let mut j = Jacks::default();
        let mut next = 1u16;
        for (t, e) in jacks.iter().zip(&explicit) {
            let id = match e {
                Some(id) => *id,
                None => {
                    while next <= 255 && taken.contains(&(next as u8)) {
                        next += 1;
                    }
                    let id = next.min(255) as u8;
                    taken.push(id);
                    id
                }
            };
            if let Some(l) = t.get("label").and_then(|v| v.str(&mut Diagnostics::new()).map(str::to_string)) {
                j.labels.push((l, id));
            }
            j.ids.push(id);
        }
        j
    }

    /// A jack reference: an ID (checked later by `check::midi`) or a label (resolved here).
    fn resolve(&self, v: &Value<'_, '_>, d: &mut Diagnostics) -> Option<u8> {
        if v.is_int() {
            return v.int_in(1, 255, d).map(|n| n as u8);
        }
        let s = v.str(d)?;
        match self.labels.iter().find(|(l, _)| l == s) {
            Some((_, id)) => Some(*id),
            None => {
                let known: Vec<&str> = self.labels.iter().map(|(l, _)| l.as_str()).collect();
                let mut diag = Diagnostic::error(JACK_DANGLING, format!("no MIDI jack labelled \"{s}\" in this interface"))
                    .at(v.span())
                    .help(match crate::tomlr::did_you_mean(s, known.iter().copied()) {
                        Some(m) => format!("did you mean \"{m}\"?"),
                        None => "give the jack `label = \"...\"`, or refer to it by its numeric `id`".to_string(),
                    });
                if !known.is_empty() {
                    diag = diag.note(format!("labels here: {}", known.join(", ")));
                }
                d.push(diag);
                None
            }
        }
    }
}

pub const AC_KEYS: &[&str] = &["bcd_adc", "streaming", "total_length"];
pub const MS_KEYS: &[&str] = &["bcd_msc", "total_length"];
pub const IN_JACK_KEYS: &[&str] = &["type", "id", "label", "name"];
pub const OUT_JACK_KEYS: &[&str] = &["type", "id", "label", "name", "sources"];
pub const SOURCE_KEYS: &[&str] = &["jack", "pin"];

fn bcd_or(t: &Table<'_, '_>, key: &str, default: u16, d: &mut Diagnostics) -> u16 {
    t.get(key).and_then(|v| v.bcd(d)).unwrap_or(default)
}

/// `[...audio_control]` of interface `number`.
pub fn read_ac_header(t: &Table<'_, '_>, number: u8, d: &mut Diagnostics) -> MidiItem {
    let bcd_adc = bcd_or(t, "bcd_adc", 0x0100, d);
    let streaming = match t.get("streaming").and_then(|v| v.array(d)) {
        Some(items) => items.iter().filter_map(|x| x.u8(d)).collect(),
        None => vec![number.saturating_add(1)],
    };
    let total_length_override = t.get("total_length").and_then(|v| v.u16(d));
    t.finish(AC_KEYS, d);
    MidiItem::AcHeader { bcd_adc, streaming, total_length_override }
}

/// `[...midi_streaming]`.
pub fn read_ms_header(t: &Table<'_, '_>, d: &mut Diagnostics) -> MidiItem {
    let bcd_msc = bcd_or(t, "bcd_msc", 0x0100, d);
    let total_length_override = t.get("total_length").and_then(|v| v.u16(d));
    t.finish(MS_KEYS, d);
    MidiItem::MsHeader { bcd_msc, total_length_override }
}

const JACK_TYPES: &[(&str, i128)] = &[("embedded", 1), ("external", 2)];

/// The `index`-th jack table (`key` = `midi_in_jack` or `midi_out_jack`).
pub fn read_jack(key: &str, t: &Table<'_, '_>, index: usize, jacks: &Jacks, d: &mut Diagnostics) -> MidiItem {
    let embedded = match t.require("type", d) {
        Some(v) => v.name_or_int(JACK_TYPES, 1, 2, d) == Some(1),
        None => true,
    };
    let id = jacks.ids.get(index).copied().unwrap_or(1);
    let name = match t.get("name") {
        Some(v) if v.is_int() => StrRef { index: v.u8(d).unwrap_or(0), text: None, span: Some(v.span()) },
        Some(v) => StrRef { index: 0, text: v.str(d).map(str::to_string), span: Some(v.span()) },
        None => StrRef::none(),
    };
    let span = Some(t.span());
    // Labels were collected by `Jacks::assign`; read again here only to report a wrong type.
    let _ = t.get("label").map(|v| v.str(d));
    if key == "midi_in_jack" {
        t.finish(IN_JACK_KEYS, d);
        return MidiItem::InJack { embedded, id, name, span };
    }
    let mut sources = Vec::new();
    if let Some(items) = t.get("sources").and_then(|v| v.array(d)) {
        for x in items {
            if x.is_table() {
                let Some(st) = x.table(d) else { continue };
                let jack = st.require("jack", d).and_then(|v| jacks.resolve(&v, d));
                let pin = st.get("pin").and_then(|v| v.int_in(1, 255, d)).unwrap_or(1) as u8;
                st.finish(SOURCE_KEYS, d);
                if let Some(j) = jack {
                    sources.push((j, pin));
                }
            } else if let Some(j) = jacks.resolve(&x, d) {
                sources.push((j, 1));
            }
        }
    }
    t.finish(OUT_JACK_KEYS, d);
    MidiItem::OutJack { embedded, id, sources, name, span }
}

/// Endpoint `jacks = [...]` → the MS_GENERAL class-specific endpoint descriptor.
pub fn read_endpoint_jacks(t: &Table<'_, '_>, jacks: &Jacks, d: &mut Diagnostics) -> Option<RawDescriptor> {
    let v = t.get("jacks")?;
    let items = v.array(d)?;
    let ids: Vec<u8> = items.iter().filter_map(|x| jacks.resolve(x, d)).collect();
    let mut r = endpoint_descriptor(&ids);
    r.spans = Spans::table(v.span());
    Some(r)
}

// ---------------------------------------------------------------- TOML emitter

/// `(table key, array table?, key = value lines)` for the TOML emitter.
#[cfg(feature = "emit")]
fn to_toml(item: &MidiItem) -> (&'static str, bool, Vec<(String, String)>) {
    let bcd = crate::names::bcd_toml;
    let name = |n: &StrRef| match (&n.text, n.index) {
        (Some(t), _) => Some(toml::Value::String(t.clone()).to_string()),
        (None, 0) => None,
        (None, i) => Some(i.to_string()),
    };
    let mut kv = Vec::new();
    let key = match item {
        MidiItem::AcHeader { bcd_adc, streaming, total_length_override } => {
            kv.push(("bcd_adc".into(), bcd(*bcd_adc)));
            kv.push(("streaming".into(), format!("[{}]", streaming.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))));
            if let Some(t) = total_length_override {
                kv.push(("total_length".into(), t.to_string()));
            }
            return ("audio_control", false, kv);
        }
        MidiItem::MsHeader { bcd_msc, total_length_override } => {
            kv.push(("bcd_msc".into(), bcd(*bcd_msc)));
            if let Some(t) = total_length_override {
                kv.push(("total_length".into(), t.to_string()));
            }
            return ("midi_streaming", false, kv);
        }
        MidiItem::InJack { .. } => "midi_in_jack",
        MidiItem::OutJack { .. } => "midi_out_jack",
    };
    let (MidiItem::InJack { embedded, id, name: n, .. } | MidiItem::OutJack { embedded, id, name: n, .. }) = item else {
        return (key, true, kv);
    };
    kv.push(("type".into(), format!("\"{}\"", if *embedded { "embedded" } else { "external" })));
    kv.push(("id".into(), id.to_string()));
    if let Some(s) = name(n) {
        kv.push(("name".into(), s));
    }
    if let MidiItem::OutJack { sources, .. } = item {
        let s: Vec<String> = sources.iter().map(|(j, p)| format!("{{ jack = {j}, pin = {p} }}")).collect();
        kv.push(("sources".into(), format!("[{}]", s.join(", "))));
    }
    (key, true, kv)
}

// ---------------------------------------------------------------- the class boundary

impl ClassDescriptor for MidiItem {
    fn class(&self) -> &'static str {
        "midi"
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
    fn lengths(&self, itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        match self {
            MidiItem::OutJack { sources, span, .. } => vec![("the MIDI OUT jack descriptor".into(), 7 + 2 * sources.len(), 255, *span)],
            MidiItem::AcHeader { streaming, .. } => {
                vec![("the AudioControl header".into(), 8 + streaming.len(), 255, itf.spans.at("audio_control"))]
            }
            _ => Vec::new(),
        }
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self, _tail: &[InterfaceItem]) -> Option<TomlTable> {
        let (key, array, kv) = to_toml(self);
        Some(TomlTable { key, array, kv, consumed: 1 })
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        let subclass = if matches!(self, MidiItem::AcHeader { .. }) { subclass::AUDIO_CONTROL } else { subclass::MIDI_STREAMING };
        describe(subclass, bytes)
    }
}

/// The tables of one interface: jack IDs and labels are assigned before any jack is read.
struct Reader {
    jacks: Jacks,
    jack_index: usize,
}

impl InterfaceReader for Reader {
    fn read(&mut self, cx: &InterfaceCx, key: &'static str, t: &Table<'_, '_>, d: &mut Diagnostics) -> Vec<InterfaceItem> {
        let item = match key {
            "audio_control" => read_ac_header(t, cx.number, d),
            "midi_streaming" => read_ms_header(t, d),
            _ => {
                self.jack_index += 1;
                read_jack(key, t, self.jack_index - 1, &self.jacks, d)
            }
        };
        vec![item.into()]
    }
    fn endpoint(&mut self, _cx: &InterfaceCx, t: &Table<'_, '_>, e: &mut Endpoint, d: &mut Diagnostics) {
        if let Some(r) = read_endpoint_jacks(t, &self.jacks, d) {
            e.items.insert(0, r);
        }
    }
}

impl UsbClass for Midi {
    fn name(&self) -> &'static str {
        "midi"
    }
    fn key_docs(&self) -> &'static str {
        include_str!("midi.keys.txt")
    }
    fn keys(&self) -> &'static [&'static str] {
        &["audio_control", "midi_streaming", "midi_in_jack", "midi_out_jack"]
    }
    fn endpoint_keys(&self) -> &'static [&'static str] {
        &["jacks"]
    }
    fn lift(&self, itf: &mut Interface) {
        lift(itf)
    }
    fn reader(&self, _cx: &InterfaceCx, tables: Tables<'_, '_, '_>, d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(Reader { jacks: Jacks::assign(tables, d), jack_index: 0 })
    }
    /// Descriptors the lift left raw (the MS_GENERAL endpoint descriptor, odd jacks) are still shown.
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        (cx.class == class::AUDIO && bytes.len() >= 3).then(|| describe(cx.subclass, bytes)).flatten()
    }
    fn endpoint_extra(&self, cx: &InterfaceCx) -> Option<&'static [u8]> {
        audio1_endpoints(cx.class, cx.protocol).then_some(&AUDIO1_ENDPOINT_EXTRA[..])
    }
    fn endpoint_toml(&self, cx: &InterfaceCx, e: &Endpoint) -> (Vec<(String, String)>, usize) {
        let midi = is_midi1_streaming(cx.class, cx.subclass, cx.protocol);
        match e.items.first().filter(|_| midi).and_then(endpoint_jacks) {
            Some(jacks) => (vec![("jacks".into(), format!("[{}]", jacks.iter().map(|j| j.to_string()).collect::<Vec<_>>().join(", ")))], 1),
            None => (Vec::new(), 0),
        }
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check::check(dev, d)
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        schema::schema(key)
    }
}

/// USB MIDI 1.0 jack rules: jack IDs unique within a MIDIStreaming interface (MIDI 1.0 §6.1.2.3),
/// and every OUT jack source and every endpoint's associated jack names an existing jack (an
/// endpoint's jacks must be embedded ones, §6.2.2).
mod check {
    use super::{endpoint_jacks, is_midi_streaming, MidiItem, JACK_DANGLING, JACK_ID_REUSED};
    use crate::diag::{Diagnostic, Diagnostics, Span};
    use crate::model::*;

    pub fn check(dev: &Device, d: &mut Diagnostics) {
        for c in &dev.configurations {
            for itf in c.interfaces().filter(|i| is_midi_streaming(i)) {
                interface(itf, d);
            }
        }
    }

    fn interface(itf: &Interface, d: &mut Diagnostics) {
        // (id, embedded, span)
        let mut jacks: Vec<(u8, bool, Option<Span>)> = Vec::new();
        for it in &itf.items {
            let Some(m @ (MidiItem::InJack { embedded, span, .. } | MidiItem::OutJack { embedded, span, .. })) = it.class::<MidiItem>() else {
                continue;
            };
            let id = m.jack_id().unwrap_or(0);
            if let Some((_, _, first)) = jacks.iter().find(|(j, _, _)| *j == id) {
                d.push(
                    Diagnostic::error(JACK_ID_REUSED, format!("MIDI jack ID {id} is used twice in interface {}", itf.number))
                        .at(span.or(itf.spans.table))
                        .label(*first, "first used here")
                        .help("jack IDs identify jacks within the MIDI function; drop `id` to have one assigned"),
                );
            }
            jacks.push((id, *embedded, *span));
        }
        let known = |id: u8| jacks.iter().find(|(j, _, _)| *j == id);
        let list = || jacks.iter().map(|(j, _, _)| j.to_string()).collect::<Vec<_>>().join(", ");
        for it in &itf.items {
            if let Some(MidiItem::OutJack { id, sources, span, .. }) = it.class::<MidiItem>() {
                for (s, _) in sources {
                    if known(*s).is_none() {
                        d.push(
                            Diagnostic::error(JACK_DANGLING, format!("MIDI OUT jack {id} takes input from jack {s}, which does not exist"))
                                .at(span.or(itf.spans.table))
                                .help(format!("name an IN or OUT jack of this interface (IDs here: {})", list())),
                        );
                    }
                }
                continue;
            }
            if let InterfaceItem::Endpoint(e) = it {
                let Some(ids) = e.items.first().and_then(endpoint_jacks) else { continue };
                let at = e.items.first().and_then(|r| r.spans.table).or(e.spans.table);
                for j in ids {
                    match known(*j) {
                        None => d.push(
                            Diagnostic::error(JACK_DANGLING, format!("endpoint {:#04x} is associated with MIDI jack {j}, which does not exist", e.address()))
                                .at(at)
                                .help(format!("list embedded jacks of this interface in `jacks` (IDs here: {})", list())),
                        ),
                        Some((_, false, js)) => d.push(
                            Diagnostic::error(JACK_DANGLING, format!("endpoint {:#04x} is associated with external MIDI jack {j}", e.address()))
                                .at(at)
                                .label(*js, "declared external here")
                                .help("an endpoint carries the data of embedded jacks (MIDI 1.0 §6.2.2); associate an embedded jack"),
                        ),
                        _ => {}
                    }
                }
            }
        }
    }
}

#[cfg(feature = "emit")]
mod schema {
    use super::{AC_KEYS, IN_JACK_KEYS, MS_KEYS, OUT_JACK_KEYS, SOURCE_KEYS};
    use crate::schema_parts::*;
    use serde_json::{json, Value};

    pub fn schema(key: &str) -> Option<Value> {
        Some(match key {
            "audio_control" => table("the MIDI Audio Control class-specific header", AC_KEYS, &[], |k| match k {
                "bcd_adc" => bcd(),
                "streaming" => json!({ "type": "array", "items": byte() }),
                _ => int(0, 0xffff),
            }),
            "midi_streaming" => table("the MIDI Streaming class-specific header", MS_KEYS, &[], |k| {
                if k == "bcd_msc" { bcd() } else { int(0, 0xffff) }
            }),
            "midi_in_jack" | "midi_out_jack" => midi_jack(key),
            "jacks" => json!({ "type": "array", "description": "embedded MIDI jacks of this endpoint (MS bulk endpoint descriptor)", "items": jack_ref() }),
            _ => return None,
        })
    }

    /// A MIDI jack reference: its `label` or numeric `id`.
    fn jack_ref() -> Value {
        json!({ "anyOf": [ { "type": "string", "description": "a jack label" }, int(1, 255) ] })
    }

    fn midi_jack(key: &str) -> Value {
        let keys = if key == "midi_out_jack" { OUT_JACK_KEYS } else { IN_JACK_KEYS };
        one_or_many(key, table("a MIDI jack descriptor; the ID is assigned when omitted", keys, &["type"], |k| match k {
            "type" => named(&[("embedded", 1), ("external", 2)], 1, 2),
            "id" => int(1, 255),
            "label" => json!({ "type": "string" }),
            "name" => str_ref(),
            _ => json!({ "type": "array", "items": { "anyOf": [
                jack_ref(),
                table("a source pin", SOURCE_KEYS, &["jack"], |k| if k == "jack" { jack_ref() } else { int(1, 255) }),
            ] } }),
        }))
    }
}

/// How `usbdesc dump` shows an Audio 1.0 / MIDI 1.0 class-specific descriptor of an interface of
/// `subclass` (`d` from bLength on): AudioControl header, MIDIStreaming header, jacks and the
/// MS_GENERAL endpoint descriptor. `None`: not one of them.
fn describe(subclass: u8, d: &[u8]) -> Option<DumpBlock> {
    let at = |i: usize| d.get(i).copied().unwrap_or(0);
    let list = |b: &[u8]| b.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
    let jack_type = |t: u8| match t {
        crate::spec::midi::JACK_EMBEDDED => "embedded",
        crate::spec::midi::JACK_EXTERNAL => "external",
        _ => "undefined",
    };
    let bcd = |v: u16| crate::names::format_bcd(v).unwrap_or_else(|| format!("0x{v:04x}"));
    let mut b;
    match (at(1), subclass, at(2)) {
        (CS_INTERFACE, subclass::AUDIO_CONTROL, HEADER) if d.len() >= 8 => {
            b = DumpBlock::new("Audio Control Interface Header", "CS_INTERFACE");
            b.field("bDescriptorSubtype", d[2], "HEADER");
            b.field("bcdADC", bcd(u16_at(d, 3)), "");
            b.field("wTotalLength", u16_at(d, 5), "");
            b.field("bInCollection", d[7], "");
            b.field("baInterfaceNr", "", list(&d[8..]));
        }
        (CS_INTERFACE, subclass::MIDI_STREAMING, HEADER) if d.len() >= 7 => {
            b = DumpBlock::new("MIDI Streaming Interface Header", "CS_INTERFACE");
            b.field("bDescriptorSubtype", d[2], "MS_HEADER");
            b.field("bcdMSC", bcd(u16_at(d, 3)), "");
            b.field("wTotalLength", u16_at(d, 5), "");
        }
        (CS_INTERFACE, subclass::MIDI_STREAMING, IN_JACK) if d.len() >= 6 => {
            b = DumpBlock::new("MIDI IN Jack", "CS_INTERFACE");
            b.field("bDescriptorSubtype", d[2], "MIDI_IN_JACK");
            b.field("bJackType", d[3], jack_type(d[3]));
            b.field("bJackID", d[4], "");
            b.field("iJack", d[5], "");
        }
        (CS_INTERFACE, subclass::MIDI_STREAMING, OUT_JACK) if d.len() >= 6 && d.len() >= 6 + 2 * d[5] as usize => {
            b = DumpBlock::new("MIDI OUT Jack", "CS_INTERFACE");
            b.field("bDescriptorSubtype", d[2], "MIDI_OUT_JACK");
            b.field("bJackType", d[3], jack_type(d[3]));
            b.field("bJackID", d[4], "");
            b.field("bNrInputPins", d[5], "");
            for p in 0..d[5] as usize {
                b.field(format!("baSourceID({p})"), d[6 + 2 * p], "");
                b.field(format!("baSourcePin({p})"), d[7 + 2 * p], "");
            }
            b.field("iJack", at(6 + 2 * d[5] as usize), "");
        }
        (CS_ENDPOINT, subclass::MIDI_STREAMING, MS_GENERAL) if d.len() >= 4 => {
            b = DumpBlock::new("MIDI Streaming Endpoint", "CS_ENDPOINT");
            b.field("bDescriptorSubtype", d[2], "MS_GENERAL");
            b.field("bNumEmbMIDIJack", d[3], "");
            b.field("baAssocJackID", "", list(&d[4..]));
        }
        _ => return None,
    }
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawDescriptor;

    /// An AudioControl header whose bytes fit the Audio 1.0 shape (`d[5]` = number of streaming
    /// interfaces = the bytes after it) is typed only under protocol 0; under UAC2's 0x20 the
    /// same bytes are bmControls and a wTotalLength of 0x140.., and stay raw.
    #[test]
    fn audio_control_header_of_another_protocol_stays_raw() {
        let itf = |protocol| Interface {
            number: 0,
            alternate: 0,
            class: class::AUDIO,
            subclass: subclass::AUDIO_CONTROL,
            protocol,
            name: StrRef::none(),
            items: vec![InterfaceItem::Raw(RawDescriptor { descriptor_type: CS_INTERFACE, data: vec![HEADER, 0x00, 0x02, 0x08, 0x40, 0x01, 0x00], spans: Default::default() })],
            num_endpoints_override: None,
            extra: Vec::new(),
            spans: Default::default(),
        };
        let mut uac2 = itf(0x20);
        lift(&mut uac2);
        assert!(matches!(uac2.items[0], InterfaceItem::Raw(_)), "{:?}", uac2.items[0]);
        let mut uac1 = itf(0);
        lift(&mut uac1);
        assert!(uac1.items[0].class::<MidiItem>().is_some(), "{:?}", uac1.items[0]);
    }
}
