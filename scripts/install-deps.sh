#!/usr/bin/env bash
# Installs everything the tests need, says what it installs, and is fast when all is present:
#   rustup:  the thumbv6m-none-eabi target (explicitly: rustup does not install rust-toolchain.toml
#            targets where RUSTUP_AUTO_INSTALL=0) and the llvm-tools component (firmware sizes)
#   apt:     qemu-system-x86, kmod, cpio, gcc, libc6-dev (real-kernel harness), g++ (C output tests), valgrind (benchmarks);
#            apt-get needs root (or passwordless sudo)
#   pip:     hid-tools (the layout oracle), unicorn (emu/requirements.txt: the emulated Feather M0)
#   npm:     @micropython/micropython-webassembly-pyscript@1 into ~/.cache/usbdesc/micropython,
#            @taplo/cli@0.7.0 (taplo 0.9) into ~/.cache/usbdesc/taplo
# The Debian kernel and busybox for the QEMU guest are downloaded later, into target/realhost-cache,
# by harness/fetch.sh. Any failure ends with one line `install-deps: FATAL: <what is missing>`.
set -euo pipefail
say() { echo "install-deps: $*" >&2; }
die() { echo "install-deps: FATAL: $*" >&2; exit 1; }

# --- Rust: target + components --------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
if command -v rustup >/dev/null; then
  if ! rustup target list --installed 2>/dev/null | grep -qx thumbv6m-none-eabi; then
    say "rustup target add thumbv6m-none-eabi"
    rustup target add thumbv6m-none-eabi >&2 || die "rustup target add thumbv6m-none-eabi failed"
  fi
  if ! rustup component list --installed 2>/dev/null | grep -q '^llvm-tools'; then
    say "rustup component add llvm-tools"
    rustup component add llvm-tools >&2 || die "rustup component add llvm-tools failed"
  fi
else
  # Without rustup the toolchain must already carry the target's core library.
  sysroot=$(rustc --print sysroot)
  [[ -d $sysroot/lib/rustlib/thumbv6m-none-eabi ]] \
    || die "rustup not found and the toolchain at $sysroot has no thumbv6m-none-eabi target (install rustup, or the target's rust-std)"
fi

# --- Debian packages (root) -------------------------------------------------------------------------
need_apt=()
command -v qemu-system-x86_64 >/dev/null || need_apt+=(qemu-system-x86)
command -v depmod >/dev/null || need_apt+=(kmod)
command -v cpio >/dev/null || need_apt+=(cpio)
command -v gcc >/dev/null || need_apt+=(gcc)
# g++: the C output tests compile every header as C++17 too (usbdesc-cli/tests/tinyusb.rs).
command -v g++ >/dev/null || need_apt+=(g++)
[[ -e /usr/lib/x86_64-linux-gnu/libc.a || -e /usr/lib/libc.a ]] || need_apt+=(libc6-dev)
command -v valgrind >/dev/null || need_apt+=(valgrind)
if ((${#need_apt[@]})); then
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${need_apt[*]}"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || die "apt-get needs root to install: ${need_apt[*]} (run as root or with passwordless sudo)"
    sudo=(sudo -n)
  fi
  say "apt-get install ${need_apt[*]} (as root)"
  "${sudo[@]}" apt-get update -qq >&2 || die "apt-get update failed (no package mirror reachable?); missing: ${need_apt[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2 \
    || die "apt-get install failed; missing: ${need_apt[*]}"
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || die "apt-get and dpkg-deb are needed to fetch the Debian kernel for the real-kernel harness"

# --- Python -----------------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 not found"
if ! python3 -c 'import hidtools' 2>/dev/null; then
  say "pip install hid-tools"
  python3 -m pip install --quiet --disable-pip-version-check hid-tools >&2 || die "pip install hid-tools failed"
fi

# --- MicroPython (WebAssembly port from npm, run with node) ------------------------------------------
# For the usbdesc-cli MicroPython module test. Debian and PyPI carry no MicroPython unix port.
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (the MicroPython WebAssembly port)"
mpy_dir="${USBDESC_MICROPYTHON_DIR:-$HOME/.cache/usbdesc/micropython}"
if [[ ! -d "$mpy_dir/node_modules/@micropython/micropython-webassembly-pyscript" ]]; then
  say "npm install @micropython/micropython-webassembly-pyscript@1 (into $mpy_dir)"
  mkdir -p "$mpy_dir"
  (cd "$mpy_dir" && npm install --silent --no-audit --no-fund @micropython/micropython-webassembly-pyscript@1 >&2) \
    || die "npm install @micropython/micropython-webassembly-pyscript@1 failed"
fi
# --- Emulated Feather M0 (emu/): the unicorn CPU emulator, pinned in emu/requirements.txt ----------
# (issue 21; the PyPI wheel carries the native engine, nothing to compile).
uc_pin=$(grep -E '^unicorn==' "$(dirname "$0")/../emu/requirements.txt")
if [[ $(python3 -c 'import unicorn; print("unicorn==" + unicorn.__version__)' 2>/dev/null) != "$uc_pin" ]]; then
  say "pip install $uc_pin"
  python3 -m pip install --quiet --disable-pip-version-check "$uc_pin" >&2 || die "pip install $uc_pin failed"
fi

# --- taplo (TOML toolkit, from npm) -----------------------------------------------------------------
# For the usbdesc-cli schema test: `taplo lint --schema` over every example, as editors (Even Better
# TOML) use the schema. @taplo/cli 0.7.0 is taplo 0.9.0 built for node.
taplo_dir="${USBDESC_TAPLO_DIR:-$HOME/.cache/usbdesc/taplo}"
if [[ ! -x "$taplo_dir/node_modules/.bin/taplo" ]]; then
  say "npm install @taplo/cli@0.7.0 (into $taplo_dir)"
  mkdir -p "$taplo_dir"
  (cd "$taplo_dir" && npm install --silent --no-audit --no-fund @taplo/cli@0.7.0 >&2) \
    || die "npm install @taplo/cli@0.7.0 failed"
fi
say "all present"
