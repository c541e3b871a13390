//! The usb-device class: owns the compiled descriptors, the endpoints at their compiled
//! addresses and the HID report state, and offers the typed report API.

use core::fmt;

use usb_device::bus::{InterfaceNumber, UsbBus, UsbBusAllocator};
use usb_device::class::{ControlIn, ControlOut, UsbClass};
use usb_device::control::{Recipient, Request, RequestType};
use usb_device::device::{UsbDevice, UsbDeviceState};
use usb_device::endpoint::{EndpointAddress, EndpointIn, EndpointOut};
use usb_device::UsbError;

use crate::error::{InitError, SendError, WakeupError};
use crate::hid::{self, Located, BOOT_KEYBOARD_LEN};
use crate::init::{self, Endpoints};
use crate::model::{DeviceDescriptors, InterfaceInfo, ReportKind};
use crate::report::{
    FeatureReport, InputReport, OutputReport, PackReport, ReportError, UnpackReport,
};
use crate::state::{self, FLAG_PENDING, FLAG_SENT, PROTOCOL_BOOT};
use crate::{descriptors, standard, video, Report};

/// Largest report the typed API moves in one piece (one full-speed interrupt packet).
pub const MAX_REPORT: usize = 64;

/// Interface numbers below this keep their current alternate setting in the class (one byte each).
pub const ALT_INTERFACES: usize = 16;

/// HID protocol of an interface (HID 1.11 §7.2.5/§7.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Boot,
    Report,
}

/// Where a [`UsbdescClass`] finds its compiled device.
///
/// [`Dynamic`] (the default): the `&'static DeviceDescriptors` given to [`UsbdescClass::new`].
/// A type whose `DEVICE` is `Some(&GENERATED_DEVICE)` makes the device a compile-time constant of
/// the class, so that the optimiser folds every table walk (report lookup, state offsets, string
/// search) and drops the code for features the device does not declare: smaller firmware, same
/// behaviour. `new` then serves `DEVICE` and ignores its `desc` argument.
///
/// ```ignore
/// struct Keyboard;
/// impl usbdesc_runtime::DeviceSource for Keyboard {
///     const DEVICE: Option<&'static DeviceDescriptors> = Some(&generated::DEVICE);
/// }
/// let class = UsbdescClass::<_, 128, 8, Keyboard>::new(&alloc, &generated::DEVICE)?;
/// ```
pub trait DeviceSource {
    const DEVICE: Option<&'static DeviceDescriptors>;
}

/// The default [`DeviceSource`]: the device given to [`UsbdescClass::new`] at run time.
#[derive(Debug, Clone, Copy)]
pub enum Dynamic {}

impl DeviceSource for Dynamic {
    const DEVICE: Option<&'static DeviceDescriptors> = None;
}

/// A `usb-device` class serving one compiled device.
///
/// * `STATE`: bytes of report state; must be at least `DeviceDescriptors::state_len()`
///   (checked by [`UsbdescClass::new`]).
/// * `MAX_EP`: endpoint numbers below this can be allocated (8 on SAMD21).
/// * `D`: where the compiled device comes from ([`DeviceSource`]; run time by default).
///
/// Put it FIRST in the class list given to `UsbDevice::poll` only if no other class answers
/// standard GET_DESCRIPTOR requests; built-in drivers such as usbd-serial do not, so any order works
/// with them. Give `UsbDeviceBuilder::max_packet_size_0` the value of
/// [`DeviceDescriptors::max_packet_size_0`].
pub struct UsbdescClass<
    'a,
    B: UsbBus,
    const STATE: usize = 128,
    const MAX_EP: usize = 8,
    D: DeviceSource = Dynamic,
> {
    _source: core::marker::PhantomData<D>,
    /// The device given to `new` for [`Dynamic`]; `None` when `D` names it (then nothing at run
    /// time refers to the `DeviceDescriptors` value itself, only to the bytes it points at).
    desc: Option<&'static DeviceDescriptors>,
    eps: Endpoints<'a, B, MAX_EP>,
    state: state::Arena<STATE>,
    /// Where `send` packs a typed report (a field, so no per-call zeroed buffer).
    scratch: [u8; MAX_REPORT],
    /// Current alternate setting per interface number (< 16) with more than one setting.
    alts: [u8; ALT_INTERFACES],
}

