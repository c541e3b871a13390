//! A custom 16-key keypad with report IDs, no boot protocol: `examples/feather-keypad.toml`.
//! `hid0::Input1` (16 buttons), `hid0::Output2` (4 LEDs), `hid0::Feature3` (brightness, mode).

usbdesc_runtime::include_device!("../../examples/feather-keypad.toml");
