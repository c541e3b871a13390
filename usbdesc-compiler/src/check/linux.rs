//! What the Linux kernel (usbcore, drivers/usb/core/config.c and hub.c) does with a rule's
//! violation, observed by the real-host harness (`harness/config_verdicts.py`, verdict table
//! `tests/verdicts/config.tsv`): an error exactly when Linux rejects (device not configured, an
//! interface or endpoint dropped, the driver fails), a warning when it logs, fixes up or ignores.
//! Every host-backed diagnostic carries the kernel's message in its note.

use crate::diag::{Diagnostic, Severity};

/// Linux rejects: the diagnostic stays an error and its note quotes usbcore.
pub fn rejects(d: Diagnostic, kernel_says: impl AsRef<str>) -> Diagnostic {
    d.note(format!("Linux usbcore rejects this: {}", kernel_says.as_ref()))
}

/// Linux accepts (it logs, fixes up or ignores): the diagnostic becomes a warning whose note says
/// what usbcore does.
pub fn accepts(mut d: Diagnostic, kernel_does: impl AsRef<str>) -> Diagnostic {
    d.severity = Severity::Warning;
    d.note(format!("Linux usbcore accepts this: {}", kernel_does.as_ref()))
}
