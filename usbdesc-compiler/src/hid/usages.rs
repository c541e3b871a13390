//! Usage page and usage names from the HID Usage Tables (the `hut` crate), both ways.
//!
//! Names are matched case-insensitively with `-`, `_`, `/` and spaces equivalent, so
//! `"Generic Desktop"`, `"generic-desktop"` and `"GENERIC_DESKTOP"` are one page, and
//! `"Keyboard LeftControl"` / `"keyboard-leftcontrol"` one usage. Numbers are always accepted
//! by the callers as a fallback.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

fn norm(s: &str) -> String {
    crate::names::normalize_name(&s.replace('/', " "))
}

/// The page's name from the HUT ("Generic Desktop"), or `None` if the page is unknown/reserved.
pub fn page_name(page: u16) -> Option<String> {
    match hut::UsagePage::try_from(page) {
        Ok(hut::UsagePage::ReservedUsagePage(_)) | Err(_) => None,
        Ok(hut::UsagePage::VendorDefinedPage(_)) => Some(format!("Vendor Defined Page 0x{page:04X}")),
        Ok(p) => Some(p.name()),
    }
}

/// The page's name if reading it back gives the page (what writers print instead of a number).
pub fn page_name_exact(page: u16) -> Option<String> {
    page_name(page).filter(|n| page_from_name(n) == Some(page))
}

/// The usage's name on `page` if reading it back on that page gives the ID.
pub fn usage_name_exact(page: u16, id: u16) -> Option<String> {
    usage_name(page, id).filter(|n| usage_from_name(page, n) == Some(id))
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

/// Name → ID, and the first [`NAMES_CAP`] (ID, name) pairs in ID order.
type UsageTable = Arc<(HashMap<String, u16>, Vec<(u16, String)>)>;

/// Pages with a generated name for every ID (`Button n`, `Instance n`) list this many.
pub const NAMES_CAP: usize = 4096;

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
                    if names.len() < NAMES_CAP {
                        names.push((id, name));
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
    usage_table(page).1.iter().map(|(_, n)| n.clone()).collect()
}

/// The named usages of a page with their IDs, in ID order (the first [`NAMES_CAP`]).
pub fn usages_of(page: u16) -> Vec<(u16, String)> {
    usage_table(page).1.clone()
}

/// Every page the HID Usage Tables define, with its name, in page order.
pub fn pages() -> Vec<(u16, String)> {
    (1..0xFF00u16).filter(|&p| is_defined_page(p)).filter_map(|p| page_name(p).map(|n| (p, n))).collect()
}

/// A suggestion for a usage name that is not on `page`: a close spelling, else the first usage
/// whose name shares a word with it ("Mouse Button" → "Button 1" on the Button page).
pub fn suggest_usage(page: u16, name: &str) -> Option<String> {
    // ID 0 is "no usage" on most pages (`Button 0`: no button pressed): never a suggestion.
    let names: Vec<String> = usage_table(page).1.iter().filter(|(id, _)| *id != 0).map(|(_, n)| n.clone()).collect();
    if let Some(m) = crate::names::did_you_mean(name, names.iter().map(|s| s.as_str())) {
        return Some(m.to_string());
    }
    let words: Vec<String> = norm(name).split(' ').filter(|w| w.len() >= 3).map(str::to_string).collect();
    names.into_iter().find(|n| norm(n).split(' ').any(|w| words.iter().any(|x| x == w)))
}

/// The Usage Page that usage names are looked up on while reading a front end (TOML field or item
/// form, `#[hid_report]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PageScope {
    /// No Usage Page set yet.
    #[default]
    None,
    Page(u16),
    /// The page was given by a name already reported unknown: usage names under it are not looked
    /// up (and not reported a second time).
    Unknown,
}

impl PageScope {
    pub fn page(self) -> Option<u16> {
        match self {
            PageScope::Page(p) => Some(p),
            _ => None,
        }
    }
    /// This scope if it says anything, else `outer`.
    pub fn or(self, outer: PageScope) -> PageScope {
        match self {
            PageScope::None => outer,
            s => s,
        }
    }
}

/// Where a name was written, for the diagnostics of [`page_by_name`] and [`usage_by_name`]: its
/// span, the front end's code, and a path prefix for the message (the TOML key path; empty for
/// `#[hid_report]`, whose spans already point into the attribute).
#[derive(Clone, Copy, Debug)]
pub struct NameSite<'a> {
    pub span: crate::diag::Span,
    pub code: &'static str,
    pub path: &'a str,
}

