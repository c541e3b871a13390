//! The WebUSB + WinUSB example (examples/webusb-winusb.toml), compiled by usbdesc-compiler and
//! served by the runtime: the host reads the BOS, the MS OS 2.0 descriptor set (vendor code,
//! wIndex 7) and the WebUSB landing page (GET_URL: vendor code, wIndex 2, wValue 1) as compiled;
//! wrong indices on those vendor codes STALL.

mod support;

use std::sync::OnceLock;
use support::*;
use usbd_class_tester::prelude::*;
use usbdesc_compiler::encode;
use usbdesc_runtime::*;

struct Compiled {
    desc: &'static DeviceDescriptors,
    webusb: WebUsbUrl,
}

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/webusb-winusb.toml");
        let c = usbdesc_compiler::compile_file(std::path::Path::new(path)).unwrap();
        let d = c.device.expect("example compiles");
        let strings: Vec<StringDescriptor> = encode::string_descriptors(&d)
            .into_iter()
            .map(|(index, langid, b)| StringDescriptor { index, langid, bytes: leak(b) })
            .collect();
        let (ms_code, set) = encode::msos20_set(&d).unwrap();
        let (url_code, url) = encode::webusb_url(&d).unwrap();
        let ep = |address| EndpointInfo {
            address,
            interface: 0,
            alt_setting: 0,
            transfer: TransferType::Bulk,
            attributes: 2,
            max_packet_size: 64,
            interval: 0,
            builtin: false,
        };
        let desc = DeviceDescriptors {
            device: leak(encode::device_descriptor(&d)),
            configuration: leak(encode::configuration(&d, 0)),
            device_qualifier: encode::device_qualifier(&d).map(leak),
            other_speed_configuration: encode::other_speed_configuration(&d, 0).map(leak),
            bos: encode::bos(&d).map(leak),
            strings: Box::leak(strings.into_boxed_slice()),
            msos20: Some(MsOs20 { vendor_code: ms_code, descriptor_set: leak(set) }),
            interfaces: Box::leak(Box::new([InterfaceInfo { number: 0, alt_settings: 1, class: 0xff, subclass: 0, protocol: 0, builtin: false }])),
            endpoints: Box::leak(Box::new([ep(0x01), ep(0x81)])),
            hid: &[],
            builtin: None,
        };
        Compiled { desc: Box::leak(Box::new(desc)), webusb: WebUsbUrl { vendor_code: url_code, url: leak(url) } }
    })
}

struct WebCtx;

impl UsbDeviceCtx for WebCtx {
    type C<'c> = Class<'c>;
    const EP0_SIZE: u8 = 64;
    fn create_class<'a>(&mut self, alloc: &'a usb_device::bus::UsbBusAllocator<EmulatedUsbBus>) -> AnyResult<Class<'a>> {
        let c = compiled();
        UsbdescClass::new(alloc, c.desc)
            .map(|k| k.with_webusb_url(c.webusb))
            .map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
    }
}

fn vendor_in() -> CtrRequestType {
    CtrRequestType::to_host().vendor().device()
}

fn serves_bos_msos20_and_url<'a>(mut cls: Class<'a>, mut dev: Device<'a, Class<'a>, WebCtx>) {
    let c = compiled();
    let cls = &mut cls;
    let bos = c.desc.bos.unwrap();
    assert_eq!(dev.device_get_descriptor(cls, 15, 0, 0, 0xFFFF).unwrap(), bos);
    // Device descriptor says bcdUSB 2.01, so a host asks for the BOS.
    assert_eq!(&dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap()[2..4], &[0x01, 0x02]);
    let ms = c.desc.msos20.unwrap();
    let set = dev.control_read(cls, vendor_in(), ms.vendor_code, 0, 7, 0xFFFF).unwrap();
    assert_eq!(set, ms.descriptor_set);
    // The BOS capability announces exactly that many bytes (wMSOSDescriptorSetTotalLength).
    assert_eq!(usize::from(u16::from_le_bytes([bos[bos.len() - 4], bos[bos.len() - 3]])), set.len());
    let url = dev.control_read(cls, vendor_in(), c.webusb.vendor_code, 1, 2, 0xFF).unwrap();
    assert_eq!(url, c.webusb.url);
    assert_eq!(&url[3..], b"example.com/usbdesc");
    // Truncated to wLength like any control read.
    assert_eq!(dev.control_read(cls, vendor_in(), c.webusb.vendor_code, 1, 2, 3).unwrap(), &c.webusb.url[..3]);
    // Unknown URL index, unknown wIndex on the MS OS 2.0 code: STALL.
    assert!(is_stall(&dev.control_read(cls, vendor_in(), c.webusb.vendor_code, 5, 2, 0xFF)));
    assert!(is_stall(&dev.control_read(cls, vendor_in(), ms.vendor_code, 0, 3, 0xFF)));
    // Full-speed-only device: no qualifier, no other-speed configuration.
    assert!(is_stall(&dev.device_get_descriptor(cls, 6, 0, 0, 10)));
    // The device still enumerates after the STALLs.
    assert_eq!(dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap(), c.desc.device);
}

#[test]
fn webusb_winusb_example_serves_its_vendor_requests() {
    WebCtx.with_usb(serves_bos_msos20_and_url).unwrap();
}
