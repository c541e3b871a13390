//! HID units (HID 1.11 §6.2.2.7): the names the TOML field form accepts and the text dumps show.

/// Common units. HID 1.11 §6.2.2.7: the Unit value is eight 4-bit nibbles, from the lowest: system
/// (1 SI Linear, 2 SI Rotation, 3 English Linear, 4 English Rotation), then the signed exponents of
/// length, mass, time, temperature, current and luminous intensity (nibble 7 is reserved). So
/// Fahrenheit is English Linear with temperature exponent 1 = 0x0001_0003. Any other unit is given
/// as a number.
pub const NAMES: &[(&str, i128)] = &[
    ("none", 0),
    ("centimeter", 0x11),
    ("radian", 0x12),
    ("inch", 0x13),
    ("degree", 0x14),
    ("gram", 0x101),
    ("second", 0x1001),
    ("si_second", 0x1001),
    ("kelvin", 0x10001),
    ("fahrenheit", 0x10003),
    ("ampere", 0x100001),
    ("candela", 0x1000001),
    ("volt", 0xF0D121),
    ("centimeter_per_second", 0xF011),
    ("degree_per_second", 0xF014),
    ("g_force", 0xE011),
];

/// The unit systems of the low nibble and the base unit of each dimension in that system.
const SYSTEMS: &[(u32, &str, [&str; 6])] = &[
    (1, "SI Linear", ["cm", "g", "s", "K", "A", "cd"]),
    (2, "SI Rotation", ["rad", "g", "s", "K", "A", "cd"]),
    (3, "English Linear", ["in", "slug", "s", "°F", "A", "cd"]),
    (4, "English Rotation", ["deg", "slug", "s", "°F", "A", "cd"]),
];

/// The name of a Unit value in [`NAMES`] (the first one, so 0x1001 is `second`), if it has one.
pub fn name_of(unit: u32) -> Option<&'static str> {
    NAMES.iter().find(|(_, v)| *v == unit as i128).map(|(n, _)| *n)
}

/// A Unit value as text: its name when it has one (`degree`), else the system and the dimensions
/// with their exponents (`SI Linear: cm s^-2`); reserved or vendor systems as such.
pub fn describe(unit: u32) -> String {
    if let Some(n) = name_of(unit) {
        return n.replace('_', " ");
    }
    let system = unit & 0xF;
    let nibble = |i: u32| -> i32 {
        let n = ((unit >> (4 * i)) & 0xF) as i32;
        if n > 7 { n - 16 } else { n }
    };
    let Some((_, name, base)) = SYSTEMS.iter().find(|(s, _, _)| *s == system) else {
        return match system {
            0 => "no system".into(),
            0xF => "vendor-defined system".into(),
            _ => format!("reserved system {system}"),
        };
    };
    let dims: Vec<String> = (1..=6)
        .filter(|i| nibble(*i) != 0)
        .map(|i| match nibble(i) {
            1 => base[i as usize - 1].to_string(),
            e => format!("{}^{e}", base[i as usize - 1]),
        })
        .collect();
    let reserved = if unit >> 28 != 0 { " (reserved nibble set)" } else { "" };
    format!("{name}: {}{reserved}", if dims.is_empty() { "dimensionless".into() } else { dims.join(" ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Unit value from its §6.2.2.7 parts: system nibble, then the exponents of length, mass,
    /// time, temperature, current and luminous intensity (4-bit two's complement each).
    fn unit(system: u32, exponents: [i32; 6]) -> i128 {
        let mut v = system;
        for (i, e) in exponents.iter().enumerate() {
            v |= ((*e as u32) & 0xF) << (4 * (i + 1));
        }
        v as i128
    }

    #[test]
    fn named_units_match_the_spec_nibbles() {
        const SI_LIN: u32 = 1;
        const SI_ROT: u32 = 2;
        const ENG_LIN: u32 = 3;
        const ENG_ROT: u32 = 4;
        //                  len mass time temp cur lum
        let expected: &[(&str, i128)] = &[
            ("none", 0),
            ("centimeter", unit(SI_LIN, [1, 0, 0, 0, 0, 0])),
            ("radian", unit(SI_ROT, [1, 0, 0, 0, 0, 0])),
            ("inch", unit(ENG_LIN, [1, 0, 0, 0, 0, 0])),
            ("degree", unit(ENG_ROT, [1, 0, 0, 0, 0, 0])),
            ("gram", unit(SI_LIN, [0, 1, 0, 0, 0, 0])),
            ("second", unit(SI_LIN, [0, 0, 1, 0, 0, 0])),
            ("si_second", unit(SI_LIN, [0, 0, 1, 0, 0, 0])),
            ("kelvin", unit(SI_LIN, [0, 0, 0, 1, 0, 0])),
            ("fahrenheit", unit(ENG_LIN, [0, 0, 0, 1, 0, 0])),
            ("ampere", unit(SI_LIN, [0, 0, 0, 0, 1, 0])),
            ("candela", unit(SI_LIN, [0, 0, 0, 0, 0, 1])),
            // V = g·cm²/(s³·A) in the SI Linear (cm, g) system.
            ("volt", unit(SI_LIN, [2, 1, -3, 0, -1, 0])),
            ("centimeter_per_second", unit(SI_LIN, [1, 0, -1, 0, 0, 0])),
            ("degree_per_second", unit(ENG_ROT, [1, 0, -1, 0, 0, 0])),
            ("g_force", unit(SI_LIN, [1, 0, -2, 0, 0, 0])),
        ];
        assert_eq!(NAMES, expected);
        // The worked examples of §6.2.2.7 (and what hid-tools decodes: "EnglishLinear: F").
        assert_eq!(unit(ENG_LIN, [0, 0, 0, 1, 0, 0]), 0x0001_0003);
        assert_eq!(unit(SI_LIN, [2, 1, -3, 0, -1, 0]), 0x00F0_D121);
        assert_eq!(unit(SI_LIN, [1, 0, -1, 0, 0, 0]), 0xF011);
        assert_eq!(unit(SI_LIN, [1, 0, -2, 0, 0, 0]), 0xE011);
    }

    #[test]
    fn units_read_as_text() {
        assert_eq!(describe(0x14), "degree");
        assert_eq!(describe(0x10003), "fahrenheit");
        assert_eq!(describe(0xE121), "SI Linear: cm^2 g s^-2"); // energy (erg)
        assert_eq!(describe(0xF0D121), "volt");
        assert_eq!(describe(0x0F0D121), "volt");
        assert_eq!(describe(0x21), "SI Linear: cm^2");
        assert_eq!(describe(0x0F), "vendor-defined system");
        assert_eq!(describe(0x06), "reserved system 6");
        assert_eq!(describe(0x01), "SI Linear: dimensionless");
    }
}
