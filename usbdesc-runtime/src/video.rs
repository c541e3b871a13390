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
//! Probe and commit are negotiated (UVC 1.5 §4.3.1.1.1): SET_CUR names a format, a frame and a
//! frame interval; the runtime keeps a declared format, else the first one; a declared frame of
//! it, else its default frame; an interval the frame declares (or within its continuous range),
//! else the frame's default; and answers GET_CUR with that choice, its frame size and payload.
//! What each VideoStreaming interface negotiated is 6 bytes of the class's state arena, after
//! the HID state (`DeviceDescriptors::state_len` counts them); a bus reset forgets it.
//! Camera and processing unit controls keep no state: GET_CUR answers the default, and the
//! values a control answers (0 to 255 for a range, 0/1 for a switch, manual exposure) are the
//! runtime's, not declared.
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

/// Bytes of negotiated state per VideoStreaming interface: bFormatIndex, bFrameIndex,
/// dwFrameInterval (all zero: nothing negotiated yet, the defaults hold).
const SLOT: usize = 6;

/// Whether interface `i` is one of our VideoStreaming interfaces.
const fn streaming(i: &crate::model::InterfaceInfo) -> bool {
    i.class == CC_VIDEO && i.subclass == SC_VIDEOSTREAMING && !i.builtin
}

/// Bytes of state the video interfaces need (`const`: 0 for a device without video).
pub(crate) const fn state_len(desc: &DeviceDescriptors) -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < desc.interfaces.len() {
        if streaming(&desc.interfaces[k]) {
            n += SLOT;
        }
        k += 1;
    }
    n
}

/// The state slot of VideoStreaming interface `itf` in the video part of the arena.
fn slot(desc: &DeviceDescriptors, itf: u8) -> Option<core::ops::Range<usize>> {
    let k = desc.interfaces.iter().filter(|i| streaming(i)).position(|i| i.number == itf)?;
    Some(k * SLOT..(k + 1) * SLOT)
}

/// What a VideoStreaming interface negotiated (zero: the default).
#[derive(Clone, Copy, Default)]
struct Choice {
    format: u8,
    frame: u8,
    interval: u32,
}

impl Choice {
    fn read(state: &[u8]) -> Self {
        match state {
            [format, frame, i0, i1, i2, i3, ..] => Choice { format: *format, frame: *frame, interval: u32::from_le_bytes([*i0, *i1, *i2, *i3]) },
            _ => Choice::default(),
        }
    }
    /// Bytes 2..8 of a probe/commit block: bFormatIndex, bFrameIndex, dwFrameInterval.
    fn of_block(block: &[u8]) -> Self {
        Choice::read(block.get(2..8).unwrap_or(&[]))
    }
    fn write(&self, state: &mut [u8]) {
        if let Some(s) = state.get_mut(..SLOT) {
            s[0] = self.format;
            s[1] = self.frame;
            s[2..].copy_from_slice(&self.interval.to_le_bytes());
        }
    }
}

/// True when `windex` (low byte) names one of our video interfaces: the request is this
/// module's to answer or STALL.
pub(crate) fn owns(desc: &DeviceDescriptors, windex: u16) -> bool {
    let n = windex as u8;
    desc.interfaces
        .iter()
        .any(|i| i.number == n && i.class == CC_VIDEO && !i.builtin)
}

/// A class request (IN) to a video interface; `state` is the video part of the class's arena.
pub(crate) fn class_in<B: UsbBus>(desc: &DeviceDescriptors, state: &[u8], xfer: ControlIn<B>) {
    let req = *xfer.request();
    let mut buf = [0u8; PROBE_MAX];
    let chosen = slot(desc, req.index as u8)
        .and_then(|r| state.get(r))
        .map(Choice::read)
        .unwrap_or_default();
    let n = answer(
        desc.configuration,
        req.request,
        req.value,
        req.index,
        chosen,
        &mut buf,
    );
    let _ = match n.and_then(|n| buf.get(..n)) {
        Some(bytes) => xfer.accept_with(bytes),
        None => xfer.reject(),
    };
}

/// A class request (OUT) to a video interface: SET_CUR of a declared writable control (not
/// kept) or of probe/commit (negotiated and kept in `state`) with the right length is accepted;
/// the rest STALLs.
pub(crate) fn class_out<B: UsbBus>(desc: &DeviceDescriptors, state: &mut [u8], xfer: ControlOut<B>) {
    let req = *xfer.request();
    let data = xfer.data();
    let t = target(desc.configuration, req.value, req.index, Choice::of_block(data))
        .filter(|_| req.request == SET_CUR && usize::from(req.length) == data.len())
        .filter(|t| t.writable() && t.len() == data.len());
    let Some(t) = t else {
        let _ = xfer.reject();
        return;
    };
    if let (Target::Probe { probe, .. }, Some(r)) = (t, slot(desc, req.index as u8)) {
        if let Some(s) = state.get_mut(r) {
            probe.choice().write(s);
        }
    }
    let _ = xfer.accept();
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

/// The answer to IN request `request` into `buf`, its length; `None` STALLs. `chosen`: what the
/// addressed streaming interface negotiated.
fn answer(
    cfg: &[u8],
    request: u8,
    value: u16,
    index: u16,
    chosen: Choice,
    buf: &mut [u8; PROBE_MAX],
) -> Option<usize> {
    let t = target(cfg, value, index, chosen)?;
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
            GET_DEF | GET_MIN | GET_MAX if !commit => {
                Probe::of(cfg, index as u8, probe.vs, Choice::default())?.fill(out)
            }
            _ => return None,
        },
    }
    Some(len)
}

