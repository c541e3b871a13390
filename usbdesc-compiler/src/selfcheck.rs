//! Round-trip self-checks on arbitrary input, shared by the cargo-fuzz targets
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
