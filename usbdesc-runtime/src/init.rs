//! Initialisation: structural checks of the compiled bytes, interface/string number verification
//! and endpoint allocation at the compiled addresses.

use usb_device::bus::{UsbBus, UsbBusAllocator};
use usb_device::endpoint::{EndpointAddress, EndpointIn, EndpointOut};

use crate::error::InitError;
use crate::model::DeviceDescriptors;

/// What [`crate::UsbdescClass::new`] can decide from the tables alone, before touching the
/// allocator. `const`, so that for a compile-time device ([`crate::DeviceSource`]) the whole plan is
/// one constant and none of these table walks is in the firmware.
#[derive(Clone, Copy)]
pub(crate) struct Plan {
    /// The structural checks of the bytes and of the state size.
    pub check: Result<(), InitError>,
    /// The string indices ≥ 4 we serve: (first index usb-device must hand out, lowest, highest).
    pub strings: Option<(u8, u8, u8)>,
    /// Our interface numbers; `None` when every interface is built-in.
    pub interfaces: Option<Ours>,
}

/// Our (non-built-in) interface numbers, in the order [`interfaces`] checks them against the
/// numbers usb-device hands out.
#[derive(Clone, Copy)]
pub(crate) struct Ours {
    /// The lowest number and how many follow it without a gap (itself included).
    first: u8,
    run: u8,
    /// The number after the first gap, if there is one: usb-device hands out numbers without
    /// gaps, so allocation fails there.
    gap: Option<u8>,
    /// `[builtin] itf_max`: the number the first of ours must get.
    itf_max: Option<u8>,
}

pub(crate) const fn plan(desc: &DeviceDescriptors, state: usize) -> Plan {
    Plan {
        check: check(desc, state),
        strings: string_range(desc),
        interfaces: ours(desc),
    }
}

/// [`Plan::interfaces`]: one walk over the interface table (ascending numbers).
const fn ours(desc: &DeviceDescriptors) -> Option<Ours> {
    let mut o: Option<Ours> = None;
    let mut k = 0;
    while k < desc.interfaces.len() {
        let itf = &desc.interfaces[k];
        k += 1;
        if itf.builtin {
            continue;
        }
        o = match o {
            None => Some(Ours {
                first: itf.number,
                run: 1,
                gap: None,
                itf_max: match desc.builtin {
                    Some(b) => Some(b.itf_max),
                    None => None,
                },
            }),
            Some(mut x) => {
                if x.gap.is_none() {
                    if itf.number as usize == x.first as usize + x.run as usize {
                        x.run += 1;
                    } else {
                        x.gap = Some(itf.number);
                    }
                }
                Some(x)
            }
        };
    }
    o
}

const fn check(desc: &DeviceDescriptors, state: usize) -> Result<(), InitError> {
    let d = desc.device;
    if d.len() != 18 || d[0] != 18 || d[1] != 1 {
        return Err(InitError::BadDeviceDescriptor);
    }
    let c = desc.configuration;
    let ok = c.len() >= 9
        && c[0] == 9
        && c[1] == 2
        && u16::from_le_bytes([c[2], c[3]]) as usize == c.len()
        && c[5] == 1;
    if !ok {
        return Err(InitError::BadConfiguration);
    }
    let needed = desc.state_len();
    if needed > state {
        return Err(InitError::StateTooSmall {
            needed,
            have: state,
        });
    }
    Ok(())
}

const fn string_range(desc: &DeviceDescriptors) -> Option<(u8, u8, u8)> {
    let mut range: Option<(u8, u8)> = None;
    let mut k = 0;
    while k < desc.strings.len() {
        let i = desc.strings[k].index;
        k += 1;
        if i < 4 {
            continue;
        }
        range = match range {
            Some((lo, hi)) => Some((if i < lo { i } else { lo }, if i > hi { i } else { hi })),
            None => Some((i, i)),
        };
    }
    let Some((lo, hi)) = range else {
        return None;
    };
    let expected = match desc.builtin {
        Some(b) if b.str_max >= 4 => b.str_max,
        _ => lo,
    };
    Some((expected, lo, hi))
}

/// Allocates one interface number per non-built-in interface ([`Ours`], from [`plan`]) and checks
/// each equals the compiled one.
pub(crate) fn interfaces<B: UsbBus>(
    alloc: &UsbBusAllocator<B>,
    ours: Option<Ours>,
) -> Result<(), InitError> {
    let Some(o) = ours else {
        return Ok(());
    };
    for k in 0..o.run {
        let expected = o.first.wrapping_add(k);
        let got = u8::from(alloc.interface());
        if got != expected {
            return Err(InitError::InterfaceMismatch { expected, got });
        }
        match o.itf_max {
            Some(expected) if k == 0 && expected != got => {
                return Err(InitError::InterfaceMismatch { expected, got });
            }
            _ => {}
        }
    }
    match o.gap {
        Some(expected) => Err(InitError::InterfaceMismatch {
            expected,
            got: u8::from(alloc.interface()),
        }),
        None => Ok(()),
    }
}

