//! The field form says what real descriptors say (issue 19): item sizes, globals and Report ID on
//! collections, a collection's physical range and unit said once, one `emit` vocabulary, items
//! written as they are, and empty ranges refused alike.
use usbdesc_compiler::diag::Diagnostics;
use usbdesc_compiler::hid::ReportDescriptor;
use usbdesc_compiler::input::{report_document, report_document_text};

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

fn build(text: &str) -> Result<Vec<u8>, Vec<&'static str>> {
    let mut d = Diagnostics::new();
    match report_document(text, &mut d) {
        Some(r) if !d.has_errors() => Ok(r.encode()),
        _ => Err(d.iter().filter(|x| x.is_error()).map(|x| x.code).collect()),
    }
}

/// Decode, write as TOML, read back: the same bytes, and the text says it in the field form.
fn round_trip(bytes: &[u8]) -> String {
    let r = ReportDescriptor::decode(bytes).unwrap();
    r.field_form_or_reason().unwrap_or_else(|e| panic!("no field form: {e}"));
    let text = report_document_text(&r, "test");
    assert_eq!(build(&text), Ok(bytes.to_vec()), "{text}");
    assert!(text.contains("[[report.collection]]"), "{text}");
    text
}

const HEAD: &str = "[[report.collection]]\ncollection = \"application\"\nusage_page = \"Generic Desktop\"\nusage = \"Mouse\"\n";

#[test]
fn sizes_write_items_longer_than_the_shortest_form() {
    // TinyUSB's key array: Usage Maximum 255 in two bytes.
    let text = "[[report.collection]]\ncollection = \"application\"\nusage_page = \"Generic Desktop\"\nusage = \"Keyboard\"\n\
                fields = [{ input = [\"data\", \"array\"], usage_page = \"Keyboard/Keypad\", usage_min = 0, usage_max = 255, \
                logical = [0, 255], bits = 8, count = 6, sizes = { usage_max = 2, logical_max = 1 } }]\n";
    let b = build(text).unwrap();
    assert!(b.windows(3).any(|w| w == [0x2a, 0xff, 0x00]), "{b:02x?}");
    // 255 in one byte is `25 ff` (Linux reads 255 after a non-negative minimum).
    assert!(b.windows(2).any(|w| w == [0x25, 0xff]), "{b:02x?}");
    // Item names and field keys are one vocabulary: `report_size` is `bits`.
    let wide = format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 1000], bits = 16, count = 1, sizes = {{ report_size = 2, logical_max = 4 }} }}]\n");
    let b = build(&wide).unwrap();
    assert!(b.windows(3).any(|w| w == [0x76, 0x10, 0x00]) && b.windows(5).any(|w| w == [0x27, 0xe8, 0x03, 0, 0]), "{b:02x?}");
    let small = format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 1000], bits = 16, count = 1, sizes = {{ logical_max = 1 }} }}]\n");
    assert_eq!(build(&small), Err(vec!["UD4028"]));
    let odd = format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 1], bits = 1, count = 1, sizes = {{ bits = 3 }} }}]\n");
    assert_eq!(build(&odd), Err(vec!["UD4028"]));
}

#[test]
fn report_id_and_globals_before_a_nested_collection() {
    // Microsoft's sample touch screen: the Report ID sits before the finger collection.
    let text = "[[report.collection]]\ncollection = \"application\"\nusage_page = \"Digitizers\"\nusage = \"Touch Screen\"\n\
                [[report.collection.fields]]\ncollection = \"logical\"\nreport_id = 1\nusage = \"Finger\"\nlogical = [0, 1]\n\
                fields = [{ input = [\"data\", \"variable\"], usage = \"Tip Switch\", bits = 1, count = 1 }, { input = [\"constant\"], padding = 7 }]\n";
    let b = build(text).unwrap();
    assert_eq!(b, hex("05 0d 09 04 a1 01 85 01 09 22 15 00 25 01 a1 02 09 42 75 01 95 01 81 02 75 07 81 01 c0 c0"), "{b:02x?}");
    // ... and in the collection's emit list, in another order.
    let ordered = text.replace("logical = [0, 1]\n", "logical = [0, 1]\nemit = [\"logical_min\", \"logical_max\", \"report_id\", \"usage\"]\n");
    assert_eq!(build(&ordered).unwrap(), hex("05 0d 09 04 a1 01 15 00 25 01 85 01 09 22 a1 02 09 42 75 01 95 01 81 02 75 07 81 01 c0 c0"));
    round_trip(&b);
}

