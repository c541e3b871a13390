//! String rules: every referenced index has a string, and every string fits a descriptor.

use super::codes;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    let str_max = dev.builtin.as_ref().map(|b| b.str_max).unwrap_or(0);
    for r in crate::numbering::str_refs(dev) {
        if r.index == 0 || r.text.is_some() || r.index < str_max || dev.string(r.index).is_some() {
            continue;
        }
        d.push(
            Diagnostic::warning(codes::MISSING_STRING, format!("string index {} has no string in this file", r.index))
                .at(r.span)
                .help("write the text instead of the index so usbdesc assigns the index and emits the string"),
        );
    }
    for s in &dev.strings {
        let texts = std::iter::once((dev.languages.first().copied().unwrap_or(0), &s.text)).chain(s.translations.iter().map(|(l, t)| (*l, t)));
        for (lang, t) in texts {
            let units = t.encode_utf16().count();
            if units > 126 {
                let span = crate::numbering::str_refs(dev).into_iter().find(|r| r.index == s.index).and_then(|r| r.span);
                d.push(
                    Diagnostic::error(codes::STRING_LENGTH, format!("string {} ({lang:#06x}) has {units} UTF-16 code units; a string descriptor holds 126", s.index))
                        .at(span)
                        .help("shorten the text (bLength is one byte: 2 + 2 × 126 = 254)"),
                );
            }
        }
    }
    if dev.languages.len() > 126 {
        d.push(
            Diagnostic::error(codes::STRING_LENGTH, "more than 126 languages do not fit string descriptor 0")
                .at(dev.spans.at("languages"))
                .help("list fewer LANGIDs"),
        );
    }
}
