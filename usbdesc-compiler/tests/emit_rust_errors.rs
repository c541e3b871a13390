//! `include_device!` turns a TOML error into a compile error whose text is what
//! `pipeline::device::toml_to_rust` returns: the rendered diagnostic naming file:line:col.
use usbdesc_compiler::emit::rust::Options;
use usbdesc_compiler::pipeline::device::toml_to_rust;

#[test]
fn toml_error_names_file_line_and_column() {
    let text = "[device]\nvid = 0x1209\npid = 0x0001\nprodcut = \"Typo\"\n";
    let err = toml_to_rust("firmware/usb.toml", text, &Options::default()).expect_err("unknown key");
    // Line 4, column 1: the misspelt key; code and help travel with it.
    assert!(err.contains("firmware/usb.toml:4:1: error[UD0002]: unknown key `device.prodcut`"), "{err}");
    assert!(err.contains("did you mean `product`?"), "{err}");
}

#[test]
fn toml_range_error_points_at_the_value() {
    let text = "[device]\nvid = 0x1209\npid = 0x10000\n";
    let err = toml_to_rust("usb.toml", text, &Options::default()).expect_err("pid out of range");
    assert!(err.contains("usb.toml:3:7: error[UD0004]"), "{err}");
}
