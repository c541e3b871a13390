#!/usr/bin/env bash
# Installs the system and Python packages the tests need. Idempotent; fast when all is present.
set -euo pipefail
need_pip=()
python3 -c 'import hidtools' 2>/dev/null || need_pip+=(hid-tools)
if ((${#need_pip[@]})); then
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
fi
# MicroPython (WebAssembly port from npm, run with node) for the usbdesc-cli MicroPython module test.
# Debian and PyPI carry no MicroPython unix port.
mpy_dir="${USBDESC_MICROPYTHON_DIR:-$HOME/.cache/usbdesc/micropython}"
if [ ! -d "$mpy_dir/node_modules/@micropython/micropython-webassembly-pyscript" ]; then
  mkdir -p "$mpy_dir"
  (cd "$mpy_dir" && npm install --silent --no-audit --no-fund @micropython/micropython-webassembly-pyscript@1)
fi
