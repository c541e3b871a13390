//! The one HID encoder: items → bytes. Every other front end (TOML field form, item form,
//! `#[hid_report]`) builds [`Item`]s and calls this.

use super::item::Item;

/// Append one item's bytes.
pub fn encode_item(item: &Item, out: &mut Vec<u8>) {
    match item {
        Item::Short { tag, size, data } => {
            let code = match size {
                0 => 0,
                1 => 1,
                2 => 2,
                _ => 3,
            };
            out.push(tag.prefix() | code);
            let le = data.to_le_bytes();
            let n = match size {
                0 => 0,
                1 => 1,
                2 => 2,
                _ => 4,
            };
            out.extend_from_slice(&le[..n]);
        }
        Item::Long { tag, data } => {
            // §6.2.2.3: 0xFE, bDataSize, bLongItemTag, data (at most 255 bytes; longer data is cut).
            let n = data.len().min(255);
            out.push(0xFE);
            out.push(n as u8);
            out.push(*tag);
            out.extend_from_slice(&data[..n]);
        }
    }
}

/// Encode a list of items.
pub fn encode_items<'a>(items: impl IntoIterator<Item = &'a Item>) -> Vec<u8> {
    let mut out = Vec::new();
    for it in items {
        encode_item(it, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hid::item::Tag;

    #[test]
    fn encodes_short_and_long_items() {
        let items = [
            Item::unsigned(Tag::UsagePage, 1),
            Item::signed(Tag::LogicalMaximum, 255),
            Item::signed(Tag::LogicalMinimum, -127),
            Item::unsigned(Tag::Usage, 0x000D_0022),
            Item::dataless(Tag::EndCollection),
            Item::Long { tag: 0x12, data: vec![1, 2] },
        ];
        assert_eq!(
            encode_items(&items),
            vec![0x05, 0x01, 0x26, 0xFF, 0x00, 0x15, 0x81, 0x0B, 0x22, 0x00, 0x0D, 0x00, 0xC0, 0xFE, 0x02, 0x12, 1, 2]
        );
    }
}
