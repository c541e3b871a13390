"""SAMD21 system peripherals as far as the Feather M0 firmwares use them: clocks that are ready at
once (SYSCTRL, GCLK, PM, NVMCTRL), the PORT pins, and the Cortex-M0 SysTick/SCB/NVIC block. Time
is the emulated instruction count, taken as core cycles at 48 MHz (a Cortex-M0 needs 1-3 cycles per
instruction; one per instruction keeps runs deterministic, and the firmwares only use SysTick for a
1 ms housekeeping tick)."""

from .mmio import Peripheral

R8, R16, R32 = 1, 2, 4


class Sysctrl(Peripheral):
    name = "SYSCTRL"
    registers = {
        0x00: (R32, 0), 0x04: (R32, 0), 0x08: (R32, 0), 0x0C: (R32, 0),
        0x10: (R16, 0x0080), 0x14: (R16, 0x0080), 0x18: (R32, 0x003F0080), 0x1C: (R8, 0x1F),
        0x20: (R32, 0x87070382), 0x24: (R16, 0x0080), 0x28: (R32, 0), 0x2C: (R32, 0),
        0x30: (R8, 0), 0x34: (R32, 0), 0x3C: (R16, 0x0002), 0x40: (R32, 0), 0x44: (R8, 0x80),
        0x48: (R32, 0), 0x4C: (R32, 0), 0x50: (R8, 0),
    }
    # PCLKSR: XOSCRDY, XOSC32KRDY, OSC32KRDY, OSC8MRDY, DFLLRDY, DFLLLCKF, DFLLLCKC, BOD33RDY,
    # B33SRDY (0xADF with the reserved and out-of-bounds bits clear): every oscillator is ready
    # and locked the moment it is asked for.
    PCLKSR_READY = 0xADF

    def read_reg(self, off):
        if off == 0x0C:
            return self.PCLKSR_READY
        if off == 0x50:  # DPLLSTATUS: locked, clock ready, enabled
            return 0x0F
        return super().read_reg(off)


class Gclk(Peripheral):
    name = "GCLK"
    registers = {0x0: (R8, 0), 0x1: (R8, 0), 0x2: (R16, 0), 0x4: (R32, 0), 0x8: (R32, 0)}

    def read_reg(self, off):
        if off == 0x0:  # CTRL.SWRST clears itself once the reset is done (at once here)
            return super().read_reg(off) & ~1
        if off == 0x1:  # STATUS.SYNCBUSY: never busy
            return 0
        return super().read_reg(off)


class Pm(Peripheral):
    name = "PM"
    registers = {
        0x00: (R8, 0), 0x01: (R8, 0), 0x08: (R8, 0), 0x09: (R8, 0), 0x0A: (R8, 0), 0x0B: (R8, 0),
        0x14: (R32, 0x7F), 0x18: (R32, 0x7F), 0x1C: (R32, 0x7F), 0x20: (R32, 0x00010000),
        0x34: (R8, 0), 0x35: (R8, 0), 0x36: (R8, 0), 0x38: (R8, 0x01),
    }

    def read_reg(self, off):
        if off == 0x36:  # INTFLAG.CKRDY: clock dividers ready
            return 1
        return super().read_reg(off)


class Nvmctrl(Peripheral):
    name = "NVMCTRL"
    registers = {
        0x00: (R16, 0), 0x04: (R32, 0), 0x08: (R32, 0x00060000 | 4096), 0x0C: (R8, 0),
        0x10: (R8, 0), 0x14: (R8, 0), 0x18: (R16, 0), 0x1C: (R32, 0), 0x20: (R16, 0xFFFF),
    }

    def read_reg(self, off):
        if off == 0x14:  # INTFLAG.READY: no NVM command is ever in progress
            return 1
        return super().read_reg(off)


