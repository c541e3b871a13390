"""Memory-mapped registers: a byte-addressed register file per peripheral and the log of accesses
nobody models. An access to an offset no model claims is recorded (peripheral, offset, width,
direction, value, PC) and behaves like plain storage; it is never silently ignored: the board
reports them (`Board.unknown_accesses`) and the tests require none."""

import sys


class AccessLog:
    def __init__(self, echo=False):
        self.entries = {}  # (peripheral, offset, kind) -> [count, first_value, first_pc]
        self.echo = echo

    def unknown(self, periph, offset, width, kind, value, pc):
        key = (periph, offset, kind)
        e = self.entries.get(key)
        if e is None:
            self.entries[key] = [1, value, pc, width]
            if self.echo:
                print(f"emu: unmodelled {kind} {periph}+0x{offset:03x} ({width} B) "
                      f"value 0x{value:x} at pc 0x{pc:08x}", file=sys.stderr)
        else:
            e[0] += 1

    def lines(self):
        return [f"{kind} {p}+0x{off:03x} ({w} B) x{n}, first value 0x{v:x} at pc 0x{pc:08x}"
                for (p, off, kind), (n, v, pc, w) in sorted(self.entries.items())]


class Peripheral:
    """Registers as a byte array. `registers` maps offset -> (width, reset value); subclasses
    override `read_reg`/`write_reg` for registers with behaviour (self-clearing, write-one-to-clear,
    ready bits) and fall back to storage."""

    name = "?"
    registers = {}

    def __init__(self, board):
        self.board = board
        self.store = {}
        self.known = {}
        for off, (width, reset) in self.registers.items():
            for i in range(width):
                self.known[off + i] = (off, width)
            self.set(off, width, reset)

    def set(self, off, width, value):
        for i in range(width):
            self.store[off + i] = (value >> (8 * i)) & 0xFF

    def get(self, off, width):
        return sum(self.store.get(off + i, 0) << (8 * i) for i in range(width))

    # Entry points from the bus: split into registers, each read or written whole.
    def read(self, off, size):
        value, i = 0, 0
        while i < size:
            reg = self.known.get(off + i)
            if reg is None:
                self.board.log.unknown(self.name, off + i, 1, "read", self.store.get(off + i, 0), self.board.pc())
                value |= self.store.get(off + i, 0) << (8 * i)
                i += 1
                continue
            base, width = reg
            v = self.read_reg(base)
            # The part of this register the access covers.
            lo = off + i - base
            n = min(width - lo, size - i)
            value |= ((v >> (8 * lo)) & ((1 << (8 * n)) - 1)) << (8 * i)
            i += n
        return value

    def write(self, off, size, value):
        i = 0
        while i < size:
            reg = self.known.get(off + i)
            byte = (value >> (8 * i)) & 0xFF
            if reg is None:
                self.board.log.unknown(self.name, off + i, 1, "write", byte, self.board.pc())
                self.store[off + i] = byte
                i += 1
                continue
            base, width = reg
            lo = off + i - base
            n = min(width - lo, size - i)
            part = (value >> (8 * i)) & ((1 << (8 * n)) - 1)
            mask = ((1 << (8 * n)) - 1) << (8 * lo)
            self.write_reg(base, part << (8 * lo), mask)
            i += n

    def read_reg(self, off):
        width = self.known[off][1]
        return self.get(off, width)

    def write_reg(self, off, value, mask):
        """`value` already shifted into the register; `mask` says which bytes were written."""
        width = self.known[off][1]
        self.set(off, width, (self.get(off, width) & ~mask) | (value & mask))
