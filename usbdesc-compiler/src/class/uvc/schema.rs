//! JSON Schema of the UVC tables.

use super::toml::*;
use super::{CAMERA_CONTROLS, PROCESSING_CONTROLS};
use crate::schema_parts::*;
use serde_json::{json, Value};

fn u32_int() -> Value {
    int(0, i64::from(u32::MAX))
}

fn controls(table: &[(u8, &str)]) -> Value {
    let names: Vec<(&str, i128)> = table.iter().map(|(b, n)| (*n, i128::from(*b))).collect();
    json!({ "anyOf": [
        { "type": "array", "items": named(&names, 0, 31), "description": "control names (bmControls bits)" },
        u32_int()
    ] })
}

fn id() -> Value {
    json!({ "allOf": [int(1, 255)], "description": "terminal/unit ID; assigned in declaration order when omitted" })
}

fn frame() -> Value {
    let list = |desc: &str| json!({ "type": "array", "items": u32_int(), "description": desc });
    table("a frame: size and rates; bit rates, buffer size and default interval are computed", FRAME_KEYS, &["width", "height"], |k| doc("uvc_frame", k, match k {
        "width" | "height" => int(1, 0xffff),
        "fps" => list("frame rates (the interval is 10^7 / fps in 100 ns units); the first is the default"),
        "intervals" => list("frame intervals in 100 ns units; the first is the default"),
        "interval_range" => table("continuous frame intervals (100 ns units)", RANGE_KEYS, &["min", "max", "step"], |k| doc("interval_range", k, u32_int())),
        "capabilities" | "index" => byte(),
        _ => u32_int(),
    }))
}

