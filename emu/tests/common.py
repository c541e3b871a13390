"""Where the tests find the firmware ELFs and the compiler's view of each device."""

import json
import os
import subprocess
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRMWARE = Path(os.environ.get("USBDESC_FIRMWARE_DIR", ROOT / "firmware/target/thumbv6m-none-eabi/release"))
BENCH = Path(os.environ.get("USBDESC_BENCH_DIR", ROOT / "bench/target/thumbv6m-none-eabi/release"))


def elf(directory, name):
    path = directory / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is not built: run scripts/firmware.sh (bench/: cargo xtask bench)")
    return str(path)


def usbdesc_bin():
    if "USBDESC_BIN" in os.environ:
        return os.environ["USBDESC_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / "debug/usbdesc"
    if not exe.is_file():
        subprocess.run(["cargo", "build", "-q", "--locked", "-p", "usbdesc-cli"], cwd=ROOT, check=True)
    return str(exe)


_compiled = {}


def compiled(toml):
    """`usbdesc build --emit json` of a TOML file (relative to the repository)."""
    if toml not in _compiled:
        out = subprocess.run([usbdesc_bin(), "build", "--emit", "json", str(ROOT / toml)],
                             check=True, capture_output=True, text=True).stdout
        _compiled[toml] = json.loads(out)
    return _compiled[toml]


def hexbytes(s):
    return bytes.fromhex(s.replace(" ", ""))
