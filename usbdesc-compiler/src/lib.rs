//! usbdesc core: one descriptor model shared by the TOML front end, the `#[hid_report]` macro,
//! the blob decoder, the checks, the single encoder and the text generators.
//!
//! Nothing here depends on proc-macro crates; `usbdesc-macros`, `usbdesc-cli` and build scripts all
//! call into this crate.

pub mod diag;
pub mod tomlr;
pub mod hid;
