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
    let vendor = dev.vendor_descriptors();
    assert_eq!(vendor.len(), 2, "MS OS 2.0 set and WebUSB URL");
    assert_eq!(webusb::DEVICE.vendor.len(), vendor.len());
    for (generated, v) in webusb::DEVICE.vendor.iter().zip(&vendor) {
        assert_eq!((generated.request, generated.value, generated.index, generated.bytes), (v.request, v.value, v.index, &v.bytes[..]), "{}", v.name);
    }
    let bytes = |name: &str| vendor.iter().find(|v| v.name == name).map(|v| &v.bytes[..]);
    assert_eq!(Some(&webusb::MSOS20_DESCRIPTOR_SET[..]), bytes("msos20_descriptor_set"));
    assert_eq!(Some(&webusb::WEBUSB_URL[..]), bytes("webusb_url"));
    assert_eq!(webusb::DEVICE.bos, encode::bos(&dev).as_deref());
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
