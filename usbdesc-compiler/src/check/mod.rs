//! Checks on the resolved model, serde_derive `Ctxt` style: every rule pushes its diagnostics into
//! one collector and goes on. One module per rule family.

pub mod blob;
pub mod boot;
pub mod builtin;
pub mod chapter9;
pub mod counts;
pub mod lengths;
pub mod linux;
pub mod numbering;
pub mod profile;
pub mod speed;
pub mod strings;

use crate::diag::Diagnostics;
use crate::model::Device;

/// Stable diagnostic codes of the device checks.
pub mod codes {
    /// Interface numbers not contiguous.
    pub const INTERFACE_NUMBERS: &str = "UD1001";
    /// Alternate settings not contiguous, or declared twice.
    pub const ALTERNATES: &str = "UD1002";
    /// Endpoint address used twice in one configuration.
    pub const ENDPOINT_REUSED: &str = "UD1003";
    /// IAD does not cover contiguous existing interfaces starting at the next interface.
    pub const ASSOCIATION: &str = "UD1004";
    /// Collision with the built-in driver's interfaces or endpoints.
    pub const BUILTIN_COLLISION: &str = "UD1005";
    /// Endpoint number 0 or above 15.
    pub const ENDPOINT_NUMBER: &str = "UD1006";
    /// Built-in configuration bytes unreadable or inconsistent with itf_max/ep_max.
    pub const BUILTIN_BYTES: &str = "UD1007";
    /// bNumEndpoints different from the endpoint descriptors that follow (error when fewer: Linux drops the rest).
    pub const NUM_ENDPOINTS: &str = "UD1008";
    /// bNumInterfaces different from the configuration's interfaces (warning: Linux fixes it up).
    pub const NUM_INTERFACES: &str = "UD1009";
    /// bNumConfigurations 0, or more than the configurations there are (Linux does not enumerate).
    pub const NUM_CONFIGURATIONS: &str = "UD1010";
    /// More interfaces than one-byte interface numbers can count.
    pub const INTERFACE_LIMIT: &str = "UD1011";
    /// wMaxPacketSize not allowed for the speed and transfer type.
    pub const MAX_PACKET: &str = "UD2001";
    /// bInterval out of range for the speed and transfer type.
    pub const INTERVAL: &str = "UD2002";
    /// bMaxPacketSize0 not allowed for the speed.
    pub const EP0_SIZE: &str = "UD2003";
    /// String index that no string descriptor provides.
    pub const MISSING_STRING: &str = "UD2004";
    /// More than 255 strings.
    pub const STRING_INDEX: &str = crate::numbering::STRING_INDEX;
    /// bMaxPower above 500 mA.
    pub const MAX_POWER: &str = "UD2006";
    /// IADs without device class EF/02/01.
    pub const IAD_DEVICE_CLASS: &str = "UD2007";
    /// BOS with bcdUSB below 2.01.
    pub const BOS_VERSION: &str = "UD2008";
    /// HID interface without an interrupt IN endpoint.
    pub const HID_ENDPOINT: &str = "UD2009";
    /// String longer than a string descriptor can hold.
    pub const STRING_LENGTH: &str = "UD2010";
    /// Descriptor or configuration longer than its length field.
    pub use crate::codes::LENGTH_OVERFLOW;
    /// HID interface without a HID class descriptor, or a HID descriptor outside a HID interface.
    pub const HID_DESCRIPTOR: &str = "UD2012";
    /// Boot keyboard or mouse whose report descriptor lacks a field of the boot report.
    pub const BOOT_FIELDS: &str = super::boot::BOOT_FIELDS;
    /// Endpoint number above the controller's highest.
    pub const PROFILE_ENDPOINT_NUMBER: &str = "UD3001";
    /// Packet size above the controller's limit.
    pub const PROFILE_MAX_PACKET: &str = "UD3002";
    /// Endpoint larger than the HAL's per-endpoint buffer.
    pub const PROFILE_ENDPOINT_BUFFER: &str = "UD3003";
    /// Endpoint buffers exceed the HAL's buffer pool.
    pub const PROFILE_BUFFER_POOL: &str = "UD3004";
    /// A usb-device target (samd21) with more than one configuration or bConfigurationValue ≠ 1.
    pub const PROFILE_CONFIGURATION: &str = "UD3005";
    /// High-speed values on a full-speed-only target.
    pub const UNSUPPORTED_SPEED: &str = super::speed::UNSUPPORTED_SPEED;
    /// Endpoint invalid in the other-speed configuration.
    pub const OTHER_SPEED: &str = super::speed::OTHER_SPEED;

    // The classes keep their codes in their modules (`crate::class`). Every code, with its
    // explanation, is in the one registry: `crate::codes`.
}

/// Run every check family.
pub fn run(dev: &Device, d: &mut Diagnostics) {
    numbering::check(dev, d);
    builtin::check(dev, d);
    chapter9::check(dev, d);
    counts::check(dev, d);
    strings::check(dev, d);
    lengths::check(dev, d);
    profile::check(dev, d);
    boot::check(dev, d);
    crate::class::check(dev, d);
    crate::class::check_capabilities(dev, d);
    speed::check(dev, d);
}

/// Downgrade errors whose code a file lists in `allow` (device files and report documents) to
/// warnings.
pub use crate::diag::apply_allow;
