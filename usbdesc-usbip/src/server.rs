//! The network side: accepts clients, answers OP_REQ_DEVLIST / OP_REQ_IMPORT, then turns
//! CMD_SUBMIT / CMD_UNLINK into endpoint state changes until the client goes away.
//!
//! Bounds (see [`Limits`]): at most `max_handshakes` connections before import (more are closed
//! at once) and one imported client (another import waits `reimport_wait` for it to detach, then
//! gets ST_DEV_BUSY). A handshake, and a URB header or its data once started, must arrive within
//! `io_timeout`. Replies leave through the connection's [`Outbox`], never under the state lock.
//! A header whose length on the wire is unknown closes the connection.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::admit;
use crate::bus::{BusHandle, Config};
use crate::devinfo::DeviceInfo;
use crate::endpoints::{Completion, Conn, CtrlUrb};
use crate::outbox::Outbox;
use crate::wire::{self, Cmd, Submit};

struct Server {
    handle: BusHandle,
    config: Config,
    info: Mutex<Option<DeviceInfo>>,
    next_conn: AtomicU64,
    handshakes: AtomicUsize,
}

/// One handshake place, given back when dropped.
struct HandshakeSlot<'a>(&'a AtomicUsize);

impl Drop for HandshakeSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

pub(crate) fn accept_loop(listener: TcpListener, handle: BusHandle, config: Config) {
    let server = Arc::new(Server {
        handle,
        config,
        info: Mutex::new(None),
        next_conn: AtomicU64::new(1),
        handshakes: AtomicUsize::new(0),
    });
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // E.g. out of file descriptors: let connections close before trying again.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // Only the accept loop takes places, so checking and taking cannot race.
        if server.handshakes.load(Ordering::Relaxed) >= server.config.limits.max_handshakes {
            continue; // dropping the stream closes it
        }
        server.handshakes.fetch_add(1, Ordering::Relaxed);
        let conn = server.clone();
        let spawned = std::thread::Builder::new()
            .name("usbip-conn".into())
            .spawn(move || {
                let slot = HandshakeSlot(&conn.handshakes);
                let id = conn.next_conn.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = conn.serve(stream, id, slot) {
                    if e.kind() != ErrorKind::UnexpectedEof {
                        eprintln!("usbip: connection {id}: {e}");
                    }
                }
                conn.handle.shared().with(|s| s.detach(id));
            });
        if spawned.is_err() {
            server.handshakes.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// Reads all of `buf` by `deadline`.
fn read_by(s: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> std::io::Result<()> {
    let mut got = 0;
    while got < buf.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        s.set_read_timeout(Some(left))?;
        match s.read(&mut buf[got..]) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Waits as long as it takes for the first byte of the next message; `false` on a clean close.
fn first_byte(s: &mut TcpStream, b: &mut [u8; 1]) -> std::io::Result<bool> {
    s.set_read_timeout(None)?;
    loop {
        match s.read(b) {
            Ok(n) => return Ok(n == 1),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(ErrorKind::InvalidData, msg)
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

    fn serve(&self, mut s: TcpStream, id: u64, slot: HandshakeSlot<'_>) -> std::io::Result<()> {
        let limits = &self.config.limits;
        s.set_nodelay(true)?;
        s.set_write_timeout(Some(limits.io_timeout))?;
        let deadline = Instant::now() + limits.io_timeout;
        let mut h = [0u8; 8];
        read_by(&mut s, &mut h, deadline)?;
        let (version, code, _status) = wire::parse_op_header(&h);
        if version != wire::VERSION {
            return Err(invalid(format!("protocol version {version:#06x}")));
        }
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
                read_by(&mut s, &mut busid, deadline)?;
                let status = if wire::busid_from_field(&busid) != self.config.busid {
                    wire::ST_NODEV
                } else if let Some(info) = self.device_info() {
                    match self.attach(&s, id, &info)? {
                        true => {
                            drop(slot);
                            let r = self.urb_loop(&mut s, id);
                            let _ = s.shutdown(Shutdown::Both);
                            return r;
                        }
                        false => wire::ST_DEV_BUSY,
                    }
                } else {
                    wire::ST_NODEV
                };
                s.write_all(&wire::rep_import(Err(status), ""))
            }
            other => Err(invalid(format!("unknown operation {other:#06x}"))),
        }
    }

    /// Makes connection `id` the imported one, once the previous one (if any) has detached or
    /// `reimport_wait` has passed. OP_REP_IMPORT is queued before any RET_SUBMIT can be.
    fn attach(&self, s: &TcpStream, id: u64, info: &DeviceInfo) -> std::io::Result<bool> {
        let limits = &self.config.limits;
        let outbox = Outbox::start(s, limits.io_timeout, limits.max_queued_replies)?;
        let shared = self.handle.shared();
        let mut st = shared.lock_when(limits.reimport_wait, |e| e.conn.is_none());
        let free = st.conn.is_none();
        if free {
            outbox.send(wire::rep_import(Ok(info), &self.config.busid));
            st.attach(Conn { id, outbox });
        }
        drop(st);
        shared.notify();
        Ok(free)
    }

    fn urb_loop(&self, s: &mut TcpStream, id: u64) -> std::io::Result<()> {
        let timeout = self.config.limits.io_timeout;
        loop {
            let mut h = [0u8; wire::URB_HEADER_LEN];
            let mut first = [0u8; 1];
            if !first_byte(s, &mut first)? {
                return Ok(());
            }
            h[0] = first[0];
            read_by(s, &mut h[1..], Instant::now() + timeout)?;
            match wire::parse_cmd(&h).map_err(|e| invalid(e.to_string()))? {
                Cmd::Submit(sub) => self.submit(s, id, sub)?,
                Cmd::Unlink { seq, victim } => self.handle.shared().with(|st| {
                    let status = if st.unlink(victim) {
                        wire::ECONNRESET
                    } else {
                        0
                    };
                    st.reply(id, wire::ret_unlink(seq, status));
                }),
            }
        }
    }

    /// Reads a CMD_SUBMIT's payload and queues the URB, or answers it with an error status and
    /// drops the payload. Memory grows with the bytes that arrive, never with a claimed length.
    fn submit(&self, s: &mut TcpStream, id: u64, sub: Submit) -> std::io::Result<()> {
        let limits = &self.config.limits;
        let shared = self.handle.shared();
        let done = Completion::Remote {
            seq: sub.seq,
            conn: id,
        };
        let verdict = admit::header(&sub, limits)
            .and_then(|()| admit::load(&sub, shared.lock().load(), limits));
        // Each read of the payload must make progress within the timeout.
        s.set_read_timeout(Some(limits.io_timeout))?;
        if let Err(status) = verdict {
            shared.with(|st| st.reject(done, status));
            let n = std::io::copy(
                &mut Read::take(&mut *s, sub.payload_len()),
                &mut std::io::sink(),
            )?;
            return if n == sub.payload_len() {
                Ok(())
            } else {
                Err(ErrorKind::UnexpectedEof.into())
            };
        }
        // Admitted: not isochronous, so the payload is the OUT data.
        let len = sub.length as usize;
        let mut out = Vec::new();
        if !sub.dir_in {
            Read::take(&mut *s, len as u64).read_to_end(&mut out)?;
            if out.len() != len {
                return Err(ErrorKind::UnexpectedEof.into());
            }
        }
        let ep = sub.ep as usize;
        shared.with(|st| match ep {
            0 => st.submit_control(CtrlUrb {
                done,
                setup: sub.setup,
                out,
                room: len,
            }),
            n if sub.dir_in => st.submit_in(n, len, done),
            n => st.submit_out(n, out, sub.flags & wire::URB_ZERO_PACKET != 0, done),
        });
        Ok(())
    }
}
