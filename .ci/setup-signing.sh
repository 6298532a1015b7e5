#!/usr/bin/env bash
# Issue 3: the standard tools the signing interop tests check mmgw against —
# xmlsec1 (XML-DSig) and Debian's python3-jwcrypto (JWS). Idempotent: does nothing when both
# are already installed, and runs `apt-get update` only when a package must be fetched.
set -euo pipefail

need=()
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
/usr/bin/python3 -c 'import jwcrypto' >/dev/null 2>&1 || need+=(python3-jwcrypto)

if [ "${#need[@]}" -eq 0 ]; then
  echo "signing: xmlsec1 and python3-jwcrypto already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi
xmlsec1 --version
/usr/bin/python3 -c 'import jwcrypto; print("jwcrypto", getattr(jwcrypto, "__version__", "installed"))'
