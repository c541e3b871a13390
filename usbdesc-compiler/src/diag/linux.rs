//! Notes that say what the Linux kernel does with a rule's violation (see `check::linux` for
//! how they were observed). Here, beside the diagnostics, so that every rule (the checks and the
//! classes' rules) can word them the same way.

use crate::diag::{Diagnostic, Severity};

/// Linux rejects: the diagnostic stays an error and its note quotes usbcore.
pub fn rejects(d: Diagnostic, kernel_says: impl AsRef<str>) -> Diagnostic {
    d.note(format!("Linux usbcore rejects this: {}", kernel_says.as_ref()))
}

/// A Linux driver (usbhid, cdc_acm) fails to bind: the diagnostic stays an error and its note
/// quotes the driver.
pub fn driver_rejects(driver: &str, d: Diagnostic, kernel_says: impl AsRef<str>) -> Diagnostic {
    d.note(format!("Linux {driver} rejects this: {}", kernel_says.as_ref()))
}

/// Linux accepts (it logs, fixes up or ignores): the diagnostic becomes a warning whose note says
/// what usbcore does.
pub fn accepts(mut d: Diagnostic, kernel_does: impl AsRef<str>) -> Diagnostic {
    d.severity = Severity::Warning;
    d.note(format!("Linux usbcore accepts this: {}", kernel_does.as_ref()))
}
