//! Errors of the runtime (never panics).

use usb_device::UsbError;

/// Why [`crate::UsbdescClass::new`] refused the compiled device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitError {
    /// The device descriptor is not 18 bytes of type 1.
    BadDeviceDescriptor,
    /// The configuration bundle is shorter than 9 bytes, not type 2, its `wTotalLength` differs
    /// from its length, or its `bConfigurationValue` is not 1 (the only value usb-device accepts).
    BadConfiguration,
    /// usb-device handed out interface number `got` where the compiled descriptors say `expected`
    /// (another class allocated interfaces before this one, or `[builtin] itf_max` is wrong).
    InterfaceMismatch { expected: u8, got: u8 },
    /// The first string index usb-device handed out (`got`) is not where the compiled strings
    /// start (`expected`, `[builtin] str_max` or the lowest compiled index ≥ 4).
    StringMismatch { expected: u8, got: u8 },
    /// An endpoint of ours sits below `[builtin] ep_max`, or its number is not below `MAX_EP`.
    EndpointNumber { address: u8 },
    /// An endpoint of ours has `wMaxPacketSize` 0 (the SAMD21 HAL would hit `unreachable!`).
    EndpointSize { address: u8 },
    /// The bus refused to allocate an endpoint at its compiled address.
    EndpointAlloc { address: u8, error: UsbError },
    /// A HID interface names an IN/OUT endpoint that is not in the endpoint table.
    HidEndpoint { interface: u8, address: u8 },
    /// The class's `STATE` parameter is smaller than `DeviceDescriptors::state_len()`.
    StateTooSmall { needed: usize, have: usize },
}

/// Why a report could not be sent or stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// No HID interface declares an input (or feature) report with this ID and length.
    UnknownReport,
    /// The report is longer than one interrupt packet (64 bytes) or its packer wrote nothing.
    BadLength,
    /// The IN endpoint still holds the previous report; try again after it completes.
    Busy,
    /// Another bus error.
    Usb(UsbError),
}

/// Why a remote wakeup was not signalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WakeupError {
    /// The configuration descriptor does not declare remote wakeup (`bmAttributes` bit 5).
    NotDeclared,
    /// The host has not enabled it (SET_FEATURE DEVICE_REMOTE_WAKEUP).
    NotEnabled,
    /// The bus is not suspended.
    NotSuspended,
}
