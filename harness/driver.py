#!/usr/bin/env python3
"""Host side of the real-kernel harness (stdlib only).

Starts one device process per device (each serves USB/IP on its own port and writes an expectations
JSON), writes the guest's /plan.sh, boots one QEMU TCG guest for all of them, then compares what the
guest observed (OBS/RDESC/DMESG lines on the serial console) with the expectations. Prints
`CHECK <device> <name> PASS|FAIL <detail>` lines and a summary; exits 1 on any unexpected result.
A device whose expectations say "expect_reject" must FAIL its descriptor and binding checks: that is
the harness proving it can fail.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time


def log(msg):
    print(msg, flush=True)


def start_devices(args, work):
    procs, exps = {}, {}
    for name in args.devices:
        exp_path = os.path.join(work, f"{name}.json")
        if os.path.exists(exp_path):
            os.remove(exp_path)
        cmd = args.device_cmd + [name, "--listen", "127.0.0.1:0", "--expect", exp_path]
        procs[name] = subprocess.Popen(
            cmd,
            stdout=open(os.path.join(work, f"{name}.events"), "w"),
            stderr=open(os.path.join(work, f"{name}.stderr"), "w"),
            stdin=subprocess.DEVNULL,
        )
    deadline = time.time() + 30
    for name in args.devices:
        exp_path = os.path.join(work, f"{name}.json")
        while not os.path.exists(exp_path):
            if procs[name].poll() is not None or time.time() > deadline:
                stop(procs)
                sys.exit(f"realhost: FATAL: device process {name} wrote no expectations "
                         f"(see {work}/{name}.stderr)")
            time.sleep(0.05)
        with open(exp_path) as f:
            exps[name] = json.load(f)
    return procs, exps


def stop(procs):
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
    for p in procs.values():
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()


def write_plan(exps, plan_dir):
    lines = []
    os.makedirs(os.path.join(plan_dir, "data"), exist_ok=True)
    for name, e in exps.items():
        lines.append(device_line(name, e))
        for h in e["hid"]:
            i = h["interface"]
            lines.append(f"input {i} 64")
            if h.get("output_write"):
                lines.append(f"output {i} {h['output_write']}")
            for feat in h["features"]:
                lines.append(f"getf {i} {feat['id']} {len(feat['data']) // 2}")
            if h.get("feature_set"):
                lines.append(f"setf {i} {h['feature_set']}")
            if h.get("missing_id") is not None:
                lines.append(f"missing {i} {h['missing_id']}")
            # HIDIOCSFEATURE with 200 bytes (a declared feature ID first, if any): more than
            # usb-device's 128-byte control buffer.
            if h.get("long_set_feature_errno", EPIPE) is not None:
                long_id = h["features"][0]["id"] if h["features"] else 0
                lines.append(f"setf_long {i} {long_id:02x}{'5a' * (LONG_FEATURE - 1)}")
        if "cdc_acm" in e["drivers"]:
            lines.append(f"serial_echo {SERIAL_ECHO.hex()}")
        if e.get("bos"):
            lines += bos_plan(e)
        lines.append("end_device")
    # Re-import a device after its detach: a new session on the same server process.
    first = reattached(exps)
    lines.append(device_line(first["device"] + AGAIN, first))
    if first["hid"]:
        lines.append(f"input {first['hid'][0]['interface']} 64")
    lines.append("end_device")
    with open(os.path.join(plan_dir, "plan.sh"), "w") as f:
        f.write("\n".join(lines) + "\n")


def device_line(name, e):
    """`device NAME PORT [FLAGS]`: no driver to wait for (vendor interfaces: settled when
    configured); usbmon records the kernel's own BOS requests while it enumerates."""
    flags = (["nodriver"] if not e["drivers"] else []) + (["usbmon"] if e.get("bos") else [])
    return " ".join([f"device {name} {e['port']}"] + flags)