class Port(Peripheral):
    """Two pin groups (A at 0x00, B at 0x80), reached at 0x41004400 (APB) and 0x60000000 (IOBUS).
    IN reads the output level for an output pin, the level an outside driver puts on an input pin,
    else the pull (PINCFG.PULLEN with OUT choosing up or down), else 0 (floating taken as low)."""

    name = "PORT"

    def __init__(self, board):
        regs = {}
        for g in (0x00, 0x80):
            for off in (0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x28):
                regs[g + off] = (R32, 0)
            for i in range(16):
                regs[g + 0x30 + i] = (R8, 0)
            for i in range(32):
                regs[g + 0x40 + i] = (R8, 0)
        self.registers = regs
        super().__init__(board)
        self.driven = {}  # (group, pin) -> 0/1 from outside (a key to GND is 0)
        self.history = []  # (instruction count, group, pin, level) for output changes

    def level(self, group, pin):
        """The level the pin is at: output if DIR, else outside drive, else pull."""
        g = 0x80 * group
        if self.get(g + 0x00, 4) >> pin & 1:
            return self.get(g + 0x10, 4) >> pin & 1
        if (group, pin) in self.driven:
            return self.driven[(group, pin)]
        if self.store.get(g + 0x40 + pin, 0) & 0x04:  # PINCFG.PULLEN
            return self.get(g + 0x10, 4) >> pin & 1
        return 0

    def output(self, group, pin):
        """The level the chip drives, or None if the pin is not an output."""
        g = 0x80 * group
        if self.get(g + 0x00, 4) >> pin & 1:
            return self.get(g + 0x10, 4) >> pin & 1
        return None

    def drive(self, group, pin, level):
        """Drive an input from outside (level None releases it)."""
        if level is None:
            self.driven.pop((group, pin), None)
        else:
            self.driven[(group, pin)] = level

    def read_reg(self, off):
        g, r = off & 0x80, off & 0x7F
        if r == 0x20:
            return sum(self.level(g >> 7, p) << p for p in range(32))
        if r in (0x04, 0x08, 0x0C):  # DIRCLR/DIRSET/DIRTGL read as DIR
            return self.get(g, 4)
        if r in (0x14, 0x18, 0x1C):  # OUTCLR/OUTSET/OUTTGL read as OUT
            return self.get(g + 0x10, 4)
        return super().read_reg(off)

    def write_reg(self, off, value, mask):
        g, r = off & 0x80, off & 0x7F
        before = self.get(g + 0x10, 4), self.get(g, 4)
        if r in (0x04, 0x08, 0x0C):
            d = self.get(g, 4)
            d = {0x04: d & ~value, 0x08: d | value, 0x0C: d ^ value}[r]
            self.set(g, 4, d & 0xFFFFFFFF)
        elif r in (0x14, 0x18, 0x1C):
            o = self.get(g + 0x10, 4)
            o = {0x14: o & ~value, 0x18: o | value, 0x1C: o ^ value}[r]
            self.set(g + 0x10, 4, o & 0xFFFFFFFF)
        elif r == 0x28:
            self.wrconfig(g, value)
        elif r == 0x20:  # IN is read-only
            self.board.log.unknown(self.name, off, 4, "write", value, self.board.pc())
        else:
            super().write_reg(off, value, mask)
        after = self.get(g + 0x10, 4), self.get(g, 4)
        if after != before:
            for p in range(32):
                if ((before[0] ^ after[0]) | (before[1] ^ after[1])) >> p & 1:
                    lvl = self.output(g >> 7, p)
                    self.history.append((self.board.now, g >> 7, p, lvl))

    def wrconfig(self, g, v):
        """WRCONFIG: PINMASK (15:0), PMUXEN (16), INEN (17), PULLEN (18), DRVSTR (22), PMUX
        (27:24), WRPMUX (28), WRPINCFG (30), HWSEL (31): writes PINCFG/PMUX of many pins at once."""
        hi = 16 if v >> 31 & 1 else 0
        cfg = (v >> 16) & 0x47
        for i in range(16):
            if not v >> i & 1:
                continue
            pin = hi + i
            if v >> 30 & 1:
                self.store[g + 0x40 + pin] = cfg
            if v >> 28 & 1:
                idx = g + 0x30 + pin // 2
                pm = (v >> 24) & 0xF
                old = self.store.get(idx, 0)
                self.store[idx] = (old & 0xF0) | pm if pin % 2 == 0 else (old & 0x0F) | (pm << 4)


class SysTick:
    """SYST_CSR/RVR/CVR counting down one per instruction; COUNTFLAG clears on read."""

    def __init__(self):
        self.csr, self.rvr, self.cvr, self.t, self.flag = 0, 0, 0, 0, 0

    def advance(self, now):
        dt, self.t = now - self.t, now
        if not (self.csr & 1) or dt <= 0:
            return
        v = self.cvr
        if dt < v:
            self.cvr = v - dt
            return
        if v > 0:
            self.flag, dt, self.cvr = 1, dt - v, 0
        if dt > 0:
            period = self.rvr + 1
            hits, rem = divmod(dt, period)
            if hits and self.rvr:
                self.flag = 1
            self.cvr = 0 if rem == 0 else self.rvr - (rem - 1)


class Scs(Peripheral):
    """System control space at 0xE000E000: SysTick, the SCB registers cortex-m touches, NVIC."""

    name = "SCS"
    registers = {
        0x010: (R32, 0), 0x014: (R32, 0), 0x018: (R32, 0), 0x01C: (R32, 0x40000000 | 4799),
        0x100: (R32, 0), 0x180: (R32, 0), 0x200: (R32, 0), 0x280: (R32, 0),
        **{0x400 + 4 * i: (R32, 0) for i in range(8)},
        0xD00: (R32, 0x410CC601), 0xD04: (R32, 0), 0xD08: (R32, 0), 0xD0C: (R32, 0xFA050000),
        0xD10: (R32, 0), 0xD14: (R32, 0x204), 0xD1C: (R32, 0), 0xD20: (R32, 0),
    }

    def __init__(self, board):
        super().__init__(board)
        self.systick = SysTick()

    def read_reg(self, off):
        st = self.systick
        if off in (0x10, 0x18):
            st.advance(self.board.now)
        if off == 0x10:
            v = st.csr | (st.flag << 16)
            st.flag = 0
            return v
        if off == 0x14:
            return st.rvr
        if off == 0x18:
            return st.cvr
        return super().read_reg(off)

    def write_reg(self, off, value, mask):
        st = self.systick
        if off in (0x10, 0x14, 0x18):
            st.advance(self.board.now)
        if off == 0x10:
            st.csr = value & 0x7
        elif off == 0x14:
            st.rvr = value & 0xFFFFFF
        elif off == 0x18:  # any write clears the counter and COUNTFLAG
            st.cvr, st.flag = 0, 0
        else:
            super().write_reg(off, value, mask)
