"""The emulated board behind the project's USB/IP server.

`usbdesc_usbip::pipe` (Rust) owns the USB/IP side and offers the `UsbBus` operations over a line
protocol; this bridge plays the USB host towards the emulated SAMD21 controller and the device
stack towards that bus: a SETUP or OUT packet the bus hands over becomes a SETUP/OUT transaction
(retried while NAKed), a bank the firmware marks ready becomes an IN transaction whose packet is
written to the bus, a STALL handshake becomes `stall`, and STALLRQ cleared by the firmware (or by a
SETUP) clears it again. Between polls the CPU runs; when nothing is moving the bridge blocks in
`wait` so an idle board costs little.

Host packets land when the firmware starts a poll (right after it reads INTFLAG), not at any
instruction: atsamd-hal 0.23's poll reads EPINTFLAG.RXSTP before EPSTATUS.BK0RDY, so a SETUP that
arrives between the two reads is taken for OUT data and lost (the host times out after 5 s; see
emu/README.md and tests/test_races.py). On a wire that happens to roughly one SETUP in fifty; the
harness checks the descriptors and the runtime, so the bridge keeps packets out of that window.

What a physical bus has and USB/IP has not: SET_ADDRESS (vhci-hcd answers it, the firmware stays
at address 0) and SOF timing relative to the host (SOFs follow emulated time). One packet per IN
endpoint can wait in the bridge while the bus still holds the previous one, so the firmware may see
TRCPT1 one packet earlier than on a wire.
"""

import os
import sys

from .board import CORE_HZ
from .usb import BK1RDY, STALLRQ0, STALLRQ1

IDLE_WAIT_MS = 2
TRACE = bool(os.environ.get("USBDESC_EMU_TRACE"))


