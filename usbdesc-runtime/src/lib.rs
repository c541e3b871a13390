//! no_std, no alloc runtime for usbdesc-compiled devices.
//!
//! * [`model`]: the static tables generated code fills ([`DeviceDescriptors`] and friends).
//! * [`report`]: the traits generated report structs implement ([`InputReport`],
//!   [`OutputReport`], [`FeatureReport`]).
//! * [`UsbdescClass`]: a `usb-device` class that serves the compiled bytes verbatim (device,
//!   configuration, strings in every declared language, BOS, MS OS 2.0; device qualifier and
//!   other-speed STALL when absent) and speaks the HID 1.11 §7.2 class protocol for every HID
//!   interface (HID/report descriptors, GET/SET_REPORT, GET/SET_IDLE with idle repeat,
//!   GET/SET_PROTOCOL with boot-format reports, interrupt OUT, remote wakeup). Malformed requests
//!   STALL; nothing panics. Standard requests to an interface or endpoint the device does not have
//!   (GET_STATUS, GET/SET_INTERFACE, SET/CLEAR_FEATURE) STALL too; usb-device alone accepts them.
//!
//! Where usb-device 0.3.2 acts before the class: it offers every control request to the classes
//! first, except a SETUP it cannot parse and a control OUT whose data stage is longer than its
//! 128-byte control buffer (SET_REPORT of a long feature report, a long vendor OUT). It drops the
//! latter without a STALL, then discards the first data packet with an empty read and STALLs only
//! if that read succeeds. The `usbdesc-usbip` bus does, so the host gets a STALL at once;
//! atsamd-hal 0.23.4's read returns `BufferOverflow` there, so on a SAMD21 such a transfer stays
//! unanswered until the host times out. No class can answer it: keep reports and vendor OUT data
//! within 128 bytes (or enable usb-device's `control-buffer-256`).
//!
//! ```ignore
//! // Built-in drivers first (e.g. usbd_serial::SerialPort::new(&alloc)), then:
//! // The device as a compile-time constant of the class: the optimiser folds every table walk
//! // and drops what the device does not use (`UsbdescClass::<_>` takes it at run time instead).
//! struct Compiled;
//! impl DeviceSource for Compiled {
//!     const DEVICE: Option<&'static DeviceDescriptors> = Some(&generated::DEVICE);
//! }
//! const STATE: usize = generated::DEVICE.state_len().next_multiple_of(4);
//! let mut hid = UsbdescClass::<_, STATE, 8, Compiled>::new(&alloc, &generated::DEVICE)?; // checks [builtin] offsets
//! let mut dev = UsbDeviceBuilder::new(&alloc, UsbVidPid(vid, pid))
//!     .max_packet_size_0(generated::DEVICE.max_packet_size_0())?
//!     .build();
//! loop {
//!     dev.poll(&mut [&mut hid]);
//!     if let Some(Ok(leds)) = hid.read_output::<generated::KeyboardLeds>() { /* ... */ }
//!     if one_ms_elapsed() { hid.tick_ms(1); }
//!     let _ = hid.send(&generated::KeyboardReport { /* ... */ });
//! }
//! ```
#![no_std]
#![deny(missing_debug_implementations)]

pub mod model;
pub mod report;
mod state;

pub use model::*;
pub use report::*;
pub use usb_device;
#[cfg(feature = "macros")]
pub use usbdesc_macros::*;

mod class;
mod descriptors;
mod error;
mod hid;
mod init;
mod standard;

pub use class::{DeviceSource, Dynamic, Protocol, UsbdescClass, ALT_INTERFACES, MAX_REPORT};
pub use error::{InitError, SendError, WakeupError};
