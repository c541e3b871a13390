//! USB Audio 2.0 (`examples/uac2-headset.toml`): the class list `[usbdesc, clocks]` as a host
//! binding the device sees it. The clock answers CUR/RANGE of the sampling frequency and CUR of
//! validity; every other class request to the AudioControl interface STALLs; SET_INTERFACE moves
//! the streaming interfaces to their alternate settings.

mod support;

use support::*;
use usb_device::bus::UsbBusAllocator;
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::endpoint::EndpointAddress;
use usbd_class_tester::prelude::*;
use usbdesc_runtime::audio::{AudioClock, Uac2Clocks};
use usbdesc_runtime::{DeviceDescriptors, UsbdescClass};

mod headset {
    usbdesc_runtime::include_device!("../examples/uac2-headset.toml");
}

/// The example's clock source as `include_device!` generates it (checked against the compiled
/// bytes in `clock_table_matches_the_descriptor`).
static CLOCKS: [AudioClock; headset::AUDIO_CLOCK_COUNT] = headset::AUDIO_CLOCKS;
/// The same clock made host programmable with two rates.
static PROGRAMMABLE: [AudioClock; 1] = [AudioClock { interface: 0, clock_id: 4, controls: 0b0111, rates: &[48_000, 96_000] }];

const CUR: u8 = 0x01;
const RANGE: u8 = 0x02;
const SAM_FREQ: u16 = 0x0100;
const CLOCK_VALID: u16 = 0x0200;
/// wIndex of clock 4 in interface 0.
const CLOCK: u16 = 0x0400;
const GET_INTERFACE: u8 = 0x0A;

struct Audio<'a> {
    device: UsbdescClass<'a, EmulatedUsbBus>,
    clocks: Uac2Clocks,
}

/// What usb-device does with the class list: each class in turn until one answers.
impl UsbClass<EmulatedUsbBus> for Audio<'_> {
    fn reset(&mut self) {
        self.device.reset();
        UsbClass::<EmulatedUsbBus>::reset(&mut self.clocks);
    }
    fn control_in(&mut self, xfer: ControlIn<EmulatedUsbBus>) {
        // The stack passes the same transfer on when a class leaves it alone; the tester polls
        // one class, so hand the request to the clocks when the device class did not answer.
        let req = *xfer.request();
        let ours = self.clocks_own(&req);
        if ours {
            self.clocks.control_in(xfer)
        } else {
            self.device.control_in(xfer)
        }
    }
    fn control_out(&mut self, xfer: ControlOut<EmulatedUsbBus>) {
        let req = *xfer.request();
        if self.clocks_own(&req) {
            self.clocks.control_out(xfer)
        } else {
            self.device.control_out(xfer)
        }
    }
    fn get_alt_setting(&mut self, i: usb_device::bus::InterfaceNumber) -> Option<u8> {
        self.device.get_alt_setting(i)
    }
    fn set_alt_setting(&mut self, i: usb_device::bus::InterfaceNumber, alt: u8) -> bool {
        self.device.set_alt_setting(i, alt)
    }
    fn endpoint_out(&mut self, addr: EndpointAddress) {
        self.device.endpoint_out(addr)
    }
}

impl Audio<'_> {
    /// Class requests to an interface other than the HID ones go to the clocks, as they reach
    /// it in the stack (the device class answers no class request of a non-HID interface).
    fn clocks_own(&self, req: &usb_device::control::Request) -> bool {
        use usb_device::control::{Recipient, RequestType};
        (req.request_type, req.recipient) == (RequestType::Class, Recipient::Interface)
    }
}

struct AudioCtx(&'static [AudioClock]);

impl UsbDeviceCtx for AudioCtx {
    type C<'c> = Audio<'c>;
    const EP0_SIZE: u8 = 64;
    fn create_class<'a>(&mut self, alloc: &'a UsbBusAllocator<EmulatedUsbBus>) -> AnyResult<Audio<'a>> {
        let device = UsbdescClass::new(alloc, &headset::DEVICE).map_err(|e| AnyUsbError::UserDefinedString(format!("{e:?}")))?;
        Ok(Audio { device, clocks: Uac2Clocks::new(self.0) })
    }
}

fn desc() -> &'static DeviceDescriptors {
    &headset::DEVICE
}

#[test]
fn clock_table_matches_the_descriptor() {
    // The clock source descriptor: bLength 8, CS_INTERFACE, CLOCK_SOURCE, bClockID, bmAttributes, bmControls.
    let cfg = desc().configuration;
    let at = cfg.windows(3).position(|w| w == [0x08, 0x24, 0x0a]).expect("clock source");
    assert_eq!((cfg[at + 3], cfg[at + 5]), (CLOCKS[0].clock_id, CLOCKS[0].controls));
}

