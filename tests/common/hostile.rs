//! Generated hostile inputs of a chosen size (issue 15): the growth benchmark (`cargo xtask bench
//! --growth`) times them and the regression tests check their exit codes and output sizes. Each
//! generator is linear in `n` and deterministic.

use std::fmt::Write as _;

/// A HID report descriptor of about `bytes` bytes: one application collection of 8-bit feature
/// values, a new report ID (cycling 1..=255) every 256 fields, so every report stays a size hosts
/// accept.
pub fn report_blob(bytes: usize) -> Vec<u8> {
    let mut v = vec![0x05, 0x01, 0x09, 0x02, 0xa1, 0x01];
    let mut fields = 0usize;
    while v.len() + 13 < bytes.max(20) {
        if fields % 256 == 0 {
            v.extend([0x85, (fields / 256 % 255 + 1) as u8]);
        }
        v.extend([0x09, 0x30, 0x15, 0x81, 0x25, 0x7f, 0x75, 0x08, 0x95, 0x01, 0xb1, 0x02]);
        fields += 1;
    }
    v.push(0xc0);
    v
}

/// `05 01 09 00`, `a1 00` × `depth`, one input item, `c0` × `depth`: collections nested `depth` deep.
pub fn nested_blob(depth: usize) -> Vec<u8> {
    let mut v = vec![0x05, 0x01, 0x09, 0x00];
    v.extend(std::iter::repeat_n([0xa1, 0x00], depth).flatten());
    v.extend([0x09, 0x30, 0x15, 0x00, 0x25, 0x7f, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02]);
    v.extend(std::iter::repeat_n(0xc0, depth));
    v
}

/// A report descriptor of `count` usage-less Input items (one lint diagnostic each) inside one
/// application collection.
pub fn diagnostics_blob(count: usize) -> Vec<u8> {
    let mut v = vec![0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x75, 0x01, 0x95, 0x01];
    v.extend(std::iter::repeat_n([0x81, 0x02], count).flatten());
    v.push(0xc0);
    v
}

/// A TOML device with one HID interface whose report descriptor is `report` as hex in `bytes`.
pub fn report_toml(report: &[u8]) -> Vec<u8> {
    let mut s = String::from(
        "target = \"generic-fs\"\n\n[device]\nvid = 0x1209\npid = 0x0001\n\n[[configuration]]\n\n\
         [[configuration.interface]]\nclass = \"hid\"\n\n[configuration.interface.hid]\nreport = { bytes = \"\"\"\n",
    );
    for line in report.chunks(32) {
        for b in line {
            let _ = write!(s, "{b:02x}");
        }
        s.push('\n');
    }
    s.push_str("\"\"\" }\n\n[[configuration.interface.endpoint]]\ndirection = \"in\"\ntransfer = \"interrupt\"\nmax_packet_size = 64\ninterval_ms = 10\n");
    s.into_bytes()
}

/// A TOML device with `count` interfaces (more than 256 is an error: numbers are 8 bits).
pub fn interfaces_toml(count: usize) -> Vec<u8> {
    let mut s = String::from("target = \"generic-fs\"\n\n[device]\nvid = 0x1209\npid = 0x0001\n\n[[configuration]]\n");
    for _ in 0..count {
        s.push_str("\n[[configuration.interface]]\n");
    }
    s.into_bytes()
}

/// A TOML device whose `[device]` table holds `count` unknown keys: `count` diagnostics (UD0002)
/// in a file that grows with them.
pub fn diagnostics_toml(count: usize) -> Vec<u8> {
    let mut s = String::from("target = \"generic-fs\"\n\n[device]\nvid = 0x1209\npid = 0x0001\n");
    for i in 0..count {
        let _ = writeln!(s, "x{i} = 0");
    }
    s.push_str("\n[[configuration]]\n\n[[configuration.interface]]\nclass = \"vendor\"\n");
    s.into_bytes()
}

/// A device blob (sysfs `descriptors` layout) of about `count` descriptors: the device descriptor,
/// then configurations of up to 7,000 vendor interface descriptors each (alternate settings
/// counting up under each number, so every one is distinct).
pub fn descriptors_blob(count: usize) -> Vec<u8> {
    let per_config = 7_000usize;
    let configs = count.div_ceil(per_config).clamp(1, 255);
    let mut v = vec![18, 1, 0, 2, 0, 0, 0, 64, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, configs as u8];
    let mut left = count.saturating_sub(1 + configs);
    for c in 0..configs {
        let n = left.min(per_config);
        left -= n;
        let total = (9 + 9 * n) as u16;
        v.extend([9, 2, total as u8, (total >> 8) as u8, 1, c as u8 + 1, 0, 0x80, 50]);
        for i in 0..n {
            v.extend([9, 4, (i % 256) as u8, (i / 256) as u8, 0, 0xff, 0, 0, 0]);
        }
    }
    v
}
