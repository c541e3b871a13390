//! Endpoint state: URBs from the host meet packets from the device.
//!
//! This is the part a real controller does in silicon. URBs (host transfers) are queued per endpoint;
//! the device reads and writes single packets of at most the endpoint's max packet size through the
//! `UsbBus` calls. A transfer ends on a short packet or when the URB's buffer is full; a control
//! transfer completes only after its status stage.

use std::collections::VecDeque;
use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc::Sender;

use crate::wire;

/// Where a finished URB goes.
#[derive(Debug)]
pub(crate) enum Completion {
    /// Back to the USB/IP client of connection `conn` as RET_SUBMIT.
    Remote { seq: u32, conn: u64 },
    /// To an in-process waiter (descriptor probing): data or a negative errno.
    Local(Sender<Result<Vec<u8>, i32>>),
}

impl Completion {
    fn seq(&self) -> Option<u32> {
        match self {
            Completion::Remote { seq, .. } => Some(*seq),
            Completion::Local(_) => None,
        }
    }
    fn is_remote(&self) -> bool {
        matches!(self, Completion::Remote { .. })
    }
}

/// The current USB/IP connection (one import at a time).
pub(crate) struct Conn {
    pub id: u64,
    pub writer: TcpStream,
}

pub(crate) struct CtrlUrb {
    pub done: Completion,
    pub setup: [u8; 8],
    pub out: Vec<u8>,
}

impl CtrlUrb {
    fn dir_in(&self) -> bool {
        self.setup[0] & 0x80 != 0
    }
    fn w_length(&self) -> usize {
        u16::from_le_bytes([self.setup[6], self.setup[7]]) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// SETUP packet waiting to be read by the device.
    Setup,
    /// OUT data packets waiting to be read.
    DataOut,
    /// Waiting for IN data packets from the device.
    DataIn,
    /// IN data done; the status-stage ZLP from the host waits to be read.
    StatusOut,
    /// OUT data done (or none); waiting for the device's status-stage ZLP.
    StatusIn,
}

struct ActiveCtrl {
    urb: CtrlUrb,
    stage: Stage,
    chunks: VecDeque<Vec<u8>>,
    data_in: Vec<u8>,
}

struct InUrb {
    done: Completion,
    want: usize,
    data: Vec<u8>,
}

pub(crate) struct InEp {
    max: usize,
    urbs: VecDeque<InUrb>,
    /// The one packet the device has armed (as in a hardware endpoint buffer).
    packet: Option<Vec<u8>>,
    stalled: bool,
}

struct OutPacket {
    data: Vec<u8>,
    /// Set on the last packet of a URB: its completion and total length.
    last_of: Option<(Completion, usize)>,
    seq: Option<u32>,
}

pub(crate) struct OutEp {
    max: usize,
    packets: VecDeque<OutPacket>,
    stalled: bool,
}

/// Test-only fault injection, applied to replies going to the USB/IP client only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Added to wTotalLength in every GET_DESCRIPTOR(CONFIGURATION) reply (e.g. -1: off by one).
    pub config_total_length_delta: i16,
}

pub(crate) struct Endpoints {
    pub conn: Option<Conn>,
    pub faults: Faults,
    pub reset_pending: bool,
    ep0_max: usize,
    ctrl_queue: VecDeque<CtrlUrb>,
    ctrl: Option<ActiveCtrl>,
    ins: [Option<InEp>; 16],
    outs: [Option<OutEp>; 16],
    in_complete: u16,
}

/// What `poll()` should report.
pub(crate) struct Events {
    pub setup: u16,
    pub out: u16,
    pub in_complete: u16,
}

impl Endpoints {
    pub fn new(faults: Faults) -> Self {
        Endpoints {
            conn: None,
            faults,
            reset_pending: false,
            ep0_max: 8,
            ctrl_queue: VecDeque::new(),
            ctrl: None,
            ins: Default::default(),
            outs: Default::default(),
            in_complete: 0,
        }
    }

