//! USB/IP wire format (Linux `Documentation/usb/usbip_protocol.rst`), both directions.
//!
//! Everything is big-endian. Operations (`OP_*`) start with an 8-byte common header; after a
//! successful import the connection switches to 48-byte URB headers (`USBIP_CMD_*`/`USBIP_RET_*`).

use crate::devinfo::DeviceInfo;

/// Protocol version sent and accepted (usbip-utils 2.0 uses 0x0111).
pub const VERSION: u16 = 0x0111;
pub const OP_REQ_DEVLIST: u16 = 0x8005;
pub const OP_REP_DEVLIST: u16 = 0x0005;
pub const OP_REQ_IMPORT: u16 = 0x8003;
pub const OP_REP_IMPORT: u16 = 0x0003;

pub const CMD_SUBMIT: u32 = 1;
pub const CMD_UNLINK: u32 = 2;
pub const RET_SUBMIT: u32 = 3;
pub const RET_UNLINK: u32 = 4;

/// `direction` field values.
pub const DIR_OUT: u32 = 0;
pub const DIR_IN: u32 = 1;

/// Operation status codes (usbip-utils `ST_*`).
pub const ST_OK: u32 = 0;
pub const ST_DEV_BUSY: u32 = 2;
pub const ST_NODEV: u32 = 4;

/// URB status values (negated Linux errno).
pub const EPIPE: i32 = -32;
pub const ECONNRESET: i32 = -104;
pub const EOVERFLOW: i32 = -75;
pub const EINVAL: i32 = -22;
pub const ENOMEM: i32 = -12;

/// `transfer_flags` bit asking for a terminating zero-length packet on OUT transfers.
pub const URB_ZERO_PACKET: u32 = 0x0040;

/// Length of a `USBIP_CMD_*` / `USBIP_RET_*` header.
pub const URB_HEADER_LEN: usize = 48;

/// Path and bus id of the single exported device.
pub const SYSFS_PATH: &str = "/sys/devices/usbdesc/usbip/1-1";

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The 8-byte header that starts every operation.
pub fn op_header(code: u16, status: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(8);
    v.extend_from_slice(&VERSION.to_be_bytes());
    v.extend_from_slice(&code.to_be_bytes());
    v.extend_from_slice(&status.to_be_bytes());
    v
}

/// Decoded operation header: (version, code, status).
pub fn parse_op_header(b: &[u8; 8]) -> (u16, u16, u32) {
    (
        u16::from_be_bytes([b[0], b[1]]),
        u16::from_be_bytes([b[2], b[3]]),
        be32(b, 4),
    )
}

/// A busid field: NUL-padded to 32 bytes.
pub fn busid_field(busid: &str) -> [u8; 32] {
    let mut f = [0u8; 32];
    let n = busid.len().min(31);
    f[..n].copy_from_slice(&busid.as_bytes()[..n]);
    f
}

/// Reads a NUL-terminated busid field back into a string.
pub fn busid_from_field(f: &[u8]) -> String {
    let end = f.iter().position(|&c| c == 0).unwrap_or(f.len());
    String::from_utf8_lossy(&f[..end]).into_owned()
}

/// The `usbip_usb_device` record (312 bytes) shared by OP_REP_DEVLIST and OP_REP_IMPORT.
pub fn device_record(info: &DeviceInfo, busid: &str) -> Vec<u8> {
    let mut v = vec![0u8; 256];
    let p = SYSFS_PATH.as_bytes();
    v[..p.len()].copy_from_slice(p);
    v.extend_from_slice(&busid_field(busid));
    let (busnum, devnum) = (1u32, 2u32);
    for x in [busnum, devnum, info.speed as u32] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    for x in [info.vendor_id, info.product_id, info.bcd_device] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    v.extend_from_slice(&[
        info.class,
        info.subclass,
        info.protocol,
        info.configuration_value,
        info.num_configurations,
        info.interfaces.len() as u8,
    ]);
    v
}

/// OP_REP_DEVLIST with one exported device and its interfaces (class, subclass, protocol, pad).
pub fn rep_devlist(info: &DeviceInfo, busid: &str) -> Vec<u8> {
    let mut v = op_header(OP_REP_DEVLIST, ST_OK);
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend(device_record(info, busid));
    for i in &info.interfaces {
        v.extend_from_slice(&[i.class, i.subclass, i.protocol, 0]);
    }
    v
}

