//! Per-interface and per-report state kept in one fixed byte arena (no alloc).
//!
//! Layout, walking `DeviceDescriptors::hid` in order: for each HID interface an
//! [`ITF_HEADER`]-byte header `[protocol, 0]`, then for each of its reports a
//! [`REPORT_HEADER`]-byte header `[flags, idle_rate, countdown_lo, countdown_hi]` followed by the
//! report's `len` bytes (ID byte first when the report has an ID).

use crate::model::{BootProtocol, HidInterface, ReportInfo, ReportKind};

pub(crate) const ITF_HEADER: usize = 2;
pub(crate) const REPORT_HEADER: usize = 4;
/// Index of the idle rate in a report header.
pub(crate) const IDLE: usize = 1;

/// HID protocol values (HID 1.11 §7.2.5).
pub(crate) const PROTOCOL_BOOT: u8 = 0;
pub(crate) const PROTOCOL_REPORT: u8 = 1;

/// The host wrote this output/feature report and the application has not read it yet.
pub(crate) const FLAG_PENDING: u8 = 1;
/// This input report has been sent at least once (idle repeat may resend it).
pub(crate) const FLAG_SENT: u8 = 2;

/// Default idle rate (units of 4 ms): 500 ms for boot keyboards (HID 1.11 §7.2.4), else infinite.
pub(crate) const fn default_idle(itf: &HidInterface) -> u8 {
    match itf.boot {
        BootProtocol::Keyboard => 125,
        _ => 0,
    }
}

/// Header bytes 1..4 for idle rate `rate` (4 ms units) with its period just restarted:
/// `[idle_rate, countdown_lo, countdown_hi]`, the countdown in milliseconds.
const fn idle_bytes(rate: u8) -> [u8; 3] {
    let [lo, hi] = (rate as u16 * 4).to_le_bytes();
    [rate, lo, hi]
}

/// Byte offset of interface `i`'s header inside the arena (one walk over the tables; `r` =
/// `usize::MAX` stops at the interface header, else at report `r`'s header).
const fn offset(hid: &[HidInterface], i: usize, r: usize) -> usize {
    let mut off = 0;
    let mut k = 0;
    while k < hid.len() {
        if k == i && r == usize::MAX {
            return off;
        }
        off += ITF_HEADER;
        let reports = hid[k].reports;
        let mut q = 0;
        while q < reports.len() {
            if k == i && q == r {
                return off;
            }
            off += REPORT_HEADER + reports[q].len as usize;
            q += 1;
        }
        k += 1;
    }
    off
}

/// Byte offset of interface `i`'s header inside the arena.
pub(crate) fn itf_offset(hid: &[HidInterface], i: usize) -> usize {
    offset(hid, i, usize::MAX)
}

/// Where report `r` of interface `i` lives in the arena: its header's offset and its length.
/// A constant for a compile-time device's typed reports (see `UsbdescClass::locate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub off: usize,
    pub len: usize,
}

/// Every report of interface `i` with its [`Place`], in order: one walk that sums the offsets as
/// it goes (finding a report and its state costs no second walk).
pub(crate) fn places(hid: &[HidInterface], i: usize) -> Places<'_> {
    Places {
        reports: match hid.get(i) {
            Some(itf) => itf.reports,
            None => &[],
        },
        r: 0,
        off: itf_offset(hid, i) + ITF_HEADER,
    }
}

/// See [`places`].
pub(crate) struct Places<'t> {
    reports: &'t [ReportInfo],
    r: usize,
    off: usize,
}

