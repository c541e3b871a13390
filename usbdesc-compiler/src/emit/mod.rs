//! Back ends that print a model as text.
pub mod toml;
pub mod c;
pub mod json;
pub mod micropython;
pub mod rust;
