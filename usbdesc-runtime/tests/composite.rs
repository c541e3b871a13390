//! Composition with a built-in driver: usbd-serial's CDC-ACM owns interfaces 0-1 and endpoints
//! 1-2; the keypad HID interface follows at the `[builtin]` offsets, which the init check proves.

mod support;

use support::composite::{KeypadConfig, KeypadKeys, KeypadLeds};
use support::*;
use usb_device::bus::UsbBusAllocator;
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::{Recipient, RequestType};
use usb_device::endpoint::EndpointAddress;
use usbd_class_tester::prelude::*;
use usbd_serial::SerialPort;
use usbdesc_runtime::{BuiltinOffsets, DeviceDescriptors, InitError, UsbdescClass};

/// The class list `[serial, hid]` as the firmware polls it. usbd-class-tester polls a single
/// class, so this forwards each control request to the class that owns its interface (the
/// stack would offer it to both in turn; neither answers the other's requests).
struct Composite<'a> {
    serial: SerialPort<'a, EmulatedUsbBus>,
    hid: Class<'a>,
}

impl UsbClass<EmulatedUsbBus> for Composite<'_> {
    fn reset(&mut self) {
        self.serial.reset();
        self.hid.reset();
    }
    fn poll(&mut self) {
        self.serial.poll();
        self.hid.poll();
    }
    fn control_in(&mut self, xfer: ControlIn<EmulatedUsbBus>) {
        let r = *xfer.request();
        if (r.request_type, r.recipient) == (RequestType::Class, Recipient::Interface)
            && r.index < 2
        {
            self.serial.control_in(xfer)
        } else {
            self.hid.control_in(xfer)
        }
    }
    fn control_out(&mut self, xfer: ControlOut<EmulatedUsbBus>) {
        let r = *xfer.request();
        if (r.request_type, r.recipient) == (RequestType::Class, Recipient::Interface)
            && r.index < 2
        {
            self.serial.control_out(xfer)
        } else {
            self.hid.control_out(xfer)
        }
    }
    fn endpoint_out(&mut self, addr: EndpointAddress) {
        self.serial.endpoint_out(addr);
        self.hid.endpoint_out(addr);
    }
    fn endpoint_in_complete(&mut self, addr: EndpointAddress) {
        self.serial.endpoint_in_complete(addr);
        self.hid.endpoint_in_complete(addr);
    }
}

/// Serial first, then the compiled device at the built-in offsets.
struct CompositeCtx(&'static DeviceDescriptors);

impl UsbDeviceCtx for CompositeCtx {
    type C<'c> = Composite<'c>;
    const EP0_SIZE: u8 = 64;
    fn create_class<'a>(
        &mut self,
        alloc: &'a UsbBusAllocator<EmulatedUsbBus>,
    ) -> AnyResult<Composite<'a>> {
        let serial = SerialPort::new(alloc);
        let hid = UsbdescClass::new(alloc, self.0)
            .map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))?;
        Ok(Composite { serial, hid })
    }
}

/// The compiled device created before the serial port: usb-device hands it interface 0.
struct HidFirstCtx;

impl UsbDeviceCtx for HidFirstCtx {
    type C<'c> = Class<'c>;
    const EP0_SIZE: u8 = 64;
    fn create_class<'a>(
        &mut self,
        alloc: &'a UsbBusAllocator<EmulatedUsbBus>,
    ) -> AnyResult<Class<'a>> {
        UsbdescClass::new(alloc, &composite::DEVICE)
            .map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
    }
}

