//! The corpus's TinyUSB video blobs as typed UVC items, the example's computed fields, lift's
//! all-or-nothing rule, the checks on decoded blobs, dump blocks.

use super::items::*;
use super::*;
use crate::decode::decode_blob;
use crate::diag::Diagnostics;
use crate::model::{Device, InterfaceItem};
use crate::spec::CS_INTERFACE;
use crate::{compile_str, encode};

const CAPTURE: &str = include_str!("../../../../tests/corpus/config/058-tinyusb-example-video-capture.hex");
const CAPTURE_2CH: &str = include_str!("../../../../tests/corpus/config/059-tinyusb-example-video-capture-2ch.hex");
const EXAMPLE: &str = include_str!("../../../../examples/uvc-camera.toml");

fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.lines().filter(|l| !l.starts_with('#')).flat_map(|l| l.split_whitespace()).collect();
    (0..digits.len() / 2).map(|i| u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).unwrap()).collect()
}

fn video_items(dev: &Device) -> Vec<VideoItem> {
    dev.configurations[0].interfaces().flat_map(|i| i.items.iter()).filter_map(|i| i.class::<VideoItem>().cloned()).collect()
}

/// Class-specific interface descriptors of video interfaces that stayed raw.
fn raw_left(dev: &Device) -> usize {
    dev.configurations[0]
        .interfaces()
        .filter(|i| is_control(i) || is_streaming(i))
        .flat_map(|i| i.items.iter())
        .filter(|i| matches!(i, InterfaceItem::Raw(r) if r.descriptor_type == CS_INTERFACE))
        .count()
}

/// Decode, print as TOML, compile back: the same bytes.
fn round_trip(bytes: &[u8]) -> (Device, String) {
    let dev = decode_blob(bytes).unwrap();
    let text = crate::emit::toml::to_toml(&dev);
    let c = compile_str("printed", &text);
    let rendered = c.render();
    let back = c.device.unwrap_or_else(|| panic!("{rendered}\n{text}"));
    assert_eq!(encode::blob(&back), bytes, "{text}");
    (dev, text)
}

