//! USB Audio 2.0 (`class::uac2`): the real UAC2 blobs of the corpus (TinyUSB's audio_4_channel_mic,
//! audio_test and cdc_uac2) decode to the typed form, print as TOML without raw descriptors and
//! build back byte for byte; the example's AudioControl header length is computed; the checks
//! that need more than one fixture (per speed) hold.
mod support;
use usbdesc_compiler::class::uac2::{clocks, Clock, Uac2Item};
use usbdesc_compiler::model::*;
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

/// Every item of every UAC2 interface (protocol 0x20) of the first configuration.
fn uac2_items(dev: &Device) -> (Vec<Uac2Item>, usize) {
    let (mut typed, mut raw) = (Vec::new(), 0);
    for i in dev.configurations[0].interfaces().filter(|i| i.class == 1 && i.protocol == 0x20) {
        for it in &i.items {
            match (it, it.class::<Uac2Item>()) {
                (_, Some(u)) => typed.push(u.clone()),
                (InterfaceItem::Raw(_), None) => raw += 1,
                _ => {}
            }
        }
    }
    (typed, raw)
}

use support::config_round_trip as round_trip;

#[test]
fn tinyusb_uac2_blobs_are_typed_and_round_trip() {
    for prefix in ["038-", "039-", "044-"] {
        let (dev, text) = round_trip(prefix);
        let (items, raw) = uac2_items(&dev);
        assert_eq!(raw, 0, "{prefix}: raw class-specific descriptors left:\n{text}");
        assert!(items.iter().any(|u| matches!(u, Uac2Item::AcHeader { bcd_adc: 0x0200, total_length_override: None, .. })), "{prefix}");
        assert!(items.iter().any(|u| matches!(u, Uac2Item::ClockSource { id: 4, .. })), "{prefix}");
        assert!(items.iter().any(|u| matches!(u, Uac2Item::FormatTypeI { .. })), "{prefix}");
        for key in ["[configuration.function.interface.uac2_header]", "[[configuration.function.interface.uac2_clock_source]]", "uac2 = {"] {
            assert!(text.contains(key), "{prefix}: {key} missing:\n{text}");
        }
        assert!(!text.contains("class_descriptor"), "{prefix}: raw descriptors left:\n{text}");
    }
}

#[test]
fn cdc_uac2_entities_decode_to_their_fields() {
    let (dev, _) = round_trip("044-");
    let (items, _) = uac2_items(&dev);
    // 044: header (category 4 = headset, wTotalLength 0x5d computed), clock 4, speaker path
    // IT 1 → FU 2 → OT 3, microphone path IT 0x11 → OT 0x13; the speaker streams 16 and 24 bit.
    assert!(matches!(items[0], Uac2Item::AcHeader { category: 4, .. }));
    assert!(matches!(items[1], Uac2Item::ClockSource { id: 4, attributes: 3, controls: 7, .. }));
    assert!(matches!(items[2], Uac2Item::InputTerminal { id: 1, terminal_type: 0x0101, clock: 4, channels: 2, .. }));
    assert!(matches!(&items[3], Uac2Item::FeatureUnit { id: 2, source: 1, controls, .. } if controls.len() == 3));
    assert!(matches!(items[4], Uac2Item::OutputTerminal { id: 3, terminal_type: 0x0302, source: 2, clock: 4, .. }));
    let formats: Vec<(u8, u8)> = items
        .iter()
        .filter_map(|u| match u {
            Uac2Item::FormatTypeI { subslot_size, bit_resolution } => Some((*subslot_size, *bit_resolution)),
            _ => None,
        })
        .collect();
    assert_eq!(formats, [(2, 16), (4, 24), (2, 16), (4, 24)]);
}

fn example() -> Device {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/uac2-headset.toml")).unwrap();
    let c = compile_str("uac2-headset.toml", &text);
    assert!(c.diagnostics.is_empty(), "{}", c.render());
    c.device.unwrap()
}

