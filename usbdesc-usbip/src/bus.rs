//! `usb_device::bus::UsbBus` over USB/IP.

use std::net::SocketAddr;
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use usb_device::bus::{PollResult, UsbBus};
use usb_device::endpoint::{EndpointAddress, EndpointType};
use usb_device::{Result, UsbDirection, UsbError};

use crate::devinfo::Speed;
use crate::endpoints::{Completion, CtrlUrb, Endpoints, Faults};
use crate::limits::Limits;
use crate::server;

/// How the bus presents itself on the network.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen. Default `127.0.0.1:3240` (a QEMU guest reaches it as `10.0.2.2:3240`).
    pub listen: SocketAddr,
    /// Bus id exported in the device list and expected by OP_REQ_IMPORT. Default `1-1`.
    pub busid: String,
    /// Announced speed. Default full speed (what SAMD21 does).
    pub speed: Speed,
    /// What one client can make the server hold, and its timeouts.
    pub limits: Limits,
    /// Test-only fault injection; leave at default.
    pub faults: Faults,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 3240)),
            busid: "1-1".into(),
            speed: Speed::Full,
            limits: Limits::default(),
            faults: Faults::default(),
        }
    }
}

/// State shared by the bus (driven by `UsbDevice::poll`) and the network threads.
pub(crate) struct Shared {
    state: Mutex<Endpoints>,
    wake: Condvar,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Endpoints> {
        // A panic while holding the lock leaves consistent enough state for teardown.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Runs `f` on the state, then wakes a device loop blocked in [`UsbIpBus::wait`].
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Endpoints) -> R) -> R {
        let r = f(&mut self.lock());
        self.wake.notify_all();
        r
    }
    /// Locks the state once `ready` holds or `timeout` has passed, whichever comes first (every
    /// [`Shared::with`] wakes the wait to check again).
    pub(crate) fn lock_when(
        &self,
        timeout: Duration,
        ready: impl Fn(&Endpoints) -> bool,
    ) -> MutexGuard<'_, Endpoints> {
        let deadline = Instant::now() + timeout;
        let mut g = self.lock();
        while !ready(&g) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            g = match self.wake.wait_timeout(g, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        g
    }
    /// Wakes everyone waiting in [`Shared::lock_when`] (after a change made under [`Shared::lock`]).
    pub(crate) fn notify(&self) {
        self.wake.notify_all();
    }
}

/// A USB/IP server that is a `UsbBus`: the device stack polls it like a hardware controller.
pub struct UsbIpBus {
    shared: Arc<Shared>,
    local: SocketAddr,
}

/// A cloneable handle for talking to the device from other threads (see [`BusHandle::control_in`]).
#[derive(Clone)]
pub struct BusHandle {
    shared: Arc<Shared>,
}

/// Why a local control transfer failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalError {
    /// The device answered with this URB status (e.g. -32: STALL).
    Status(i32),
    /// No answer in time (is something calling `UsbDevice::poll`?).
    Timeout,
}

impl UsbIpBus {
    /// Binds the listener and starts accepting USB/IP clients in a background thread.
    pub fn new(config: Config) -> std::io::Result<UsbIpBus> {
        let shared = Arc::new(Shared {
            state: Mutex::new(Endpoints::new(config.faults)),
            wake: Condvar::new(),
        });
        let listener = std::net::TcpListener::bind(config.listen)?;
        let local = listener.local_addr()?;
        let handle = BusHandle {
            shared: shared.clone(),
        };
        std::thread::Builder::new()
            .name("usbip-accept".into())
            .spawn(move || server::accept_loop(listener, handle, config))?;
        Ok(UsbIpBus { shared, local })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    pub fn handle(&self) -> BusHandle {
        BusHandle {
            shared: self.shared.clone(),
        }
    }

    /// Blocks up to `timeout` until the host side has something new (a URB, an unlink, a
    /// connection change). Call between `UsbDevice::poll` calls instead of spinning.
    pub fn wait(&self, timeout: Duration) {
        drop(self.shared.lock_when(timeout, Endpoints::has_events));
    }

    /// True while a USB/IP client has the device imported.
    pub fn is_attached(&self) -> bool {
        self.shared.lock().conn.is_some()
    }
}

impl BusHandle {
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Runs a control IN transfer on the device from this process (not over the network), e.g. to
    /// read back the descriptors it serves. Someone must be polling the device meanwhile.
    pub fn control_in(
        &self,
        setup: [u8; 8],
        timeout: Duration,
    ) -> std::result::Result<Vec<u8>, LocalError> {
        let (tx, rx) = mpsc::channel();
        self.shared.with(|s| {
            s.submit_control(CtrlUrb {
                done: Completion::Local(tx),
                setup,
                out: Vec::new(),
                room: usize::from(u16::from_le_bytes([setup[6], setup[7]])),
            })
        });
        match rx.recv_timeout(timeout) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(status)) => Err(LocalError::Status(status)),
            Err(_) => Err(LocalError::Timeout),
        }
    }

    /// GET_DESCRIPTOR(type, index) to the device, wLength `len`.
    pub fn get_descriptor(
        &self,
        kind: u8,
        index: u8,
        lang: u16,
        len: u16,
    ) -> std::result::Result<Vec<u8>, LocalError> {
        let l = len.to_le_bytes();
        let g = lang.to_le_bytes();
        self.control_in(
            [0x80, 6, index, kind, g[0], g[1], l[0], l[1]],
            Duration::from_secs(5),
        )
    }

    /// The device descriptor and the whole configuration descriptor set, as the device serves them.
    pub fn read_device_and_config(&self) -> std::result::Result<(Vec<u8>, Vec<u8>), LocalError> {
        let dev = self.get_descriptor(1, 0, 0, 18)?;
        let head = self.get_descriptor(2, 0, 0, 9)?;
        let total = if head.len() >= 4 {
            u16::from_le_bytes([head[2], head[3]])
        } else {
            9
        };
        let cfg = self.get_descriptor(2, 0, 0, total)?;
        Ok((dev, cfg))
    }
}

