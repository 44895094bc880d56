#!/usr/bin/env bash
# The end-to-end test of `proxylint lsp` in a real editor: headless Neovim
# (0.7 or later) attaches the server to the Traefik reproduction
# (testdata/traefik-11423/before) and to the fixable module, prints the
# diagnostics it shows and the quick fixes it is offered, applies the fixable
# finding's quick fix and writes the file (scripts/nvim-lsp-test.lua). Exits
# 1 when the logwriter finding or the quick fix is missing, and 2 when nvim is
# not installed. Both modules are copied first; nothing in the repository
# changes.
set -u
cd "$(dirname "$0")/.."
export GOWORK=off GOFLAGS=-mod=mod
if ! command -v nvim >/dev/null; then
  echo "nvim-lsp-test: nvim is not installed"
  exit 2
fi
nvim --version | head -n 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${PROXYLINT:-}" ]; then
  bin=$PROXYLINT # a binary already built
else
  bin=$tmp/proxylint
  go build -o "$bin" ./cmd/proxylint || exit 1
fi
cp -r testdata/traefik-11423/before "$tmp/traefik"
cp -r testdata/fixable "$tmp/fixable"

# A result cache of its own, so that the run is the same on every machine,
# and a Neovim with no user configuration or state.
export PROXYLINT_CACHE=$tmp/cache XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/xdgcache
PROXYLINT_BIN=$bin TRAEFIK_FILE=$tmp/traefik/service/proxy.go FIXABLE_FILE=$tmp/fixable/handler/handler.go \
  timeout 600 nvim --headless --clean -n -c "luafile scripts/nvim-lsp-test.lua" </dev/null
status=$?
if [ "$status" -ne 0 ]; then
  echo "nvim-lsp-test: FAILED (status $status)"
  log=$(find "$tmp/state" "$tmp/xdgcache" -name 'lsp.log' 2>/dev/null | head -n 1)
  [ -n "$log" ] && { echo "--- Neovim's lsp.log:"; tail -n 40 "$log"; }
  exit 1
fi
