"""The SAMD21 USB device controller (datasheet DS40001882, chapter "USB"), device mode, full speed.

Registers at 0x41005000; the endpoint descriptor table lives in SRAM at DESCADD (per endpoint n:
bank 0 at DESCADD + 32n, bank 1 at +16; each bank ADDR, PCKSIZE, EXTREG, STATUS_BK). The host side
calls `setup`, `out`, `in_token`, `bus_reset`, `sof`, `suspend`, `resume`: each is one
transaction as the datasheet's "Management of SETUP/OUT/IN transactions" sections describe it and
returns the handshake the host sees ("ACK", "NAK", "STALL", or None when the device does not answer
at all: wrong address, endpoint disabled, SETUP while RXSTP is still set).
"""

from .mmio import Peripheral

# INTFLAG bits
SUSPEND, SOF, EORST, WAKEUP, EORSM, UPRSM = 1 << 0, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6
# EPSTATUS bits
DTGLOUT, DTGLIN, CURBK, STALLRQ0, STALLRQ1, BK0RDY, BK1RDY = 1, 2, 4, 16, 32, 64, 128
# EPINTFLAG bits
TRCPT0, TRCPT1, TRFAIL0, TRFAIL1, RXSTP, STALL0, STALL1 = 1, 2, 4, 8, 16, 32, 64
# EPCFG.EPTYPEx
DISABLED, CONTROL, ISO, BULK, INTERRUPT, DUAL = 0, 1, 2, 3, 4, 5

SIZES = (8, 16, 32, 64, 128, 256, 512, 1023)
EPS = 8


