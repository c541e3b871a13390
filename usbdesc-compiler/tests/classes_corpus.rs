//! The TinyUSB MIDI, MSC and WebUSB blobs of the corpus decode into the typed MIDI / MSC
//! forms, print as TOML that uses those forms (not raw descriptors), and compile back to the same
//! bytes.
mod support;
use usbdesc_compiler::class::midi::MidiItem;
use usbdesc_compiler::model::*;
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

fn round_trip(prefix: &str) -> (Device, String) {
    let dir = support::corpus_dir().join("config");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    let bytes = support::read_hex(&path);
    let dev = decode_blob(&bytes).unwrap();
    let text = to_toml(&dev);
    let c = compile_str(prefix, &text);
    let rendered = c.render();
    let back = c.device.unwrap_or_else(|| panic!("{rendered}\n{text}"));
    assert_eq!(encode::blob(&back), bytes, "{text}");
    (dev, text)
}

fn midi_items(dev: &Device) -> Vec<MidiItem> {
    let mut v = Vec::new();
    for i in dev.configurations[0].interfaces() {
        for it in &i.items {
            if let Some(m) = it.class::<MidiItem>() {
                v.push(m.clone());
            }
        }
    }
    v
}

#[test]
fn tinyusb_midi_test_is_typed_midi() {
    let (dev, text) = round_trip("050-");
    let items = midi_items(&dev);
    assert!(matches!(&items[0], MidiItem::AcHeader { bcd_adc: 0x0100, streaming, total_length_override: None } if streaming == &[1]));
    // wTotalLength 0x41 = 65 is the computed value (header, four jacks, both endpoints).
    assert!(matches!(items[1], MidiItem::MsHeader { bcd_msc: 0x0100, total_length_override: None }));
    let jacks: Vec<(bool, bool, u8)> = items[2..]
        .iter()
        .map(|m| match m {
            MidiItem::InJack { embedded, id, .. } => (true, *embedded, *id),
            MidiItem::OutJack { embedded, id, .. } => (false, *embedded, *id),
            _ => panic!("not a jack"),
        })
        .collect();
    assert_eq!(jacks, [(true, true, 1), (true, false, 2), (false, true, 3), (false, false, 4)]);
    for key in ["[configuration.interface.audio_control]", "[configuration.interface.midi_streaming]", "[[configuration.interface.midi_in_jack]]", "[[configuration.interface.midi_out_jack]]", "jacks = [1]", "jacks = [3]", "sources = [{ jack = 2, pin = 1 }]"] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    assert!(!text.contains("class_descriptor"), "raw descriptors left:\n{text}");
}

#[test]
fn tinyusb_msc_blobs_use_the_msc_names() {
    for prefix in ["042-", "051-"] {
        let (_, text) = round_trip(prefix);
        assert!(text.contains("class = \"msc\"\nsubclass = \"scsi\"\nprotocol = \"bot\""), "{text}");
    }
}

#[test]
fn tinyusb_webusb_serial_round_trips() {
    let (dev, _) = round_trip("060-");
    // bcdUSB 2.10 announces a BOS (served separately; sysfs blobs do not hold it).
    assert_eq!(dev.usb, 0x0210);
}
