//! Pipelines: a front end, the core's checks and layout, and a generator run in a row for one
//! caller. The generators themselves ([`crate::emit`]) only print what they are given.
//!
//! * [`hid_report`]: `#[hid_report]` / `#[hid_descriptor]` declarations → descriptor bytes and
//!   report types (the macros).
//! * [`device`] (feature `device`): TOML text → the Rust items of `include_device!` and build
//!   scripts.

#[cfg(feature = "device")]
pub mod device;
pub mod hid_report;
