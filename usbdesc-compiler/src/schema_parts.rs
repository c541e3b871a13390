//! Building blocks of the JSON Schema, shared by [`crate::schema`] and the class modules' schema
//! fragments (`crate::class`). A leaf: it imports nothing from the crate.

use serde_json::{json, Map, Value};

pub fn int(lo: i64, hi: i64) -> Value {
    json!({ "type": "integer", "minimum": lo, "maximum": hi })
}

pub fn byte() -> Value {
    int(0, 255)
}

pub fn named(names: &[(&str, i128)], lo: i64, hi: i64) -> Value {
    let mut v: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    v.dedup();
    json!({ "anyOf": [ { "type": "string", "enum": v }, int(lo, hi) ] })
}

pub fn bcd() -> Value {
    json!({ "anyOf": [
        { "type": "string", "pattern": "^[0-9]{1,2}(\\.[0-9]{1,2})?$", "description": "BCD version such as \"2.0\" or \"1.11\"" },
        int(0, 0xffff)
    ] })
}

pub fn str_ref() -> Value {
    json!({ "anyOf": [ { "type": "string", "description": "text; the string index is assigned" }, int(0, 255) ] })
}

pub fn bytes() -> Value {
    json!({ "anyOf": [
        { "type": "string", "pattern": "^[0-9a-fA-FxX,\\s]*$", "description": "hex pairs, e.g. \"06 00 ff\"" },
        { "type": "array", "items": byte() }
    ] })
}

/// A value given once or per speed (`{ fs = ..., hs = ... }`, see [`crate::speed::per_speed`]).
pub fn per_speed(v: Value) -> Value {
    json!({ "anyOf": [ v.clone(), {
        "type": "object",
        "description": "per-speed values: full speed (fs) and high speed (hs)",
        "properties": { "fs": v.clone(), "hs": v },
        "additionalProperties": false,
        "minProperties": 1,
    } ] })
}

pub fn boolean() -> Value {
    json!({ "type": "boolean" })
}

thread_local! {
    /// The `$defs` collected while [`schema`] builds (see [`one_or_many`]).
    pub static DEFS: std::cell::RefCell<Map<String, Value>> = std::cell::RefCell::new(Map::new());
}

/// One table or an array of them (`[x]` / `[[x]]`), as the front end accepts both, written once
/// as `$defs/NAME` (NAME is also the table's name in keys.txt).
///
/// No `anyOf` of the two: the definition has no `type`, so its keywords (`properties`,
/// `required`, ...) apply to a table and are ignored for an array, and `items` applies it to each
/// element; an editor's validator (taplo) then reports an error inside either at its key, not "not
/// valid under any of the schemas" over the whole block. The `$ref` is wrapped in `allOf` because
/// draft-07 validators ignore keywords next to `$ref`. One definition per table (not a copy per
/// use and per form) keeps the schema small: copies double at every level of nesting.
pub fn one_or_many(name: &str, t: Value) -> Value {
    let r = match t.get("$ref") {
        Some(_) => t,
        None => {
            let mut def = t;
            if let Some(m) = def.as_object_mut() {
                m.remove("type");
            }
            DEFS.with(|d| d.borrow_mut().insert(name.to_string(), def));
            json!({ "$ref": format!("#/$defs/{name}") })
        }
    };
    json!({ "type": ["object", "array"], "allOf": [r.clone()], "items": { "type": "object", "allOf": [r] } })
}

/// A closed table whose properties are exactly `keys`, each typed by `f`.
pub fn table(desc: &str, keys: &[&str], required: &[&str], f: impl Fn(&str) -> Value) -> Value {
    let mut props = Map::new();
    for k in keys {
        props.insert(k.to_string(), f(k));
    }
    json!({
        "type": "object",
        "description": desc,
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}
