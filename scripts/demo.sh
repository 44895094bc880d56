#!/usr/bin/env bash
# Builds proxylint and runs it on the bundled incident reproductions under
# testdata/: for each check, what it reports on the code before the fix, and
# the silence of every check after. Exits 1 if a check misses its incident
# (a site of its findings.txt), another check speaks on it, or any check
# speaks on the fixed code.
set -u
cd "$(dirname "$0")/.."
export GOWORK=off
if [ -n "${PROXYLINT:-}" ]; then
  bin=$PROXYLINT # a binary already built (the end-to-end tests pass theirs)
else
  bin=$(mktemp -d)/proxylint
  trap 'rm -rf "$(dirname "$bin")"' EXIT
  go build -o "$bin" ./cmd/proxylint || exit 1
fi

# The checks, in the suite's order, as proxylint help lists them; each one's
# demo is the module testdata/<dir>/ whose findings.txt names it, and its
# incident is the "Incident:" line of its documentation. Nothing here lists
# the checks: a new one shows up with its folder and its demo module.
checks=$("$bin" help | awk '/^Checks/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
[ -n "$checks" ] || { echo "proxylint help lists no checks"; exit 1; }
incidents=""
for check in $checks; do
  dir=$(grep -l "^$check " testdata/*/findings.txt 2>/dev/null | head -n 1)
  dir=${dir#testdata/}; dir=${dir%/findings.txt}
  incident=$("$bin" help "$check" | sed -n 's/^Incident: //p' | head -n 1)
  incidents+="$check ${dir:--} ${incident%.}"$'\n'
done

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
  if [ "$dir" = - ]; then
    echo "== $check — $incident: NO DEMO MODULE (a testdata/*/findings.txt naming it)"; status=1; echo; continue
  fi
  echo "== $check — $incident (testdata/$dir)"
  # Every check runs on before/: the incident's check must flag each site
  # findings.txt lists, and no other check may speak.
  out=$(cd "testdata/$dir/before" && "$bin" ./... 2>&1)
  if grep -q "($check)\$" <<<"$out"; then
    echo "  before:"
    grep "($check)\$" <<<"$out" | short "$dir" | sed 's/^/    /'
  else
    echo "  before: NO FINDING (expected one)"; status=1
  fi
  for site in $(awk -v c="$check" '$1 == c { print $2 }' "testdata/$dir/findings.txt"); do
    if ! grep -q "^$PWD/testdata/$dir/before/$site:[0-9]*: .* ($check)\$" <<<"$out"; then
      echo "  before: NOTHING AT $site (findings.txt expects it)"; status=1
    fi
  done
  # (a line that starts with a tab continues the finding above it)
  if other=$(grep -v -e "($check)\$" -e $'^\t' <<<"$out") && [ -n "$other" ]; then
    echo "  before: UNEXPECTED:"; sed 's/^/    /' <<<"$other"; status=1
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
