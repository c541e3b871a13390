//! Decoder: the raw class-specific descriptors of a VideoControl or VideoStreaming interface as
//! typed items. Stored lengths and counts are kept as overrides and dropped where they equal the
//! computed ones; an interface whose typed form would not re-encode to the same bytes stays raw.

use super::items::*;
use super::{is_control, is_streaming};
use crate::encode::interface_bytes;
use crate::model::{Interface, InterfaceItem, StrRef};
use crate::spec::{u16_at, u32_at, CS_INTERFACE};

pub fn lift(itf: &mut Interface) {
    let (vc, vs) = (is_control(itf), is_streaming(itf));
    if !vc && !vs {
        return;
    }
    let before = interface_bytes(itf);
    let original = itf.items.clone();
    // Frame descriptors take their subtype from the format before them.
    let mut frame_subtype = None;
    // bmaControls of the input header, handed to the formats after it.
    let mut header_controls: Option<(usize, Vec<u8>, usize)> = None;
    for k in 0..itf.items.len() {
        let InterfaceItem::Raw(r) = &itf.items[k] else { continue };
        if r.descriptor_type != CS_INTERFACE || r.data.is_empty() {
            continue;
        }
        let d = &r.data;
        let typed = if vc { control(d) } else { streaming(d, &mut frame_subtype) };
        if let Some(VideoItem::InputHeader(h)) = &typed {
            header_controls = Some((k, d.get(11..).unwrap_or(&[]).to_vec(), usize::from(h.control_size)));
        }
        if let Some(t) = typed {
            itf.items[k] = t.into();
        }
    }
    if let Some((at, bytes, n)) = header_controls {
        format_controls(&mut itf.items[at + 1..], &bytes, n);
    }
    drop_computed(itf);
    if interface_bytes(itf) != before {
        itf.items = original;
    }
}

fn control(d: &[u8]) -> Option<VideoItem> {
    let n = |i: usize| usize::from(*d.get(i).unwrap_or(&0));
    Some(match d[0] {
        VC_HEADER if d.len() >= 10 && d.len() == 10 + n(9) => VideoItem::VcHeader(VcHeader {
            bcd_uvc: u16_at(d, 1),
            clock_hz: u32_at(d, 5),
            streaming: d[10..].to_vec(),
            total_length_override: Some(u16_at(d, 3)),
            span: None,
        }),
        VC_INPUT_TERMINAL if d.len() >= 13 && u16_at(d, 2) == ITT_CAMERA && n(12) <= 4 && d.len() == 13 + n(12) => {
            VideoItem::CameraTerminal(CameraTerminal {
                id: d[1],
                assoc: d[4],
                name: StrRef::index(d[5]),
                focal_min: u16_at(d, 6),
                focal_max: u16_at(d, 8),
                ocular: u16_at(d, 10),
                controls: bitmap(d, 13, n(12)),
                control_size: d[12],
                span: None,
            })
        }
        VC_PROCESSING_UNIT if d.len() >= 7 && n(5) <= 4 && (d.len() == 7 + n(5) || d.len() == 8 + n(5)) => {
            let k = n(5);
            VideoItem::ProcessingUnit(ProcessingUnit {
                id: d[1],
                source: d[2],
                max_multiplier: u16_at(d, 3),
                controls: bitmap(d, 6, k),
                control_size: d[5],
                name: StrRef::index(d[6 + k]),
                video_standards: d.get(7 + k).copied(),
                span: None,
            })
        }
        VC_OUTPUT_TERMINAL if d.len() == 7 => VideoItem::OutputTerminal(OutputTerminal {
            id: d[1],
            terminal_type: u16_at(d, 2),
            assoc: d[4],
            source: d[5],
            name: StrRef::index(d[6]),
            span: None,
        }),
        _ => return None,
    })
}

