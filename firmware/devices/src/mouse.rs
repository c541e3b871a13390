//! Boot mouse with a wheel: `examples/feather-mouse.toml`. The report protocol sends the 4-byte
//! `hid0::Input` (buttons, X, Y, wheel); in boot protocol the runtime sends the HID 1.11
//! Appendix B.2 3-byte format (buttons, X, Y).

usbdesc_runtime::include_device!("../../examples/feather-mouse.toml");
