#!/bin/sh
# The benchmark's peers that pip cannot install: GNU gettext (msgmerge, msgfmt), from apt
# when missing. (Translate Toolkit and Babel come from pip: the `bench` extra.)
# Idempotent: does nothing, and runs no apt-get update, when msgmerge is there.
set -e
command -v msgmerge >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_peers: GNU gettext (msgmerge, msgfmt) is missing and there is no apt-get; install it by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_peers: GNU gettext is missing; not root and no sudo: install it by hand" >&2
    exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gettext >/dev/null
