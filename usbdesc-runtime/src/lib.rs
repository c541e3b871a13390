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
//!   STALL; nothing panics.
//!
//! ```ignore
//! // Built-in drivers first (e.g. usbd_serial::SerialPort::new(&alloc)), then:
//! let mut hid = UsbdescClass::<_>::new(&alloc, &generated::DEVICE)?; // checks [builtin] offsets
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

mod class;
mod descriptors;
mod error;
mod hid;
mod init;

pub use class::{Protocol, UsbdescClass, MAX_REPORT};
pub use descriptors::WebUsbUrl;
pub use error::{InitError, SendError, WakeupError};
