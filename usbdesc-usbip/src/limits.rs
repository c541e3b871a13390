//! What one USB/IP client can make the server hold, and how long it may keep it waiting.

use std::time::Duration;

/// Bounds applied to every client. A URB over a bound is answered with an error status; a client
/// over a connection, queue or time bound is disconnected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest `transfer_buffer_length` of a bulk or interrupt URB. (A control URB is bounded by
    /// wLength: at most 65,535.) Default 1 MiB.
    pub max_transfer: usize,
    /// URBs waiting at once, all endpoints together. Default 1,024.
    pub max_pending_urbs: usize,
    /// OUT bytes waiting for the device to read them, all endpoints together. Default 4 MiB.
    pub max_queued_out: usize,
    /// Reply bytes waiting for the client to read them. Default 4 MiB.
    pub max_queued_replies: usize,
    /// Connections still in the OP_REQ_* handshake; a connection beyond them is closed at once.
    /// Default 4.
    pub max_handshakes: usize,
    /// Read and write timeout: for a whole handshake, for the rest of a URB header or its data
    /// once it has started, and for each reply write. Default 5 s.
    pub io_timeout: Duration,
    /// How long an OP_REQ_IMPORT waits for the previous client to detach before it gets
    /// ST_DEV_BUSY. Default 1 s.
    pub reimport_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_transfer: 1 << 20,
            max_pending_urbs: 1024,
            max_queued_out: 4 << 20,
            max_queued_replies: 4 << 20,
            max_handshakes: 4,
            io_timeout: Duration::from_secs(5),
            reimport_wait: Duration::from_secs(1),
        }
    }
}
