//! JSON Schema (draft 2020-12) of the TOML device format, generated from the key lists and name
//! tables the TOML front end reads with, so the schema cannot drift from the front end: every table's
//! `properties` are exactly the keys its reader accepts, and enum-like values list the same names.
//!
//! Names are listed in their canonical spelling; the front end also accepts other cases and `-`, `_`
//! or spaces between words, and numbers for every named value.

use crate::frontend::toml as fe;
use crate::hid::toml as hid;
use crate::names;
use crate::profile::Target;
use serde_json::{json, Map, Value};

mod docs;
pub mod markdown;

use crate::schema_parts::*;

/// A reference to the recursive field-form node. The definition has no `type` (so that
/// [`one_or_many`] can apply it to an array too); each use says `object`.
fn node_ref() -> Value {
    json!({ "$ref": "#/$defs/report_node" })
}

fn all_subclasses() -> Vec<(&'static str, i128)> {
    names::SUBCLASSES.iter().flat_map(|(_, n)| n.iter().copied()).collect()
}

fn all_protocols() -> Vec<(&'static str, i128)> {
    let mut v: Vec<(&'static str, i128)> = names::PROTOCOLS.iter().flat_map(|(_, _, n)| n.iter().copied()).collect();
    v.sort_by_key(|(n, _)| *n);
    v.dedup_by_key(|(n, _)| *n);
    v
}

fn class_key(k: &str) -> Option<Value> {
    match k {
        "class" => Some(named(names::CLASSES, 0, 255)),
        "subclass" => Some(named(&all_subclasses(), 0, 255)),
        "protocol" => Some(named(&all_protocols(), 0, 255)),
        _ => None,
    }
}

fn raw_descriptor() -> Value {
    table("a descriptor emitted as written: bDescriptorType and the bytes after it", fe::RAW_KEYS, &["type"], |k| match k {
        "type" => named(names::DESCRIPTOR_TYPES, 0, 255),
        _ => bytes(),
    })
}

fn endpoint() -> Value {
    table("an endpoint descriptor; the number is assigned when omitted", &fe::endpoint_keys(), &["direction", "transfer", "max_packet_size"], |k| match k {
        "number" => int(0, 15),
        "direction" => named(names::DIRECTIONS, 0, 1),
        "transfer" => named(names::TRANSFERS, 0, 3),
        "sync" => named(names::SYNC, 0, 3),
        "usage" => named(names::USAGE, 0, 3),
        "attributes" => byte(),
        "interval" => per_speed(byte()),
        "max_packet_size" => per_speed(int(0, 0xffff)),
        "additional_transactions" => int(0, 2),
        "interval_ms" => int(1, 32768),
        "extra" => bytes(),
        "class_descriptor" => one_or_many("class_descriptor", raw_descriptor()),
        _ => crate::class::schema(k).unwrap_or_else(|| json!({})),
    })
}

fn hid_value(k: &str) -> Value {
    let flag_names: Vec<&str> = crate::hid::MainFlags::BITS.iter().flat_map(|(_, set, clear)| [*clear, *set]).collect();
    let flag = json!({ "type": "string", "enum": flag_names });
    let flags = json!({ "anyOf": [ flag.clone(), { "type": "array", "items": flag }, int(0, 0x1ff) ] });
    let one = json!({ "anyOf": [ { "type": "string" }, int(0, 0xffff_ffff), { "type": "object" } ] });
    let usage = json!({ "anyOf": [ one.clone(), { "type": "array", "items": one } ] });
    let pair = json!({ "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 2 });
    match k {
        "collection" => named(crate::hid::CollectionKind::NAMES, 0, 255),
        "input" | "output" | "feature" => flags,
        "usage_page" => json!({ "anyOf": [ { "type": "string" }, int(0, 0xffff) ] }),
        "usage" | "usage_min" | "usage_max" => usage,
        "usages" => json!({ "type": "array", "items": usage }),
        "logical" | "physical" => pair,
        "report_id" => int(1, 255),
        "unit" => named(crate::hid::unit::NAMES, 0, 0xffff_ffff),
        "unit_exponent" => int(-8, 7),
        "bits" | "count" | "padding" => int(0, 0xffff_ffff),
        "fields" => json!({ "type": "array", "items": { "type": "object", "allOf": [node_ref()] } }),
        "emit" => json!({ "type": "array", "items": { "type": "string", "enum": crate::hid::vocab::all_names() } }),
        "sizes" => json!({ "type": "object", "additionalProperties": { "type": "integer", "enum": [0, 1, 2, 4] } }),
        "items" => json!({ "type": "array", "items": report_item() }),
        "name" => json!({ "type": "string", "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "description": "the field's name in generated report structs" }),
        _ => json!({ "type": "integer" }),
    }
}

/// A node of the field form: a collection or a field (the keys of both, as the reader decides by
/// `collection` / `input` / `output` / `feature`).
fn report_node() -> Value {
    let mut keys: Vec<&str> = hid::COLLECTION_KEYS.to_vec();
    keys.extend(hid::FIELD_KEYS.iter().filter(|k| !hid::COLLECTION_KEYS.contains(k)));
    keys.push("items");
    let mut t = table(
        "a collection (`collection = ...`, `fields = [...]`), a field (`input`/`output`/`feature`) or items written as they are (`items = [...]`)",
        &keys,
        &[],
        hid_value,
    );
    if let Some(m) = t.as_object_mut() {
        m.remove("type"); // see node_ref
    }
    t
}

fn report_item() -> Value {
    let mut props = Map::new();
    for t in crate::hid::Tag::ALL {
        props.insert(t.key().to_string(), json!({}));
    }
    for k in ["long", "reserved", "data", "size"] {
        props.insert(k.to_string(), json!({}));
    }
    json!({
        "type": "object",
        "description": "one item: exactly one item key (e.g. usage_page, input), plus optional size/data",
        "properties": props,
        "additionalProperties": false,
        "minProperties": 1,
    })
}

fn report() -> Value {
    json!({
        "type": "object",
        "description": "a HID report descriptor: field form (collection), item form (items) or raw bytes",
        "properties": {
            "collection": one_or_many("report_node", node_ref()),
            "items": { "type": "array", "items": report_item() },
            "bytes": bytes(),
            "order": {
                "type": "array",
                "items": { "type": "string", "enum": crate::hid::vocab::all_names() },
                "description": "with `collection`: the order of the items before a main item for nodes without `emit` (the listed items swap places, e.g. [\"count\", \"bits\"])",
            },
        },
        "additionalProperties": false,
        "minProperties": 1,
        "maxProperties": 2,
    })
}

fn interface() -> Value {
    table("an interface descriptor (one alternate setting); the number is assigned when omitted", &fe::interface_keys(), &[], |k| {
        class_key(k).unwrap_or_else(|| match k {
            "number" | "alternate" | "num_endpoints" => byte(),
            "name" => str_ref(),
            "extra" => bytes(),
            "class_descriptor" => one_or_many("class_descriptor", raw_descriptor()),
            "endpoint" => one_or_many("endpoint", endpoint()),
            _ => crate::class::schema(k).unwrap_or_else(|| json!({})),
        })
    })
}

fn function() -> Value {
    table("an interface association (IAD) with the interfaces it groups", fe::FUNCTION_KEYS, &[], |k| {
        class_key(k).unwrap_or_else(|| match k {
            "name" => str_ref(),
            "first_interface" | "interface_count" => byte(),
            "extra" => bytes(),
            "interface" => one_or_many("interface", interface()),
            _ => json!({}),
        })
    })
}

fn configuration() -> Value {
    table("a configuration with its functions, interfaces and descriptors, in the order written", fe::CONFIG_KEYS, &[], |k| match k {
        "value" | "attributes" | "num_interfaces" => byte(),
        "name" => str_ref(),
        "self_powered" | "remote_wakeup" => boolean(),
        "max_power_ma" => int(0, 510),
        "total_length" => int(0, 0xffff),
        "extra" => bytes(),
        "function" => one_or_many("function", function()),
        "interface" => one_or_many("interface", interface()),
        "descriptor" => one_or_many("descriptor", raw_descriptor()),
        _ => json!({}),
    })
}

fn device() -> Value {
    table("the device descriptor", fe::DEVICE_KEYS, &["vid", "pid"], |k| {
        class_key(k).unwrap_or_else(|| match k {
            "usb" | "version" => bcd(),
            "max_packet_size_0" | "num_configurations" => byte(),
            "vid" | "pid" => int(0, 0xffff),
            "manufacturer" | "product" | "serial" => str_ref(),
            _ => json!({}),
        })
    })
}

fn builtin() -> Value {
    let presets: Vec<&str> = crate::builtin::PRESETS.iter().map(|p| p.name).collect();
    table("descriptors of a built-in driver placed first (MicroPython builtin_driver)", fe::BUILTIN_KEYS, &[], |k| match k {
        "preset" => json!({ "type": "string", "enum": presets }),
        "itf_max" => byte(),
        "ep_max" => int(1, 16),
        "str_max" => int(1, 255),
        "config" => bytes(),
        _ => json!({}),
    })
}

fn strings() -> Value {
    table("string languages and translations", fe::STRINGS_KEYS, &[], |k| match k {
        "languages" => json!({ "type": "array", "minItems": 1, "items": named(fe::LANGUAGES, 0, 0xffff) }),
        _ => json!({
            "type": "object",
            "description": "LANGID (e.g. 0x0407) -> { text in the first language = translation }",
            "additionalProperties": { "type": "object", "additionalProperties": { "type": "string" } }
        }),
    })
}

fn bos() -> Value {
    let mut keys = vec!["capability"];
    keys.extend(crate::class::capability_keys());
    table("BOS device capabilities", &keys, &[], |k| match k {
        "capability" => one_or_many("capability", table("a device capability: bDevCapabilityType and the bytes after it", fe::RAW_KEYS, &["type"], |k| {
            if k == "type" { byte() } else { bytes() }
        })),
        k => crate::class::capability_schema(k).unwrap_or_else(|| json!({})),
    })
}

/// The schema of a TOML device file, or of a standalone report document (`[report]` only).
pub fn schema() -> Value {
    DEFS.with(|d| d.borrow_mut().clear());
    let mut props = Map::new();
    for k in fe::TOP_KEYS {
        let v = match *k {
            "target" => named(Target::NAMES, 0, 2),
            "allow" => json!({ "type": "array", "items": { "type": "string", "pattern": "^UD[0-9]{4}$" } }),
            "device" => device(),
            "strings" => strings(),
            "builtin" => builtin(),
            "configuration" => one_or_many("configuration", configuration()),
            "bos" => bos(),
            _ => json!({}),
        };
        props.insert(k.to_string(), v);
    }
    props.insert("report".into(), json!({ "$ref": "#/$defs/report" }));
    let mut v = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/usbdesc/usbdesc/schemas/usbdesc.schema.json",
        "title": "usbdesc device description",
        "description": "A USB device for the usbdesc descriptor compiler (TOML). A file is either a device ([device], [[configuration]], ...) or a standalone HID report document ([report]).",
        "type": "object",
        "properties": props,
        "additionalProperties": false,
        "anyOf": [ { "required": ["device"] }, { "required": ["report"] } ],
    });
    let mut defs = DEFS.with(|d| std::mem::take(&mut *d.borrow_mut()));
    defs.insert("report".into(), report());
    defs.insert("report_node".into(), report_node());
    // The report's own tables register while `report()` builds: take them too.
    defs.extend(DEFS.with(|d| std::mem::take(&mut *d.borrow_mut())));
    docs::annotate(&mut v, "top");
    for (name, def) in defs.iter_mut() {
        docs::annotate(def, docs::def_table(name));
    }
    v["$defs"] = Value::Object(defs);
    v
}

/// The schema as pretty JSON text with a trailing newline (the content of `schemas/usbdesc.schema.json`).
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls `f(path, table, key schema)` for every property of every table in `v`.
    fn each_property(v: &Value, path: &str, f: &mut dyn FnMut(&str, &Map<String, Value>, &Value)) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    for (k, p) in props {
                        f(&format!("{path}.{k}"), m, p);
                    }
                }
                for (k, x) in m {
                    each_property(x, &format!("{path}/{k}"), f);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| each_property(x, path, f)),
            _ => {}
        }
    }

    /// Every key of every table has its documentation (keys.txt).
    #[test]
    fn every_key_is_documented() {
        let mut bad = Vec::new();
        each_property(&schema(), "", &mut |path, _, p| {
            if p.get("x-default").is_none() {
                bad.push(path.to_string());
            }
        });
        assert!(bad.is_empty(), "keys without an entry in schema/keys.txt: {bad:?}");
    }

    /// Every key the front end reads has a typed schema (no `{}` placeholder besides its docs).
    #[test]
    fn every_key_is_typed() {
        let mut bad = Vec::new();
        each_property(&schema(), "", &mut |path, table, p| {
            let is_item = table.get("minProperties").is_some() && table.get("description").is_some_and(|d| d.as_str().unwrap_or("").starts_with("one item"));
            let typed = p.as_object().is_some_and(|m| m.keys().any(|k| !["description", "x-default", "x-example"].contains(&k.as_str())));
            if !is_item && !typed {
                bad.push(path.to_string());
            }
        });
        assert!(bad.is_empty(), "untyped keys: {bad:?}");
    }
}
