//! Model → TOML in the device format, which [`crate::compile_str`] turns back into the same bytes.
//!
//! Numbers (interface numbers, endpoint numbers, string indices of decoded blobs, raw bInterval)
//! are written explicitly so the output is exact; lengths and counts are written only where a
//! decoded blob's stored value differs from the computed one. Diagnostics that the device already
//! fails are listed in `allow` so the file compiles as the bytes it came from.

use crate::diag::Diagnostics;
use crate::model::*;
use crate::names::{self, name_of};
use std::fmt::Write;

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn hex_bytes(b: &[u8]) -> String {
    q(&crate::spec::hex(b))
}

use crate::names::bcd_toml as bcd;

/// A name when one is known for the value, else the number in hex.
fn named(names: &[(&'static str, i128)], v: u8) -> String {
    match name_of(names, v) {
        Some(n) => q(n),
        None => format!("{v:#04x}"),
    }
}

fn str_ref(s: &StrRef) -> Option<String> {
    match (&s.text, s.index) {
        (Some(t), _) => Some(q(t)),
        (None, 0) => None,
        (None, i) => Some(i.to_string()),
    }
}

struct W {
    out: String,
    /// The device's target runs at high speed (per-speed endpoint values are `{ hs, fs }`).
    high_speed: bool,
}

impl W {
    fn line(&mut self, s: impl AsRef<str>) {
        self.out.push_str(s.as_ref());
        self.out.push('\n');
    }
    fn kv(&mut self, k: &str, v: impl AsRef<str>) {
        let _ = writeln!(self.out, "{k} = {}", v.as_ref());
    }
    fn header(&mut self, h: &str, array: bool) {
        self.out.push('\n');
        if array {
            let _ = writeln!(self.out, "[[{h}]]");
        } else {
            let _ = writeln!(self.out, "[{h}]");
        }
    }
    fn class_triple(&mut self, class: u8, subclass: u8, protocol: u8) {
        self.kv("class", named(names::CLASSES, class));
        self.kv("subclass", named(names::subclass_names(class), subclass));
        self.kv("protocol", named(names::protocol_names(class, subclass), protocol));
    }
    fn opt_str(&mut self, k: &str, s: &StrRef) {
        if let Some(v) = str_ref(s) {
            self.kv(k, v);
        }
    }
}

/// Print a device as TOML.
pub fn to_toml(dev: &Device) -> String {
    let mut w = W { out: String::new(), high_speed: dev.target.speed() == crate::profile::Speed::High };
    w.kv("target", q(dev.target.name()));
    let mut allow = dev.allow.clone();
    let mut d = Diagnostics::new();
    crate::check::run(dev, &mut d);
    // Codes the written form of a class item breaks when read back (a decoded HID report in the
    // field form is linted strictly).
    let items = dev.configurations.iter().flat_map(|c| c.interfaces()).flat_map(|i| i.items.iter());
    let strict: Vec<&str> = items
        .filter_map(|item| match item {
            InterfaceItem::Class(c) => Some(c.toml_allow()),
            _ => None,
        })
        .flatten()
        .collect();
    for code in d.error_codes().into_iter().chain(strict) {
        if !allow.iter().any(|a| a == code) {
            allow.push(code.to_string());
        }
    }
    if !allow.is_empty() {
        allow.sort();
        w.line("# rules these descriptors break on purpose or by history; they are reported as warnings");
        w.kv("allow", format!("[{}]", allow.iter().map(|a| q(a)).collect::<Vec<_>>().join(", ")));
    }

    w.header("device", false);
    w.kv("usb", bcd(dev.usb));
    w.class_triple(dev.class, dev.subclass, dev.protocol);
    w.kv("max_packet_size_0", dev.max_packet_size_0.to_string());
    w.kv("vid", format!("{:#06x}", dev.vid));
    w.kv("pid", format!("{:#06x}", dev.pid));
    w.kv("version", bcd(dev.version));
    w.opt_str("manufacturer", &dev.manufacturer);
    w.opt_str("product", &dev.product);
    w.opt_str("serial", &dev.serial);
    if let Some(n) = dev.num_configurations_override {
        w.kv("num_configurations", n.to_string());
    }

    strings(&mut w, dev);
    if let Some(b) = &dev.builtin {
        w.header("builtin", false);
        match b.preset.as_deref().and_then(crate::builtin::preset) {
            Some(p) if p.config_bytes == b.config_bytes.as_slice() => w.kv("preset", q(p.name)),
            _ => w.kv("config", hex_bytes(&b.config_bytes)),
        }
        w.kv("itf_max", b.itf_max.to_string());
        w.kv("ep_max", b.ep_max.to_string());
        w.kv("str_max", b.str_max.to_string());
    }
    for cap in &dev.bos {
        w.header("bos.capability", true);
        w.kv("type", format!("{:#04x}", cap.data.first().copied().unwrap_or(0)));
        w.kv("bytes", hex_bytes(cap.data.get(1..).unwrap_or(&[])));
    }
    for cap in &dev.capabilities {
        w.out.push_str(&cap.to_toml());
    }
    for c in &dev.configurations {
        configuration(&mut w, c);
    }
    w.out
}

fn strings(w: &mut W, dev: &Device) {
    let translated = dev.strings.iter().any(|s| !s.translations.is_empty());
    if dev.languages == [0x0409] && !translated {
        return;
    }
    w.header("strings", false);
    w.kv("languages", format!("[{}]", dev.languages.iter().map(|l| format!("{l:#06x}")).collect::<Vec<_>>().join(", ")));
    for lang in dev.languages.iter().skip(1) {
        let pairs: Vec<_> = dev.strings.iter().filter_map(|s| s.translations.get(lang).map(|t| (&s.text, t))).collect();
        if pairs.is_empty() {
            continue;
        }
        w.header(&format!("strings.translations.{lang:#06x}"), false);
        for (from, to) in pairs {
            w.kv(&q(from), q(to));
        }
    }
}

fn configuration(w: &mut W, c: &Configuration) {
    w.header("configuration", true);
    w.kv("value", c.value.to_string());
    w.opt_str("name", &c.name);
    w.kv("self_powered", c.self_powered.to_string());
    w.kv("remote_wakeup", c.remote_wakeup.to_string());
    w.kv("max_power_ma", (c.max_power as u32 * 2).to_string());
    if let Some(a) = c.attributes_override {
        w.kv("attributes", format!("{a:#04x}"));
    }
    if let Some(n) = c.total_length_override {
        w.kv("total_length", n.to_string());
    }
    if let Some(n) = c.num_interfaces_override {
        w.kv("num_interfaces", n.to_string());
    }
    if !c.extra.is_empty() {
        w.kv("extra", hex_bytes(&c.extra));
    }
    let mut k = 0;
    while k < c.items.len() {
        match &c.items[k] {
            ConfigItem::Association(a) => {
                let nested = nested_interfaces(c, k, a);
                w.header("configuration.function", true);
                w.class_triple(a.class, a.subclass, a.protocol);
                w.opt_str("name", &a.name);
                if !a.extra.is_empty() {
                    w.kv("extra", hex_bytes(&a.extra));
                }
                if nested == 0 {
                    w.kv("first_interface", a.first_interface.to_string());
                    w.kv("interface_count", a.interface_count.to_string());
                }
                for item in &c.items[k + 1..k + 1 + nested] {
                    if let ConfigItem::Interface(i) = item {
                        interface(w, "configuration.function.interface", i);
                    }
                }
                k += 1 + nested;
            }
            ConfigItem::Interface(i) => {
                interface(w, "configuration.interface", i);
                k += 1;
            }
            ConfigItem::Raw(r) => {
                raw(w, "configuration.descriptor", r);
                k += 1;
            }
        }
    }
}

/// How many interface items after the IAD at `k` it groups exactly (0 if it cannot be nested).
fn nested_interfaces(c: &Configuration, k: usize, a: &Association) -> usize {
    let range = a.first_interface as u16..a.first_interface as u16 + a.interface_count as u16;
    let mut numbers: Vec<u8> = Vec::new();
    let mut n = 0;
    for item in &c.items[k + 1..] {
        match item {
            ConfigItem::Interface(i) if range.contains(&(i.number as u16)) => {
                if !numbers.contains(&i.number) {
                    numbers.push(i.number);
                }
                n += 1;
            }
            _ => break,
        }
    }
    let ok = numbers.first() == Some(&a.first_interface) && numbers.len() == a.interface_count as usize;
    if ok { n } else { 0 }
}

fn raw(w: &mut W, prefix: &str, r: &RawDescriptor) {
    w.header(prefix, true);
    w.kv("type", format!("{:#04x}", r.descriptor_type));
    w.kv("bytes", hex_bytes(&r.data));
}

fn interface(w: &mut W, prefix: &str, i: &Interface) {
    w.header(prefix, true);
    w.kv("number", i.number.to_string());
    if i.alternate != 0 {
        w.kv("alternate", i.alternate.to_string());
    }
    w.class_triple(i.class, i.subclass, i.protocol);
    w.opt_str("name", &i.name);
    if let Some(n) = i.num_endpoints_override {
        w.kv("num_endpoints", n.to_string());
    }
    if !i.extra.is_empty() {
        w.kv("extra", hex_bytes(&i.extra));
    }
    let mut single_done: Vec<&'static str> = Vec::new();
    let mut k = 0;
    while k < i.items.len() {
        match &i.items[k] {
            InterfaceItem::Raw(r) => raw(w, &format!("{prefix}.class_descriptor"), r),
            InterfaceItem::Endpoint(e) => endpoint(w, &format!("{prefix}.endpoint"), e, i),
            InterfaceItem::Class(c) => match c.to_toml(&i.items[k + 1..]) {
                Some(t) if t.array || !single_done.contains(&t.key) => {
                    single_done.push(t.key);
                    w.header(&format!("{prefix}.{}", t.key), t.array);
                    for (key, v) in t.kv {
                        w.kv(&key, v);
                    }
                    k += t.consumed.max(1);
                    continue;
                }
                _ => raw(w, &format!("{prefix}.class_descriptor"), &encoded_raw(&i.items[k..])),
            },
        }
        k += 1;
    }
}

/// The first item of `items` encoded (with what follows it as context), as a raw entry.
fn encoded_raw(items: &[InterfaceItem]) -> RawDescriptor {
    let all = crate::encode::interface_items_len(items);
    let rest = crate::encode::interface_items_len(items.get(1..).unwrap_or(&[]));
    let mut i = Interface {
        number: 0,
        alternate: 0,
        class: 0,
        subclass: 0,
        protocol: 0,
        name: StrRef::none(),
        items: items.to_vec(),
        num_endpoints_override: None,
        extra: Vec::new(),
        spans: Spans::default(),
    };
    let bytes = crate::encode::interface_bytes(&i);
    i.items.clear();
    let d = bytes.get(9..9 + all - rest).unwrap_or(&[]);
    RawDescriptor { descriptor_type: d.get(1).copied().unwrap_or(0), data: d.get(2..).unwrap_or(&[]).to_vec(), spans: Spans::default() }
}

fn endpoint(w: &mut W, prefix: &str, e: &Endpoint, itf: &Interface) {
    let cx = crate::class::InterfaceCx::of(itf);
    let default_extra = crate::class::endpoint_extra(&cx);
    w.header(prefix, true);
    w.kv("number", e.number.to_string());
    w.kv("direction", q(if e.direction == Direction::In { "in" } else { "out" }));
    w.kv("transfer", q(e.transfer.name()));
    if e.attributes_high != 0 {
        if e.transfer == Transfer::Isochronous && e.attributes_high < 0x0c {
            w.kv("sync", named(names::SYNC, e.attributes_high & 3));
            w.kv("usage", named(names::USAGE, e.attributes_high >> 2));
        } else {
            w.kv("attributes", format!("{:#04x}", e.attributes()));
        }
    }
    // High-bandwidth endpoints print the packet size and the additional transactions apart when
    // the reserved bits are clear; otherwise wMaxPacketSize is printed whole.
    let split = e.additional_transactions() > 0 && e.max_packet_size & 0xe000 == 0 && e.additional_transactions() < 3;
    let size = if split { e.packet_size() } else { e.max_packet_size };
    match e.other_speed {
        None => {
            w.kv("max_packet_size", size.to_string());
            if split {
                w.kv("additional_transactions", e.additional_transactions().to_string());
            }
            w.kv("interval", e.interval.to_string());
        }
        Some((other_size, other_interval)) => {
            let (main, other) = if w.high_speed { ("hs", "fs") } else { ("fs", "hs") };
            if split {
                w.kv("additional_transactions", e.additional_transactions().to_string());
            }
            w.kv("max_packet_size", format!("{{ {main} = {size}, {other} = {other_size} }}"));
            w.kv("interval", format!("{{ {main} = {}, {other} = {other_interval} }}", e.interval));
        }
    }
    // A class may give endpoints default `extra` bytes (Audio 1.0: bRefresh = bSynchAddress = 0);
    // an endpoint without them (not compliant, but found in the wild) says so with an empty `extra`.
    match (default_extra, e.extra.as_slice()) {
        (Some(x), y) if x == y => {}
        (Some(_), []) => w.kv("extra", "\"\""),
        (_, []) => {}
        (_, x) => w.kv("extra", hex_bytes(x)),
    }
    let (kv, used) = crate::class::endpoint_toml(&cx, e);
    for (key, v) in kv {
        w.kv(&key, v);
    }
    for r in e.items.get(used..).unwrap_or(&[]) {
        raw(w, &format!("{prefix}.class_descriptor"), r);
    }
}