    pub fn in_allocated(&self, i: usize) -> bool {
        self.ins[i].is_some()
    }
    pub fn out_allocated(&self, i: usize) -> bool {
        self.outs[i].is_some()
    }
    pub fn alloc_in(&mut self, i: usize, max: usize) {
        if i == 0 {
            self.ep0_max = max;
        }
        self.ins[i] = Some(InEp {
            max,
            urbs: VecDeque::new(),
            packet: None,
            stalled: false,
        });
    }
    pub fn alloc_out(&mut self, i: usize, max: usize) {
        self.outs[i] = Some(OutEp {
            max,
            packets: VecDeque::new(),
            stalled: false,
        });
    }

    fn finish(&mut self, done: Completion, status: i32, data: &[u8], out_len: usize) {
        match done {
            Completion::Remote { seq, conn } => {
                let Some(c) = self.conn.as_mut().filter(|c| c.id == conn) else {
                    return;
                };
                // A failed URB carries no data (actual_length 0), so the stream stays in step.
                let msg = match status {
                    0 if data.is_empty() => wire::ret_submit(seq, 0, out_len, &[]),
                    0 => wire::ret_submit(seq, 0, data.len(), data),
                    _ => wire::ret_submit(seq, status, 0, &[]),
                };
                if c.writer.write_all(&msg).is_err() {
                    // The reader thread notices the broken socket and detaches.
                    let _ = c.writer.shutdown(std::net::Shutdown::Both);
                }
            }
            Completion::Local(tx) => {
                let _ = tx.send(if status == 0 {
                    Ok(data.to_vec())
                } else {
                    Err(status)
                });
            }
        }
    }

    /// A new connection: drops everything pending and asks the device for a bus reset.
    pub fn attach(&mut self, conn: Conn) {
        self.drop_remote();
        self.conn = Some(conn);
        self.reset_pending = true;
    }

    /// The connection `id` closed: its URBs are dropped, the device sees a reset (as on unplug).
    pub fn detach(&mut self, id: u64) {
        if self.conn.as_ref().is_some_and(|c| c.id == id) {
            self.conn = None;
            self.drop_remote();
            self.reset_pending = true;
        }
    }

    fn drop_remote(&mut self) {
        self.ctrl_queue.retain(|u| !u.done.is_remote());
        if self.ctrl.as_ref().is_some_and(|c| c.urb.done.is_remote()) {
            self.ctrl = None;
        }
        for e in self.ins.iter_mut().flatten() {
            e.urbs.retain(|u| !u.done.is_remote());
        }
        for e in self.outs.iter_mut().flatten() {
            e.packets.clear();
        }
        self.start_next_ctrl();
    }

    /// The device acknowledged a bus reset: endpoint buffers and halts are cleared.
    pub fn bus_reset(&mut self) {
        for e in self.ins.iter_mut().flatten() {
            e.packet = None;
            e.stalled = false;
        }
        for e in self.outs.iter_mut().flatten() {
            e.stalled = false;
        }
        self.in_complete = 0;
    }

    // ---- host side -------------------------------------------------------------------------

    /// Completes a URB this bus cannot carry (e.g. isochronous) with `status`.
    pub fn reject(&mut self, done: Completion, status: i32) {
        self.finish(done, status, &[], 0);
    }

    pub fn submit_control(&mut self, urb: CtrlUrb) {
        self.ctrl_queue.push_back(urb);
        self.start_next_ctrl();
    }

    fn start_next_ctrl(&mut self) {
        if self.ctrl.is_some() {
            return;
        }
        let Some(urb) = self.ctrl_queue.pop_front() else {
            return;
        };
        let n = urb.w_length().min(urb.out.len());
        let chunks = if urb.dir_in() {
            VecDeque::new()
        } else {
            urb.out[..n]
                .chunks(self.ep0_max.max(1))
                .map(<[u8]>::to_vec)
                .collect()
        };
        // A SETUP clears a halt on endpoint 0 and any stale IN-complete flag.
        for e in [
            self.ins[0].as_mut().map(|e| &mut e.stalled),
            self.outs[0].as_mut().map(|e| &mut e.stalled),
        ]
        .into_iter()
        .flatten()
        {
            *e = false;
        }
        self.in_complete &= !1;
        self.ctrl = Some(ActiveCtrl {
            urb,
            stage: Stage::Setup,
            chunks,
            data_in: Vec::new(),
        });
    }

