//! The fake USB/IP client shared by the integration tests (a minimal `usbip attach`).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

pub struct Client {
    pub s: TcpStream,
    pub seq: u32,
    /// Direction of each submitted URB: RET_SUBMIT carries data only for IN.
    pub dir_in: std::collections::HashMap<u32, bool>,
}

#[derive(Debug)]
pub struct Ret {
    pub command: u32,
    pub seq: u32,
    pub status: i32,
    pub actual: usize,
    pub data: Vec<u8>,
}

/// The first 40 bytes of a USBIP_CMD_* header: ten big-endian words (command, seqnum, devid,
/// direction, ep, then the command's own five).
pub fn cmd_words(words: [u32; 10]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

pub fn be32(b: &[u8], i: usize) -> u32 {
    u32::from_be_bytes(b[i..i + 4].try_into().unwrap())
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

pub fn devlist(addr: SocketAddr) -> Vec<u8> {
    let mut s = connect(addr);
    s.write_all(&[0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0]).unwrap();
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    v
}

/// OP_REQ_IMPORT; returns the reply status and the connected client on success.
pub fn import(addr: SocketAddr, busid: &str) -> (u32, Option<Client>) {
    let mut s = connect(addr);
    let mut req = vec![0x01, 0x11, 0x80, 0x03, 0, 0, 0, 0];
    let mut b = [0u8; 32];
    b[..busid.len()].copy_from_slice(busid.as_bytes());
    req.extend_from_slice(&b);
    s.write_all(&req).unwrap();
    let mut h = [0u8; 8];
    s.read_exact(&mut h).unwrap();
    assert_eq!(&h[..4], &[0x01, 0x11, 0x00, 0x03]);
    let status = be32(&h, 4);
    if status != 0 {
        return (status, None);
    }
    let mut rec = [0u8; 312];
    s.read_exact(&mut rec).unwrap();
    assert_eq!(&rec[256..260], b"1-1\0");
    (
        0,
        Some(Client {
            s,
            seq: 0,
            dir_in: Default::default(),
        }),
    )
}

impl Client {
    pub fn submit(&mut self, ep: u8, dir_in: bool, len: u32, setup: [u8; 8], out: &[u8]) -> u32 {
        self.seq += 1;
        self.dir_in.insert(self.seq, dir_in);
        let mut m = cmd_words([1, self.seq, 0x0001_0002, dir_in as u32, ep as u32, 0, len, 0, 0, 0]);
        m.extend_from_slice(&setup);
        m.extend_from_slice(out);
        self.s.write_all(&m).unwrap();
        self.seq
    }

    pub fn unlink(&mut self, victim: u32) -> u32 {
        self.seq += 1;
        let mut m = cmd_words([2, self.seq, 0x0001_0002, 0, 0, victim, 0, 0, 0, 0]);
        m.extend_from_slice(&[0; 8]);
        self.s.write_all(&m).unwrap();
        self.seq
    }

    pub fn ret(&mut self) -> Ret {
        let mut h = [0u8; 48];
        self.s.read_exact(&mut h).unwrap();
        let (command, seq) = (be32(&h, 0), be32(&h, 4));
        let actual = if command == 3 {
            be32(&h, 24) as usize
        } else {
            0
        };
        let has_data = command == 3 && self.dir_in.get(&seq).copied().unwrap_or(false);
        let mut data = vec![0u8; if has_data { actual } else { 0 }];
        self.s.read_exact(&mut data).unwrap();
        Ret {
            command,
            seq,
            status: be32(&h, 20) as i32,
            actual,
            data,
        }
    }

    /// Control transfer; for OUT, `actual` comes back in `data.len()` only via status.
    pub fn control(&mut self, setup: [u8; 8], out: &[u8]) -> Ret {
        let len = u16::from_le_bytes([setup[6], setup[7]]) as u32;
        let seq = self.submit(0, setup[0] & 0x80 != 0, len, setup, out);
        let r = self.ret();
        assert_eq!((r.command, r.seq), (3, seq));
        r
    }

    pub fn get_descriptor(&mut self, kind: u8, index: u8, len: u16) -> Ret {
        let l = len.to_le_bytes();
        let lang = if kind == 3 && index != 0 {
            [0x09, 0x04]
        } else {
            [0, 0]
        };
        self.control([0x80, 6, index, kind, lang[0], lang[1], l[0], l[1]], &[])
    }

    pub fn vendor_in(&mut self, req: u8, value: u16, len: u16) -> Ret {
        let (v, l) = (value.to_le_bytes(), len.to_le_bytes());
        self.control([0xc0, req, v[0], v[1], 0, 0, l[0], l[1]], &[])
    }

    pub fn vendor_out(&mut self, req: u8, value: u16, data: &[u8]) -> Ret {
        let (v, l) = (value.to_le_bytes(), (data.len() as u16).to_le_bytes());
        self.control([0x40, req, v[0], v[1], 0, 0, l[0], l[1]], data)
    }

    pub fn configure(&mut self) {
        let r = self.control([0x00, 9, 1, 0, 0, 0, 0, 0], &[]);
        assert_eq!(r.status, 0);
    }
}