#[test]
fn tinyusb_video_capture_is_typed_and_rebuilds() {
    let (dev, text) = round_trip(&hex(CAPTURE));
    assert_eq!(raw_left(&dev), 0, "{text}");
    assert!(!text.contains("class_descriptor"), "{text}");
    let items = video_items(&dev);
    let kinds: Vec<&str> = items
        .iter()
        .map(|i| match i {
            VideoItem::VcHeader(_) => "header",
            VideoItem::CameraTerminal(_) => "camera",
            VideoItem::OutputTerminal(_) => "output",
            VideoItem::InputHeader(_) => "input header",
            VideoItem::Format(_) => "format",
            VideoItem::Frame(_) => "frame",
            VideoItem::ColorMatching { .. } => "color",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["header", "camera", "output", "input header", "format", "frame", "color"]);
    // Every stored length and count equals the computed one: no overrides left.
    let VideoItem::VcHeader(h) = &items[0] else { panic!() };
    assert_eq!((h.bcd_uvc, h.clock_hz, h.streaming.as_slice(), h.total_length_override), (0x0150, 27_000_000, &[1u8][..], None));
    let VideoItem::InputHeader(ih) = &items[3] else { panic!() };
    // The endpoint is in alternate setting 1 (isochronous), so it stays explicit.
    assert_eq!((ih.endpoint, ih.terminal_link, ih.total_length_override, ih.format_count_override), (Some(0x81), 2, None, None));
    let VideoItem::Frame(f) = &items[5] else { panic!() };
    assert_eq!((f.width, f.height, f.max_buffer), (128, 96, 128 * 96 * 2));
    assert_eq!(f.intervals, Intervals::Continuous { min: 1_000_000, max: 10_000_000, step: 1_000_000 });
    for key in ["[configuration.function.interface.video_control]", "[[configuration.function.interface.camera_terminal]]", "fourcc = \"YUY2\"", "interval_range"] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    let mut d = Diagnostics::new();
    check::check(&dev, &mut d);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn tinyusb_video_capture_2ch_is_typed_and_rebuilds() {
    let (dev, text) = round_trip(&hex(CAPTURE_2CH));
    assert_eq!(raw_left(&dev), 0, "{text}");
    let formats = video_items(&dev).into_iter().filter(|i| matches!(i, VideoItem::Format(_))).count();
    assert_eq!(formats, 2);
    assert!(text.contains("kind = \"mjpeg\""), "{text}");
}

#[test]
fn the_example_computes_ids_links_counts_and_lengths() {
    let c = compile_str("uvc-camera.toml", EXAMPLE);
    assert!(c.diagnostics.is_empty(), "{}", c.render());
    let dev = c.device.unwrap();
    let cfg = encode::configuration(&dev, 0);
    let find = |sub: u8, skip: usize| -> Vec<u8> {
        let mut at = 9;
        let mut seen = 0;
        while at < cfg.len() {
            let d = &cfg[at..at + usize::from(cfg[at])];
            if d[1] == CS_INTERFACE && d[2] == sub {
                if seen == skip {
                    return d.to_vec();
                }
                seen += 1;
            }
            at += d.len();
        }
        panic!("no subtype {sub:#x}");
    };
    // VC header: wTotalLength 13 + 18 + 12 + 9 = 52, clock 48 MHz, streaming interface 1.
    assert_eq!(find(VC_HEADER, 0), [13, 0x24, 1, 0x10, 0x01, 52, 0, 0x00, 0x6c, 0xdc, 0x02, 1, 1]);
    // Processing unit 2 from terminal 1; output terminal 3 from unit 2.
    assert_eq!(&find(VC_PROCESSING_UNIT, 0)[3..5], [2, 1]);
    assert_eq!(&find(VC_OUTPUT_TERMINAL, 0)[3..9], [3, 0x01, 0x01, 0, 2, 0]);
    // Input header: two formats, wTotalLength 15 + 27 + 34 + 34 + 10 + 6 + 11 + 34 + 6 = 177,
    // endpoint 0x82 (the bulk IN endpoint; 0x81 is the interrupt endpoint), terminal link 3.
    let ih = find(VS_INPUT_HEADER, 1);
    assert_eq!(&ih[..9], [15, 0x24, 1, 2, 177, 0, 0x82, 0, 3]);
    // Frame 2 of the YUY2 format: 320x240, buffer 153600, 15 fps default.
    // (Subtype 5 is the processing unit in the VideoControl interface, first.)
    let fr = find(VS_FRAME_UNCOMPRESSED, 2);
    assert_eq!(&fr[3..9], [2, 0, 0x40, 0x01, 0xf0, 0x00]);
    assert_eq!(u32::from_le_bytes(fr[17..21].try_into().unwrap()), 153_600);
    assert_eq!(u32::from_le_bytes(fr[21..25].try_into().unwrap()), 666_666);
    // MJPEG format 2 with one frame.
    assert_eq!(&find(VS_FORMAT_MJPEG, 0)[3..5], [2, 1]);
}

#[test]
fn every_one_byte_change_of_the_video_descriptors_rebuilds() {
    // Typed where the typed form re-encodes to the same bytes, raw (or with stored counts and
    // lengths kept) where not: the decoded device always gives the blob back.
    for blob in [hex(CAPTURE), hex(CAPTURE_2CH)] {
        let mut at = 18 + 9;
        let mut typed = 0;
        while at < blob.len() {
            let len = usize::from(blob[at]);
            if blob[at + 1] == CS_INTERFACE {
                for k in at + 2..at + len {
                    for v in [0u8, 1, 2, 0xff, blob[k] ^ 0x10] {
                        let mut m = blob.clone();
                        m[k] = v;
                        let Ok(dev) = decode_blob(&m) else { continue };
                        assert_eq!(encode::blob(&dev), m, "byte {k} = {v:#04x}");
                        typed += video_items(&dev).len();
                    }
                }
            }
            at += len;
        }
        assert!(typed > 0);
    }
}

#[test]
fn a_wrong_stored_count_is_kept_and_reported() {
    let mut bytes = hex(CAPTURE);
    // The format's bNumFrameDescriptors 1 -> 3.
    let at = bytes.windows(5).position(|w| w == [0x1b, 0x24, 0x04, 0x01, 0x01]).unwrap();
    bytes[at + 4] = 3;
    let dev = decode_blob(&bytes).unwrap();
    assert_eq!(encode::blob(&dev), bytes);
    let mut d = Diagnostics::new();
    check::check(&dev, &mut d);
    assert_eq!(d.error_codes(), [FORMAT_COUNTS], "{d:?}");
}

#[test]
fn dump_shows_frames_and_controls() {
    let frame = [&[0x1e, 0x24, 0x05, 1, 0, 0x80, 0x02, 0xe0, 0x01][..], &[0; 8], &0x0009_6000u32.to_le_bytes(), &333_333u32.to_le_bytes(), &[1], &333_333u32.to_le_bytes()].concat();
    let b = dump::dump(&frame, false).unwrap();
    let field = |b: &DumpBlock, n: &str| {
        b.fields
            .iter()
            .find_map(|f| match f {
                crate::model::DumpLine::Field(name, value, desc) if name == n => Some((value.clone(), desc.clone())),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(field(&b, "wWidth").0, "640");
    assert_eq!(field(&b, "dwDefaultFrameInterval"), ("333333".into(), "30.00 fps".into()));
    let pu = [0x0c, 0x24, 0x05, 2, 1, 0, 0, 2, 0x03, 0x04, 0, 0];
    let b = dump::dump(&pu, true).unwrap();
    assert_eq!(field(&b, "bmControls").1, "brightness, contrast, power_line_frequency");
    // The same subtype in a VideoStreaming interface is a frame, too short here: not dumped.
    assert!(dump::dump(&pu, false).is_none());
}

#[test]
fn dump_takes_any_prefix_without_panicking() {
    for blob in [hex(CAPTURE), hex(CAPTURE_2CH)] {
        let mut at = 18;
        while at < blob.len() {
            let len = usize::from(blob[at]);
            for n in 0..=len {
                let _ = dump::dump(&blob[at..at + n], true);
                let _ = dump::dump(&blob[at..at + n], false);
            }
            at += len.max(1);
        }
    }
}