#[test]
fn a_collections_unit_and_physical_range_hold_for_its_fields() {
    let text = format!(
        "{HEAD}[[report.collection.fields]]\ncollection = \"physical\"\nunit = \"centimeter\"\nunit_exponent = -2\nphysical = [0, 1000]\n\
         fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 4095], bits = 16, count = 1 }}, \
         {{ input = [\"data\", \"variable\"], usage = \"Y\", physical = [0, 500] }}]\n\
         [[report.collection.fields]]\ninput = [\"data\", \"variable\"]\nusage = \"Wheel\"\nlogical = [-127, 127]\nbits = 8\n"
    );
    let b = build(&text).unwrap();
    // Written once, before the Collection item; Y changes only its maximum; Wheel (outside)
    // resets the physical range, unit and exponent to none.
    assert_eq!(
        b,
        hex("05 01 09 02 a1 01 46 e8 03 55 0e 65 11 a1 00 09 30 15 00 26 ff 0f 75 10 95 01 81 02 \
             09 31 46 f4 01 81 02 c0 09 38 15 81 25 7f 45 00 55 00 65 00 75 08 81 02 c0"),
        "{b:02x?}"
    );
    // The bytes as the kernel needs them: the unit is in effect for X and Y, none for Wheel.
    let r = ReportDescriptor::decode(&b).unwrap();
    let layout = r.layout();
    let fields: Vec<_> = layout.reports.iter().flat_map(|r| r.fields.iter()).collect();
    assert_eq!(fields.len(), 3);
    assert_eq!((fields[0].unit, fields[1].unit, fields[2].unit), (0x11, 0x11, 0));
    let text = round_trip(&b);
    // Said once on the collection when the decoded fields share it.
    assert_eq!(text.matches("unit = ").count(), 1, "{text}");
}

#[test]
fn emit_takes_field_keys_and_item_names_alike() {
    let field = |emit: &str| {
        format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 1], bits = 1, count = 8, emit = {emit} }}]\n")
    };
    let a = build(&field("[\"usage\", \"logical_min\", \"logical_max\", \"count\", \"bits\"]")).unwrap();
    let b = build(&field("[\"usage\", \"logical_minimum\", \"logical_max\", \"report_count\", \"report_size\"]")).unwrap();
    assert_eq!(a, b);
    assert!(a.windows(4).any(|w| w == [0x95, 0x08, 0x75, 0x01]), "{a:02x?}");
    let mut d = Diagnostics::new();
    assert!(report_document(&field("[\"usage\", \"size\"]"), &mut d).is_none());
    assert!(d.iter().any(|x| x.code == "UD0006" && x.help.iter().any(|h| h.contains("bits"))), "{d:?}");
}

#[test]
fn empty_ranges_are_errors_whatever_their_bytes() {
    let field = |range: &str| format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = {range}, bits = 8, count = 1 }}]\n");
    // Linux rejects the first (its maximum reads below its minimum) and reads `25 ff` of the
    // second as 255: neither is the range written.
    assert_eq!(build(&field("[129, 3]")), Err(vec!["UD4122"]));
    assert_eq!(build(&field("[0, -1]")), Err(vec!["UD4122"]));
    assert!(build(&field("[0, 255]")).is_ok());
    let physical = format!("{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage = \"X\", logical = [0, 1], physical = [10, 0], unit = \"centimeter\", bits = 8, count = 1 }}]\n");
    assert_eq!(build(&physical), Err(vec!["UD4125"]));
}

#[test]
fn push_pop_and_globals_before_an_end_collection_stay_in_the_field_form() {
    // Push in a field's prefix (after its usage), Pop and a Usage Page before End Collection.
    let bytes = hex(
        "05 0d 09 05 a1 01 85 01 09 22 a1 02 09 42 15 00 25 01 75 01 95 01 81 02 95 07 81 03 \
         05 01 09 30 a4 26 ff 0f 75 10 55 0e 65 11 35 00 46 e8 03 81 02 b4 05 0d c0 \
         09 54 25 7f 75 08 81 02 c0",
    );
    let text = round_trip(&bytes);
    assert!(text.contains("\"push\""), "{text}");
    assert!(text.contains("items = [{ pop = true }, { usage_page = \"Digitizers\" }]"), "{text}");
}

#[test]
fn decoded_forms_state_each_value_once() {
    // The HID 1.11 boot keyboard (Appendix E.6) reads as written: no emit list, the report's
    // values on the fields that set them.
    let bytes = hex(
        "05 01 09 06 a1 01 05 07 19 e0 29 e7 15 00 25 01 75 01 95 08 81 02 95 01 75 08 81 01 \
         95 05 75 01 05 08 19 01 29 05 91 02 95 01 75 03 91 01 95 06 75 08 15 00 25 65 05 07 19 00 29 65 81 00 c0",
    );
    let text = round_trip(&bytes);
    assert!(!text.contains("physical") && !text.contains("unit"), "{text}");
}

#[test]
fn a_report_order_replaces_the_same_emit_list_on_every_field() {
    // TinyUSB writes Report Count before Report Size throughout: one `order` says it.
    let text = format!(
        "[report]\norder = [\"count\", \"bits\"]\n{HEAD}fields = [{{ input = [\"data\", \"variable\"], usage_page = \"Button\", usage_min = 1, usage_max = 3, logical = [0, 1], bits = 1, count = 3 }}, {{ input = [\"constant\"], padding = 5 }}]\n"
    );
    let b = build(&text).unwrap();
    assert_eq!(b, hex("05 01 09 02 a1 01 05 09 19 01 29 03 15 00 25 01 95 03 75 01 81 02 95 01 75 05 81 01 c0"), "{b:02x?}");
    let written = round_trip(&b);
    assert!(written.contains("order = [\"count\", \"bits\"]") && !written.contains("emit"), "{written}");
    // `order` belongs to the field form.
    assert!(build("[report]\norder = [\"count\"]\nbytes = \"05 01\"\n").is_err());
}
