//! Standard GET_DESCRIPTOR (device recipient) and the MS OS 2.0 vendor request, answered with the
//! compiled bytes verbatim. usb-device calls classes' `control_in` before its own handling, so
//! these answers win over the builder's generated descriptors.
//!
//! The answering functions are `#[inline]` so that they are optimised inside the class's
//! `control_in`, where a compile-time device (`DeviceSource::DEVICE`) is a constant: each answer
//! then is a constant slice. Optimised on their own (with `desc` a parameter) the answers'
//! lengths are merged into one load from a selected table address, which a later constant
//! device cannot fold, and the whole `DeviceDescriptors` value stays in flash.

use usb_device::bus::UsbBus;
use usb_device::class::ControlIn;
use usb_device::control::{Recipient, Request, RequestType};

use crate::model::DeviceDescriptors;

use usb_device::descriptor::descriptor_type::{BOS, CONFIGURATION, DEVICE, STRING};

// Descriptor types usb-device does not name (USB 2.0 table 9-5).
const DEVICE_QUALIFIER: u8 = 6;
const OTHER_SPEED_CONFIGURATION: u8 = 7;

/// What to do with a device-level IN request.
pub(crate) enum Answer {
    Bytes(&'static [u8]),
    Stall,
    /// Not ours: leave it to other classes and the stack.
    Pass,
}

/// `strings`: how `desc.strings` is laid out ([`string_layout`], a constant for a compile-time
/// device), which lets [`string`] find its answer in one walk or without one.
#[inline]
pub(crate) fn answer(desc: &DeviceDescriptors, strings: Strings, req: &Request) -> Answer {
    match (req.request_type, req.recipient) {
        (RequestType::Standard, Recipient::Device) if req.request == Request::GET_DESCRIPTOR => {
            standard(desc, strings, req)
        }
        (RequestType::Vendor, Recipient::Device) => vendor(desc, req),
        _ => Answer::Pass,
    }
}

/// The compiled vendor descriptors (MS OS 2.0 set on wIndex 7, WebUSB GET_URL on wIndex 2, on
/// their vendor codes, which may be the same); anything else on those codes STALLs, other codes
/// are left to other classes.
#[inline]
fn vendor(desc: &DeviceDescriptors, req: &Request) -> Answer {
    let mut ours = false;
    for v in desc.vendor.iter().filter(|v| v.request == req.request) {
        ours = true;
        if req.index == v.index && req.value == v.value {
            return Answer::Bytes(v.bytes);
        }
    }
    if ours {
        Answer::Stall
    } else {
        Answer::Pass
    }
}

#[inline]
fn standard(desc: &DeviceDescriptors, strings: Strings, req: &Request) -> Answer {
    let (dtype, dindex) = req.descriptor_type_index();
    let only = |bytes: Option<&'static [u8]>| match bytes {
        Some(b) if dindex == 0 && req.index == 0 => Answer::Bytes(b),
        _ => Answer::Stall,
    };
    match dtype {
        DEVICE => only(Some(desc.device)),
        CONFIGURATION => only(Some(desc.configuration)),
        DEVICE_QUALIFIER => only(desc.device_qualifier),
        OTHER_SPEED_CONFIGURATION => only(desc.other_speed_configuration),
        BOS => only(desc.bos),
        STRING => string(desc, strings, dindex, req.index),
        _ => Answer::Stall,
    }
}

/// An index we declare is answered (exact language, or the first language when the host sends
/// LANGID 0) or STALLed (unknown language); an index we do not declare is left to the builder
/// (manufacturer/product/serial) or a built-in driver.
#[inline]
fn string(desc: &DeviceDescriptors, strings: Strings, index: u8, langid: u16) -> Answer {
    if strings != Strings::Any {
        // The index's only string: the same answers as the walks below.
        let only = match strings {
            Strings::Dense => desc.strings.get(usize::from(index)),
            _ => desc.strings.iter().find(|s| s.index == index),
        };
        return match only {
            None => Answer::Pass,
            Some(s) if index == 0 || s.langid == langid || langid == 0 => Answer::Bytes(s.bytes),
            Some(_) => Answer::Stall,
        };
    }
    let mut of_index = desc.strings.iter().filter(|s| s.index == index);
    let Some(first) = of_index.clone().next() else {
        return Answer::Pass;
    };
    if index == 0 {
        return Answer::Bytes(first.bytes);
    }
    match of_index.find(|s| s.langid == langid) {
        Some(s) => Answer::Bytes(s.bytes),
        None if langid == 0 => Answer::Bytes(first.bytes),
        None => Answer::Stall,
    }
}

/// How a device's string table is laid out, for [`string`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strings {
    /// Any table: an index may have several languages.
    Any,
    /// No string index appears twice (one language).
    Unique,
    /// Entry k is index k (so no index appears twice either): a lookup instead of a walk.
    Dense,
}

/// [`Strings`] of `desc`.
pub(crate) const fn string_layout(desc: &DeviceDescriptors) -> Strings {
    let s = desc.strings;
    let mut dense = true;
    let mut a = 0;
    while a < s.len() {
        dense &= s[a].index as usize == a;
        let mut b = a + 1;
        while b < s.len() {
            if s[a].index == s[b].index {
                return Strings::Any;
            }
            b += 1;
        }
        a += 1;
    }
    if dense {
        Strings::Dense
    } else {
        Strings::Unique
    }
}

/// Sends `answer` (one call site for every static answer).
pub(crate) fn send<B: UsbBus>(answer: Answer, xfer: ControlIn<B>) {
    let _ = match answer {
        Answer::Bytes(b) => xfer.accept_with_static(b),
        Answer::Stall => xfer.reject(),
        Answer::Pass => Ok(()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StringDescriptor;

    fn layout(strings: &'static [StringDescriptor]) -> Strings {
        string_layout(&DeviceDescriptors {
            strings,
            ..crate::model::EMPTY
        })
    }

    const fn s(index: u8, langid: u16) -> StringDescriptor {
        StringDescriptor { index, langid, bytes: &[2, 3] }
    }

    #[test]
    fn string_layouts() {
        static DENSE: [StringDescriptor; 3] = [s(0, 0), s(1, 0x409), s(2, 0x409)];
        static GAP: [StringDescriptor; 3] = [s(0, 0), s(1, 0x409), s(4, 0x409)];
        static TWO_LANGUAGES: [StringDescriptor; 3] = [s(0, 0), s(1, 0x409), s(1, 0x407)];
        assert!(layout(&DENSE) == Strings::Dense);
        assert!(layout(&GAP) == Strings::Unique);
        assert!(layout(&TWO_LANGUAGES) == Strings::Any);
    }
}