impl<B: UsbBus, const STATE: usize, const MAX_EP: usize, D: DeviceSource> fmt::Debug
    for UsbdescClass<'_, B, STATE, MAX_EP, D>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsbdescClass")
            .field("desc", self.desc())
            .finish_non_exhaustive()
    }
}

impl<'a, B: UsbBus, const STATE: usize, const MAX_EP: usize, D: DeviceSource>
    UsbdescClass<'a, B, STATE, MAX_EP, D>
{
    /// Checks the compiled bytes, allocates our interfaces (verifying each number usb-device hands
    /// out equals the compiled one, which proves `[builtin]` offsets), reserves our string indices
    /// and allocates every endpoint at its compiled address. Call it after any built-in driver
    /// has been created on the same allocator.
    pub fn new(
        alloc: &'a UsbBusAllocator<B>,
        desc: &'static DeviceDescriptors,
    ) -> Result<Self, InitError> {
        let desc = D::DEVICE.unwrap_or(desc);
        let plan = match Self::PLAN {
            Some(plan) => plan,
            None => init::plan(desc, STATE),
        };
        plan.check?;
        init::interfaces(alloc, plan.interfaces)?;
        init::strings(alloc, plan.strings)?;
        let eps = init::endpoints(alloc, desc)?;
        Ok(UsbdescClass {
            _source: core::marker::PhantomData,
            desc: match D::DEVICE {
                Some(_) => None,
                None => Some(desc),
            },
            eps,
            state: Self::initial(desc),
            scratch: [0; MAX_REPORT],
            alts: [0; ALT_INTERFACES],
        })
    }

    /// [`init::plan`] of a compile-time device (`None` for [`Dynamic`]).
    const PLAN: Option<init::Plan> = match D::DEVICE {
        Some(d) => Some(init::plan(d, STATE)),
        None => None,
    };

    /// The power-on report state of a compile-time device (`None` for [`Dynamic`]).
    const INITIAL: Option<state::Arena<STATE>> = match D::DEVICE {
        Some(d) => Some(state::Arena::initial(d.hid)),
        None => None,
    };

    /// [`Self::INITIAL`]'s first [`HEAD`] bytes when every byte after them is 0: then the state
    /// is built from a zeroed arena and these bytes, with no image of the whole arena in flash.
    const INITIAL_HEAD: Option<[u8; HEAD]> = match Self::INITIAL {
        Some(a) if STATE >= HEAD => {
            let mut head = [0; HEAD];
            let mut zero = true;
            let mut k = 0;
            while k < STATE {
                if k < HEAD {
                    head[k] = a.0[k];
                } else {
                    zero &= a.0[k] == 0;
                }
                k += 1;
            }
            if zero {
                Some(head)
            } else {
                None
            }
        }
        _ => None,
    };

    /// Whether `alts` is used: always for [`Dynamic`], else when the device has an interface of
    /// ours with more than one alternate setting ([`alt_interface`]).
    const ALTS: bool = match D::DEVICE {
        Some(d) => {
            let mut any = false;
            let mut k = 0;
            while k < d.interfaces.len() {
                let i = &d.interfaces[k];
                any |= !i.builtin && i.alt_settings > 1;
                k += 1;
            }
            any
        }
        None => true,
    };

    /// [`descriptors::string_layout`] of a compile-time device (`Any` for [`Dynamic`]).
    const STRINGS: descriptors::Strings = match D::DEVICE {
        Some(d) => descriptors::string_layout(d),
        None => descriptors::Strings::Any,
    };

    /// [`video::declared`]: `false` folds the video dispatch away (`true` for [`Dynamic`]).
    const VIDEO: bool = match D::DEVICE {
        Some(d) => video::declared(d),
        None => true,
    };

    /// [`standard::endpoints`] of a compile-time device (`None` for [`Dynamic`]).
    const ENDPOINTS: Option<standard::Endpoints> = match D::DEVICE {
        Some(d) => Some(standard::endpoints(d)),
        None => None,
    };

    /// [`hid::Direct`] lookups of a compile-time device of that shape (`None` otherwise).
    const DIRECT: Option<hid::Direct> = match D::DEVICE {
        Some(d) => hid::Direct::of(d),
        None => None,
    };

    /// [`standard::unknown_target`] for this device: a standard request to an interface or
    /// endpoint it does not have (`req` is a standard request).
    #[inline(always)]
    fn unknown_target(&self, req: &Request) -> bool {
        let desc = self.desc();
        let endpoints = match Self::ENDPOINTS {
            Some(e) => e,
            None => standard::Endpoints::Set(standard::endpoint_set(desc)),
        };
        standard::unknown_target(desc.interfaces.len(), endpoints, req)
    }

    /// The power-on report state ([`state::Arena::initial`]): a constant for a compile-time device.
    fn initial(desc: &DeviceDescriptors) -> state::Arena<STATE> {
        match (Self::INITIAL_HEAD, Self::INITIAL) {
            (Some(head), _) => {
                let mut a = [0; STATE];
                if let Some(h) = a.first_chunk_mut::<HEAD>() {
                    *h = head;
                }
                state::Arena(a)
            }
            (None, Some(a)) => a,
            (None, None) => state::Arena::initial(desc.hid),
        }
    }

    /// The compiled device this class serves.
    pub fn descriptors(&self) -> &'static DeviceDescriptors {
        self.desc()
    }

    /// `D::DEVICE` when the device is known at compile time (every table lookup then folds to a
    /// constant), else the descriptors given to `new`.
    #[inline(always)]
    fn desc(&self) -> &'static DeviceDescriptors {
        match D::DEVICE {
            Some(d) => d,
            None => self.desc.unwrap_or(&NO_DEVICE),
        }
    }

    /// An endpoint of ours by address (for non-HID interfaces, e.g. a vendor bulk pipe).
    pub fn in_ep(&self, address: u8) -> Option<&EndpointIn<'a, B>> {
        self.eps
            .ins
            .get(usize::from(address & 0x0F))?
            .as_ref()
            .filter(|_| address & 0x80 != 0)
    }

    /// See [`UsbdescClass::in_ep`].
    pub fn out_ep(&self, address: u8) -> Option<&EndpointOut<'a, B>> {
        self.eps
            .outs
            .get(usize::from(address & 0x0F))?
            .as_ref()
            .filter(|_| address & 0x80 == 0)
    }

    /// Current protocol of HID interface `interface`.
    pub fn protocol(&mut self, interface: u8) -> Option<Protocol> {
        let desc = self.desc();
        let i = hid::find_itf(desc, interface.into())?;
        let h = state::itf_header(&mut self.state.0, desc.hid, i)?;
        Some(if h[0] == PROTOCOL_BOOT {
            Protocol::Boot
        } else {
            Protocol::Report
        })
    }

    /// Idle rate (in 4 ms units, 0 = infinite) of input report `id` of HID interface `interface`.
    pub fn idle(&mut self, interface: u8, id: u8) -> Option<u8> {
        let desc = self.desc();
        let i = hid::find_itf(desc, interface.into())?;
        let (_, at) = hid::report(desc, Self::DIRECT.as_ref(), i, ReportKind::Input, id)?;
        Some(state::slot_at(&mut self.state.0, at)?.idle())
    }

    /// Sends a typed input report on its interface's interrupt IN endpoint (boot format while the
    /// host has selected boot protocol). The report becomes the one GET_REPORT and idle repeat use.
    /// In boot protocol an input report other than the boot report's source is stored but not sent.
    /// A report that is its own wire bytes ([`PackReport::wire`]) goes to the endpoint as it is.
    pub fn send<R: InputReport>(&mut self, report: &R) -> Result<(), SendError> {
        let at = self.locate::<R>().ok_or(SendError::UnknownReport)?;
        if let Some(bytes) = report.wire() {
            return self.write_in(at, Src::Bytes(bytes));
        }
        let n = pack::<R>(report, &mut self.scratch)?;
        self.write_in(at, Src::Scratch(n))
    }

    /// Sends raw input report bytes (ID byte first when the interface uses report IDs).
    pub fn send_raw(&mut self, interface: u8, bytes: &[u8]) -> Result<(), SendError> {
        let desc = self.desc();
        let i = hid::find_itf(desc, interface.into()).ok_or(SendError::UnknownReport)?;
        let itf = &desc.hid[i];
        let id = if hid::uses_ids(itf) {
            *bytes.first().ok_or(SendError::BadLength)?
        } else {
            0
        };
        let r = hid::find_report(itf, ReportKind::Input, id).ok_or(SendError::UnknownReport)?;
        if bytes.len() != usize::from(itf.reports[r].len) {
            return Err(SendError::BadLength);
        }
        let at = state::place(desc.hid, i, r).ok_or(SendError::UnknownReport)?;
        self.write_in(Located { i, r, at }, Src::Bytes(bytes))
    }

    /// Sets the current value of a feature report (what GET_REPORT(Feature) returns).
    pub fn set_feature<R: FeatureReport>(&mut self, report: &R) -> Result<(), SendError> {
        let n = pack::<R>(report, &mut self.scratch)?;
        let at = self.locate::<R>().ok_or(SendError::UnknownReport)?.at;
        let mut s = state::slot_at(&mut self.state.0, at).ok_or(SendError::UnknownReport)?;
        let packed = self.scratch.get(..n).ok_or(SendError::BadLength)?;
        if s.store(packed) {
            Ok(())
        } else {
            Err(SendError::BadLength)
        }
    }

    /// The output report the host last wrote (SET_REPORT or interrupt OUT), once per write.
    pub fn read_output<R: OutputReport>(&mut self) -> Option<Result<R, ReportError>> {
        self.take::<R>()
    }

    /// The feature report the host last wrote with SET_REPORT, once per write.
    pub fn read_feature<R: FeatureReport>(&mut self) -> Option<Result<R, ReportError>> {
        self.take::<R>()
    }

    /// Raw form of `read_output`/`read_feature`: copies the pending report into `buf`.
    pub fn take_raw(
        &mut self,
        interface: u8,
        kind: ReportKind,
        id: u8,
        buf: &mut [u8],
    ) -> Option<usize> {
        let desc = self.desc();
        let i = hid::find_itf(desc, interface.into())?;
        let (_, at) = hid::report(desc, Self::DIRECT.as_ref(), i, kind, id)?;
        let mut s = state::slot_at(&mut self.state.0, at)?;
        if s.flags() & FLAG_PENDING == 0 {
            return None;
        }
        let len = s.data.len();
        buf.get_mut(..len)?.copy_from_slice(s.data);
        s.set_flag(FLAG_PENDING, false);
        Some(len)
    }

    /// Advances the idle clocks by `ms` milliseconds (call it from a 1 ms timer or on SOF).
    /// An input report whose idle period expired is sent again (HID 1.11 §7.2.4); a busy
    /// endpoint is retried on the next tick.
    pub fn tick_ms(&mut self, ms: u16) {
        let desc = self.desc();
        for (i, itf) in desc.hid.iter().enumerate() {
            let boot = hid::in_boot(&mut self.state.0, desc, i);
            let boot_report = hid::boot_report(itf);
            for (r, info, at) in state::places(desc.hid, i) {
                if info.kind != ReportKind::Input || (boot && Some(r) != boot_report) {
                    continue;
                }
                let Some(mut s) = state::slot_at(&mut self.state.0, at) else {
                    continue;
                };
                if s.idle() == 0 || s.flags() & FLAG_SENT == 0 {
                    continue;
                }
                let left = s.countdown().saturating_sub(ms);
                s.set_countdown(left);
                if left == 0 {
                    let _ = self.write_in(Located { i, r, at }, Src::Stored);
                }
            }
        }
    }

    /// Signals remote wakeup through `signal` (bus specific, e.g. SAMD21 `CTRLB.UPRSM`) when the
    /// configuration declares it, the host enabled it and the bus is suspended.
    pub fn remote_wakeup(
        &self,
        dev: &UsbDevice<'_, B>,
        signal: impl FnOnce(),
    ) -> Result<(), WakeupError> {
        let desc = self.desc();
        if desc.configuration.get(7).is_none_or(|a| a & 0x20 == 0) {
            return Err(WakeupError::NotDeclared);
        }
        if !dev.remote_wakeup_enabled() {
            return Err(WakeupError::NotEnabled);
        }
        if dev.state() != UsbDeviceState::Suspend {
            return Err(WakeupError::NotSuspended);
        }
        signal();
        Ok(())
    }

    /// Finds the slot of a typed report ([`hid::locate`]): a constant for a compile-time device.
    #[inline(always)]
    fn locate<R: Report>(&self) -> Option<Located> {
        match Locate::<D, R>::AT {
            Some(at) => at,
            None => hid::locate(self.desc(), R::INTERFACE, R::KIND, R::ID, R::LEN),
        }
    }

    fn take<R: UnpackReport>(&mut self) -> Option<Result<R, ReportError>> {
        let at = self.locate::<R>()?.at;
        let mut s = state::slot_at(&mut self.state.0, at)?;
        if s.flags() & FLAG_PENDING == 0 {
            return None;
        }
        s.set_flag(FLAG_PENDING, false);
        Some(R::unpack(s.data))
    }

    /// Writes report `r` of interface `i` to its IN endpoint: new bytes (stored on success), or
    /// the stored report (idle repeat). Restarts the idle period on success.
    fn write_in(&mut self, at: Located, src: Src<'_>) -> Result<(), SendError> {
        let Located { i, r, at } = at;
        let desc = self.desc();
        let itf = desc.hid.get(i).ok_or(SendError::UnknownReport)?;
        // In boot protocol only the boot report's source goes out, converted unless it already
        // is the boot report (both fold away for a compile-time device whose only input report
        // is the boot report).
        let boot_map = itf
            .boot_input
            .filter(|_| hid::in_boot(&mut self.state.0, desc, i));
        let other = hid::boot_report(itf) != Some(r) && hid::in_boot(&mut self.state.0, desc, i);
        let ep = self
            .eps
            .ins
            .get(usize::from(itf.in_endpoint & 0x0F))
            .and_then(Option::as_ref);
        let ep = ep.ok_or(SendError::UnknownReport)?;
        let mut s = state::slot_at(&mut self.state.0, at).ok_or(SendError::UnknownReport)?;
        let bytes = match src {
            Src::Stored => None,
            Src::Scratch(n) => Some(self.scratch.get(..n).ok_or(SendError::BadLength)?),
            Src::Bytes(b) => Some(b),
        };
        if bytes.is_some_and(|b| b.len() != s.data.len()) {
            return Err(SendError::BadLength);
        }
        if other {
            // Not a boot report: kept for GET_REPORT, not sent while the host is in boot protocol.
            if let Some(b) = bytes {
                s.store(b);
            }
            return Ok(());
        }
        let report = bytes.unwrap_or(s.data);
        let mut boot_buf = [0u8; BOOT_KEYBOARD_LEN];
        let wire = match &boot_map {
            Some(map) => {
                let n = hid::to_boot(map, report, &mut boot_buf);
                &boot_buf[..n]
            }
            None => report,
        };
        match ep.write(wire) {
            Ok(_) => {
                if let Some(b) = bytes {
                    s.store(b);
                }
                s.set_flag(FLAG_SENT, true);
                s.set_countdown(u16::from(s.idle()) * 4);
                Ok(())
            }
            Err(UsbError::WouldBlock) => Err(SendError::Busy),
            Err(e) => Err(SendError::Usb(e)),
        }
    }
}

