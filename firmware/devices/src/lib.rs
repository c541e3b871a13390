//! The example devices, each compiled from its TOML in `examples/` by `include_device!`: the
//! descriptors, the runtime tables (`DEVICE`), the class type (`Class`, with `STATE_LEN`,
//! `MAX_EP` and the compile-time `DeviceSource`) and the typed reports of every HID interface
//! (`hidN::Input`, `hidN::Output2`, ...). The runtime's emulated-host tests compile the same TOML
//! files, so the firmware and the tests serve identical bytes.
#![no_std]

pub mod composite;
pub mod keyboard;
pub mod keypad;
pub mod mouse;