impl NameSite<'_> {
    fn error(&self, msg: String) -> crate::diag::Diagnostic {
        let msg = if self.path.is_empty() { msg } else { format!("`{}`: {msg}", self.path) };
        crate::diag::Diagnostic::error(self.code, msg)
    }
}

/// The page named `name` (HUT name, case- and separator-insensitive), or an error with a "did you
/// mean" at `site`. The one page-name lookup of every front end.
pub fn page_by_name(name: &str, site: NameSite<'_>, d: &mut crate::diag::Diagnostics) -> Option<u16> {
    if let Some(p) = page_from_name(name) {
        return Some(p);
    }
    let names = page_names();
    let diag = site
        .error(format!("unknown usage page \"{name}\""))
        .at_labeled(site.span, "not a usage page of the HID Usage Tables");
    d.push(match crate::names::did_you_mean(name, names.iter().map(|s| s.as_str())) {
        Some(m) => diag.help(format!("did you mean \"{m}\"? A number 0..=0xFFFF is also accepted; `usbdesc usages` lists the pages")),
        None => diag.help("use a HUT page name such as \"Generic Desktop\", or a number 0..=0xFFFF; `usbdesc usages` lists the pages"),
    });
    None
}

/// The usage ID named `name` on the page in `scope`, or an error at `site` (no page set; not a
/// usage of that page, with a "did you mean"). Nothing is reported when the page itself was an
/// unknown name (already reported). The one usage-name lookup of every front end.
pub fn usage_by_name(scope: PageScope, name: &str, site: NameSite<'_>, d: &mut crate::diag::Diagnostics) -> Option<u16> {
    let page = match scope {
        PageScope::Page(p) => p,
        PageScope::Unknown => return None,
        PageScope::None => {
            d.push(
                site.error(format!("usage name \"{name}\" needs a usage page"))
                    .at_labeled(site.span, "no Usage Page in effect here")
                    .help("set `usage_page` here or on an enclosing collection, or give the usage as a number"),
            );
            return None;
        }
    };
    if let Some(id) = usage_from_name(page, name) {
        return Some(id);
    }
    let diag = site
        .error(format!("\"{name}\" is not a usage on page {}", page_display(page)))
        .at_labeled(site.span, "unknown usage name");
    let list = format!("`usbdesc usages \"{}\"` lists them", page_display(page));
    d.push(match suggest_usage(page, name) {
        Some(m) => diag.help(format!("did you mean \"{m}\"? A number 0..=0xFFFF is also accepted; {list}")),
        None => diag.help(format!("use a usage name from the HID Usage Tables for this page, or a number; {list}")),
    });
    None
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

    #[test]
    fn suggestions_by_spelling_or_shared_word() {
        assert_eq!(suggest_usage(1, "Mouce").as_deref(), Some("Mouse"));
        // No close spelling on the Button page: the first name sharing a word.
        assert_eq!(suggest_usage(9, "Mouse Button").as_deref(), Some("Button 1"));
        assert_eq!(suggest_usage(1, "Zzzzqqq"), None);
        assert_eq!(usages_of(1).iter().find(|(id, _)| *id == 0x30).map(|(_, n)| n.as_str()), Some("X"));
        assert!(pages().iter().any(|(p, n)| *p == 0x0C && n == "Consumer"));
    }

    #[test]
    fn lookups_report_once() {
        use crate::diag::{Diagnostics, Span};
        let site = NameSite { span: Span::new(0, 1), code: "UD0000", path: "report.usage_page" };
        let mut d = Diagnostics::new();
        assert_eq!(page_by_name("generic desktop", site, &mut d), Some(1));
        assert_eq!(usage_by_name(PageScope::Page(1), "x", site, &mut d), Some(0x30));
        assert!(d.is_empty());
        assert_eq!(page_by_name("Generic Desktp", site, &mut d), None);
        assert_eq!(d.iter().next().unwrap().message, "`report.usage_page`: unknown usage page \"Generic Desktp\"");
        // Under a page that was itself unknown, a usage name adds nothing.
        assert_eq!(usage_by_name(PageScope::Unknown, "Mouse", site, &mut d), None);
        assert_eq!(d.error_count(), 1);
        assert_eq!(usage_by_name(PageScope::None, "Mouse", site, &mut d), None);
        assert_eq!(usage_by_name(PageScope::Page(1), "Mouse2", site, &mut d), None);
        assert_eq!(d.error_count(), 3);
    }
}