/// How many leading state bytes [`UsbdescClass::INITIAL_HEAD`] keeps (two words).
const HEAD: usize = 8;

/// Never served: `desc` is `Some` whenever `D` is [`Dynamic`]; this only spares a panic path.
static NO_DEVICE: DeviceDescriptors = crate::model::EMPTY;

/// [`hid::locate`] of report type `R` in a compile-time device `D` (`None` for [`Dynamic`]).
struct Locate<D, R>(core::marker::PhantomData<(D, R)>);

impl<D: DeviceSource, R: Report> Locate<D, R> {
    const AT: Option<Option<Located>> = match D::DEVICE {
        Some(d) => Some(hid::locate(d, R::INTERFACE, R::KIND, R::ID, R::LEN)),
        None => None,
    };
}

/// What [`UsbdescClass::write_in`] sends.
enum Src<'b> {
    /// The stored report (idle repeat).
    Stored,
    /// The first `n` bytes of the class's scratch buffer (a packed typed report).
    Scratch(usize),
    /// Raw report bytes.
    Bytes(&'b [u8]),
}

/// Our interface `interface` when it has more than one alternate setting. (With a compile-time
/// device that has none, this folds to `None` and the alternate-setting code disappears.)
fn alt_interface(desc: &DeviceDescriptors, interface: InterfaceNumber) -> Option<&InterfaceInfo> {
    let n = u8::from(interface);
    desc.interfaces
        .iter()
        .find(|i| i.number == n && !i.builtin && i.alt_settings > 1)
}

