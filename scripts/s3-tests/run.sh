#!/usr/bin/env bash
# Runs ceph/s3-tests (a checkout given as CHECKOUT; its code never enters this repository) against a
# fresh `openirsa up`, with the "core S3" filter of /work/shared/conformance/s3-tests/core-filter.sh and
# the deselections of scripts/s3-tests/deselected.txt. Prints the pass count.
#
# usage: scripts/s3-tests/run.sh CHECKOUT [extra pytest args...]
# env:   S3T_SHARED (folder with core-filter.sh, target.conf.TEMPLATE; default /work/shared/conformance/s3-tests)
#        S3T_PYTHON (default /usr/bin/python3: Debian's boto3 1.26, see that folder's README)
#        S3T_WORKERS (pytest-xdist workers, default 2)
#        S3T_UP_ARGS (more `openirsa up` options, e.g. "--workers 2"; split on spaces)
#        S3T_KEEP=1 keeps the temporary folder (server log, config, junit report)
# Needs a built tree (`npx tsc -p tsconfig.json`).
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1/s3tests/functional" ]]; then
  echo "usage: $0 S3_TESTS_CHECKOUT [pytest args...]" >&2
  exit 2
fi
checkout=$(cd "$1" && pwd)
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${S3T_SHARED:-/work/shared/conformance/s3-tests}
python=${S3T_PYTHON:-/usr/bin/python3}
workers=${S3T_WORKERS:-2}
cli="$repo/dist/src/cli/main.js"
[[ -f "$cli" ]] || { echo "run.sh: $cli is missing: run npx tsc -p tsconfig.json first" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/openirsa-s3-tests.XXXXXX")
data="$tmp/data"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ "${S3T_KEEP:-}" == 1 ]]; then echo "run.sh: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# Starts `openirsa up` on a free loopback port in the background; sets server_pid and endpoint.
start_server() {
  local account=$1 log=$2
  # shellcheck disable=SC2086 # S3T_UP_ARGS is a list of options, split on purpose
  node "$cli" up --port 0 --host 127.0.0.1 --data "$data" --account "$account" ${S3T_UP_ARGS:-} >"$log" 2>&1 &
  server_pid=$!
  endpoint=""
  for _ in $(seq 1 200); do
    endpoint=$(sed -n 's/^  endpoint *\(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
    [[ -n "$endpoint" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "run.sh: openirsa up did not start" >&2
  cat "$log" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

# openirsa serves every account of its data directory; `up --account` creates the one it names (and its
# root key). The second account is created by a first, short start; its root key is kept aside.
start_server 210987654321 "$tmp/alt-account.log"
cp "$data/credentials" "$tmp/alt-credentials"
stop_server
rm "$data/credentials"
start_server 123456789012 "$tmp/server.log"
echo "run.sh: openirsa at $endpoint (data $data)"

node "$repo/scripts/s3-tests/setup.mjs" --endpoint "$endpoint" --credentials "$data/credentials" \
  --alt-credentials "$tmp/alt-credentials" --template "$shared/target.conf.TEMPLATE" --out "$tmp/s3tests.conf"

# shellcheck source=/dev/null
. "$shared/core-filter.sh"
export S3TEST_CONF="$tmp/s3tests.conf" AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 BOTO_DISABLE_CRT=true
files=(s3tests/functional/test_s3.py s3tests/functional/test_headers.py)
cd "$checkout"
# pytest's --deselect matches node-id prefixes (it would drop test_100_continue_error_retry with
# test_100_continue): collect the core profile, then drop the listed ids exactly.
"$python" -m pytest -p no:cacheprovider -q --collect-only -m "$S3T_CORE_MARKS" -k "$S3T_CORE_KEYWORDS" \
  "${files[@]}" | grep '::' | sort >"$tmp/collected.txt"
grep -v '^#' "$repo/scripts/s3-tests/deselected.txt" | awk 'NF { print $1 }' | sort -u >"$tmp/deselected.txt"
comm -23 "$tmp/collected.txt" "$tmp/deselected.txt" >"$tmp/selected.txt"
stale=$(comm -13 "$tmp/collected.txt" "$tmp/deselected.txt")
[[ -z "$stale" ]] || echo "run.sh: warning: deselected.txt lists ids the core profile does not collect: $stale" >&2
mapfile -t selected <"$tmp/selected.txt"
collected_n=$(wc -l <"$tmp/collected.txt")
deselected_n=$((collected_n - ${#selected[@]}))

set +e
"$python" -m pytest -p no:cacheprovider --timeout=120 -q -rfE -n "$workers" --junitxml="$tmp/junit.xml" \
  "${selected[@]}" "$@" | tee "$tmp/pytest.log"
status=${PIPESTATUS[0]}
set -e

# The pass count, from pytest's own summary line ("N failed, M passed, K deselected in ...").
summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)' "$tmp/pytest.log" | tail -n 1 || true)
echo "run.sh: core profile ($shared/core-filter.sh) collects $collected_n; deselected.txt drops $deselected_n; selected ${#selected[@]}"
echo "run.sh: pytest: ${summary:-no summary}"
exit "$status"
