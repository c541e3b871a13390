//! Front ends: text → model. `toml` is the TOML device format.
pub mod toml;
pub mod rust;
