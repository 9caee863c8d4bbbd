#!/usr/bin/env bash
# Sets everything up, generates the fictional demo inspection (75 cases, ~2,300 documents)
# on first use, and opens the desktop app on it. With no screen, renders the app to a PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CASEREADER_PASSPHRASE=${CASEREADER_PASSPHRASE:-demo-passphrase}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/casereader demo --dir demo-inspection "$@"
fi
echo "No screen here: rendering the app on the demo inspection to demo-screenshot.png instead."
QT_QPA_PLATFORM=offscreen .venv/bin/casereader demo --dir demo-inspection \
  --screenshot demo-screenshot.png "$@"
echo "Wrote demo-screenshot.png. On a desktop, run this again to get the window."
