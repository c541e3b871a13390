//! USB Video Class 1.1/1.5 requests a host sends while binding a camera, answered from the
//! compiled configuration bytes (the VideoControl and VideoStreaming class-specific descriptors):
//!
//! * the controls a camera terminal or processing unit declares in its `bmControls`: GET_INFO,
//!   GET_LEN, GET_CUR, GET_DEF, GET_MIN, GET_MAX, GET_RES (size per UVC 1.5 §4.2.2.1 and
//!   §4.2.2.3); SET_CUR of a writable one is accepted when its length is right;
//! * VS_PROBE_CONTROL and VS_COMMIT_CONTROL of a VideoStreaming interface: GET_INFO, GET_LEN,
//!   GET_CUR, GET_DEF, GET_MIN, GET_MAX (probe) with the defaults of the declaration: the first
//!   format, its default frame, that frame's default interval and buffer size, the largest
//!   payload an endpoint of the interface moves, the VideoControl header's clock; the length is
//!   26, 34 or 48 bytes as `bcdUVC` is 1.0, 1.1 or 1.5 (Linux's uvcvideo insists on it);
//!   SET_CUR of either is accepted when its length is right.
//!
//! Everything else addressed to a video interface STALLs: other selectors, extension units
//! (uvcvideo asks them only on first use), the request error code control, malformed lengths.
//!
//! The runtime keeps no video state: GET_CUR answers the default, whatever SET_CUR wrote. That is
//! what uvcvideo's binding needs (it reads GET_DEF, writes it back with SET_CUR, reads GET_CUR);
//! a host that negotiates another format reads the default back. The values a control answers
//! (0 to 255 for a range, 0/1 for a switch, manual exposure) are the runtime's, not declared.
//!
//! Nothing here is reached by a device without a video interface: the class dispatches here only
//! when [`declared`] (a constant for a compile-time device) says so.

use usb_device::bus::UsbBus;
use usb_device::class::{ControlIn, ControlOut};

use crate::model::DeviceDescriptors;
use usb_device::descriptor::descriptor_type::{ENDPOINT, INTERFACE};

/// `bInterfaceClass` of video (UVC 1.5 §A.1).
const CC_VIDEO: u8 = 0x0E;
const SC_VIDEOCONTROL: u8 = 0x01;
const SC_VIDEOSTREAMING: u8 = 0x02;
/// Class-specific interface descriptor type (UVC 1.5 §A.4).
const CS_INTERFACE: u8 = 0x24;

// VideoControl subtypes (§A.5).
const VC_HEADER: u8 = 0x01;
const VC_INPUT_TERMINAL: u8 = 0x02;
const VC_PROCESSING_UNIT: u8 = 0x05;
/// `wTerminalType` of a camera sensor input terminal (§B.2).
const ITT_CAMERA: u16 = 0x0201;

// VideoStreaming subtypes (§A.6).
const VS_INPUT_HEADER: u8 = 0x01;
const VS_FORMAT_UNCOMPRESSED: u8 = 0x04;
const VS_FRAME_UNCOMPRESSED: u8 = 0x05;
const VS_FORMAT_MJPEG: u8 = 0x06;
const VS_FRAME_MJPEG: u8 = 0x07;

// Request codes (§A.8).
const SET_CUR: u8 = 0x01;
const GET_CUR: u8 = 0x81;
const GET_MIN: u8 = 0x82;
const GET_MAX: u8 = 0x83;
const GET_RES: u8 = 0x84;
const GET_LEN: u8 = 0x85;
const GET_INFO: u8 = 0x86;
const GET_DEF: u8 = 0x87;

// VideoStreaming interface control selectors (§A.9.8).
const VS_PROBE_CONTROL: u8 = 0x01;
const VS_COMMIT_CONTROL: u8 = 0x02;

/// GET_INFO bits (§4.1.2): GET and SET supported.
const INFO_GET: u8 = 0x01;
const INFO_SET: u8 = 0x02;

/// The longest answer: the UVC 1.5 probe/commit block.
const PROBE_MAX: usize = 48;

