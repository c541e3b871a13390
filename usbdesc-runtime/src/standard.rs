//! Standard requests naming an interface or endpoint the device does not have: STALL.
//!
//! usb-device 0.3.2 offers every control request to the classes before its own handling
//! (`device.rs`, `control_in`/`control_out`), so the class sees these first. Left to it,
//! usb-device accepts any number: GET_STATUS (interface: 0; endpoint: the bus's halt bit),
//! GET_INTERFACE (0), SET_INTERFACE (alternate setting 0), and SET_FEATURE / CLEAR_FEATURE
//! (ENDPOINT_HALT), which go straight to `UsbBus::is_stalled` / `set_stalled` with wIndex & 0x8f.
//! USB 2.0 §9.4 wants a Request Error (STALL) for an interface or endpoint that does not exist.
//! On a SAMD21 it is worse than a wrong answer: atsamd-hal 0.23.4's `is_stalled` unwraps the
//! bank of the endpoint (`bank0(ep).unwrap()`, an error for an endpoint that is not configured)
//! and indexes an 8-entry table with the endpoint number (up to 15 here), so by its source a
//! GET_STATUS to a missing endpoint panics the firmware, as does SET/CLEAR_FEATURE(ENDPOINT_HALT)
//! to endpoint 8 to 15. The check costs flash (about 90 B on the keyboard firmware: one test in
//! `control_in` and one in `control_out`, since usb-device dispatches the two directions to
//! different class methods); it is kept for that reason.
//!
//! What the class never sees, because usb-device answers or drops it first: a SETUP packet it
//! cannot parse, and a control OUT whose data stage is longer than its 128-byte control buffer
//! (`control_pipe.rs`, `handle_setup` returns `None` without a state change or a STALL).
//! usb-device then reads the first data packet into an empty buffer to discard it and STALLs
//! only if that read succeeds (`handle_out`: `self.ep_out.read(&mut [])?` then `set_error`).
//! `usbdesc-usbip`'s bus discards the packet and returns `Ok(0)`, so the host sees a STALL at
//! once. atsamd-hal 0.23.4 frees the bank but returns `BufferOverflow`, so the `?` returns before
//! the STALL; the status stage then gets NAKs until the host times out (Linux: 5 s). No class
//! can change that: the fix belongs in usb-device (STALL in `handle_setup` when the data stage
//! does not fit) or in the HAL's `read`.

use usb_device::control::{Recipient, Request};

use crate::model::DeviceDescriptors;

/// The endpoints `desc` has, as a bit set: bit n for OUT endpoint n, bit 16 + n for IN endpoint
/// n; endpoint 0 both ways always.
pub(crate) const fn endpoint_set(desc: &DeviceDescriptors) -> u32 {
    let mut set = 1 | 1 << 16;
    let mut k = 0;
    while k < desc.endpoints.len() {
        let a = desc.endpoints[k].address;
        set |= 1 << ((a & 0x0f) + if a & 0x80 != 0 { 16 } else { 0 });
        k += 1;
    }
    set
}

/// How many endpoint addresses [`Endpoints::Listed`] holds.
const LISTED: usize = 4;

/// The endpoints a device has, as [`unknown_target`] tests them.
#[derive(Clone, Copy)]
pub(crate) enum Endpoints {
    /// Every address besides endpoint 0's (the first `.1` entries), when there are at most
    /// [`LISTED`]: for a compile-time device the test is a compare per address with a constant,
    /// less code than the bit test.
    Listed([u8; LISTED], usize),
    /// [`endpoint_set`].
    Set(u32),
}

/// [`Endpoints`] of `desc` (each address once; alternate settings may repeat one).
pub(crate) const fn endpoints(desc: &DeviceDescriptors) -> Endpoints {
    let mut list = [0u8; LISTED];
    let mut n = 0;
    let mut k = 0;
    while k < desc.endpoints.len() {
        let a = desc.endpoints[k].address;
        k += 1;
        let mut seen = a & 0x7f == 0;
        let mut j = 0;
        while j < n {
            seen |= list[j] == a;
            j += 1;
        }
        if seen {
            continue;
        }
        if n == LISTED {
            return Endpoints::Set(endpoint_set(desc));
        }
        list[n] = a;
        n += 1;
    }
    Endpoints::Listed(list, n)
}

/// True when the standard request `req` names an interface or endpoint the device does not
/// have. `interfaces`: the number of interfaces, numbered from 0 without gaps (`init::interfaces`
/// checks that usb-device hands out exactly the compiled numbers).
#[inline]
pub(crate) fn unknown_target(interfaces: usize, endpoints: Endpoints, req: &Request) -> bool {
    let i = req.index;
    match req.recipient {
        Recipient::Interface => usize::from(i) >= interfaces,
        Recipient::Endpoint => match endpoints {
            Endpoints::Listed(list, n) => {
                i & !0x80 != 0 && !list.iter().take(n).any(|&a| u16::from(a) == i)
            }
            Endpoints::Set(set) => {
                i & !0x8f != 0
                    || set & 1 << ((i & 0x0f) + if i & 0x80 != 0 { 16 } else { 0 }) == 0
            }
        },
        _ => false,
    }
}
