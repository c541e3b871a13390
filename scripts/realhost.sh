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
DEVICES=${REALHOST_DEVICES:-keyboard,mouse,vendor,composite,micropython-hid,broken-keyboard,micropython-hid-mpy,vendor-mpy}
mkdir -p "$CACHE" "$WORK"

KREL=$(harness/fetch.sh "$CACHE" | tail -1)
[[ -n "$KREL" ]] || { echo "realhost: FATAL: no kernel" >&2; exit 1; }
echo "== realhost: kernel $KREL"

mkdir -p "$CACHE/bin"
for h in hidq uattach; do gcc -static -O2 -Wall -Werror -o "$CACHE/bin/$h" "harness/$h.c"; done
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
echo "== realhost: script wall time $(( $(date +%s) - T0 ))s"
