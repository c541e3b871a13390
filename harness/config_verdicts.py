#!/usr/bin/env python3
"""Configuration verdicts: the real kernel against `usbdesc lint`, one guest boot (stdlib only).

Starts the `config_verdicts` example (it builds every input blob: corpus, compiled examples,
mutants; lints each with the library; serves each over USB/IP on its own port and writes
inputs.json), boots the guest once with a plan that attaches the blobs one after another
(harness/config_verdicts.sh), then judges per blob what usbcore did:

  the kernel REJECTS a blob when the device is not configured, or an interface (alternate setting
  0) the blob declares is missing, or has fewer endpoints than the blob declares for it (usbcore
  skipped some), or keeps a non-isochronous endpoint of wMaxPacketSize 0 (no data can move), or
  usbcore skipped the remainder of the configuration after a bad bLength, or a driver the guest
  has for it (usbhid for HID, cdc_acm for CDC ACM) did not bind. Otherwise it ACCEPTS (possibly
  after logging and fixing things up).

Rule: lint has an error exactly when the kernel rejects. Disagreements fail the run unless the
input is on the allow-list (tests/verdicts/config-allow.tsv, each entry with its reason). The
observations are written as a verdict table (tests/verdicts/config.tsv layout); a blob whose
kernel verdict differs from the checked-in table is reported (a new kernel changed a verdict).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402  (build_initramfs, boot: one implementation)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TABLE = os.path.join(ROOT, "tests", "verdicts", "config.tsv")
ALLOW = os.path.join(ROOT, "tests", "verdicts", "config-allow.tsv")
COLUMNS = ["id", "hash", "kernel", "speed", "configured", "interfaces", "drivers", "kernel_rejects", "reason",
           "lint_errors", "messages", "hex"]


def log(msg):
    print(msg, flush=True)


def blob_hash(hexstr):
    return hashlib.sha256(bytes.fromhex(hexstr)).hexdigest()[:12]


def declared(blob):
    """What the first configuration declares, read by bLength from the end of its standard 9-byte
    header to the next configuration or the blob's end (bytes past a too small wTotalLength are
    declared too: the host never reads them): {interface number: {"class", "eps"}} for alternate
    setting 0, eps as (address, wMaxPacketSize, bmAttributes) (short interface and endpoint
    descriptors count: they are declared), and whether the walk stopped early (a descriptor with
    bLength < 2 or running past the end: the host skips the remainder)."""
    itfs, cur = {}, None
    if len(blob) < 27:
        return itfs, False
    end = len(blob)
    p = 27
    while p < end:
        n = blob[p]
        if n < 2 or p + n > end:
            return itfs, True
        t = blob[p + 1]
        if t == 2 and p >= 18 + (blob[20] | blob[21] << 8):
            break  # the next configuration (elsewhere a stray type 2 that the host skips)
        if t == 4 and n >= 4:
            cur = None
            if blob[p + 3] == 0 and blob[p + 2] not in itfs:
                cls = tuple(blob[p + 5:p + 8]) if n >= 8 else (0, 0, 0)
                cur = itfs[blob[p + 2]] = {"class": cls, "eps": []}
        elif t == 5 and n >= 3 and cur is not None:
            mps = blob[p + 4] | blob[p + 5] << 8 if n >= 6 else None
            cur["eps"].append((blob[p + 2], mps, blob[p + 3] if n >= 4 else 0))
        p += n
    return itfs, False


def expected_driver(cls):
    c, s, proto = cls
    if c == 3:
        return "usbhid"
    if c == 2 and s == 2 and proto <= 6:
        return "cdc_acm"
    return None


# usbcore, the hub and the drivers the guest has; anything else (e.g. clocksource under load) is noise.
SOURCE = re.compile(r"^(usb|hub|usbhid|hid-generic|cdc_acm)\b")
KEY = re.compile(r"config|interface|endpoint|descriptor|maxpacket|unable|can't|cannot|chopping|bInterval|"
                 r"duplicate|skipping|invalid|error|usbhid|hid-generic|cdc_acm|too short|different|ttyACM|hub")
NOISE = re.compile(r"New USB device|USB disconnect|SetAddress|vhci|usbip|Product:|Manufacturer:|SerialNumber:|"
                   r"new (full|high|low)-speed USB device number")


def messages(lines):
    out = []
    for raw in lines:
        s = re.sub(r"^\[\s*[\d.]+\]\s*", "", raw.strip())
        s = re.sub(r"\b\d+-\d+(\.\d+)*(:\d+\.\d+)?\b", "X", s)
        s = re.sub(r"\b[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{4}\.[0-9A-F]{4}\b", "HID", s)
        s = re.sub(r"hidraw\d+|input\d+|ttyACM\d+|usb\d+", lambda m: re.sub(r"\d+", "N", m[0]), s)
        s = re.sub(r"device number \d+", "device number N", s)
        if SOURCE.search(s) and KEY.search(s) and not NOISE.search(s) and s not in out:
            out.append(s)
    return out


def judge(blob, o):
    """(rejects, reason, configured, interfaces, drivers) from one blob's observations."""
    settled = o.get("settled", ["", "", "none"])
    present = settled[-1] != "none"
    value = (o.get("config") or [""])[0] if present else ""
    kitfs = {}
    for f in o.get("intfs", []):
        num, alt, nep, drv, eps = int(f[0], 16), int(f[1], 16), int(f[2], 16), f[3], f[4:]
        kitfs[num] = {"alt": alt, "numep": nep, "driver": drv, "eps": eps}
    interfaces = ",".join(f"{n}:{kitfs[n]['numep']}" for n in sorted(kitfs))
    drivers = ",".join(f"{n}={kitfs[n]['driver']}" for n in sorted(kitfs))
    if not present:
        return True, "not enumerated", "no", interfaces, drivers
    if value == "":
        return True, "not configured", "no", interfaces, drivers
    itfs, skipped = declared(blob)
    reasons = ["descriptors after a bad bLength skipped"] if skipped else []
    for num, d in sorted(itfs.items()):
        k = kitfs.get(num)
        if k is None:
            reasons.append(f"interface {num} missing")
            continue
        keps = len([e for e in k["eps"] if e != "ep_00"])
        if keps < len(d["eps"]):
            reasons.append(f"interface {num}: {keps} of {len(d['eps'])} endpoints")
        # Kept by usbcore ("invalid wMaxPacketSize 0") but a 0-byte packet moves no data.
        zero = [a for a, mps, attr in d["eps"] if mps == 0 and attr & 3 != 1]
        if zero:
            reasons.append(f"interface {num}: endpoint {zero[0]:#04x} has wMaxPacketSize 0")
        want = expected_driver(d["class"])
        if want and k["driver"] != want:
            reasons.append(f"interface {num}: {want} not bound")
    return bool(reasons), "; ".join(reasons) or "accepted", f"yes({value})", interfaces, drivers


