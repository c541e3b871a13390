//! The one HID encoder: items → bytes. Every other front end (TOML field form, item form,
//! `#[hid_report]`) builds [`Item`]s and calls this.

use super::item::Item;
use crate::diag::{Diagnostic, Span};

/// A long item whose data does not fit its one-byte bDataSize.
pub const LONG_ITEM_TOO_LONG: &str = "UD4003";
/// Most data bytes a long item can carry (bDataSize is one byte, HID 1.11 §6.2.2.3).
pub const MAX_LONG_DATA: usize = 255;

/// The error for a long item of `len` data bytes (> [`MAX_LONG_DATA`]) written at `span`. Every
/// front end that can build such an item reports it (the TOML item form when reading, the lints for
/// items built through the API); the encoder never meets one in a descriptor without errors.
pub fn long_item_too_long(len: usize, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::error(
        LONG_ITEM_TOO_LONG,
        format!("long item with {len} data bytes: bDataSize is one byte, so at most {MAX_LONG_DATA} fit"),
    );
    let d = match span {
        Some(s) => d.at_labeled(s, format!("{len} bytes")),
        None => d,
    };
    d.help(format!(
        "split the data over several long items of at most {MAX_LONG_DATA} bytes each (HID 1.11 §6.2.2.3)"
    ))
}

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
            // §6.2.2.3: 0xFE, bDataSize, bLongItemTag, data. Longer data than bDataSize can say is
            // an error (UD4003) on every path that builds items; the encoder only keeps from
            // writing a length byte that disagrees with the data that follows.
            let n = data.len().min(MAX_LONG_DATA);
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
