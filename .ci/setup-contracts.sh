#!/usr/bin/env bash
# Issue 2 (contracts): xmllint (Debian libxml2-utils) checks every published example against the
# published XSD. Idempotent: does nothing when xmllint is already installed, and runs
# `apt-get update` only when the package must be fetched.
set -euo pipefail

if command -v xmllint >/dev/null 2>&1; then
  echo "contracts: xmllint already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends libxml2-utils >/dev/null 2>&1; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends libxml2-utils
fi
# Not `| head -1`: with pipefail, xmllint killed by SIGPIPE would fail the script (exit 141).
v="$(xmllint --version 2>&1)"; echo "${v%%$'\n'*}"
