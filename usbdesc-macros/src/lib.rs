//! Procedural macros for usbdesc. Thin: parse syn into the core model, call `usbdesc-compiler`
//! for checks and encoding, and map core diagnostics to `syn::Error` at the right span.
