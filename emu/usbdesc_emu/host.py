"""A USB host for the emulated board: transactions (SETUP/IN/OUT), retried on NAK while the CPU
runs, composed into control transfers and interrupt/bulk transfers with data toggles checked, short
packets and zero-length packets. Start-of-frame tokens go out every emulated millisecond while the
bus is not suspended."""

from .board import CORE_HZ

# USB INTFLAG (device mode) offset: the first register atsamd-hal's `poll` reads.
INTFLAG = 0x1C


class Stall(Exception):
    """The device answered STALL (`stage`: "setup", "data" or "status")."""

    def __init__(self, stage):
        super().__init__(f"STALL in the {stage} stage")
        self.stage = stage


class HostError(Exception):
    pass


class NoAnswer(HostError):
    """A transaction stayed NAKed (or unanswered) for the whole wait."""


def setup_packet(bm, req, value, index, length):
    return bytes([bm, req, value & 0xFF, value >> 8, index & 0xFF, index >> 8, length & 0xFF, length >> 8])


class Host:
    def __init__(self, board, wait=2_000_000):
        """`wait`: instructions a transaction may be NAKed (or unanswered) before it fails."""
        self.board = board
        self.usb = board.usb
        self.wait = wait
        self.addr = 0
        self.mps0 = 64  # what Linux assumes until it has read bMaxPacketSize0
        self.toggle = {}  # (endpoint number, is_in) -> next DATA PID
        self.frame = 0
        self.next_sof = board.now + CORE_HZ // 1000
        self.suspended = False
        self.naks = 0

    # -- time ------------------------------------------------------------------------------------
    def step(self):
        self.board.step()
        if not self.suspended:
            while self.board.now >= self.next_sof:
                self.frame = (self.frame + 1) & 0x7FF
                self.usb.sof(self.frame)
                self.next_sof += CORE_HZ // 1000

    def run_ms(self, ms):
        end = self.board.now + ms * (CORE_HZ // 1000)
        while self.board.now < end:
            self.step()

    def until(self, what, attempt):
        """Repeats `attempt` (one transaction) while it is NAKed or unanswered, running the CPU
        between tries; the first other answer is returned."""
        deadline = self.board.now + self.wait
        while True:
            r = attempt()
            if r not in ("NAK", None):
                return r
            self.naks += 1
            if self.board.now >= deadline:
                kind = "NAKed" if r == "NAK" else "unanswered"
                raise NoAnswer(f"{what}: still {kind} after {self.wait:,} instructions")
            self.step()

    # -- bus ---------------------------------------------------------------------------------------
    def reset(self):
        """Bus reset: the device is back at address 0, the host forgets the toggles."""
        self.usb.bus_reset()
        self.addr, self.toggle, self.suspended = 0, {}, False
        self.run_ms(1)

    def suspend(self, ms=5):
        self.suspended = True
        self.usb.suspend()
        self.run_ms(ms)

    def resume(self):
        self.suspended = False
        self.usb.resume()
        self.run_ms(1)

    # -- transfers ---------------------------------------------------------------------------------
    def data_in(self, ep, limit, mps):
        """IN packets until a short one or `limit` bytes (toggles checked)."""
        out = b""
        while True:
            r = self.until(f"IN ep{ep}", lambda: self.usb.in_token(self.addr, ep))
            if r == "STALL":
                raise Stall("data")
            _, data, pid = r
            want = self.toggle.get((ep, True), 0)
            if pid != want:
                raise HostError(f"IN ep{ep}: DATA{pid}, expected DATA{want}")
            self.toggle[(ep, True)] = want ^ 1
            out += data
            if len(data) < mps or len(out) >= limit:
                return out

    def data_out(self, ep, data, mps, zlp):
        chunks = [data[i:i + mps] for i in range(0, len(data), mps)]
        if zlp and (not chunks or len(chunks[-1]) == mps):
            chunks.append(b"")
        for c in chunks:
            pid = self.toggle.get((ep, False), 0)
            r = self.until(f"OUT ep{ep}", lambda: self.usb.out(self.addr, ep, c, pid))
            if r == "STALL":
                raise Stall("data")
            self.toggle[(ep, False)] = pid ^ 1

    def setup_at_poll(self, setup):
        """Sends a SETUP when the firmware starts a poll (its read of INTFLAG), as the USB/IP bridge
        does. atsamd-hal 0.23's poll loses a SETUP that lands between its reads of EPINTFLAG.RXSTP
        and EPSTATUS.BK0RDY (emu/README.md, finding 1; tests/test_races.py delivers one there on
        purpose); a SETUP at an arbitrary instruction makes a test pass or fail with the firmware's
        code layout rather than with what it does."""
        got = []

        saved = self.usb.read_hooks.get(INTFLAG)

        def land():
            if saved is not None:
                saved()
            if not got:
                got.append(self.usb.setup(self.addr, setup))

        self.usb.read_hooks[INTFLAG] = land
        try:
            deadline = self.board.now + self.wait
            while not got or got[-1] in ("NAK", None):
                if got:
                    got.clear()
                if self.board.now >= deadline:
                    raise NoAnswer(f"SETUP: no poll took it within {self.wait:,} instructions")
                self.step()
        finally:
            if saved is None:
                del self.usb.read_hooks[INTFLAG]
            else:
                self.usb.read_hooks[INTFLAG] = saved
        return got[0]

    def control(self, setup, data=b""):
        """A control transfer on endpoint 0; returns the IN data (b"" for OUT/no data)."""
        r = self.setup_at_poll(setup)
        assert r == "ACK"
        self.toggle[(0, True)] = self.toggle[(0, False)] = 1
        length = setup[6] | setup[7] << 8
        if setup[0] & 0x80:
            got = self.data_in(0, length, self.mps0) if length else b""
            self.toggle[(0, False)] = 1
            r = self.until("status OUT", lambda: self.usb.out(self.addr, 0, b"", 1))
            if r == "STALL":
                raise Stall("status")
            return got
        if length:
            self.data_out(0, data[:length], self.mps0, zlp=False)
        self.toggle[(0, True)] = 1
        r = self.until("status IN", lambda: self.usb.in_token(self.addr, 0))
        if r == "STALL":
            raise Stall("status")
        if r[1] != b"" or r[2] != 1:
            raise HostError(f"status IN: {len(r[1])} bytes DATA{r[2]}, expected a zero-length DATA1")
        return b""

    def get_descriptor(self, kind, index=0, lang=0, length=255):
        return self.control(setup_packet(0x80, 6, kind << 8 | index, lang, length))

    def enumerate(self, addr=5):
        """Linux's sequence: reset, GET_DESCRIPTOR(device) 64 (ended by the first short packet, so
        8 bytes from a device with bMaxPacketSize0 8), reset again, SET_ADDRESS, the device
        descriptor and the whole configuration; returns (device, configuration)."""
        self.reset()
        dev = self.get_descriptor(1, length=64)
        if len(dev) < 8:
            raise HostError(f"device descriptor: {len(dev)} bytes")
        self.mps0 = dev[7]
        self.reset()
        self.control(setup_packet(0x00, 5, addr, 0, 0))
        self.addr = addr
        self.run_ms(2)  # SET_ADDRESS recovery interval
        dev = self.get_descriptor(1, length=18)
        head = self.get_descriptor(2, length=9)
        total = head[2] | head[3] << 8
        cfg = self.get_descriptor(2, length=total)
        return dev, cfg

    def set_configuration(self, value=1):
        self.control(setup_packet(0x00, 9, value, 0, 0))
        for k in [k for k in self.toggle if k[0] != 0]:
            del self.toggle[k]

    def interrupt_in(self, ep, mps, within=None, length=None):
        """One IN transfer into a `length`-byte buffer (default one packet): up to a short packet
        or a full buffer; None if NAKed for `within` instructions."""
        saved = self.wait
        if within is not None:
            self.wait = within
        try:
            return self.data_in(ep, length or mps, mps)
        except NoAnswer:
            if within is not None:
                return None
            raise
        finally:
            self.wait = saved

    def interrupt_out(self, ep, data, mps):
        self.data_out(ep, data, mps, zlp=False)
