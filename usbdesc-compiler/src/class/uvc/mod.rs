//! USB Video Class 1.1 / 1.5 (UVC): the VideoControl interface (header with the computed
//! wTotalLength, camera terminal, processing unit, output terminal, the interrupt endpoint's
//! class-specific descriptor) and the VideoStreaming interface (input header, uncompressed and
//! MJPEG formats with their frames, still image frame, color matching). The TOML form is in
//! [`toml`]; the checks (terminal and unit references, frame sizes and intervals, format and
//! frame counts) in [`check`]. The runtime answers the class requests a host sends while binding
//! (usbdesc-runtime `video`).

mod check;
mod dump;
pub mod items;
mod lift;
#[cfg(feature = "emit")]
mod schema;
mod toml;
#[cfg(test)]
mod tests;

pub use items::VideoItem;

use crate::class::{InterfaceCx, InterfaceReader, Tables, UsbClass};
use crate::diag::{Diagnostics, Span};
use crate::model::{ClassDescriptor, Device, DumpBlock, Endpoint, Interface, InterfaceItem, StrRef};
use crate::spec::{class, CS_ENDPOINT};

/// A terminal or unit ID used twice in one VideoControl interface.
pub const ENTITY_ID_REUSED: &str = "UD5501";
/// A reference (unit source, output terminal source, streaming terminal link, header interface
/// list, input header endpoint) that names nothing.
pub const DANGLING: &str = "UD5502";
/// An uncompressed frame whose dwMaxVideoFrameBufferSize is smaller than one image.
pub const FRAME_BUFFER_SMALL: &str = "UD5503";
/// Frame intervals that are zero, reversed, or miss the default interval.
pub const FRAME_INTERVALS: &str = "UD5504";
/// Formats and frames that do not add up (none, a stored count that differs, a default frame
/// that is not there).
pub const FORMAT_COUNTS: &str = "UD5505";

/// `bInterfaceSubClass` of VideoControl and VideoStreaming (UVC 1.5 §A.2).
pub const SC_VIDEOCONTROL: u8 = 0x01;
pub const SC_VIDEOSTREAMING: u8 = 0x02;

/// Camera terminal bmControls bits and their names (§3.7.2.3).
pub const CAMERA_CONTROLS: &[(u8, &str)] = &[
    (0, "scanning_mode"),
    (1, "auto_exposure_mode"),
    (2, "auto_exposure_priority"),
    (3, "exposure_time_absolute"),
    (4, "exposure_time_relative"),
    (5, "focus_absolute"),
    (6, "focus_relative"),
    (7, "iris_absolute"),
    (8, "iris_relative"),
    (9, "zoom_absolute"),
    (10, "zoom_relative"),
    (11, "pan_tilt_absolute"),
    (12, "pan_tilt_relative"),
    (13, "roll_absolute"),
    (14, "roll_relative"),
    (17, "focus_auto"),
    (18, "privacy"),
    (19, "focus_simple"),
    (20, "window"),
    (21, "region_of_interest"),
];

/// Processing unit bmControls bits and their names (§3.7.2.5).
pub const PROCESSING_CONTROLS: &[(u8, &str)] = &[
    (0, "brightness"),
    (1, "contrast"),
    (2, "hue"),
    (3, "saturation"),
    (4, "sharpness"),
    (5, "gamma"),
    (6, "white_balance_temperature"),
    (7, "white_balance_component"),
    (8, "backlight_compensation"),
    (9, "gain"),
    (10, "power_line_frequency"),
    (11, "hue_auto"),
    (12, "white_balance_temperature_auto"),
    (13, "white_balance_component_auto"),
    (14, "digital_multiplier"),
    (15, "digital_multiplier_limit"),
    (16, "analog_video_standard"),
    (17, "analog_video_lock_status"),
    (18, "contrast_auto"),
];

pub fn is_control(itf: &Interface) -> bool {
    itf.class == class::VIDEO && itf.subclass == SC_VIDEOCONTROL
}