impl<'t> Iterator for Places<'t> {
    /// (report index, its table entry, its state).
    type Item = (usize, &'t ReportInfo, Place);

    fn next(&mut self) -> Option<Self::Item> {
        let info = self.reports.get(self.r)?;
        let at = Place {
            off: self.off,
            len: info.len as usize,
        };
        self.off += REPORT_HEADER + at.len;
        self.r += 1;
        Some((self.r - 1, info, at))
    }
}

/// The [`Place`] of report `r` of interface `i`, `None` when there is no such report.
pub(crate) const fn place(hid: &[HidInterface], i: usize, r: usize) -> Option<Place> {
    if i >= hid.len() || r >= hid[i].reports.len() {
        return None;
    }
    Some(Place {
        off: offset(hid, i, r),
        len: hid[i].reports[r].len as usize,
    })
}

/// A view of one report's state.
pub(crate) struct Slot<'s> {
    pub header: &'s mut [u8; REPORT_HEADER],
    pub data: &'s mut [u8],
}

impl Slot<'_> {
    pub fn flags(&self) -> u8 {
        self.header[0]
    }
    pub fn set_flag(&mut self, f: u8, on: bool) {
        if on {
            self.header[0] |= f;
        } else {
            self.header[0] &= !f;
        }
    }
    pub fn idle(&self) -> u8 {
        self.header[IDLE]
    }
    pub fn countdown(&self) -> u16 {
        u16::from_le_bytes([self.header[2], self.header[3]])
    }
    pub fn set_countdown(&mut self, ms: u16) {
        [self.header[2], self.header[3]] = ms.to_le_bytes();
    }
    /// Replaces the report bytes; false (nothing changed) when `bytes` has another length.
    pub fn store(&mut self, bytes: &[u8]) -> bool {
        if bytes.len() != self.data.len() {
            return false;
        }
        self.data.copy_from_slice(bytes);
        true
    }
    /// Sets the idle rate and restarts the idle period.
    pub fn set_idle(&mut self, rate: u8) {
        let [idle, lo, hi] = idle_bytes(rate);
        [self.header[IDLE], self.header[2], self.header[3]] = [idle, lo, hi];
    }
}

/// Returns the state at `at`, or `None` if the arena is too short.
#[inline(always)]
pub(crate) fn slot_at(arena: &mut [u8], at: Place) -> Option<Slot<'_>> {
    let (header, data) = arena
        .get_mut(at.off..)?
        .get_mut(..REPORT_HEADER + at.len)?
        .split_first_chunk_mut()?;
    Some(Slot { header, data })
}

/// Returns interface `i`'s header bytes.
pub(crate) fn itf_header<'s>(
    arena: &'s mut [u8],
    hid: &[HidInterface],
    i: usize,
) -> Option<&'s mut [u8; ITF_HEADER]> {
    let off = itf_offset(hid, i);
    arena.get_mut(off..)?.first_chunk_mut()
}

/// The state bytes, word-aligned so that clearing them is one aligned `memclr`.
#[repr(C, align(4))]
pub(crate) struct Arena<const N: usize>(pub [u8; N]);

impl<const N: usize> Arena<N> {
    /// The power-on state of every interface and report: report protocol, default idle,
    /// zeroed reports with their ID byte, nothing pending or sent. `const`, so that for
    /// a compile-time device the image is a constant and a bus reset is one copy.
    pub(crate) const fn initial(hid: &[HidInterface]) -> Self {
        let mut a = [0u8; N];
        let mut off = 0;
        let mut i = 0;
        while i < hid.len() {
            let itf = &hid[i];
            if off + ITF_HEADER <= N {
                a[off] = PROTOCOL_REPORT;
            }
            off += ITF_HEADER;
            let mut r = 0;
            while r < itf.reports.len() {
                let info = &itf.reports[r];
                let end = off + REPORT_HEADER + info.len as usize;
                if end <= N {
                    if info.id != 0 && info.len != 0 {
                        a[off + REPORT_HEADER] = info.id;
                    }
                    // The countdown stays 0: nothing reads it before the report is first
                    // sent, which starts it (`tick_ms` skips a report not yet sent).
                    if matches!(info.kind, ReportKind::Input) {
                        a[off + IDLE] = default_idle(itf);
                    }
                }
                off = end;
                r += 1;
            }
            i += 1;
        }
        Arena(a)
    }
}