def crc16(data):
    """The USB data CRC (x^16 + x^15 + x^2 + 1, reflected, init 0xFFFF, inverted)."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


class UsbDevice(Peripheral):
    name = "USB"

    def __init__(self, board):
        regs = {
            0x00: (1, 0), 0x02: (1, 0), 0x03: (1, 0x05), 0x08: (2, 0x0001), 0x0A: (1, 0),
            0x0C: (1, 0x40), 0x0D: (1, 0x01), 0x10: (2, 0), 0x14: (2, 0), 0x18: (2, 0),
            0x1C: (2, 0), 0x20: (2, 0), 0x24: (4, 0), 0x28: (2, 0),
        }
        for n in range(EPS):
            e = 0x100 + 0x20 * n
            for off in (0, 4, 5, 6, 7, 8, 9):
                regs[e + off] = (1, 0)
        self.registers = regs
        super().__init__(board)
        self.epstatus = [0] * EPS
        self.epintflag = [0] * EPS
        self.epinten = [0] * EPS
        self.intflag = 0
        self.inten = 0
        self.zlp_due = [False] * EPS  # AUTO_ZLP: the zero-length packet still to send
        self.suspended = False
        self.resume_signalled = 0  # how often the device drove upstream resume (remote wakeup)
        self.attached = False  # CTRLB.DETACH cleared by the firmware
        # Register offset -> callable run right after the CPU reads that register (a host side that
        # wants its packets to land at a chosen point of the firmware's poll).
        self.read_hooks = getattr(self, "read_hooks", {})

    # -- registers ---------------------------------------------------------------------------
    def ep_of(self, off):
        if off >= 0x100 and off < 0x100 + 0x20 * EPS:
            return (off - 0x100) >> 5, (off - 0x100) & 0x1F
        return None, None

    def read_reg(self, off):
        v = self.read_value(off)
        hook = self.read_hooks.get(off)
        if hook:
            hook()
        return v

    def read_value(self, off):
        n, r = self.ep_of(off)
        if n is not None:
            if r == 4 or r == 5:  # EPSTATUSCLR/SET are write-only; read as 0
                return 0
            if r == 6:
                return self.epstatus[n]
            if r == 7:
                return self.epintflag[n]
            if r in (8, 9):
                return self.epinten[n]
            return super().read_reg(off)
        if off == 0x00:
            return super().read_reg(off) & ~1  # SWRST done at once
        if off == 0x02:
            return 0  # SYNCBUSY: never busy
        if off == 0x08:
            return super().read_reg(off) & ~2  # UPRSM reads 0 once the resume is sent
        if off in (0x14, 0x18):
            return self.inten
        if off == 0x1C:
            return self.intflag
        if off == 0x20:
            return sum(1 << i for i in range(EPS) if self.epintflag[i] & self.epinten[i])
        return super().read_reg(off)

    def write_reg(self, off, value, mask):
        n, r = self.ep_of(off)
        if n is not None:
            if r == 4:
                self.epstatus[n] &= ~value
            elif r == 5:
                self.epstatus[n] |= value
                if value & BK1RDY:
                    self.zlp_due[n] = False
            elif r == 6:
                self.board.log.unknown(self.name, off, 1, "write", value, self.board.pc())
            elif r == 7:
                self.epintflag[n] &= ~value
            elif r == 8:
                self.epinten[n] &= ~value
            elif r == 9:
                self.epinten[n] |= value
            else:
                super().write_reg(off, value, mask)
            return
        if off == 0x00:
            if value & 1:  # SWRST: every register back to its reset value
                self.__init__(self.board)
                return
            super().write_reg(off, value, mask)
        elif off == 0x08:
            super().write_reg(off, value & ~2, mask)
            if value & 2 & mask:  # UPRSM: drive resume upstream (remote wakeup)
                if self.suspended:
                    self.resume_signalled += 1
                    self.intflag |= UPRSM
            self.attached = not (self.get(0x08, 2) & 1)
        elif off == 0x14:
            self.inten &= ~value
        elif off == 0x18:
            self.inten |= value
        elif off == 0x1C:
            self.intflag &= ~value
        elif off == 0x20:
            self.board.log.unknown(self.name, off, 2, "write", value, self.board.pc())
        else:
            super().write_reg(off, value, mask)

    # -- endpoint descriptors in SRAM -----------------------------------------------------------
    def bank(self, n, b):
        """(ADDR, PCKSIZE) of endpoint n bank b."""
        d = self.get(0x24, 4) + 32 * n + 16 * b
        raw = self.board.mem_read(d, 8)
        return int.from_bytes(raw[0:4], "little"), int.from_bytes(raw[4:8], "little")

    def set_pcksize(self, n, b, pck):
        d = self.get(0x24, 4) + 32 * n + 16 * b
        self.board.mem_write(d + 4, pck.to_bytes(4, "little"))

    def set_status_bk(self, n, b, bits):
        d = self.get(0x24, 4) + 32 * n + 16 * b + 10
        self.board.mem_write(d, bytes([self.board.mem_read(d, 1)[0] | bits]))

    def eptype(self, n, b):
        return (self.get(0x100 + 0x20 * n, 1) >> (4 * b)) & 7

    def address(self):
        d = self.get(0x0A, 1)
        return d & 0x7F if d & 0x80 else 0

    def enabled(self):
        return bool(self.get(0x00, 1) & 2) and self.attached

    def matches(self, addr, n):
        return self.enabled() and addr == self.address() and 0 <= n < EPS

    def write_packet(self, at, data, size):
        """Data, then as many CRC bytes as fit under the bank SIZE (the datasheet: none at SIZE,
        one at SIZE-1, both below)."""
        crc = crc16(data).to_bytes(2, "little")
        extra = crc[: max(0, min(2, size - len(data)))]
        self.board.mem_write(at, bytes(data) + extra)

    # -- transactions (host side) ----------------------------------------------------------------
    def setup(self, addr, data):
        """A SETUP transaction to endpoint 0 of `addr` with its 8 data bytes."""
        n = 0
        if not self.matches(addr, n) or self.eptype(n, 0) != CONTROL:
            return None
        if self.epintflag[n] & RXSTP:
            return None  # the datasheet writes the packet only while RXSTP is 0
        at, pck = self.bank(n, 0)
        size = SIZES[(pck >> 28) & 7]
        self.write_packet(at, data[:size], size)
        self.set_pcksize(n, 0, (pck & ~0x3FFF) | min(len(data), size))
        self.epstatus[n] |= DTGLOUT | DTGLIN | CURBK | BK0RDY
        self.epstatus[n] &= ~(BK1RDY | STALLRQ0 | STALLRQ1)
        self.epintflag[n] |= RXSTP
        return "ACK"

    def out(self, addr, n, data, pid):
        """An OUT transaction: `data` in a DATA`pid` packet."""
        if not self.matches(addr, n):
            return None
        t = self.eptype(n, 0)
        if t not in (CONTROL, BULK, INTERRUPT, ISO, DUAL):
            return None
        st = self.epstatus[n]
        if st & STALLRQ0 and t != ISO:
            self.epintflag[n] |= STALL0
            return "STALL"
        if t != ISO and pid != (st & DTGLOUT):
            return "ACK"  # a repeated packet (lost ACK): dropped, acknowledged again
        if st & BK0RDY:
            self.epintflag[n] |= TRFAIL0
            self.set_status_bk(n, 0, 2)  # ERRORFLOW
            return None if t == ISO else "NAK"
        at, pck = self.bank(n, 0)
        size = SIZES[(pck >> 28) & 7]
        count, multi = pck & 0x3FFF, (pck >> 14) & 0x3FFF
        data = bytes(data[:size])
        self.write_packet(at + count, data, size)
        count += len(data)
        self.set_pcksize(n, 0, (pck & ~0x3FFF) | count)
        if t != ISO:
            self.epstatus[n] ^= DTGLOUT
        # Multi-packet: the bank fills until a short packet or MULTI_PACKET_SIZE bytes.
        if multi == 0 or len(data) < size or count >= multi:
            self.epstatus[n] |= BK0RDY
            self.epintflag[n] |= TRCPT0
        return "ACK"

    def in_token(self, addr, n):
        """An IN transaction: ("DATA", bytes, pid) after the host's ACK, or a handshake."""
        if not self.matches(addr, n):
            return None
        t = self.eptype(n, 1)
        if n == 0 and self.eptype(0, 0) == CONTROL:
            t = CONTROL
        if t == DISABLED:
            return None
        st = self.epstatus[n]
        if st & STALLRQ1 and t != ISO:
            self.epintflag[n] |= STALL1
            return "STALL"
        if not st & BK1RDY:
            self.epintflag[n] |= TRFAIL1
            return None if t == ISO else "NAK"
        at, pck = self.bank(n, 1)
        size = SIZES[(pck >> 28) & 7]
        count, sent, auto_zlp = pck & 0x3FFF, (pck >> 14) & 0x3FFF, pck >> 31
        if self.zlp_due[n]:
            data = b""
            self.zlp_due[n] = False
            done = True
        else:
            k = min(size, max(0, count - sent))
            data = self.board.mem_read(at + sent, k) if k else b""
            sent += k
            self.set_pcksize(n, 1, (pck & ~(0x3FFF << 14)) | (sent << 14))
            done = sent >= count
            if done and auto_zlp and count and count % size == 0:
                self.zlp_due[n] = True
                done = False
        pid = 1 if st & DTGLIN else 0
        if t != ISO:
            self.epstatus[n] ^= DTGLIN
        if done:
            self.epstatus[n] &= ~BK1RDY
            self.epintflag[n] |= TRCPT1
        return ("DATA", bytes(data), pid)

    def bus_reset(self):
        """What the datasheet lists as cleared by a USB reset, then INTFLAG.EORST."""
        for n in range(EPS):
            if n:
                self.set(0x100 + 0x20 * n, 1, 0)
            self.epinten[n] = 0
            self.epintflag[n] = 0
            self.epstatus[n] &= ~(STALLRQ0 | STALLRQ1)
            self.zlp_due[n] = False
        self.set(0x10, 2, 0)
        self.set(0x0A, 1, 0)
        self.set(0x08, 2, self.get(0x08, 2) & ~2)
        self.suspended = False
        self.intflag |= EORST

    def sof(self, frame):
        self.set(0x10, 2, (frame & 0x7FF) << 3)
        self.intflag |= SOF

    def suspend(self):
        self.suspended = True
        self.intflag |= SUSPEND

    def resume(self):
        """Host-driven resume: WAKEUP when resume signalling starts, EORSM at its end."""
        self.suspended = False
        self.intflag |= WAKEUP | EORSM
