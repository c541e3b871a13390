#!/usr/bin/env bash
# Installs qemu + tools with apt-get and fetches the standard Debian kernel, usbip and busybox-static
# (apt-get download + dpkg-deb -x) into $CACHE. Prints the kernel release on stdout (last line).
# Fails loudly (non-zero) when anything cannot be obtained: the real-host harness never skips silently.
set -euo pipefail
CACHE=${1:?usage: realhost-fetch.sh CACHE_DIR}
mkdir -p "$CACHE"
die() { echo "realhost: FATAL: $*" >&2; exit 1; }
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v depmod >/dev/null || need+=(kmod)
command -v cpio >/dev/null || need+=(cpio)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
if ((${#need[@]})); then
  echo "realhost: apt-get install ${need[*]}" >&2
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 \
    || die "cannot install ${need[*]} (no package mirror reachable?)"
fi
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing after install"
# The kernel package behind the linux-image-amd64 meta package (never -cloud-amd64: it has no USB).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
if [[ -z "$kpkg" ]]; then
  apt-get update -qq >&2 || true
  kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
fi
[[ -n "$kpkg" ]] || die "cannot resolve the kernel package of linux-image-amd64"
krel=${kpkg#linux-image-}
fetch() { # PKG DIR
  local pkg=$1 dir=$CACHE/$2
  [[ -f $dir/.done ]] && return 0
  rm -rf "$dir" "$CACHE/dl-$2"; mkdir -p "$CACHE/dl-$2" "$dir"
  (cd "$CACHE/dl-$2" && apt-get download -qq "$pkg" >&2) || die "apt-get download $pkg failed"
  dpkg-deb -x "$CACHE"/dl-$2/*.deb "$dir" || die "dpkg-deb -x $pkg failed"
  rm -rf "$CACHE/dl-$2"; touch "$dir/.done"
}
fetch "$kpkg" "kernel-$krel"
fetch usbip usbip
fetch busybox-static busybox
[[ -f $CACHE/kernel-$krel/boot/vmlinuz-$krel ]] || die "kernel image missing in $kpkg"
# The package ships no modules.dep (depmod runs at install time): make one.
[[ -s $CACHE/kernel-$krel/lib/modules/$krel/modules.dep ]] || depmod -b "$CACHE/kernel-$krel" "$krel" \
  || die "depmod failed for $krel"
[[ -x $CACHE/busybox/bin/busybox ]] || die "busybox missing"
[[ -x $CACHE/usbip/usr/sbin/usbip ]] || die "usbip missing"
echo "$krel"
