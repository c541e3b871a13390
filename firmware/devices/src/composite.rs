//! Composite device: usbd-serial's CDC-ACM as the built-in driver (interfaces 0-1), then the
//! keypad HID interface at the `[builtin]` offsets (interface 2, endpoints 3, strings from 4):
//! `examples/feather-composite.toml`. Reports: `hid2::Input1`, `hid2::Output2`, `hid2::Feature3`.

usbdesc_runtime::include_device!("../../examples/feather-composite.toml");