/// True when the configuration has a video interface. `const`, so that for a compile-time device
/// the class drops every path into this module when it has none.
pub(crate) const fn declared(desc: &DeviceDescriptors) -> bool {
    let mut k = 0;
    while k < desc.interfaces.len() {
        if desc.interfaces[k].class == CC_VIDEO && !desc.interfaces[k].builtin {
            return true;
        }
        k += 1;
    }
    false
}

/// True when `windex` (low byte) names one of our video interfaces: the request is this
/// module's to answer or STALL.
pub(crate) fn owns(desc: &DeviceDescriptors, windex: u16) -> bool {
    let n = windex as u8;
    desc.interfaces
        .iter()
        .any(|i| i.number == n && i.class == CC_VIDEO && !i.builtin)
}

/// A class request (IN) to a video interface.
pub(crate) fn class_in<B: UsbBus>(desc: &DeviceDescriptors, xfer: ControlIn<B>) {
    let req = *xfer.request();
    let mut buf = [0u8; PROBE_MAX];
    let n = answer(
        desc.configuration,
        req.request,
        req.value,
        req.index,
        &mut buf,
    );
    let _ = match n.and_then(|n| buf.get(..n)) {
        Some(bytes) => xfer.accept_with(bytes),
        None => xfer.reject(),
    };
}

/// A class request (OUT) to a video interface: SET_CUR of a declared writable control or of
/// probe/commit with the right length is accepted (and not kept); the rest STALLs.
pub(crate) fn class_out<B: UsbBus>(desc: &DeviceDescriptors, xfer: ControlOut<B>) {
    let req = *xfer.request();
    let ok = req.request == SET_CUR
        && usize::from(req.length) == xfer.data().len()
        && target(desc.configuration, req.value, req.index)
            .is_some_and(|t| t.writable() && t.len() == usize::from(req.length));
    let _ = if ok { xfer.accept() } else { xfer.reject() };
}

/// What a request addresses.
#[derive(Clone, Copy)]
enum Target<'c> {
    /// A declared control of a camera terminal or processing unit.
    Control(Control),
    /// Probe or commit of a VideoStreaming interface: its defaults and length.
    Probe { commit: bool, probe: Probe<'c> },
}

impl Target<'_> {
    fn len(&self) -> usize {
        match self {
            Target::Control(c) => usize::from(c.size),
            Target::Probe { probe, .. } => probe.len,
        }
    }

    fn writable(&self) -> bool {
        match self {
            Target::Control(c) => c.kind != Kind::ReadOnly,
            Target::Probe { .. } => true,
        }
    }
}

/// The answer to IN request `request` into `buf`, its length; `None` STALLs.
fn answer(
    cfg: &[u8],
    request: u8,
    value: u16,
    index: u16,
    buf: &mut [u8; PROBE_MAX],
) -> Option<usize> {
    let t = target(cfg, value, index)?;
    let len = t.len();
    match request {
        GET_INFO => {
            buf[0] = if t.writable() {
                INFO_GET | INFO_SET
            } else {
                INFO_GET
            };
            return Some(1);
        }
        GET_LEN => {
            buf[..2].copy_from_slice(&(len as u16).to_le_bytes());
            return Some(2);
        }
        _ => {}
    }
    let out = buf.get_mut(..len)?;
    match t {
        Target::Control(c) => {
            let v = match request {
                GET_CUR | GET_DEF => c.default(),
                GET_MIN if c.kind != Kind::Bitmap => c.min(),
                GET_MAX if c.kind != Kind::Bitmap => c.max(),
                GET_RES => c.res(),
                _ => return None,
            };
            c.fill(v, out);
        }
        Target::Probe { commit, probe } => match request {
            GET_CUR => probe.fill(out),
            GET_DEF | GET_MIN | GET_MAX if !commit => probe.fill(out),
            _ => return None,
        },
    }
    Some(len)
}

