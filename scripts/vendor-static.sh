#!/usr/bin/env bash
# Vendors the browser libraries pinned in package.json / package-lock.json into web/static/vendor/ (git-ignored):
# `npm ci --ignore-scripts` from the npm registry, then the minified dist file copied beside our own static
# files. Pages never load a library from a CDN. Called by `make run`, `make demo` and `make test`.
#   scripts/vendor-static.sh          install when missing or not the pinned version, then check
#   scripts/vendor-static.sh --check  only check (exit 1 when missing or another version)
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=web/static/vendor
# pinned version, read from the lock file (the one source)
pinned() {
    node -e 'process.stdout.write(require("./package-lock.json").packages["node_modules/chart.js"].version)'
}

check() {
    local want file=$VENDOR/chart.umd.min.js
    want=$(pinned)
    # the map too: the file names it (sourceMappingURL), and collectstatic's manifest refuses a dangling name
    if [ ! -s "$file" ] || [ ! -s "$file.map" ]; then
        echo "[vendor] ERROR: $file or its .map is missing; run scripts/vendor-static.sh" >&2
        return 1
    fi
    # the minified file starts with its banner: "Chart.js v4.5.1"
    if ! head -c 300 "$file" | grep -q "Chart.js v$want"; then
        echo "[vendor] ERROR: $file is not Chart.js v$want (package-lock.json); run scripts/vendor-static.sh" >&2
        return 1
    fi
}

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "[vendor] installing Debian's nodejs and npm packages" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
    else
        echo "[vendor] ERROR: node and npm are needed to vendor the charting library; install Debian's nodejs and npm" >&2
        exit 1
    fi
fi

if [ "${1:-}" = "--check" ]; then
    check
    exit $?
fi

if ! check 2>/dev/null; then
    echo "[vendor] npm ci (package-lock.json) and copying the dist files to $VENDOR" >&2
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    mkdir -p "$VENDOR"
    cp node_modules/chart.js/dist/chart.umd.min.js "$VENDOR/chart.umd.min.js"
    cp node_modules/chart.js/dist/chart.umd.min.js.map "$VENDOR/chart.umd.min.js.map"
    cp node_modules/chart.js/LICENSE.md "$VENDOR/chart.js-LICENSE.md"
fi
check
