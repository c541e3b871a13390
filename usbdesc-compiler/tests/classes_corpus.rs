//! The TinyUSB MIDI, MSC and WebUSB blobs of the corpus decode into the typed MIDI / MSC
//! forms, print as TOML that uses those forms (not raw descriptors), and compile back to the same
//! bytes.
mod support;
use usbdesc_compiler::class::midi::MidiItem;
use usbdesc_compiler::model::*;

use support::config_round_trip as round_trip;

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

/// A MIDIStreaming interface (audio class, subclass 3) of another protocol than 0 (Audio 1.0) is
/// not MIDI 1.0: the TinyUSB MIDI blob with its streaming interface's bInterfaceProtocol changed
/// keeps that interface's class-specific descriptors raw (the AudioControl header stays typed),
/// writes them as raw TOML and builds back to the same bytes.
#[test]
fn midi_streaming_interface_of_another_protocol_stays_raw() {
    use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};
    let original = support::config_blob("050-");
    let at = usbdesc_compiler::decode::split(&original[18..], 18)
        .unwrap()
        .into_iter()
        .find(|(_, d)| d.len() == 9 && d[1] == 0x04 && (d[5], d[6], d[7]) == (0x01, 0x03, 0x00))
        .map(|(at, _)| at)
        .expect("the MIDIStreaming interface descriptor");
    for protocol in [0x01, 0x20] {
        let mut bytes = original.clone();
        bytes[at + 7] = protocol;
        let dev = decode_blob(&bytes).unwrap();
        let itfs: Vec<&Interface> = dev.configurations[0].interfaces().collect();
        let ms = itfs.iter().find(|i| i.subclass == 0x03).unwrap();
        assert_eq!(ms.protocol, protocol);
        assert!(ms.items.iter().all(|it| it.class::<MidiItem>().is_none()), "protocol {protocol:#04x}: typed MIDI items in {ms:?}");
        assert_eq!(ms.items.iter().filter(|it| matches!(it, InterfaceItem::Raw(_))).count(), 5, "protocol {protocol:#04x}: header and four jacks raw");
        assert!(itfs[0].items.iter().any(|it| matches!(it.class::<MidiItem>(), Some(MidiItem::AcHeader { .. }))));
        assert_eq!(encode::blob(&dev), bytes, "protocol {protocol:#04x}: model re-encode");
        let text = to_toml(&dev);
        for typed in ["midi_streaming", "midi_in_jack", "midi_out_jack", "jacks ="] {
            assert!(!text.contains(typed), "protocol {protocol:#04x}: `{typed}` written:\n{text}");
        }
        let c = compile_str("050-protocol", &text);
        let rendered = c.render();
        let back = c.device.unwrap_or_else(|| panic!("{rendered}\n{text}"));
        assert_eq!(encode::blob(&back), bytes, "protocol {protocol:#04x}:\n{text}");
    }
}
