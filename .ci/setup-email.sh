#!/usr/bin/env bash
# Issue 7: the real mail servers the e-mail channel's integration tests run against — Debian's
# Dovecot (IMAP + LMTP) and Postfix. Idempotent: does nothing when the binaries are there, runs
# `apt-get update` only when a package cannot be fetched, answers Postfix's debconf question in
# advance (no prompt), and starts NO system-wide service: each test run starts its own private
# Dovecot and Postfix on loopback (test/support/mail-servers.ts) and stops them afterwards.
set -euo pipefail

packages=(dovecot-imapd dovecot-lmtpd postfix)

have_all() {
  command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || return 1
  [ -x /usr/lib/dovecot/imap ] || return 1
  [ -x /usr/lib/dovecot/lmtp ] || return 1
  [ -x /usr/sbin/postfix ] || return 1
}

if have_all; then
  echo "email: dovecot (imap, lmtp) and postfix already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# No prompts: Postfix gets no system configuration (the tests write their own).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections

# No system-wide services: policy-rc.d refuses every start while the packages install
# (restored afterwards if one was there before).
policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then saved="$(mktemp)"; $SUDO cp -p "$policy" "$saved"; fi
restore_policy() {
  if [ -n "$saved" ]; then $SUDO mv "$saved" "$policy"; else $SUDO rm -f "$policy"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
$SUDO chmod 755 "$policy"

install() {
  $SUDO apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}"
}
if ! install >/dev/null 2>&1; then
  $SUDO apt-get update
  install
fi

# A package's maintainer script may still have started something (no init system here, usually
# not); stop only the system instances, never a test's private ones (those use their own config).
if [ -f /etc/dovecot/dovecot.conf ] && [ -S /run/dovecot/master ] 2>/dev/null; then
  $SUDO doveadm -c /etc/dovecot/dovecot.conf stop >/dev/null 2>&1 || true
fi

/usr/sbin/dovecot --version
/usr/sbin/postconf -d mail_version
