//! The TOML device format → resolved [`Device`] model.
//!
//! Every key is read through [`crate::tomlr`], so unknown keys get a "did you mean" hint and every
//! value is range-checked. Interface numbers, endpoint numbers and string indices are assigned here
//! in declaration order when omitted (see [`crate::numbering`]); checks run afterwards on the model.
//! Descriptors are emitted in the order they are written: items under different keys of one table
//! (e.g. `function`, `interface` and `descriptor` of a configuration) are ordered by position.
//!
//! # Format (every enum-like value takes a name or a number)
//! - top level: `target = "samd21" | "generic-fs" | "generic-hs"` (default generic-fs),
//!   `allow = ["UD2006", ...]` (errors reported as warnings).
//! - `[device]`: `usb` ("2.0" or 0x0200), `class`/`subclass`/`protocol` (default per-interface, or
//!   misc/common/IAD when an IAD exists), `max_packet_size_0` (64), `vid`, `pid` (required),
//!   `version` ("1.00"), `manufacturer`/`product`/`serial` (text → index assigned; integer → raw index).
//! - `[strings]`: `languages = [0x0409, ...]`; `[strings.translations.0x0407]` maps first-language
//!   texts to translations.
//! - `[builtin]`: `preset = "micropython-cdc"` or `itf_max`, `ep_max`, `str_max`, optional `config`
//!   bytes (built-in descriptors placed first in configuration 1; a leading 9-byte configuration
//!   header is dropped).
//! - `[[configuration]]`: `value`, `name`, `self_powered`, `remote_wakeup`, `max_power_ma` (100).
//!   - `[[configuration.function]]` (an IAD; class defaults to its first interface's) holding
//!     `[[configuration.function.interface]]`; `[[configuration.interface]]` outside functions;
//!     `[[configuration.descriptor]]` raw (`type`, `bytes`).
//!   - interface: `number`, `alternate` (an alternate without `number` belongs to the previous
//!     interface), class triple, `name`; `[...hid]` (`bcd_hid` 1.11, `country_code`, `report = {...}`
//!     parsed by [`crate::hid::ReportDescriptor::from_toml`]); `[...cdc_acm]` (header, call
//!     management, ACM, union; `bcd_cdc` 1.20, `call_management`, `acm_capabilities` 0x02,
//!     `data_interface`/`control`/`subordinates` default to this interface and the next);
//!     `[[...class_descriptor]]` raw; `[[...endpoint]]`.
//!   - endpoint: `direction`, `transfer`, `max_packet_size` (required), `number`, `interval_ms`
//!     (converted for the target speed) or raw `interval`, `sync`/`usage` (isochronous),
//!     `additional_transactions` (high speed), `[[...endpoint.class_descriptor]]`.
//!   - MIDI 1.0 (`class = "audio"`): `[...audio_control]`, `[...midi_streaming]`,
//!     `[[...midi_in_jack]]`, `[[...midi_out_jack]]`, endpoint `jacks = [...]` (see
//!     [`crate::class::midi`]); DFU: `[...dfu]` (see [`crate::class::dfu`]); Mass Storage is
//!     `class = "msc"`, `subclass = "scsi"`, `protocol = "bot"`.
//!   - per-speed endpoint values: `max_packet_size = { fs = 64, hs = 512 }`, `interval = { .. }`
//!     (see [`crate::speed`]).
//! - `[[bos.capability]]`: `type` (bDevCapabilityType) and `bytes`; the typed capabilities
//!   (`[bos.webusb]`, ...) are read by their modules (`crate::class::bos`).
//! - Escape hatches for decoded blobs whose stored values differ from the computed ones:
//!   `num_configurations`, `attributes`, `total_length`, `num_interfaces`, `num_endpoints`,
//!   `first_interface`/`interface_count`, `report_length`, `extra` (bytes after the standard fields).

use crate::builtin;
use crate::class::{self, InterfaceCx};
use crate::check::codes;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;
use crate::names;
use crate::numbering::{self, Allocator};
use crate::profile::{Speed, Target};
use crate::tomlr::{Table, Value, BAD_VALUE, OUT_OF_RANGE};

