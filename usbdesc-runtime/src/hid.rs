//! The HID 1.11 §7.2 class protocol over the control pipe, plus the report-state helpers the typed
//! API and the interrupt endpoints share. Every malformed request is answered with a STALL.

use usb_device::bus::UsbBus;
use usb_device::class::{ControlIn, ControlOut};
use usb_device::control::Request;

use crate::descriptors::Answer;
use crate::model::{
    BootByte, BootInput, BootProtocol, DeviceDescriptors, HidInterface, ReportKind,
};
use crate::state::{self, FLAG_PENDING, IDLE, PROTOCOL_BOOT};

const GET_REPORT: u8 = 0x01;
const GET_IDLE: u8 = 0x02;
const GET_PROTOCOL: u8 = 0x03;
const SET_REPORT: u8 = 0x09;
const SET_IDLE: u8 = 0x0A;
const SET_PROTOCOL: u8 = 0x0B;
const HID_DESCRIPTOR: u8 = 0x21;
const REPORT_DESCRIPTOR: u8 = 0x22;

/// The longest boot input report (HID 1.11 Appendix B.1, keyboard); the mouse's is 3 bytes.
pub(crate) const BOOT_KEYBOARD_LEN: usize = 8;

/// Index into `desc.hid` of the HID interface addressed by `wIndex`, if it is one of ours.
pub(crate) fn find_itf(desc: &DeviceDescriptors, windex: u16) -> Option<usize> {
    let number = u8::try_from(windex).ok()?;
    desc.hid.iter().position(|h| h.interface == number)
}

pub(crate) const fn find_report(itf: &HidInterface, kind: ReportKind, id: u8) -> Option<usize> {
    let mut r = 0;
    while r < itf.reports.len() {
        let info = &itf.reports[r];
        if info.kind as u8 == kind as u8 && info.id == id {
            return Some(r);
        }
        r += 1;
    }
    None
}

/// A typed report's slot: HID interface `i` (index into `desc.hid`), report `r` of it, and its
/// state in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Located {
    pub i: usize,
    pub r: usize,
    pub at: state::Place,
}

/// How many HID interfaces a [`Direct`] table covers (one: the common single-interface device;
/// every interface adds a table row to flash).
const DIRECT_ITFS: usize = 1;

/// The report of each kind of each HID interface, with its state, for a compile-time device
/// whose HID interfaces (at most [`DIRECT_ITFS`]) use no report IDs and declare at most one
/// report of each kind (none empty), and one of which has more than one report: then finding a
/// report is a lookup in a constant table instead of a walk over the tables (the optimiser does
/// not fold a walk over two or more reports; one over a single report it folds better than the
/// table).
/// Built in `const` by `UsbdescClass`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Direct {
    /// `(offset, length)` of the state of each kind's report (bytes: a device whose report state
    /// lies past byte 255 walks instead); length 0: no such report.
    at: [[(u8, u8); 3]; DIRECT_ITFS],
    /// Index of each kind's report.
    r: [[u8; 3]; DIRECT_ITFS],
}

impl Direct {
    /// `None` when the device does not have the shape described on [`Direct`].
    pub(crate) const fn of(desc: &DeviceDescriptors) -> Option<Direct> {
        let mut t = Direct {
            at: [[(0, 0); 3]; DIRECT_ITFS],
            r: [[0; 3]; DIRECT_ITFS],
        };
        if desc.hid.len() > DIRECT_ITFS {
            return None;
        }
        let mut several = false;
        let mut i = 0;
        while i < desc.hid.len() {
            let reports = desc.hid[i].reports;
            if reports.len() > u8::MAX as usize {
                return None;
            }
            several |= reports.len() > 1;
            let mut r = 0;
            while r < reports.len() {
                let k = reports[r].kind as usize - 1;
                if reports[r].id != 0 || t.at[i][k].1 != 0 {
                    return None;
                }
                match state::place(desc.hid, i, r) {
                    Some(at)
                        if at.off <= u8::MAX as usize
                            && at.len <= u8::MAX as usize
                            && at.len != 0 =>
                    {
                        t.at[i][k] = (at.off as u8, at.len as u8);
                        t.r[i][k] = r as u8;
                    }
                    _ => return None,
                }
                r += 1;
            }
            i += 1;
        }
        if several {
            Some(t)
        } else {
            None
        }
    }

