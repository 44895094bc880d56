#!/usr/bin/env bash
# Builds proxylint and runs it on every bundled incident reproduction under
# testdata/, showing what it reports before each fix and after it.
set -u
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/proxylint
go build -o "$bin" ./cmd/proxylint || exit 1
for mod in testdata/*/ testdata/*/*/; do
  [ -f "$mod/go.mod" ] || continue
  echo "== ${mod%/}"
  (cd "$mod" && GOWORK=off "$bin" ./... 2>&1 | sed "s#$(pwd)/##")
  echo
done
