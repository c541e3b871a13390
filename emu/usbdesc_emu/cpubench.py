"""CPU cost of USB work on the emulated Cortex-M0: instructions, counted exactly, for the usbdesc
keyboard and its peers in bench/ (the same board set-up and main loop, bench/board).

Method: after enumeration the CPU runs one instruction per slice, so `Board.now` is exact at every
register access; a main-loop iteration starts where the HAL's poll reads INTFLAG. bench/board's
loop has no timer, so every idle iteration costs the same (checked). A measured operation is driven
by a host that acts only at the start of a poll (one transaction attempt per iteration, NAKs
retried at the next); its cost is the instructions of the iterations it spans minus as many idle
iterations, from the iteration that sees the first packet (or the key change) until the firmware
is idle again.
"""

import os
from pathlib import Path

from .feather import Feather
from .host import setup_packet

INTFLAG = 0x1C
ROOT = Path(__file__).resolve().parents[2]

# (key, label, workspace directory, binary)
VARIANTS = [
    ("usbdesc", "usbdesc (`usbdesc-runtime`, firmware/keyboard)", "firmware", "keyboard-bench"),
    ("usbd-hid", "usbd-hid 0.10", "bench", "fw-usbd-hid"),
    ("uhid", "usbd-human-interface-device 0.6", "bench", "fw-uhid"),
    ("floor", "floor: hand-written class, static bytes", "bench", "fw-floor"),
]


class BenchError(Exception):
    pass


class Meter:
    def __init__(self, f):
        self.f, self.usb = f, f.board.usb
        self.stamps = []
        self.job = None
        self.usb.read_hooks[INTFLAG] = self.poll_started

    def poll_started(self):
        self.stamps.append(self.f.board.now)
        if self.job is not None:
            try:
                next(self.job)
            except StopIteration:
                self.job = None
                self.done_at = len(self.stamps)

    def idle_cost(self, iterations=40):
        start = len(self.stamps)
        while len(self.stamps) < start + iterations + 1:
            self.f.board.step()
        d = {b - a for a, b in zip(self.stamps[start:], self.stamps[start + 1:])}
        if len(d) != 1:
            raise BenchError(f"idle iterations differ in cost: {sorted(d)}")
        return d.pop()

    def measure(self, job, idle, settle=6, limit=2000):
        """Runs `job` (a generator: one step per poll) and returns its cost in instructions."""
        self.job, self.done_at = job, None
        start = len(self.stamps)
        while self.job is not None or len(self.stamps) < self.done_at + settle:
            self.f.board.step()
            if len(self.stamps) > start + limit:
                raise BenchError("operation did not finish within 2000 poll iterations")
        # Quiet again: the last iterations cost exactly the idle amount.
        tail = self.stamps[-settle:]
        if {b - a for a, b in zip(tail, tail[1:])} != {idle}:
            raise BenchError("the firmware did not return to idle after the operation")
        first = start  # the iteration whose start delivered the first packet
        spent = self.stamps[-1] - self.stamps[first]
        return spent - (len(self.stamps) - 1 - first) * idle


def control_in(usb, addr, mps, setup, out):
    """Host side of a control read, one transaction per poll start."""
    assert usb.setup(addr, setup) == "ACK"
    yield
    length = setup[6] | setup[7] << 8
    data = b""
    while True:
        r = usb.in_token(addr, 0)
        if r == "NAK":
            yield
            continue
        if r == "STALL":
            out["result"] = "STALL"
            return
        data += r[1]
        yield
        if len(r[1]) < mps or len(data) >= length:
            break
    while usb.out(addr, 0, b"", 1) != "ACK":
        yield
    out["result"] = data


def key_report(f, out):
    """Press D5, then poll the interrupt IN endpoint until the report comes."""
    f.press("D5")
    yield
    while True:
        r = f.board.usb.in_token(f.host.addr, 1)
        if isinstance(r, tuple):
            out["result"] = r[1]
            return
        yield


def measure_variant(path):
    f = Feather(path)
    f.host.enumerate()
    f.host.set_configuration(1)
    f.host.run_ms(2)
    f.board.slice_len = 1
    m = Meter(f)
    idle = m.idle_cost()
    rows = {"idle": (idle, "")}
    addr = f.host.addr
    for key, setup in (("config", setup_packet(0x80, 6, 0x0200, 0, 255)),
                       ("get_report", setup_packet(0xA1, 0x01, 0x0100, 0, 8))):
        out = {}
        cost = m.measure(control_in(m.usb, addr, f.host.mps0, setup, out), idle)
        r = out.get("result")
        rows[key] = (cost, "STALL" if r == "STALL" else f"{len(r)} B")
    out = {}
    rows["input"] = (m.measure(key_report(f, out), idle), f"{len(out['result'])} B")
    if f.unknown_accesses():
        raise BenchError(f"{path}: unmodelled register accesses: {f.unknown_accesses()}")
    return rows


def table(results):
    base = results.get("usbdesc")
    ops = [("idle", "idle main-loop iteration (poll + button + LED)"),
           ("config", "GET_DESCRIPTOR(configuration), whole transfer"),
           ("get_report", "GET_REPORT(Input)"),
           ("input", "input report: key change to report taken by the host")]
    head = "| operation | " + " | ".join(k for k in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for op, label in ops:
        cells = []
        for k, rows in results.items():
            n, note = rows[op]
            ratio = f" ({n / base[op][0]:.2f}×)" if base and base[op][0] and k != "usbdesc" else ""
            cells.append(f"{n:,}{ratio}" + (f" [{note}]" if note else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(a):
    fw = Path(a.firmware_dir or os.environ.get("USBDESC_FIRMWARE_DIR") or ROOT / "firmware/target/thumbv6m-none-eabi/release")
    bench = Path(a.bench_dir or ROOT / "bench/target/thumbv6m-none-eabi/release")
    results, labels = {}, []
    for key, label, ws, binary in VARIANTS:
        path = (fw if ws == "firmware" else bench) / binary
        if not path.is_file():
            raise OSError(f"{path} is not built (scripts/firmware.sh; bench/: cargo xtask bench)")
        results[key] = measure_variant(str(path))
        labels.append(f"- `{key}`: {label} (`{ws}/.../{binary}`)")
    text = (table(results) + "\n\nCortex-M0 instructions (exact, deterministic), ratios to `usbdesc`; [n B] what the "
            "host got, [STALL] a refused request. Variants:\n" + "\n".join(labels) + "\n")
    if a.out:
        Path(a.out).write_text(text)
    print(text)
    return 0
