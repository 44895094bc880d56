#!/usr/bin/env bash
# Builds proxylint and runs it on the bundled incident reproductions under
# testdata/: for each check, what it reports on the code before the fix, and
# its silence after. Exits 1 if any check misses its incident or speaks on
# the fixed code.
set -u
cd "$(dirname "$0")/.."
export GOWORK=off
bin=$(mktemp -d)/proxylint
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/proxylint || exit 1

# check  module under testdata/  incident
incidents="
logwriter     traefik-11423        Traefik v2.11.18, traefik/traefik#11423
poolcleanup   httpwasm-pool        http-wasm-host-go v0.6.0
lostclose     traefik-11119        Traefik v3.1.5, traefik/traefik#11119
gaugedrift    traefik-10905        Traefik v3.0, traefik/traefik#10905
idletransport rancher-49592        Rancher v2.10.3, rancher/rancher#49592
copypipe      remotedialer-pipe    rancher/remotedialer
orphanconn    remotedialer-orphan  rancher/remotedialer
deadline      haproxy-deadline     HAProxy 2.8 (Go analog)
"

# short shortens a finding to its position in the module, the start of its
# message and its check.
short() {
  sed "s#^$PWD/testdata/$1/before/##" | awk '{
    match($0, / [(][a-z]+[)]$/); check = substr($0, RSTART + 1); body = substr($0, 1, RSTART - 1)
    if (length(body) > 110) body = substr(body, 1, 110) "..."
    print body " " check
  }'
}

status=0
while read -r check dir incident; do
  [ -n "$check" ] || continue
  echo "== $check — $incident (testdata/$dir)"
  out=$(cd "testdata/$dir/before" && "$bin" "-$check" ./... 2>&1)
  if grep -q "($check)\$" <<<"$out"; then
    echo "  before:"
    grep "($check)\$" <<<"$out" | short "$dir" | sed 's/^/    /'
  else
    echo "  before: NO FINDING (expected one)"; status=1
  fi
  out=$(cd "testdata/$dir/after" && "$bin" ./... 2>&1)
  if [ -z "$out" ]; then
    echo "  after:  no findings"
  else
    echo "  after:  UNEXPECTED:"; sed 's/^/    /' <<<"$out"; status=1
  fi
  echo
done <<<"$incidents"
exit $status
