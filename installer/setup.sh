#!/usr/bin/env bash
# Set up everything on a fresh Debian machine, then run the demo console or the test suite.
#   bash installer/setup.sh demo [console options]   |   bash installer/setup.sh test [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}; shift || true
case "$what" in demo|test) ;; *) echo "usage: bash installer/setup.sh demo|test [options]" >&2; exit 2;; esac

say() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: Qt's runtime libraries, fonts, poppler for PDF checks. Fonts: WenQuanYi Micro Hei for
# screen and reports; Noto Sans CJK for names with CJK Extension A/B characters (䶮, 𠮷) in the same
# sans-serif style; HanaMin for the few that Noto lacks (𡒄), so that no name shows a box. CUPS prints the
# room's forms (its PDF printer, cups-pdf, is the queue the printing test prints through).
debs=(libegl1 libgl1 libx11-6 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0
      libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0
      libxcb-render-util0 libxcb-shape0 libxcb-xkb1 fonts-wqy-microhei fonts-noto-cjk fonts-hanazono
      poppler-utils libcups2 cups printer-driver-cups-pdf)
if command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Debian packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      say "missing Debian packages (Chinese text and reports need them): ${missing[*]}"
      say "install them with: sudo apt-get install ${missing[*]}"
    fi
  fi
else
  say "not a Debian system: install Qt 6's runtime libraries, CJK fonts (WenQuanYi Micro Hei, Noto Sans CJK SC) and poppler-utils yourself"
fi

# Python 3.11 or newer, in a project venv.
py=""
for c in python3.13 python3.12 python3.11 python3; do
  if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then py=$c; break; fi
done
[ -n "$py" ] || { say "Python 3.11 or newer is needed (Debian 12: apt-get install python3 python3-venv)"; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv || { say "could not create a venv: apt-get install python3-venv"; exit 1; }
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "installing the project and its test tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*; touch "$stamp"
fi

if [ "$what" = test ]; then
  export QT_QPA_PLATFORM=offscreen
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  .venv/bin/lint-imports
  exec .venv/bin/python -m pytest -q "$@"
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [[ " $* " != *" --screenshot "* ]]; then
  say "no screen here: running the demo offscreen for 20 s and saving a screenshot to demo.png"
  export QT_QPA_PLATFORM=offscreen
  exec .venv/bin/proctor-console --demo --screenshot demo.png --quit-after 20 "$@"
fi
exec .venv/bin/proctor-console --demo "$@"
