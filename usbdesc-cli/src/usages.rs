//! `usbdesc usages [PAGE] [--search TEXT]`: the HID Usage Tables (the `hut` crate) as the TOML
//! front end and `#[hid_report]` spell them: pages, and the usages of a page, with their numbers.

use crate::{out, Fail, Res};
use usbdesc_compiler::hid::usages::{self, NAMES_CAP};

/// A page given by name ("Generic Desktop", "generic-desktop") or number (`1`, `0x01`).
fn page_arg(text: &str) -> Result<u16, Fail> {
    let t = text.trim();
    let number = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    };
    if let Some(p) = number.or_else(|| usages::page_from_name(t)) {
        return Ok(p);
    }
    let names = usages::page_names();
    let hint = match usbdesc_compiler::tomlr::did_you_mean(t, names.iter().map(|s| s.as_str())) {
        Some(m) => format!("did you mean \"{m}\"? "),
        None => String::new(),
    };
    Err(Fail::usage(format!("unknown usage page \"{t}\": {hint}`usbdesc usages` lists the pages")))
}

fn matches(name: &str, search: &Option<String>) -> bool {
    search.as_ref().is_none_or(|s| name.to_lowercase().contains(&s.to_lowercase()))
}

pub fn run(page: Option<&str>, search: Option<String>) -> Res {
    let mut text = String::new();
    match page {
        None if search.is_none() => {
            text.push_str("# Usage pages of the HID Usage Tables (usage_page = \"Name\" or the number).\n");
            for (p, name) in usages::pages() {
                text.push_str(&format!("0x{p:04X}  {name}\n"));
            }
            text.push_str("0xFF00..=0xFFFF  Vendor Defined Page 0xFFnn (usage_page = \"Vendor 0xFF00\", usages by number)\n");
        }
        None => {
            // Every page's usages whose name contains the text.
            for (p, page_name) in usages::pages() {
                for (id, name) in usages::usages_of(p).into_iter().filter(|(_, n)| matches(n, &search)) {
                    text.push_str(&format!("0x{p:04X} 0x{id:04X}  {page_name} / {name}\n"));
                }
            }
        }
        Some(arg) => {
            let p = page_arg(arg)?;
            let page_name = usages::page_display(p);
            let list = usages::usages_of(p);
            if list.is_empty() {
                text.push_str(&format!("# {page_name} (0x{p:04X}) has no named usages: give usages as numbers.\n"));
            } else {
                text.push_str(&format!("# {page_name} (0x{p:04X}): usage = \"Name\" or the number.\n"));
            }
            let capped = list.len() >= NAMES_CAP;
            for (id, name) in list.iter().filter(|(_, n)| matches(n, &search)) {
                text.push_str(&format!("0x{id:04X}  {name}\n"));
            }
            if capped {
                text.push_str(&format!("# ... and on to 0xFFFF, named the same way (first {NAMES_CAP} shown)\n"));
            }
        }
    }
    if text.is_empty() {
        return Err(Fail::usage(format!("no usage name contains \"{}\"", search.unwrap_or_default())));
    }
    out::stdout(text.as_bytes())
}
