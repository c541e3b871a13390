#!/usr/bin/env bash
# Real Linux kernel acceptance harness: serves each example device over USB/IP and checks, inside a
# QEMU TCG guest running Debian's standard kernel, that the kernel sees exactly what we declared.
# Installs what it needs (apt-get); fails loudly, never skips. See harness/README.md.
# Env: REALHOST_DEVICES (comma list), REALHOST_DEVICE_CMD (device server command, default: the
# usbdesc-usbip harness_serve example: `usbdesc serve` of the example TOML devices), REALHOST_WORK (output dir),
# REALHOST_SKIP_VERDICTS=1 (stop after the devices: no HID or configuration verdict boots).
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$(date +%s)
CACHE=target/realhost-cache
WORK=${REALHOST_WORK:-target/realhost}
# fw-*: the firmware users flash (firmware/; bench/ peers fw-floor, fw-usbd-hid, fw-uhid), run in the emulated Feather M0 (emu/);
# *-mpy: the generated MicroPython module running in MicroPython (WebAssembly port) behind mpy_bridge.
# uvc-camera: UVC (examples/uvc-camera.toml), uvcvideo must bind and parse every frame.
# uac2-headset: USB Audio 2.0 (examples/uac2-headset.toml), snd-usb-audio must bind and read the clock's rates.
# uac2-small-packet, uac2-many-rates, uvc-small-buffer: a class example with one field changed, pinning
# what the kernel does with UD5405 / UD5406 / UD5503 (harness/README.md, "Diagnostic variants"); ~1 s each.
# webusb-winusb: BOS + MS OS 2.0 + WebUSB (examples/webusb-winusb.toml): the kernel reads the BOS, usbfs the vendor descriptors.
DEVICES=${REALHOST_DEVICES:-keyboard,mouse,vendor,composite,micropython-hid,broken-keyboard,micropython-hid-mpy,vendor-mpy,fw-keyboard,fw-mouse,fw-keypad,fw-composite,fw-keyboard-bench,fw-floor,fw-usbd-hid,fw-uhid,uac2-headset,uvc-camera,webusb-winusb,uac2-small-packet,uac2-many-rates,uvc-small-buffer}
mkdir -p "$CACHE" "$WORK"

KREL=$(harness/fetch.sh "$CACHE" | tail -1)
[[ -n "$KREL" ]] || { echo "realhost: FATAL: no kernel" >&2; exit 1; }
echo "== realhost: kernel $KREL"

mkdir -p "$CACHE/bin"
for h in hidq uattach uhidq ctrlq; do gcc -static -O2 -Wall -Werror -o "$CACHE/bin/$h" "harness/$h.c"; done
harness/build-initramfs.sh "$CACHE" "$KREL" "$CACHE/bin" "$CACHE/base-initramfs.cpio.gz"

if [[ -z "${REALHOST_DEVICE_CMD:-}" ]]; then
  # mpy_bridge serves the *-mpy devices (the generated MicroPython module in MicroPython).
  cargo build --locked -q -p usbdesc-usbip --example harness_serve --example mpy_bridge
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')
  REALHOST_DEVICE_CMD=$TARGET_DIR/debug/examples/harness_serve
fi

# shellcheck disable=SC2086
python3 harness/driver.py --kernel "$CACHE/kernel-$KREL/boot/vmlinuz-$KREL" \
  --base-initramfs "$CACHE/base-initramfs.cpio.gz" --work "$WORK" --devices "$DEVICES" \
  -- $REALHOST_DEVICE_CMD

if [[ -n "${REALHOST_SKIP_VERDICTS:-}" ]]; then
  echo "realhost: devices $DEVICES passed; verdict stages skipped (REALHOST_SKIP_VERDICTS)"
  echo "== realhost: script wall time $(( $(date +%s) - T0 ))s"
  exit 0
fi

# HID verdicts: every differential-test input (corpus, lint fixtures, systematic mutants) through
# /dev/uhid in one more boot; lint must give an error exactly when the kernel rejects, and the
# kernel's parse must equal our layout for every accepted descriptor. REALHOST_UPDATE_VERDICTS=1
# rewrites tests/verdicts/hid.tsv (the table `cargo test` checks) instead of failing on changes.
T1=$(date +%s)
cargo run --locked -q -p xtask -- verdicts hid-bundle "$WORK/hid"
cargo build --locked -q -p usbdesc-cli
USBDESC=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')/debug/usbdesc
python3 harness/hid_verdicts.py --usbdesc "$USBDESC" --kernel "$CACHE/kernel-$KREL/boot/vmlinuz-$KREL" --krel "$KREL" \
  --base-initramfs "$CACHE/base-initramfs.cpio.gz" --bundle "$WORK/hid/hid.bundle" --work "$WORK" \
  --out "$WORK/hid-observed.jsonl"
cargo run --locked -q -p xtask -- verdicts hid-check "$WORK/hid-observed.jsonl" \
  ${REALHOST_UPDATE_VERDICTS:+--update} | tee "$WORK/hid-verdict.txt"
echo "== realhost: HID verdicts $(( $(date +%s) - T1 ))s"

# Configuration verdicts (issue 14): every corpus blob, compiled example and mutant served over
# USB/IP as a bare descriptor blob, one guest boot; fails when lint and the kernel disagree
# (harness/config_verdicts.py, table tests/verdicts/config.tsv, allow-list config-allow.tsv).
T1=$(date +%s)
cargo build --locked -q -p usbdesc-usbip --example config_verdicts
TARGET_DIR=${TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')}
python3 harness/config_verdicts.py --kernel "$CACHE/kernel-$KREL/boot/vmlinuz-$KREL" --kernel-release "$KREL" \
  --base-initramfs "$CACHE/base-initramfs.cpio.gz" --work "$WORK" \
  --device-cmd "$TARGET_DIR/debug/examples/config_verdicts" ${REALHOST_UPDATE_VERDICTS:+--update} \
  | tee "$WORK/config-verdict.txt"
echo "== realhost: config verdicts wall time $(( $(date +%s) - T1 ))s"
N=$(sed -n 's/^\([0-9]*\) HID descriptors: lint and kernel agree on all$/\1/p' "$WORK/hid-verdict.txt")
M=$(sed -n 's/^\([0-9]*\) configurations: lint and kernel agree on all.*/\1/p' "$WORK/config-verdict.txt")
[[ -n $N && -n $M ]] || { echo "realhost: FATAL: a verdict run did not report agreement" >&2; exit 1; }
echo "realhost: $N HID descriptors and $M configurations: lint and kernel agree on all"
echo "== realhost: script wall time $(( $(date +%s) - T0 ))s"
