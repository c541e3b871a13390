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
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402  (boot, build_initramfs, kernel_layout)


def parse(text):
    """Per id: verdict, ms, kernel log lines, rdesc lines."""
    out = {}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = re.match(r"^HV (\d+) (\S+) (\d+)", line)
        if m:
            out.setdefault(int(m[1]), {"log": [], "rdesc": []}).update(verdict=m[2], ms=int(m[3]))
            continue
        m = re.match(r"^HV(L|R) (\d+) ?(.*)$", line)
        if m:
            e = out.setdefault(int(m[2]), {"log": [], "rdesc": []})
            e["log" if m[1] == "L" else "rdesc"].append(m[3])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--krel", required=True)
    ap.add_argument("--base-initramfs", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=1200)
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    plan_dir = os.path.join(work, "hid-plan")
    shutil.rmtree(plan_dir, ignore_errors=True)
    os.makedirs(plan_dir)
    shutil.copy(args.bundle, os.path.join(plan_dir, "hid.bundle"))
    with open(os.path.join(plan_dir, "plan.sh"), "w") as f:
        f.write("uhidq /hid.bundle\n")
    initrd = os.path.join(work, "hid-initramfs.cpio.gz")
    driver.build_initramfs(args.base_initramfs, plan_dir, initrd)
    console = os.path.join(work, "hid-console.log")
    rc, boot_s = driver.boot(args, initrd, console)
    text = open(console, encoding="utf-8", errors="replace").read()
    m = re.search(r"^HVDONE (\d+)", text, re.M)
    if not m:
        print(text[-3000:])
        sys.exit(f"hid_verdicts: FATAL: guest did not finish (qemu rc={rc}); console in {console}")
    seen = parse(text)
    keys = {}
    with open(os.path.join(os.path.dirname(os.path.abspath(args.bundle)), "hid.index")) as f:
        for line in f:
            i, key, _source = line.rstrip("\n").split("\t", 2)
            keys[int(i)] = key
    with open(args.out, "w") as f:
        f.write(json.dumps({"kernel": args.krel}) + "\n")
        for i, e in sorted(seen.items()):
            fields = [list(t) for t in driver.kernel_layout(e["rdesc"])] if e.get("verdict") == "accepted" else []
            f.write(json.dumps({"id": i, "key": keys.get(i), "verdict": e.get("verdict", "missing"), "ms": e.get("ms"),
                                "log": e["log"], "fields": fields}) + "\n")
    counts = {}
    for e in seen.values():
        counts[e.get("verdict")] = counts.get(e.get("verdict"), 0) + 1
    print(f"hid_verdicts: {m[1]} descriptors in {boot_s:.0f}s of QEMU: {counts}", flush=True)


if __name__ == "__main__":
    main()