    /// The report of `kind` of HID interface `i` and its state ([`first`]).
    fn get(&self, i: usize, kind: ReportKind) -> Option<(usize, state::Place)> {
        let k = (kind as usize).wrapping_sub(1);
        let (off, len) = *self.at.get(i)?.get(k)?;
        if len == 0 {
            return None;
        }
        let r = *self.r.get(i)?.get(k)?;
        let at = state::Place {
            off: usize::from(off),
            len: usize::from(len),
        };
        Some((usize::from(r), at))
    }
}

/// Finds the slot of a typed report (`Report::INTERFACE`, `KIND`, `ID`, `LEN`): the first HID
/// interface (the named one, when given) with a report of that kind and ID and exactly that
/// length. `const`, so that for a compile-time device it is a constant per report type.
pub(crate) const fn locate(
    desc: &DeviceDescriptors,
    interface: Option<u8>,
    kind: ReportKind,
    id: u8,
    len: usize,
) -> Option<Located> {
    let mut i = 0;
    while i < desc.hid.len() {
        let itf = &desc.hid[i];
        let named = match interface {
            Some(n) => n == itf.interface,
            None => true,
        };
        if named {
            if let Some(r) = find_report(itf, kind, id) {
                if itf.reports[r].len as usize == len {
                    if let Some(at) = state::place(desc.hid, i, r) {
                        return Some(Located { i, r, at });
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Report (`kind`, `id`) of HID interface `i` (index into `desc.hid`) and its state.
pub(crate) fn report(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    i: usize,
    kind: ReportKind,
    id: u8,
) -> Option<(usize, state::Place)> {
    if let Some(d) = direct {
        return d.get(i, kind).filter(|_| id == 0);
    }
    state::places(desc.hid, i)
        .find(|(_, x, _)| x.kind == kind && x.id == id)
        .map(|(r, _, at)| (r, at))
}

/// The first report of `kind` of HID interface `i` and its state.
pub(crate) fn first(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    i: usize,
    kind: ReportKind,
) -> Option<(usize, state::Place)> {
    if let Some(d) = direct {
        return d.get(i, kind);
    }
    state::places(desc.hid, i)
        .find(|(_, x, _)| x.kind == kind)
        .map(|(r, _, at)| (r, at))
}

pub(crate) fn first_of(itf: &HidInterface, kind: ReportKind) -> Option<usize> {
    itf.reports.iter().position(|r| r.kind == kind)
}

pub(crate) fn uses_ids(itf: &HidInterface) -> bool {
    itf.reports.iter().any(|r| r.id != 0)
}

fn kind_of(report_type: u8) -> Option<ReportKind> {
    match report_type {
        1 => Some(ReportKind::Input),
        2 => Some(ReportKind::Output),
        3 => Some(ReportKind::Feature),
        _ => None,
    }
}

pub(crate) fn in_boot(arena: &mut [u8], desc: &DeviceDescriptors, i: usize) -> bool {
    desc.hid[i].boot != BootProtocol::None
        && state::itf_header(arena, desc.hid, i).is_some_and(|h| h[0] == PROTOCOL_BOOT)
}

/// The input report boot protocol sends: the source of the boot conversion, or the first input
/// report when that already is the boot report.
pub(crate) fn boot_report(itf: &HidInterface) -> Option<usize> {
    match itf.boot_input {
        Some(b) => find_report(itf, ReportKind::Input, b.id),
        None => first_of(itf, ReportKind::Input),
    }
}

/// [`boot_report`] and its state, in one walk over the interface's reports.
pub(crate) fn boot_place(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    i: usize,
) -> Option<(usize, state::Place)> {
    match desc.hid.get(i)?.boot_input {
        Some(b) => report(desc, direct, i, ReportKind::Input, b.id),
        None => first(desc, direct, i, ReportKind::Input),
    }
}

/// Builds the boot input report from report-protocol input bytes with the compiled byte sources
/// (HID 1.11 Appendix B). Returns the boot length.
pub(crate) fn to_boot(map: &BootInput, report: &[u8], out: &mut [u8; BOOT_KEYBOARD_LEN]) -> usize {
    out.fill(0);
    for (o, b) in out.iter_mut().zip(map.bytes) {
        *o = boot_byte(report, b);
    }
    map.bytes.len().min(BOOT_KEYBOARD_LEN)
}

/// One boot byte: `b.bits` bits from `b.bit_offset` (HID order: least significant bit first),
/// sign extended and saturated to a byte as [`BootByte`] describes. Bits past the report read 0.
fn boot_byte(report: &[u8], b: &BootByte) -> u8 {
    let bits = u32::from(b.bits).min(32);
    if bits == 0 {
        return 0;
    }
    let mut v: u32 = 0;
    for k in 0..bits {
        let at = usize::from(b.bit_offset) + k as usize;
        let bit = report.get(at / 8).map_or(0, |x| (x >> (at % 8)) & 1);
        v |= u32::from(bit) << k;
    }
    if !b.signed {
        return v.min(255) as u8;
    }
    let shift = 32 - bits;
    let signed = ((v << shift) as i32) >> shift;
    if bits <= 8 {
        signed as u8
    } else {
        signed.clamp(-127, 127) as u8
    }
}

/// Stores a report written by the host (SET_REPORT or interrupt OUT) and marks it pending.
/// In boot protocol a keyboard's 1-byte LED report lands in the payload of its first output
/// report. Returns false (→ STALL / drop) when the ID or length does not match a declared report.
/// One copy shared by its callers ([`store_in_place`] is the same, inlined where the report is a
/// constant of a [`Direct`] table).
pub(crate) fn store_from_host(
    arena: &mut [u8],
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    i: usize,
    kind: ReportKind,
    id: Option<u8>,
    data: &[u8],
) -> bool {
    store_in_place(arena, desc, direct, i, kind, id, data)
}

/// [`store_from_host`], inlined.
#[inline(always)]
fn store_in_place(
    arena: &mut [u8],
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    i: usize,
    kind: ReportKind,
    id: Option<u8>,
    data: &[u8],
) -> bool {
    let itf = &desc.hid[i];
    // A first output report that is already the 1-byte boot LED report needs no special case
    // (this folds away for a compile-time boot keyboard).
    let led_differs = first_of(itf, ReportKind::Output)
        .and_then(|r| itf.reports.get(r))
        .is_none_or(|x| x.id != 0 || x.len != 1);
    let boot_led = kind == ReportKind::Output
        && itf.boot == BootProtocol::Keyboard
        && led_differs
        && data.len() == 1
        && in_boot(arena, desc, i);
    if boot_led {
        let Some((r, at)) = first(desc, direct, i, ReportKind::Output) else {
            return false;
        };
        let Some(mut s) = state::slot_at(arena, at) else {
            return false;
        };
        let at = usize::from(itf.reports[r].id != 0);
        let Some(b) = s.data.get_mut(at) else {
            return false;
        };
        *b = data[0];
        s.set_flag(FLAG_PENDING, true);
        return true;
    }
    let id = match id {
        Some(id) => id,
        None if uses_ids(itf) => match data.first() {
            Some(&b) => b,
            None => return false,
        },
        None => 0,
    };
    let Some((_, at)) = report(desc, direct, i, kind, id) else {
        return false;
    };
    if data.len() != at.len || (id != 0 && data.first() != Some(&id)) {
        return false;
    }
    let Some(mut s) = state::slot_at(arena, at) else {
        return false;
    };
    if !s.store(data) {
        return false;
    }
    s.set_flag(FLAG_PENDING, true);
    true
}

/// Standard GET_DESCRIPTOR with interface recipient: HID (0x21) and report (0x22) descriptors.
/// `#[inline]` for the reason given in [`crate::descriptors`].
#[inline]
pub(crate) fn descriptor(desc: &DeviceDescriptors, req: &Request) -> Answer {
    let Some(i) = find_itf(desc, req.index) else {
        return Answer::Pass;
    };
    let itf = &desc.hid[i];
    match req.descriptor_type_index() {
        (HID_DESCRIPTOR, 0) => Answer::Bytes(itf.hid_descriptor),
        (REPORT_DESCRIPTOR, 0) => Answer::Bytes(itf.report_descriptor),
        _ => Answer::Stall,
    }
}

/// Class IN requests: GET_REPORT, GET_IDLE, GET_PROTOCOL.
pub(crate) fn class_in<B: UsbBus>(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    arena: &mut [u8],
    xfer: ControlIn<B>,
) {
    let req = *xfer.request();
    let Some(i) = find_itf(desc, req.index) else {
        return;
    };
    let Some(itf) = desc.hid.get(i) else {
        return;
    };
    let [high, low] = req.value.to_be_bytes();
    let mut boot = [0u8; BOOT_KEYBOARD_LEN];
    // Every answer is a slice of the state arena (or of the boot conversion buffer), sent by one
    // `accept_with` call; `None` STALLs.
    let answer: Option<&[u8]> = match req.request {
        GET_REPORT => match kind_of(high) {
            Some(ReportKind::Input) if in_boot(arena, desc, i) => {
                match boot_place(desc, direct, i).and_then(|(_, at)| state::slot_at(arena, at)) {
                    Some(s) => match itf.boot_input {
                        Some(map) => {
                            let n = to_boot(&map, s.data, &mut boot);
                            boot.get(..n)
                        }
                        None => Some(&*s.data),
                    },
                    None => None,
                }
            }
            // With a [`Direct`] table one lookup per kind, so that each is a constant; a walk is
            // done once for any kind.
            Some(kind) if direct.is_none() => stored(arena, report(desc, direct, i, kind, low)),
            Some(ReportKind::Input) => stored(arena, report(desc, direct, i, ReportKind::Input, low)),
            Some(ReportKind::Output) => stored(arena, report(desc, direct, i, ReportKind::Output, low)),
            Some(ReportKind::Feature) => stored(arena, report(desc, direct, i, ReportKind::Feature, low)),
            None => None,
        },
        GET_IDLE if high == 0 => {
            let r = if low == 0 {
                first(desc, direct, i, ReportKind::Input)
            } else {
                report(desc, direct, i, ReportKind::Input, low)
            };
            r.and_then(|(_, at)| state::slot_at(arena, at))
                .map(|s| &s.header[IDLE..=IDLE])
        }
        GET_PROTOCOL if req.value == 0 && itf.boot != BootProtocol::None => {
            state::itf_header(arena, desc.hid, i).map(|h| &h[..1])
        }
        _ => None,
    };
    let _ = match answer {
        Some(bytes) => xfer.accept_with(bytes),
        None => xfer.reject(),
    };
}

/// The stored bytes of a report found by [`report`].
#[inline(always)]
fn stored(arena: &mut [u8], found: Option<(usize, state::Place)>) -> Option<&[u8]> {
    found
        .and_then(|(_, at)| state::slot_at(arena, at))
        .map(|s| &*s.data)
}

/// Class OUT requests: SET_REPORT, SET_IDLE, SET_PROTOCOL.
pub(crate) fn class_out<B: UsbBus>(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    arena: &mut [u8],
    xfer: ControlOut<B>,
) {
    let req = *xfer.request();
    let Some(i) = find_itf(desc, req.index) else {
        return;
    };
    let ok = match req.request {
        SET_REPORT => set_report(desc, direct, arena, i, &req, xfer.data()),
        SET_IDLE if req.length == 0 => set_idle(desc, direct, arena, i, req.value),
        SET_PROTOCOL
            if req.length == 0 && req.value <= 1 && desc.hid[i].boot != BootProtocol::None =>
        {
            match state::itf_header(arena, desc.hid, i) {
                Some(h) => {
                    h[0] = req.value as u8;
                    true
                }
                None => false,
            }
        }
        _ => false,
    };
    let _ = if ok { xfer.accept() } else { xfer.reject() };
}

fn set_report(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    arena: &mut [u8],
    i: usize,
    req: &Request,
    data: &[u8],
) -> bool {
    let [high, low] = req.value.to_be_bytes();
    // usb-device hands over exactly `wLength` bytes; `store_from_host` checks them against the
    // report's length. With a [`Direct`] table one call per kind, so that each finds its report
    // as a constant; a walk is done once for any kind.
    match (kind_of(high), direct) {
        (Some(kind @ (ReportKind::Output | ReportKind::Feature)), None) => {
            store_from_host(arena, desc, direct, i, kind, Some(low), data)
        }
        (Some(ReportKind::Output), Some(_)) => {
            store_in_place(arena, desc, direct, i, ReportKind::Output, Some(low), data)
        }
        (Some(ReportKind::Feature), Some(_)) => {
            store_in_place(arena, desc, direct, i, ReportKind::Feature, Some(low), data)
        }
        _ => false,
    }
}

/// SET_IDLE: duration (4 ms units) for one report ID, or for every input report when the ID is 0.
#[inline(always)]
fn set_idle(
    desc: &DeviceDescriptors,
    direct: Option<&Direct>,
    arena: &mut [u8],
    i: usize,
    value: u16,
) -> bool {
    let [duration, id] = value.to_be_bytes();
    if direct.is_some() {
        // No report IDs: ID 0 is the interface's one input report, any other ID none.
        return match report(desc, direct, i, ReportKind::Input, id)
            .and_then(|(_, at)| state::slot_at(arena, at))
        {
            Some(mut s) => {
                s.set_idle(duration);
                true
            }
            None => false,
        };
    }
    let mut hit = false;
    for (_, info, at) in state::places(desc.hid, i) {
        if info.kind == ReportKind::Input && (id == 0 || info.id == id) {
            if let Some(mut s) = state::slot_at(arena, at) {
                s.set_idle(duration);
                hit = true;
            }
        }
    }
    hit
}
