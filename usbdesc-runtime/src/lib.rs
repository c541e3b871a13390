//! no_std, no alloc runtime for usbdesc-compiled devices.
//!
//! * [`model`]: the static tables generated code fills ([`DeviceDescriptors`] and friends).
//! * [`report`]: the traits generated report structs implement.
//! * [`UsbdescClass`]: a `usb-device` class that serves the compiled bytes verbatim and speaks the
//!   HID 1.11 class protocol for every HID interface.
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

pub use class::{Protocol, UsbdescClass, MAX_REPORT};
pub use error::{InitError, SendError, WakeupError};