/// A raw descriptor / device capability: its type and the bytes after it.
pub const RAW_KEYS: &[&str] = &["type", "bytes"];
/// `[strings]`.
pub const STRINGS_KEYS: &[&str] = &["languages", "translations"];
pub const TOP_KEYS: &[&str] = &["target", "allow", "device", "strings", "builtin", "configuration", "bos"];

/// Read a whole device document.
pub fn read(root: &Table<'_, '_>, d: &mut Diagnostics) -> Device {
    let mut spans = Spans::table(root.span());
    let target = match root.get("target") {
        Some(v) => {
            spans.set("target", v.span());
            v.name_or_int(Target::NAMES, 0, 2, d).map(Target::from_index).unwrap_or(Target::GenericFs)
        }
        None => Target::GenericFs,
    };
    let allow = match root.get("allow").and_then(|v| v.array(d)) {
        Some(items) => items.iter().filter_map(|v| v.str(d).map(str::to_string)).collect(),
        None => Vec::new(),
    };
    let builtin = root.table("builtin", d).and_then(|t| read_builtin(&t, d));
    let mut dev = match root.table("device", d) {
        Some(t) => read_device(&t, target, d),
        None => {
            d.push(
                Diagnostic::error(crate::tomlr::MISSING_KEY, "missing table `[device]`")
                    .at(Span::new(0, 0))
                    .help("add a `[device]` table with at least `vid` and `pid`"),
            );
            return Device::empty(target);
        }
    };
    dev.spans.table = dev.spans.table.or(spans.table);
    for (k, s) in spans.fields {
        dev.spans.set(k, s);
    }
    dev.allow = allow;
    dev.builtin = builtin;
    let translations = root.table("strings", d).map(|t| read_strings(&t, &mut dev, d)).unwrap_or_default();

    let configs = root.tables("configuration", d);
    if configs.is_empty() {
        d.push(
            Diagnostic::error(crate::tomlr::MISSING_KEY, "the device has no `[[configuration]]`")
                .at(root.table("device", &mut Diagnostics::new()).map(|t| t.span()))
                .help("add a `[[configuration]]` table with its interfaces"),
        );
    }
    for (i, t) in configs.iter().enumerate() {
        let mut alloc = Allocator::new(dev.builtin.as_ref().filter(|_| i == 0));
        let c = read_configuration(t, i, &mut alloc, target, d);
        dev.configurations.push(c);
    }
    if let Some(b) = root.table("bos", d) {
        dev.spans.fields.insert("bos", b.span());
        dev.capabilities = crate::class::read_capabilities(&b, d);
        for cap in b.tables("capability", d) {
            let ty = cap.require("type", d).and_then(|v| v.u8(d)).unwrap_or(0);
            let mut data = vec![ty];
            data.extend(cap.get("bytes").and_then(|v| v.bytes(d)).unwrap_or_default());
            cap.finish(RAW_KEYS, d);
            dev.bos.push(RawDescriptor { descriptor_type: crate::encode::DEVICE_CAPABILITY, data, spans: Spans::table(cap.span()) });
        }
        let mut keys = vec!["capability"];
        keys.extend(crate::class::capability_keys());
        b.finish(&keys, d);
    }
    // A device with BOS capabilities and no declared version is USB 2.01 (an explicit lower
    // version is reported by `check::chapter9`, UD2008).
    if !dev.spans.has("usb") && dev.has_bos() {
        dev.usb = dev.usb.max(0x0201);
    }
    // Device class default: Misc/Common/IAD when any IAD is present, else per-interface.
    if !dev.spans.has("class") && dev.has_iad() {
        dev.class = 0xef;
        dev.subclass = 0x02;
        dev.protocol = 0x01;
    }
    numbering::assign_strings(&mut dev, d);
    apply_translations(&mut dev, translations, d);
    root.finish(TOP_KEYS, d);
    dev
}


/// Read `key` if present, remembering its span in `spans`.
fn field<'a, 'i, T>(
    t: &Table<'a, 'i>,
    key: &'static str,
    spans: &mut Spans,
    d: &mut Diagnostics,
    f: impl FnOnce(&Value<'a, 'i>, &mut Diagnostics) -> Option<T>,
) -> Option<T> {
    let v = t.get(key)?;
    spans.set(key, v.span());
    f(&v, d)
}

