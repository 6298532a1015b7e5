#!/usr/bin/env bash
# Issue 8: the console's browser tests drive Debian's headless Chromium with playwright-core
# (executablePath /usr/bin/chromium; playwright downloads no browser). Idempotent: does nothing
# when chromium is already installed, and runs `apt-get update` only when it must be fetched.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "console: chromium already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
  $SUDO apt-get update >/dev/null
  $SUDO apt-get install -y --no-install-recommends chromium >/dev/null
fi
/usr/bin/chromium --version