/// The control, or probe/commit block, that `wValue` (selector in the high byte) and `wIndex`
/// (entity ID high, interface low) address; `None` when the declaration has no such thing.
/// A probe/commit block is the one for `choice`, resolved against the declaration.
fn target(cfg: &[u8], value: u16, index: u16, choice: Choice) -> Option<Target<'_>> {
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
                probe: Probe::of(cfg, itf, alt0, choice)?,
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
    /// The frame descriptor chosen.
    frame: &'c [u8],
    /// dwFrameInterval chosen (100 ns units).
    interval: u32,
    max_payload: u32,
    clock: u32,
    /// The interface's alternate setting 0 (its formats and frames).
    vs: &'c [u8],
}

impl<'c> Probe<'c> {
    /// From the VideoControl header that lists interface `itf` and the interface's alternate
    /// setting 0 (`vs`), for `choice` (a declared format, else the first uncompressed or MJPEG
    /// one; a declared frame of it, else its default; a declared interval of the frame, else its
    /// default): `None` when it has no such format with its default frame.
    fn of(cfg: &'c [u8], itf: u8, vs: &'c [u8], choice: Choice) -> Option<Self> {
        let header = Descriptors(cfg).find(|d| {
            d.len() >= 12 && d[1] == CS_INTERFACE && d[2] == VC_HEADER && d[12..].contains(&itf)
        })?;
        let len = match le16(header, 3)? {
            v if v >= 0x0150 => 48,
            v if v >= 0x0110 => 34,
            _ => 26,
        };
        cs(vs, VS_INPUT_HEADER).next()?;
        let mut formats = Descriptors(vs).filter(|d| {
            d.len() >= 4
                && d[1] == CS_INTERFACE
                && matches!(d[2], VS_FORMAT_UNCOMPRESSED | VS_FORMAT_MJPEG)
        });
        let first = formats.next()?;
        let format = core::iter::once(first)
            .chain(formats)
            .find(|d| d[3] == choice.format)
            .unwrap_or(first);
        let (frame_subtype, default_frame) = match format[2] {
            VS_FORMAT_UNCOMPRESSED => (VS_FRAME_UNCOMPRESSED, *format.get(22)?),
            _ => (VS_FRAME_MJPEG, *format.get(6)?),
        };
        let format_at = format.as_ptr() as usize - vs.as_ptr() as usize;
        let frames = || {
            Descriptors(&vs[format_at + format.len()..])
                .take_while(move |d| d[1] == CS_INTERFACE && d.len() >= 3 && d[2] == frame_subtype)
                .filter(|d| d.len() >= 26)
        };
        let frame = frames()
            .find(|d| d[3] == choice.frame)
            .or_else(|| frames().find(|d| d[3] == default_frame))?;
        let interval = if choice.interval != 0 && declares_interval(frame, choice.interval) {
            choice.interval
        } else {
            le32(frame, 21)?
        };
        Some(Probe {
            len,
            format_index: format[3],
            frame,
            interval,
            max_payload: max_payload(cfg, itf),
            clock: le32(header, 7)?,
            vs,
        })
    }

    /// What this block stands for, as kept in the state.
    fn choice(&self) -> Choice {
        Choice { format: self.format_index, frame: self.frame[3], interval: self.interval }
    }

    /// The block: bmHint (frame interval fixed), format, frame, interval, frame size, payload,
    /// clock (UVC 1.1+); the rest zero.
    fn fill(&self, out: &mut [u8]) {
        out.fill(0);
        out[0] = 0x01;
        out[2] = self.format_index;
        out[3] = self.frame[3];
        out[4..8].copy_from_slice(&self.interval.to_le_bytes());
        out[18..22].copy_from_slice(&self.frame[17..21]);
        out[22..26].copy_from_slice(&self.max_payload.to_le_bytes());
        if let Some(clock) = out.get_mut(26..30) {
            clock.copy_from_slice(&self.clock.to_le_bytes());
        }
    }
}

/// Whether frame descriptor `frame` offers `interval`: one of its discrete intervals, or within
/// its continuous range (bFrameIntervalType 0: min, max, step).
fn declares_interval(frame: &[u8], interval: u32) -> bool {
    match frame.get(25) {
        Some(0) => matches!((le32(frame, 26), le32(frame, 30)), (Some(lo), Some(hi)) if (lo..=hi).contains(&interval)),
        Some(&n) => (0..usize::from(n)).any(|k| le32(frame, 26 + 4 * k) == Some(interval)),
        None => false,
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