class Bridge:
    def __init__(self, feather, rx, tx, log=sys.stderr, pulse=None, pulse_ms=20):
        self.f, self.rx, self.tx, self.log = feather, rx, tx, log
        self.pulse, self.pulse_len = pulse, pulse_ms * (CORE_HZ // 1000)
        self.usb = feather.board.usb
        self.reset_state()
        self.led = None
        self.usb.read_hooks[0x1C] = self.deliver  # INTFLAG: the first read of the HAL's poll

    def reset_state(self):
        self.toggle = {}
        self.pending_setup = None
        self.pending_out = {}
        self.pending_in = {}
        self.bus_stalled = set()  # endpoint addresses we told the bus are stalled
        self.ctrl = None  # (setup, OUT data so far) of a control write in progress

    def call(self, line, quiet=None):
        self.tx.write(line + "\n")
        self.tx.flush()
        reply = self.rx.readline()
        if not reply:
            raise EOFError("the USB/IP side closed the pipe")
        if TRACE and reply.strip() not in ("none", quiet) and not line.startswith("wait"):
            print(f"emu bridge: {self.f.board.now:>12,} {line} -> {reply.strip()}", file=self.log)
        return reply.strip()

    def event(self, text):
        self.call(f"event {text}")

    def run(self, steps=None):
        n = 0
        while steps is None or n < steps:
            self.f.host.step()
            if self.pulse:
                if (self.f.board.now // self.pulse_len) % 2:
                    self.f.press(self.pulse)
                else:
                    self.f.release(self.pulse)
            led = self.f.led()
            if led is not None and led != self.led:
                self.led = led
                self.event(f"OUTPUT LED D13 {led}")
            if not self.service():
                self.call(f"wait {IDLE_WAIT_MS}")
            n += 1

    # -- one round -------------------------------------------------------------------------------
    def service(self):
        busy = self.take_from_bus()
        busy |= self.move_in()
        self.mirror_stall_clears()
        return busy or self.pending_setup is not None or bool(self.pending_out)

    def deliver(self):
        self.deliver_setup()
        self.deliver_out()

    def take_from_bus(self):
        r = self.call("poll")
        if r == "reset":
            self.usb.bus_reset()
            self.reset_state()
            return True
        if not r.startswith("data"):
            return False
        out, _in_complete, setup = (int(x) for x in r.split()[1:4])
        if setup & 1 and self.pending_setup is None and 0 not in self.pending_out:
            self.pending_setup = self.read(0x00)
        for n in range(8):
            if out >> n & 1 and n not in self.pending_out and not (n == 0 and self.pending_setup):
                data = self.read(n)
                if data is not None:
                    self.pending_out[n] = data
        return True

    def read(self, addr):
        r = self.call(f"read {addr:02x}")
        if r.startswith("ok "):
            h = r[3:]
            return b"" if h == "-" else bytes.fromhex(h)
        if r != "wouldblock":
            print(f"emu bridge: read {addr:02x}: {r}", file=self.log)
        return None

    def deliver_setup(self):
        s = self.pending_setup
        if s is None:
            return False
        r = self.usb.setup(0, s)
        if TRACE:
            print(f"emu bridge: {self.f.board.now:>12,} SETUP {s.hex()} -> {r} "
                  f"ep0 status {self.usb.epstatus[0]:#04x} flags {self.usb.epintflag[0]:#04x}", file=self.log)
        if r != "ACK":
            return False
        self.pending_setup = None
        self.pending_in.pop(0, None)
        # The SETUP cleared STALLRQ0/1; the firmware may set them again before the next round.
        for addr in (0x00, 0x80):
            if addr in self.bus_stalled:
                self.bus_stalled.discard(addr)
                self.call(f"stall {addr:02x} 0")
        self.toggle[(0, True)] = self.toggle[(0, False)] = 1
        bm, req, value, index = s[0], s[1], s[2] | s[3] << 8, s[4]
        if (bm, req) == (0x00, 9):  # SET_CONFIGURATION: every other endpoint starts at DATA0
            self.toggle = {k: v for k, v in self.toggle.items() if k[0] == 0}
        if (bm, req, value) == (0x02, 1, 0):  # CLEAR_FEATURE(ENDPOINT_HALT)
            self.toggle.pop((index & 0x0F, bool(index & 0x80)), None)
        self.ctrl = (s, b"") if (bm, req) == (0x21, 9) else None
        return True

    def deliver_out(self):
        busy = False
        for n, data in list(self.pending_out.items()):
            pid = self.toggle.get((n, False), 0)
            r = self.usb.out(0, n, data, pid)
            if r == "ACK":
                self.toggle[(n, False)] = pid ^ 1
                if n == 0 and self.ctrl:
                    self.ctrl = (self.ctrl[0], self.ctrl[1] + data)
                del self.pending_out[n]
                busy = True
            elif r == "STALL":
                self.stall(n)
                del self.pending_out[n]
                busy = True
        return busy

    def move_in(self):
        busy = False
        for n in range(8):
            addr = 0x80 | n
            if n in self.pending_in:
                data = self.pending_in[n]
                r = self.call(f"write {addr:02x} {data.hex() or '-'}", quiet="wouldblock")
                if r == "wouldblock":
                    continue
                if not r.startswith("ok"):
                    print(f"emu bridge: write {addr:02x}: {r}", file=self.log)
                del self.pending_in[n]
                busy = True
                if n == 0 and not data and self.ctrl:
                    self.set_report_done()
                continue
            st = self.usb.epstatus[n]
            if not (st & BK1RDY or (st & STALLRQ1 and addr not in self.bus_stalled)):
                continue
            r = self.usb.in_token(0, n)
            if r == "STALL":
                self.stall(addr)
                busy = True
            elif isinstance(r, tuple):
                _, data, pid = r
                want = self.toggle.get((n, True), 0)
                self.toggle[(n, True)] = pid ^ 1
                if pid != want:
                    # A host drops a packet with the toggle it already saw (a repeat).
                    print(f"emu bridge: IN ep{n}: DATA{pid}, expected DATA{want}: dropped", file=self.log)
                    continue
                self.pending_in[n] = data
                busy = True
        return busy

    def set_report_done(self):
        setup, data = self.ctrl
        self.ctrl = None
        self.event(f"SET_REPORT {setup[3]} {setup[2]} {data.hex()}")

    def stall(self, addr):
        if addr not in self.bus_stalled:
            self.bus_stalled.add(addr)
            self.call(f"stall {addr:02x} 1")
        if addr & 0x7F == 0:
            self.ctrl = None

    def mirror_stall_clears(self):
        for addr in list(self.bus_stalled):
            n = addr & 0x0F
            bit = STALLRQ1 if addr & 0x80 else STALLRQ0
            if not self.usb.epstatus[n] & bit:
                self.bus_stalled.discard(addr)
                self.call(f"stall {addr:02x} 0")
