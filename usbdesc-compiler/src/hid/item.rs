//! The HID 1.11 §6.2.2 item model: every short item (main, global, local), reserved tags, and long
//! items (§6.2.2.3, prefix 0xFE).
//!
//! An item keeps its raw data and data size exactly as on the wire, so decode → encode is byte-exact;
//! [`Item::signed`] / [`Item::unsigned`] build items in the encoder's canonical (shortest) size.

/// Item type (bits 3..2 of the prefix), §6.2.2.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ItemType {
    Main,
    Global,
    Local,
    Reserved,
}

macro_rules! tags {
    ($( $name:ident = $prefix:literal, $ty:ident, $key:literal, $text:literal; )*) => {
        /// A short item tag: the prefix byte with the size bits cleared.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub enum Tag {
            $( $name, )*
            /// Any other prefix (reserved by HID 1.11); holds the prefix with size bits cleared.
            Reserved(u8),
        }
        impl Tag {
            /// All defined tags.
            pub const ALL: &'static [Tag] = &[$(Tag::$name,)*];
            /// Tag from a prefix byte (size bits ignored). 0xFE (long item) maps to `Reserved(0xFC)`;
            /// callers handle long items before asking.
            pub fn from_prefix(prefix: u8) -> Tag {
                match prefix & 0xFC {
                    $( $prefix => Tag::$name, )*
                    p => Tag::Reserved(p),
                }
            }
            /// Prefix byte with size bits 0.
            pub fn prefix(self) -> u8 {
                match self {
                    $( Tag::$name => $prefix, )*
                    Tag::Reserved(p) => p & 0xFC,
                }
            }
            pub fn item_type(self) -> ItemType {
                match self {
                    $( Tag::$name => ItemType::$ty, )*
                    Tag::Reserved(p) => match (p >> 2) & 3 {
                        0 => ItemType::Main,
                        1 => ItemType::Global,
                        2 => ItemType::Local,
                        _ => ItemType::Reserved,
                    },
                }
            }
            /// The key used in the TOML item form (`usage_page`, `logical_min`, ...).
            pub fn key(self) -> &'static str {
                match self {
                    $( Tag::$name => $key, )*
                    Tag::Reserved(_) => "reserved",
                }
            }
            /// The spec's name ("Usage Page", "Logical Minimum", ...).
            pub fn spec_name(self) -> &'static str {
                match self {
                    $( Tag::$name => $text, )*
                    Tag::Reserved(_) => "Reserved",
                }
            }
            pub fn from_key(key: &str) -> Option<Tag> {
                match key {
                    $( $key => Some(Tag::$name), )*
                    _ => None,
                }
            }
        }
    };
}

tags! {
    Input = 0x80, Main, "input", "Input";
    Output = 0x90, Main, "output", "Output";
    Feature = 0xB0, Main, "feature", "Feature";
    Collection = 0xA0, Main, "collection", "Collection";
    EndCollection = 0xC0, Main, "end_collection", "End Collection";
    UsagePage = 0x04, Global, "usage_page", "Usage Page";
    LogicalMinimum = 0x14, Global, "logical_min", "Logical Minimum";
    LogicalMaximum = 0x24, Global, "logical_max", "Logical Maximum";
    PhysicalMinimum = 0x34, Global, "physical_min", "Physical Minimum";
    PhysicalMaximum = 0x44, Global, "physical_max", "Physical Maximum";
    UnitExponent = 0x54, Global, "unit_exponent", "Unit Exponent";
    Unit = 0x64, Global, "unit", "Unit";
    ReportSize = 0x74, Global, "report_size", "Report Size";
    ReportId = 0x84, Global, "report_id", "Report ID";
    ReportCount = 0x94, Global, "report_count", "Report Count";
    Push = 0xA4, Global, "push", "Push";
    Pop = 0xB4, Global, "pop", "Pop";
    Usage = 0x08, Local, "usage", "Usage";
    UsageMinimum = 0x18, Local, "usage_min", "Usage Minimum";
    UsageMaximum = 0x28, Local, "usage_max", "Usage Maximum";
    DesignatorIndex = 0x38, Local, "designator_index", "Designator Index";
    DesignatorMinimum = 0x48, Local, "designator_min", "Designator Minimum";
    DesignatorMaximum = 0x58, Local, "designator_max", "Designator Maximum";
    StringIndex = 0x78, Local, "string_index", "String Index";
    StringMinimum = 0x88, Local, "string_min", "String Minimum";
    StringMaximum = 0x98, Local, "string_max", "String Maximum";
    Delimiter = 0xA8, Local, "delimiter", "Delimiter";
}

