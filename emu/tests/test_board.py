"""The board itself: bad input gives clear errors, a runaway firmware hits the instruction budget,
unmodelled registers are logged, SysTick and PORT behave as the firmware expects."""

import tempfile
import unittest

from usbdesc_emu.board import Board, EmuError
from usbdesc_emu.elf import ElfError
from usbdesc_emu.feather import Feather

from .common import FIRMWARE, elf


class Board_(unittest.TestCase):
    def test_not_an_elf(self):
        with tempfile.NamedTemporaryFile(suffix=".elf") as t:
            t.write(b"hello, not an ELF")
            t.flush()
            with self.assertRaisesRegex(ElfError, "not an ELF file"):
                Board(t.name)
        with self.assertRaisesRegex(EmuError, "No such file"):
            Board("/nonexistent/firmware.elf")

    def test_budget_ends_a_run_with_a_clear_error(self):
        b = Board(elf(FIRMWARE, "keyboard"), budget=100_000)
        with self.assertRaisesRegex(EmuError, r"instruction budget of 100,000 spent \(pc 0x"):
            b.run(1_000_000)

    def test_unmodelled_register_access_is_logged(self):
        b = Board(elf(FIRMWARE, "keyboard"))
        self.assertEqual(b.unknown_accesses(), [])
        b.uc.mem_write(0x42000800, b"\x01\x00\x00\x00")  # SERCOM0 CTRLA: no model
        b.uc.mem_read(0x40000860, 4)  # SYSCTRL past its last register
        self.assertEqual(len(b.unknown_accesses()), 4 + 4)
        self.assertIn("write APBC+0x800 (1 B) x1, first value 0x1", b.unknown_accesses()[0])

    def test_systick_and_pins(self):
        f = Feather(elf(FIRMWARE, "keyboard"))
        st = f.board.scs.systick
        self.assertEqual((st.csr & 1, st.rvr), (1, 47_999))  # 1 ms at 48 MHz, enabled
        self.assertEqual(f.led(), 0)  # D13 an output, low
        port = f.board.port
        self.assertEqual(port.level(0, 15), 1)  # D5: pull-up
        f.press("D5")
        self.assertEqual(port.level(0, 15), 0)
        f.release("D5")
        self.assertEqual(port.level(0, 15), 1)


if __name__ == "__main__":
    unittest.main()
