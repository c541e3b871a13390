//! USB Mass Storage Bulk-Only Transport (BOT 1.0 §4.1.1): a BOT device must have a serial number
//! string of at least 12 characters, each `0`-`9` or `A`-`F` (the last 12 unique per device).
//! Linux and Windows enumerate a device that breaks this, so these are warnings; Windows then
//! derives the instance ID from the port, and the disk changes identity when it is moved.

//!
//! Mass storage has no class-specific descriptors: the interface is the class triple
//! `class = "msc"`, `subclass = "scsi"`, `protocol = "bot"` (see [`crate::names`]); the class is
//! this rule.

use super::UsbClass;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::spec::{class::MASS_STORAGE as MSC, protocol::MSC_BOT as BOT};

/// A BOT interface on a device whose serial number breaks BOT 1.0 §4.1.1 (warning).
pub const BOT_SERIAL: &str = "UD2013";

/// The class: Mass Storage, Bulk-Only Transport.
pub struct Msc;

impl UsbClass for Msc {
    fn name(&self) -> &'static str {
        "msc"
    }
    fn check(&self, dev: &Device, d: &mut Diagnostics) {
        check(dev, d)
    }
}

fn check(dev: &Device, d: &mut Diagnostics) {
    let Some(itf) = dev.configurations.iter().flat_map(|c| c.interfaces()).find(|i| i.class == MSC && i.protocol == BOT) else {
        return;
    };
    let note = "USB Mass Storage Class Bulk-Only Transport 1.0, section 4.1.1";
    if dev.serial.index == 0 {
        d.push(
            Diagnostic::warning(BOT_SERIAL, format!("mass storage interface {} (bulk-only) on a device without a serial number", itf.number))
                .at(itf.spans.table.or(dev.spans.table))
                .help("add `serial = \"0123456789AB\"` to [device]: at least 12 characters 0-9 and A-F, unique per device")
                .note(note),
        );
        return;
    }
    // A decoded blob carries the index but not the text: nothing more to check.
    let Some(text) = dev.serial.text.as_deref().or_else(|| dev.string(dev.serial.index)) else {
        return;
    };
    let bad: Vec<char> = text.chars().filter(|c| !matches!(c, '0'..='9' | 'A'..='F')).collect();
    let count = text.chars().count();
    if count >= 12 && bad.is_empty() {
        return;
    }
    let mut why = Vec::new();
    if count < 12 {
        why.push(format!("{count} characters, at least 12 are required"));
    }
    if !bad.is_empty() {
        let mut shown: Vec<String> = bad.iter().map(|c| format!("'{c}'")).collect();
        shown.dedup();
        why.push(format!("{} not in 0-9 A-F", shown.join(", ")));
    }
    d.push(
        Diagnostic::warning(BOT_SERIAL, format!("serial number \"{text}\" of a bulk-only mass storage device: {}", why.join("; ")))
            .at(dev.serial.span.or(dev.spans.table))
            .help("use at least 12 upper-case hex digits, e.g. \"0123456789AB\", unique per device")
            .note(note),
    );
}
