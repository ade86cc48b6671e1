#!/bin/sh
# Installs the system tools the tests need when they are missing: GNU gettext
# (msgfmt -c, msgmerge), Debian's Chromium (browser tests) and a CJK font.
set -e
need=""
command -v msgfmt >/dev/null 2>&1 || need="$need gettext"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] || need="$need fonts-noto-cjk"
if [ -n "$need" ]; then
  echo "installing system packages:$need"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