/// A string reference: text (index assigned later) or an integer index.
fn str_ref(v: &Value<'_, '_>, d: &mut Diagnostics) -> Option<StrRef> {
    if v.is_int() {
        let index = v.u8(d)?;
        Some(StrRef { index, text: None, span: Some(v.span()) })
    } else {
        let s = v.str(d)?;
        Some(StrRef { index: 0, text: Some(s.to_string()), span: Some(v.span()) })
    }
}

fn opt_str(t: &Table<'_, '_>, key: &'static str, spans: &mut Spans, d: &mut Diagnostics) -> StrRef {
    field(t, key, spans, d, str_ref).unwrap_or_default()
}

/// class/subclass/protocol triple with names that depend on the class.
fn class_triple(t: &Table<'_, '_>, spans: &mut Spans, d: &mut Diagnostics, default: (u8, u8, u8)) -> (u8, u8, u8) {
    let class = field(t, "class", spans, d, |v, d| v.name_or_int(names::CLASSES, 0, 255, d)).map(|n| n as u8);
    let c = class.unwrap_or(default.0);
    let default_sub = if class.is_some() { 0 } else { default.1 };
    let sub = field(t, "subclass", spans, d, |v, d| v.name_or_int(names::subclass_names(c), 0, 255, d))
        .map(|n| n as u8)
        .unwrap_or(default_sub);
    let default_proto = if class.is_some() { 0 } else { default.2 };
    let proto = field(t, "protocol", spans, d, |v, d| v.name_or_int(names::protocol_names(c, sub), 0, 255, d))
        .map(|n| n as u8)
        .unwrap_or(default_proto);
    (c, sub, proto)
}

pub const DEVICE_KEYS: &[&str] = &[
    "usb", "class", "subclass", "protocol", "max_packet_size_0", "vid", "pid", "version", "manufacturer", "product",
    "serial", "num_configurations",
];

fn read_device(t: &Table<'_, '_>, target: Target, d: &mut Diagnostics) -> Device {
    let mut dev = Device::empty(target);
    let mut spans = Spans::table(t.span());
    dev.usb = field(t, "usb", &mut spans, d, |v, d| v.bcd(d)).unwrap_or(0x0200);
    let (c, s, p) = class_triple(t, &mut spans, d, (0, 0, 0));
    (dev.class, dev.subclass, dev.protocol) = (c, s, p);
    dev.max_packet_size_0 = field(t, "max_packet_size_0", &mut spans, d, |v, d| v.u8(d)).unwrap_or(64);
    if let Some(v) = t.require("vid", d) {
        spans.set("vid", v.span());
        dev.vid = v.u16(d).unwrap_or(0);
    }
    if let Some(v) = t.require("pid", d) {
        spans.set("pid", v.span());
        dev.pid = v.u16(d).unwrap_or(0);
    }
    dev.version = field(t, "version", &mut spans, d, |v, d| v.bcd(d)).unwrap_or(0x0100);
    dev.manufacturer = opt_str(t, "manufacturer", &mut spans, d);
    dev.product = opt_str(t, "product", &mut spans, d);
    dev.serial = opt_str(t, "serial", &mut spans, d);
    dev.num_configurations_override = field(t, "num_configurations", &mut spans, d, |v, d| v.u8(d));
    t.finish(DEVICE_KEYS, d);
    dev.spans = spans;
    dev
}

/// Translations: LANGID → (text in the first language → translated text).
type Translations = Vec<(u16, Span, Vec<(String, String, Span)>)>;

/// Accepted language names for `languages`.
pub const LANGUAGES: &[(&str, i128)] = &[
    ("en-US", 0x0409),
    ("en-GB", 0x0809),
    ("de-DE", 0x0407),
    ("fr-FR", 0x040c),
    ("es-ES", 0x0c0a),
    ("it-IT", 0x0410),
    ("ja-JP", 0x0411),
    ("zh-CN", 0x0804),
];

fn langid_key(key: &str) -> Option<u16> {
    let k = key.trim();
    if let Some(h) = k.strip_prefix("0x").or_else(|| k.strip_prefix("0X")) {
        return u16::from_str_radix(h, 16).ok();
    }
    if let Ok(n) = k.parse::<u16>() {
        return Some(n);
    }
    let n = crate::tomlr::normalize_name(k);
    LANGUAGES.iter().find(|(s, _)| crate::tomlr::normalize_name(s) == n).map(|(_, v)| *v as u16)
}

