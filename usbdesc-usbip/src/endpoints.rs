//! Endpoint state: URBs from the host meet packets from the device.
//!
//! This is the part a real controller does in silicon. URBs (host transfers) are queued per endpoint;
//! the device reads and writes single packets of at most the endpoint's max packet size through the
//! `UsbBus` calls. A transfer ends on a short packet or when the URB's buffer is full; a control
//! transfer completes only after its status stage. Nothing here writes to a socket: replies go to
//! the connection's [`Outbox`], so holding this state's lock never waits for a client.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;

use crate::outbox::Outbox;
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
    pub outbox: Outbox,
}

pub(crate) struct CtrlUrb {
    pub done: Completion,
    pub setup: [u8; 8],
    /// OUT data (at least wLength bytes; only the first wLength are sent).
    pub out: Vec<u8>,
    /// The URB's buffer size: an IN reply is cut to this and to wLength.
    pub room: usize,
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
    /// OUT data bytes (of the first wLength) already read by the device.
    sent: usize,
    data_in: Vec<u8>,
}

impl ActiveCtrl {
    fn out_len(&self) -> usize {
        self.urb.w_length().min(self.urb.out.len())
    }
    fn out_left(&self) -> bool {
        self.sent < self.out_len()
    }
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

/// An OUT URB, handed to the device one packet at a time.
struct OutUrb {
    done: Completion,
    data: Vec<u8>,
    /// Bytes already read by the device.
    pos: usize,
    /// A zero-length packet is still to come: the whole transfer when it is empty, or the
    /// terminator URB_ZERO_PACKET asks for after a transfer of whole packets.
    zlp: bool,
}

pub(crate) struct OutEp {
    max: usize,
    urbs: VecDeque<OutUrb>,
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

/// What waits in the endpoints: the numbers [`crate::Limits`] bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Load {
    pub urbs: usize,
    pub out_bytes: usize,
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
            urbs: VecDeque::new(),
            stalled: false,
        });
    }

    fn finish(&mut self, done: Completion, status: i32, data: &[u8], out_len: usize) {
        match done {
            Completion::Remote { seq, conn } => {
                let Some(c) = self.conn.as_ref().filter(|c| c.id == conn) else {
                    return;
                };
                // A failed URB carries no data (actual_length 0), so the stream stays in step.
                c.outbox.send(match status {
                    0 if data.is_empty() => wire::ret_submit(seq, 0, out_len, &[]),
                    0 => wire::ret_submit(seq, 0, data.len(), data),
                    _ => wire::ret_submit(seq, status, 0, &[]),
                });
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

    /// Sends a reply that completes no URB (RET_UNLINK, or RET_SUBMIT for a URB refused before
    /// it was queued) to connection `conn`, if it is still the attached one.
    pub fn reply(&self, conn: u64, msg: Vec<u8>) {
        if let Some(c) = self.conn.as_ref().filter(|c| c.id == conn) {
            c.outbox.send(msg);
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
            e.urbs.clear();
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

    /// Completes a URB refused before it was queued (see `admit`) with `status`.
    pub fn reject(&mut self, done: Completion, status: i32) {
        self.finish(done, status, &[], 0);
    }

    /// URBs and OUT bytes waiting now.
    pub fn load(&self) -> Load {
        let queued_ctrl = self.ctrl_queue.iter().map(|u| u.out.len());
        let active_ctrl = self.ctrl.iter().map(|c| c.out_len() - c.sent);
        let outs = self.outs.iter().flatten().flat_map(|e| e.urbs.iter());
        Load {
            urbs: self.ctrl_queue.len()
                + usize::from(self.ctrl.is_some())
                + self
                    .ins
                    .iter()
                    .flatten()
                    .map(|e| e.urbs.len())
                    .sum::<usize>()
                + outs.clone().count(),
            out_bytes: queued_ctrl.chain(active_ctrl).sum::<usize>()
                + outs.map(|u| u.data.len() - u.pos).sum::<usize>(),
        }
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
            sent: 0,
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
        // URB_ZERO_PACKET: a transfer of whole packets gets a terminating ZLP.
        let zlp = data.is_empty() || (zero_packet && data.len() % e.max.max(1) == 0);
        e.urbs.push_back(OutUrb {
            done,
            data,
            pos: 0,
            zlp,
        });
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
            let before = e.urbs.len();
            e.urbs.retain(|u| !is_victim(&u.done));
            found |= e.urbs.len() != before;
        }
        self.start_next_ctrl();
        found
    }

    // ---- device side -----------------------------------------------------------------------

    /// Something for `poll()` to report (without consuming it).
    pub fn has_events(&self) -> bool {
        self.reset_pending || self.in_complete != 0 || self.ep0_event() || self.out_events() != 0
    }

    /// Endpoint 0 has a SETUP, an OUT data packet or the status-stage ZLP for the device.
    fn ep0_event(&self) -> bool {
        self.ctrl.as_ref().is_some_and(|c| match c.stage {
            Stage::Setup | Stage::StatusOut => true,
            Stage::DataOut => c.out_left(),
            Stage::DataIn | Stage::StatusIn => false,
        })
    }

    /// Bit n: OUT endpoint n (n ≥ 1) has a packet for the device.
    fn out_events(&self) -> u16 {
        let mut bits = 0;
        for (i, e) in self.outs.iter().enumerate().skip(1) {
            if e.as_ref().is_some_and(|e| !e.urbs.is_empty()) {
                bits |= 1 << i;
            }
        }
        bits
    }

    pub fn events(&mut self) -> Events {
        let setup = self.ctrl.as_ref().is_some_and(|c| c.stage == Stage::Setup);
        let ep0_out = self.ep0_event() && !setup;
        Events {
            setup: u16::from(setup),
            out: self.out_events() | u16::from(ep0_out),
            in_complete: std::mem::take(&mut self.in_complete),
        }
    }

    /// `UsbBus::read` for endpoint 0: SETUP, then OUT data packets, then the status-stage ZLP.
    ///
    /// A read into an empty buffer while a data packet waits discards that packet. usb-device
    /// does this (`control_pipe.rs`, `handle_out`) when OUT data comes in a state that expects
    /// none, and then STALLs: that is how a control OUT it ignored at SETUP time (wLength over its
    /// 128-byte buffer) ends with a STALL instead of a transfer that never completes.
    pub fn read_ep0(&mut self, buf: &mut [u8]) -> Result<usize, usb_device::UsbError> {
        use usb_device::UsbError;
        let max = self.ep0_max.max(1);
        let Some(c) = self.ctrl.as_mut() else {
            return Err(UsbError::WouldBlock);
        };
        match c.stage {
            Stage::Setup => {
                if buf.len() < 8 {
                    return Err(UsbError::BufferOverflow);
                }
                buf[..8].copy_from_slice(&c.urb.setup);
                c.stage = match (c.urb.dir_in(), c.out_left()) {
                    (true, _) => Stage::DataIn,
                    (false, false) => Stage::StatusIn,
                    (false, true) => Stage::DataOut,
                };
                Ok(8)
            }
            Stage::DataOut => {
                if !c.out_left() {
                    return Err(UsbError::WouldBlock);
                }
                let end = (c.sent + max).min(c.out_len());
                let p = &c.urb.out[c.sent..end];
                let n = if buf.is_empty() {
                    0
                } else if p.len() > buf.len() {
                    return Err(UsbError::BufferOverflow);
                } else {
                    buf[..p.len()].copy_from_slice(p);
                    p.len()
                };
                c.sent = end;
                if !c.out_left() {
                    c.stage = Stage::StatusIn;
                }
                Ok(n)
            }
            Stage::StatusOut => {
                let c = self.ctrl.take().expect("active control transfer");
                let mut data = c.data_in;
                data.truncate(c.urb.w_length().min(c.urb.room));
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
                // Never more than the host asked for: the rest is dropped as it comes.
                let cap = c.urb.w_length().min(c.urb.room);
                let room = cap.saturating_sub(c.data_in.len());
                c.data_in.extend_from_slice(&buf[..buf.len().min(room)]);
                if buf.len() < max || c.data_in.len() >= c.urb.w_length() {
                    c.stage = Stage::StatusOut;
                }
            }
            Stage::StatusIn if buf.is_empty() => {
                let c = self.ctrl.take().expect("active control transfer");
                let n = c.out_len();
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
        let max = e.max.max(1);
        let u = e.urbs.front_mut().ok_or(UsbError::WouldBlock)?;
        let end = (u.pos + max).min(u.data.len());
        let n = end - u.pos;
        if n > buf.len() {
            return Err(UsbError::BufferOverflow);
        }
        buf[..n].copy_from_slice(&u.data[u.pos..end]);
        if n == 0 {
            u.zlp = false;
        }
        u.pos = end;
        if u.pos == u.data.len() && !u.zlp {
            let u = e.urbs.pop_front().expect("checked non-empty");
            let total = u.data.len();
            self.finish(u.done, 0, &[], total);
        }
        Ok(n)
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
                let urbs: Vec<OutUrb> = e.urbs.drain(..).collect();
                for u in urbs {
                    self.finish(u.done, wire::EPIPE, &[], 0);
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
            room: 0xffff,
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

    /// usb-device ignores a control OUT whose data stage exceeds its buffer, then reads the first
    /// data packet into an empty buffer ("discard") and STALLs: the packet is consumed and the
    /// STALL ends the transfer with -EPIPE.
    #[test]
    fn empty_read_discards_a_data_packet_so_the_stall_ends_the_transfer() {
        let mut e = ep();
        let rx = submit(&mut e, [0x21, 9, 0, 3, 0, 0, 200, 0], &[5; 200]);
        let mut buf = [0u8; 128];
        assert_eq!(e.read_ep0(&mut buf), Ok(8));
        assert_eq!(e.events().out, 1);
        assert_eq!(e.read_ep0(&mut []), Ok(0), "discarded");
        assert_eq!(
            e.read_ep0(&mut buf),
            Ok(8),
            "the next packet is the second one"
        );
        assert_eq!(&buf[..8], &[5; 8]);
        assert!(rx.try_recv().is_err());
        e.set_stalled(0, false, true);
        assert_eq!(rx.try_recv(), Ok(Err(wire::EPIPE)));
        assert!(!e.has_events(), "no data left over");
    }

    #[test]
    fn out_urbs_are_cut_into_packets_as_the_device_reads() {
        let mut e = ep();
        e.alloc_out(1, 8);
        let (tx, rx) = channel();
        e.submit_out(1, vec![1; 16], true, Completion::Local(tx));
        assert_eq!(
            e.load(),
            Load {
                urbs: 1,
                out_bytes: 16
            }
        );
        let mut buf = [0u8; 64];
        assert_eq!(e.read_out(1, &mut buf), Ok(8));
        assert_eq!(
            e.load(),
            Load {
                urbs: 1,
                out_bytes: 8
            }
        );
        assert_eq!(e.read_out(1, &mut buf), Ok(8));
        assert!(
            rx.try_recv().is_err(),
            "URB_ZERO_PACKET: a ZLP ends a whole-packet transfer"
        );
        assert_eq!(e.read_out(1, &mut buf), Ok(0));
        assert_eq!(rx.try_recv(), Ok(Ok(vec![])));
        assert_eq!(
            e.read_out(1, &mut buf),
            Err(usb_device::UsbError::WouldBlock)
        );
        assert_eq!(
            e.load(),
            Load {
                urbs: 0,
                out_bytes: 0
            }
        );
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