#[test]
fn composite_enumerates_and_both_drivers_work() {
    CompositeCtx(&composite::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            assert_eq!(
                dev.device_get_descriptor(c, 1, 0, 0, 18).unwrap(),
                composite::DEVICE_DESCRIPTOR
            );
            assert_eq!(
                dev.device_get_descriptor(c, 2, 0, 0, 0xFFFF).unwrap(),
                composite::CONFIGURATION_DESCRIPTOR
            );
            assert_eq!(
                dev.device_get_descriptor(c, 15, 0, 0, 0xFFFF).unwrap(),
                composite::BOS_DESCRIPTOR
            );
            // Strings start at [builtin] str_max = 4: manufacturer, product, serial, then the
            // keypad interface's name.
            assert_eq!(dev.device_get_string(c, 4, 0x0409).unwrap(), "usbdesc");
            assert_eq!(
                dev.device_get_string(c, 7, 0x0409).unwrap(),
                "Keypad interface"
            );
            let ms = CtrRequestType::to_host().vendor().device();
            assert_eq!(
                dev.control_read(c, ms, 0x20, 0, 7, 0xFFFF).unwrap(),
                composite::MSOS20_DESCRIPTOR_SET
            );
            assert!(
                is_stall(&dev.control_read(c, ms, 0x20, 0, 4, 16)),
                "MS OS 2.0 with wIndex 4"
            );
            // HID at interface 2, endpoints 0x83/0x03.
            let rd = dev
                .control_read(c, std_in_itf(), 6, 0x2200, 2, 0xFFFF)
                .unwrap();
            assert_eq!(rd, composite::hid2::REPORT_DESCRIPTOR);
            assert_eq!(rd, keypad::REPORT_DESCRIPTOR, "the keypad's report descriptor");
            assert!(
                is_stall(&dev.control_read(c, std_in_itf(), 6, 0x2200, 0, 0xFFFF)),
                "interface 0 is CDC"
            );
            c.hid.send(&KeypadKeys { button: 0x0102 }).unwrap();
            assert_eq!(dev.ep_read(c, 3, 8).unwrap(), [1, 0x02, 0x01]);
            dev.control_write(c, class_out_itf(), SET_REPORT, 0x0303, 2, 3, &[3, 4, 5])
                .unwrap();
            assert_eq!(
                c.hid.read_feature::<KeypadConfig>(),
                Some(Ok(KeypadConfig { vendor_defined_page_0x_ff00: [4, 5] }))
            );
            // CDC-ACM: SET_LINE_CODING to interface 0 reaches usbd-serial ...
            let coding = [0x00, 0xC2, 0x01, 0x00, 0x00, 0x00, 0x08]; // 115200 8N1
            dev.control_write(c, class_out_itf(), 0x20, 0, 0, 7, &coding)
                .unwrap();
            assert_eq!(c.serial.line_coding().data_rate(), 115_200);
            // ... and bulk OUT endpoint 1 carries serial data, not HID.
            dev.ep_write(c, 1, b"hello").unwrap();
            let mut buf = [0u8; 16];
            let n = c.serial.read(&mut buf).unwrap();
            assert_eq!(&buf[..n], b"hello");
            assert_eq!(c.hid.read_output::<KeypadLeds>(), None);
        })
        .unwrap();
}

#[test]
fn init_check_catches_wrong_order_and_wrong_offsets() {
    // HID created before the built-in driver: usb-device hands out interface 0, not 2.
    let err = HidFirstCtx.with_usb(|_, _| ()).unwrap_err();
    let want = InitError::InterfaceMismatch {
        expected: 2,
        got: 0,
    };
    assert_eq!(err, AnyUsbError::UserDefinedString(format!("{want:?}")));

    // `[builtin] itf_max` that disagrees with what the built-in driver allocated.
    let wrong_itf: &'static DeviceDescriptors = Box::leak(Box::new(DeviceDescriptors {
        builtin: Some(BuiltinOffsets {
            itf_max: 3,
            ep_max: 3,
            str_max: 4,
        }),
        ..composite::DEVICE
    }));
    let err = CompositeCtx(wrong_itf).with_usb(|_, _| ()).unwrap_err();
    let want = InitError::InterfaceMismatch {
        expected: 3,
        got: 2,
    };
    assert_eq!(err, AnyUsbError::UserDefinedString(format!("{want:?}")));

    // `ep_max` above our endpoint numbers: our endpoint 3 would sit inside the built-in range.
    let wrong_ep: &'static DeviceDescriptors = Box::leak(Box::new(DeviceDescriptors {
        builtin: Some(BuiltinOffsets {
            itf_max: 2,
            ep_max: 4,
            str_max: 4,
        }),
        ..composite::DEVICE
    }));
    let err = CompositeCtx(wrong_ep).with_usb(|_, _| ()).unwrap_err();
    let want = InitError::EndpointNumber { address: 0x83 };
    assert_eq!(err, AnyUsbError::UserDefinedString(format!("{want:?}")));

    // `str_max` that is not the first free string index (4).
    let wrong_str: &'static DeviceDescriptors = Box::leak(Box::new(DeviceDescriptors {
        builtin: Some(BuiltinOffsets {
            itf_max: 2,
            ep_max: 3,
            str_max: 6,
        }),
        ..composite::DEVICE
    }));
    let err = CompositeCtx(wrong_str).with_usb(|_, _| ()).unwrap_err();
    let want = InitError::StringMismatch {
        expected: 6,
        got: 4,
    };
    assert_eq!(err, AnyUsbError::UserDefinedString(format!("{want:?}")));
}