fn read_strings(t: &Table<'_, '_>, dev: &mut Device, d: &mut Diagnostics) -> Translations {
    if let Some(v) = t.get("languages") {
        dev.spans.set("languages", v.span());
        if let Some(items) = v.array(d) {
            let langs: Vec<u16> =
                items.iter().filter_map(|x| x.name_or_int(LANGUAGES, 0, 0xffff, d).map(|n| n as u16)).collect();
            if langs.is_empty() {
                d.push(
                    Diagnostic::error(BAD_VALUE, "`strings.languages` is empty")
                        .at(v.span())
                        .help("list at least one LANGID, e.g. [0x0409] for English (United States)"),
                );
            } else {
                dev.languages = langs;
            }
        }
    }
    let mut out = Translations::new();
    if let Some(tr) = t.table("translations", d) {
        for (key, kspan) in tr.keys() {
            let Some(lang) = langid_key(&key) else {
                d.push(
                    Diagnostic::error(BAD_VALUE, format!("`strings.translations.{key}`: not a LANGID"))
                        .at(kspan)
                        .help("name the language by LANGID, e.g. [strings.translations.0x0407] for German"),
                );
                continue;
            };
            let Some(lt) = tr.table(&key, d) else { continue };
            let mut pairs = Vec::new();
            for (text, tspan) in lt.keys() {
                if let Some(s) = lt.get(&text).and_then(|v| v.str(d)) {
                    pairs.push((text.clone(), s.to_string(), tspan));
                }
            }
            out.push((lang, kspan, pairs));
        }
    }
    t.finish(STRINGS_KEYS, d);
    out
}

fn apply_translations(dev: &mut Device, tr: Translations, d: &mut Diagnostics) {
    for (lang, kspan, pairs) in tr {
        if !dev.languages.contains(&lang) {
            d.push(
                Diagnostic::error(BAD_VALUE, format!("translations for LANGID {lang:#06x}, which is not in `strings.languages`"))
                    .at(kspan)
                    .label(dev.spans.fields.get("languages").copied(), "languages declared here")
                    .help(format!("add {lang:#06x} to `strings.languages`")),
            );
            continue;
        }
        for (from, to, span) in pairs {
            match dev.strings.iter_mut().find(|s| s.text == from) {
                Some(s) => {
                    s.translations.insert(lang, to);
                }
                None => d.push(
                    Diagnostic::error(BAD_VALUE, format!("no string \"{from}\" to translate"))
                        .at(span)
                        .help("translation keys are the strings as written in the first language"),
                ),
            }
        }
    }
}

pub const BUILTIN_KEYS: &[&str] = &["preset", "itf_max", "ep_max", "str_max", "config"];

