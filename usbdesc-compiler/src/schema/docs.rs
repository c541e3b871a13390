//! The documentation of every key (`keys.txt` for the core, each class's and capability's
//! `key_docs` for theirs: default, example, meaning), attached to the schema
//! as each property's `description`, `x-default` and `x-example`, so that editors show it on hover
//! and docs/format.md ([`super::markdown`]) is generated from the same schema.

use serde_json::{json, Value};

const KEYS: &str = include_str!("keys.txt");

/// A key's documentation.
pub struct KeyDoc {
    pub default: String,
    pub example: String,
    pub meaning: String,
}

/// The documentation of `key` in the table named `table` (see [`child_table`]): `table.key`, else
/// `*.key`, else for item-form entries the HID item's own description.
pub fn lookup(table: &str, key: &str) -> Option<KeyDoc> {
    let find = |name: &str| {
        let lines = std::iter::once(KEYS).chain(crate::class::key_docs()).flat_map(str::lines);
        lines.filter(|l| !l.starts_with('#') && !l.trim().is_empty()).find_map(|l| {
            let parts: Vec<&str> = l.splitn(4, '|').map(str::trim).collect();
            match parts[..] {
                [n, default, example, meaning] if n == name => Some(KeyDoc { default: default.into(), example: example.into(), meaning: meaning.into() }),
                _ => None,
            }
        })
    };
    find(&format!("{table}.{key}")).or_else(|| find(&format!("*.{key}"))).or_else(|| (table == "items").then(|| item_doc(key)).flatten())
}

/// An item-form key that names a HID item: `{ usage_page = "Generic Desktop" }`.
fn item_doc(key: &str) -> Option<KeyDoc> {
    let tag = crate::hid::Tag::from_key(key)?;
    let example = match key {
        "usage_page" => "usage_page = \"Generic Desktop\"".to_string(),
        "usage" | "usage_min" | "usage_max" => format!("{key} = \"X\""),
        "collection" => "collection = \"application\"".to_string(),
        "input" | "output" | "feature" => format!("{key} = [\"data\", \"variable\", \"absolute\"]"),
        "end_collection" | "push" | "pop" => format!("{key} = true"),
        "unit" => "unit = \"centimeter\"".to_string(),
        _ => format!("{key} = 1"),
    };
    Some(KeyDoc {
        default: "one item key per entry".into(),
        example,
        meaning: format!("The {} item (prefix 0x{:02x}, {:?} item).", tag.spec_name(), tag.prefix(), tag.item_type()),
    })
}

/// The name a nested table is documented under: its key, except where one name has two tables.
pub fn child_table(parent: &str, key: &str) -> String {
    match (parent, key) {
        ("report", "collection") | ("node", "fields") => "node".into(),
        ("msos20", "function") => "msos20_function".into(),
        _ => key.into(),
    }
}

/// The table name (in keys.txt) of a `$defs` entry.
pub fn def_table(def: &str) -> &str {
    match def {
        "report_node" => "node",
        other => other,
    }
}

/// Attach the documentation to every property of `v` (a table named `table`), recursively.
pub fn annotate(v: &mut Value, table: &str) {
    let Value::Object(m) = v else { return };
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        for (k, p) in props.iter_mut() {
            if let (Some(doc), Value::Object(pm)) = (lookup(table, k), &mut *p) {
                pm.insert("description".into(), json!(doc.meaning));
                pm.insert("x-default".into(), json!(doc.default));
                pm.insert("x-example".into(), json!(doc.example));
            }
            annotate(p, &child_table(table, k));
        }
    }
    for key in ["items", "anyOf", "allOf"] {
        match m.get_mut(key) {
            Some(Value::Array(a)) => a.iter_mut().for_each(|x| annotate(x, table)),
            Some(x @ Value::Object(_)) => annotate(x, table),
            _ => {}
        }
    }
}
