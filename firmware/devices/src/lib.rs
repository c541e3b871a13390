//! The example devices: compiled descriptors and typed reports, one file per device.
//! The runtime's emulated-host tests include these same files (`#[path]`), so the firmware and
//! the tests exercise identical bytes.
#![no_std]

pub mod composite;
pub mod keyboard;
pub mod keypad;
pub mod mouse;
