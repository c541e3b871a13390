//! The WebUSB + WinUSB example (examples/webusb-winusb.toml), compiled by `include_device!` and
//! served by the runtime: the host reads the BOS, the MS OS 2.0 descriptor set (vendor code,
//! wIndex 7) and the WebUSB landing page (GET_URL: vendor code, wIndex 2, wValue 1) as compiled;
//! wrong indices on those vendor codes STALL.

mod support;

use support::*;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::*;

mod webusb {
    usbdesc_runtime::include_device!("../examples/webusb-winusb.toml");
}

struct WebCtx;

impl UsbDeviceCtx for WebCtx {
    type C<'c> = Class<'c>;
    const EP0_SIZE: u8 = 64;
    fn create_class<'a>(&mut self, alloc: &'a usb_device::bus::UsbBusAllocator<EmulatedUsbBus>) -> AnyResult<Class<'a>> {
        // The landing page comes with the compiled device (`DEVICE.vendor`): no builder call.
        UsbdescClass::new(alloc, &webusb::DEVICE)
            .map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
    }
}

fn vendor_in() -> CtrRequestType {
    CtrRequestType::to_host().vendor().device()
}

fn serves_bos_msos20_and_url<'a>(mut cls: Class<'a>, mut dev: Device<'a, Class<'a>, WebCtx>) {
    let c = &webusb::DEVICE;
    let entry = |index: u16| *c.vendor.iter().find(|v| v.index == index).expect("the example serves it");
    let (ms, url_desc) = (entry(7), entry(2));
    assert_eq!(ms.bytes, &webusb::MSOS20_DESCRIPTOR_SET[..]);
    assert_eq!(url_desc.bytes, &webusb::WEBUSB_URL[..]);
    let cls = &mut cls;
    let bos = c.bos.unwrap();
    assert_eq!(dev.device_get_descriptor(cls, 15, 0, 0, 0xFFFF).unwrap(), bos);
    // Device descriptor says bcdUSB 2.01, so a host asks for the BOS.
    assert_eq!(&dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap()[2..4], &[0x01, 0x02]);
    // The MS OS 2.0 platform capability (28 bytes; the Container ID follows it): its
    // bMS_VendorCode is the code served.
    let cap = msos20_capability(bos);
    assert_eq!(ms.request, cap[26]);
    let set = dev.control_read(cls, vendor_in(), ms.request, 0, 7, 0xFFFF).unwrap();
    assert_eq!(set, ms.bytes);
    // The BOS capability announces exactly that many bytes (wMSOSDescriptorSetTotalLength).
    assert_eq!(usize::from(u16::from_le_bytes([cap[24], cap[25]])), set.len());
    let url = dev.control_read(cls, vendor_in(), url_desc.request, 1, 2, 0xFF).unwrap();
    assert_eq!(url, url_desc.bytes);
    assert_eq!(&url[3..], b"example.com/usbdesc");
    // Truncated to wLength like any control read.
    assert_eq!(dev.control_read(cls, vendor_in(), url_desc.request, 1, 2, 3).unwrap(), &url_desc.bytes[..3]);
    // Unknown URL index, unknown wIndex on the MS OS 2.0 code: STALL.
    assert!(is_stall(&dev.control_read(cls, vendor_in(), url_desc.request, 5, 2, 0xFF)));
    assert!(is_stall(&dev.control_read(cls, vendor_in(), ms.request, 0, 3, 0xFF)));
    // Full-speed-only device: no qualifier, no other-speed configuration.
    assert!(is_stall(&dev.device_get_descriptor(cls, 6, 0, 0, 10)));
    // The device still enumerates after the STALLs.
    assert_eq!(dev.device_get_descriptor(cls, 1, 0, 0, 18).unwrap(), c.device);
}

/// The MS OS 2.0 platform capability among the BOS's device capabilities.
fn msos20_capability(bos: &[u8]) -> &[u8] {
    let mut at = 5;
    while at < bos.len() {
        let cap = &bos[at..at + usize::from(bos[at])];
        if cap.len() == 28 && cap[..3] == [28, 0x10, 0x05] {
            return cap;
        }
        at += cap.len();
    }
    panic!("no MS OS 2.0 capability in {bos:02x?}")
}

#[test]
fn webusb_winusb_example_serves_its_vendor_requests() {
    WebCtx.with_usb(serves_bos_msos20_and_url).unwrap();
}
