//! A std-only [`usb_device::bus::UsbBus`] that serves the device over USB/IP.
//!
//! The same `usb-device` classes that run on a microcontroller run as an ordinary process; a Linux
//! host (`usbip attach -r HOST -b 1-1`, or a QEMU guest reaching the host as `10.0.2.2`) then
//! enumerates it with its real USB stack.
//!
//! ```no_run
//! use usb_device::prelude::*;
//! use usbdesc_usbip::{Config, UsbIpBus};
//! let bus = UsbIpBus::new(Config::default()).expect("listen on 127.0.0.1:3240");
//! let alloc = usb_device::bus::UsbBusAllocator::new(bus);
//! let mut dev = UsbDeviceBuilder::new(&alloc, UsbVidPid(0x16c0, 0x27dd)).build();
//! loop {
//!     if !dev.poll(&mut []) {
//!         dev.bus().wait(std::time::Duration::from_millis(5));
//!     }
//! }
//! ```
//!
//! What the bus guarantees (tested in `tests/`): a control transfer completes only after its
//! status stage; IN data is cut to wLength; multi-packet transfers on every endpoint respect the
//! max packet size and end on a short packet; a STALL goes back as status -32 (EPIPE); CMD_UNLINK
//! is answered (-ECONNRESET if the URB was still pending); a client disconnect looks like an unplug
//! (bus reset) and a new import works right afterwards.
//!
//! Against a hostile client ([`Limits`]): memory grows with bytes that arrive, never with a
//! length a header claims; a URB the bus cannot take (endpoint above 15, isochronous, a control
//! URB whose direction is not its setup's, an OUT shorter than wLength, over `max_transfer`, over
//! the pending-URB or queued-byte bounds) gets an error status and its payload is read and
//! dropped, so the stream stays in step; a header whose length on the wire is unknown (bad
//! version, command or direction, more than 1,024 isochronous packets) closes the connection. An
//! IN reply never exceeds transfer_buffer_length. Replies are written by a writer thread per
//! connection, never under the lock the device loop and other connections share; a client that
//! stops reading is dropped after `io_timeout` or once `max_queued_replies` wait. Connections in
//! the handshake are bounded (`max_handshakes`); one client is imported at a time (another gets
//! ST_DEV_BUSY).

mod admit;
pub mod builtin;
mod bus;
pub mod devinfo;
mod endpoints;
mod limits;
mod outbox;
pub mod pipe;
pub mod serve;
mod server;
pub mod wire;

pub use bus::{BusHandle, Config, LocalError, UsbIpBus};
pub use devinfo::{DeviceInfo, InterfaceInfo, Speed};
pub use endpoints::Faults;
pub use limits::Limits;
