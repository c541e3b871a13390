//! Property tests (modest case counts so they run in CI): the decoder and the TOML front end never
//! panic, and every blob the decoder accepts comes back byte for byte, also through TOML.
mod support;
use proptest::prelude::*;
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

/// One descriptor of a configuration body: a likely type and a body of a plausible length.
fn descriptor() -> impl Strategy<Value = Vec<u8>> {
    let ty = prop_oneof![Just(0x04u8), Just(0x05), Just(0x0b), Just(0x21), Just(0x24), Just(0x25), Just(0x30), any::<u8>()];
    (ty, 0usize..12, any::<[u8; 16]>()).prop_map(|(ty, extra, fill)| {
        let base = match ty {
            0x04 => 9,
            0x05 => 7,
            0x0b => 8,
            0x21 => 9,
            0x24 => 4,
            _ => 2,
        };
        let len = (base + extra).min(2 + fill.len());
        let mut d = vec![len as u8, ty];
        d.extend_from_slice(&fill[..len - 2]);
        if ty == 0x21 && len >= 9 {
            // Often a well-formed HID descriptor: bNumDescriptors matching the length, report first.
            d[5] = ((len - 6) / 3) as u8;
            d[6] = 0x22;
        }
        d
    })
}

fn blob() -> impl Strategy<Value = Vec<u8>> {
    (any::<[u8; 16]>(), prop::collection::vec(prop::collection::vec(descriptor(), 0..12), 1..3), any::<[u8; 7]>())
        .prop_map(|(dev, configs, head)| {
            let mut b = vec![18, 1];
            b.extend_from_slice(&dev);
            for c in configs {
                let body: Vec<u8> = c.concat();
                let total = (9 + body.len()) as u16;
                b.extend_from_slice(&[9, 2]);
                b.extend_from_slice(&total.to_le_bytes());
                b.extend_from_slice(&head[..5]);
                b.extend_from_slice(&body);
            }
            b
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decoder_never_panics_on_random_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(d) = decode_blob(&b) {
            prop_assert_eq!(encode::blob(&d), b);
        }
    }

    #[test]
    fn accepted_blobs_round_trip_through_toml(b in blob()) {
        let d = decode_blob(&b).expect("well-formed blob");
        prop_assert_eq!(&encode::blob(&d), &b);
        let text = to_toml(&d);
        let c = compile_str("blob.toml", &text);
        prop_assert!(c.device.is_some(), "{}\n{}", c.render(), text);
        prop_assert_eq!(encode::blob(&c.device.unwrap()), b);
    }

    #[test]
    fn front_end_never_panics_on_text(s in "\\PC{0,300}") {
        let _ = compile_str("fuzz.toml", &s).render();
    }

    #[test]
    fn front_end_never_panics_on_edited_examples(which in 0usize..5, at in any::<prop::sample::Index>(), edit in "[\\[\\]=\"a-z0-9x. \n_-]{0,12}") {
        let names = ["keyboard", "mouse", "cdc-hid-composite", "micropython-hid", "vendor"];
        let text = std::fs::read_to_string(support::examples_dir().join(format!("{}.toml", names[which]))).unwrap();
        let mut i = at.index(text.len() + 1);
        while !text.is_char_boundary(i) { i -= 1; }
        let mutated = format!("{}{}{}", &text[..i], edit, &text[i..]);
        let c = compile_str("edited.toml", &mutated);
        let _ = c.render();
        if let Some(d) = c.device {
            let _ = encode::blob(&d);
            let _ = encode::string_descriptors(&d);
            let _ = to_toml(&d);
        }
    }
}