def bos_plan(e):
    """Control reads through usbfs (harness/ctrlq.c, arguments in hex): the BOS as the kernel reads
    it (the 5-byte header, then wTotalLength), each vendor descriptor with a one-page wLength (the
    device must end the data stage short, at exactly the compiled length), one vendor request the
    device must STALL, and the first vendor descriptor again (EP0 recovered from the STALL)."""
    bos = bytes.fromhex(e["bos"])
    lines = [f"ctrl bos_header 80 06 0f00 0000 {BOS_HEADER:x}", f"ctrl bos 80 06 0f00 0000 {len(bos):x}"]
    vendor = lambda key, v: f"ctrl {key} c0 {v['request']:x} {v['value']:x} {v['index']:x} {VENDOR_WLENGTH:x}"
    lines += [vendor(f"vendor_{v['name']}", v) for v in e["vendor"]]
    if e.get("vendor_stall"):
        lines.append(vendor("vendor_stall", e["vendor_stall"]))
        if e["vendor"]:
            lines.append(vendor("vendor_after_stall", e["vendor"][0]))
    return lines


AGAIN = ".again"


def reattached(exps):
    """The device imported a second time: the first with a HID interface (its reports are read
    again), else the first."""
    return next((e for e in exps.values() if e["hid"]), next(iter(exps.values())))


# USB_DT_BOS_SIZE: the kernel's first BOS read; usbfs allows one page of control data.
BOS_HEADER = 5
VENDOR_WLENGTH = 4096
EPIPE = 32

# SET_REPORT(Feature) data stage length of the setf_long check.
LONG_FEATURE = 200

# 100 bytes: more than one 64-byte bulk packet each way.
SERIAL_ECHO = bytes((i * 7 + 3) & 0x7F or 1 for i in range(100))


def build_initramfs(base, plan_dir, out):
    files = subprocess.run(["find", "."], cwd=plan_dir, capture_output=True, text=True, check=True).stdout
    archive = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=plan_dir, input=files.encode(),
                             capture_output=True, check=True).stdout
    with open(out, "wb") as f:
        with open(base, "rb") as b:
            shutil.copyfileobj(b, f)
        f.write(gzip.compress(archive, compresslevel=1))


def boot(args, initrd, console_path):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "1", "-nographic", "-no-reboot",
           "-kernel", args.kernel, "-initrd", initrd,
           "-append", "console=ttyS0 loglevel=1 panic=-1",
           "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile="]
    t0 = time.time()
    with open(console_path, "wb") as out:
        try:
            rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    return rc, time.time() - t0


def parse_console(text):
    obs, rdesc, dmesg, marks = {}, {}, {}, {}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = re.match(r"^OBS (\S+) (\S+) ?(.*)$", line)
        if m:
            obs.setdefault(m[1], []).append((m[2], m[3]))
            continue
        m = re.match(r"^RDESC (\S+) (\d+) ?(.*)$", line)
        if m:
            rdesc.setdefault((m[1], int(m[2])), []).append(m[3])
            continue
        m = re.match(r"^DMESG (\S+) (.*)$", line)
        if m:
            dmesg.setdefault(m[1], []).append(m[2])
            continue
        m = re.match(r"^HARNESS (\S+) (.*)$", line)
        if m:
            marks[m[1]] = m[2]
    return obs, rdesc, dmesg, marks


def kernel_layout(lines):
    """Fields from the kernel's debugfs dump: (kind, id, size, count, offset, min, max)."""
    fields, report, cur = [], None, None
    for line in lines:
        s = line.strip()
        m = re.match(r"^(INPUT|OUTPUT|FEATURE)(?:\((\d+)\))?\[(INPUT|OUTPUT|FEATURE)\]$", s)
        if m:
            report = (m[1], int(m[2] or 0))
            continue
        if re.match(r"^Field\(\d+\)$", s) and report:
            cur = {"kind": report[0], "id": report[1]}
            fields.append(cur)
            continue
        m = re.match(r"^(Logical Minimum|Logical Maximum|Report Size|Report Count|Report Offset)\((-?\d+)\)$", s)
        if m and cur is not None:
            key = {"Logical Minimum": "min", "Logical Maximum": "max", "Report Size": "size",
                   "Report Count": "count", "Report Offset": "offset"}[m[1]]
            cur[key] = int(m[2])
    keys = ("kind", "id", "size", "count", "offset", "min", "max")
    return sorted(tuple(f.get(k) for k in keys) for f in fields)


