"""Command line of the emulated Feather M0.

  python3 -m usbdesc_emu serve ELF [--press KEY]... [--pulse KEY]
                                                       speak `usbdesc_usbip::pipe` on stdin/stdout
  python3 -m usbdesc_emu enumerate ELF                 print the descriptors the firmware serves
  python3 -m usbdesc_emu bench [--out FILE] [DIR]      CPU cost per USB operation (BENCHMARKS.md)

Exit codes: 0 ok, 1 the firmware faulted, spent its instruction budget or touched an unmodelled
register (listed on stderr), 2 usage or I/O error.
"""

import argparse
import sys

from .board import EmuError
from .feather import KEYS, Feather
from .host import HostError, Stall


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m usbdesc_emu")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("elf")
    s.add_argument("--press", action="append", default=[], choices=KEYS, help="hold this key")
    s.add_argument("--pulse", choices=KEYS, help="press and release this key every 20 ms")
    e = sub.add_parser("enumerate")
    e.add_argument("elf")
    b = sub.add_parser("bench")
    b.add_argument("--out")
    b.add_argument("--firmware-dir")
    b.add_argument("--bench-dir")
    a = p.parse_args(argv)
    try:
        if a.cmd == "serve":
            return serve(a)
        if a.cmd == "enumerate":
            return enumerate_(a)
        from . import cpubench
        return cpubench.main(a)
    except (EmuError, HostError, Stall) as err:
        print(f"usbdesc_emu: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"usbdesc_emu: error: {err}", file=sys.stderr)
        return 2


def report_unknown(f):
    lines = f.unknown_accesses()
    for line in lines:
        print(f"usbdesc_emu: unmodelled register access: {line}", file=sys.stderr)
    return 1 if lines else 0


def serve(a):
    from .bridge import Bridge
    f = Feather(a.elf, echo_unknown=True, budget=None)
    for k in a.press:
        f.press(k)
    try:
        Bridge(f, sys.stdin, sys.stdout, pulse=a.pulse).run()
    except (EOFError, BrokenPipeError):
        pass
    return report_unknown(f)


def enumerate_(a):
    f = Feather(a.elf, echo_unknown=True)
    dev, cfg = f.host.enumerate()
    print(f"device        {dev.hex()}")
    print(f"configuration {cfg.hex()}")
    print(f"instructions  {f.board.now:,}")
    return report_unknown(f)


if __name__ == "__main__":
    sys.exit(main())
