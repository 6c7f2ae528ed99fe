#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (which never
# downloads a browser). `npm test` runs this first: it installs the package when
# it is missing, so the tests need no manual step on a fresh Debian machine.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Chromium is missing and installing it needs root: run 'apt-get install -y chromium' as root, or set CHROMIUM_PATH." >&2
      exit 1
    fi
  fi
  echo "Installing Debian's chromium for the browser tests (once)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
  exit 0
fi

echo "Chromium is missing at $chromium: install Chromium and set CHROMIUM_PATH to its binary." >&2
exit 1
