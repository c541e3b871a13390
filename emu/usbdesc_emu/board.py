"""The Feather M0 board: a Cortex-M0 (unicorn, Thumb, M-class) with the SAMD21G18A memory map.

flash 0x00000000 (256 KiB; the application at 0x2000 behind the UF2 bootloader), SRAM 0x20000000
(32 KiB), the NVM software calibration row at 0x00806020 (erased: all 0xFF, which gives the HAL's
default calibration), peripherals at 0x40000000-0x42FFFFFF, PORT's IOBUS at 0x60000000, the system
control space at 0xE000E000. The CPU runs in slices of `slice_len` instructions; time
(`Board.now`) is the number of instructions executed, advanced once per slice, so a run is
deterministic for a given slice length. A run stops with `EmuError` on a CPU fault or when the
instruction budget is spent (`budget=None`: no limit, for a board that serves a host for as long as
it runs; the host side still bounds every transaction it waits for).
"""

from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS, UC_PROT_READ, UC_PROT_ALL
from unicorn.arm_const import UC_ARM_REG_PC, UC_ARM_REG_SP, UC_ARM_REG_MSP, UC_CPU_ARM_CORTEX_M0

from . import elf
from .mmio import AccessLog, Peripheral
from .system import Gclk, Nvmctrl, Pm, Port, Scs, Sysctrl
from .usb import UsbDevice

FLASH, FLASH_SIZE = 0x00000000, 256 * 1024
SRAM, SRAM_SIZE = 0x20000000, 32 * 1024
APP_BASE = 0x2000
NVM_ROWS = 0x00804000  # user row (0x00804000) and software calibration row (0x00806020)
CORE_HZ = 48_000_000


class EmuError(Exception):
    pass


class Unmodelled(Peripheral):
    """A peripheral window with no model: every access is logged."""

    registers = {}

    def __init__(self, board, name):
        self.name = name
        super().__init__(board)


class Board:
    def __init__(self, elf_path, budget=2_000_000_000, slice_len=2000, echo_unknown=False):
        self.elf_path = elf_path
        self.budget = budget
        self.slice_len = slice_len
        self.now = 0
        self.log = AccessLog(echo_unknown)
        self._pc = 0
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
        self.uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_M0)
        try:
            segments, self.symbols = elf.load(elf_path)
        except OSError as e:
            raise EmuError(f"{elf_path}: {e.strerror}") from e
        self.uc.mem_map(FLASH, FLASH_SIZE, UC_PROT_ALL)
        self.uc.mem_map(SRAM, SRAM_SIZE, UC_PROT_ALL)
        self.uc.mem_map(NVM_ROWS, 0x4000, UC_PROT_READ)
        self.uc.mem_write(NVM_ROWS, b"\xff" * 0x4000)
        for s in segments:
            if not (FLASH <= s.paddr and s.paddr + len(s.data) <= FLASH + FLASH_SIZE):
                raise EmuError(f"{elf_path}: segment at 0x{s.paddr:08x} ({len(s.data)} B) is outside flash")
            self.uc.mem_write(s.paddr, s.data)

        self.sysctrl, self.gclk, self.pm = Sysctrl(self), Gclk(self), Pm(self)
        self.nvmctrl, self.port, self.usb, self.scs = Nvmctrl(self), Port(self), UsbDevice(self), Scs(self)
        windows = [
            (0x40000000, 0x400, Unmodelled(self, "PAC0")), (0x40000400, 0x400, self.pm),
            (0x40000800, 0x400, self.sysctrl), (0x40000C00, 0x400, self.gclk),
            (0x40001000, 0xFFF000, Unmodelled(self, "APBA")),
            (0x41000000, 0x4000, Unmodelled(self, "APBB")), (0x41004000, 0x400, self.nvmctrl),
            (0x41004400, 0x400, self.port), (0x41004800, 0x800, Unmodelled(self, "DMAC")),
            (0x41005000, 0x1000, self.usb), (0x41006000, 0xFFA000, Unmodelled(self, "APBB")),
            (0x42000000, 0x1000000, Unmodelled(self, "APBC")),
            (0x60000000, 0x1000, self.port),
            (0xE000E000, 0x1000, self.scs),
        ]
        for base, size, p in windows:
            self.map_mmio(base, size, p)

        vec = self.uc.mem_read(APP_BASE, 8)
        sp, reset = int.from_bytes(vec[:4], "little"), int.from_bytes(vec[4:], "little")
        if not (SRAM < sp <= SRAM + SRAM_SIZE) or not reset & 1 or reset >= FLASH_SIZE:
            raise EmuError(f"{elf_path}: no Feather M0 application at 0x{APP_BASE:x} "
                           f"(initial SP 0x{sp:08x}, reset vector 0x{reset:08x})")
        self.uc.reg_write(UC_ARM_REG_MSP, sp)
        self.uc.reg_write(UC_ARM_REG_SP, sp)
        self._pc = reset

    def map_mmio(self, base, size, periph):
        # Thin closures: unicorn calls these for every access in the window.
        def rd(uc, off, sz, _):
            return periph.read(off, sz)

        def wr(uc, off, sz, value, _):
            periph.write(off, sz, value)

        # The PORT window is 0x80 bytes per group; both windows share one model.
        self.uc.mmio_map(base, size, rd, None, wr, None)

    def pc(self):
        return self.uc.reg_read(UC_ARM_REG_PC)

    def mem_read(self, addr, n):
        return bytes(self.uc.mem_read(addr, n))

    def mem_write(self, addr, data):
        self.uc.mem_write(addr, bytes(data))

    def run(self, instructions):
        """Runs the CPU for `instructions` (rounded up to whole slices)."""
        end = self.now + instructions
        while self.now < end:
            self.step()

    def step(self):
        """One slice of `slice_len` instructions."""
        if self.budget is not None and self.now >= self.budget:
            raise EmuError(f"{self.elf_path}: instruction budget of {self.budget:,} spent "
                           f"(pc 0x{self.pc():08x}): the firmware or the host is stuck")
        try:
            self.uc.emu_start(self._pc | 1, 0xFFFFFFFF, count=self.slice_len)
        except UcError as e:
            raise EmuError(f"{self.elf_path}: CPU fault after {self.now:,} instructions at "
                           f"pc 0x{self.pc():08x}: {e}") from e
        self._pc = self.pc()
        self.now += self.slice_len

    def unknown_accesses(self):
        return self.log.lines()
