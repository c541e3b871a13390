//! What USB 2.0 allows at each speed: endpoint 0's packet sizes (§9.6.1), endpoint packet sizes
//! per transfer type (§5.5-5.8, §9.6.6) and polling intervals (§9.6.6). Facts only:
//! `check::chapter9` reports them as diagnostics, and the blob decoder guesses the speed a
//! decoded device was built for from how many of them it breaks ([`breaks`]), so a change to
//! how the check reports does not change which target a blob is guessed to be.

use crate::model::{Device, Endpoint, Transfer};
use crate::profile::Speed;

/// The bMaxPacketSize0 values allowed at `speed`.
pub fn ep0_sizes(speed: Speed) -> &'static [u8] {
    match speed {
        Speed::Full => &[8, 16, 32, 64],
        Speed::High => &[64],
    }
}

/// Why the endpoint's wMaxPacketSize is not allowed at `speed`, if it is not.
pub fn packet_problem(e: &Endpoint, speed: Speed) -> Option<String> {
    let size = e.packet_size();
    let extra = e.additional_transactions();
    let periodic = matches!(e.transfer, Transfer::Interrupt | Transfer::Isochronous);
    match (speed, e.transfer) {
        _ if e.max_packet_size & 0xe000 != 0 => Some("bits 13..15 of wMaxPacketSize are reserved and must be 0".into()),
        (Speed::Full, _) if extra > 0 => Some("additional transactions per microframe exist only at high speed".into()),
        (Speed::High, _) if extra > 0 && !periodic => Some("additional transactions are only for interrupt and isochronous endpoints".into()),
        (Speed::High, _) if extra == 3 => Some("additional transactions value 3 is reserved".into()),
        (Speed::High, _) if extra == 1 && !(513..=1024).contains(&size) => Some("with 1 additional transaction the packet size must be 513..=1024".into()),
        (Speed::High, _) if extra == 2 && !(683..=1024).contains(&size) => Some("with 2 additional transactions the packet size must be 683..=1024".into()),
        (Speed::Full, Transfer::Interrupt) if size == 0 || size > 64 => Some("full-speed interrupt endpoints take 1..=64 bytes".into()),
        (Speed::Full, Transfer::Bulk | Transfer::Control) if ![8, 16, 32, 64].contains(&size) => {
            Some(format!("full-speed {} endpoints take 8, 16, 32 or 64 bytes", e.transfer.name()))
        }
        (Speed::Full, Transfer::Isochronous) if size > 1023 => Some("full-speed isochronous endpoints take at most 1023 bytes".into()),
        (Speed::High, Transfer::Bulk) if size != 512 => Some("high-speed bulk endpoints take exactly 512 bytes".into()),
        (Speed::High, Transfer::Control) if ![8, 16, 32, 64].contains(&size) => Some("high-speed control endpoints take 8, 16, 32 or 64 bytes".into()),
        (Speed::High, Transfer::Interrupt | Transfer::Isochronous) if size > 1024 || (size == 0 && e.transfer == Transfer::Interrupt) => {
            Some(format!("high-speed {} endpoints take 1..=1024 bytes per transaction", e.transfer.name()))
        }
        _ => None,
    }
}

/// The bInterval range `(lowest, highest, rule)` a `transfer` endpoint takes at `speed`; `None`:
/// any value (bulk and control).
pub fn interval_range(speed: Speed, transfer: Transfer) -> Option<(u8, u8, &'static str)> {
    match (speed, transfer) {
        (Speed::Full, Transfer::Interrupt) => Some((1, 255, "full-speed interrupt: 1..=255 ms")),
        (Speed::Full, Transfer::Isochronous) => Some((1, 16, "full-speed isochronous: 2^(bInterval-1) ms, bInterval 1..=16")),
        (Speed::High, Transfer::Interrupt | Transfer::Isochronous) => {
            Some((1, 16, "high-speed periodic: 2^(bInterval-1) microframes, bInterval 1..=16"))
        }
        _ => None,
    }
}

/// Whether the endpoint's bInterval is allowed at `speed`.
pub fn interval_ok(e: &Endpoint, speed: Speed) -> bool {
    interval_range(speed, e.transfer).is_none_or(|(lo, hi, _)| (lo..=hi).contains(&e.interval))
}

/// How many of these limits the device breaks at `speed`: endpoint 0's size, then each
/// endpoint's packet size and interval (one each).
pub fn breaks(dev: &Device, speed: Speed) -> usize {
    let ep0 = usize::from(!ep0_sizes(speed).contains(&dev.max_packet_size_0));
    let endpoints = dev.configurations.iter().flat_map(|c| c.interfaces()).flat_map(|i| i.endpoints());
    ep0 + endpoints.map(|e| usize::from(packet_problem(e, speed).is_some()) + usize::from(!interval_ok(e, speed))).sum::<usize>()
}
