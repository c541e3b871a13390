//! Replies to one USB/IP client, written by that connection's own writer thread.
//!
//! The endpoint state sits under a lock that the device's poll loop and every connection share, so
//! it never touches a socket: it only queues a reply here ([`Outbox::send`], which never blocks).
//! The writer thread writes with a timeout. A client that stops reading is dropped, either when a
//! write times out or when more than `limit` bytes wait. Dropping means shutting the socket down.
//! The connection's reader thread then sees an error and detaches.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

pub(crate) struct Outbox {
    tx: mpsc::Sender<Vec<u8>>,
    /// Bytes queued and not yet handed to the socket.
    queued: Arc<AtomicUsize>,
    sock: TcpStream,
    limit: usize,
}

impl Outbox {
    /// Starts the writer thread for `sock`.
    pub fn start(
        sock: &TcpStream,
        write_timeout: Duration,
        limit: usize,
    ) -> std::io::Result<Outbox> {
        let mut w = sock.try_clone()?;
        w.set_write_timeout(Some(write_timeout))?;
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        let queued = Arc::new(AtomicUsize::new(0));
        let q = queued.clone();
        std::thread::Builder::new()
            .name("usbip-writer".into())
            .spawn(move || {
                // Ends when the connection detaches (the sender is dropped) or the peer fails.
                for msg in rx {
                    q.fetch_sub(msg.len(), Ordering::Relaxed);
                    if w.write_all(&msg).is_err() {
                        let _ = w.shutdown(Shutdown::Both);
                        return;
                    }
                }
            })?;
        Ok(Outbox {
            tx,
            queued,
            sock: sock.try_clone()?,
            limit,
        })
    }

    /// Queues `msg`; drops the client instead when the queue is over its limit or the writer has
    /// given up.
    pub fn send(&self, msg: Vec<u8>) {
        let n = msg.len();
        let total = self.queued.fetch_add(n, Ordering::Relaxed) + n;
        if total > self.limit || self.tx.send(msg).is_err() {
            self.drop_client();
        }
    }

    /// Shuts the socket down: the reader thread stops and detaches, the writer thread ends.
    pub fn drop_client(&self) {
        let _ = self.sock.shutdown(Shutdown::Both);
    }
}
