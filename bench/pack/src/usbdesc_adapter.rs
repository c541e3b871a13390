//! ADAPTER (filled by the lead after the runtime and `#[hid_report]` land): the usbdesc side of the
//! report packing benchmark. Until then every function returns `None` and BENCHMARKS.md says
//! "pending".
//!
//! What to put here:
//! 1. `Keyboard`: the HID 1.11 App. B.1 boot keyboard input report declared with `#[hid_report]`
//!    (8 bytes: modifier bits, reserved byte, 6 key codes), filled with modifier 0x02 and keys
//!    [0x04, 0x05, 0x06, 0, 0, 0] in `keyboard()`.
//! 2. `Digitizer`: the same 20-field layout as `peers::DigitizerReport` (no report ID, because
//!    usbd-hid 0.10 generates no serializer for reports with IDs; per contact: 2 state bits + 6
//!    padding bits, id u8, x, y, width, height, pressure, azimuth u16, tilt i8; then scan_time u16,
//!    contact_count u8 = 35 bytes; `pack bytes usbd-hid-digitizer` prints them), filled with the values of
//!    `peers::digitizer()` in `digitizer()`.
//! 3. `impl Pack for ...` calling the generated `pack_into(&mut buf)` and returning the byte count,
//!    marked `#[inline(never)]` exactly like the peer impls in peers.rs.
//!
//! `cargo xtask bench` compares both sides' bytes (`pack bytes CASE`) and flags a mismatch in
//! BENCHMARKS.md.

use crate::Pack;

/// Placeholder type; replace with the `#[hid_report]` structs.
pub enum Pending {}

impl Pack for Pending {
    fn pack(&self, _buf: &mut [u8]) -> usize {
        match *self {}
    }
}

pub type Keyboard = Pending;
pub type Digitizer = Pending;

pub fn keyboard() -> Option<Keyboard> {
    None
}

pub fn digitizer() -> Option<Digitizer> {
    None
}
