//! Rules on the raw bytes of a blob (sysfs `descriptors` layout) that its model cannot show: a
//! device descriptor whose bLength is not 18, a configuration shorter than its wTotalLength, and
//! interface / endpoint / IAD descriptors shorter than their standard size (the decoder keeps
//! those as raw descriptors). A TOML device cannot produce any of them: the encoder writes every
//! length. Verdicts from Linux usbcore (`linux`).

use super::linux;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::encode::{CONFIGURATION, ENDPOINT, INTERFACE, INTERFACE_ASSOCIATION};

/// wTotalLength larger than the bytes the configuration has (the host's read comes back short).
pub const SHORT_READ: &str = "UD6005";
/// An interface, endpoint or interface association descriptor shorter than its standard size.
pub const SHORT_DESCRIPTOR: &str = "UD6006";
/// A device descriptor whose bLength is not 18.
pub const DEVICE_LENGTH: &str = "UD6007";
/// The codes of this module, for the fixture-per-code test.
pub const CODES: &[&str] = &[SHORT_READ, SHORT_DESCRIPTOR, DEVICE_LENGTH];

fn u16_at(b: &[u8], i: usize) -> usize {
    crate::spec::u16_at(b, i) as usize
}

pub fn check(blob: &[u8], d: &mut Diagnostics) {
    if let Some(&len) = blob.first().filter(|l| **l != 18) {
        d.push(linux::accepts(
            Diagnostic::error(DEVICE_LENGTH, format!("device descriptor with bLength {len} (it is 18 bytes long)"))
                .at(Span::new(0, 1))
                .help("the device descriptor's bLength is 18"),
            "it reads the 18-byte device descriptor and does not look at bLength (the device enumerates)",
        ));
    }
    let mut p = 18usize;
    let mut index = 0usize;
    while p + 9 <= blob.len() && blob[p + 1] == CONFIGURATION {
        let total = u16_at(blob, p + 2);
        let have = blob.len() - p;
        if total > have {
            d.push(linux::accepts(
                Diagnostic::error(SHORT_READ, format!("configuration {index}: wTotalLength {total} but only {have} bytes follow"))
                    .at(Span::new(p + 2, p + 4))
                    .help("wTotalLength must be the configuration's length with all its descriptors; usbdesc computes it"),
                format!("config index {index} descriptor too short (expected {total}, got {have}) (it parses the bytes it got)"),
            ));
        }
        let end = p + total.min(have);
        let body = blob.get(p + (blob[p] as usize).max(9)..end).unwrap_or(&[]);
        if let Ok(descs) = crate::decode::split(body, p + (blob[p] as usize).max(9)) {
            for (at, x) in descs {
                short(blob[p + 5], at, x, d);
            }
        }
        p = end.max(p + 1);
        index += 1;
    }
}

fn short(config: u8, at: usize, x: &[u8], d: &mut Diagnostics) {
    let (what, size) = match x[1] {
        INTERFACE => ("interface", 9),
        ENDPOINT => ("endpoint", 7),
        INTERFACE_ASSOCIATION => ("interface association", 8),
        _ => return,
    };
    if x.len() >= size {
        return;
    }
    let diag = Diagnostic::error(SHORT_DESCRIPTOR, format!("{what} descriptor with bLength {} (it needs {size})", x.len()))
        .at(Span::new(at, at + 1))
        .help(format!("a standard {what} descriptor is {size} bytes long"));
    let kernel = format!("config {config} has an invalid {what} descriptor of length {}, skipping", x.len());
    d.push(if x[1] == INTERFACE_ASSOCIATION {
        linux::accepts(diag, format!("{kernel} (its interfaces still bind, ungrouped)"))
    } else {
        linux::rejects(diag, format!("{kernel} (the {what} is dropped)"))
    });
}