def read_tsv(path):
    if not os.path.exists(path):
        return {}
    rows = {}
    with open(path) as f:
        head = None
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if head is None:
                head = cells
                continue
            rows[cells[0]] = dict(zip(head, cells))
    return rows


def write_table(path, rows, kernel):
    with open(path, "w") as f:
        f.write(f"# Configuration verdicts of the real Linux kernel ({kernel}), written by harness/config_verdicts.py\n")
        f.write("# (scripts/realhost.sh). kernel_rejects: device not configured, an interface or endpoint the blob\n")
        f.write("# declares missing, or usbhid/cdc_acm not bound. usbdesc-compiler/tests/config_verdicts.rs checks lint\n")
        f.write("# against it: a lint error exactly when kernel_rejects = yes (except tests/verdicts/config-allow.tsv).\n")
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]).replace("\t", " ") for c in COLUMNS) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--kernel-release", required=True)
    ap.add_argument("--base-initramfs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--device-cmd", required=True, help="the config_verdicts example binary")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--update", action="store_true", help="write the observations to tests/verdicts/config.tsv")
    ap.add_argument("--only", help="regex of input ids to run")
    ap.add_argument("--reuse-console", action="store_true",
                    help="judge the last run again (WORK/cv-inputs.json, WORK/cv-console.log) without booting")
    args = ap.parse_args()
    t_start = time.time()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    inputs_path = os.path.join(work, "cv-inputs.json")
    console = os.path.join(work, "cv-console.log")
    if args.reuse_console:
        inputs, rc, boot_s = json.load(open(inputs_path)), "reused", 0.0
    else:
        inputs, rc, boot_s = run_guest(args, work, inputs_path, console)
    judge_all(args, inputs, console, rc, boot_s, t_start)


def run_guest(args, work, inputs_path, console):
    """Starts the devices, boots the guest once; returns (inputs, qemu rc, qemu wall seconds)."""
    if os.path.exists(inputs_path):
        os.remove(inputs_path)
    proc = subprocess.Popen([args.device_cmd, "--root", ROOT, "--out", inputs_path],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "cv-devices.stderr"), "w"))
    try:
        deadline = time.time() + 60
        while not os.path.exists(inputs_path):
            if proc.poll() is not None or time.time() > deadline:
                sys.exit(f"realhost: FATAL: config_verdicts wrote no inputs (see {work}/cv-devices.stderr)")
            time.sleep(0.05)
        inputs = json.load(open(inputs_path))
        if args.only:
            inputs = [i for i in inputs if re.search(args.only, i["id"])]
        with open(inputs_path, "w") as f:
            json.dump(inputs, f)  # what the plan runs, in its order (for --reuse-console)
        plan_dir = os.path.join(work, "cv-plan")
        shutil.rmtree(plan_dir, ignore_errors=True)
        os.makedirs(plan_dir)
        with open(os.path.join(HERE, "config_verdicts.sh")) as f:
            plan = f.read()
        plan += "".join(f"blob {n} {i['port']}\n" for n, i in enumerate(inputs))
        with open(os.path.join(plan_dir, "plan.sh"), "w") as f:
            f.write(plan)
        initrd = os.path.join(work, "cv-initramfs.cpio.gz")
        driver.build_initramfs(args.base_initramfs, plan_dir, initrd)
        rc, boot_s = driver.boot(args, initrd, console)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    return inputs, rc, boot_s


