//! The typed UVC descriptors (one item per descriptor) and their bytes.

use crate::diag::Span;
use crate::model::{InterfaceItem, StrRef};
use crate::spec::CS_INTERFACE;

// VideoControl subtypes (UVC 1.5 §A.5).
pub const VC_HEADER: u8 = 0x01;
pub const VC_INPUT_TERMINAL: u8 = 0x02;
pub const VC_OUTPUT_TERMINAL: u8 = 0x03;
pub const VC_PROCESSING_UNIT: u8 = 0x05;
// VideoStreaming subtypes (§A.6).
pub const VS_INPUT_HEADER: u8 = 0x01;
pub const VS_STILL_IMAGE_FRAME: u8 = 0x03;
pub const VS_FORMAT_UNCOMPRESSED: u8 = 0x04;
pub const VS_FRAME_UNCOMPRESSED: u8 = 0x05;
pub const VS_FORMAT_MJPEG: u8 = 0x06;
pub const VS_FRAME_MJPEG: u8 = 0x07;
pub const VS_COLORFORMAT: u8 = 0x0D;
/// Camera sensor input terminal (§B.2), USB streaming output terminal (§B.1).
pub const ITT_CAMERA: u16 = 0x0201;
pub const TT_STREAMING: u16 = 0x0101;

