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

/// The note for a blob the decoder cannot read, where the real kernel showed what it does with
/// the same bytes (descriptors inside a configuration; the device descriptor's errors stay bare).
pub fn decode_note(d: Diagnostic) -> Diagnostic {
    use crate::decode::{BAD_LENGTH, TRUNCATED, WRONG_TYPE};
    let inside_configuration = d.span.is_some_and(|s| s.start >= 18);
    let kernel = match d.code {
        BAD_LENGTH | TRUNCATED if inside_configuration => {
            "config 1 has an invalid descriptor of length N, skipping remainder of the config (every interface and endpoint after it is lost)"
        }
        WRONG_TYPE if inside_configuration => {
            "it reads wTotalLength bytes; descriptors after them are never read (config 1 has K interfaces, different from the descriptor's value)"
        }
        _ => return d,
    };
    rejects(d, kernel)
}