impl Tag {
    /// Items whose data the spec reads as a signed two's-complement number (§6.2.2.7).
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Tag::LogicalMinimum | Tag::LogicalMaximum | Tag::PhysicalMinimum | Tag::PhysicalMaximum
        )
    }
    /// Items that carry no data in their canonical form.
    pub fn is_dataless(self) -> bool {
        matches!(self, Tag::EndCollection | Tag::Push | Tag::Pop)
    }
    pub fn is_main_data(self) -> bool {
        matches!(self, Tag::Input | Tag::Output | Tag::Feature)
    }
    /// Local usage items (whose 4-byte form is an extended usage, §6.2.2.8).
    pub fn is_usage(self) -> bool {
        matches!(self, Tag::Usage | Tag::UsageMinimum | Tag::UsageMaximum)
    }
}

/// One item of a report descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "form", rename_all = "lowercase"))]
pub enum Item {
    /// A short item: tag, data size in bytes (0, 1, 2 or 4) and the data, little-endian, zero-extended.
    Short { tag: Tag, size: u8, data: u32 },
    /// A long item (§6.2.2.3): `bLongItemTag` and its data bytes.
    Long { tag: u8, data: Vec<u8> },
}

/// Shortest size (1, 2 or 4 bytes) that holds `v` as a two's-complement signed number.
pub fn signed_size(v: i64) -> u8 {
    if (-128..=127).contains(&v) {
        1
    } else if (-32768..=32767).contains(&v) {
        2
    } else {
        4
    }
}

/// Shortest size (1, 2 or 4 bytes) that holds `v` unsigned.
pub fn unsigned_size(v: u32) -> u8 {
    if v <= 0xFF {
        1
    } else if v <= 0xFFFF {
        2
    } else {
        4
    }
}

impl Item {
    /// A signed item in the shortest two's-complement form that keeps the value's sign
    /// (255 → `26 ff 00`, never `25 ff`). Values outside i32 are truncated to 32 bits; lints catch them.
    pub fn signed(tag: Tag, v: i64) -> Item {
        let size = signed_size(v);
        Item::Short { tag, size, data: mask(v as u32, size) }
    }
    /// An unsigned item in the shortest form (at least one data byte).
    pub fn unsigned(tag: Tag, v: u32) -> Item {
        Item::Short { tag, size: unsigned_size(v), data: v }
    }
    /// An item with no data (End Collection, Push, Pop).
    pub fn dataless(tag: Tag) -> Item {
        Item::Short { tag, size: 0, data: 0 }
    }
    /// The canonical item for `tag` holding `value`: signed items get the shortest signed form,
    /// dataless items no data, everything else the shortest unsigned form.
    pub fn canonical(tag: Tag, value: i64) -> Item {
        if tag.is_signed() {
            Item::signed(tag, value)
        } else if tag.is_dataless() && value == 0 {
            Item::dataless(tag)
        } else {
            Item::unsigned(tag, value as u32)
        }
    }
    /// Same tag and value, explicit size (data truncated to fit).
    pub fn with_size(tag: Tag, size: u8, data: u32) -> Item {
        Item::Short { tag, size, data: mask(data, size) }
    }
    pub fn tag(&self) -> Option<Tag> {
        match self {
            Item::Short { tag, .. } => Some(*tag),
            Item::Long { .. } => None,
        }
    }
    /// Data zero-extended (0 for long items).
    pub fn unsigned_value(&self) -> u32 {
        match self {
            Item::Short { data, .. } => *data,
            Item::Long { .. } => 0,
        }
    }
    /// Data sign-extended from its size (§6.2.2.7 for Logical/Physical Minimum/Maximum).
    pub fn signed_value(&self) -> i64 {
        match self {
            Item::Short { size, data, .. } => sign_extend(*data, *size),
            Item::Long { .. } => 0,
        }
    }
    /// The value as the spec reads it: signed for signed items, unsigned otherwise.
    pub fn value(&self) -> i64 {
        match self {
            Item::Short { tag, .. } if tag.is_signed() => self.signed_value(),
            _ => self.unsigned_value() as i64,
        }
    }
    pub fn data_size(&self) -> usize {
        match self {
            Item::Short { size, .. } => *size as usize,
            Item::Long { data, .. } => data.len(),
        }
    }
    /// Whether this item is in the size the encoder would choose for its value.
    pub fn is_canonical(&self) -> bool {
        match self {
            Item::Short { tag, size, .. } => match Item::canonical(*tag, self.value()) {
                Item::Short { size: s, .. } => s == *size,
                Item::Long { .. } => false,
            },
            Item::Long { .. } => true,
        }
    }
    /// Encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        match self {
            Item::Short { size, .. } => 1 + *size as usize,
            Item::Long { data, .. } => 3 + data.len(),
        }
    }
}

