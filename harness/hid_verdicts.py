#!/usr/bin/env python3
"""HID verdict mode of the real-kernel harness (stdlib only).

Boots the guest once with a bundle of report descriptors (`cargo xtask verdicts hid-bundle`) and the
static helper `uhidq`, which feeds each one to the kernel through /dev/uhid and prints what happened
(HV/HVL/HVR lines, see harness/uhidq.c). Writes one JSON line per descriptor to OUT:
  {"id": N, "key": K, "verdict": "accepted|rejected|timeout|refused", "ms": .., "log": [kernel lines],
   "fields": [[kind, id, size, count, offset, min, max], ...]}   (fields: the kernel's own parse)
and a first line {"kernel": "<release>"}. The host judges (cargo xtask verdicts hid-check).
"""
import argparse
import json
import os
import re
import shutil
import threading
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402  (boot, build_initramfs, kernel_layout)


USB_PORT_BASE = 41000

# Guest side of the USB confirmation: attach, wait for usbhid's verdict, print it, detach.
USB_VERDICT_SH = r"""
usb_verdict() { # KEY PORT: asks the host to serve KEY on PORT, attaches, waits for usbhid's verdict
  dmesg -c > /dev/null
  echo "HVUWANT $1 $2"
  n=0
  until uattach attach 10.0.2.2 "$2" 1-1 > /tmp/ua 2>&1; do
    n=$((n+1))
    if [ $n -ge 100 ]; then echo "HVU $1 attach-failed nohidraw"; sed "s/^/HVUL $1 /" /tmp/ua; return; fi
    sleep 0.1
  done
  i=/sys/bus/usb/devices/1-1:1.0; n=0
  while [ $n -lt 200 ]; do
    [ -e $i/driver ] && [ -n "$(ls $i/*/hidraw 2>/dev/null)" ] && break
    dmesg | grep -q "probe of 1-1:1.0 failed" && break
    n=$((n+1)); sleep 0.05
  done
  drv=none; [ -e $i/driver ] && drv=$(basename "$(readlink $i/driver)")
  [ -e /sys/bus/usb/devices/1-1 ] || drv=absent
  raw=$(ls $i/*/hidraw 2>/dev/null | head -1)
  echo "HVU $1 $drv ${raw:-nohidraw}"
  dmesg -c | sed "s/^/HVUL $1 /"
  uattach detach > /dev/null 2>&1
  n=0; while [ -e /sys/bus/usb/devices/1-1 ] && [ $n -lt 100 ]; do n=$((n+1)); sleep 0.05; done
}
"""


