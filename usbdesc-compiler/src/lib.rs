//! usbdesc core: one descriptor model shared by the TOML front end, the `#[hid_report]` macro,
//! the blob decoder, the checks, the single encoder and the text generators.
//!
//! Nothing here depends on proc-macro crates; `usbdesc-macros`, `usbdesc-cli` and build scripts all
//! call into this crate.
//!
//! Entry points: [`compile_str`] (TOML text → checked [`model::Device`]), [`encode`] (model → bytes),
//! [`decode::decode_blob`] (bytes → model) and [`emit::toml::to_toml`] (model → TOML).
//!
//! Cargo features, all default, grouped by module below. `usbdesc-macros` builds `#[hid_report]`
//! with none of them (the HID model, encoder, layout, lints, usage names and the Rust generator);
//! `include_device!` adds `device`.
//! - `device`: the TOML front end ([`tomlr`], `frontend::toml`, `hid::toml`, [`compile_str`]), the
//!   device model, its checks, encoder, blob decoder and runtime tables, and `emit::rust`'s device
//!   module.
//! - `serde`: `serde::Serialize` on the model, diagnostics and HID layout.
//! - `emit` (implies `device`, `serde` and `render`): the text back ends besides Rust, the JSON
//!   schema, input sniffing and the self-checks, and TOML writing (`to_toml`).
//! - `render`: graphical diagnostics (miette): [`diag::render`], and source snippets in
//!   `Compiled::render` / `pipeline::device::toml_to_rust` (without it they give
//!   [`diag::render_plain`]: header, label, help and note lines).

// What `#[hid_report]` needs.
pub mod codes;
pub mod diag;
pub mod emit;
pub mod frontend;
pub mod hid;
pub mod ident;
pub mod names;
pub mod pipeline;
pub mod scalar;
pub mod spec;

/// Items of one cargo feature, written once under one `cfg`.
macro_rules! with_feature {
    ($feature:literal: $($item:item)*) => { $(#[cfg(feature = $feature)] $item)* };
}

with_feature! { "device":
    pub mod boxed;
    pub mod build;
    pub mod builtin;
    pub mod check;
    pub mod class;
    mod compile;
    pub mod decode;
    pub mod encode;
    pub mod model;
    pub mod numbering;
    pub mod profile;
    pub mod speed;
    pub mod speed_limits;
    pub mod tables;
    pub mod tomlr;
    pub use compile::{compile_file, compile_str, Compiled};
}

with_feature! { "emit":
    pub mod input;
    pub mod schema;
    pub mod schema_parts;
    pub mod selfcheck;
}
