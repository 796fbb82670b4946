#!/usr/bin/env bash
# The storm: 20 writers punch while the reporter and attendance are killed (-9) and restarted and
# PostgreSQL restarts; WebSocket and gRPC clients resume from their cursors; then everything each
# received is compared with the database. STORM_SECONDS sets its length (default 90).
# Ends with the figures and one line "N passed, N failed, N skipped".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

ensure_dotnet
ensure_packages postgresql
export STORM_SECONDS="${STORM_SECONDS:-90}"
RESULTS="$ROOT_DIR/TestResults/storm"
rm -rf "$RESULTS" "$ROOT_DIR/TestResults/reliability-figures.txt"
mkdir -p "$RESULTS"

PG_DIR=""
cleanup() { [ -n "$PG_DIR" ] && { bash scripts/pg.sh stop "$PG_DIR/pg" || true; rm -rf "$PG_DIR"; }; }
trap cleanup EXIT
if [ -z "${TEST_DATABASE_CONNECTION_STRING:-}" ]; then
  PG_DIR=$(mktemp -d)
  TEST_DATABASE_CONNECTION_STRING=$(bash scripts/pg.sh start "$PG_DIR/pg" 55432 --fast)
fi
export TEST_DATABASE_CONNECTION_STRING

log "building"
dotnet build AttendanceSystem.sln -c Release --nologo -v quiet
log "storm for ${STORM_SECONDS} s"
status=0
dotnet test tests/AttendanceSystem.Reliability.Tests -c Release --no-build --nologo --filter "Category=Storm" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" || status=$?

counters=$(grep -ho '<Counters [^>]*>' "$RESULTS"/*.trx 2>/dev/null | head -1)
value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
passed=$(value passed); failed=$(value failed); skipped=$(value notExecuted)
[ -s "$ROOT_DIR/TestResults/reliability-figures.txt" ] && { echo "Storm figures:"; sed 's/^/  /' "$ROOT_DIR/TestResults/reliability-figures.txt"; }
echo "${passed:-0} passed, ${failed:-1} failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ]