    pub fn submit_in(&mut self, ep: usize, want: usize, done: Completion) {
        match self.ins[ep].as_mut() {
            Some(e) if !e.stalled => {
                e.urbs.push_back(InUrb {
                    done,
                    want,
                    data: Vec::new(),
                });
                self.pump_in(ep);
            }
            Some(_) => self.finish(done, wire::EPIPE, &[], 0),
            None => self.finish(done, wire::EINVAL, &[], 0),
        }
    }

    pub fn submit_out(&mut self, ep: usize, data: Vec<u8>, zero_packet: bool, done: Completion) {
        let Some(e) = self.outs[ep].as_mut() else {
            return self.finish(done, wire::EINVAL, &[], 0);
        };
        if e.stalled {
            return self.finish(done, wire::EPIPE, &[], 0);
        }
        let seq = done.seq();
        let total = data.len();
        let max = e.max.max(1);
        let mut chunks: Vec<Vec<u8>> = data.chunks(max).map(<[u8]>::to_vec).collect();
        // URB_ZERO_PACKET: a transfer of whole packets gets a terminating ZLP.
        let whole_packets = (total / max) * max == total;
        if chunks.is_empty() || (zero_packet && whole_packets) {
            chunks.push(Vec::new());
        }
        let last = chunks.len() - 1;
        let mut done = Some(done);
        for (i, c) in chunks.into_iter().enumerate() {
            let last_of = if i == last {
                done.take().map(|d| (d, total))
            } else {
                None
            };
            e.packets.push_back(OutPacket {
                data: c,
                last_of,
                seq,
            });
        }
    }

    /// CMD_UNLINK: removes the victim wherever it waits. True if it was still pending.
    pub fn unlink(&mut self, victim: u32) -> bool {
        let is_victim = |d: &Completion| d.seq() == Some(victim);
        let mut found = false;
        if self.ctrl.as_ref().is_some_and(|c| is_victim(&c.urb.done)) {
            self.ctrl = None;
            found = true;
        }
        let before = self.ctrl_queue.len();
        self.ctrl_queue.retain(|u| !is_victim(&u.done));
        found |= self.ctrl_queue.len() != before;
        for e in self.ins.iter_mut().flatten() {
            let before = e.urbs.len();
            e.urbs.retain(|u| !is_victim(&u.done));
            found |= e.urbs.len() != before;
        }
        for e in self.outs.iter_mut().flatten() {
            let before = e.packets.len();
            e.packets.retain(|p| p.seq != Some(victim));
            found |= e.packets.len() != before;
        }
        self.start_next_ctrl();
        found
    }

    // ---- device side -----------------------------------------------------------------------

    /// Something for `poll()` to report (without consuming it).
    pub fn has_events(&self) -> bool {
        self.reset_pending
            || self.in_complete != 0
            || self.ctrl.as_ref().is_some_and(|c| {
                matches!(
                    (c.stage, c.chunks.is_empty()),
                    (Stage::Setup, _) | (Stage::DataOut, false) | (Stage::StatusOut, _)
                )
            })
            || self
                .outs
                .iter()
                .skip(1)
                .flatten()
                .any(|e| !e.packets.is_empty())
    }