#[test]
fn clock_answers_cur_range_and_validity() {
    AudioCtx(&CLOCKS)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            assert_eq!(dev.control_read(c, class_in_itf(), CUR, SAM_FREQ, CLOCK, 4).unwrap(), 48_000u32.to_le_bytes());
            // Linux reads wNumSubRanges first, then the whole block.
            assert_eq!(dev.control_read(c, class_in_itf(), RANGE, SAM_FREQ, CLOCK, 2).unwrap(), [1, 0]);
            let mut range = vec![1, 0];
            for v in [48_000u32, 48_000, 0] {
                range.extend_from_slice(&v.to_le_bytes());
            }
            assert_eq!(dev.control_read(c, class_in_itf(), RANGE, SAM_FREQ, CLOCK, 14).unwrap(), range);
            assert_eq!(dev.control_read(c, class_in_itf(), CUR, CLOCK_VALID, CLOCK, 1).unwrap(), [1]);
            // Everything else addressed to the AudioControl interface STALLs: RANGE of validity,
            // a channel other than the master, the feature unit (ID 2), an unknown entity.
            assert!(is_stall(&dev.control_read(c, class_in_itf(), RANGE, CLOCK_VALID, CLOCK, 2)));
            assert!(is_stall(&dev.control_read(c, class_in_itf(), CUR, SAM_FREQ | 1, CLOCK, 4)));
            assert!(is_stall(&dev.control_read(c, class_in_itf(), CUR, 0x0100, 0x0200, 1)));
            assert!(is_stall(&dev.control_read(c, class_in_itf(), CUR, SAM_FREQ, 0x0900, 4)));
            // The frequency is read-only here: SET CUR STALLs and the rate stays.
            assert!(is_stall(&dev.control_write(c, class_out_itf(), CUR, SAM_FREQ, CLOCK, 4, &44_100u32.to_le_bytes())));
            assert_eq!(dev.control_read(c, class_in_itf(), CUR, SAM_FREQ, CLOCK, 4).unwrap(), 48_000u32.to_le_bytes());
            // Class requests to a streaming interface are not the clock's: STALL (no class answers).
            assert!(is_stall(&dev.control_read(c, class_in_itf(), CUR, SAM_FREQ, 0x0401, 4)));
            // The device still enumerates.
            assert_eq!(dev.device_get_descriptor(c, 1, 0, 0, 18).unwrap(), desc().device);
        })
        .unwrap();
}

#[test]
fn programmable_clock_takes_a_declared_rate_only() {
    AudioCtx(&PROGRAMMABLE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            assert_eq!(dev.control_read(c, class_in_itf(), RANGE, SAM_FREQ, CLOCK, 26).unwrap().len(), 26);
            dev.control_write(c, class_out_itf(), CUR, SAM_FREQ, CLOCK, 4, &96_000u32.to_le_bytes()).unwrap();
            assert_eq!(dev.control_read(c, class_in_itf(), CUR, SAM_FREQ, CLOCK, 4).unwrap(), 96_000u32.to_le_bytes());
            assert_eq!(c.clocks.rate(4), Some(96_000));
            assert!(is_stall(&dev.control_write(c, class_out_itf(), CUR, SAM_FREQ, CLOCK, 4, &44_100u32.to_le_bytes())));
            assert!(is_stall(&dev.control_write(c, class_out_itf(), CUR, SAM_FREQ, CLOCK, 2, &[0, 0])));
            assert_eq!(c.clocks.rate(4), Some(96_000));
            UsbClass::<EmulatedUsbBus>::reset(c);
            assert_eq!(c.clocks.rate(4), Some(48_000), "bus reset: the first declared rate");
        })
        .unwrap();
}

#[test]
fn streaming_interfaces_switch_alternate_settings() {
    assert_eq!(desc().interfaces.iter().map(|i| i.alt_settings).collect::<Vec<_>>(), [1, 3, 3]);
    AudioCtx(&CLOCKS)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            macro_rules! get {
                ($i:expr) => {
                    dev.control_read(c, std_in_itf(), GET_INTERFACE, 0, $i, 1).unwrap()
                };
            }
            assert_eq!(get!(1), [0]);
            dev.interface_set_interface(c, 1, 1).unwrap();
            dev.interface_set_interface(c, 2, 2).unwrap();
            assert_eq!(get!(1), [1]);
            assert_eq!(get!(2), [2]);
            assert!(is_stall(&dev.interface_set_interface(c, 1, 3)), "alt 3 of 3");
            assert!(is_stall(&dev.interface_set_interface(c, 0, 1)), "the AudioControl interface has one setting");
            dev.interface_set_interface(c, 1, 0).unwrap();
            assert_eq!(get!(1), [0]);
        })
        .unwrap();
}
