#!/usr/bin/env bash
# Builds the guest's base initramfs: busybox, the project's static helpers (hidq, uattach, uhidq,
# ctrlq), the kernel modules the harness needs (dependencies first, in modules.dep order) and
# harness/init.
# usage: build-initramfs.sh CACHE KREL HELPERDIR OUT.cpio.gz   (HELPERDIR holds hidq, uattach, uhidq, ctrlq)
set -euo pipefail
CACHE=$1 KREL=$2 HELPERS=$3 OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
MODDIR=$CACHE/kernel-$KREL/lib/modules/$KREL
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/usbdesc-initramfs.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
die() { echo "realhost: FATAL: $*" >&2; exit 1; }

mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,var/run,lib/modules}
cp "$CACHE/busybox/bin/busybox" "$ROOT/bin/"
for a in $("$ROOT/bin/busybox" --list); do [[ -e $ROOT/bin/$a ]] || ln -s busybox "$ROOT/bin/$a"; done
for h in hidq uattach uhidq ctrlq; do cp "$HELPERS/$h" "$ROOT/bin/$h"; done
cp "$HERE/init" "$ROOT/init"; chmod +x "$ROOT/init"

# Modules: each target's dependencies (modules.dep lists them, deepest last) then the target.
order=()
add() { local m; for m in "${order[@]}"; do [[ $m == "$1" ]] && return; done; order+=("$1"); }
# uvcvideo brings videodev, mc and videobuf2-* (UVC devices; harness device uvc-camera); usbmon
# records the requests the kernel sends while enumerating (BOS, device webusb-winusb).
for want in virtio_pci virtio_net vhci-hcd usbhid hid-generic cdc-acm uhid snd-usb-audio uvcvideo usbmon; do
  line=$(grep -E "(^|/)${want}\.ko:" "$MODDIR/modules.dep" | head -1) || die "module $want not in $KREL"
  deps=(${line#*:})
  for ((i=${#deps[@]}-1; i>=0; i--)); do add "${deps[i]}"; done
  add "${line%%:*}"
done
: > "$ROOT/modules.txt"
for m in "${order[@]}"; do
  mkdir -p "$ROOT/lib/modules/$(dirname "$m")"; cp "$MODDIR/$m" "$ROOT/lib/modules/$m"
  echo "$m" >> "$ROOT/modules.txt"
done
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT"