    pub fn events(&mut self) -> Events {
        let mut ev = Events {
            setup: 0,
            out: 0,
            in_complete: std::mem::take(&mut self.in_complete),
        };
        match self.ctrl.as_ref().map(|c| (c.stage, c.chunks.is_empty())) {
            Some((Stage::Setup, _)) => ev.setup |= 1,
            Some((Stage::DataOut, false)) | Some((Stage::StatusOut, _)) => ev.out |= 1,
            _ => {}
        }
        for (i, e) in self.outs.iter().enumerate().skip(1) {
            if e.as_ref().is_some_and(|e| !e.packets.is_empty()) {
                ev.out |= 1 << i;
            }
        }
        ev
    }

    /// `UsbBus::read` for endpoint 0: SETUP, then OUT data packets, then the status-stage ZLP.
    pub fn read_ep0(&mut self, buf: &mut [u8]) -> Result<usize, usb_device::UsbError> {
        use usb_device::UsbError;
        let Some(c) = self.ctrl.as_mut() else {
            return Err(UsbError::WouldBlock);
        };
        match c.stage {
            Stage::Setup => {
                if buf.len() < 8 {
                    return Err(UsbError::BufferOverflow);
                }
                buf[..8].copy_from_slice(&c.urb.setup);
                c.stage = match (c.urb.dir_in(), c.chunks.is_empty()) {
                    (true, _) => Stage::DataIn,
                    (false, true) => Stage::StatusIn,
                    (false, false) => Stage::DataOut,
                };
                Ok(8)
            }
            Stage::DataOut => {
                let p = c.chunks.front().ok_or(UsbError::WouldBlock)?;
                if p.len() > buf.len() {
                    return Err(UsbError::BufferOverflow);
                }
                let p = c.chunks.pop_front().unwrap_or_default();
                buf[..p.len()].copy_from_slice(&p);
                if c.chunks.is_empty() {
                    c.stage = Stage::StatusIn;
                }
                Ok(p.len())
            }
            Stage::StatusOut => {
                let c = self.ctrl.take().expect("active control transfer");
                let mut data = c.data_in;
                data.truncate(c.urb.w_length());
                if c.urb.done.is_remote() {
                    self.apply_faults(&c.urb.setup, &mut data);
                }
                self.finish(c.urb.done, 0, &data, 0);
                self.start_next_ctrl();
                Ok(0)
            }
            Stage::DataIn | Stage::StatusIn => Err(UsbError::WouldBlock),
        }
    }

    /// `UsbBus::write` for endpoint 0: IN data packets, or the status-stage ZLP of an OUT transfer.
    pub fn write_ep0(&mut self, buf: &[u8]) -> Result<usize, usb_device::UsbError> {
        if buf.len() > self.ep0_max {
            return Err(usb_device::UsbError::BufferOverflow);
        }
        self.in_complete |= 1;
        let max = self.ep0_max;
        let Some(c) = self.ctrl.as_mut() else {
            return Ok(buf.len());
        };
        match c.stage {
            Stage::DataIn => {
                c.data_in.extend_from_slice(buf);
                if buf.len() < max || c.data_in.len() >= c.urb.w_length() {
                    c.stage = Stage::StatusOut;
                }
            }
            Stage::StatusIn if buf.is_empty() => {
                let c = self.ctrl.take().expect("active control transfer");
                let n = c.urb.out.len().min(c.urb.w_length());
                self.finish(c.urb.done, 0, &[], n);
                self.start_next_ctrl();
            }
            // A ZLP after a full-length data stage, or data in the wrong stage: the host
            // would not take it; drop it like a NAKed packet that never leaves.
            _ => {}
        }
        Ok(buf.len())
    }

    fn apply_faults(&self, setup: &[u8; 8], data: &mut [u8]) {
        let get_config = setup[0] == 0x80 && setup[1] == 6 && setup[3] == 2;
        if get_config && self.faults.config_total_length_delta != 0 && data.len() >= 4 {
            let t = u16::from_le_bytes([data[2], data[3]]) as i32
                + self.faults.config_total_length_delta as i32;
            data[2..4].copy_from_slice(&(t.clamp(0, 0xffff) as u16).to_le_bytes());
        }
    }

