//! USB Audio 2.0 clock requests: what a host asks while binding a UAC2 device (UAC2 §5.2.2,
//! §5.2.5.1), answered from the declaration.
//!
//! [`Uac2Clocks`] is a `usb-device` class of its own, polled next to [`crate::UsbdescClass`]
//! (which serves the descriptors and the alternate settings and leaves class requests to
//! non-HID interfaces alone). A device without audio never names it, so its code and tables are
//! not in that firmware at all.
//!
//! The clock table comes with the device: `include_device!` of a UAC2 declaration generates
//! `AUDIO_CLOCKS` and `AUDIO_CLOCK_COUNT`, so firmware writes
//! `Uac2Clocks::<device::AUDIO_CLOCK_COUNT>::new(&device::AUDIO_CLOCKS)` and states no rate twice.
//!
//! Answered, for every declared clock source (`wIndex` = clock ID << 8 | AudioControl interface):
//! * GET CUR / RANGE of the sampling frequency (`wValue` = SAM_FREQ_CONTROL << 8): the current
//!   rate (4 bytes) and one subrange per declared rate (min = max = rate, resolution 0);
//! * GET CUR of clock validity (CLOCK_VALID_CONTROL): 1 (the clock is valid);
//! * SET CUR of the sampling frequency when the clock's frequency control is host programmable
//!   (`bmControls` bits 1..0 = 0b11) and the rate is one of the declared ones.
//!
//! Every other class request to an AudioControl interface of a declared clock STALLs (feature
//! unit, selector and terminal controls included: Linux's snd-usb-audio then leaves that control
//! out of the mixer). Requests to other interfaces are left to the other classes.

use usb_device::bus::UsbBus;
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::{Recipient, RequestType};

/// UAC2 §A.14 request codes.
const CUR: u8 = 0x01;
const RANGE: u8 = 0x02;
/// UAC2 §A.17.1 clock source control selectors.
const SAM_FREQ_CONTROL: u8 = 0x01;
const CLOCK_VALID_CONTROL: u8 = 0x02;
/// Subranges one RANGE answer holds with usb-device's default 128-byte control buffer (2 + 12 × 10
/// bytes). The answer fills whatever buffer usb-device was built with: its `control-buffer-256`
/// feature gives 21.
pub const MAX_RATES: usize = 10;

/// One clock source entity of a UAC2 AudioControl interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioClock {
    /// `bInterfaceNumber` of the AudioControl interface that holds the clock.
    pub interface: u8,
    /// `bClockID`.
    pub clock_id: u8,
    /// `bmControls` of the clock source descriptor (bits 1..0 frequency, 3..2 validity:
    /// 0b01 read-only, 0b11 host programmable).
    pub controls: u8,
    /// The sampling frequencies it runs at, in Hz; the first is the power-on rate (at most
    /// [`MAX_RATES`]).
    pub rates: &'static [u32],
}

/// The clock sources of a UAC2 device and their current sampling frequencies (`N`: at least
/// the number of clocks; a clock beyond `N` answers its first rate and refuses SET CUR).
#[derive(Debug)]
pub struct Uac2Clocks<const N: usize = 2> {
    clocks: &'static [AudioClock],
    current: [u32; N],
}

impl<const N: usize> Uac2Clocks<N> {
    pub fn new(clocks: &'static [AudioClock]) -> Self {
        let mut c = Uac2Clocks { clocks, current: [0; N] };
        c.power_on();
        c
    }

    /// The current sampling frequency of clock `clock_id` (what the host last set, else the
    /// first declared rate).
    pub fn rate(&self, clock_id: u8) -> Option<u32> {
        let k = self.clocks.iter().position(|c| c.clock_id == clock_id)?;
        Some(self.current_of(k))
    }

    fn power_on(&mut self) {
        for (slot, c) in self.current.iter_mut().zip(self.clocks) {
            *slot = c.rates.first().copied().unwrap_or(0);
        }
    }

    fn current_of(&self, k: usize) -> u32 {
        match self.current.get(k) {
            Some(r) => *r,
            None => self.clocks[k].rates.first().copied().unwrap_or(0),
        }
    }

    /// The clock a class request to an interface addresses: `Some(Some(k))` for clock `k`,
    /// `Some(None)` for another entity of an AudioControl interface that holds a clock (to
    /// STALL), `None` for a request that is not ours.
    fn target(&self, request_type: RequestType, recipient: Recipient, index: u16) -> Option<Option<usize>> {
        if (request_type, recipient) != (RequestType::Class, Recipient::Interface) {
            return None;
        }
        let [entity, interface] = index.to_be_bytes();
        if !self.clocks.iter().any(|c| c.interface == interface) {
            return None;
        }
        Some(self.clocks.iter().position(|c| c.interface == interface && c.clock_id == entity))
    }
}

