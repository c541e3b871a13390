#!/usr/bin/env bash
# Builds every example firmware (firmware/, its own workspace) for thumbv6m-none-eabi with the
# release profile (opt-level "s", LTO, codegen-units 1, panic abort) and prints flash and RAM use
# from the section sizes: flash = text (vector table + .text + .rodata) + .data, RAM = .data + .bss.
# Installs the target and llvm-tools itself when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../firmware"
# The firmware workspace has its own target directory; a CARGO_TARGET_DIR from the host
# workspace would send the build elsewhere and leave this script measuring stale ELFs.
unset CARGO_TARGET_DIR

# rust-toolchain.toml here names the target and llvm-tools; install them explicitly too, because
# rustup's auto-install may be disabled (RUSTUP_AUTO_INSTALL=0).
rustup target list --installed 2>/dev/null | grep -qx thumbv6m-none-eabi || rustup target add thumbv6m-none-eabi
sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
size_tool="$sysroot/lib/rustlib/$host/bin/llvm-size"
if [[ ! -x $size_tool ]]; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
if [[ ! -x $size_tool ]]; then
  size_tool=$(command -v llvm-size || command -v arm-none-eabi-size || true)
fi
if [[ -z $size_tool ]]; then
  echo "firmware.sh: no llvm-size / arm-none-eabi-size found" >&2
  exit 1
fi

cargo build --release --locked --target thumbv6m-none-eabi --bins

# keyboard-usbd-hid is the same keyboard written with usbd-hid 0.10, built in this run as the peer.
# keyboard-bench (firmware/keyboard) is the issue-9 size variant: bench/board's main loop and the
# floor's descriptor bytes; `cargo xtask bench` compares it with bench/fw-floor and the peers.
printf '%-18s %8s %8s\n' firmware flash_B ram_B
declare -A flash
for bin in keyboard keyboard-usbd-hid mouse keypad composite keyboard-bench; do
  elf=target/thumbv6m-none-eabi/release/$bin
  read -r text data bss < <("$size_tool" -B "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
  flash[$bin]=$((text + data))
  printf '%-18s %8d %8d\n' "$bin" $((text + data)) $((data + bss))
done
# keyboard does more than keyboard-usbd-hid (idle repeat, remote wakeup, BOS, two string
# languages, interrupt OUT), so this ratio is not a like-for-like size comparison; that is
# keyboard-bench against the peers in `cargo xtask bench` (BENCHMARKS.md).
awk -v a="${flash[keyboard]}" -v b="${flash[keyboard-usbd-hid]}" \
  'BEGIN { printf "keyboard (more features) / keyboard-usbd-hid flash, same run: %.2f (DESIGN.md measured usbd-hid at 11628 B); like-for-like: cargo xtask bench\n", a / b }'