/// The control, or probe/commit block, that `wValue` (selector in the high byte) and `wIndex`
/// (entity ID high, interface low) address; `None` when the declaration has no such thing.
fn target(cfg: &[u8], value: u16, index: u16) -> Option<Target<'_>> {
    let [selector, low] = value.to_be_bytes();
    let [entity, itf] = index.to_be_bytes();
    if low != 0 {
        return None;
    }
    let (subclass, alt0) = interface(cfg, itf)?;
    match subclass {
        SC_VIDEOCONTROL if entity != 0 => {
            entity_control(alt0, entity, selector).map(Target::Control)
        }
        SC_VIDEOSTREAMING if entity == 0 => {
            let commit = match selector {
                VS_PROBE_CONTROL => false,
                VS_COMMIT_CONTROL => true,
                _ => return None,
            };
            Some(Target::Probe {
                commit,
                probe: Probe::of(cfg, itf, alt0)?,
            })
        }
        _ => None,
    }
}

/// The descriptors of a configuration, one slice each (a malformed length ends the walk).
struct Descriptors<'c>(&'c [u8]);

impl<'c> Iterator for Descriptors<'c> {
    type Item = &'c [u8];
    fn next(&mut self) -> Option<&'c [u8]> {
        let len = usize::from(*self.0.first()?);
        if len < 2 || len > self.0.len() {
            self.0 = &[];
            return None;
        }
        let (d, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(d)
    }
}

/// The bytes after interface descriptor (`number`, alternate 0) up to the next interface
/// descriptor, and its subclass, when it is a video interface.
fn interface(cfg: &[u8], number: u8) -> Option<(u8, &[u8])> {
    let at = descriptor_offsets(cfg).find(|&at| {
        let d = &cfg[at..];
        d[1] == INTERFACE && d.len() >= 9 && d[2] == number && d[3] == 0 && d[5] == CC_VIDEO
    })?;
    let subclass = cfg[at + 6];
    let body = &cfg[at + usize::from(cfg[at])..];
    let end = descriptor_offsets(body)
        .find(|&k| body[k + 1] == INTERFACE)
        .unwrap_or(body.len());
    Some((subclass, &body[..end]))
}

/// Offsets of every descriptor in `bytes`.
fn descriptor_offsets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    Descriptors(bytes).scan(0, |at, d| {
        let here = *at;
        *at += d.len();
        Some(here)
    })
}

/// Class-specific interface descriptors of subtype `subtype` in `body`.
fn cs(body: &[u8], subtype: u8) -> impl Iterator<Item = &[u8]> {
    Descriptors(body).filter(move |d| d.len() >= 3 && d[1] == CS_INTERFACE && d[2] == subtype)
}

fn le16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// A declared control of a camera terminal or processing unit.
fn entity_control(vc: &[u8], entity: u8, selector: u8) -> Option<Control> {
    let camera = cs(vc, VC_INPUT_TERMINAL)
        .find(|d| d.len() >= 15 && d[3] == entity && le16(d, 4) == Some(ITT_CAMERA));
    let (table, controls): (&[Row], &[u8]) = match camera {
        Some(d) => (CAMERA, d.get(15..15 + usize::from(d[14]))?),
        None => {
            let d = cs(vc, VC_PROCESSING_UNIT).find(|d| d.len() >= 8 && d[3] == entity)?;
            (PROCESSING, d.get(8..8 + usize::from(d[7]))?)
        }
    };
    let row = table.iter().find(|r| r.selector == selector)?;
    let byte = controls.get(usize::from(row.bit / 8))?;
    (byte & 1 << (row.bit % 8) != 0).then_some(row.control)
}

/// How a control's value behaves (what its MIN/MAX/RES/DEF are).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A number per field, 0 to 255 in steps of 1, default 0.
    Range,
    /// An on/off switch (or auto setting): 0 or 1, default 0.
    Switch,
    /// A bitmap mode (auto-exposure mode): RES is the supported set (manual only), CUR/DEF manual;
    /// no MIN/MAX (§4.2.2.1.2).
    Bitmap,
    /// The power line frequency menu: 0 (disabled) to 2 (60 Hz), default 2.
    Menu,
    /// Read-only (analog video standard, lock status): GET only, value 0.
    ReadOnly,
}

#[derive(Clone, Copy)]
struct Control {
    size: u8,
    /// Bytes per field (`size` for a one-field control).
    field: u8,
    kind: Kind,
}

