//! One declaration, two speeds (USB 2.0 §9.6.2, §9.6.4). On a high-speed-capable target
//! (`generic-hs`), each endpoint's main values are the high-speed ones and
//! [`crate::model::Endpoint::other_speed`] holds the full-speed ones; the device qualifier and the
//! other-speed configuration describe the other speed (their bytes: `crate::encode`, from
//! [`at_other_speed`]). Full-speed-only targets (`samd21`, `generic-fs`) have neither and reject
//! high-speed values (`check::speed`).
//!
//! TOML: `max_packet_size = { fs = 64, hs = 512 }`, `interval = { fs = 1, hs = 4 }`; `interval_ms`
//! is converted for each speed.

use crate::model::*;
use crate::profile::{Speed, Target};

/// Whether the target runs at high speed (and so also answers for full speed).
pub fn dual_speed(d: &Device) -> bool {
    d.target.speed() == Speed::High
}

/// The device with every endpoint's other-speed values swapped in.
pub(crate) fn at_other_speed(d: &Device) -> Device {
    let mut x = d.clone();
    for c in x.configurations.iter_mut() {
        for item in c.items.iter_mut() {
            if let ConfigItem::Interface(i) = item {
                for it in i.items.iter_mut() {
                    if let InterfaceItem::Endpoint(e) = it {
                        if let Some((mps, interval)) = e.other_speed.take() {
                            e.other_speed = Some((e.max_packet_size, e.interval));
                            e.max_packet_size = mps;
                            e.interval = interval;
                        }
                    }
                }
            }
        }
    }
    x.target = if d.target.speed() == Speed::High { Target::GenericFs } else { Target::GenericHs };
    x
}

/// A value given once or per speed (`{ fs = 64, hs = 512 }`): `(value at the target speed, value
/// at the other speed if given)`.
pub fn per_speed<T: Copy>(
    v: &crate::tomlr::Value<'_, '_>,
    speed: Speed,
    read: impl Fn(&crate::tomlr::Value<'_, '_>, &mut crate::diag::Diagnostics) -> Option<T>,
    d: &mut crate::diag::Diagnostics,
) -> Option<(T, Option<T>)> {
    if !v.is_table() {
        return read(v, d).map(|x| (x, None));
    }
    let t = v.table(d)?;
    let fs = t.get("fs").and_then(|x| read(&x, d));
    let hs = t.get("hs").and_then(|x| read(&x, d));
    t.finish(&["fs", "hs"], d);
    let (main, other, key) = match speed {
        Speed::Full => (fs, hs, "fs"),
        Speed::High => (hs, fs, "hs"),
    };
    match main {
        Some(m) => Some((m, other)),
        None => {
            d.push(
                crate::diag::Diagnostic::error(crate::tomlr::MISSING_KEY, format!("`{}` has no `{key}` value for the target's speed", v.path()))
                    .at(v.span())
                    .help(format!("add `{key} = ...`: the target runs at {} speed", if speed == Speed::Full { "full" } else { "high" })),
            );
            None
        }
    }
}