    pub fn write_in(&mut self, ep: usize, buf: &[u8]) -> Result<usize, usb_device::UsbError> {
        use usb_device::UsbError;
        let e = self.ins[ep].as_mut().ok_or(UsbError::InvalidEndpoint)?;
        if buf.len() > e.max {
            return Err(UsbError::BufferOverflow);
        }
        if e.packet.is_some() {
            return Err(UsbError::WouldBlock);
        }
        e.packet = Some(buf.to_vec());
        self.pump_in(ep);
        Ok(buf.len())
    }

    /// Moves an armed IN packet into the oldest waiting URB; completes it on a short or full one.
    fn pump_in(&mut self, ep: usize) {
        let Some(e) = self.ins[ep].as_mut() else {
            return;
        };
        if e.urbs.is_empty() {
            return;
        }
        let Some(p) = e.packet.take() else { return };
        self.in_complete |= 1 << ep;
        let max = e.max;
        let urb = e.urbs.front_mut().expect("checked non-empty");
        let room = urb.want - urb.data.len();
        let overflow = p.len() > room;
        urb.data.extend_from_slice(&p[..p.len().min(room)]);
        if overflow || p.len() < max || urb.data.len() >= urb.want {
            let urb = e.urbs.pop_front().expect("checked non-empty");
            let status = if overflow { wire::EOVERFLOW } else { 0 };
            self.finish(urb.done, status, &urb.data, 0);
        }
    }

    pub fn read_out(&mut self, ep: usize, buf: &mut [u8]) -> Result<usize, usb_device::UsbError> {
        use usb_device::UsbError;
        let e = self.outs[ep].as_mut().ok_or(UsbError::InvalidEndpoint)?;
        let p = e.packets.front().ok_or(UsbError::WouldBlock)?;
        if p.data.len() > buf.len() {
            return Err(UsbError::BufferOverflow);
        }
        let p = e.packets.pop_front().expect("checked non-empty");
        buf[..p.data.len()].copy_from_slice(&p.data);
        if let Some((done, total)) = p.last_of {
            self.finish(done, 0, &[], total);
        }
        Ok(p.data.len())
    }

    pub fn set_stalled(&mut self, ep: usize, dir_in: bool, stalled: bool) {
        if ep == 0 {
            if let Some(e) = if dir_in {
                self.ins[0].as_mut().map(|e| &mut e.stalled)
            } else {
                self.outs[0].as_mut().map(|e| &mut e.stalled)
            } {
                *e = stalled;
            }
            // A protocol STALL ends the control transfer in progress with -EPIPE.
            if stalled && self.ctrl.as_ref().is_some_and(|c| c.stage != Stage::Setup) {
                let c = self.ctrl.take().expect("checked");
                self.finish(c.urb.done, wire::EPIPE, &[], 0);
                self.start_next_ctrl();
            }
            return;
        }
        if dir_in {
            let Some(e) = self.ins[ep].as_mut() else {
                return;
            };
            e.stalled = stalled;
            if stalled {
                e.packet = None;
                let urbs: Vec<InUrb> = e.urbs.drain(..).collect();
                for u in urbs {
                    self.finish(u.done, wire::EPIPE, &[], 0);
                }
            }
        } else {
            let Some(e) = self.outs[ep].as_mut() else {
                return;
            };
            e.stalled = stalled;
            if stalled {
                let pkts: Vec<OutPacket> = e.packets.drain(..).collect();
                for p in pkts {
                    if let Some((done, _)) = p.last_of {
                        self.finish(done, wire::EPIPE, &[], 0);
                    }
                }
            }
        }
    }

