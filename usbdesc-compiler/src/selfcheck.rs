//! Round-trip self-checks on arbitrary input (the core paths and [`load`], everything `usbdesc`
//! does with a file), shared by the cargo-fuzz targets
//! (`fuzz/`, `fuzz-hid/`), the stress driver (`examples/stress.rs`) and the regression tests.
//!
//! Each returns `true` when the input was accepted and panics when an invariant breaks: whatever
//! is accepted must re-encode to the same bytes, also through the TOML text usbdesc prints.
#![doc(hidden)]

use crate::diag::Diagnostics;
use crate::hid::ReportDescriptor;
use crate::tables::RuntimeTables;
use crate::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

/// A device + configuration blob: decode → bytes, and decode → TOML → compile → bytes.
pub fn blob(data: &[u8]) -> bool {
    let Ok(d) = decode_blob(data) else { return false };
    assert_eq!(encode::blob(&d), data);
    if crate::decode::toml_blocker(&d).is_some() {
        return false;
    }
    let text = to_toml(&d);
    let c = compile_str("blob.toml", &text);
    let back = c.device.as_ref().unwrap_or_else(|| panic!("{}\n{text}", c.render()));
    assert_eq!(encode::blob(back), data);
    true
}

/// A TOML device: compiles or reports, never panics; a compiled device prints as TOML that
/// compiles to the same descriptors and strings.
pub fn toml(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else { return false };
    let c = compile_str("fuzz.toml", text);
    let _ = c.render();
    let Some(d) = c.device else { return false };
    // Everything a device serves: descriptors, strings, BOS, MS OS 2.0, WebUSB URL, qualifier,
    // other-speed configuration, interface/endpoint/HID tables.
    // Layouts carry source spans, which differ between the two texts; the report bytes they
    // come from and the report tables are compared.
    let tables_of = |d: &crate::model::Device| {
        let mut t = RuntimeTables::from_device(d);
        t.hid.iter_mut().for_each(|h| h.layout = Default::default());
        t
    };
    let tables = tables_of(&d);
    let printed = to_toml(&d);
    let again = compile_str("printed.toml", &printed);
    let back = again.device.as_ref().unwrap_or_else(|| panic!("{}\n{printed}", again.render()));
    assert_eq!(encode::blob(back), encode::blob(&d));
    assert_eq!(tables_of(back), tables, "{printed}");
    true
}

/// A HID report descriptor: decode → bytes; layout, lints and dumps never panic; the TOML form
/// reads back, without errors, to the same bytes.
pub fn hid(data: &[u8]) -> bool {
    let Ok(r) = ReportDescriptor::decode(data) else { return false };
    assert_eq!(r.encode(), data);
    let _ = r.layout();
    let mut d = Diagnostics::new();
    r.check(&Default::default(), &mut d);
    let _ = r.dump_items();
    let _ = r.dump_layout();
    // What `usbdesc` prints for it (lint errors listed in `allow`), read back.
    let text = crate::input::report_document_text(&r, "");
    let mut d = Diagnostics::new();
    let back = crate::input::report_document(&text, &mut d).unwrap_or_else(|| panic!("{text}\n{d:?}"));
    assert!(!d.has_errors(), "{text}\n{d:?}");
    assert_eq!(back.encode(), data, "{text}");
    true
}

/// Most output a back end may write for an input of `len` bytes: linear, with a generous factor
/// (a 2-byte HID main item becomes a JSON field object of ~400 bytes). A quadratic or exponential
/// path, or a size field taken at its word, breaks it.
pub fn output_bound(len: usize) -> usize {
    1024 * len + (1 << 20)
}

fn bounded(what: &str, input_len: usize, out_len: usize) {
    assert!(out_len <= output_bound(input_len), "{what}: {out_len} bytes of output for {input_len} bytes of input");
}

/// What `usbdesc` does with any file: sniff and load it (`input::load`), render its diagnostics,
/// and for a model run every `--emit` back end (Rust, C, MicroPython, JSON, bin, hex) and the
/// report dumps, each bounded by [`output_bound`]; then `decode`: the printed TOML (or the reason it
/// cannot be printed) loads back to the same bytes. Returns whether a model was loaded.
pub fn load(data: &[u8]) -> bool {
    use crate::emit;
    use crate::input::{self, Model};
    let n = data.len();
    let loaded = input::load("fuzz.input", data);
    bounded("diagnostics", n, loaded.render(false).len());
    let Some(model) = &loaded.model else { return false };
    let bytes = match model {
        Model::Device(d) => encode::blob(d),
        Model::Report(r) => r.encode(),
    };
    if let Some(i) = &loaded.input {
        if i.encoding != input::Encoding::Toml {
            assert_eq!(bytes, i.bytes, "a blob encodes back to itself");
        }
    }
    bounded("hex", n, input::hex_lines(&bytes).len());
    let printed = match model {
        Model::Device(d) => {
            bounded("json", n, emit::json::to_string(&emit::json::device(d)).len());
            bounded("c", n, emit::c::header(d, "fuzz", "fuzz.input").len());
            if !emit::micropython::check(d).has_errors() {
                bounded("micropython", n, emit::micropython::module(d, "fuzz.input").len());
            }
            bounded("rust", n, emit::rust::device_module(d, &Default::default()).len());
            match crate::decode::toml_blocker(d) {
                Some(_) => return true,
                None => to_toml(d),
            }
        }
        Model::Report(r) => {
            bounded("json", n, emit::json::to_string(&emit::json::report(r)).len());
            bounded("dump", n, r.dump_items().len() + r.dump_layout().len());
            input::report_document_text(r, "")
        }
    };
    bounded("decode", n, printed.len());
    // `usbdesc decode` then `usbdesc build --emit bin`: the same bytes.
    let back = input::load("printed.toml", printed.as_bytes());
    let model = back.model.as_ref().unwrap_or_else(|| panic!("{}\n{printed}", back.render(false)));
    let rebuilt = match model {
        Model::Device(d) => encode::blob(d),
        Model::Report(r) => r.encode(),
    };
    assert_eq!(rebuilt, bytes, "{printed}");
    true
}
