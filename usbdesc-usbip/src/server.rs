//! The network side: accepts clients, answers OP_REQ_DEVLIST / OP_REQ_IMPORT, then turns
//! CMD_SUBMIT / CMD_UNLINK into endpoint state changes until the client goes away.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::bus::{BusHandle, Config};
use crate::devinfo::DeviceInfo;
use crate::endpoints::{Completion, Conn, CtrlUrb};
use crate::wire::{self, Cmd};

struct Server {
    handle: BusHandle,
    config: Config,
    info: Mutex<Option<DeviceInfo>>,
    next_conn: AtomicU64,
}

pub(crate) fn accept_loop(listener: TcpListener, handle: BusHandle, config: Config) {
    let server = Arc::new(Server {
        handle,
        config,
        info: Mutex::new(None),
        next_conn: AtomicU64::new(1),
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let server = server.clone();
        let _ = std::thread::Builder::new()
            .name("usbip-conn".into())
            .spawn(move || {
                let id = server.next_conn.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = server.serve(stream, id) {
                    if e.kind() != std::io::ErrorKind::UnexpectedEof {
                        eprintln!("usbip: connection {id}: {e}");
                    }
                }
                server.handle.shared().with(|s| s.detach(id));
            });
    }
}

impl Server {
    /// The device list entry, read from the device itself once (GET_DESCRIPTOR over the bus).
    fn device_info(&self) -> Option<DeviceInfo> {
        let mut cache = self.info.lock().unwrap_or_else(|p| p.into_inner());
        if cache.is_none() {
            match self.handle.read_device_and_config() {
                Ok((dev, cfg)) => match DeviceInfo::parse(&dev, &cfg, self.config.speed) {
                    Ok(i) => *cache = Some(i),
                    Err(e) => eprintln!("usbip: cannot list the device: {e}"),
                },
                Err(e) => eprintln!("usbip: device did not answer GET_DESCRIPTOR: {e:?}"),
            }
        }
        cache.clone()
    }

    fn serve(&self, mut s: TcpStream, id: u64) -> std::io::Result<()> {
        s.set_nodelay(true)?;
        let mut h = [0u8; 8];
        s.read_exact(&mut h)?;
        let (_version, code, _status) = wire::parse_op_header(&h);
        match code {
            wire::OP_REQ_DEVLIST => {
                let reply = match self.device_info() {
                    Some(info) => wire::rep_devlist(&info, &self.config.busid),
                    None => {
                        let mut v = wire::op_header(wire::OP_REP_DEVLIST, wire::ST_OK);
                        v.extend_from_slice(&0u32.to_be_bytes());
                        v
                    }
                };
                s.write_all(&reply)
            }
            wire::OP_REQ_IMPORT => {
                let mut busid = [0u8; 32];
                s.read_exact(&mut busid)?;
                if wire::busid_from_field(&busid) != self.config.busid {
                    return s.write_all(&wire::rep_import(Err(wire::ST_NODEV), ""));
                }
                let Some(info) = self.device_info() else {
                    return s.write_all(&wire::rep_import(Err(wire::ST_NODEV), ""));
                };
                let writer = s.try_clone()?;
                // Reply and attach under the lock, so no RET_SUBMIT can precede OP_REP_IMPORT.
                let busy = self.handle.shared().with(|st| {
                    if st.conn.is_some() {
                        return true;
                    }
                    let mut conn = Conn { id, writer };
                    if conn
                        .writer
                        .write_all(&wire::rep_import(Ok(&info), &self.config.busid))
                        .is_ok()
                    {
                        st.attach(conn);
                    }
                    false
                });
                if busy {
                    return s.write_all(&wire::rep_import(Err(wire::ST_DEV_BUSY), ""));
                }
                self.urb_loop(s, id)
            }
            other => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("unknown operation {other:#06x}"),
            )),
        }
    }

    fn urb_loop(&self, mut s: TcpStream, id: u64) -> std::io::Result<()> {
        loop {
            let mut h = [0u8; wire::URB_HEADER_LEN];
            s.read_exact(&mut h)?;
            let cmd = wire::parse_cmd(&h).map_err(|c| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("unknown command {c}"),
                )
            })?;
            match cmd {
                Cmd::Submit {
                    seq,
                    dir_in,
                    ep,
                    flags,
                    length,
                    iso_packets,
                    setup,
                } => {
                    let mut out = vec![0u8; if dir_in { 0 } else { length as usize }];
                    s.read_exact(&mut out)?;
                    let done = Completion::Remote { seq, conn: id };
                    if iso_packets != 0 && iso_packets != u32::MAX {
                        // Isochronous: skip the packet descriptors; no iso endpoints exist here.
                        let mut skip = vec![0u8; 16 * iso_packets.min(1024) as usize];
                        s.read_exact(&mut skip)?;
                        self.handle
                            .shared()
                            .with(|st| st.reject(done, wire::EINVAL));
                        continue;
                    }
                    self.handle.shared().with(|st| match ep {
                        0 => st.submit_control(CtrlUrb { done, setup, out }),
                        n if dir_in => st.submit_in(n as usize, length as usize, done),
                        n => {
                            st.submit_out(n as usize, out, flags & wire::URB_ZERO_PACKET != 0, done)
                        }
                    });
                }
                Cmd::Unlink { seq, victim } => {
                    self.handle.shared().with(|st| {
                        let status = if st.unlink(victim) {
                            wire::ECONNRESET
                        } else {
                            0
                        };
                        if let Some(c) = st.conn.as_mut().filter(|c| c.id == id) {
                            let _ = c.writer.write_all(&wire::ret_unlink(seq, status));
                        }
                    });
                }
            }
        }
    }
}
