#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL: TEST_DATABASE_CONNECTION_STRING when given,
# else one private throwaway cluster shared by every test project. Installs what the tests need.
# Ends with one line: "N passed, N failed, N skipped"; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

ensure_dotnet
# PostgreSQL for every test project; Debian's chromium (and fonts with Persian glyphs) for the browser
# tests; docker-compose to validate docker-compose.yml (no Docker engine is needed for that).
ensure_packages postgresql curl chromium fonts-noto-core docker-compose

RESULTS="$ROOT_DIR/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then
    bash scripts/pg.sh stop "$PG_DIR/pg" || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

if [ -z "${TEST_DATABASE_CONNECTION_STRING:-}" ]; then
  PG_DIR=$(mktemp -d)
  TEST_DATABASE_CONNECTION_STRING=$(bash scripts/pg.sh start "$PG_DIR/pg" 55432 --fast)
  log "PostgreSQL for tests: $(sed -n 's/.*\(Host=[^;]*;Port=[0-9]*\).*/\1/p' <<<"$TEST_DATABASE_CONNECTION_STRING")"
fi
export TEST_DATABASE_CONNECTION_STRING

log "building"
dotnet build AttendanceSystem.sln -c Release --nologo -v quiet

log "testing"
status=0
# The long storm has its own script (scripts/storm.sh).
dotnet test AttendanceSystem.sln -c Release --no-build --nologo --filter "Category!=Storm" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" || status=$?

# Sum the counters of every project's TRX report.
passed=0; failed=0; skipped=0; reports=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$reports" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  failed=$((failed + 1)) # the run itself failed (build, crash) before reporting
fi

if [ -s "$RESULTS/reliability-figures.txt" ]; then
  echo "Reliability figures:"
  sed 's/^/  /' "$RESULTS/reliability-figures.txt"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