    pub fn is_stalled(&self, ep: usize, dir_in: bool) -> bool {
        if dir_in {
            self.ins[ep].as_ref().is_some_and(|e| e.stalled)
        } else {
            self.outs[ep].as_ref().is_some_and(|e| e.stalled)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::{channel, Receiver};

    fn ep() -> Endpoints {
        let mut e = Endpoints::new(Faults::default());
        e.alloc_in(0, 8);
        e.alloc_out(0, 8);
        e
    }

    fn submit(e: &mut Endpoints, setup: [u8; 8], out: &[u8]) -> Receiver<Result<Vec<u8>, i32>> {
        let (tx, rx) = channel();
        e.submit_control(CtrlUrb {
            done: Completion::Local(tx),
            setup,
            out: out.to_vec(),
        });
        rx
    }

    #[test]
    fn control_in_completes_only_after_status_stage_and_is_cut_to_wlength() {
        let mut e = ep();
        let rx = submit(&mut e, [0xc0, 1, 0, 0, 0, 0, 10, 0], &[]);
        assert_eq!(e.events().setup, 1);
        let mut buf = [0u8; 64];
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        assert_eq!(e.write_ep0(&[1; 8]), Ok(8));
        assert_eq!(e.events().in_complete, 1);
        // A device that sends more than wLength: the bus keeps only wLength.
        assert_eq!(e.write_ep0(&[2; 8]), Ok(8));
        assert!(
            rx.try_recv().is_err(),
            "not complete before the status stage"
        );
        assert_eq!(e.events().out, 1, "status-stage OUT ZLP offered");
        assert_eq!(e.read_ep0(&mut buf), Ok(0));
        assert_eq!(
            rx.try_recv(),
            Ok(Ok([[1u8; 8].as_slice(), &[2, 2]].concat()))
        );
        assert_eq!(
            e.write_ep0(&[9; 8]),
            Ok(8),
            "a stray packet with no transfer is dropped"
        );
        assert_eq!(
            e.write_ep0(&[9; 9]),
            Err(usb_device::UsbError::BufferOverflow),
            "larger than max packet"
        );
    }

    #[test]
    fn control_out_completes_after_device_status_zlp() {
        let mut e = ep();
        let rx = submit(&mut e, [0x40, 2, 0, 0, 0, 0, 10, 0], &[7; 10]);
        let mut buf = [0u8; 64];
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        assert_eq!(e.events().out, 1);
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        assert_eq!(e.read_ep0(&mut buf), Ok(2));
        assert_eq!(e.read_ep0(&mut buf), Err(usb_device::UsbError::WouldBlock));
        assert!(rx.try_recv().is_err());
        assert_eq!(e.write_ep0(&[]), Ok(0));
        assert_eq!(rx.try_recv(), Ok(Ok(vec![])));
    }

    #[test]
    fn stall_fails_the_transfer_and_next_setup_starts() {
        let mut e = ep();
        let first = submit(&mut e, [0xc0, 4, 0, 0, 0, 0, 8, 0], &[]);
        let second = submit(&mut e, [0x80, 6, 0, 1, 0, 0, 18, 0], &[]);
        let mut buf = [0u8; 64];
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        e.set_stalled(0, true, true);
        e.set_stalled(0, false, true);
        assert_eq!(first.try_recv(), Ok(Err(wire::EPIPE)));
        assert_eq!(e.events().setup, 1, "queued SETUP delivered");
        assert!(!e.is_stalled(0, true), "a SETUP clears the EP0 halt");
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        assert_eq!(&buf[..8], &[0x80, 6, 0, 1, 0, 0, 18, 0]);
        assert!(second.try_recv().is_err());
    }

    #[test]
    fn faults_change_wtotallength_for_remote_replies_only() {
        let e = Endpoints::new(Faults {
            config_total_length_delta: -1,
        });
        let mut data = vec![9, 2, 34, 0, 1, 1, 0, 0x80, 50];
        e.apply_faults(&[0x80, 6, 0, 2, 0, 0, 9, 0], &mut data);
        assert_eq!(&data[2..4], &[33, 0]);
        let mut dev = vec![18, 1, 0, 2];
        e.apply_faults(&[0x80, 6, 0, 1, 0, 0, 18, 0], &mut dev);
        assert_eq!(dev, vec![18, 1, 0, 2]);
    }
}