fn read_builtin(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<Builtin> {
    let mut spans = Spans::table(t.span());
    let mut b = match field(t, "preset", &mut spans, d, |v, d| v.str(d).map(str::to_string)) {
        Some(name) => match builtin::preset(&name) {
            Some(p) => p.to_builtin(Spans::default()),
            None => {
                let names: Vec<&str> = builtin::PRESETS.iter().map(|p| p.name).collect();
                d.push(
                    Diagnostic::error(crate::tomlr::UNKNOWN_NAME, format!("unknown built-in preset \"{name}\""))
                        .at(spans.at("preset"))
                        .help(format!("known presets: {}; or give itf_max, ep_max and str_max", names.join(", "))),
                );
                return None;
            }
        },
        None => {
            if !(t.contains("itf_max") && t.contains("ep_max") && t.contains("str_max")) {
                d.push(
                    Diagnostic::error(crate::tomlr::MISSING_KEY, "`[builtin]` needs `preset` or all of `itf_max`, `ep_max`, `str_max`")
                        .at(t.span())
                        .help("e.g. preset = \"micropython-cdc\", or itf_max = 2, ep_max = 3, str_max = 5"),
                );
            }
            Builtin { preset: None, itf_max: 0, ep_max: 1, str_max: 1, config_bytes: Vec::new(), spans: Spans::default() }
        }
    };
    if let Some(n) = field(t, "itf_max", &mut spans, d, |v, d| v.int_in(0, 255, d)) {
        b.itf_max = n as u8;
    }
    if let Some(n) = field(t, "ep_max", &mut spans, d, |v, d| v.int_in(1, 16, d)) {
        b.ep_max = n as u8;
    }
    if let Some(n) = field(t, "str_max", &mut spans, d, |v, d| v.int_in(1, 255, d)) {
        b.str_max = n as u8;
    }
    if let Some(mut bytes) = field(t, "config", &mut spans, d, |v, d| v.bytes(d)) {
        // A full configuration descriptor may be given; keep what follows its 9-byte header.
        if bytes.len() >= 9 && bytes[0] == 9 && bytes[1] == crate::encode::CONFIGURATION {
            bytes.drain(..9);
        }
        b.config_bytes = bytes;
        b.preset = None;
    }
    t.finish(BUILTIN_KEYS, d);
    b.spans = spans;
    Some(b)
}

pub const CONFIG_KEYS: &[&str] = &[
    "value", "name", "self_powered", "remote_wakeup", "max_power_ma", "attributes", "total_length", "num_interfaces",
    "extra", "function", "interface", "descriptor",
];

/// Tables under several keys, ordered by their position in the file.
fn ordered<'a, 'i>(t: &Table<'a, 'i>, keys: &[&'static str], d: &mut Diagnostics) -> Vec<(&'static str, Table<'a, 'i>)> {
    let mut v: Vec<(&'static str, Table<'a, 'i>)> = Vec::new();
    for k in keys {
        for x in t.tables(k, d) {
            v.push((k, x));
        }
    }
    v.sort_by_key(|(_, x)| x.span().start);
    v
}

fn read_configuration(t: &Table<'_, '_>, index: usize, alloc: &mut Allocator, target: Target, d: &mut Diagnostics) -> Configuration {
    let mut spans = Spans::table(t.span());
    let value = field(t, "value", &mut spans, d, |v, d| v.u8(d)).unwrap_or((index + 1).min(255) as u8);
    let name = opt_str(t, "name", &mut spans, d);
    let self_powered = field(t, "self_powered", &mut spans, d, |v, d| v.bool(d)).unwrap_or(false);
    let remote_wakeup = field(t, "remote_wakeup", &mut spans, d, |v, d| v.bool(d)).unwrap_or(false);
    let max_power = field(t, "max_power_ma", &mut spans, d, |v, d| v.int_in(0, 510, d)).map(|ma| ((ma + 1) / 2) as u8).unwrap_or(50);
    let attributes_override = field(t, "attributes", &mut spans, d, |v, d| v.u8(d));
    let total_length_override = field(t, "total_length", &mut spans, d, |v, d| v.u16(d));
    let num_interfaces_override = field(t, "num_interfaces", &mut spans, d, |v, d| v.u8(d));
    let extra = field(t, "extra", &mut spans, d, |v, d| v.bytes(d)).unwrap_or_default();
    let mut items = Vec::new();
    for (key, x) in ordered(t, &["function", "interface", "descriptor"], d) {
        match key {
            "function" => read_function(&x, alloc, target, &mut items, d),
            "interface" => items.extend(read_interface(&x, alloc, target, d).map(ConfigItem::Interface)),
            _ => items.push(ConfigItem::Raw(read_raw(&x, d))),
        }
    }
    t.finish(CONFIG_KEYS, d);
    Configuration {
        value,
        name,
        self_powered,
        remote_wakeup,
        attributes_override,
        max_power,
        items,
        total_length_override,
        num_interfaces_override,
        extra,
        spans,
    }
}

pub const FUNCTION_KEYS: &[&str] =
    &["class", "subclass", "protocol", "name", "first_interface", "interface_count", "extra", "interface"];

/// `[[configuration.function]]`: an IAD followed by the interfaces it groups.
fn read_function(t: &Table<'_, '_>, alloc: &mut Allocator, target: Target, items: &mut Vec<ConfigItem>, d: &mut Diagnostics) {
    let mut spans = Spans::table(t.span());
    let interfaces: Vec<Interface> = t.tables("interface", d).iter().filter_map(|x| read_interface(x, alloc, target, d)).collect();
    let first = interfaces.first();
    let default = first.map(|i| (i.class, i.subclass, i.protocol)).unwrap_or((0, 0, 0));
    let (class, subclass, protocol) = class_triple(t, &mut spans, d, default);
    let name = opt_str(t, "name", &mut spans, d);
    let mut numbers: Vec<u8> = Vec::new();
    for i in &interfaces {
        if !numbers.contains(&i.number) {
            numbers.push(i.number);
        }
    }
    let first_interface = field(t, "first_interface", &mut spans, d, |v, d| v.u8(d))
        .unwrap_or_else(|| numbers.first().copied().unwrap_or(alloc.next_interface()));
    let interface_count =
        field(t, "interface_count", &mut spans, d, |v, d| v.u8(d)).unwrap_or(numbers.len().min(255) as u8);
    let extra = field(t, "extra", &mut spans, d, |v, d| v.bytes(d)).unwrap_or_default();
    t.finish(FUNCTION_KEYS, d);
    items.push(ConfigItem::Association(Association {
        first_interface,
        interface_count,
        class,
        subclass,
        protocol,
        name,
        extra,
        spans,
    }));
    items.extend(interfaces.into_iter().map(ConfigItem::Interface));
}

/// The keys of an interface table the core reads; [`interface_keys`] adds the classes' keys.
pub const CORE_INTERFACE_KEYS: &[&str] =
    &["number", "alternate", "class", "subclass", "protocol", "name", "num_endpoints", "extra", "class_descriptor", "endpoint"];
/// Tables of an interface the core reads (in declaration order with the classes' tables).
const CORE_INTERFACE_TABLES: &[&str] = &["class_descriptor", "endpoint"];

/// Every key of an interface table: the core's and the classes'.
pub fn interface_keys() -> Vec<&'static str> {
    let mut v = CORE_INTERFACE_KEYS.to_vec();
    v.extend(class::interface_keys());
    v
}

/// An interface; `None` (reported once per configuration) past interface number 255.
fn read_interface(t: &Table<'_, '_>, alloc: &mut Allocator, target: Target, d: &mut Diagnostics) -> Option<Interface> {
    let mut spans = Spans::table(t.span());
    let explicit = field(t, "number", &mut spans, d, |v, d| v.u8(d));
    let alternate = field(t, "alternate", &mut spans, d, |v, d| v.u8(d)).unwrap_or(0);
    let Some(number) = alloc.interface(explicit, alternate) else {
        if alloc.report_exhausted() {
            d.push(
                Diagnostic::error(crate::check::codes::INTERFACE_LIMIT, "more than 256 interfaces in one configuration: interface numbers are one byte (0..=255)")
                    .at_labeled(t.span(), "this would be interface 256")
                    .help("a configuration holds at most 256 interfaces (hosts accept far fewer: Linux at most 32); split the device or drop interfaces"),
            );
        }
        return None;
    };
    let (class, subclass, protocol) = class_triple(t, &mut spans, d, (0, 0, 0));
    let name = opt_str(t, "name", &mut spans, d);
    let num_endpoints_override = field(t, "num_endpoints", &mut spans, d, |v, d| v.u8(d));
    let extra = field(t, "extra", &mut spans, d, |v, d| v.bytes(d)).unwrap_or_default();
    let mut items = Vec::new();
    let mut table_keys = CORE_INTERFACE_TABLES.to_vec();
    table_keys.extend(class::interface_keys());
    let list = ordered(t, &table_keys, d);
    let cx = InterfaceCx { number, alternate, class, subclass, protocol };
    let mut readers = class::readers(&cx, &list, d);
    for (key, x) in &list {
        match *key {
            "class_descriptor" => items.push(InterfaceItem::Raw(read_raw(x, d))),
            "endpoint" => {
                let mut e = read_endpoint(x, alloc, target, d);
                if let Some(extra) = class::endpoint_extra(&cx).filter(|_| !x.contains("extra")) {
                    e.extra = extra.to_vec();
                }
                for r in readers.iter_mut() {
                    r.endpoint(&cx, x, &mut e, d);
                }
                items.push(InterfaceItem::Endpoint(e))
            }
            _ => {
                if let Some(r) = class::owner(key).and_then(|i| readers.get_mut(i)) {
                    items.extend(r.read(&cx, key, x, d));
                }
            }
        }
    }
    t.finish(&interface_keys(), d);
    Some(Interface { number, alternate, class, subclass, protocol, name, items, num_endpoints_override, extra, spans })
}

fn read_raw(t: &Table<'_, '_>, d: &mut Diagnostics) -> RawDescriptor {
    let mut spans = Spans::table(t.span());
    let descriptor_type = match t.require("type", d) {
        Some(v) => {
            spans.set("type", v.span());
            v.name_or_int(names::DESCRIPTOR_TYPES, 0, 255, d).unwrap_or(0) as u8
        }
        None => 0,
    };
    let data = field(t, "bytes", &mut spans, d, |v, d| v.bytes(d)).unwrap_or_default();
    t.finish(RAW_KEYS, d);
    RawDescriptor { descriptor_type, data, spans }
}

/// The keys of an endpoint table the core reads; [`endpoint_keys`] adds the classes' keys.
pub const CORE_ENDPOINT_KEYS: &[&str] = &[
    "number", "direction", "transfer", "sync", "usage", "attributes", "max_packet_size", "additional_transactions",
    "interval_ms", "interval", "extra", "class_descriptor",
];

/// Every key of an endpoint table: the core's and the classes'.
pub fn endpoint_keys() -> Vec<&'static str> {
    let mut v = CORE_ENDPOINT_KEYS.to_vec();
    v.extend(class::endpoint_keys());
    v
}

fn read_endpoint(t: &Table<'_, '_>, alloc: &mut Allocator, target: Target, d: &mut Diagnostics) -> Endpoint {
    let mut spans = Spans::table(t.span());
    let explicit = field(t, "number", &mut spans, d, |v, d| v.int_in(0, 15, d)).map(|n| n as u8);
    let direction = match t.require("direction", d) {
        Some(v) => {
            spans.set("direction", v.span());
            match v.name_or_int(names::DIRECTIONS, 0, 1, d) {
                Some(1) => Direction::In,
                _ => Direction::Out,
            }
        }
        None => Direction::In,
    };
    let transfer = match t.require("transfer", d) {
        Some(v) => {
            spans.set("transfer", v.span());
            Transfer::from_bits(v.name_or_int(names::TRANSFERS, 0, 3, d).unwrap_or(3) as u8)
        }
        None => Transfer::Interrupt,
    };
    let sync = field(t, "sync", &mut spans, d, |v, d| v.name_or_int(names::SYNC, 0, 3, d)).unwrap_or(0) as u8;
    let usage = field(t, "usage", &mut spans, d, |v, d| v.name_or_int(names::USAGE, 0, 3, d)).unwrap_or(0) as u8;
    let mut attributes_high = sync | (usage << 2);
    let mut transfer = transfer;
    if let Some(a) = field(t, "attributes", &mut spans, d, |v, d| v.u8(d)) {
        transfer = Transfer::from_bits(a);
        attributes_high = a >> 2;
    }
    let speed = target.speed();
    let mut other: (Option<u16>, Option<u8>) = (None, None);
    let size = match t.require("max_packet_size", d) {
        Some(v) => {
            spans.set("max_packet_size", v.span());
            match crate::speed::per_speed(&v, speed, |x, d| x.u16(d), d) {
                Some((main, o)) => {
                    other.0 = o;
                    main
                }
                None => 0,
            }
        }
        None => 0,
    };
    let extra_tx = field(t, "additional_transactions", &mut spans, d, |v, d| v.int_in(0, 2, d)).unwrap_or(0) as u16;
    if extra_tx > 0 && size > 0x7ff {
        d.push(
            Diagnostic::error(OUT_OF_RANGE, "`max_packet_size` above 2047 cannot be combined with `additional_transactions`")
                .at(spans.at("max_packet_size"))
                .help("give the packet size (at most 1024) and the additional transactions separately"),
        );
    }
    let max_packet_size = size | (extra_tx << 11);
    let interval = match t.get("interval").filter(|v| v.is_table()) {
        Some(v) => {
            spans.set("interval", v.span());
            let (main, o) = crate::speed::per_speed(&v, speed, |x, d| x.u8(d), d).unwrap_or((0, None));
            other.1 = o;
            main
        }
        None => endpoint_interval(t, &mut spans, transfer, speed, d),
    };
    let other_speed = match other {
        (None, None) if !(speed == Speed::High && spans.has("interval_ms")) => None,
        (mps, iv) => {
            let o_speed = if speed == Speed::High { Speed::Full } else { Speed::High };
            let iv = iv.unwrap_or_else(|| {
                if !spans.has("interval_ms") {
                    return interval;
                }
                // The other-speed configuration derives its bInterval from the same `interval_ms`; a
                // period that speed cannot schedule is an error of its own, not a silent default.
                let mut od = Diagnostics::new();
                let v = endpoint_interval(t, &mut Spans::default(), transfer, o_speed, &mut od);
                for mut e in od.into_vec() {
                    e.message = format!("{} for the other-speed ({}) configuration", e.message, if o_speed == Speed::Full { "full-speed" } else { "high-speed" });
                    e.help = Some("give each speed its own period: `interval = { fs = N, hs = M }` (raw bInterval values)".into());
                    d.push(e);
                }
                v
            });
            Some((mps.unwrap_or(max_packet_size), iv))
        }
    };
    let extra = field(t, "extra", &mut spans, d, |v, d| v.bytes(d)).unwrap_or_default();
    let items = t.tables("class_descriptor", d).iter().map(|x| read_raw(x, d)).collect();
    t.finish(&endpoint_keys(), d);
    let number = alloc.endpoint(explicit, direction);
    Endpoint { number, direction, transfer, attributes_high, max_packet_size, interval, extra, items, other_speed, spans }
}

/// bInterval from `interval` (raw) or `interval_ms` (converted for the target speed).
fn endpoint_interval(t: &Table<'_, '_>, spans: &mut Spans, transfer: Transfer, speed: Speed, d: &mut Diagnostics) -> u8 {
    if let Some(raw) = field(t, "interval", spans, d, |v, d| v.u8(d)) {
        return raw;
    }
    let ms = field(t, "interval_ms", spans, d, |v, d| v.int_in(1, 32768, d));
    let Some(ms) = ms else {
        return match transfer {
            Transfer::Interrupt if !spans.has("interval_ms") => {
                d.push(
                    Diagnostic::error(crate::tomlr::MISSING_KEY, "interrupt endpoint without `interval_ms`")
                        .at(t.span())
                        .help("add `interval_ms = 10` (the polling period), or `interval = N` for a raw bInterval"),
                );
                1
            }
            Transfer::Isochronous => 1,
            _ => 0,
        };
    };
    let span = spans.at("interval_ms");
    let pow2 = |n: i128| -> Option<u8> { (n > 0 && n & (n - 1) == 0).then(|| n.trailing_zeros() as u8 + 1) };
    let (value, rule) = match (transfer, speed) {
        (Transfer::Interrupt, Speed::Full) => ((ms <= 255).then_some(ms as u8), "1 to 255 ms at full speed"),
        (Transfer::Isochronous, Speed::Full) => (pow2(ms).filter(|e| *e <= 16), "a power of two, 1 to 32768 ms, for full-speed isochronous"),
        (Transfer::Interrupt | Transfer::Isochronous, Speed::High) => {
            (pow2(ms * 8).filter(|e| *e <= 16), "a power of two, 1 to 4096 ms, at high speed (2^(bInterval-1) microframes)")
        }
        _ => {
            d.push(
                Diagnostic::error(codes::INTERVAL, format!("`interval_ms` has no meaning for a {} endpoint", transfer.name()))
                    .at(span)
                    .help("remove `interval_ms`; use `interval = N` for a raw bInterval (e.g. a high-speed bulk NAK rate)"),
            );
            return 0;
        }
    };
    match value {
        Some(v) => v,
        None => {
            d.push(
                Diagnostic::error(codes::INTERVAL, format!("`interval_ms` = {ms} cannot be encoded"))
                    .at_labeled(span.unwrap_or_default(), format!("must be {rule}"))
                    .help("pick a period the bus can schedule, or give a raw `interval = N`"),
            );
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key read by two classes (or by a class and the core) would be read twice or not at all.
    #[test]
    fn every_key_has_one_reader() {
        let mut names: Vec<&str> = class::CLASSES.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), class::CLASSES.len(), "two classes share a name");
        let mut keys = CORE_INTERFACE_KEYS.to_vec();
        keys.extend(class::interface_keys());
        let mut endpoint = CORE_ENDPOINT_KEYS.to_vec();
        endpoint.extend(class::endpoint_keys());
        for list in [keys, endpoint] {
            for (i, k) in list.iter().enumerate() {
                assert!(!list[..i].contains(k), "key `{k}` is read twice");
            }
        }
    }
}
