#!/usr/bin/env bash
# proxylint lsp under Emacs, in batch mode (scripts/emacs-lsp-test.el), with
# Eglot and with lsp-mode: the logwriter finding on the Traefik
# reproduction, then the fixable module's quick fix applied and saved. Needs
# Emacs with go-mode and either client (Debian: emacs-nox elpa-go-mode
# elpa-eglot elpa-lsp-mode); a client that is not installed is skipped, and
# the script exits 2 when neither is. It exits 1 when a finding or the fix is
# missing. The modules are copied first.
set -u
cd "$(dirname "$0")/.."
export GOWORK=off GOFLAGS=-mod=mod
if ! command -v emacs >/dev/null; then
  echo "emacs-lsp-test: emacs is not installed"
  exit 2
fi
emacs --version | head -n 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${PROXYLINT:-}" ]; then
  bin=$PROXYLINT
else
  bin=$tmp/proxylint
  go build -o "$bin" ./cmd/proxylint || exit 1
fi

ran=0
status=0
for client in eglot lsp-mode; do
  if ! emacs --batch --eval "(progn (package-initialize) (require '$client))" >/dev/null 2>&1; then
    echo "emacs-lsp-test: $client is not installed; skipped"
    continue
  fi
  ran=$((ran + 1))
  work=$tmp/$client
  mkdir -p "$work/home"
  cp -r testdata/traefik-11423/before "$work/traefik"
  cp -r testdata/fixable "$work/fixable"
  if ! PROXYLINT_CACHE=$work/cache HOME=$work/home PROXYLINT_CLIENT=$client PROXYLINT_BIN=$bin \
    TRAEFIK_FILE=$work/traefik/service/proxy.go FIXABLE_FILE=$work/fixable/handler/handler.go \
    timeout 600 emacs --batch -l scripts/emacs-lsp-test.el </dev/null 2>"$work/stderr"; then
    echo "emacs-lsp-test: $client FAILED; Emacs said:"; tail -n 20 "$work/stderr"
    status=1
  fi
done
[ "$ran" -gt 0 ] || { echo "emacs-lsp-test: neither Eglot nor lsp-mode is installed"; exit 2; }
exit $status
