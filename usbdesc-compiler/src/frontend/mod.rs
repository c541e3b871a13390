//! Front ends: text → model. `toml` is the TOML device format.
#[cfg(feature = "device")]
pub mod toml;
pub mod rust;