/// `TABLE.KEY | default | example | meaning` of every UVC key (what keys.txt holds for the core's
/// keys), attached to the schema by [`doc`].
const DOCS: &str = "\
interface.video_control | none | [configuration.interface.video_control] | UVC: the VideoControl interface header.
interface.camera_terminal | none | [[configuration.interface.camera_terminal]] | UVC: a camera terminal (input terminal of type 0x0201).
interface.processing_unit | none | [[configuration.interface.processing_unit]] | UVC: a processing unit.
interface.video_output_terminal | none | [[configuration.interface.video_output_terminal]] | UVC: an output terminal.
interface.video_streaming | none | [configuration.interface.video_streaming] | UVC: the VideoStreaming input header.
interface.video_format | none | [[configuration.interface.video_format]] | UVC: a video format with its frames (uncompressed or MJPEG).
endpoint.max_transfer_size | none | max_transfer_size = 16 | UVC VideoControl interrupt endpoint: wMaxTransferSize of its class-specific descriptor.
video_control.uvc | \"1.10\" | uvc = \"1.10\" | bcdUVC; 1.00 gives the 26-byte probe control, 1.10 34 bytes, 1.50 48 bytes.
video_control.clock_hz | 48000000 | clock_hz = 48000000 | dwClockFrequency in Hz.
video_control.streaming | the next interface | streaming = [1] | baInterfaceNr: the VideoStreaming interfaces of the function.
video_control.total_length | computed | total_length = 52 | wTotalLength as stored in a decoded blob; leave it out.
camera_terminal.id | next free | id = 1 | bTerminalID.
camera_terminal.controls | [] | controls = [\"auto_exposure_mode\"] | bmControls: control names or the bitmap.
camera_terminal.control_size | 3 | control_size = 3 | bControlSize (bytes of bmControls).
camera_terminal.focal_length_min | 0 | focal_length_min = 0 | wObjectiveFocalLengthMin.
camera_terminal.focal_length_max | 0 | focal_length_max = 0 | wObjectiveFocalLengthMax.
camera_terminal.ocular_focal_length | 0 | ocular_focal_length = 0 | wOcularFocalLength.
camera_terminal.assoc | 0 | assoc = 0 | bAssocTerminal.
camera_terminal.name | none | name = \"Camera\" | iTerminal: text or a raw string index.
processing_unit.id | next free | id = 2 | bUnitID.
processing_unit.source | the entity declared before | source = 1 | bSourceID.
processing_unit.controls | [] | controls = [\"brightness\"] | bmControls: control names or the bitmap.
processing_unit.control_size | 2 (3 for UVC 1.5) | control_size = 2 | bControlSize.
processing_unit.max_multiplier | 0 | max_multiplier = 0 | wMaxMultiplier (digital zoom x100).
processing_unit.video_standards | 0 from UVC 1.1, absent in 1.0 | video_standards = 0 | bmVideoStandards.
processing_unit.name | none | name = \"ISP\" | iProcessing: text or a raw string index.
video_output_terminal.id | next free | id = 3 | bTerminalID.
video_output_terminal.source | the entity declared before | source = 2 | bSourceID.
video_output_terminal.terminal_type | \"streaming\" | terminal_type = \"streaming\" | wTerminalType: USB streaming (0x0101) or a number.
video_output_terminal.assoc | 0 | assoc = 0 | bAssocTerminal.
video_output_terminal.name | none | name = \"Out\" | iTerminal: text or a raw string index.
video_streaming.terminal_link | required | terminal_link = 3 | bTerminalLink: the output terminal ID this interface streams from.
video_streaming.endpoint | the first IN endpoint of the interface | endpoint = 0x81 | bEndpointAddress of the video data endpoint (give it when that endpoint is in an alternate setting > 0).
video_streaming.info | 0 | info = 0 | bmInfo (bit 0: dynamic format change).
video_streaming.still_method | 0 | still_method = 2 | bStillCaptureMethod (0 none, 1-3 methods 1-3).
video_streaming.trigger_support | 0 | trigger_support = 0 | bTriggerSupport.
video_streaming.trigger_usage | 0 | trigger_usage = 0 | bTriggerUsage.
video_streaming.control_size | 1 | control_size = 1 | bControlSize of each format's bmaControls.
video_streaming.format_count | computed | format_count = 1 | bNumFormats as stored in a decoded blob; leave it out.
video_streaming.total_length | computed | total_length = 85 | wTotalLength as stored in a decoded blob; leave it out.
video_format.kind | required | kind = \"uncompressed\" | The format: uncompressed (VS_FORMAT_UNCOMPRESSED) or mjpeg (VS_FORMAT_MJPEG).
video_format.fourcc | required for uncompressed (or guid) | fourcc = \"YUY2\" | The FOURCC of the uncompressed format GUID.
video_format.guid | from fourcc | guid = \"59 55 59 32 00 00 10 00 80 00 00 aa 00 38 9b 71\" | guidFormat, 16 bytes as on the wire.
video_format.bits_per_pixel | from fourcc (16) | bits_per_pixel = 16 | bBitsPerPixel (uncompressed).
video_format.flags | 1 | flags = 1 | bmFlags (MJPEG; bit 0: fixed-size samples).
video_format.index | position | index = 1 | bFormatIndex.
video_format.default_frame | 1 | default_frame = 1 | bDefaultFrameIndex.
video_format.aspect_x | 0 | aspect_x = 16 | bAspectRatioX.
video_format.aspect_y | 0 | aspect_y = 9 | bAspectRatioY.
video_format.interlace | 0 | interlace = 0 | bmInterlaceFlags.
video_format.copy_protect | 0 | copy_protect = 0 | bCopyProtect.
video_format.controls | 0 | controls = 0 | This format's bmaControls entry in the input header.
video_format.frame | required | frame = [{ width = 640, height = 480, fps = [30] }] | The frames of the format.
video_format.still_image | none | still_image = { sizes = [[640, 480]] } | The still image frame descriptor after the frames.
video_format.color_matching | none | color_matching = { primaries = 1, transfer = 1, matrix = 4 } | The color matching descriptor after the frames.
video_format.frame_count | computed | frame_count = 1 | bNumFrameDescriptors as stored in a decoded blob; leave it out.
uvc_frame.width | required | width = 640 | wWidth.
uvc_frame.height | required | height = 480 | wHeight.
uvc_frame.fps | required (or intervals) | fps = [30, 15] | Frame rates; each interval is 10^7 / fps (100 ns units); the first is the default.
uvc_frame.intervals | none | intervals = [333333] | dwFrameInterval list in 100 ns units; the first is the default.
uvc_frame.interval_range | none | interval_range = { min = 333333, max = 1000000, step = 333333 } | Continuous frame intervals (100 ns units).
uvc_frame.default_interval | the first (or minimum) interval | default_interval = 333333 | dwDefaultFrameInterval.
uvc_frame.capabilities | 0 | capabilities = 1 | bmCapabilities (bit 0 still image, bit 1 fixed frame rate).
uvc_frame.min_bit_rate | computed | min_bit_rate = 12288000 | dwMinBitRate (default: width x height x bpp at the longest interval).
uvc_frame.max_bit_rate | computed | max_bit_rate = 73728000 | dwMaxBitRate (default: at the shortest interval).
uvc_frame.max_frame_size | computed | max_frame_size = 614400 | dwMaxVideoFrameBufferSize (default: width x height x bpp / 8).
uvc_frame.index | position | index = 1 | bFrameIndex.
interval_range.min | required | min = 333333 | dwMinFrameInterval.
interval_range.max | required | max = 1000000 | dwMaxFrameInterval.
interval_range.step | required | step = 333333 | dwFrameIntervalStep.
still_image.sizes | [] | sizes = [[640, 480]] | wWidth, wHeight pairs.
still_image.endpoint | 0 | endpoint = 0x83 | bEndpointAddress (still capture method 3 only).
still_image.compression | [] | compression = [] | bCompression patterns.
color_matching.primaries | 1 | primaries = 1 | bColorPrimaries (1: BT.709).
color_matching.transfer | 1 | transfer = 1 | bTransferCharacteristics (1: BT.709).
color_matching.matrix | 4 | matrix = 4 | bMatrixCoefficients (4: SMPTE 170M).
";

/// `v` with the documentation of `table.key` (description, x-default, x-example).
fn doc(table: &str, key: &str, mut v: Value) -> Value {
    let name = format!("{table}.{key}");
    let line = DOCS.lines().find_map(|l| {
        let p: Vec<&str> = l.splitn(4, '|').map(str::trim).collect();
        (p.len() == 4 && p[0] == name).then(|| (p[1], p[2], p[3]))
    });
    if let (Some((default, example, meaning)), Some(m)) = (line, v.as_object_mut()) {
        m.insert("description".into(), json!(meaning));
        m.insert("x-default".into(), json!(default));
        m.insert("x-example".into(), json!(example));
    }
    v
}

pub fn schema(key: &str) -> Option<Value> {
    let table_of = if key == "max_transfer_size" { "endpoint" } else { "interface" };
    inner(key).map(|v| doc(table_of, key, v))
}

fn inner(key: &str) -> Option<Value> {
    Some(match key {
        "video_control" => table("the UVC VideoControl interface header (wTotalLength computed)", VC_KEYS, &[], |k| doc("video_control", k, match k {
            "uvc" => bcd(),
            "clock_hz" => u32_int(),
            "streaming" => json!({ "type": "array", "items": byte(), "description": "the VideoStreaming interfaces (default: the next interface)" }),
            _ => int(0, 0xffff),
        })),
        "camera_terminal" => one_or_many(key, table("a UVC camera terminal (input terminal, type 0x0201)", CT_KEYS, &[], |k| doc("camera_terminal", k, match k {
            "id" => id(),
            "controls" => controls(CAMERA_CONTROLS),
            "control_size" => int(0, 4),
            "name" => str_ref(),
            "assoc" => byte(),
            _ => int(0, 0xffff),
        }))),
        "processing_unit" => one_or_many(key, table("a UVC processing unit", PU_KEYS, &[], |k| doc("processing_unit", k, match k {
            "id" => id(),
            "source" => byte(),
            "controls" => controls(PROCESSING_CONTROLS),
            "control_size" => int(0, 4),
            "max_multiplier" => int(0, 0xffff),
            "video_standards" => byte(),
            _ => str_ref(),
        }))),
        "video_output_terminal" => one_or_many(key, table("a UVC output terminal (default type: USB streaming)", OT_KEYS, &[], |k| doc("video_output_terminal", k, match k {
            "id" => id(),
            "terminal_type" => named(&[("streaming", 0x0101), ("vendor", 0x0100)], 0, 0xffff),
            "name" => str_ref(),
            _ => byte(),
        }))),
        "video_streaming" => table("the UVC VideoStreaming input header (counts and wTotalLength computed)", VS_KEYS, &["terminal_link"], |k| doc("video_streaming", k, match k {
            "total_length" => int(0, 0xffff),
            "still_method" => int(0, 3),
            "control_size" => int(0, 4),
            _ => byte(),
        })),
        "video_format" => one_or_many(key, table("a UVC format with its frames", FORMAT_KEYS, &["kind"], |k| doc("video_format", k, match k {
            "kind" => named(&[("uncompressed", 0), ("mjpeg", 1)], 0, 1),
            "fourcc" => json!({ "type": "string", "minLength": 4, "maxLength": 4, "description": "uncompressed: the FOURCC of the GUID, e.g. \"YUY2\"" }),
            "guid" => bytes(),
            "controls" => u32_int(),
            "frame" => one_or_many("uvc_frame", frame()),
            "still_image" => table("the still image frame descriptor", STILL_KEYS, &[], |k| doc("still_image", k, match k {
                "sizes" => json!({ "type": "array", "items": { "type": "array", "items": int(0, 0xffff), "minItems": 2, "maxItems": 2 } }),
                "compression" => json!({ "type": "array", "items": byte() }),
                _ => byte(),
            })),
            "color_matching" => table("the color matching descriptor (defaults 1, 1, 4: BT.709, BT.709, SMPTE 170M)", COLOR_KEYS, &[], |k| doc("color_matching", k, byte())),
            _ => byte(),
        }))),
        "max_transfer_size" => json!({ "allOf": [int(0, 0xffff)], "description": "UVC interrupt endpoint: wMaxTransferSize of its class-specific descriptor" }),
        _ => return None,
    })
}
