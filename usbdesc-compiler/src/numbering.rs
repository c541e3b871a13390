//! Automatic numbering in declaration order: interface numbers, endpoint numbers and string
//! indices. Explicit numbers are kept as written (`check::numbering` validates them); automatic ones
//! start after the built-in driver's `itf_max`, `ep_max` and `str_max`.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

/// More than 255 strings (indices are one byte).
pub const STRING_INDEX: &str = "UD2005";

/// Number allocator for one configuration.
pub struct Allocator {
    next_itf: u16,
    /// Interface number of the most recent interface (alternate settings without a number reuse it).
    current_itf: Option<u8>,
    next_in: u16,
    next_out: u16,
    /// Endpoint counters when the current interface's alternate setting 0 began.
    itf_start: (u16, u16),
    /// Highest counters reached by any alternate setting of the current interface.
    itf_high: (u16, u16),
    /// Whether running out of interface numbers was reported.
    exhausted_reported: bool,
}

impl Allocator {
    pub fn new(builtin: Option<&Builtin>) -> Self {
        let (itf, ep) = builtin.map(|b| (b.itf_max as u16, b.ep_max.max(1) as u16)).unwrap_or((0, 1));
        Allocator { next_itf: itf, current_itf: None, next_in: ep, next_out: ep, itf_start: (ep, ep), itf_high: (ep, ep), exhausted_reported: false }
    }
    /// The number the next new interface would get.
    pub fn next_interface(&self) -> u8 {
        self.next_itf.min(255) as u8
    }
    /// Number for an interface declaration; `None` when it needs a new number and 0..=255 are
    /// used up (interface numbers are one byte).
    pub fn interface(&mut self, explicit: Option<u8>, alternate: u8) -> Option<u8> {
        let reuse = alternate > 0 && explicit.is_none_or(|n| Some(n) == self.current_itf);
        let number = match (explicit, reuse, self.current_itf) {
            (_, true, Some(cur)) => cur,
            (Some(n), _, _) => n,
            (None, _, _) if self.next_itf > 255 => return None,
            (None, _, _) => self.next_interface(),
        };
        if reuse && self.current_itf.is_some() {
            // Another alternate setting: its endpoints may reuse the addresses of the others.
            self.itf_high = (self.itf_high.0.max(self.next_in), self.itf_high.1.max(self.next_out));
            (self.next_in, self.next_out) = self.itf_start;
        } else {
            self.itf_high = (self.itf_high.0.max(self.next_in), self.itf_high.1.max(self.next_out));
            (self.next_in, self.next_out) = self.itf_high;
            self.itf_start = (self.next_in, self.next_out);
            self.itf_high = self.itf_start;
        }
        self.current_itf = Some(number);
        self.next_itf = self.next_itf.max(number as u16 + 1);
        Some(number)
    }
    /// `true` the first time it is asked after [`Self::interface`] ran out of numbers, so the
    /// caller reports it once.
    pub fn report_exhausted(&mut self) -> bool {
        !std::mem::replace(&mut self.exhausted_reported, true)
    }
    /// Number for an endpoint declaration.
    pub fn endpoint(&mut self, explicit: Option<u8>, dir: Direction) -> u8 {
        let counter = match dir {
            Direction::In => &mut self.next_in,
            Direction::Out => &mut self.next_out,
        };
        match explicit {
            Some(n) => {
                *counter = (*counter).max(n as u16 + 1);
                n
            }
            None => {
                let n = *counter;
                *counter = counter.saturating_add(1);
                // Numbers above 15 do not exist; `check::numbering` reports the overflow.
                n.min(255) as u8
            }
        }
    }
}

/// The walk over every string reference of a device, in declaration order, written once for
/// shared (`str_refs`) and exclusive (`str_refs_mut`) access.
macro_rules! str_refs_walk {
    ($dev:expr, $iter:ident, $($m:ident)?) => {{
        let dev = $dev;
        let mut v = vec![&$($m)? dev.manufacturer, &$($m)? dev.product, &$($m)? dev.serial];
        for c in dev.configurations.$iter() {
            v.push(&$($m)? c.name);
            for item in c.items.$iter() {
                match item {
                    ConfigItem::Association(a) => v.push(&$($m)? a.name),
                    ConfigItem::Interface(i) => {
                        v.push(&$($m)? i.name);
                        for it in i.items.$iter() {
                            if let InterfaceItem::Class(x) = it {
                                v.extend(str_refs_walk!(@name x $($m)?));
                            }
                        }
                    }
                    ConfigItem::Raw(_) => {}
                }
            }
        }
        v
    }};
    (@name $x:ident mut) => { $x.strings_mut() };
    (@name $x:ident) => { $x.strings() };
}

/// Every string reference of the device, in declaration order.
pub fn str_refs_mut(dev: &mut Device) -> Vec<&mut StrRef> {
    str_refs_walk!(dev, iter_mut, mut)
}

/// Every string reference of the device (shared).
pub fn str_refs(dev: &Device) -> Vec<&StrRef> {
    str_refs_walk!(dev, iter,)
}

/// Give every string with text an index (equal texts share one), starting at 1 or the built-in
/// `str_max`, skipping indices written explicitly.
pub fn assign_strings(dev: &mut Device, d: &mut Diagnostics) {
    let start = dev.builtin.as_ref().map(|b| b.str_max.max(1)).unwrap_or(1) as u16;
    let taken: Vec<u8> = str_refs(dev).iter().filter(|s| s.text.is_none() && s.index != 0).map(|s| s.index).collect();
    let mut strings: Vec<StringDesc> = Vec::new();
    let mut next = start;
    let mut overflow_reported = false;
    for r in str_refs_mut(dev) {
        let Some(text) = r.text.clone() else { continue };
        if let Some(s) = strings.iter().find(|s| s.text == text) {
            r.index = s.index;
            continue;
        }
        while taken.contains(&(next.min(255) as u8)) && next <= 255 {
            next += 1;
        }
        if next > 255 {
            if !overflow_reported {
                d.push(
                    Diagnostic::error(STRING_INDEX, "more than 255 strings: string indices are one byte")
                        .at(r.span)
                        .help("share texts between descriptors, or drop some names"),
                );
                overflow_reported = true;
            }
            continue;
        }
        r.index = next as u8;
        strings.push(StringDesc { index: next as u8, text, translations: Default::default() });
        next += 1;
    }
    dev.strings = strings;
}
