//! Property tests (run in CI): item encode/decode round trip, decoder on arbitrary bytes, and
//! random field-form reports whose layout and values come back from the bytes.
use proptest::prelude::*;
use usbdesc_compiler::diag::Diagnostics;
use usbdesc_compiler::hid::decode::decode_items;
use usbdesc_compiler::hid::encode::encode_items;
use usbdesc_compiler::hid::{Collection, Field, Item, MainFlags, ReportDescriptor, ReportKind, Tag};
use usbdesc_compiler::input::{report_document, report_document_text};

fn any_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        (any::<u8>(), prop::sample::select(vec![0u8, 1, 2, 4]), any::<u32>()).prop_map(|(p, size, data)| {
            let p = if p & 0xFC == 0xFC { 0x04 } else { p }; // 0xFC..=0xFF: 0xFE is the long item prefix
            Item::with_size(Tag::from_prefix(p), size, data)
        }),
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..20)).prop_map(|(tag, data)| Item::Long { tag, data }),
    ]
}

fn toml_round_trip(r: &ReportDescriptor) -> Vec<u8> {
    let text = report_document_text(r, "");
    let mut d = Diagnostics::new();
    let back = report_document(&text, &mut d).expect("parses");
    assert!(!d.has_errors(), "{text}\n{:?}", d);
    back.encode()
}

/// (bits, count, logical min, logical max) with the range representable in `bits`.
fn any_value_field() -> impl Strategy<Value = (u32, u32, i64, i64)> {
    (1u32..=32, 1u32..=6, any::<bool>()).prop_flat_map(|(bits, count, signed)| {
        let (lo, hi) = if signed {
            (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
        } else {
            (0, (1i64 << bits.min(31)) - 1)
        };
        let lo_pick = if signed { lo..=-1 } else { 0..=0 };
        (Just(bits), Just(count), lo_pick, 0..=hi).prop_map(move |(b, c, a, m)| (b, c, a, m.max(if signed { 0 } else { 1 })))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn items_round_trip(items in prop::collection::vec(any_item(), 0..40)) {
        let bytes = encode_items(&items);
        let back: Vec<Item> = decode_items(&bytes).unwrap().into_iter().map(|d| d.item).collect();
        prop_assert_eq!(back, items);
    }

    /// Decode, re-encode, layout, lints, dumps and the TOML round trip: the fuzz target's checks.
    #[test]
    fn decoder_never_panics_and_is_exact(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = usbdesc_compiler::selfcheck::hid(&bytes);
    }

    #[test]
    fn field_form_layout_and_values_come_back(
        fields in prop::collection::vec(any_value_field(), 1..8),
        report_id in prop::option::of(1u32..=255),
    ) {
        let mut app = Collection::application(1, 4);
        for (i, &(bits, count, lo, hi)) in fields.iter().enumerate() {
            let mut f = Field::new(ReportKind::Input, MainFlags::VARIABLE).usage_page(1).usage(0x30 + i as u16).logical(lo, hi).bits(bits).count(count);
            if let Some(id) = report_id { f = f.report_id(id); }
            app = app.field(f);
        }
        let mut d = Diagnostics::new();
        let r = ReportDescriptor::from_fields(vec![usbdesc_compiler::hid::Node::Collection(app)], &mut d);
        r.check(&Default::default(), &mut d);
        prop_assert!(!d.has_errors(), "{:?}", d);
        let bytes = r.encode();
        let back = ReportDescriptor::decode(&bytes).unwrap();
        prop_assert!(back.field_form().is_some());
        prop_assert_eq!(toml_round_trip(&back), bytes.clone());
        let layout = back.layout();
        prop_assert_eq!(layout.reports.len(), 1);
        let rep = &layout.reports[0];
        prop_assert_eq!(rep.id, report_id);
        let mut offset = if report_id.is_some() { 8u64 } else { 0 };
        for (f, &(bits, count, lo, hi)) in rep.fields.iter().zip(&fields) {
            prop_assert_eq!(f.bit_offset as u64, offset);
            prop_assert_eq!((f.bits, f.count), (bits, count));
            // Values keep their sign: what was declared is what a host reads back.
            prop_assert_eq!((f.logical_min, f.logical_max), (lo, hi));
            prop_assert_eq!(f.signed, lo < 0);
            offset += bits as u64 * count as u64;
        }
        prop_assert_eq!(rep.bits, offset);
    }
}

/// Found by `decoder_never_panics_and_is_exact`: a Pop restores the Usage Page that a Push saved,
/// also for the field form's reader. Here the page set between them (`04`, page 0) is gone after
/// the Pop, and the field's extended usage carries its own page: reading the TOML back must not
/// take page 0 as in effect (it wrote `05 00` before the usage, or failed with UD4021).
#[test]
fn pop_restores_the_usage_page_when_the_field_form_is_read_back() {
    let cases: [&[u8]; 2] = [
        &[0xa4, 0x04, 0xb4, 0x0b, 0, 0, 0, 0, 0xb0],
        &[
            31, 0, 0, 0, 0, 13, 0, 8, 176, 28, 12, 12, 28, 0, 12, 12, 12, 12, 44, 28, 28, 28, 56, 12, 43, 0, 0, 0, 0, 176, 12, 28, 164, 13, 0, 168, 245,
            0, 4, 28, 48, 124, 180, 44, 12, 28, 12, 12, 12, 44, 28, 12, 11, 0, 0, 0, 0, 176, 45, 0,
        ],
    ];
    for bytes in cases {
        assert!(usbdesc_compiler::selfcheck::hid(bytes), "{bytes:02x?}");
    }
}
