#!/usr/bin/env bash
# Fetches the standard Debian kernel and busybox-static (apt-get download + dpkg-deb -x) into $CACHE;
# nothing else: attaching uses the project's own static helper (harness/uattach.c), not the usbip
# package. Each package is tried at every version `apt-cache madison` lists (a mirror's index and
# pool can disagree). Prints the kernel release on stdout (last line).
# Fails loudly (non-zero) when anything cannot be obtained: the real-host harness never skips silently.
set -euo pipefail
CACHE=${1:?usage: realhost-fetch.sh CACHE_DIR}
mkdir -p "$CACHE"
die() { echo "realhost: FATAL: $*" >&2; exit 1; }
for tool in qemu-system-x86_64 depmod cpio gcc apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool missing (scripts/install-deps.sh installs it)"
done
# The kernel package behind the linux-image-amd64 meta package (never -cloud-amd64: it has no USB).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
if [[ -z "$kpkg" ]]; then
  apt-get update -qq >&2 || true
  kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
fi
[[ -n "$kpkg" ]] || die "cannot resolve the kernel package of linux-image-amd64"
krel=${kpkg#linux-image-}
fetch() { # PKG DIR: the newest version listed whose file downloads
  local pkg=$1 dir=$CACHE/$2 dl=$CACHE/dl-$2 v tried=()
  [[ -f $dir/.done ]] && return 0
  local versions
  versions=$(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | awk '!seen[$0]++')
  for v in $versions ""; do
    rm -rf "$dir" "$dl"; mkdir -p "$dl" "$dir"
    if (cd "$dl" && apt-get download -qq "$pkg${v:+=$v}" >&2); then
      dpkg-deb -x "$dl"/*.deb "$dir" || die "dpkg-deb -x $pkg failed"
      rm -rf "$dl"; touch "$dir/.done"; return 0
    fi
    tried+=("${v:-candidate}")
    echo "realhost: apt-get download $pkg${v:+=$v} failed, trying the next version" >&2
  done
  die "apt-get download $pkg failed for every listed version (${tried[*]})"
}
fetch "$kpkg" "kernel-$krel"
fetch busybox-static busybox
[[ -f $CACHE/kernel-$krel/boot/vmlinuz-$krel ]] || die "kernel image missing in $kpkg"
# The package ships no modules.dep (depmod runs at install time): make one.
[[ -s $CACHE/kernel-$krel/lib/modules/$krel/modules.dep ]] || depmod -b "$CACHE/kernel-$krel" "$krel" \
  || die "depmod failed for $krel"
[[ -x $CACHE/busybox/bin/busybox ]] || die "busybox missing"
echo "$krel"
