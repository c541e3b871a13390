//! Back ends that print a model as text. `rust` (what the macros and build scripts use) is always
//! there; the others are feature `emit`.
#[cfg(feature = "emit")]
pub mod toml;
#[cfg(feature = "emit")]
pub mod c;
#[cfg(feature = "emit")]
pub mod json;
#[cfg(feature = "emit")]
pub mod micropython;
#[cfg(feature = "emit")]
pub mod tinyusb;
#[cfg(feature = "emit")]
pub mod symbols;
pub mod rust;