def judge_all(args, inputs, console, rc, boot_s, t_start):
    """Judges every blob from the console log, compares with lint and the table, prints the result."""
    work = os.path.dirname(console)
    text = open(console, encoding="utf-8", errors="replace").read()
    obs, logs, marks = {}, {}, {}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = re.match(r"^CV (\d+) (\S+) ?(.*)$", line)
        if m:
            o = obs.setdefault(int(m[1]), {})
            if m[2] == "intf":
                o.setdefault("intfs", []).append(m[3].split())
            else:
                o[m[2]] = m[3].split() if m[2] == "settled" else [m[3]]
            continue
        m = re.match(r"^CVLOG (\d+) (.*)$", line)
        if m:
            logs.setdefault(int(m[1]), []).append(m[2])
            continue
        m = re.match(r"^HARNESS (\S+) (.*)$", line)
        if m:
            marks[m[1]] = m[2]
    if "done" not in marks:
        log(text[-3000:])
        sys.exit(f"realhost: FATAL: guest did not finish (qemu rc={rc}); console in {console}")
    allow = read_tsv(ALLOW)
    old = read_tsv(TABLE)
    rows, disagree, changed, allowed, settle = [], [], [], [], []
    for n, i in enumerate(inputs):
        blob = bytes.fromhex(i["hex"])
        o = obs.get(n, {})
        if "settled" not in o:
            disagree.append(f"{i['id']}: no observation")
            continue
        s = o["settled"]
        settle.append(float(s[1]) - float(s[0]))
        rejects, reason, configured, interfaces, drivers = judge(blob, o)
        msgs = messages(logs.get(n, []))
        lint_err = bool(i["lint_errors"])
        row = {"id": i["id"], "hash": blob_hash(i["hex"]), "kernel": args.kernel_release, "speed": i["speed"],
               "configured": configured, "interfaces": interfaces or "-", "drivers": drivers or "-",
               "kernel_rejects": "yes" if rejects else "no", "reason": reason,
               "lint_errors": ",".join(sorted(set(i["lint_errors"]))) or "-",
               "messages": " | ".join(msgs) or "-", "hex": i["hex"]}
        rows.append(row)
        prev = old.get(i["id"])
        if prev and prev.get("hash") == row["hash"] and prev.get("kernel_rejects") != row["kernel_rejects"]:
            changed.append(f"{i['id']}: table says kernel_rejects={prev['kernel_rejects']} ({prev.get('kernel')}), "
                           f"{args.kernel_release} says {row['kernel_rejects']} ({reason})")
        if lint_err != rejects:
            what = (f"{i['id']}: kernel {'rejects' if rejects else 'accepts'} ({reason}; {' | '.join(msgs[:4])}), "
                    f"lint errors {row['lint_errors']}, warnings {','.join(i['lint_warnings']) or '-'}")
            (allowed if i["id"] in allow else disagree).append(what)
    out_table = os.path.join(work, "config.tsv")
    write_table(out_table, rows, args.kernel_release)
    if args.update:
        write_table(TABLE, rows, args.kernel_release)
    for c in changed:
        log(f"VERDICT-CHANGED {c}")
    for a in allowed:
        log(f"ALLOWED {a}")
    for d in disagree:
        log(f"DISAGREE {d}")
    settle.sort()
    med = settle[len(settle) // 2] if settle else 0
    log(f"TIME config verdicts: {len(rows)} blobs, settle median {med:.2f}s max {max(settle, default=0):.2f}s, "
        f"qemu wall {boot_s:.1f}s, mode total {time.time() - t_start:.1f}s; table {out_table}")
    n_rej = sum(r["kernel_rejects"] == "yes" for r in rows)
    log(f"config verdicts: kernel rejects {n_rej}, accepts {len(rows) - n_rej}; "
        f"{len(changed)} verdicts changed vs {os.path.relpath(TABLE, ROOT)}")
    if disagree:
        log(f"realhost: FAILED: {len(disagree)} of {len(rows)} configurations: lint and kernel disagree")
        sys.exit(1)
    log(f"{len(rows)} configurations: lint and kernel agree on all"
        + (f" ({len(allowed)} on the allow-list)" if allowed else ""))


if __name__ == "__main__":
    main()