/// OP_REP_IMPORT; the device record follows only on success.
pub fn rep_import(result: Result<&DeviceInfo, u32>, busid: &str) -> Vec<u8> {
    match result {
        Ok(info) => {
            let mut v = op_header(OP_REP_IMPORT, ST_OK);
            v.extend(device_record(info, busid));
            v
        }
        Err(status) => op_header(OP_REP_IMPORT, status),
    }
}

/// A decoded `USBIP_CMD_SUBMIT` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submit {
    pub seq: u32,
    pub dir_in: bool,
    /// The endpoint number as sent (numbers above 15 do not exist).
    pub ep: u32,
    pub flags: u32,
    /// transfer_buffer_length.
    pub length: u32,
    /// number_of_packets: at most [`MAX_ISO_PACKETS`]; 0 or 0xffffffff for a non-isochronous URB.
    pub iso_packets: u32,
    pub setup: [u8; 8],
}

impl Submit {
    /// An isochronous URB (a packet count other than 0 and 0xffffffff).
    pub fn is_iso(&self) -> bool {
        self.iso_packets != 0 && self.iso_packets != u32::MAX
    }

    /// Bytes that follow the header on the wire: OUT data, then 16 bytes per isochronous packet
    /// descriptor.
    pub fn payload_len(&self) -> u64 {
        let data = if self.dir_in {
            0
        } else {
            u64::from(self.length)
        };
        let iso = if self.is_iso() {
            16 * u64::from(self.iso_packets)
        } else {
            0
        };
        data + iso
    }
}

/// A decoded `USBIP_CMD_SUBMIT` or `USBIP_CMD_UNLINK` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Submit(Submit),
    Unlink { seq: u32, victim: u32 },
}

/// The most isochronous packet descriptors one URB may carry (Linux `USBIP_MAX_ISO_PACKETS`).
pub const MAX_ISO_PACKETS: u32 = 1024;

/// A command header whose length on the wire is unknown: the connection cannot stay in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadHeader {
    /// Neither CMD_SUBMIT nor CMD_UNLINK.
    Command(u32),
    /// A direction other than 0 (OUT) and 1 (IN): whether OUT data follows is unknown.
    Direction(u32),
    /// More than [`MAX_ISO_PACKETS`] isochronous packets.
    IsoPackets(u32),
}

impl std::fmt::Display for BadHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadHeader::Command(c) => write!(f, "unknown command {c:#x}"),
            BadHeader::Direction(d) => write!(f, "direction {d:#x} is neither 0 nor 1"),
            BadHeader::IsoPackets(n) => {
                write!(f, "{n} isochronous packets (at most {MAX_ISO_PACKETS})")
            }
        }
    }
}

/// Decodes a 48-byte command header.
pub fn parse_cmd(b: &[u8; URB_HEADER_LEN]) -> Result<Cmd, BadHeader> {
    let seq = be32(b, 4);
    match be32(b, 0) {
        CMD_SUBMIT => {
            let mut setup = [0u8; 8];
            setup.copy_from_slice(&b[40..48]);
            let dir_in = match be32(b, 12) {
                DIR_OUT => false,
                DIR_IN => true,
                d => return Err(BadHeader::Direction(d)),
            };
            let s = Submit {
                seq,
                dir_in,
                ep: be32(b, 16),
                flags: be32(b, 20),
                length: be32(b, 24),
                iso_packets: be32(b, 32),
                setup,
            };
            if s.is_iso() && s.iso_packets > MAX_ISO_PACKETS {
                return Err(BadHeader::IsoPackets(s.iso_packets));
            }
            Ok(Cmd::Submit(s))
        }
        CMD_UNLINK => Ok(Cmd::Unlink {
            seq,
            victim: be32(b, 20),
        }),
        other => Err(BadHeader::Command(other)),
    }
}

fn urb_header(command: u32, seq: u32, devid: u32, dir: u32, ep: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(URB_HEADER_LEN);
    for x in [command, seq, devid, dir, ep] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    v
}

/// `USBIP_RET_SUBMIT` followed by the IN data (empty for OUT).
pub fn ret_submit(seq: u32, status: i32, actual: usize, data: &[u8]) -> Vec<u8> {
    let mut v = urb_header(RET_SUBMIT, seq, 0, 0, 0);
    for x in [status as u32, actual as u32, 0, 0, 0] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    v.extend_from_slice(&[0u8; 8]);
    v.extend_from_slice(data);
    v
}

