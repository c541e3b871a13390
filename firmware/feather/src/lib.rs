//! Feather M0 glue shared by the example firmware: clocks, the USB bus allocator, a 1 ms tick,
//! the red LED (D13) and four active-low keys on D5, D6, D9, D10 (internal pull-ups).
#![no_std]

pub use feather_m0 as bsp;

use bsp::hal;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::SYST;
use hal::clock::GenericClockController;
use hal::ehal::digital::{InputPin, OutputPin};
use hal::gpio::{Pin, PullUpInput, PA07, PA15, PA18, PA20};
use hal::usb::UsbBus;
use usb_device::bus::UsbBusAllocator;
use usb_device::device::{UsbDevice, UsbDeviceBuilder, UsbVidPid};
use usbdesc_runtime::DeviceDescriptors;

/// Core clock after `GenericClockController::with_internal_32kosc` (DFLL48M).
const CORE_HZ: u32 = 48_000_000;

pub struct Board {
    pub usb: &'static UsbBusAllocator<UsbBus>,
    led: bsp::RedLed,
    keys: (
        Pin<PA15, PullUpInput>,
        Pin<PA20, PullUpInput>,
        Pin<PA07, PullUpInput>,
        Pin<PA18, PullUpInput>,
    ),
    syst: SYST,
}

impl Board {
    /// Takes the peripherals and sets everything up. Only called once, from `main`.
    pub fn take() -> Option<Board> {
        let mut p = bsp::pac::Peripherals::take()?;
        let core = bsp::pac::CorePeripherals::take()?;
        let mut clocks = GenericClockController::with_internal_32kosc(
            p.gclk,
            &mut p.pm,
            &mut p.sysctrl,
            &mut p.nvmctrl,
        );
        let pins = bsp::Pins::new(p.port);
        let alloc = bsp::usb_allocator(p.usb, &mut clocks, &mut p.pm, pins.usb_dm, pins.usb_dp);
        let usb = cortex_m::singleton!(: UsbBusAllocator<UsbBus> = alloc)?;
        let mut syst = core.SYST;
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(CORE_HZ / 1000 - 1);
        syst.clear_current();
        syst.enable_counter();
        Some(Board {
            usb,
            led: pins.d13.into(),
            keys: (
                pins.d5.into(),
                pins.d6.into(),
                pins.d9.into(),
                pins.d10.into(),
            ),
            syst,
        })
    }

    /// A `UsbDevice` whose EP0 size and VID/PID match the compiled device descriptor. usbdesc's
    /// class answers every descriptor request itself, so the builder's own strings are unused.
    pub fn device(&self, desc: &DeviceDescriptors) -> Option<UsbDevice<'static, UsbBus>> {
        let (vid, pid) = desc.vid_pid();
        let builder = UsbDeviceBuilder::new(self.usb, UsbVidPid(vid, pid));
        Some(
            builder
                .max_packet_size_0(desc.max_packet_size_0())
                .ok()?
                .build(),
        )
    }

    /// True once per elapsed millisecond.
    pub fn tick(&mut self) -> bool {
        self.syst.has_wrapped()
    }

    pub fn set_led(&mut self, on: bool) {
        let _ = if on {
            self.led.set_high()
        } else {
            self.led.set_low()
        };
    }

    /// Pressed keys as bits 0..3 (D5, D6, D9, D10; pressed = pulled low).
    pub fn keys(&mut self) -> u8 {
        let k = &mut self.keys;
        let bit = |low: Result<bool, core::convert::Infallible>, n: u8| {
            if low.unwrap_or(false) {
                1 << n
            } else {
                0
            }
        };
        bit(k.0.is_low(), 0) | bit(k.1.is_low(), 1) | bit(k.2.is_low(), 2) | bit(k.3.is_low(), 3)
    }

    /// Asks the host to resume (SAMD21 USB `CTRLB.UPRSM`); used through
    /// `UsbdescClass::remote_wakeup`, which checks it is allowed first.
    pub fn signal_resume() {
        // SAFETY: a single write-one bit of the USB device peripheral; the HAL never clears it.
        let usb = unsafe { bsp::pac::Usb::steal() };
        usb.device().ctrlb().modify(|_, w| w.uprsm().set_bit());
    }
}

/// Where the examples go when setup fails: LED on, nothing else (no panic, no reset loop).
pub fn halt(board: Option<&mut Board>) -> ! {
    if let Some(b) = board {
        b.set_led(true);
    }
    loop {
        cortex_m::asm::wfi();
    }
}
