//! examples/reports/*.toml: parse, lint clean, encode; bytes, item dump and layout are snapshotted.
use usbdesc_compiler::diag::{render_all, Diagnostics, Source};
use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_compiler::input::{report_document, report_document_text};

fn load(name: &str) -> ReportDescriptor {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/reports").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut d = Diagnostics::new();
    let r = report_document(&text, &mut d);
    assert!(d.is_empty(), "{name}:\n{}", render_all(&d, &Source::new(name, text.clone())));
    r.unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.chunks(16).map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

fn snapshot_text(r: &ReportDescriptor) -> String {
    let bytes = r.encode();
    format!("{} bytes\n{}\n\n{}\n{}", bytes.len(), hex(&bytes), r.dump_items(), r.dump_layout())
}

#[test]
fn boot_keyboard_is_the_spec_bytes() {
    let r = load("boot_keyboard.toml");
    // HID 1.11 Appendix B.1 (also E.6), byte for byte, as the corpus holds it.
    assert_eq!(r.encode(), usbdesc_tests::hid_spec_boot_keyboard());
    // The layout the boot protocol fixes: 8 bytes in, 1 byte out.
    let l = r.layout();
    assert_eq!(l.reports.len(), 2);
    assert_eq!((l.reports[0].bits, l.reports[1].bits), (64, 8));
    insta::assert_snapshot!(snapshot_text(&r));
}

#[test]
fn boot_keyboard_decodes_back_to_field_form() {
    // The corpus copy of B.1 comes back in field form and re-encodes exactly.
    let r = ReportDescriptor::decode(&usbdesc_tests::hid_spec_boot_keyboard()).unwrap();
    assert!(r.field_form().is_some());
    assert!(r.to_toml().contains_key("collection"));
}

#[test]
fn mouse() {
    let r = load("mouse.toml");
    let l = r.layout();
    assert_eq!(l.reports[0].bytes, 4);
    assert!(l.reports[0].fields[2].signed);
    insta::assert_snapshot!(snapshot_text(&r));
}

#[test]
fn gamepad_with_hat_switch() {
    let r = load("gamepad.toml");
    let bytes = r.encode();
    // The padding after the hat needs nothing but its Report Size/Count, which the hat left at
    // 4 and 1: its Input item follows the hat's directly, with no Physical/Unit resets.
    let padding = bytes.windows(4).position(|w| w == [0x81, 0x42, 0x81, 0x01]).expect("padding right after the hat") + 2;
    // The physical range and unit of the hat are reset for the axes, after the padding.
    let axes = bytes.windows(2).rposition(|w| w == [0x81, 0x02]).unwrap();
    assert!(bytes[padding..axes].windows(2).any(|w| w == [0x65, 0x00]), "Unit reset missing");
    assert!(bytes[padding..axes].windows(2).any(|w| w == [0x45, 0x00]), "Physical Maximum reset missing");
    assert_eq!(r.layout().reports[0].bytes, 7);
    insta::assert_snapshot!(snapshot_text(&r));
}

#[test]
fn consumer_control() {
    let r = load("consumer_control.toml");
    let bytes = r.encode();
    // Logical Maximum 0x3FF in two bytes, Usage Maximum 0x3FF in two bytes.
    assert!(bytes.windows(3).any(|w| w == [0x26, 0xFF, 0x03]));
    assert!(bytes.windows(3).any(|w| w == [0x2A, 0xFF, 0x03]));
    insta::assert_snapshot!(snapshot_text(&r));
}

/// The gamepad as the compiler wrote it before padding stopped resetting Physical/Unit: decoded,
/// its padding field writes `45 00 65 00` through its emit list, so the zeros must survive the TOML
/// text (padding reads an omitted physical range / unit as "whatever is in effect").
#[test]
fn padding_that_resets_physical_and_unit_round_trips() {
    let bytes = [
        0x05, 0x01, 0x09, 0x05, 0xa1, 0x01, 0x05, 0x09, 0x19, 0x01, 0x29, 0x10, 0x15, 0x00, 0x25, 0x01, //
        0x75, 0x01, 0x95, 0x10, 0x81, 0x02, 0x05, 0x01, 0x09, 0x39, 0x25, 0x07, 0x46, 0x3b, 0x01, 0x65, //
        0x14, 0x75, 0x04, 0x95, 0x01, 0x81, 0x42, 0x45, 0x00, 0x65, 0x00, 0x81, 0x01, 0x09, 0x30, 0x09, //
        0x31, 0x09, 0x32, 0x09, 0x35, 0x15, 0x81, 0x25, 0x7f, 0x75, 0x08, 0x95, 0x04, 0x81, 0x02, 0xc0,
    ];
    let r = ReportDescriptor::decode(&bytes).unwrap();
    assert!(r.field_form().is_some());
    let text = report_document_text(&r, "");
    let mut d = Diagnostics::new();
    let back = report_document(&text, &mut d);
    assert!(!d.has_errors(), "{text}\n{}", render_all(&d, &Source::new("gamepad", text.clone())));
    assert_eq!(back.unwrap().encode(), bytes.to_vec(), "{text}");
}

#[test]
fn field_names_reach_the_layout_and_survive_printing() {
    let r = load("boot_keyboard.toml");
    let names_of = |r: &ReportDescriptor| -> Vec<Option<String>> { r.layout().reports.iter().flat_map(|x| x.fields.iter().map(|f| f.name.clone())).collect() };
    let names = names_of(&r);
    for n in ["modifiers", "leds", "keys"] {
        assert!(names.contains(&Some(n.to_string())), "{n}: {names:?}");
    }
    let text = report_document_text(&r, "");
    assert!(text.contains("name = \"modifiers\""), "{text}");
    let mut d = Diagnostics::new();
    let back = report_document(&text, &mut d).unwrap();
    assert_eq!(names_of(&back), names);
    assert_eq!(back.encode(), r.encode());
}

#[test]
fn field_names_must_be_snake_case_and_unique() {
    let doc = |a: &str, b: &str| {
        format!(
            "[[report.collection]]\ncollection = \"application\"\nusage_page = \"Generic Desktop\"\nusage = \"Mouse\"\n\
             [[report.collection.fields]]\nname = \"{a}\"\ninput = [\"data\", \"variable\", \"relative\"]\nusage = \"X\"\nlogical = [-127, 127]\nbits = 8\ncount = 1\n\
             [[report.collection.fields]]\nname = \"{b}\"\ninput = [\"data\", \"variable\", \"relative\"]\nusage = \"Y\"\nlogical = [-127, 127]\nbits = 8\ncount = 1\n"
        )
    };
    let errors = |text: &str| {
        let mut d = Diagnostics::new();
        let r = report_document(text, &mut d);
        (r.is_some(), d.iter().filter(|x| x.is_error()).map(|x| x.message.clone()).collect::<Vec<_>>())
    };
    assert_eq!(errors(&doc("dx", "dy")), (true, vec![]));
    let (ok, e) = errors(&doc("Dx", "dy"));
    assert!(!ok && e.len() == 1 && e[0].contains("\"Dx\" is not a field name"), "{e:?}");
    let (ok, e) = errors(&doc("type", "dy"));
    assert!(!ok && e[0].contains("\"type\" is not a field name"), "{e:?}");
    let (ok, e) = errors(&doc("d", "d"));
    assert!(!ok && e == ["field name \"d\" is used twice"], "{e:?}");
}