fn streaming(d: &[u8], frame_subtype: &mut Option<u8>) -> Option<VideoItem> {
    let n = |i: usize| usize::from(*d.get(i).unwrap_or(&0));
    Some(match d[0] {
        // bmaControls of the formats are read with the formats (see `format_controls`).
        VS_INPUT_HEADER if d.len() >= 11 && n(10) <= 4 => VideoItem::InputHeader(InputHeader {
            endpoint: Some(d[4]),
            info: d[5],
            terminal_link: d[6],
            still_method: d[7],
            trigger_support: d[8],
            trigger_usage: d[9],
            control_size: d[10],
            format_count_override: Some(d[1]),
            total_length_override: Some(u16_at(d, 2)),
            span: None,
        }),
        VS_FORMAT_UNCOMPRESSED | VS_FORMAT_MJPEG => {
            let uncompressed = d[0] == VS_FORMAT_UNCOMPRESSED;
            let (kind, rest) = match uncompressed {
                true if d.len() == 25 => {
                    let mut guid = [0u8; 16];
                    guid.copy_from_slice(&d[3..19]);
                    (FormatKind::Uncompressed { guid, bits_per_pixel: d[19] }, &d[20..])
                }
                false if d.len() == 9 => (FormatKind::Mjpeg { flags: d[3] }, &d[4..]),
                _ => return None,
            };
            *frame_subtype = Some(if uncompressed { VS_FRAME_UNCOMPRESSED } else { VS_FRAME_MJPEG });
            VideoItem::Format(Format {
                kind,
                index: d[1],
                default_frame: rest[0],
                aspect_x: rest[1],
                aspect_y: rest[2],
                interlace: rest[3],
                copy_protect: rest[4],
                controls: 0,
                frame_count_override: Some(d[2]),
                span: None,
            })
        }
        s @ (VS_FRAME_UNCOMPRESSED | VS_FRAME_MJPEG) if *frame_subtype == Some(s) && d.len() >= 24 => {
            let count = n(23);
            let intervals = match count {
                0 if d.len() == 36 => Intervals::Continuous { min: u32_at(d, 24), max: u32_at(d, 28), step: u32_at(d, 32) },
                c if c > 0 && d.len() == 24 + 4 * c => Intervals::Discrete((0..c).map(|k| u32_at(d, 24 + 4 * k)).collect()),
                _ => return None,
            };
            VideoItem::Frame(Frame {
                subtype: s,
                index: d[1],
                capabilities: d[2],
                width: u16_at(d, 3),
                height: u16_at(d, 5),
                min_bit_rate: u32_at(d, 7),
                max_bit_rate: u32_at(d, 11),
                max_buffer: u32_at(d, 15),
                default_interval: u32_at(d, 19),
                intervals,
                span: None,
            })
        }
        VS_STILL_IMAGE_FRAME if d.len() >= 3 && d.len() >= 4 + 4 * n(2) && d.len() == 4 + 4 * n(2) + n(3 + 4 * n(2)) => {
            let k = n(2);
            VideoItem::Still(Still {
                endpoint: d[1],
                sizes: (0..k).map(|i| (u16_at(d, 3 + 4 * i), u16_at(d, 5 + 4 * i))).collect(),
                compression: d[4 + 4 * k..].to_vec(),
                span: None,
            })
        }
        VS_COLORFORMAT if d.len() == 4 => VideoItem::ColorMatching { primaries: d[1], transfer: d[2], matrix: d[3] },
        _ => return None,
    })
}

/// Drop overrides equal to what the encoder computes.
fn drop_computed(itf: &mut Interface) {
    for k in 0..itf.items.len() {
        let (head, tail) = itf.items.split_at_mut(k + 1);
        let Some(item) = head[k].class_mut::<VideoItem>() else { continue };
        let tail = &*tail;
        match item {
            VideoItem::VcHeader(h) => {
                let stored = h.total_length_override.take();
                if stored != Some(header_total(&VideoItem::VcHeader(h.clone()), tail, 3)) {
                    h.total_length_override = stored;
                }
            }
            VideoItem::InputHeader(h) => {
                let computed_endpoint = first_in_endpoint(tail);
                if h.endpoint == Some(computed_endpoint) {
                    h.endpoint = None;
                }
                let stored = h.total_length_override.take();
                if stored != Some(header_total(&VideoItem::InputHeader(h.clone()), tail, 2)) {
                    h.total_length_override = stored;
                }
                if h.format_count_override == Some(formats_in(tail).count().min(255) as u8) {
                    h.format_count_override = None;
                }
            }
            VideoItem::Format(f) if f.frame_count_override == Some(frames_after(tail).count().min(255) as u8) => {
                f.frame_count_override = None;
            }
            _ => {}
        }
    }
}

/// The wTotalLength the encoder writes for header `h` (at byte `at` of the data, after bLength
/// and the type).
fn header_total(h: &VideoItem, tail: &[InterfaceItem], at: usize) -> u16 {
    let mut out = Vec::new();
    encode(h, tail, &mut out);
    u16_at(&out, at + 2)
}

/// Give the formats after the input header their bmaControls entries (`controls`: the header's
/// bytes after bControlSize, `n` bytes each).
fn format_controls(items: &mut [InterfaceItem], controls: &[u8], n: usize) {
    let mut entries = controls.chunks(n.max(1)).map(|c| bitmap(c, 0, c.len()));
    for item in items.iter_mut() {
        if let Some(VideoItem::Format(f)) = item.class_mut::<VideoItem>() {
            f.controls = entries.next().unwrap_or(0);
        }
    }
}
