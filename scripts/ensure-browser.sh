#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests (Playwright drives it; it never downloads
# its own browser). Prints the path; exits non-zero with a clear message when it cannot be installed.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "[browser] installing Debian's chromium package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    else
        echo "[browser] ERROR: $CHROMIUM not found; install Debian's chromium package" >&2
        exit 1
    fi
fi
# Korean text in screenshots needs a CJK font; without one the pages still work, so only try.
if [ "$(id -u)" = 0 ] && command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ko 2>/dev/null | head -n 1)" ]; then
    echo "[browser] installing a Korean font (fonts-nanum) for readable screenshots" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >&2 || echo "[browser] no Korean font installed" >&2
fi
echo "$CHROMIUM"
