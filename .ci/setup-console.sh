#!/usr/bin/env bash
# Issue 8: the console's browser tests drive Debian's headless Chromium with playwright-core
# (executablePath /usr/bin/chromium; playwright downloads no browser), and the console is
# Chinese first, so the screenshots need a CJK font (fonts-noto-cjk). Idempotent: does nothing
# when both are installed, and runs `apt-get update` only when a package must be fetched.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || need+=(fonts-noto-cjk)
[ -x /usr/bin/pdftotext ] || need+=(poppler-utils)  # pdftotext/pdfinfo: the print test reads back the PDF of an Annex 3 form

if [ "${#need[@]}" -eq 0 ]; then
  echo "console: chromium and fonts-noto-cjk already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update >/dev/null
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null
