#!/usr/bin/env bash
# The one test command (README). Installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
echo "== host workspace tests"
cargo test --workspace --locked
echo "== macro-generated code for thumbv6m (no_std, #![deny(warnings)])"
cargo build --manifest-path firmware/Cargo.toml -p macro-check --target thumbv6m-none-eabi
echo "== firmware (thumbv6m-none-eabi): build + flash/RAM"
./scripts/firmware.sh
echo "== real Linux kernel over USB/IP (QEMU TCG)"
./scripts/realhost.sh
echo "== firmware size report (cargo xtask bench --quick; full run: cargo xtask bench, see BENCHMARKS.md)"
cargo xtask bench --quick
