//! Names accepted for enum-like values (each also accepted as a number), BCD version text, and
//! name matching ([`normalize_name`], [`did_you_mean`]).

/// USB class codes (usb.org "Defined Class Codes").
pub const CLASSES: &[(&str, i128)] = &[
    ("per-interface", 0x00),
    ("audio", 0x01),
    ("cdc", 0x02),
    ("hid", 0x03),
    ("physical", 0x05),
    ("image", 0x06),
    ("printer", 0x07),
    ("msc", 0x08),
    ("mass-storage", 0x08),
    ("hub", 0x09),
    ("cdc-data", 0x0a),
    ("smart-card", 0x0b),
    ("content-security", 0x0d),
    ("video", 0x0e),
    ("personal-healthcare", 0x0f),
    ("audio-video", 0x10),
    ("billboard", 0x11),
    ("usb-c-bridge", 0x12),
    ("diagnostic", 0xdc),
    ("wireless", 0xe0),
    ("misc", 0xef),
    ("application", 0xfe),
    ("vendor", 0xff),
];

/// Subclass names per class (class code, names).
pub const SUBCLASSES: &[(u8, &[(&str, i128)])] = &[
    (0x02, &[("acm", 0x02), ("direct-line", 0x01), ("ecm", 0x06), ("ncm", 0x0d)]),
    (0x03, &[("none", 0x00), ("boot", 0x01)]),
    (0x01, &[("audio-control", 0x01), ("audio-streaming", 0x02), ("midi-streaming", 0x03)]),
    (0x08, &[("scsi", 0x06)]),
    (0xef, &[("common", 0x02)]),
    (0xfe, &[("dfu", 0x01), ("irda", 0x02), ("test-measurement", 0x03)]),
];

/// Protocol names per (class, subclass).
/// Names of one enum-like field: (name, value).
pub type Names = &'static [(&'static str, i128)];

pub const PROTOCOLS: &[(u8, u8, Names)] = &[
    (0x03, 0x00, &[("none", 0)]),
    (0x03, 0x01, &[("none", 0), ("keyboard", 1), ("mouse", 2)]),
    (0x02, 0x02, &[("none", 0), ("at-commands", 1)]),
    (0xef, 0x02, &[("iad", 1)]),
    (0x08, 0x06, &[("bot", 0x50), ("bulk-only", 0x50)]),
    (0xfe, 0x01, &[("runtime", 0x01), ("dfu-mode", 0x02)]),
];

pub fn subclass_names(class: u8) -> &'static [(&'static str, i128)] {
    SUBCLASSES.iter().find(|(c, _)| *c == class).map(|(_, n)| *n).unwrap_or(&[])
}

pub fn protocol_names(class: u8, subclass: u8) -> &'static [(&'static str, i128)] {
    PROTOCOLS
        .iter()
        .find(|(c, s, _)| *c == class && *s == subclass)
        .map(|(_, _, n)| *n)
        .unwrap_or(&[])
}

pub fn name_of(names: &[(&'static str, i128)], v: u8) -> Option<&'static str> {
    names.iter().find(|(_, n)| *n == v as i128).map(|(s, _)| *s)
}

pub const DIRECTIONS: &[(&str, i128)] = &[("out", 0), ("in", 1)];
pub const TRANSFERS: &[(&str, i128)] = &[("control", 0), ("isochronous", 1), ("iso", 1), ("bulk", 2), ("interrupt", 3)];
pub const SYNC: &[(&str, i128)] = &[("none", 0), ("async", 1), ("adaptive", 2), ("sync", 3)];
pub const USAGE: &[(&str, i128)] = &[("data", 0), ("feedback", 1), ("implicit-feedback", 2)];

/// Descriptor types for raw entries.
pub const DESCRIPTOR_TYPES: &[(&str, i128)] = &[
    ("device", 0x01),
    ("configuration", 0x02),
    ("string", 0x03),
    ("interface", 0x04),
    ("endpoint", 0x05),
    ("device-qualifier", 0x06),
    ("other-speed-configuration", 0x07),
    ("interface-power", 0x08),
    ("otg", 0x09),
    ("debug", 0x0a),
    ("interface-association", 0x0b),
    ("bos", 0x0f),
    ("device-capability", 0x10),
    ("hid", 0x21),
    ("hid-report", 0x22),
    ("cs-device", 0x21),
    ("cs-configuration", 0x22),
    ("cs-string", 0x23),
    ("cs-interface", 0x24),
    ("cs-endpoint", 0x25),
    ("ss-endpoint-companion", 0x30),
];

/// Parse BCD version text: "2.0" → 0x0200, "2.01" → 0x0201, "1.11" → 0x0111, "1.10" → 0x0110.
pub fn parse_bcd(s: &str) -> Option<u16> {
    let (maj, min) = match s.trim().split_once('.') {
        Some((a, b)) => (a, b),
        None => (s.trim(), ""),
    };
    if maj.is_empty() || maj.len() > 2 || min.len() > 2 || !maj.chars().chain(min.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let major = u16::from_str_radix(maj, 16).ok()?;
    let mut digits = min.chars().map(|c| c as u16 - '0' as u16);
    let m = digits.next().unwrap_or(0);
    let n = digits.next().unwrap_or(0);
    Some((major << 8) | (m << 4) | n)
}

/// BCD text when every nibble is a decimal digit ("2.00", "1.11"), else None.
pub fn format_bcd(v: u16) -> Option<String> {
    let nib = |s: u16| (v >> s) & 0xf;
    if [12, 8, 4, 0].iter().any(|s| nib(*s) > 9) {
        return None;
    }
    let major = nib(12) * 10 + nib(8);
    Some(format!("{major}.{}{}", nib(4), nib(0)))
}

/// A BCD version as a TOML value: quoted text when every nibble is decimal, else a hex integer.
/// The one writer for every `bcd*` key the emitters produce.
pub fn bcd_toml(v: u16) -> String {
    match format_bcd(v) {
        Some(s) => format!("\"{s}\""),
        None => format!("{v:#06x}"),
    }
}

/// Lower-case and treat `-`, `_` and spaces alike, so `"Generic Desktop"`, `"generic-desktop"` and
/// `"generic_desktop"` are one name.
pub fn normalize_name(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| if c == '-' || c == '_' || c == ' ' { ' ' } else { c.to_ascii_lowercase() })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Best suggestion for a misspelt key or name, if one is close enough.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let g = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let lc = c.to_ascii_lowercase();
            // One typo or swapped pair (`pdi` for `pid`) counts as close even in short words.
            let near = strsim::osa_distance(&g, &lc) <= 1 && g.len() >= 3;
            (if near { 1.0 } else { strsim::jaro_winkler(&g, &lc) }, c)
        })
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn bcd() {
        assert_eq!(parse_bcd("2.0"), Some(0x0200));
        assert_eq!(parse_bcd("2.01"), Some(0x0201));
        assert_eq!(parse_bcd("1.11"), Some(0x0111));
        assert_eq!(parse_bcd("1.1"), Some(0x0110));
        assert_eq!(parse_bcd("12.34"), Some(0x1234));
        assert_eq!(parse_bcd("x"), None);
        assert_eq!(parse_bcd("1.234"), None);
        assert_eq!(format_bcd(0x0200).as_deref(), Some("2.00"));
        assert_eq!(format_bcd(0x1234).as_deref(), Some("12.34"));
        assert_eq!(format_bcd(0x0c90), None);
        for v in [0x0200u16, 0x0110, 0x0111, 0x0999, 0x9999] {
            assert_eq!(parse_bcd(&format_bcd(v).unwrap()), Some(v));
        }
    }
}
