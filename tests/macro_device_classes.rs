//! `include_device!` carries the BOS, MS OS 2.0, WebUSB and dual-speed descriptors of the class
//! examples into the runtime's `DeviceDescriptors`, byte for byte as the encoder gives them.
use usbdesc_compiler::{compile_file, encode};

mod webusb {
    usbdesc_runtime::include_device!("examples/webusb-winusb.toml");
}
mod hs {
    usbdesc_runtime::include_device!("examples/hs-composite.toml");
}

fn device(name: &str) -> usbdesc_compiler::model::Device {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    compile_file(&path).unwrap().device.expect("example compiles")
}

#[test]
fn webusb_winusb_tables() {
    let dev = device("webusb-winusb.toml");
    let (code, set) = encode::msos20_set(&dev).expect("declares MS OS 2.0");
    let ms = webusb::DEVICE.msos20.expect("generated msos20");
    assert_eq!(ms.vendor_code, code);
    assert_eq!(ms.descriptor_set, &set[..]);
    assert_eq!(webusb::DEVICE.bos, encode::bos(&dev).as_deref());
    let (ucode, url) = encode::webusb_url(&dev).expect("declares a landing page");
    assert_eq!(webusb::WEBUSB_URL.vendor_code, ucode);
    assert_eq!(webusb::WEBUSB_URL.url, &url[..]);
    // Full speed only: no qualifier.
    assert!(webusb::DEVICE.device_qualifier.is_none());
}

#[test]
fn high_speed_composite_tables() {
    let dev = device("hs-composite.toml");
    let q = encode::device_qualifier(&dev).expect("dual speed");
    assert_eq!(q.len(), 10);
    assert_eq!(hs::DEVICE.device_qualifier, Some(&q[..]));
    let o = encode::other_speed_configuration(&dev, 0).expect("dual speed");
    assert_eq!(o[1], 0x07, "OTHER_SPEED_CONFIGURATION type");
    assert_eq!(hs::DEVICE.other_speed_configuration, Some(&o[..]));
    assert_eq!(hs::DEVICE.configuration, &encode::configuration(&dev, 0)[..]);
}
