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
//! to endpoint 8 to 15. The check is kept for that reason; it is one test in `control_in` and one
//! in `control_out` (usb-device dispatches the two directions to different class methods). For a
//! compile-time device with a few endpoints it compares wIndex with each address as a constant
//! ([`Endpoints::Listed`]: about 40 B on the keyboard firmware for both, where the bit test of
//! [`endpoint_set`] took about 100 B; an out-of-line check shared by both methods measured larger,
//! since the constants no longer fold into each).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointInfo, TransferType};
    use usb_device::control::{Recipient, RequestType};
    use usb_device::UsbDirection;

    const fn ep(address: u8) -> EndpointInfo {
        EndpointInfo {
            address,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Interrupt,
            attributes: 3,
            max_packet_size: 8,
            interval: 10,
            builtin: false,
        }
    }

    fn device(endpoints: &'static [EndpointInfo]) -> DeviceDescriptors {
        DeviceDescriptors {
            endpoints,
            ..crate::model::EMPTY
        }
    }

    fn request(recipient: Recipient, index: u16) -> Request {
        Request {
            direction: UsbDirection::In,
            request_type: RequestType::Standard,
            recipient,
            request: Request::GET_STATUS,
            value: 0,
            index,
            length: 2,
        }
    }

    /// The listed addresses and the bit set give the same answer for every wIndex.
    #[test]
    fn listed_endpoints_agree_with_the_bit_set() {
        static FEW: [EndpointInfo; 3] = [ep(0x81), ep(0x02), ep(0x81)];
        static MANY: [EndpointInfo; 6] = [ep(0x81), ep(0x02), ep(0x83), ep(0x04), ep(0x85), ep(0x06)];
        for (eps, listed) in [(&FEW[..], true), (&MANY[..], false)] {
            let desc = device(eps);
            let e = endpoints(&desc);
            assert_eq!(matches!(e, Endpoints::Listed(..)), listed);
            let set = Endpoints::Set(endpoint_set(&desc));
            for index in 0..=0x1ffu16 {
                for recipient in [Recipient::Interface, Recipient::Endpoint, Recipient::Device] {
                    let r = request(recipient, index);
                    assert_eq!(
                        unknown_target(2, e, &r),
                        unknown_target(2, set, &r),
                        "{recipient:?} wIndex {index:#x}"
                    );
                }
            }
            let r = |i| unknown_target(2, e, &request(Recipient::Endpoint, i));
            assert!(!r(0x00) && !r(0x80) && !r(0x81) && !r(0x02));
            assert!(r(0x01) && r(0x82) && r(0x181) && r(0x0f));
        }
    }
}