class UsbDevices:
    """Serves, one at a time, the descriptors the guest asks for (`HVUWANT KEY PORT` on its
    console): `usbdesc serve` of DIR/KEY.toml on PORT. One device process at a time keeps the
    host's cores for QEMU."""

    def __init__(self, usbdesc, usb_dir, console):
        self.usbdesc, self.usb_dir, self.console = usbdesc, usb_dir, console
        self.proc, self.stopping = None, False
        self.thread = threading.Thread(target=self.run, daemon=True)

    def keys(self):
        if not os.path.isdir(self.usb_dir):
            return []
        return sorted(f[:-len(".toml")] for f in os.listdir(self.usb_dir) if f.endswith(".toml"))

    def run(self):
        pos, buf = 0, b""
        while not self.stopping:
            try:
                with open(self.console, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
            except FileNotFoundError:
                chunk = b""
            pos += len(chunk)
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                m = re.match(rb"^HVUWANT (\S+) (\d+)", line.strip())
                if m:
                    self.serve(m[1].decode(), int(m[2]))
            time.sleep(0.05)

    def serve(self, key, port):
        self.stop_one()
        self.proc = subprocess.Popen([self.usbdesc, "serve", os.path.join(self.usb_dir, key + ".toml"),
                                      "--listen", f"127.0.0.1:{port}"],
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_one(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.thread.join()
        self.stop_one()


def parse(text):
    """Per id: verdict, ms, kernel log lines, rdesc lines; per key: the USB verdict."""
    out, usb = {}, {}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = re.match(r"^HV (\d+) (\S+) (\d+)", line)
        if m:
            out.setdefault(int(m[1]), {"log": [], "rdesc": []}).update(verdict=m[2], ms=int(m[3]))
            continue
        m = re.match(r"^HVU (\S+) (\S+) (\S+)", line)
        if m:
            # usbhid bound but no hidraw node: hid-core refused the device behind the interface.
            drv = "usbhid-nohidraw" if m[2] == "usbhid" and m[3] == "nohidraw" else m[2]
            usb[m[1]] = {"driver": drv, "log": []}
            continue
        m = re.match(r"^HVUL (\S+) (.*)$", line)
        if m and m[1] in usb:
            usb[m[1]]["log"].append(m[2])
            continue
        m = re.match(r"^HV(L|R) (\d+) ?(.*)$", line)
        if m:
            e = out.setdefault(int(m[2]), {"log": [], "rdesc": []})
            e["log" if m[1] == "L" else "rdesc"].append(m[3])
    return out, usb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--krel", required=True)
    ap.add_argument("--base-initramfs", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--usbdesc", required=True, help="the usbdesc CLI (serves the USB confirmations)")
    ap.add_argument("--timeout", type=float, default=1200)
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    plan_dir = os.path.join(work, "hid-plan")
    shutil.rmtree(plan_dir, ignore_errors=True)
    os.makedirs(plan_dir)
    shutil.copy(args.bundle, os.path.join(plan_dir, "hid.bundle"))
    console = os.path.join(work, "hid-console.log")
    usb = UsbDevices(args.usbdesc, os.path.join(os.path.dirname(os.path.abspath(args.bundle)), "usb"), console)
    with open(os.path.join(plan_dir, "plan.sh"), "w") as f:
        f.write("uhidq /hid.bundle\n" + USB_VERDICT_SH)
        for n, key in enumerate(usb.keys()):
            f.write(f"usb_verdict {key} {USB_PORT_BASE + n}\n")
        f.write("echo HVUDONE\n")
    initrd = os.path.join(work, "hid-initramfs.cpio.gz")
    driver.build_initramfs(args.base_initramfs, plan_dir, initrd)
    if os.path.exists(console):
        os.remove(console)
    with usb:
        rc, boot_s = driver.boot(args, initrd, console)
    text = open(console, encoding="utf-8", errors="replace").read()
    m = re.search(r"^HVDONE (\d+)", text, re.M)
    if not m or not re.search(r"^HVUDONE", text, re.M):
        print(text[-3000:])
        sys.exit(f"hid_verdicts: FATAL: guest did not finish (qemu rc={rc}); console in {console}")
    seen, usb = parse(text)
    keys = {}
    with open(os.path.join(os.path.dirname(os.path.abspath(args.bundle)), "hid.index")) as f:
        for line in f:
            i, key, _source = line.rstrip("\n").split("\t", 2)
            keys[int(i)] = key
    with open(args.out, "w") as f:
        f.write(json.dumps({"kernel": args.krel}) + "\n")
        for i, e in sorted(seen.items()):
            fields = [list(t) for t in driver.kernel_layout(e["rdesc"])] if e.get("verdict") == "accepted" else []
            u = usb.get(keys.get(i))
            f.write(json.dumps({"id": i, "key": keys.get(i), "verdict": e.get("verdict", "missing"), "ms": e.get("ms"),
                                "log": e["log"] + (u["log"] if u else []), "fields": fields,
                                "usb": u["driver"] if u else None}) + "\n")
    counts = {}
    for e in seen.values():
        counts[e.get("verdict")] = counts.get(e.get("verdict"), 0) + 1
    bound = sum(1 for u in usb.values() if u["driver"] == "usbhid")
    print(f"hid_verdicts: {m[1]} descriptors in {boot_s:.0f}s of QEMU: {counts}; over USB/IP {len(usb)} "
          f"(usbhid bound {bound})", flush=True)


if __name__ == "__main__":
    main()
