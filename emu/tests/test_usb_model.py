"""The SAMD21 USB controller model against the datasheet's transaction rules, without firmware:
a stand-in board gives it SRAM, and the test plays the firmware's part on the registers."""

import unittest

from usbdesc_emu.mmio import AccessLog
from usbdesc_emu.usb import (BK0RDY, BK1RDY, DTGLIN, DTGLOUT, EORST, RXSTP, STALL0, STALL1, STALLRQ0,
                             STALLRQ1, TRCPT0, TRCPT1, TRFAIL0, TRFAIL1, UsbDevice, crc16)

DESC, BUF0, BUF1 = 0x100, 0x400, 0x600


class FakeBoard:
    def __init__(self):
        self.ram = bytearray(0x1000)
        self.log = AccessLog()
        self.now = 0

    def mem_read(self, a, n):
        return bytes(self.ram[a:a + n])

    def mem_write(self, a, d):
        self.ram[a:a + len(d)] = d

    def pc(self):
        return 0


def controller(eptype0=1, eptype1=1, size_code=0, out_multi=0):
    """Endpoint 0 and 1 configured like the HAL does, SIZE 8 (code 0) unless told."""
    b = FakeBoard()
    u = UsbDevice(b)
    u.write(0x24, 4, DESC)
    for n in (0, 1):
        u.write(0x100 + 0x20 * n, 1, eptype0 | eptype1 << 4)
        bank0 = DESC + 32 * n
        b.mem_write(bank0, BUF0.to_bytes(4, "little") + (size_code << 28 | out_multi << 14).to_bytes(4, "little"))
        b.mem_write(bank0 + 16, BUF1.to_bytes(4, "little") + (size_code << 28).to_bytes(4, "little"))
    u.write(0x00, 1, 0x02)  # ENABLE
    u.write(0x08, 2, 0x0000)  # CTRLB.DETACH cleared
    return b, u


def arm_in(b, u, n, data, auto_zlp=False, size_code=0):
    b.mem_write(BUF1, data)
    pck = (size_code << 28) | len(data) | (auto_zlp << 31)
    b.mem_write(DESC + 32 * n + 20, pck.to_bytes(4, "little"))
    u.write(0x100 + 0x20 * n + 5, 1, BK1RDY)  # EPSTATUSSET