fn mask(v: u32, size: u8) -> u32 {
    match size {
        0 => 0,
        1 => v & 0xFF,
        2 => v & 0xFFFF,
        _ => v,
    }
}

/// Sign-extend `data` of `size` bytes.
pub fn sign_extend(data: u32, size: u8) -> i64 {
    match size {
        0 => 0,
        1 => data as u8 as i8 as i64,
        2 => data as u16 as i16 as i64,
        _ => data as i32 as i64,
    }
}

/// Main item data bits (§6.2.2.5). Bit 0..8 for Input, Output and Feature (Input has no Volatile).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MainFlags(pub u32);

impl MainFlags {
    pub const CONSTANT: u32 = 1 << 0;
    pub const VARIABLE: u32 = 1 << 1;
    pub const RELATIVE: u32 = 1 << 2;
    pub const WRAP: u32 = 1 << 3;
    pub const NON_LINEAR: u32 = 1 << 4;
    pub const NO_PREFERRED: u32 = 1 << 5;
    pub const NULL_STATE: u32 = 1 << 6;
    pub const VOLATILE: u32 = 1 << 7;
    pub const BUFFERED_BYTES: u32 = 1 << 8;

    /// (bit, name when set, name when clear). Names are accepted in TOML case-insensitively.
    pub const BITS: &'static [(u32, &'static str, &'static str)] = &[
        (Self::CONSTANT, "constant", "data"),
        (Self::VARIABLE, "variable", "array"),
        (Self::RELATIVE, "relative", "absolute"),
        (Self::WRAP, "wrap", "no_wrap"),
        (Self::NON_LINEAR, "non_linear", "linear"),
        (Self::NO_PREFERRED, "no_preferred", "preferred_state"),
        (Self::NULL_STATE, "null_state", "no_null_position"),
        (Self::VOLATILE, "volatile", "non_volatile"),
        (Self::BUFFERED_BYTES, "buffered_bytes", "bit_field"),
    ];

    pub fn is_constant(self) -> bool {
        self.0 & Self::CONSTANT != 0
    }
    pub fn is_variable(self) -> bool {
        self.0 & Self::VARIABLE != 0
    }
    pub fn is_relative(self) -> bool {
        self.0 & Self::RELATIVE != 0
    }
    pub fn has_null(self) -> bool {
        self.0 & Self::NULL_STATE != 0
    }
    /// Names of the set bits, plus `data`/`array`/`absolute` for clear low bits, e.g.
    /// `["data", "variable", "absolute"]`; unknown high bits are not named.
    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (i, (bit, set, clear)) in Self::BITS.iter().enumerate() {
            if self.0 & bit != 0 {
                v.push(*set);
            } else if i < 3 {
                v.push(*clear);
            }
        }
        v
    }
    /// Bit for a flag name (set names give the bit, clear names give 0); `None` if unknown.
    pub fn bit_for(name: &str) -> Option<u32> {
        let n = crate::names::normalize_name(name).replace(' ', "_");
        let n = n.as_str();
        let alias = match n {
            "const" | "cnst" => "constant",
            "var" => "variable",
            "arr" => "array",
            "abs" => "absolute",
            "rel" => "relative",
            "nonlinear" => "non_linear",
            "null" => "null_state",
            "nopreferred" | "no_preferred_state" => "no_preferred",
            "buffered" => "buffered_bytes",
            other => other,
        };
        Self::BITS.iter().find_map(|(bit, set, clear)| {
            if *set == alias {
                Some(*bit)
            } else if *clear == alias {
                Some(0)
            } else {
                None
            }
        })
    }
    /// Human text for dumps, e.g. `Data,Var,Abs`.
    pub fn short_text(self) -> String {
        let mut v = vec![
            if self.is_constant() { "Cnst" } else { "Data" },
            if self.is_variable() { "Var" } else { "Arr" },
            if self.is_relative() { "Rel" } else { "Abs" },
        ];
        for (bit, name) in [
            (Self::WRAP, "Wrap"),
            (Self::NON_LINEAR, "NonLin"),
            (Self::NO_PREFERRED, "NoPref"),
            (Self::NULL_STATE, "Null"),
            (Self::VOLATILE, "Vol"),
            (Self::BUFFERED_BYTES, "Buf"),
        ] {
            if self.0 & bit != 0 {
                v.push(name);
            }
        }
        let mut s = v.join(",");
        let unknown = self.0 & !0x1FF;
        if unknown != 0 {
            s.push_str(&format!(",{unknown:#x}"));
        }
        s
    }
}