fn pack<R: PackReport>(report: &R, buf: &mut [u8; MAX_REPORT]) -> Result<usize, SendError> {
    if R::LEN > MAX_REPORT {
        return Err(SendError::BadLength);
    }
    match report.pack_into(buf) {
        n if n == R::LEN && n > 0 => Ok(n),
        _ => Err(SendError::BadLength),
    }
}

impl<B: UsbBus, const STATE: usize, const MAX_EP: usize, D: DeviceSource> UsbClass<B>
    for UsbdescClass<'_, B, STATE, MAX_EP, D>
{
    fn reset(&mut self) {
        self.state = Self::initial(self.desc());
        // Nothing reads `alts` when a compile-time device has no alternate settings.
        if Self::ALTS {
            self.alts = [0; ALT_INTERFACES];
        }
    }

    fn control_in(&mut self, xfer: ControlIn<B>) {
        let desc = self.desc();
        let req = *xfer.request();
        match (req.request_type, req.recipient) {
            (RequestType::Class, Recipient::Interface)
                if Self::VIDEO && video::owns(desc, req.index) =>
            {
                video::class_in(desc, &self.state.0[desc.hid_state_len()..], xfer)
            }
            (RequestType::Class, Recipient::Interface) => {
                hid::class_in(desc, Self::DIRECT.as_ref(), &mut self.state.0, xfer)
            }
            (RequestType::Standard, _) if self.unknown_target(&req) => {
                let _ = xfer.reject();
            }
            _ => {
                // One `accept_with_static` for every static answer.
                let answer = match (req.request_type, req.recipient) {
                    (RequestType::Standard, Recipient::Interface)
                        if req.request == Request::GET_DESCRIPTOR =>
                    {
                        hid::descriptor(desc, &req)
                    }
                    _ => descriptors::answer(desc, Self::STRINGS, &req),
                };
                descriptors::send(answer, xfer)
            }
        }
    }

    fn control_out(&mut self, xfer: ControlOut<B>) {
        let desc = self.desc();
        let req = *xfer.request();
        match (req.request_type, req.recipient) {
            (RequestType::Class, Recipient::Interface)
                if Self::VIDEO && video::owns(desc, req.index) =>
            {
                video::class_out(desc, &mut self.state.0[desc.hid_state_len()..], xfer)
            }
            (RequestType::Class, Recipient::Interface) => {
                hid::class_out(desc, Self::DIRECT.as_ref(), &mut self.state.0, xfer)
            }
            (RequestType::Standard, _) if self.unknown_target(&req) => {
                let _ = xfer.reject();
            }
            _ => {}
        }
    }

    fn endpoint_out(&mut self, addr: EndpointAddress) {
        let desc = self.desc();
        let a = u8::from(addr);
        let Some(i) = desc.hid.iter().position(|h| h.out_endpoint == Some(a)) else {
            return;
        };
        let Some(ep) = self
            .eps
            .outs
            .get(usize::from(a & 0x0F))
            .and_then(Option::as_ref)
        else {
            return;
        };
        let mut buf = [0u8; MAX_REPORT];
        if let Ok(n) = ep.read(&mut buf) {
            // A report that matches no declared output report is dropped.
            let _ = hid::store_from_host(
                &mut self.state.0,
                desc,
                Self::DIRECT.as_ref(),
                i,
                ReportKind::Output,
                None,
                &buf[..n],
            );
        }
    }

    fn get_alt_setting(&mut self, interface: InterfaceNumber) -> Option<u8> {
        // `None` lets usb-device answer 0, which is right for an interface with one setting.
        let info = alt_interface(self.desc(), interface)?;
        self.alts.get(usize::from(info.number)).copied()
    }

    fn set_alt_setting(&mut self, interface: InterfaceNumber, alternative: u8) -> bool {
        // `false` lets usb-device accept alternate setting 0 only, which is right for an
        // interface with one setting.
        let Some(info) = alt_interface(self.desc(), interface) else {
            return false;
        };
        match self.alts.get_mut(usize::from(info.number)) {
            Some(slot) if alternative < info.alt_settings => {
                *slot = alternative;
                true
            }
            _ => false,
        }
    }
}
