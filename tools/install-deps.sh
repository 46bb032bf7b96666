#!/usr/bin/env bash
# Installs what building and testing griot needs on Debian 12, then the npm clients used by the
# integration tests. Idempotent and quick when everything is present (no apt-get call at all).
#   tools/install-deps.sh          build + test packages (make deps; make check and make run call it)
#   tools/install-deps.sh --bench  also nginx and wrk (make bench)
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
    build-essential pkg-config
    libmicrohttpd-dev libjansson-dev libsqlite3-dev libssl-dev libcmocka-dev libyaml-dev
    libcurl4-openssl-dev libargon2-dev libwslay-dev libmd4c-dev
    sqlite3 curl jq
    clang libclang-rt-14-dev
    nodejs npm
    apprise prometheus-alertmanager
)
for arg in "$@"; do
    case $arg in
    --bench) PKGS+=(nginx wrk) ;;
    -h | --help)
        sed -n '2,6p' "$0"
        exit 0
        ;;
    *)
        echo "install-deps: unknown argument '$arg' (usage: tools/install-deps.sh [--bench])" >&2
        exit 2
        ;;
    esac
done

missing=()
for p in "${PKGS[@]}"; do
    case $p in
    # Node may come from another Debian-format repository (e.g. a nodejs build that bundles npm and
    # conflicts with Debian's npm package): a working command is what counts for these two.
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing Debian packages: ${missing[*]}" >&2
        echo "install-deps: run as root, or: apt-get install --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm clients for the integration tests (lockfile-exact).
NODE_DIR=tests/integration/node
if [ ! -e "$NODE_DIR/node_modules/.package-lock.json" ] ||
    [ "$NODE_DIR/package-lock.json" -nt "$NODE_DIR/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $NODE_DIR"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