#[test]
fn example_header_counts_what_follows_and_clocks_are_listed() {
    let dev = example();
    let cfg = encode::configuration(&dev, 0);
    // Walk the AudioControl interface (number 0) independently of the encoder.
    let mut at = 0;
    let mut header = None;
    let mut sum = 0usize;
    let mut in_ac = false;
    while at < cfg.len() {
        let (len, ty) = (cfg[at] as usize, cfg[at + 1]);
        if ty == 0x04 {
            in_ac = cfg[at + 2] == 0 && cfg[at + 6] == 1;
        } else if in_ac && ty == 0x24 {
            if cfg[at + 2] == 0x01 {
                header = Some(u16::from_le_bytes([cfg[at + 6], cfg[at + 7]]));
            }
            sum += len;
        }
        at += len;
    }
    assert_eq!(header.map(usize::from), Some(sum));
    assert_eq!(clocks(&dev), [Clock { interface: 0, id: 4, controls: 0b0101, rates: vec![48_000] }]);
}

#[test]
fn example_blob_decodes_to_the_same_toml_shape() {
    let bytes = encode::blob(&example());
    let dev = decode_blob(&bytes).unwrap();
    let text = to_toml(&dev);
    let c = compile_str("decoded", &text);
    assert_eq!(encode::blob(&c.device.unwrap()), bytes, "{text}");
    assert_eq!(text.matches("uac2 = {}").count(), 4, "{text}");
    assert!(!text.contains("class_descriptor"), "{text}");
}

/// A 48 kHz stereo 16-bit OUT stream, `mps` and `interval` given per speed.
fn hs_device(mps: &str, interval: &str) -> String {
    format!(
        r#"target = "generic-hs"
[device]
vid = 0x1209
pid = 0x0001
[[configuration]]
[[configuration.function]]
class = "audio"
subclass = 0
protocol = 0x20
[[configuration.function.interface]]
class = "audio"
subclass = "audio-control"
protocol = 0x20
[configuration.function.interface.uac2_header]
[[configuration.function.interface.uac2_clock_source]]
id = 4
rates = [44100, 48000]
[[configuration.function.interface.uac2_input_terminal]]
id = 1
type = "usb-streaming"
clock = 4
channels = 2
[[configuration.function.interface.uac2_output_terminal]]
id = 3
type = "speaker"
source = 1
clock = 4
[[configuration.function.interface]]
class = "audio"
subclass = "audio-streaming"
protocol = 0x20
[[configuration.function.interface]]
alternate = 1
class = "audio"
subclass = "audio-streaming"
protocol = 0x20
[configuration.function.interface.uac2_streaming]
terminal = 1
channels = 2
[configuration.function.interface.uac2_format]
subslot_size = 2
bit_resolution = 16
[[configuration.function.interface.endpoint]]
direction = "out"
transfer = "isochronous"
sync = "adaptive"
max_packet_size = {mps}
interval = {interval}
uac2 = {{}}
"#
    )
}

fn packet_errors(text: &str) -> Vec<String> {
    let c = compile_str("hs.toml", text);
    c.diagnostics.iter().filter(|d| d.code == "UD5405").map(|d| d.message.clone()).collect()
}

#[test]
fn packet_size_is_checked_at_each_speed() {
    // High speed, every microframe (bInterval 1): 6 samples × 4 bytes = 24; full speed every
    // frame: 48 × 4 = 192.
    assert_eq!(packet_errors(&hs_device("{ hs = 24, fs = 192 }", "{ hs = 1, fs = 1 }")), Vec::<String>::new());
    let e = packet_errors(&hs_device("{ hs = 20, fs = 192 }", "{ hs = 1, fs = 1 }"));
    assert!(e.len() == 1 && e[0].contains("high speed") && e[0].contains("needs 24"), "{e:?}");
    let e = packet_errors(&hs_device("{ hs = 24, fs = 188 }", "{ hs = 1, fs = 1 }"));
    assert!(e.len() == 1 && e[0].contains("full speed") && e[0].contains("needs 192"), "{e:?}");
    // bInterval 4 at high speed: 8 microframes = 1 ms, 48 samples, 192 bytes.
    let e = packet_errors(&hs_device("{ hs = 100, fs = 192 }", "{ hs = 4, fs = 1 }"));
    assert!(e.len() == 1 && e[0].contains("needs 192"), "{e:?}");
}

#[test]
fn uac2_endpoint_key_outside_audio_streaming_is_an_error() {
    let text = r#"
[device]
vid = 0x1209
pid = 0x0001
[[configuration]]
[[configuration.interface]]
class = "vendor"
[[configuration.interface.endpoint]]
direction = "in"
transfer = "bulk"
max_packet_size = 64
uac2 = {}
"#;
    let c = compile_str("v.toml", text);
    assert!(c.diagnostics.has_errors() && c.render().contains("`uac2` belongs to an endpoint"), "{}", c.render());
}