fn dir_in(ep: EndpointAddress) -> bool {
    ep.direction() == UsbDirection::In
}

impl UsbBus for UsbIpBus {
    fn alloc_ep(
        &mut self,
        dir: UsbDirection,
        addr: Option<EndpointAddress>,
        _ty: EndpointType,
        max_packet_size: u16,
        _interval: u8,
    ) -> Result<EndpointAddress> {
        // Isochronous endpoints are allocated (a UAC2 device declares them and binds), but no
        // isochronous URB is admitted (`admit`): the host gets no audio data through this bus.
        let mut s = self.shared.lock();
        let taken = |s: &Endpoints, i: usize| match dir {
            UsbDirection::In => s.in_allocated(i),
            UsbDirection::Out => s.out_allocated(i),
        };
        let index = match addr {
            Some(a) if a.index() >= 16 => return Err(UsbError::InvalidEndpoint),
            Some(a) if taken(&s, a.index()) => return Err(UsbError::InvalidEndpoint),
            Some(a) => a.index(),
            None => (1..16)
                .find(|&i| !taken(&s, i))
                .ok_or(UsbError::EndpointOverflow)?,
        };
        if max_packet_size == 0 || max_packet_size > 1024 {
            return Err(UsbError::Unsupported);
        }
        match dir {
            UsbDirection::In => s.alloc_in(index, max_packet_size as usize),
            UsbDirection::Out => s.alloc_out(index, max_packet_size as usize),
        }
        Ok(EndpointAddress::from_parts(index, dir))
    }

    fn enable(&mut self) {}

    fn reset(&self) {
        self.shared.lock().bus_reset();
    }

    /// USB/IP has no addresses (vhci-hcd answers SET_ADDRESS itself).
    fn set_device_address(&self, _addr: u8) {}

    fn write(&self, ep: EndpointAddress, buf: &[u8]) -> Result<usize> {
        let mut s = self.shared.lock();
        match ep.index() {
            0 => s.write_ep0(buf),
            i if i < 16 => s.write_in(i, buf),
            _ => Err(UsbError::InvalidEndpoint),
        }
    }

    fn read(&self, ep: EndpointAddress, buf: &mut [u8]) -> Result<usize> {
        let mut s = self.shared.lock();
        match ep.index() {
            0 => s.read_ep0(buf),
            i if i < 16 => s.read_out(i, buf),
            _ => Err(UsbError::InvalidEndpoint),
        }
    }

    fn set_stalled(&self, ep: EndpointAddress, stalled: bool) {
        if ep.index() < 16 {
            self.shared
                .lock()
                .set_stalled(ep.index(), dir_in(ep), stalled);
        }
    }

    fn is_stalled(&self, ep: EndpointAddress) -> bool {
        ep.index() < 16 && self.shared.lock().is_stalled(ep.index(), dir_in(ep))
    }

    fn suspend(&self) {}

    fn resume(&self) {}

    fn poll(&self) -> PollResult {
        let mut s = self.shared.lock();
        if std::mem::take(&mut s.reset_pending) {
            return PollResult::Reset;
        }
        let ev = s.events();
        if ev.setup | ev.out | ev.in_complete == 0 {
            return PollResult::None;
        }
        PollResult::Data {
            ep_out: ev.out,
            ep_in_complete: ev.in_complete,
            ep_setup: ev.setup,
        }
    }
}
