#!/usr/bin/env bash
# Installs the system and Python packages the tests need. Idempotent; fast when all is present.
set -euo pipefail
need_pip=()
python3 -c 'import hidtools' 2>/dev/null || need_pip+=(hid-tools)
if ((${#need_pip[@]})); then
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
fi
