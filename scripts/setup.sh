#!/usr/bin/env bash
# Sets up everything casereader needs on Debian 12 (run as root): Debian packages for Qt,
# age, Xvfb, poppler and the build's ICU tools, then a virtual environment in .venv with the app
# and its test tools.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3 python3-venv python3-pip
  age xvfb xauth poppler-utils qpdf fonts-dejavu-core tesseract-ocr tesseract-ocr-eng
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  libxrender1 libxi6 libglib2.0-0
  # The build (scripts/build.sh) trims Qt's ICU data with icupkg and relinks it with as/ld.
  icu-devtools binutils
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  # Another apt or dpkg (unattended upgrades, a software centre) may hold the lock: wait up to
  # five minutes rather than failing at once. `install` waits by itself (DPkg::Lock::Timeout);
  # apt 2.6's `update` does not, so it is retried while the lists lock is held.
  APT_WAIT=(-o DPkg::Lock::Timeout=300)
  apt_update() {
    local waited=0 out
    until out=$($SUDO apt-get "${APT_WAIT[@]}" update -qq 2>&1); do
      if ! grep -q "Could not get lock" <<<"$out" || ((waited >= 300)); then
        echo "$out" >&2
        return 1
      fi
      ((waited == 0)) && echo "Another package manager holds the apt lock; waiting (up to 5 minutes)…"
      sleep 5
      waited=$((waited + 5))
    done
  }
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${APT_WAIT[@]}" install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import casereader, PySide6, pytest" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch .venv/.installed
fi
echo "casereader is set up in $(pwd)/.venv"