/// `USBIP_RET_UNLINK`.
pub fn ret_unlink(seq: u32, status: i32) -> Vec<u8> {
    let mut v = urb_header(RET_UNLINK, seq, 0, 0, 0);
    v.extend_from_slice(&(status as u32).to_be_bytes());
    v.extend_from_slice(&[0u8; 24]);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ret_submit_layout() {
        let v = ret_submit(7, EPIPE, 2, &[0xaa, 0xbb]);
        assert_eq!(v.len(), 50);
        assert_eq!(&v[0..8], &[0, 0, 0, 3, 0, 0, 0, 7]);
        assert_eq!(&v[20..24], &[0xff, 0xff, 0xff, 0xe0]);
        assert_eq!(&v[24..28], &[0, 0, 0, 2]);
        assert_eq!(&v[48..], &[0xaa, 0xbb]);
    }

    #[test]
    fn parses_submit_and_unlink() {
        let mut b = [0u8; 48];
        for (i, x) in [
            1u32,
            9,
            0x0001_0002,
            DIR_IN,
            0x81,
            0x40,
            8,
            0,
            0xffff_ffff,
            0,
        ]
        .iter()
        .enumerate()
        {
            b[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
        }
        b[40..48].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let s = Submit {
            seq: 9,
            dir_in: true,
            ep: 0x81,
            flags: URB_ZERO_PACKET,
            length: 8,
            iso_packets: 0xffff_ffff,
            setup: [1, 2, 3, 4, 5, 6, 7, 8],
        };
        assert_eq!(parse_cmd(&b), Ok(Cmd::Submit(s)));
        assert_eq!(s.payload_len(), 0, "IN, not isochronous");
        b[12..16].copy_from_slice(&DIR_OUT.to_be_bytes());
        b[32..36].copy_from_slice(&3u32.to_be_bytes());
        let Ok(Cmd::Submit(out)) = parse_cmd(&b) else {
            panic!("valid OUT header")
        };
        assert_eq!(
            out.payload_len(),
            8 + 3 * 16,
            "OUT data then 3 packet descriptors"
        );
        b[32..36].copy_from_slice(&1025u32.to_be_bytes());
        assert_eq!(parse_cmd(&b), Err(BadHeader::IsoPackets(1025)));
        b[12..16].copy_from_slice(&2u32.to_be_bytes());
        assert_eq!(parse_cmd(&b), Err(BadHeader::Direction(2)));
        let mut u = [0u8; 48];
        for (i, x) in [CMD_UNLINK, 10, 0, 0, 0, 9].iter().enumerate() {
            u[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
        }
        assert_eq!(parse_cmd(&u), Ok(Cmd::Unlink { seq: 10, victim: 9 }));
        u[3] = 9;
        assert_eq!(parse_cmd(&u), Err(BadHeader::Command(9)));
    }

    #[test]
    fn devlist_record_layout() {
        let info = DeviceInfo {
            speed: crate::Speed::Full,
            vendor_id: 0x16c0,
            product_id: 0x27db,
            bcd_device: 0x0110,
            class: 0,
            subclass: 0,
            protocol: 0,
            configuration_value: 1,
            num_configurations: 1,
            interfaces: vec![crate::InterfaceInfo {
                number: 0,
                class: 3,
                subclass: 1,
                protocol: 1,
            }],
        };
        let v = rep_devlist(&info, "1-1");
        assert_eq!(v.len(), 8 + 4 + 312 + 4);
        assert_eq!(&v[..12], &[0x01, 0x11, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, 1]);
        let d = &v[12..];
        assert!(d[..256].starts_with(SYSFS_PATH.as_bytes()));
        assert_eq!(&d[256..260], b"1-1\0");
        assert_eq!(&d[288..300], &[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2]);
        assert_eq!(
            &d[300..312],
            &[0x16, 0xc0, 0x27, 0xdb, 0x01, 0x10, 0, 0, 0, 1, 1, 1]
        );
        assert_eq!(&d[312..], &[3, 1, 1, 0]);
        assert_eq!(
            rep_import(Err(ST_NODEV), "1-1"),
            vec![0x01, 0x11, 0x00, 0x03, 0, 0, 0, 4]
        );
    }
}
