#!/usr/bin/env bash
# Install Debian's Chromium for the browser test (tests/test_viz_browser.py), if it is not there yet.
# Idempotent and quiet; needs root (or sudo) and apt-get. Playwright drives this system browser: never
# `playwright install` (its browser downloads cannot work here).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get on this machine; the browser test will skip" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-browser: not root and no sudo; the browser test will skip" >&2
    exit 1
  fi
fi
echo "install-browser: installing chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version 2>/dev/null || true