def parse_kv(s):
    return dict(kv.split("=", 1) for kv in s.split() if "=" in kv)


class Checks:
    def __init__(self, device):
        self.device, self.results = device, []

    def check(self, name, ok, detail=""):
        self.results.append((name, bool(ok)))
        log(f"CHECK {self.device} {name} {'PASS' if ok else 'FAIL'} {detail}".rstrip())

    def eq(self, name, got, want):
        self.check(name, got == want, "" if got == want else f"got {got!r} want {want!r}")

    def failed(self):
        return {n for n, ok in self.results if not ok}


def check_device(name, e, obs, rdesc, dmesg, events):
    c = Checks(name)
    o = {}
    multi = {}
    for k, v in obs.get(name, []):
        o.setdefault(k, v)
        multi.setdefault(k, []).append(v)
    att = o.get("attached", "none").split()
    c.check("enumerated", att and att[0] != "none", " ".join(att))
    if len(att) == 3:
        log(f"TIME {name} attach-to-settled {float(att[2]) - float(att[1]):.2f}s")
    c.eq("descriptors", o.get("descriptors"), e["descriptors"])
    for s in ("manufacturer", "product", "serial"):
        c.eq(f"string_{s}", o.get(f"string_{s}"), e["strings"][s])
    drivers = {}
    for v in multi.get("driver", []):
        n, d = v.split()
        drivers[int(n)] = d
    bound = sorted(set(drivers.values()) - {"none"})
    # A device no guest driver serves (vendor interfaces) must still show its interfaces, unbound.
    unbound_ok = not e["drivers"] or "none" not in drivers.values()
    c.check("drivers", drivers and unbound_ok and bound == sorted(e["drivers"]),
            f"bound {drivers} want {sorted(e['drivers'])}")
    log_text = "\n".join(dmesg.get(name, []))
    for d in e["drivers"]:
        pattern = DMESG_BOUND.get(d)
        if pattern:
            c.check(f"dmesg_{d}", re.search(pattern, log_text), "")
    if e.get("audio"):
        check_audio(c, e["audio"], o, multi)
    rd = {}
    for v in multi.get("report_descriptor", []):
        n, h = (v.split() + [""])[:2]
        rd[int(n)] = h
    ev = [l.strip() for l in events]
    for h in e["hid"]:
        i = h["interface"]
        c.eq(f"if{i}_report_descriptor", rd.get(i), h["report_descriptor"])
        want = sorted(tuple(f[k] for k in ("kind", "id", "size", "count", "offset", "min", "max")) for f in h["layout"])
        got = kernel_layout(rdesc.get((name, i), []))
        c.check(f"if{i}_kernel_layout", got == want and got, "" if got == want else f"kernel {got} ours {want}")
        for v in multi.get("input", []):
            n, rest = v.split(" ", 1)
            if int(n) == i:
                check_input(c, h, parse_kv(rest).get("data"))
        if h.get("output_write"):
            r = next((parse_kv(v.split(" ", 1)[1]) for v in multi.get("output", []) if int(v.split()[0]) == i), {})
            got_ev = f"OUTPUT {h['output_expect']}" in ev
            c.check(f"if{i}_output_report", r.get("rc") == str(len(h["output_write"]) // 2) and got_ev,
                    f"write {r} device saw {[x for x in ev if x.startswith('OUTPUT')]}")
        for feat in h["features"]:
            r = next((parse_kv(v.split(" ", 2)[2]) for v in multi.get("getf", [])
                      if v.split()[:2] == [str(i), str(feat["id"])]), {})
            c.check(f"if{i}_get_feature_{feat['id']}", r.get("data") == feat["data"] and r.get("rc") == str(len(feat["data"]) // 2),
                    f"got {r} want {feat['data']}")
        if h.get("feature_set"):
            r = next((parse_kv(v.split(" ", 1)[1]) for v in multi.get("setf", []) if int(v.split()[0]) == i), {})
            fs = h["feature_set"]
            want_ev = f"SET_REPORT 3 {int(fs[:2], 16)} {fs}"
            c.check(f"if{i}_set_feature", r.get("rc") == str(len(fs) // 2) and want_ev in ev,
                    f"ioctl {r} device saw {[x for x in ev if x.startswith('SET_REPORT')]} want {want_ev!r}")
        if h.get("missing_id") is not None:
            r = next((parse_kv(v.split(" ", 2)[2]) for v in multi.get("missing", []) if int(v.split()[0]) == i), {})
            fast = float(r.get("ms", "1e9")) < 1000
            c.check(f"if{i}_missing_id_epipe", r.get("rc") == "-1" and r.get("errno") == "32" and fast,
                    f"{r} (want rc=-1 errno=32 (EPIPE) in < 1000 ms)")
        r = next((parse_kv(v.split(" ", 1)[1]) for v in multi.get("setf_long", []) if int(v.split()[0]) == i), {})
        check_long_set_feature(c, h, r)
    if "uvcvideo" in e["drivers"]:
        check_video(c, e, multi.get("video", []), log_text)
    if "cdc_acm" in e["drivers"]:
        c.eq("serial_echo", o.get("serial_echo"), SERIAL_ECHO.hex())
    if e.get("bos"):
        check_bos(c, e, multi, log_text)
    c.check("detached", o.get("detached", "").startswith("yes"), o.get("detached", ""))
    return c


# What a driver logs when it binds (snd-usb-audio logs nothing then: see check_audio).
DMESG_BOUND = {"usbhid": r"hid-generic \S+: .*USB HID v\d", "cdc_acm": r"cdc_acm \S+: ttyACM\d+: USB ACM device",
               "uvcvideo": r"Found UVC \d+\.\d\d device"}


def check_audio(c, a, o, multi):
    """snd-usb-audio made a sound card of the device (/proc/asound/cards names it) and read the
    declared sampling frequencies from its clock source (the RANGE request: /proc/asound/card*/
    stream* lists them per streaming alternate setting)."""
    cards = o.get("asound_cards", "")
    c.check("asound_card", a["card"] in cards, f"cards: {cards!r} want {a['card']!r}")
    rates = sorted({int(r) for v in multi.get("asound_rates", []) for r in re.findall(r"\d+", v)})
    c.check("asound_rates", rates == sorted(a["rates"]), f"kernel {rates} declared {sorted(a['rates'])}")


def check_video(c, e, nodes, log_text):
    """uvcvideo registered a video node, its descriptor trace (trace=6, harness/init) lists every
    declared frame with its default rate (`- WxH (F.f fps)` under `Found format ...`), and no
    class request it sent while binding failed (probe/commit, controls)."""
    c.check("video_nodes", nodes, " ".join(nodes))
    parsed = re.findall(r"- (\d+x\d+ \(\d+\.\d fps\))", log_text)
    c.eq("video_frames", parsed, e["video_frames"])
    failed = re.findall(r".*(?:Failed to|UVC non compliance).*", log_text)
    c.check("video_requests", not failed, " | ".join(failed[:3]))


# What usbcore logs when a BOS is refused or cut short (drivers/usb/core/config.c,
# usb_get_bos_descriptor: "unable to get BOS descriptor or descriptor too short", "unable to get
# BOS descriptor set", "descriptor type invalid, skip"; hub.c: "skipping BOS descriptor"), and the
# per-capability length message of newer kernels. A capability shorter than its type's minimum
# length is dropped silently by 6.1 (bNumDeviceCaps cut): the byte checks below catch that.
BOS_COMPLAINT = re.compile(r".*(?:\bBOS\b|descriptor type invalid|capability type .*too short).*", re.I)


def check_bos(c, e, multi, log_text):
    """The kernel read the BOS itself while enumerating (usbmon: GET_DESCRIPTOR(BOS) of wTotalLength
    bytes completed with status 0, data as compiled) and logged no complaint about it; through
    usbfs the device answers GET_DESCRIPTOR(BOS) and every vendor request with the compiled bytes
    and STALLs an unknown one (EPIPE at once, not a timeout), and EP0 works after the STALL."""
    bos = e["bos"]
    # usbmon text: `TAG TS S Ci:B:DDD:0 s 80 06 0f00 0000 WLEN N <` then `TAG TS C Ci:... STATUS LEN = DATA`
    # (a tag is the URB's address, reused: pair each completion with the last submission).
    pending, done = {}, []
    for f in (l.split() for l in multi.get("usbmon_bos", [])):
        if len(f) >= 10 and f[2] == "S":
            pending[f[0]] = int(f[9], 16)
        elif len(f) >= 6 and f[2] == "C" and f[0] in pending:
            data = "".join(f[7:]) if len(f) > 6 and f[6] == "=" else ""
            done.append((pending.pop(f[0]), f[4], int(f[5]) if f[5].isdigit() else -1, data))
    want_len = len(bos) // 2
    full = [d for d in done if d[0] == want_len]
    ok = any(st == "0" and n == want_len and data and bos.startswith(data) for _, st, n, data in full)
    c.check("kernel_bos_request", ok, f"usbmon {done} want wLength {want_len} status 0 data {bos[:64]}...")
    complaints = BOS_COMPLAINT.findall(log_text)
    c.check("dmesg_bos", not complaints, " | ".join(complaints[:3]))
    ctrl = {}
    for v in multi.get("ctrl", []):
        k, rest = (v.split(" ", 1) + [""])[:2]
        ctrl.setdefault(k, parse_kv(rest))

    def read(key, want):
        r = ctrl.get(key, {})
        c.check(key, r.get("data") == want and r.get("rc") == str(len(want) // 2), f"got {r} want {want}")

    read("bos_header", bos[:2 * BOS_HEADER])
    read("bos", bos)
    for v in e["vendor"]:
        read(f"vendor_{v['name']}", v["bytes"])
    if e.get("vendor_stall"):
        r = ctrl.get("vendor_stall", {})
        fast = float(r.get("ms", "1e9")) < 1000
        c.check("vendor_stall_epipe", r.get("rc") == "-1" and r.get("errno") == "32" and fast,
                f"{r} (want rc=-1 errno=32 (EPIPE) in < 1000 ms for {e['vendor_stall']})")
        if e["vendor"]:
            read("vendor_after_stall", e["vendor"][0]["bytes"])


def check_input(c, h, got):
    """`input` is the report the device sends, or a list of reports it alternates between (an
    emulated firmware sends on key changes, so the first report hidraw reads is either), or None
    for a firmware with one key: its one report goes to whoever polls first (the VT keyboard
    handler), so hidraw's first read is not defined; emu/tests check those reports instead."""
    if h["input"] is None:  # a firmware that sends once per key press (emu/README.md)
        return
    want = h["input"] if isinstance(h["input"], list) else [h["input"]]
    c.check(f"if{h['interface']}_input_report", got in want, "" if got in want else f"got {got!r} want one of {want}")


def check_long_set_feature(c, h, r):
    """EPIPE at once from usb-device's 128-byte buffer on a host bus; an emulated SAMD21 firmware
    says `long_set_feature_errno: 110`: atsamd-hal's read of the discarded packet fails, usb-device
    never STALLs, the kernel times out (usbdesc-runtime docs; emu/README.md)."""
    errno = h.get("long_set_feature_errno", EPIPE)
    if errno is None:
        return
    i = h["interface"]
    if errno == EPIPE:
        fast = float(r.get("ms", "1e9")) < 1000
        c.check(f"if{i}_long_set_feature_epipe", r.get("rc") == "-1" and r.get("errno") == "32" and fast,
                f"{r} (want rc=-1 errno=32 (EPIPE) in < 1000 ms for {LONG_FEATURE} bytes)")
    else:
        c.check(f"if{i}_long_set_feature_errno_{errno}", r.get("rc") == "-1" and r.get("errno") == str(errno),
                f"{r} (want rc=-1 errno={errno} for {LONG_FEATURE} bytes)")


def check_reattach(name, e, obs):
    """Second import of a device after detach: enumerates again and still streams reports."""
    c = Checks(name)
    o = {}
    for k, v in obs.get(name, []):
        o.setdefault(k, v)
    c.check("enumerated", o.get("attached", "none").split()[0] != "none", o.get("attached", ""))
    c.eq("descriptors", o.get("descriptors"), e["descriptors"])
    if e["hid"]:
        got = next((parse_kv(v.split(" ", 1)[1]).get("data") for k, v in obs.get(name, []) if k == "input"), None)
        check_input(c, e["hid"][0], got)
    c.check("detached", o.get("detached", "").startswith("yes"), o.get("detached", ""))
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--base-initramfs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--timeout", type=float, default=150)
    ap.add_argument("--devices", required=True, help="comma-separated device names")
    ap.add_argument("device_cmd", nargs="+", help="command that serves one device: CMD NAME --listen A --expect F")
    args = ap.parse_args()
    args.devices = args.devices.split(",")
    t_start = time.time()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    procs, exps = start_devices(args, work)
    try:
        plan_dir = os.path.join(work, "plan")
        shutil.rmtree(plan_dir, ignore_errors=True)
        write_plan(exps, plan_dir)
        initrd = os.path.join(work, "initramfs.cpio.gz")
        build_initramfs(args.base_initramfs, plan_dir, initrd)
        console = os.path.join(work, "console.log")
        rc, boot_s = boot(args, initrd, console)
    finally:
        stop(procs)
    text = open(console, encoding="utf-8", errors="replace").read()
    obs, rdesc, dmesg, marks = parse_console(text)
    if "done" not in marks:
        log(text[-4000:])
        sys.exit(f"realhost: FATAL: guest did not finish (qemu rc={rc}); console in {console}")
    failures = []
    for name, e in exps.items():
        events = open(os.path.join(work, f"{name}.events")).read().splitlines()
        c = check_device(name, e, obs, rdesc, dmesg, events)
        if e.get("expect_reject"):
            # The proof that the harness can fail: the kernel must have refused this device.
            must_fail = {"descriptors", "drivers"}
            missing = must_fail - c.failed()
            ok = not missing
            log(f"EXPECT {name} rejected-by-kernel {'PASS' if ok else 'FAIL'} "
                f"(failed as required: {sorted(must_fail & c.failed())}; kernel said: "
                f"{[l for l in dmesg.get(name, []) if re.search('config|interrupt|endpoint|descriptor', l)][:3]})")
            if not ok:
                failures.append(f"{name}: kernel accepted a broken descriptor ({sorted(missing)} passed)")
        else:
            failures += [f"{name}: {n}" for n in sorted(c.failed())]
    first = reattached(exps)
    again = check_reattach(first["device"] + AGAIN, first, obs)
    failures += [f"{first['device']}{AGAIN}: {n}" for n in sorted(again.failed())]
    total = time.time() - t_start
    log(f"TIME guest boot-to-ready {marks.get('ready', '?')}s, guest done at {marks.get('done', '?')}s, "
        f"qemu wall {boot_s:.1f}s, harness total {total:.1f}s, devices {len(exps)}")
    if failures:
        log("realhost: FAILED: " + "; ".join(failures))
        sys.exit(1)
    log(f"realhost: all {len(exps)} devices as expected")


if __name__ == "__main__":
    main()
