//! Back ends that print a model as text.
pub mod toml;
pub mod rust;
