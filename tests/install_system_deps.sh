#!/bin/sh
# Installs the system tools the tests need when they are missing: GNU gettext
# (msgfmt -c, msgmerge), Debian's Chromium (browser tests; Playwright drives it,
# no browser is downloaded) and a CJK font (Noto Sans CJK), with fontconfig.
# Idempotent: installs nothing (and runs no apt-get update) when all are there.
set -e
has_cjk_font() {
  if command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]
  else
    ls /usr/share/fonts/opentype/noto/NotoSansCJK* /usr/share/fonts/truetype/noto/NotoSansCJK* >/dev/null 2>&1
  fi
}
need=""
command -v msgfmt >/dev/null 2>&1 || need="$need gettext"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v fc-list >/dev/null 2>&1 || need="$need fontconfig"
has_cjk_font || need="$need fonts-noto-cjk"
[ -n "$need" ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: missing:$need; no apt-get here, install them by hand" \
       "(the browser tests are skipped without chromium, and fail under CI=true)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_system_deps: missing:$need; not root and no sudo: install them by hand" >&2
    exit 0
  fi
fi
echo "installing system packages:$need"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
