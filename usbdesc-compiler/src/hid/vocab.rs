//! One vocabulary for the items a field or collection writes before its main item: the names
//! accepted in a TOML `emit` list, a `sizes` table and the `order` list of `#[hid_report]`.
//!
//! The canonical name of a global is the field key that sets it (`bits`, `count`,
//! `unit_exponent`, ...); the HID item names (`report_size`, `report_count`) and `exponent` are
//! accepted as aliases, so a list copied from an item dump or from a field reads the same.

use super::item::Tag;

/// Tags a field or a collection writes before its main item, in the default order; Push and Pop
/// (which save and restore the globals, HID 1.11 §6.2.2.7) only where an `emit` list places them.
pub const PREFIX_TAGS: &[Tag] = &[
    Tag::ReportId,
    Tag::UsagePage,
    Tag::Usage,
    Tag::UsageMinimum,
    Tag::UsageMaximum,
    Tag::LogicalMinimum,
    Tag::LogicalMaximum,
    Tag::PhysicalMinimum,
    Tag::PhysicalMaximum,
    Tag::UnitExponent,
    Tag::Unit,
    Tag::ReportSize,
    Tag::ReportCount,
    Tag::Push,
    Tag::Pop,
];

/// The order a node without `emit` writes its items in, unless the report sets its own
/// ([`order_from`]): Push and Pop are never written by default.
pub fn default_order() -> Vec<Tag> {
    PREFIX_TAGS.iter().copied().filter(|t| !matches!(t, Tag::Push | Tag::Pop)).collect()
}

/// A report's default order from a list of names' tags: the listed tags take the places the
/// default order gives them, in the listed order (`["count", "bits"]` puts Report Count before
/// Report Size and moves nothing else). Push, Pop and repeated tags are ignored.
pub fn order_from(listed: &[Tag]) -> Vec<Tag> {
    let mut order = default_order();
    let mut picked: Vec<Tag> = Vec::new();
    for t in listed {
        if order.contains(t) && !picked.contains(t) {
            picked.push(*t);
        }
    }
    let slots: Vec<usize> = order.iter().enumerate().filter(|(_, t)| picked.contains(t)).map(|(i, _)| i).collect();
    for (slot, t) in slots.into_iter().zip(picked) {
        order[slot] = t;
    }
    order
}

/// Aliases: (alias, tag). Every other name is the item key of [`Tag::key`].
const ALIASES: &[(&str, Tag)] = &[
    ("bits", Tag::ReportSize),
    ("count", Tag::ReportCount),
    ("exponent", Tag::UnitExponent),
    ("usage_minimum", Tag::UsageMinimum),
    ("usage_maximum", Tag::UsageMaximum),
    ("logical_minimum", Tag::LogicalMinimum),
    ("logical_maximum", Tag::LogicalMaximum),
    ("physical_minimum", Tag::PhysicalMinimum),
    ("physical_maximum", Tag::PhysicalMaximum),
];

/// The prefix tag a name stands for (`"bits"` and `"report_size"` → Report Size), `None` for
/// anything that is not one of [`PREFIX_TAGS`].
pub fn prefix_tag(name: &str) -> Option<Tag> {
    ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map(|(_, t)| *t)
        .or_else(|| Tag::from_key(name))
        .filter(|t| PREFIX_TAGS.contains(t))
}

/// The canonical name of a prefix tag: the field key (`bits`, `count`), else the item key.
pub fn prefix_name(t: Tag) -> &'static str {
    match t {
        Tag::ReportSize => "bits",
        Tag::ReportCount => "count",
        other => other.key(),
    }
}

/// Every accepted name, canonical names first (for help lines and completion).
pub fn all_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = PREFIX_TAGS.iter().map(|t| prefix_name(*t)).collect();
    for (a, _) in ALIASES {
        if !v.contains(a) {
            v.push(a);
        }
    }
    for t in PREFIX_TAGS {
        if !v.contains(&t.key()) {
            v.push(t.key());
        }
    }
    v
}

/// Data sizes a short item can have (HID 1.11 §6.2.2.2).
pub const ITEM_SIZES: [u8; 4] = [0, 1, 2, 4];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_keys_and_item_names_are_one_vocabulary() {
        for t in PREFIX_TAGS {
            assert_eq!(prefix_tag(prefix_name(*t)), Some(*t));
            assert_eq!(prefix_tag(t.key()), Some(*t));
        }
        assert_eq!(prefix_tag("bits"), Some(Tag::ReportSize));
        assert_eq!(prefix_tag("report_count"), Some(Tag::ReportCount));
        assert_eq!(prefix_tag("exponent"), Some(Tag::UnitExponent));
        assert_eq!(prefix_tag("input"), None);
        assert_eq!(prefix_tag("push"), Some(Tag::Push));
        assert_eq!(prefix_tag("pop"), Some(Tag::Pop));
        assert_eq!(prefix_tag("end_collection"), None);
        assert!(all_names().starts_with(&["report_id", "usage_page"]));
        let o = order_from(&[Tag::ReportCount, Tag::ReportSize]);
        assert_eq!(o[o.len() - 2..], [Tag::ReportCount, Tag::ReportSize]);
        assert_eq!(o[..o.len() - 2], default_order()[..o.len() - 2]);
    }
}