/// Collection type (§6.2.2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum CollectionKind {
    Physical,
    Application,
    Logical,
    Report,
    NamedArray,
    UsageSwitch,
    UsageModifier,
    /// 0x07..=0x7F reserved, 0x80..=0xFF vendor-defined.
    Other(u8),
}

impl CollectionKind {
    pub const NAMES: &'static [(&'static str, i128)] = &[
        ("physical", 0),
        ("application", 1),
        ("logical", 2),
        ("report", 3),
        ("named_array", 4),
        ("usage_switch", 5),
        ("usage_modifier", 6),
    ];
    pub fn from_u8(v: u8) -> CollectionKind {
        match v {
            0 => CollectionKind::Physical,
            1 => CollectionKind::Application,
            2 => CollectionKind::Logical,
            3 => CollectionKind::Report,
            4 => CollectionKind::NamedArray,
            5 => CollectionKind::UsageSwitch,
            6 => CollectionKind::UsageModifier,
            v => CollectionKind::Other(v),
        }
    }
    pub fn to_u8(self) -> u8 {
        match self {
            CollectionKind::Physical => 0,
            CollectionKind::Application => 1,
            CollectionKind::Logical => 2,
            CollectionKind::Report => 3,
            CollectionKind::NamedArray => 4,
            CollectionKind::UsageSwitch => 5,
            CollectionKind::UsageModifier => 6,
            CollectionKind::Other(v) => v,
        }
    }
    /// Name for TOML and dumps (`None` for reserved/vendor values).
    pub fn name(self) -> Option<&'static str> {
        Self::NAMES.get(self.to_u8() as usize).map(|(n, _)| *n)
    }
}

/// Report type of a data main item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ReportKind {
    Input,
    Output,
    Feature,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [ReportKind::Input, ReportKind::Output, ReportKind::Feature];
    pub fn tag(self) -> Tag {
        match self {
            ReportKind::Input => Tag::Input,
            ReportKind::Output => Tag::Output,
            ReportKind::Feature => Tag::Feature,
        }
    }
    pub fn from_tag(t: Tag) -> Option<ReportKind> {
        match t {
            Tag::Input => Some(ReportKind::Input),
            Tag::Output => Some(ReportKind::Output),
            Tag::Feature => Some(ReportKind::Feature),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        self.tag().key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_through_prefix() {
        for t in Tag::ALL {
            assert_eq!(Tag::from_prefix(t.prefix() | 1), *t);
            assert_eq!(Tag::from_key(t.key()), Some(*t));
        }
        assert_eq!(Tag::from_prefix(0x0D), Tag::Reserved(0x0C));
        assert_eq!(Tag::Reserved(0x0C).item_type(), ItemType::Reserved);
        assert_eq!(Tag::from_prefix(0x68), Tag::Reserved(0x68));
    }

    #[test]
    fn signed_values_keep_their_sign() {
        assert_eq!(Item::signed(Tag::LogicalMaximum, 255), Item::Short { tag: Tag::LogicalMaximum, size: 2, data: 0xFF });
        assert_eq!(Item::signed(Tag::LogicalMinimum, -1), Item::Short { tag: Tag::LogicalMinimum, size: 1, data: 0xFF });
        assert_eq!(Item::signed(Tag::LogicalMinimum, -129), Item::Short { tag: Tag::LogicalMinimum, size: 2, data: 0xFF7F });
        assert_eq!(Item::signed(Tag::LogicalMaximum, 32768).data_size(), 4);
        assert_eq!(Item::unsigned(Tag::UsageMaximum, 255).data_size(), 1);
        assert_eq!(Item::unsigned(Tag::ReportCount, 256).data_size(), 2);
        assert_eq!(Item::Short { tag: Tag::LogicalMaximum, size: 1, data: 0xFF }.value(), -1);
    }

    #[test]
    fn flag_names() {
        assert_eq!(MainFlags(2).names(), vec!["data", "variable", "absolute"]);
        assert_eq!(MainFlags::bit_for("Const"), Some(1));
        assert_eq!(MainFlags::bit_for("null-state"), Some(0x40));
        assert_eq!(MainFlags::bit_for("absolute"), Some(0));
        assert_eq!(MainFlags(0x43).short_text(), "Cnst,Var,Abs,Null");
    }
}
