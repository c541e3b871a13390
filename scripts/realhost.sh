#!/usr/bin/env bash
# Real Linux kernel acceptance harness: serves each example device over USB/IP and checks, inside a
# QEMU TCG guest running Debian's standard kernel, that the kernel sees exactly what we declared.
# Installs what it needs (apt-get); fails loudly, never skips. See harness/README.md.
# Env: REALHOST_DEVICES (comma list), REALHOST_DEVICE_CMD (device server command, default: the
# usbdesc-usbip harness_serve example: `usbdesc serve` of the example TOML devices), REALHOST_WORK (output dir).
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$(date +%s)
CACHE=target/realhost-cache
WORK=${REALHOST_WORK:-target/realhost}
# fw-*: the firmware users flash (firmware/; bench/ peers fw-floor, fw-usbd-hid, fw-uhid), run in the emulated Feather M0 (emu/).
DEVICES=${REALHOST_DEVICES:-keyboard,mouse,vendor,composite,micropython-hid,broken-keyboard,fw-keyboard,fw-mouse,fw-keypad,fw-composite,fw-keyboard-bench,fw-floor,fw-usbd-hid,fw-uhid}
mkdir -p "$CACHE" "$WORK"

KREL=$(harness/fetch.sh "$CACHE" | tail -1)
[[ -n "$KREL" ]] || { echo "realhost: FATAL: no kernel" >&2; exit 1; }
echo "== realhost: kernel $KREL"

mkdir -p "$CACHE/bin"
for h in hidq uattach uhidq; do gcc -static -O2 -Wall -Werror -o "$CACHE/bin/$h" "harness/$h.c"; done
harness/build-initramfs.sh "$CACHE" "$KREL" "$CACHE/bin" "$CACHE/base-initramfs.cpio.gz"

if [[ -z "${REALHOST_DEVICE_CMD:-}" ]]; then
  cargo build --locked -q -p usbdesc-usbip --example harness_serve
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')
  REALHOST_DEVICE_CMD=$TARGET_DIR/debug/examples/harness_serve
fi

# shellcheck disable=SC2086
python3 harness/driver.py --kernel "$CACHE/kernel-$KREL/boot/vmlinuz-$KREL" \
  --base-initramfs "$CACHE/base-initramfs.cpio.gz" --work "$WORK" --devices "$DEVICES" \
  -- $REALHOST_DEVICE_CMD

# HID verdicts: every differential-test input (corpus, lint fixtures, systematic mutants) through
# /dev/uhid in one more boot; lint must give an error exactly when the kernel rejects, and the
# kernel's parse must equal our layout for every accepted descriptor. REALHOST_UPDATE_VERDICTS=1
# rewrites tests/verdicts/hid.tsv (the table `cargo test` checks) instead of failing on changes.
T1=$(date +%s)
cargo run --locked -q -p xtask -- verdicts hid-bundle "$WORK/hid"
python3 harness/hid_verdicts.py --kernel "$CACHE/kernel-$KREL/boot/vmlinuz-$KREL" --krel "$KREL" \
  --base-initramfs "$CACHE/base-initramfs.cpio.gz" --bundle "$WORK/hid/hid.bundle" --work "$WORK" \
  --out "$WORK/hid-observed.jsonl"
cargo run --locked -q -p xtask -- verdicts hid-check "$WORK/hid-observed.jsonl" \
  ${REALHOST_UPDATE_VERDICTS:+--update}
echo "== realhost: HID verdicts $(( $(date +%s) - T1 ))s"
echo "== realhost: script wall time $(( $(date +%s) - T0 ))s"
