//! Bytes → items. Never panics; a truncated item is an error naming its byte offset.

use super::item::{Item, Tag};
use crate::diag::{Diagnostic, Span};

pub const TRUNCATED: &str = "UD4001";
pub const TRUNCATED_LONG: &str = "UD4002";

/// An item with the byte range it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedItem {
    pub item: Item,
    pub span: Span,
}

/// Split a report descriptor into items (§6.2.2.2 short items, §6.2.2.3 long items).
///
/// Every byte must belong to an item: a header whose data runs past the end is reported at the
/// header's offset with the number of missing bytes. Reserved tags are kept (lints flag them).
/// What Linux does with a descriptor that ends inside an item.
const FETCH_FAILED: &str = "Linux hid-core rejects this descriptor: \"item fetching failed at offset …\"";

pub fn decode_items(bytes: &[u8]) -> Result<Vec<DecodedItem>, Diagnostic> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < bytes.len() {
        let prefix = bytes[i];
        if prefix == 0xFE {
            let (Some(&n), Some(&tag)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                return Err(Diagnostic::error(
                    TRUNCATED_LONG,
                    format!("long item at byte offset {i} is truncated: its 3-byte header runs past the end ({} bytes)", bytes.len()),
                )
                .at_labeled(Span::new(i, bytes.len()), "long item header")
                .help("a long item is 0xFE, bDataSize, bLongItemTag, then bDataSize data bytes (HID 1.11 §6.2.2.3)")
                .note(FETCH_FAILED));
            };
            let end = i + 3 + n as usize;
            let Some(data) = bytes.get(i + 3..end) else {
                return Err(Diagnostic::error(
                    TRUNCATED_LONG,
                    format!(
                        "long item at byte offset {i} declares {n} data bytes but only {} remain",
                        bytes.len() - (i + 3)
                    ),
                )
                .at_labeled(Span::new(i, bytes.len()), "truncated long item")
                .help("the descriptor ends inside this item; check the descriptor length")
                .note(FETCH_FAILED));
            };
            out.push(DecodedItem { item: Item::Long { tag, data: data.to_vec() }, span: Span::new(i, end) });
            i = end;
            continue;
        }
        let size = match prefix & 3 {
            3 => 4,
            s => s as usize,
        };
        let end = i + 1 + size;
        let Some(data) = bytes.get(i + 1..end) else {
            let tag = Tag::from_prefix(prefix);
            return Err(Diagnostic::error(
                TRUNCATED,
                format!(
                    "item {} (0x{prefix:02x}) at byte offset {i} needs {size} data bytes but only {} remain",
                    tag.spec_name(),
                    bytes.len() - (i + 1)
                ),
            )
            .at_labeled(Span::new(i, bytes.len()), "truncated item")
            .help("the descriptor ends inside this item: trailing bytes that are not a whole item; check the descriptor length")
            .note(FETCH_FAILED));
        };
        let mut le = [0u8; 4];
        le[..size].copy_from_slice(data);
        out.push(DecodedItem {
            item: Item::Short { tag: Tag::from_prefix(prefix), size: size as u8, data: u32::from_le_bytes(le) },
            span: Span::new(i, end),
        });
        i = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_reports_offsets() {
        let items = decode_items(&[0x05, 0x01, 0xFE, 0x01, 0x42, 0x99, 0xC0]).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].item, Item::Long { tag: 0x42, data: vec![0x99] });
        assert_eq!(items[1].span, Span::new(2, 6));
        let e = decode_items(&[0x05, 0x01, 0x26, 0xFF]).unwrap_err();
        assert_eq!(e.code, TRUNCATED);
        assert_eq!(e.span, Some(Span::new(2, 4)));
        assert!(e.message.contains("offset 2"), "{}", e.message);
        assert_eq!(decode_items(&[0xFE, 0x05, 0x00, 1]).unwrap_err().code, TRUNCATED_LONG);
        assert_eq!(decode_items(&[0xFE]).unwrap_err().code, TRUNCATED_LONG);
    }
}