pub fn is_streaming(itf: &Interface) -> bool {
    itf.class == class::VIDEO && itf.subclass == SC_VIDEOSTREAMING
}

impl ClassDescriptor for VideoItem {
    fn class(&self) -> &'static str {
        "uvc"
    }
    fn encode(&self, tail: &[InterfaceItem], out: &mut Vec<u8>) {
        items::encode(self, tail, out)
    }
    fn strings(&self) -> Vec<&StrRef> {
        self.names()
    }
    fn strings_mut(&mut self) -> Vec<&mut StrRef> {
        self.names_mut()
    }
    fn lengths(&self, itf: &Interface) -> Vec<(String, usize, usize, Option<Span>)> {
        let span = self.span().or(itf.spans.table);
        match self {
            VideoItem::VcHeader(h) => vec![("the VideoControl header".into(), 12 + h.streaming.len(), 255, span)],
            VideoItem::InputHeader(h) => {
                let formats = items::formats_in(&itf.items).count();
                vec![("the VideoStreaming input header".into(), 13 + formats * usize::from(h.control_size), 255, span)]
            }
            VideoItem::Frame(f) => {
                let n = match &f.intervals {
                    items::Intervals::Discrete(v) => v.len(),
                    items::Intervals::Continuous { .. } => 3,
                };
                vec![("the frame descriptor".into(), 26 + 4 * n, 255, span)]
            }
            VideoItem::Still(s) => vec![("the still image frame descriptor".into(), 6 + 4 * s.sizes.len() + s.compression.len(), 255, span)],
            _ => Vec::new(),
        }
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self, tail: &[InterfaceItem]) -> Option<crate::model::TomlTable> {
        toml::to_toml(self, tail)
    }
    fn dump(&self, bytes: &[u8]) -> Option<DumpBlock> {
        dump::dump(bytes, self.in_control())
    }
}

impl VideoItem {
    /// The subtype space a descriptor lives in, for [`dump::dump`]: VideoControl and
    /// VideoStreaming share subtype numbers.
    fn in_control(&self) -> bool {
        matches!(self, VideoItem::VcHeader(_) | VideoItem::CameraTerminal(_) | VideoItem::ProcessingUnit(_) | VideoItem::OutputTerminal(_))
    }
}

/// The class.
pub struct Uvc;

impl UsbClass for Uvc {
    fn name(&self) -> &'static str {
        "uvc"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["video_control", "camera_terminal", "processing_unit", "video_output_terminal", "video_streaming", "video_format"]
    }
    fn endpoint_keys(&self) -> &'static [&'static str] {
        toml::ENDPOINT_KEYS
    }
    fn lift(&self, itf: &mut Interface) {
        lift::lift(itf)
    }
    fn reader(&self, _cx: &InterfaceCx, tables: Tables<'_, '_, '_>, d: &mut Diagnostics) -> Box<dyn InterfaceReader> {
        Box::new(toml::Reader::new(tables, d))
    }
    fn endpoint_toml(&self, cx: &InterfaceCx, e: &Endpoint) -> (Vec<(String, String)>, usize) {
        let vc = cx.class == class::VIDEO && cx.subclass == SC_VIDEOCONTROL;
        match e.items.first().filter(|r| vc && r.descriptor_type == CS_ENDPOINT).and_then(|r| items::interrupt_max_transfer(&r.data)) {
            Some(n) => (vec![("max_transfer_size".into(), n.to_string())], 1),
            None => (Vec::new(), 0),
        }
    }
    fn dump_raw(&self, cx: &InterfaceCx, bytes: &[u8]) -> Option<DumpBlock> {
        if cx.class != class::VIDEO {
            return None;
        }
        dump::dump(bytes, cx.subclass == SC_VIDEOCONTROL)
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check::check(dev, d)
    }
    #[cfg(feature = "emit")]
    fn schema(&self, key: &str) -> Option<serde_json::Value> {
        schema::schema(key)
    }
}
