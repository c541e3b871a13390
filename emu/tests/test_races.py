"""A race in atsamd-hal 0.23's `UsbBus::poll`, shown on the real keyboard firmware: it reads
EPINTFLAG.RXSTP, then EPSTATUS.BK0RDY. The controller sets both when a SETUP arrives (datasheet,
"Management of SETUP transactions"), so a SETUP landing between the two reads is reported to
usb-device as OUT data; usb-device's `read(&mut [])` of an unexpected OUT then makes the HAL clear
RXSTP and BK0RDY and return BufferOverflow: the SETUP is gone and the host waits for its timeout."""

import unittest

from usbdesc_emu.host import HostError, setup_packet
from usbdesc_emu.usb import RXSTP

from .test_firmware import configured

EPINTFLAG0, INTFLAG = 0x107, 0x1C


def setup_landing_after(register):
    """Delivers GET_DESCRIPTOR(device) right after the firmware's next read of `register` while
    no SETUP is pending; returns what the host then gets from the data stage."""
    f, dev, _ = configured("keyboard")
    u, h = f.board.usb, f.host
    armed = [True]

    def land():
        if armed[0] and not u.epintflag[0] & RXSTP:
            armed[0] = False
            assert u.setup(h.addr, setup_packet(0x80, 6, 0x100, 0, 18)) == "ACK"

    u.read_hooks[register] = land
    h.run_ms(1)
    del u.read_hooks[register]
    assert not armed[0]
    h.toggle[(0, True)] = 1
    h.wait = 300_000  # a few ms of firmware time: far more than an answer needs
    try:
        return h.data_in(0, 18, 64), dev
    except HostError as e:
        return str(e), dev


class SetupRace(unittest.TestCase):
    def test_setup_between_rxstp_and_bk0rdy_reads_is_lost(self):
        got, _ = setup_landing_after(EPINTFLAG0)
        self.assertEqual(got, "IN ep0: still NAKed after 300,000 instructions")

    def test_setup_at_the_start_of_poll_is_answered(self):
        got, dev = setup_landing_after(INTFLAG)
        self.assertEqual(got, dev)


if __name__ == "__main__":
    unittest.main()
