//! Usage page and usage names from the HID Usage Tables (the `hut` crate), both ways.
//!
//! Names are matched case-insensitively with `-`, `_`, `/` and spaces equivalent, so
//! `"Generic Desktop"`, `"generic-desktop"` and `"GENERIC_DESKTOP"` are one page, and
//! `"Keyboard LeftControl"` / `"keyboard-leftcontrol"` one usage. Numbers are always accepted
//! by the callers as a fallback.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

fn norm(s: &str) -> String {
    crate::tomlr::normalize_name(&s.replace('/', " "))
}

/// The page's name from the HUT ("Generic Desktop"), or `None` if the page is unknown/reserved.
pub fn page_name(page: u16) -> Option<String> {
    match hut::UsagePage::try_from(page) {
        Ok(hut::UsagePage::ReservedUsagePage(_)) | Err(_) => None,
        Ok(hut::UsagePage::VendorDefinedPage(_)) => Some(format!("Vendor Defined Page 0x{page:04X}")),
        Ok(p) => Some(p.name()),
    }
}

/// Page name or `0xNNNN` for dumps.
pub fn page_display(page: u16) -> String {
    page_name(page).unwrap_or_else(|| format!("0x{page:04X}"))
}

/// The usage's name on `page` ("Keyboard LeftControl"), or `None`.
pub fn usage_name(page: u16, id: u16) -> Option<String> {
    if page >= 0xFF00 {
        return None;
    }
    hut::Usage::new_from_page_and_id(page, id).ok().map(|u| u.name())
}

/// Usage name or `0xNNNN` for dumps.
pub fn usage_display(page: u16, id: u16) -> String {
    usage_name(page, id).unwrap_or_else(|| format!("0x{id:04X}"))
}

/// A 32-bit usage (page << 16 | id) for dumps: `Generic Desktop / X`.
pub fn full_usage_display(usage: u32) -> String {
    let (page, id) = ((usage >> 16) as u16, usage as u16);
    format!("{} / {}", page_display(page), usage_display(page, id))
}

fn page_table() -> &'static HashMap<String, u16> {
    static T: OnceLock<HashMap<String, u16>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        for p in (1..0xFF00u16).filter(|&p| is_defined_page(p)) {
            if let Ok(up) = hut::UsagePage::try_from(p) {
                m.insert(norm(&up.name()), p);
            }
        }
        // Common short forms.
        for (alias, p) in [
            ("keyboard", 7u16),
            ("keypad", 7),
            ("leds", 8),
            ("buttons", 9),
            ("digitizer", 0x0D),
            ("vendor", 0xFF00),
            ("undefined", 0),
        ] {
            m.entry(alias.to_string()).or_insert(p);
        }
        m
    })
}

/// Page value from its name.
pub fn page_from_name(name: &str) -> Option<u16> {
    let n = norm(name);
    if let Some(p) = page_table().get(&n) {
        return Some(*p);
    }
    // "Vendor Defined Page 0xFF01" / "vendor 0xff01"
    let rest = n.strip_prefix("vendor defined page ").or_else(|| n.strip_prefix("vendor "))?;
    let v = u16::from_str_radix(rest.trim_start_matches("0x"), 16).ok()?;
    (v >= 0xFF00).then_some(v)
}

/// All known page names (for "did you mean").
pub fn page_names() -> Vec<String> {
    let mut v: Vec<(u16, String)> =
        (1..0xFF00u16).filter_map(|p| page_name(p).map(|n| (p, n))).collect();
    v.sort();
    v.into_iter().map(|(_, n)| n).collect()
}

type UsageTable = Arc<(HashMap<String, u16>, Vec<String>)>;

/// Whether the HID Usage Tables define `page` (reserved and vendor pages are not).
fn is_defined_page(page: u16) -> bool {
    page != 0
        && page < 0xFF00
        && hut::UsagePage::try_from(page).is_ok_and(|up| !matches!(up, hut::UsagePage::ReservedUsagePage(_)))
}

fn usage_table(page: u16) -> UsageTable {
    static T: OnceLock<Mutex<HashMap<u16, UsageTable>>> = OnceLock::new();
    static EMPTY: OnceLock<UsageTable> = OnceLock::new();
    // Only defined pages get a name table, so the cache is bounded by the tables' page count:
    // every reserved page used to build (and keep) a table of 65,536 "Reserved" names, which let
    // a descriptor stream naming many pages grow memory without bound.
    if !is_defined_page(page) {
        return EMPTY.get_or_init(|| Arc::new((HashMap::new(), Vec::new()))).clone();
    }
    let cache = T.get_or_init(|| Mutex::new(HashMap::new()));
    let mut guard = match cache.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    guard
        .entry(page)
        .or_insert_with(|| {
            let mut m = HashMap::new();
            let mut names = Vec::new();
            for id in 0..=0xFFFFu16 {
                if let Ok(u) = hut::Usage::new_from_page_and_id(page, id) {
                    let name = u.name();
                    m.entry(norm(&name)).or_insert(id);
                    if names.len() < 4096 {
                        names.push(name);
                    }
                }
            }
            Arc::new((m, names))
        })
        .clone()
}

/// Usage ID on `page` from its name.
pub fn usage_from_name(page: u16, name: &str) -> Option<u16> {
    usage_table(page).0.get(&norm(name)).copied()
}

/// Known usage names on a page (for "did you mean"; capped).
pub fn usage_names(page: u16) -> Vec<String> {
    usage_table(page).1.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reserved pages get no name table (and no cache entry): a descriptor naming thousands of
    /// reserved pages must not make the name cache grow (the stress driver reached 24 GB before).
    #[test]
    fn reserved_pages_have_no_table() {
        assert!(!is_defined_page(0x00F0));
        assert!(usage_names(0x00F0).is_empty());
        assert_eq!(usage_from_name(0x00F0, "Reserved"), None);
        assert!(is_defined_page(0x01));
        assert_eq!(usage_from_name(0x01, "X"), Some(0x30));
    }

    #[test]
    fn names_both_ways() {
        assert_eq!(page_from_name("Generic Desktop"), Some(1));
        assert_eq!(page_from_name("generic-desktop"), Some(1));
        assert_eq!(page_from_name("Keyboard/Keypad"), Some(7));
        assert_eq!(page_from_name("keyboard"), Some(7));
        assert_eq!(page_from_name("vendor 0xff42"), Some(0xFF42));
        assert_eq!(usage_from_name(7, "Keyboard LeftControl"), Some(0xE0));
        assert_eq!(usage_from_name(7, "keyboard_leftcontrol"), Some(0xE0));
        assert_eq!(usage_from_name(1, "mouse"), Some(2));
        assert_eq!(usage_from_name(9, "Button 3"), Some(3));
        assert_eq!(usage_name(1, 0x30).as_deref(), Some("X"));
        assert_eq!(page_display(0x1234), "0x1234");
        assert_eq!(usage_display(0xFF00, 1), "0x0001");
        assert_eq!(page_display(0xFF00), "Vendor Defined Page 0xFF00");
    }
}
