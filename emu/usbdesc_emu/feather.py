"""The Feather M0 as the example firmwares wire it: four keys to GND on D5, D6, D9, D10 (internal
pull-ups) and the red LED on D13; a booted board with a host attached."""

from .board import Board
from .host import Host, setup_packet

# Arduino pin name -> (PORT group, pin): group 0 is PA.
PINS = {"D5": (0, 15), "D6": (0, 20), "D9": (0, 7), "D10": (0, 18), "D13": (0, 17)}
KEYS = ("D5", "D6", "D9", "D10")
LED = "D13"
BOOT = 3_000_000  # instructions: every example reaches its poll loop well within this


class Feather:
    def __init__(self, elf_path, **board_args):
        self.board = Board(elf_path, **board_args)
        self.board.run(BOOT)
        self.host = Host(self.board)

    def press(self, key):
        self.board.port.drive(*PINS[key], 0)

    def release(self, key):
        self.board.port.drive(*PINS[key], None)

    def led(self):
        """1/0 while D13 is an output, None before the firmware configures it."""
        return self.board.port.output(*PINS[LED])

    def unknown_accesses(self):
        return self.board.unknown_accesses()


# HID class requests (HID 1.11, 7.2): report types.
INPUT, OUTPUT, FEATURE = 1, 2, 3


def get_report(host, interface, kind, report_id, length):
    return host.control(setup_packet(0xA1, 0x01, kind << 8 | report_id, interface, length))


def set_report(host, interface, kind, report_id, data):
    return host.control(setup_packet(0x21, 0x09, kind << 8 | report_id, interface, len(data)), data)