/// Reserves the string indices ≥ 4 we serve (`range` from [`Plan::strings`]) so that classes
/// allocated later cannot collide.
pub(crate) fn strings<B: UsbBus>(
    alloc: &UsbBusAllocator<B>,
    range: Option<(u8, u8, u8)>,
) -> Result<(), InitError> {
    let Some((expected, lo, hi)) = range else {
        return Ok(());
    };
    let mut got = u8::from(alloc.string());
    if got != expected || got > lo {
        return Err(InitError::StringMismatch { expected, got });
    }
    while got < hi {
        got = u8::from(alloc.string());
    }
    Ok(())
}

/// The endpoint tables, indexed by endpoint number.
pub(crate) struct Endpoints<'a, B: UsbBus, const MAX_EP: usize> {
    pub ins: [Option<EndpointIn<'a, B>>; MAX_EP],
    pub outs: [Option<EndpointOut<'a, B>>; MAX_EP],
}

pub(crate) fn endpoints<'a, B: UsbBus, const MAX_EP: usize>(
    alloc: &'a UsbBusAllocator<B>,
    desc: &DeviceDescriptors,
) -> Result<Endpoints<'a, B, MAX_EP>, InitError> {
    let mut eps = Endpoints {
        ins: core::array::from_fn(|_| None),
        outs: core::array::from_fn(|_| None),
    };
    let ep_max = desc.builtin.map_or(1, |b| b.ep_max.max(1));
    for (k, ep) in desc.endpoints.iter().enumerate() {
        // The same address may appear in several alternate settings: allocate it once.
        if ep.builtin || desc.endpoints[..k].iter().any(|e| e.address == ep.address) {
            continue;
        }
        let address = ep.address;
        let number = usize::from(address & 0x0F);
        if number < usize::from(ep_max) || number >= MAX_EP || address & 0x70 != 0 {
            return Err(InitError::EndpointNumber { address });
        }
        let size = ep.max_packet_size & 0x07FF;
        if size == 0 {
            return Err(InitError::EndpointSize { address });
        }
        let kind = ep.endpoint_type();
        let addr = Some(EndpointAddress::from(address));
        let fail = |error| InitError::EndpointAlloc { address, error };
        if address & 0x80 != 0 {
            eps.ins[number] = Some(
                alloc
                    .alloc(addr, kind, ep.max_packet_size, ep.interval)
                    .map_err(fail)?,
            );
        } else {
            eps.outs[number] = Some(
                alloc
                    .alloc(addr, kind, ep.max_packet_size, ep.interval)
                    .map_err(fail)?,
            );
        }
    }
    for itf in desc.hid {
        let declared = |a: u8| desc.endpoints.iter().any(|e| e.address == a);
        for a in core::iter::once(itf.in_endpoint).chain(itf.out_endpoint) {
            if !declared(a) {
                return Err(InitError::HidEndpoint {
                    interface: itf.interface,
                    address: a,
                });
            }
        }
    }
    Ok(eps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BuiltinOffsets, InterfaceInfo};

    const fn itf(number: u8, builtin: bool) -> InterfaceInfo {
        InterfaceInfo {
            number,
            alt_settings: 1,
            class: 3,
            subclass: 0,
            protocol: 0,
            builtin,
        }
    }

    fn plan_of(interfaces: &'static [InterfaceInfo], builtin: Option<BuiltinOffsets>) -> Option<(u8, u8, Option<u8>, Option<u8>)> {
        let desc = DeviceDescriptors {
            interfaces,
            builtin,
            ..crate::model::EMPTY
        };
        ours(&desc).map(|o| (o.first, o.run, o.gap, o.itf_max))
    }

    #[test]
    fn interface_plan_runs_gaps_and_builtin() {
        static ALL: [InterfaceInfo; 2] = [itf(0, false), itf(1, false)];
        assert_eq!(plan_of(&ALL, None), Some((0, 2, None, None)));
        static AFTER_BUILTIN: [InterfaceInfo; 4] = [itf(0, true), itf(1, true), itf(2, false), itf(3, false)];
        let b = BuiltinOffsets { itf_max: 2, ep_max: 3, str_max: 4 };
        assert_eq!(plan_of(&AFTER_BUILTIN, Some(b)), Some((2, 2, None, Some(2))));
        static GAP: [InterfaceInfo; 3] = [itf(0, false), itf(2, false), itf(3, false)];
        assert_eq!(plan_of(&GAP, None), Some((0, 1, Some(2), None)));
        static NONE: [InterfaceInfo; 1] = [itf(0, true)];
        assert_eq!(plan_of(&NONE, None), None);
    }
}
