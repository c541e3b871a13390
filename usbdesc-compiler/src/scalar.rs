//! The Rust scalar types a HID report field can have (`bool`, `u8`..`u64`, `i8`..`i64`): their
//! names, widths and value ranges. A leaf: the `#[hid_report]` front end reads field types with it,
//! the Rust generator maps layout fields to it; it imports nothing.

/// A Rust scalar a report field can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    Bool,
    U8,
    U16,
    U32,
    I8,
    I16,
    I32,
    U64,
    I64,
}

impl Scalar {
    pub const ALL: [Scalar; 9] = [
        Scalar::Bool,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::U64,
        Scalar::I64,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool",
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::I8 => "i8",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::U64 => "u64",
            Scalar::I64 => "i64",
        }
    }
    pub fn from_name(s: &str) -> Option<Scalar> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }
    /// Width in bits (1 for bool).
    pub fn width(self) -> u32 {
        match self {
            Scalar::Bool => 1,
            Scalar::U8 | Scalar::I8 => 8,
            Scalar::U16 | Scalar::I16 => 16,
            Scalar::U32 | Scalar::I32 => 32,
            Scalar::U64 | Scalar::I64 => 64,
        }
    }
    pub fn signed(self) -> bool {
        matches!(self, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64)
    }
    /// The value range of the type (`u64`'s is cut at `i64::MAX`; logical values are 32-bit anyway).
    pub fn range(self) -> (i64, i64) {
        match self {
            Scalar::Bool => (0, 1),
            Scalar::U8 => (0, u8::MAX as i64),
            Scalar::U16 => (0, u16::MAX as i64),
            Scalar::U32 => (0, u32::MAX as i64),
            Scalar::I8 => (i8::MIN as i64, i8::MAX as i64),
            Scalar::I16 => (i16::MIN as i64, i16::MAX as i64),
            Scalar::I32 => (i32::MIN as i64, i32::MAX as i64),
            Scalar::U64 => (0, i64::MAX),
            Scalar::I64 => (i64::MIN, i64::MAX),
        }
    }
    /// Smallest type holding `bits`-bit elements (bool for 1-bit 0..1 values).
    pub fn for_field(bits: u32, logical_min: i64, logical_max: i64) -> Option<Scalar> {
        let signed = logical_min < 0;
        Some(match (bits, signed) {
            (1, false) if logical_max <= 1 => Scalar::Bool,
            (0..=8, false) => Scalar::U8,
            (0..=8, true) => Scalar::I8,
            (9..=16, false) => Scalar::U16,
            (9..=16, true) => Scalar::I16,
            (17..=32, false) => Scalar::U32,
            (17..=32, true) => Scalar::I32,
            (33..=64, false) => Scalar::U64,
            (33..=64, true) => Scalar::I64,
            _ => return None,
        })
    }
}