class Transactions(unittest.TestCase):
    def test_setup_sets_the_flags_and_waits_for_rxstp(self):
        b, u = controller(size_code=3)  # 64-byte bank: the two CRC bytes follow the data
        u.epstatus[0] = BK1RDY | STALLRQ0 | STALLRQ1
        setup = bytes([0x80, 6, 0, 1, 0, 0, 18, 0])
        self.assertEqual(u.setup(0, setup), "ACK")
        self.assertEqual(b.mem_read(BUF0, 10), setup + crc16(setup).to_bytes(2, "little"))
        self.assertEqual(u.read(0x106, 1), DTGLOUT | DTGLIN | 4 | BK0RDY)  # BK1RDY, STALLRQ cleared
        self.assertEqual(u.read(0x107, 1), RXSTP)
        self.assertIsNone(u.setup(0, setup))  # RXSTP still set: not taken
        self.assertIsNone(u.setup(3, setup))  # not our address
        u.write(0x107, 1, RXSTP)
        self.assertEqual(u.setup(0, setup), "ACK")

    def test_out_nak_stall_and_repeated_packet(self):
        b, u = controller(eptype0=4, eptype1=4)
        self.assertEqual(u.out(0, 1, b"\x01\x02", 0), "ACK")
        self.assertEqual(u.epstatus[1] & (BK0RDY | DTGLOUT), BK0RDY | DTGLOUT)
        self.assertEqual(u.epintflag[1], TRCPT0)
        self.assertEqual(u.out(0, 1, b"\x03", 1), "NAK")  # bank full
        self.assertTrue(u.epintflag[1] & TRFAIL0)
        self.assertEqual(b.mem_read(DESC + 32 + 10, 1), b"\x02")  # STATUS_BK.ERRORFLOW
        u.write(0x124, 1, BK0RDY)  # firmware empties the bank
        self.assertEqual(u.out(0, 1, b"\x09", 0), "ACK")  # DATA0 again: a repeat, dropped
        self.assertFalse(u.epstatus[1] & BK0RDY)
        u.write(0x125, 1, STALLRQ0)
        self.assertEqual(u.out(0, 1, b"\x03", 1), "STALL")
        self.assertTrue(u.epintflag[1] & STALL0)

    def test_out_multi_packet_fills_until_short_or_full(self):
        b, u = controller(eptype0=3, eptype1=3, out_multi=24)
        for i, pid in ((0, 0), (1, 1)):
            self.assertEqual(u.out(0, 1, bytes([i]) * 8, pid), "ACK")
            self.assertFalse(u.epstatus[1] & BK0RDY)
        self.assertEqual(u.out(0, 1, b"\x07\x07", 0), "ACK")  # short: transfer complete
        self.assertTrue(u.epstatus[1] & BK0RDY)
        self.assertEqual(b.mem_read(DESC + 32 + 4, 4)[0], 18)  # BYTE_COUNT
        self.assertEqual(b.mem_read(BUF0, 18), bytes(8) + bytes([1]) * 8 + b"\x07\x07")

    def test_in_multi_packet_auto_zlp_toggles_and_nak(self):
        b, u = controller(eptype0=4, eptype1=4)
        self.assertEqual(u.in_token(0, 1), "NAK")
        self.assertTrue(u.epintflag[1] & TRFAIL1)
        data = bytes(range(16))
        arm_in(b, u, 1, data, auto_zlp=True)
        got = [u.in_token(0, 1) for _ in range(3)]
        self.assertEqual(got, [("DATA", data[:8], 0), ("DATA", data[8:], 1), ("DATA", b"", 0)])
        self.assertFalse(u.epstatus[1] & BK1RDY)
        self.assertTrue(u.epintflag[1] & TRCPT1)
        self.assertEqual(u.in_token(0, 1), "NAK")
        arm_in(b, u, 1, data[:8])  # no AUTO_ZLP: a full packet ends the bank
        self.assertEqual(u.in_token(0, 1), ("DATA", data[:8], 1))
        self.assertFalse(u.epstatus[1] & BK1RDY)
        u.write(0x125, 1, STALLRQ1)
        self.assertEqual(u.in_token(0, 1), "STALL")
        self.assertTrue(u.epintflag[1] & STALL1)

    def test_bus_reset_clears_what_the_datasheet_lists(self):
        b, u = controller(eptype0=4, eptype1=4)
        u.write(0x0A, 1, 0x85)  # DADD 5, ADDEN
        u.write(0x129, 1, TRCPT1)  # EPINTENSET
        u.epintflag[1] = TRCPT1
        u.write(0x125, 1, STALLRQ0 | STALLRQ1 | BK1RDY)
        u.bus_reset()
        self.assertEqual((u.read(0x0A, 1), u.read(0x120, 1), u.read(0x20, 2)), (0, 0, 0))
        self.assertEqual(u.read(0x100, 1), 0x44)  # EP0's EPCFG stays
        self.assertEqual(u.epstatus[1], BK1RDY)  # STALLRQ cleared, the bank left alone
        self.assertEqual(u.read(0x1C, 2), EORST)
        u.write(0x1C, 2, EORST)
        self.assertEqual(u.read(0x1C, 2), 0)

    def test_unknown_and_read_only_registers_are_logged(self):
        b, u = controller()
        u.write(0x106, 1, 0xFF)  # EPSTATUS is read-only (EPSTATUSSET/CLR write it)
        u.read(0x30, 4)  # nothing there
        self.assertEqual(len(b.log.lines()), 1 + 4)


if __name__ == "__main__":
    unittest.main()
