#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (Playwright cannot download
# its own browser on these machines). Installs it with apt when missing and we are root.
set -eu
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "The browser tests need Debian's chromium (/usr/bin/chromium): run 'apt-get install chromium'." >&2
exit 1