#[test]
fn init_rejects_broken_tables_without_panicking() {
    fn init_err(desc: DeviceDescriptors) -> AnyUsbError {
        Ctx(Box::leak(Box::new(desc)))
            .with_usb(|_, _| ())
            .unwrap_err()
    }
    let e = |x: InitError| AnyUsbError::UserDefinedString(format!("{x:?}"));
    let kb = keyboard::DEVICE;
    assert_eq!(
        init_err(DeviceDescriptors {
            device: &[0x12, 0x01],
            ..kb
        }),
        e(InitError::BadDeviceDescriptor)
    );
    assert_eq!(
        init_err(DeviceDescriptors {
            configuration: &keyboard::CONFIGURATION_DESCRIPTOR[..40],
            ..kb
        }),
        e(InitError::BadConfiguration)
    );
    let big_ep = [usbdesc_runtime::EndpointInfo {
        address: 0x88,
        ..kb.endpoints[0]
    }];
    assert_eq!(
        init_err(DeviceDescriptors {
            endpoints: Box::leak(Box::new(big_ep)),
            ..kb
        }),
        e(InitError::EndpointNumber { address: 0x88 })
    );
    let zero_ep = [
        usbdesc_runtime::EndpointInfo {
            max_packet_size: 0,
            ..kb.endpoints[0]
        },
        kb.endpoints[1],
    ];
    assert_eq!(
        init_err(DeviceDescriptors {
            endpoints: Box::leak(Box::new(zero_ep)),
            ..kb
        }),
        e(InitError::EndpointSize { address: 0x81 })
    );
    assert_eq!(
        init_err(DeviceDescriptors {
            endpoints: &kb.endpoints[1..],
            ..kb
        }),
        e(InitError::HidEndpoint {
            interface: 0,
            address: 0x81
        })
    );
    struct Tiny;
    impl UsbDeviceCtx for Tiny {
        type C<'c> = UsbdescClass<'c, EmulatedUsbBus, 8>;
        fn create_class<'a>(
            &mut self,
            alloc: &'a UsbBusAllocator<EmulatedUsbBus>,
        ) -> AnyResult<UsbdescClass<'a, EmulatedUsbBus, 8>> {
            UsbdescClass::new(alloc, &keypad::DEVICE)
                .map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))
        }
    }
    let err = Tiny.with_usb(|_, _| ()).unwrap_err();
    assert_eq!(
        err,
        e(InitError::StateTooSmall {
            needed: keypad::DEVICE.state_len(),
            have: 8
        })
    );
}

/// usbd-serial alone: usb-device writes the configuration from `SerialPort`'s own descriptors.
/// Built `composite_with_iads` (device class EF/02/01, as the composite declares), which is when
/// usb-device writes usbd-serial's IAD.
struct SerialOnlyCtx;

impl UsbDeviceCtx for SerialOnlyCtx {
    type C<'c> = SerialPort<'c, EmulatedUsbBus>;
    const EP0_SIZE: u8 = 64;
    fn build_usb_device<'a>(
        &mut self,
        alloc: &'a UsbBusAllocator<EmulatedUsbBus>,
    ) -> AnyResult<usb_device::device::UsbDevice<'a, EmulatedUsbBus>> {
        use usb_device::device::{StringDescriptors, UsbDeviceBuilder, UsbVidPid};
        Ok(UsbDeviceBuilder::new(alloc, UsbVidPid(0x1209, 0x0004))
            .composite_with_iads()
            .strings(&[StringDescriptors::default()])
            .map_err(AnyUsbError::UsbDeviceBuilder)?
            .max_packet_size_0(Self::EP0_SIZE)
            .map_err(AnyUsbError::UsbDeviceBuilder)?
            .build())
    }
    fn create_class<'a>(
        &mut self,
        alloc: &'a UsbBusAllocator<EmulatedUsbBus>,
    ) -> AnyResult<SerialPort<'a, EmulatedUsbBus>> {
        Ok(SerialPort::new(alloc))
    }
}

#[test]
fn usbd_serial_preset_is_what_usbd_serial_writes() {
    let preset = usbdesc_compiler::builtin::preset("usbd-serial-cdc").expect("preset exists");
    // What usbd-serial itself declares (usb-device builds the configuration from its writer).
    SerialOnlyCtx
        .with_usb(|mut cls, mut dev| {
            let preset = usbdesc_compiler::builtin::preset("usbd-serial-cdc").unwrap();
            let cfg = dev.device_get_descriptor(&mut cls, 2, 0, 0, 0xFFFF).unwrap();
            assert_eq!(&cfg[9..], preset.config_bytes, "usbd-serial's own interfaces and endpoints");
            assert_eq!(cfg[4], preset.itf_max, "bNumInterfaces = interfaces usbd-serial took");
        })
        .unwrap();
    // The compiled composite starts with exactly those bytes, then our HID interface.
    let ours = &composite::CONFIGURATION_DESCRIPTOR;
    assert_eq!(&ours[9..9 + preset.config_bytes.len()], preset.config_bytes);
    assert_eq!(ours[9 + preset.config_bytes.len() + 2], preset.itf_max, "HID interface number");
    // And enumerating usbd-serial + our class serves the compiled bytes (init proved the offsets).
    CompositeCtx(&composite::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let cfg = dev.device_get_descriptor(&mut cls, 2, 0, 0, 0xFFFF).unwrap();
            assert_eq!(cfg, composite::CONFIGURATION_DESCRIPTOR);
        })
        .unwrap();
}