/// The GUID tail of the uncompressed formats (`XXXX0000-0010-8000-00AA00389B71`, the FOURCC first).
pub const GUID_TAIL: [u8; 12] = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/// One class-specific UVC descriptor.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum VideoItem {
    /// Class-specific VideoControl interface header (§3.7.2).
    VcHeader(VcHeader),
    /// Camera terminal (§3.7.2.3).
    CameraTerminal(CameraTerminal),
    /// Processing unit (§3.7.2.5).
    ProcessingUnit(ProcessingUnit),
    /// Output terminal (§3.7.2.2).
    OutputTerminal(OutputTerminal),
    /// VideoStreaming input header (§3.9.2.1).
    InputHeader(InputHeader),
    /// Uncompressed (UVC Uncompressed Payload §3.1.1) or MJPEG (MJPEG Payload §3.1.1) format.
    Format(Format),
    /// Uncompressed or MJPEG frame (§3.1.2 of each payload spec).
    Frame(Frame),
    /// Still image frame (§3.9.2.5).
    Still(Still),
    /// Color matching (§3.9.2.6).
    ColorMatching { primaries: u8, transfer: u8, matrix: u8 },
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VcHeader {
    pub bcd_uvc: u16,
    pub clock_hz: u32,
    /// baInterfaceNr: the VideoStreaming interfaces of the function.
    pub streaming: Vec<u8>,
    /// The stored wTotalLength of a decoded blob when it differs from the computed one.
    pub total_length_override: Option<u16>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CameraTerminal {
    pub id: u8,
    pub assoc: u8,
    pub name: StrRef,
    pub focal_min: u16,
    pub focal_max: u16,
    pub ocular: u16,
    /// bmControls, bit n = bit n of the bitmap (§3.7.2.3).
    pub controls: u32,
    pub control_size: u8,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProcessingUnit {
    pub id: u8,
    pub source: u8,
    pub max_multiplier: u16,
    pub controls: u32,
    pub control_size: u8,
    pub name: StrRef,
    /// bmVideoStandards (UVC 1.1 and later; absent in 1.0).
    pub video_standards: Option<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OutputTerminal {
    pub id: u8,
    pub terminal_type: u16,
    pub assoc: u8,
    pub source: u8,
    pub name: StrRef,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InputHeader {
    /// bEndpointAddress; `None`: the first IN endpoint of the interface's alternate setting 0.
    pub endpoint: Option<u8>,
    pub info: u8,
    pub terminal_link: u8,
    pub still_method: u8,
    pub trigger_support: u8,
    pub trigger_usage: u8,
    /// bControlSize; each format's `controls` fill that many bytes of bmaControls.
    pub control_size: u8,
    pub format_count_override: Option<u8>,
    pub total_length_override: Option<u16>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FormatKind {
    Uncompressed { guid: [u8; 16], bits_per_pixel: u8 },
    /// bmFlags bit 0: fixed-size samples.
    Mjpeg { flags: u8 },
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Format {
    pub kind: FormatKind,
    pub index: u8,
    pub default_frame: u8,
    pub aspect_x: u8,
    pub aspect_y: u8,
    pub interlace: u8,
    pub copy_protect: u8,
    /// This format's bmaControls entry in the input header.
    pub controls: u32,
    /// The stored bNumFrameDescriptors of a decoded blob when it differs from the frames that follow.
    pub frame_count_override: Option<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

impl Format {
    /// Bits per pixel of the frame data: the declared value, 16 for MJPEG (its bit rates and
    /// buffer sizes default as for YUY2).
    pub fn bits_per_pixel(&self) -> u8 {
        match self.kind {
            FormatKind::Uncompressed { bits_per_pixel, .. } => bits_per_pixel,
            FormatKind::Mjpeg { .. } => 16,
        }
    }
    pub fn frame_subtype(&self) -> u8 {
        match self.kind {
            FormatKind::Uncompressed { .. } => VS_FRAME_UNCOMPRESSED,
            FormatKind::Mjpeg { .. } => VS_FRAME_MJPEG,
        }
    }
    pub fn fourcc(&self) -> Option<String> {
        let FormatKind::Uncompressed { guid, .. } = self.kind else { return None };
        (guid[4..] == GUID_TAIL && guid[..4].iter().all(|b| b.is_ascii_alphanumeric()))
            .then(|| guid[..4].iter().map(|&b| b as char).collect())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Intervals {
    /// bFrameIntervalType n > 0: the listed intervals (100 ns units).
    Discrete(Vec<u32>),
    /// bFrameIntervalType 0: min, max, step.
    Continuous { min: u32, max: u32, step: u32 },
}

impl Intervals {
    pub fn shortest(&self) -> u32 {
        match self {
            Intervals::Discrete(v) => v.iter().copied().min().unwrap_or(0),
            Intervals::Continuous { min, .. } => *min,
        }
    }
    pub fn longest(&self) -> u32 {
        match self {
            Intervals::Discrete(v) => v.iter().copied().max().unwrap_or(0),
            Intervals::Continuous { max, .. } => *max,
        }
    }
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Frame {
    /// VS_FRAME_UNCOMPRESSED or VS_FRAME_MJPEG.
    pub subtype: u8,
    pub index: u8,
    pub capabilities: u8,
    pub width: u16,
    pub height: u16,
    pub min_bit_rate: u32,
    pub max_bit_rate: u32,
    pub max_buffer: u32,
    pub default_interval: u32,
    pub intervals: Intervals,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

impl Frame {
    /// Bytes of one frame at `bpp` bits per pixel.
    pub fn image_bytes(&self, bpp: u8) -> u64 {
        u64::from(self.width) * u64::from(self.height) * u64::from(bpp) / 8
    }
}

/// Bit rate of `w`×`h` at `bpp` bits per pixel, one frame per `interval` (100 ns units).
pub fn bit_rate(w: u16, h: u16, bpp: u8, interval: u32) -> u32 {
    if interval == 0 {
        return 0;
    }
    let bits = u64::from(w) * u64::from(h) * u64::from(bpp) * 10_000_000 / u64::from(interval);
    bits.min(u64::from(u32::MAX)) as u32
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Still {
    pub endpoint: u8,
    pub sizes: Vec<(u16, u16)>,
    pub compression: Vec<u8>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub span: Option<Span>,
}

impl VideoItem {
    pub fn span(&self) -> Option<Span> {
        match self {
            VideoItem::VcHeader(x) => x.span,
            VideoItem::CameraTerminal(x) => x.span,
            VideoItem::ProcessingUnit(x) => x.span,
            VideoItem::OutputTerminal(x) => x.span,
            VideoItem::InputHeader(x) => x.span,
            VideoItem::Format(x) => x.span,
            VideoItem::Frame(x) => x.span,
            VideoItem::Still(x) => x.span,
            VideoItem::ColorMatching { .. } => None,
        }
    }
    /// The terminal or unit ID this descriptor declares.
    pub fn entity_id(&self) -> Option<u8> {
        match self {
            VideoItem::CameraTerminal(x) => Some(x.id),
            VideoItem::ProcessingUnit(x) => Some(x.id),
            VideoItem::OutputTerminal(x) => Some(x.id),
            _ => None,
        }
    }
    pub fn names(&self) -> Vec<&StrRef> {
        match self {
            VideoItem::CameraTerminal(x) => vec![&x.name],
            VideoItem::ProcessingUnit(x) => vec![&x.name],
            VideoItem::OutputTerminal(x) => vec![&x.name],
            _ => Vec::new(),
        }
    }
    pub fn names_mut(&mut self) -> Vec<&mut StrRef> {
        match self {
            VideoItem::CameraTerminal(x) => vec![&mut x.name],
            VideoItem::ProcessingUnit(x) => vec![&mut x.name],
            VideoItem::OutputTerminal(x) => vec![&mut x.name],
            _ => Vec::new(),
        }
    }
}

/// The bitmap in `n` little-endian bytes from `at` (bytes past 4, or missing, are not read).
pub fn bitmap(b: &[u8], at: usize, n: usize) -> u32 {
    b.get(at..at + n.min(4)).unwrap_or(&[]).iter().rev().fold(0, |acc, &x| acc << 8 | u32::from(x))
}

/// `n` little-endian bytes of `v` (zeros past 4).
fn le_n(b: &mut Vec<u8>, v: u32, n: u8) {
    for k in 0..usize::from(n) {
        b.push(if k < 4 { (v >> (8 * k)) as u8 } else { 0 });
    }
}

fn video(item: &InterfaceItem) -> Option<&VideoItem> {
    item.class::<VideoItem>()
}

/// The frames right after a format in `tail`.
pub fn frames_after(tail: &[InterfaceItem]) -> impl Iterator<Item = &Frame> {
    tail.iter().map_while(|i| match video(i) {
        Some(VideoItem::Frame(f)) => Some(f),
        _ => None,
    })
}

/// The formats among the class-specific descriptors of `tail` (up to the first endpoint).
pub fn formats_in(tail: &[InterfaceItem]) -> impl Iterator<Item = &Format> {
    tail.iter()
        .take_while(|i| !matches!(i, InterfaceItem::Endpoint(_)))
        .filter_map(|i| match video(i) {
            Some(VideoItem::Format(f)) => Some(f),
            _ => None,
        })
}

/// The class-specific descriptors of `tail` before its first endpoint.
fn class_tail(tail: &[InterfaceItem]) -> &[InterfaceItem] {
    let end = tail.iter().position(|i| matches!(i, InterfaceItem::Endpoint(_))).unwrap_or(tail.len());
    &tail[..end]
}

/// Append the descriptor of `item`; `tail` holds the interface items after it.
pub fn encode(item: &VideoItem, tail: &[InterfaceItem], out: &mut Vec<u8>) {
    let mut b = Vec::new();
    match item {
        VideoItem::VcHeader(h) => {
            let len = 12 + h.streaming.len();
            let total = len + crate::encode::interface_items_len(class_tail(tail));
            b.push(VC_HEADER);
            b.extend_from_slice(&h.bcd_uvc.to_le_bytes());
            b.extend_from_slice(&h.total_length_override.unwrap_or(total.min(0xffff) as u16).to_le_bytes());
            b.extend_from_slice(&h.clock_hz.to_le_bytes());
            b.push(h.streaming.len().min(255) as u8);
            b.extend_from_slice(&h.streaming);
        }
        VideoItem::CameraTerminal(c) => {
            b.extend_from_slice(&[VC_INPUT_TERMINAL, c.id]);
            b.extend_from_slice(&ITT_CAMERA.to_le_bytes());
            b.extend_from_slice(&[c.assoc, c.name.index]);
            for v in [c.focal_min, c.focal_max, c.ocular] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            b.push(c.control_size);
            le_n(&mut b, c.controls, c.control_size);
        }
        VideoItem::ProcessingUnit(p) => {
            b.extend_from_slice(&[VC_PROCESSING_UNIT, p.id, p.source]);
            b.extend_from_slice(&p.max_multiplier.to_le_bytes());
            b.push(p.control_size);
            le_n(&mut b, p.controls, p.control_size);
            b.push(p.name.index);
            b.extend(p.video_standards);
        }
        VideoItem::OutputTerminal(o) => {
            b.extend_from_slice(&[VC_OUTPUT_TERMINAL, o.id]);
            b.extend_from_slice(&o.terminal_type.to_le_bytes());
            b.extend_from_slice(&[o.assoc, o.source, o.name.index]);
        }
        VideoItem::InputHeader(h) => {
            let formats: Vec<&Format> = formats_in(tail).collect();
            let len = 13 + formats.len() * usize::from(h.control_size);
            let total = len + crate::encode::interface_items_len(class_tail(tail));
            let endpoint = h.endpoint.unwrap_or_else(|| first_in_endpoint(tail));
            b.extend_from_slice(&[VS_INPUT_HEADER, h.format_count_override.unwrap_or(formats.len().min(255) as u8)]);
            b.extend_from_slice(&h.total_length_override.unwrap_or(total.min(0xffff) as u16).to_le_bytes());
            b.extend_from_slice(&[endpoint, h.info, h.terminal_link, h.still_method, h.trigger_support, h.trigger_usage, h.control_size]);
            for f in formats {
                le_n(&mut b, f.controls, h.control_size);
            }
        }
        VideoItem::Format(f) => {
            let frames = f.frame_count_override.unwrap_or(frames_after(tail).count().min(255) as u8);
            match f.kind {
                FormatKind::Uncompressed { guid, bits_per_pixel } => {
                    b.extend_from_slice(&[VS_FORMAT_UNCOMPRESSED, f.index, frames]);
                    b.extend_from_slice(&guid);
                    b.extend_from_slice(&[bits_per_pixel, f.default_frame]);
                }
                FormatKind::Mjpeg { flags } => b.extend_from_slice(&[VS_FORMAT_MJPEG, f.index, frames, flags, f.default_frame]),
            }
            b.extend_from_slice(&[f.aspect_x, f.aspect_y, f.interlace, f.copy_protect]);
        }
        VideoItem::Frame(f) => {
            b.extend_from_slice(&[f.subtype, f.index, f.capabilities]);
            b.extend_from_slice(&f.width.to_le_bytes());
            b.extend_from_slice(&f.height.to_le_bytes());
            for v in [f.min_bit_rate, f.max_bit_rate, f.max_buffer, f.default_interval] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            match &f.intervals {
                Intervals::Discrete(v) => {
                    b.push(v.len().min(255) as u8);
                    v.iter().for_each(|i| b.extend_from_slice(&i.to_le_bytes()));
                }
                Intervals::Continuous { min, max, step } => {
                    b.push(0);
                    [min, max, step].iter().for_each(|i| b.extend_from_slice(&i.to_le_bytes()));
                }
            }
        }
        VideoItem::Still(s) => {
            b.extend_from_slice(&[VS_STILL_IMAGE_FRAME, s.endpoint, s.sizes.len().min(255) as u8]);
            for (w, h) in &s.sizes {
                b.extend_from_slice(&w.to_le_bytes());
                b.extend_from_slice(&h.to_le_bytes());
            }
            b.push(s.compression.len().min(255) as u8);
            b.extend_from_slice(&s.compression);
        }
        VideoItem::ColorMatching { primaries, transfer, matrix } => b.extend_from_slice(&[VS_COLORFORMAT, *primaries, *transfer, *matrix]),
    }
    out.push((b.len() + 2).min(255) as u8);
    out.push(CS_INTERFACE);
    out.extend_from_slice(&b);
}

/// The first IN endpoint among `items` (0 when there is none).
pub fn first_in_endpoint(items: &[InterfaceItem]) -> u8 {
    items
        .iter()
        .find_map(|i| match i {
            InterfaceItem::Endpoint(e) if e.address() & 0x80 != 0 => Some(e.address()),
            _ => None,
        })
        .unwrap_or(0)
}

/// The class-specific endpoint descriptor of a VideoControl interrupt endpoint (§3.8.2.2):
/// subtype EP_INTERRUPT, wMaxTransferSize.
pub const EP_INTERRUPT: u8 = 0x03;

pub fn interrupt_endpoint(max_transfer: u16) -> Vec<u8> {
    let [lo, hi] = max_transfer.to_le_bytes();
    vec![EP_INTERRUPT, lo, hi]
}

/// `wMaxTransferSize` when `data` (after bLength and the type) is an EP_INTERRUPT descriptor.
pub fn interrupt_max_transfer(data: &[u8]) -> Option<u16> {
    (data.len() == 3 && data[0] == EP_INTERRUPT).then(|| u16::from_le_bytes([data[1], data[2]]))
}