impl Control {
    fn default(&self) -> u8 {
        match self.kind {
            Kind::Bitmap => 0x01,
            Kind::Menu => 2,
            _ => 0,
        }
    }
    fn min(&self) -> u8 {
        0
    }
    fn max(&self) -> u8 {
        match self.kind {
            Kind::Range => 255,
            Kind::Menu => 2,
            Kind::Switch => 1,
            Kind::Bitmap | Kind::ReadOnly => 0,
        }
    }
    fn res(&self) -> u8 {
        match self.kind {
            Kind::Bitmap => 0x01,
            _ => 1,
        }
    }
    /// The value in the low byte of every field of the control (little-endian fields).
    fn fill(&self, v: u8, out: &mut [u8]) {
        out.fill(0);
        for f in out.chunks_mut(usize::from(self.field.max(1))) {
            f[0] = v;
        }
    }
}

/// One control of a table: its bit in `bmControls`, selector, size in bytes, kind; a range of
/// several fields (zoom, pan/tilt, white balance components) is [`fields`].
struct Row {
    bit: u8,
    selector: u8,
    control: Control,
}

const fn row(bit: u8, selector: u8, size: u8, kind: Kind) -> Row {
    fields(bit, selector, size, size, kind)
}

const fn fields(bit: u8, selector: u8, size: u8, field: u8, kind: Kind) -> Row {
    Row {
        bit,
        selector,
        control: Control { size, field, kind },
    }
}

/// Camera terminal controls (§3.7.2.3 bit order, §A.9.4 selectors, §4.2.2.1 sizes).
const CAMERA: &[Row] = &[
    row(0, 0x01, 1, Kind::Switch),       // scanning mode
    row(1, 0x02, 1, Kind::Bitmap),       // auto-exposure mode
    row(2, 0x03, 1, Kind::Switch),       // auto-exposure priority
    row(3, 0x04, 4, Kind::Range),        // exposure time (absolute)
    row(4, 0x05, 1, Kind::Range),        // exposure time (relative)
    row(5, 0x06, 2, Kind::Range),        // focus (absolute)
    fields(6, 0x07, 2, 1, Kind::Range),  // focus (relative): focus, speed
    row(7, 0x09, 2, Kind::Range),        // iris (absolute)
    row(8, 0x0A, 1, Kind::Range),        // iris (relative)
    row(9, 0x0B, 2, Kind::Range),        // zoom (absolute)
    fields(10, 0x0C, 3, 1, Kind::Range), // zoom (relative): zoom, digital zoom, speed
    fields(11, 0x0D, 8, 4, Kind::Range), // pan/tilt (absolute): pan, tilt
    fields(12, 0x0E, 4, 1, Kind::Range), // pan/tilt (relative): pan, speed, tilt, speed
    row(13, 0x0F, 2, Kind::Range),       // roll (absolute)
    fields(14, 0x10, 2, 1, Kind::Range), // roll (relative): roll, speed
    row(17, 0x08, 1, Kind::Switch),      // focus, auto
    row(18, 0x11, 1, Kind::Switch),      // privacy
];

/// Processing unit controls (§3.7.2.5 bit order, §A.9.5 selectors, §4.2.2.3 sizes).
const PROCESSING: &[Row] = &[
    row(0, 0x02, 2, Kind::Range),       // brightness
    row(1, 0x03, 2, Kind::Range),       // contrast
    row(2, 0x06, 2, Kind::Range),       // hue
    row(3, 0x07, 2, Kind::Range),       // saturation
    row(4, 0x08, 2, Kind::Range),       // sharpness
    row(5, 0x09, 2, Kind::Range),       // gamma
    row(6, 0x0A, 2, Kind::Range),       // white balance temperature
    fields(7, 0x0C, 4, 2, Kind::Range), // white balance component: blue, red
    row(8, 0x01, 2, Kind::Range),       // backlight compensation
    row(9, 0x04, 2, Kind::Range),       // gain
    row(10, 0x05, 1, Kind::Menu),       // power line frequency
    row(11, 0x10, 1, Kind::Switch),     // hue, auto
    row(12, 0x0B, 1, Kind::Switch),     // white balance temperature, auto
    row(13, 0x0D, 1, Kind::Switch),     // white balance component, auto
    row(14, 0x0E, 2, Kind::Range),      // digital multiplier
    row(15, 0x0F, 2, Kind::Range),      // digital multiplier limit
    row(16, 0x11, 1, Kind::ReadOnly),   // analog video standard
    row(17, 0x12, 1, Kind::ReadOnly),   // analog video lock status
    row(18, 0x13, 1, Kind::Switch),     // contrast, auto
];

