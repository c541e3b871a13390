#!/usr/bin/env bash
# The one test command (README). Installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Targets are installed by install-deps.sh, the way a machine without rustup auto-install needs it.
export RUSTUP_AUTO_INSTALL=0
T0=$(date +%s)
stage() { echo "== [$(( $(date +%s) - T0 ))s] $*"; }
./scripts/install-deps.sh
stage "host workspace tests"
cargo test --workspace --locked
stage "macro-generated code for thumbv6m (no_std, #![deny(warnings)])"
cargo build --manifest-path firmware/Cargo.toml -p macro-check --target thumbv6m-none-eabi
stage "firmware (thumbv6m-none-eabi): build + flash/RAM"
./scripts/firmware.sh
stage "bench/ peer firmware (thumbv6m; the same build \`cargo xtask bench\` uses)"
(cd bench && env -u CARGO_TARGET_DIR cargo build --release --locked --target thumbv6m-none-eabi \
  -p fw-null -p fw-floor -p fw-usbd-hid -p fw-uhid)
stage "firmware in the emulated Feather M0 (emu/: unicorn Cortex-M0 + SAMD21 USB controller)"
python3 -m unittest discover -s emu/tests -t emu
cargo test --locked -q -p usbdesc-usbip --test emulated -- --ignored
stage "real Linux kernel over USB/IP (QEMU TCG)"
./scripts/realhost.sh
stage "firmware size report (cargo xtask bench --quick; full run: cargo xtask bench, see BENCHMARKS.md)"
cargo xtask bench --quick
stage "all tests passed"
