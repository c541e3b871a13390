//! The device facts USB/IP announces before import (OP_REP_DEVLIST / OP_REP_IMPORT), parsed from the
//! device descriptor and the configuration descriptor set the device really serves.

use std::fmt;
use usbdesc_compiler::decode;

/// USB/IP speed codes (Linux `enum usb_device_speed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Low = 1,
    Full = 2,
    High = 3,
}

/// One interface as listed by OP_REP_DEVLIST (alternate setting 0 only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterfaceInfo {
    pub number: u8,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub speed: Speed,
    pub vendor_id: u16,
    pub product_id: u16,
    pub bcd_device: u16,
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
    pub configuration_value: u8,
    pub num_configurations: u8,
    pub interfaces: Vec<InterfaceInfo>,
}

/// Why descriptor bytes could not be read as a device + configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescError {
    /// The device descriptor is not 18 bytes of type 1.
    BadDevice { len: usize },
    /// The configuration header (9 bytes, type 2) is missing or wrong.
    BadConfig { len: usize },
    /// A descriptor inside the configuration has bLength 0 or 1 (would loop forever).
    BadLength { offset: usize },
    /// A descriptor inside the configuration runs past its end.
    Truncated { offset: usize },
}

impl fmt::Display for DescError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DescError::BadDevice { len } => write!(
                f,
                "device descriptor invalid ({len} bytes, need 18 of type 1)"
            ),
            DescError::BadConfig { len } => write!(
                f,
                "configuration descriptor invalid ({len} bytes, need 9 of type 2)"
            ),
            DescError::BadLength { offset } => write!(
                f,
                "descriptor at byte {offset} of the configuration has bLength < 2"
            ),
            DescError::Truncated { offset } => write!(
                f,
                "descriptor at byte {offset} of the configuration runs past its end"
            ),
        }
    }
}

impl std::error::Error for DescError {}

const DT_DEVICE: u8 = 1;
const DT_CONFIGURATION: u8 = 2;
const DT_INTERFACE: u8 = 4;

impl DeviceInfo {
    /// Parses the 18-byte device descriptor and a full configuration descriptor set.
    /// Interfaces are listed once each (alternate setting 0), in the order they appear.
    pub fn parse(device: &[u8], config: &[u8], speed: Speed) -> Result<DeviceInfo, DescError> {
        if device.len() < 18 || device[0] != 18 || device[1] != DT_DEVICE {
            return Err(DescError::BadDevice { len: device.len() });
        }
        if config.len() < 9 || config[0] < 9 || config[1] != DT_CONFIGURATION {
            return Err(DescError::BadConfig { len: config.len() });
        }
        let le = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        // The core decoder's split: every descriptor with bLength >= 2 that fits.
        let descs = decode::split(config, 0).map_err(|d| match (d.code, d.span) {
            (decode::BAD_LENGTH, Some(s)) => DescError::BadLength { offset: s.start },
            (_, Some(s)) => DescError::Truncated { offset: s.start },
            (_, None) => DescError::BadConfig { len: config.len() },
        })?;
        let interfaces = descs
            .iter()
            .filter(|(_, d)| d[1] == DT_INTERFACE && d.len() >= 9 && d[3] == 0)
            .map(|(_, d)| InterfaceInfo { number: d[2], class: d[5], subclass: d[6], protocol: d[7] })
            .collect();
        Ok(DeviceInfo {
            speed,
            vendor_id: le(device, 8),
            product_id: le(device, 10),
            bcd_device: le(device, 12),
            class: device[4],
            subclass: device[5],
            protocol: device[6],
            configuration_value: config[5],
            num_configurations: device[17],
            interfaces,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: [u8; 18] = [
        18, 1, 0x00, 0x02, 0xef, 0x02, 0x01, 64, 0xc0, 0x16, 0xdd, 0x27, 0x10, 0x01, 1, 2, 3, 1,
    ];

    #[test]
    fn parses_ids_and_interfaces() {
        let cfg = [
            9,
            2,
            9 + 9 + 9 + 9,
            0,
            2,
            1,
            0,
            0x80,
            50, //
            9,
            4,
            0,
            0,
            1,
            3,
            1,
            1,
            0, // HID boot keyboard
            9,
            4,
            0,
            1,
            1,
            3,
            1,
            1,
            0, // alternate setting 1: not listed again
            9,
            4,
            1,
            0,
            0,
            2,
            2,
            1,
            0, // CDC ACM
        ];
        let i = DeviceInfo::parse(&DEV, &cfg, Speed::Full).unwrap();
        assert_eq!(
            (i.vendor_id, i.product_id, i.bcd_device),
            (0x16c0, 0x27dd, 0x0110)
        );
        assert_eq!((i.class, i.subclass, i.protocol), (0xef, 2, 1));
        assert_eq!((i.configuration_value, i.num_configurations), (1, 1));
        assert_eq!(
            i.interfaces,
            vec![
                InterfaceInfo {
                    number: 0,
                    class: 3,
                    subclass: 1,
                    protocol: 1
                },
                InterfaceInfo {
                    number: 1,
                    class: 2,
                    subclass: 2,
                    protocol: 1
                }
            ]
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(
            DeviceInfo::parse(&DEV[..17], &[9, 2, 9, 0, 0, 1, 0, 0x80, 50], Speed::Full),
            Err(DescError::BadDevice { len: 17 })
        );
        assert_eq!(
            DeviceInfo::parse(&DEV, &[9, 4, 9, 0, 0, 1, 0, 0x80, 50], Speed::Full),
            Err(DescError::BadConfig { len: 9 })
        );
        assert_eq!(
            DeviceInfo::parse(&DEV, &[9, 2, 11, 0, 0, 1, 0, 0x80, 50, 0, 5], Speed::Full),
            Err(DescError::BadLength { offset: 9 })
        );
        assert_eq!(
            DeviceInfo::parse(&DEV, &[9, 2, 12, 0, 0, 1, 0, 0x80, 50, 9, 4, 0], Speed::Full),
            Err(DescError::Truncated { offset: 9 })
        );
    }
}
