#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL: TEST_DATABASE_CONNECTION_STRING when given,
# else one private throwaway cluster shared by every test project. Installs what the tests need.
# Ends with one line: "N passed, N failed, N skipped"; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

ensure_dotnet
# PostgreSQL for every test project; Debian's chromium (and fonts with Persian glyphs) for the browser
# tests; docker-compose to validate docker-compose.yml (no Docker engine is needed for that); wrk
# (and pgbench, from the server package) for the benchmark harness's smoke run.
ensure_packages postgresql curl chromium fonts-noto-core docker-compose wrk
# axe-core, which the browser tests run on every screen (pinned in the browser tests' package-lock.json).
command -v npm >/dev/null || ensure_packages npm
npm ci --prefix tests/AttendanceSystem.EndToEnd.Tests --no-audit --no-fund --loglevel=error

RESULTS="$ROOT_DIR/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

use_test_database

log "building"
dotnet build AttendanceSystem.sln -c Release --nologo -v quiet

log "testing"
status=0
# The long storm has its own script (scripts/storm.sh).
dotnet test AttendanceSystem.sln -c Release --no-build --nologo --filter "Category!=Storm" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" || status=$?

report_tests "$RESULTS" "$status" "$RESULTS/reliability-figures.txt" "Reliability figures:"
