//! no_std, no alloc runtime for usbdesc-compiled devices.
#![no_std]
