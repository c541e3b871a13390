mod usb {
    usbdesc_runtime::include_device!("tests/ui/bad.toml");
}

fn main() {}
