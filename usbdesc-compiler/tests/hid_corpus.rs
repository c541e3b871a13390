//! Every corpus descriptor: decode → TOML text → parse → encode, byte for byte.
mod hid_common;
use hid_common::*;
use usbdesc_compiler::diag::Diagnostics;
use usbdesc_compiler::hid::ReportDescriptor;

#[test]
fn corpus_round_trips_through_toml_text() {
    let files = corpus_hid_files();
    assert!(files.len() >= 719, "expected the 719 corpus descriptors, found {}", files.len());
    let (mut field_form, mut item_form) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let bytes = read_hex_file(path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let r = ReportDescriptor::decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.encode(), bytes, "{name}: items re-encode");
        let table = r.to_toml();
        if table.contains_key("collection") {
            field_form += 1;
        } else {
            item_form += 1;
        }
        let mut doc = toml::Table::new();
        doc.insert("report".into(), toml::Value::Table(table));
        let text = toml::to_string(&doc).unwrap();
        let mut d = Diagnostics::new();
        let back = parse_report_doc(&text, &mut d);
        if d.has_errors() || back.as_ref().map(|b| b.encode()) != Some(bytes.clone()) {
            failures.push(format!("{name}: {:?}", d.iter().map(|x| x.message.clone()).collect::<Vec<_>>()));
        }
    }
    eprintln!("corpus: {} files, {field_form} in field form, {item_form} in item form", files.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures[..failures.len().min(20)].join("\n"));
}
