//! Value rules of the field keys, one place for both front ends: the TOML field form
//! (`hid::toml`) and `#[hid_report]` (`frontend::rust`) check a key's value against the same
//! range and look names up in the same table; each front end words the diagnostic in its own
//! terms (TOML key paths, Rust attribute arguments).

use crate::names::normalize_name;

/// An inclusive range a key's integer value must lie in, with the rule it comes from.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub lo: i64,
    pub hi: i64,
    /// Why (for help lines).
    pub rule: &'static str,
}

impl Range {
    pub fn contains(self, n: i64) -> bool {
        (self.lo..=self.hi).contains(&n)
    }
}

/// `unit_exponent`: the 4-bit two's-complement nibble of HID 1.11 §6.2.2.7.
pub const UNIT_EXPONENT: Range = Range { lo: -8, hi: 7, rule: "the exponent is -8..=7 (HID 1.11 §6.2.2.7)" };

/// Logical and physical values: 32 bits of a global item's data, read signed (or, a maximum
/// after a non-negative minimum, unsigned, as Linux reads it).
pub const VALUE_32: Range =
    Range { lo: i32::MIN as i64, hi: u32::MAX as i64, rule: "logical and physical values are the 32 bits of a global item" };

/// `unit`: a 32-bit Unit value (or a name, [`unit`]).
pub const UNIT: Range = Range { lo: 0, hi: 0xFFFF_FFFF, rule: "a Unit value is 32 bits (HID 1.11 §6.2.2.7)" };

/// `usage_page`: 16 bits.
pub const USAGE_PAGE: Range = Range { lo: 0, hi: 0xFFFF, rule: "a usage page is 16 bits" };

/// The Unit value of a unit name (`"centimeter"`, `"degree"`; case, `-`, `_` and spaces do not
/// matter), from [`super::unit::NAMES`].
pub fn unit(name: &str) -> Option<u32> {
    let key = normalize_name(name);
    super::unit::NAMES.iter().find(|(n, _)| normalize_name(n) == key).map(|(_, v)| *v as u32)
}

/// The unit names, for help lines.
pub fn unit_names() -> impl Iterator<Item = &'static str> {
    super::unit::NAMES.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_ignore_case_and_separators() {
        assert_eq!(unit("Centimeter"), Some(0x11));
        assert_eq!(unit("degree per second"), Some(0xF014));
        assert_eq!(unit("g-force"), Some(0xE011));
        assert_eq!(unit("furlong"), None);
        assert!(UNIT_EXPONENT.contains(-8) && UNIT_EXPONENT.contains(7) && !UNIT_EXPONENT.contains(8));
    }
}