/// The RANGE answer of a rate list (UAC2 §5.2.3.3, layout 3 parameter block): wNumSubRanges, then
/// (dMIN, dMAX, dRES) per subrange, as many rates as `buf` (usb-device's control buffer) holds.
/// Returns the length written; `None` (STALL) when not even one rate fits.
fn range(rates: &[u32], buf: &mut [u8]) -> Option<usize> {
    let n = rates.len().min(buf.len().saturating_sub(2) / 12);
    if n == 0 && !rates.is_empty() {
        return None;
    }
    let len = 2 + 12 * n;
    let out = buf.get_mut(..len)?;
    out[..2].copy_from_slice(&(n as u16).to_le_bytes());
    for (k, r) in rates[..n].iter().enumerate() {
        let at = 2 + 12 * k;
        out[at..at + 4].copy_from_slice(&r.to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&r.to_le_bytes());
        out[at + 8..at + 12].copy_from_slice(&0u32.to_le_bytes());
    }
    Some(len)
}

impl<B: UsbBus, const N: usize> UsbClass<B> for Uac2Clocks<N> {
    fn reset(&mut self) {
        self.power_on();
    }

    fn control_in(&mut self, xfer: ControlIn<B>) {
        let req = *xfer.request();
        let Some(target) = self.target(req.request_type, req.recipient, req.index) else {
            return;
        };
        let [selector, channel] = req.value.to_be_bytes();
        let answer = match target {
            Some(k) if channel == 0 => match (req.request, selector) {
                (CUR, SAM_FREQ_CONTROL) => Some(Answer::Rate(self.current_of(k))),
                (RANGE, SAM_FREQ_CONTROL) => Some(Answer::Range(self.clocks[k].rates)),
                (CUR, CLOCK_VALID_CONTROL) => Some(Answer::Valid),
                _ => None,
            },
            _ => None,
        };
        let _ = match answer {
            Some(Answer::Rate(r)) => xfer.accept_with(&r.to_le_bytes()),
            Some(Answer::Valid) => xfer.accept_with(&[1]),
            Some(Answer::Range(rates)) => xfer.accept(|buf| range(rates, buf).ok_or(usb_device::UsbError::BufferOverflow)),
            None => xfer.reject(),
        };
    }

    fn control_out(&mut self, xfer: ControlOut<B>) {
        let req = *xfer.request();
        let Some(target) = self.target(req.request_type, req.recipient, req.index) else {
            return;
        };
        let [selector, channel] = req.value.to_be_bytes();
        let set = match (target, xfer.data()) {
            (Some(k), &[a, b, c, d]) if req.request == CUR && selector == SAM_FREQ_CONTROL && channel == 0 => {
                let clock = &self.clocks[k];
                let rate = u32::from_le_bytes([a, b, c, d]);
                match self.current.get_mut(k) {
                    Some(slot) if clock.controls & 3 == 3 && clock.rates.contains(&rate) => {
                        *slot = rate;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        let _ = if set { xfer.accept() } else { xfer.reject() };
    }
}

enum Answer {
    Rate(u32),
    Range(&'static [u32]),
    Valid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_lists_one_subrange_per_rate() {
        let mut buf = [0u8; 128];
        let n = range(&[44_100, 48_000], &mut buf).unwrap();
        assert_eq!(n, 26);
        assert_eq!(&buf[..2], &[2, 0]);
        assert_eq!(&buf[2..14], &[0x44, 0xac, 0, 0, 0x44, 0xac, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&buf[14..18], &48_000u32.to_le_bytes());
        assert_eq!(range(&[48_000; 11], &mut buf), Some(2 + 12 * MAX_RATES));
        assert_eq!(buf[..2], [MAX_RATES as u8, 0]);
        // usb-device's `control-buffer-256`: 21 subranges.
        let mut big = [0u8; 256];
        assert_eq!(range(&[48_000; 30], &mut big), Some(2 + 12 * 21));
        assert_eq!(big[..2], [21, 0]);
        assert_eq!(range(&[48_000], &mut [0u8; 10]), None);
        assert_eq!(range(&[], &mut [0u8; 1]), None);
        assert_eq!(range(&[], &mut [0u8; 2]), Some(2));
    }
}
