//! Any bytes: the decoder never panics; what decodes re-encodes to the same bytes; layout, lints,
//! dumps and the TOML form never panic, and the TOML text reads back to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use usbdesc_compiler::diag::Diagnostics;
use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_compiler::tomlr;

fuzz_target!(|data: &[u8]| {
    let Ok(r) = ReportDescriptor::decode(data) else { return };
    assert_eq!(r.encode(), data);
    let _ = r.layout();
    let mut d = Diagnostics::new();
    r.check(&Default::default(), &mut d);
    let _ = r.dump_items();
    let _ = r.dump_layout();
    if data.len() <= 256 {
        let mut doc = toml::Table::new();
        doc.insert("report".into(), toml::Value::Table(r.to_toml()));
        let text = toml::to_string(&doc).unwrap();
        let parsed = tomlr::parse(&text).unwrap();
        let root = tomlr::Table::root(&parsed);
        let mut d = Diagnostics::new();
        let t = root.require("report", &mut d).and_then(|v| v.table(&mut d)).unwrap();
        let back = ReportDescriptor::from_toml(&t, &mut d).unwrap_or_else(|| panic!("{text}\n{d:?}"));
        assert!(!d.has_errors(), "{text}\n{d:?}");
        assert_eq!(back.encode(), data, "{text}");
    }
});