/// The probe/commit defaults of one VideoStreaming interface (§4.3.1.1).
#[derive(Clone, Copy)]
struct Probe<'c> {
    /// 26, 34 or 48 bytes (`bcdUVC` 1.0, 1.1, 1.5).
    len: usize,
    format_index: u8,
    /// The default frame descriptor of the first format.
    frame: &'c [u8],
    max_payload: u32,
    clock: u32,
}

impl<'c> Probe<'c> {
    /// From the VideoControl header that lists interface `itf` and the interface's alternate
    /// setting 0 (`vs`): `None` when it has no uncompressed or MJPEG format with its default frame.
    fn of(cfg: &'c [u8], itf: u8, vs: &'c [u8]) -> Option<Self> {
        let header = Descriptors(cfg).find(|d| {
            d.len() >= 12 && d[1] == CS_INTERFACE && d[2] == VC_HEADER && d[12..].contains(&itf)
        })?;
        let len = match le16(header, 3)? {
            v if v >= 0x0150 => 48,
            v if v >= 0x0110 => 34,
            _ => 26,
        };
        cs(vs, VS_INPUT_HEADER).next()?;
        let format = Descriptors(vs).find(|d| {
            d.len() >= 3
                && d[1] == CS_INTERFACE
                && matches!(d[2], VS_FORMAT_UNCOMPRESSED | VS_FORMAT_MJPEG)
        })?;
        let (frame_subtype, default_frame) = match format[2] {
            VS_FORMAT_UNCOMPRESSED => (VS_FRAME_UNCOMPRESSED, *format.get(22)?),
            _ => (VS_FRAME_MJPEG, *format.get(6)?),
        };
        let format_at = format.as_ptr() as usize - vs.as_ptr() as usize;
        let frame = Descriptors(&vs[format_at + format.len()..])
            .take_while(|d| d[1] == CS_INTERFACE && d.len() >= 3 && d[2] == frame_subtype)
            .find(|d| d.len() >= 26 && d[3] == default_frame)?;
        Some(Probe {
            len,
            format_index: format[3],
            frame,
            max_payload: max_payload(cfg, itf),
            clock: le32(header, 7)?,
        })
    }

    /// The block: bmHint (frame interval fixed), format, frame, interval, frame size, payload,
    /// clock (UVC 1.1+); the rest zero.
    fn fill(&self, out: &mut [u8]) {
        out.fill(0);
        out[0] = 0x01;
        out[2] = self.format_index;
        out[3] = self.frame[3];
        out[4..8].copy_from_slice(&self.frame[21..25]);
        out[18..22].copy_from_slice(&self.frame[17..21]);
        out[22..26].copy_from_slice(&self.max_payload.to_le_bytes());
        if let Some(clock) = out.get_mut(26..30) {
            clock.copy_from_slice(&self.clock.to_le_bytes());
        }
    }
}

/// The most bytes one (micro)frame's transaction(s) move on an endpoint of interface `itf`, over
/// all its alternate settings (`wMaxPacketSize` size times the high-bandwidth count).
fn max_payload(cfg: &[u8], itf: u8) -> u32 {
    let mut current = None;
    let mut best = 0;
    for d in Descriptors(cfg) {
        match d[1] {
            INTERFACE if d.len() >= 3 => current = Some(d[2]),
            ENDPOINT if current == Some(itf) => {
                let mps = le16(d, 4).unwrap_or(0);
                best = best.max(u32::from(mps & 0x7FF) * (1 + u32::from(mps >> 11 & 3)));
            }
            _ => {}
        }
    }
    best
}
