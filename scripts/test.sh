#!/usr/bin/env bash
# Sets everything up (as scripts/setup.sh) and runs the whole test suite, including the
# end-to-end tests that drive a real window under Xvfb, then ruff.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check casereader tests benchmarks
xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest "$@"
