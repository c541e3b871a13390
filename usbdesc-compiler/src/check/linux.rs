//! What the Linux kernel (usbcore, drivers/usb/core/config.c and hub.c) does with a rule's
//! violation, observed by the real-host harness (`harness/config_verdicts.py`, verdict table
//! `tests/verdicts/config.tsv`): an error exactly when Linux rejects (device not configured, an
//! interface or endpoint dropped, the driver fails), a warning when it logs, fixes up or ignores.
//! Every host-backed diagnostic carries the kernel's message in its note.

use crate::diag::Diagnostic;
pub use crate::diag::linux::{accepts, driver_rejects, rejects};

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
