//! Model → JSON: the resolved model (serde) with every computed number added: descriptor lengths,
//! wTotalLength, bNumInterfaces, bNumEndpoints, bmAttributes, endpoint addresses, what each class
//! item computes ([`ClassDescriptor::json_computed`]: a HID report's length and layout), string
//! descriptor bytes, and the encoded descriptors as hex.

use crate::encode;
use crate::hid::ReportDescriptor;
use crate::model::*;
use serde_json::{json, Value};

use crate::spec::hex;

/// A HID report descriptor as JSON: bytes, length and layout ([`ReportDescriptor::to_json`]).
pub fn report(r: &ReportDescriptor) -> Value {
    r.to_json()
}

/// Byte vectors of the model (`extra`, `data`, ...) as hex text instead of arrays of numbers.
fn bytes_as_hex(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let is_bytes = matches!(k.as_str(), "config_bytes" | "report_bytes" | "extra" | "data");
                match x {
                    Value::Array(a) if is_bytes && a.iter().all(|e| e.as_u64().is_some_and(|n| n <= 255)) => {
                        let b: Vec<u8> = a.iter().filter_map(|e| e.as_u64()).map(|n| n as u8).collect();
                        *x = Value::String(hex(&b));
                    }
                    _ => bytes_as_hex(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(bytes_as_hex),
        _ => {}
    }
}

/// The resolved device as JSON.
pub fn device(dev: &Device) -> Value {
    let mut v = serde_json::to_value(dev).unwrap_or(Value::Null);
    bytes_as_hex(&mut v);
    let dd = encode::device_descriptor(dev);
    v["descriptor"] = json!({ "length": dd.len(), "num_configurations": dd[17], "bytes": hex(&dd) });
    v["strings"] = Value::Array(
        encode::string_descriptors(dev)
            .into_iter()
            .map(|(index, langid, b)| {
                json!({ "index": index, "langid": langid, "text": dev.string(index), "length": b.len(), "bytes": hex(&b) })
            })
            .collect(),
    );
    if let Some(b) = encode::bos(dev) {
        v["bos_descriptor"] = json!({ "total_length": b.len(), "bytes": hex(&b) });
    }
    if let Some(b) = encode::device_qualifier(dev) {
        v["device_qualifier"] = json!({ "length": b.len(), "bytes": hex(&b) });
    }
    for x in dev.vendor_descriptors() {
        v[x.name] = json!({ "vendor_code": x.request, "value": x.value, "index": x.index, "length": x.bytes.len(), "bytes": hex(&x.bytes) });
    }
    for (ci, c) in dev.configurations.iter().enumerate() {
        let bytes = encode::configuration(dev, ci);
        let cv = &mut v["configurations"][ci];
        cv["total_length"] = json!(u16::from_le_bytes([bytes[2], bytes[3]]));
        cv["num_interfaces"] = json!(bytes[4]);
        cv["attributes"] = json!(encode::config_attributes(c));
        cv["max_power_ma"] = json!(c.max_power as u32 * 2);
        cv["builtin_prefix"] = json!(hex(encode::builtin_prefix(dev, ci)));
        cv["bytes"] = json!(hex(&bytes));
        if let Some(o) = encode::other_speed_configuration(dev, ci) {
            cv["other_speed_bytes"] = json!(hex(&o));
        }
        for (k, item) in c.items.iter().enumerate() {
            let ConfigItem::Interface(itf) = item else { continue };
            let iv = &mut cv["items"][k];
            let ib = encode::interface_bytes(itf);
            iv["num_endpoints"] = json!(ib[4]);
            for (j, x) in itf.items.iter().enumerate() {
                let xv = &mut iv["items"][j];
                match x {
                    InterfaceItem::Endpoint(e) => {
                        xv["address"] = json!(e.address());
                        xv["attributes"] = json!(e.attributes());
                        xv["packet_size"] = json!(e.packet_size());
                    }
                    InterfaceItem::Class(c) => {
                        for (key, value) in c.json_computed() {
                            xv[key.as_str()] = value;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    v
}

/// Pretty JSON text with a trailing newline.
pub fn to_string(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
