# Shared helpers for the run / test / PostgreSQL scripts. Source it; do not run it.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
# ensure_packages PKG... — install missing Debian packages (needs root or sudo).
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing packages ${missing[*]} and no sudo to install them"
    sudo="sudo"
  fi
  log "installing ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET SDK 10 is required (https://dot.net); 'dotnet' is not on PATH"
}

# port_in_use PORT — true when something listens on 127.0.0.1:PORT or [::1]:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  (exec 3<>"/dev/tcp/::1/$1") 2>/dev/null && return 0
  return 1
}

# who_listens PORT — the process holding a port, when ss can tell.
who_listens() {
  command -v ss >/dev/null || return 0
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | head -1
}

random_secret() { head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48; }

# use_test_database — TEST_DATABASE_CONNECTION_STRING if given, else a throwaway private cluster
# (fsync off) that is stopped and removed when the script exits. Exports the connection string.
use_test_database() {
  if [ -z "${TEST_DATABASE_CONNECTION_STRING:-}" ]; then
    TEST_PG_DIR=$(mktemp -d)
    trap 'bash "$ROOT_DIR/scripts/pg.sh" remove "$TEST_PG_DIR/pg" || true; rm -rf "$TEST_PG_DIR"' EXIT
    TEST_DATABASE_CONNECTION_STRING=$(bash "$ROOT_DIR/scripts/pg.sh" start "$TEST_PG_DIR/pg" 25432 --fast)
    log "PostgreSQL for tests: $(sed -n 's/.*\(Host=[^;]*;Port=[0-9]*\).*/\1/p' <<<"$TEST_DATABASE_CONNECTION_STRING")"
  fi
  export TEST_DATABASE_CONNECTION_STRING
}

# report_tests RESULTS_DIR STATUS FIGURES_FILE TITLE — sums the TRX reports' counters, prints the
# figures file (if any) under TITLE, then "N passed, N failed, N skipped"; fails on any failure.
# A run that failed before reporting (build error, crash) counts as one failure.
report_tests() {
  local results=$1 status=$2 figures=$3 title=$4
  local passed=0 failed=0 skipped=0 reports=0 trx counters
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    reports=$((reports + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    skipped=$((skipped + $(value notExecuted)))
  done
  if [ "$reports" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
    failed=$((failed + 1))
  fi
  # The console log is long; name each failure (and its first lines) where the tail shows it.
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); failing = 1 }
      failing && /<Message>/ { sub(/.*<Message>/, ""); printf "FAILED %s\n", name; lines = 0; inmsg = 1 }
      inmsg { if (lines < 6) print "  " $0; lines++ }
      inmsg && /<\/Message>/ { inmsg = 0; failing = 0 }
    ' "$trx" | sed 's#</Message>.*##; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
  done
  if [ -s "$figures" ]; then
    echo "$title"
    sed 's/^/  /' "$figures"
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
}

# pg_env CONNECTION_STRING — exports PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD from an Npgsql
# connection string (Host=…;Port=…;Database=…;Username=…;Password=…), for pg_dump, pg_restore, psql.
pg_env() {
  local pair key value
  IFS=';' read -ra pairs <<<"$1"
  for pair in "${pairs[@]}"; do
    key=$(printf %s "${pair%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')
    value=${pair#*=}
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|userid|user) export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
    esac
  done
}

# configured_database — the connection string of the system's database: DATABASE_CONNECTION_STRING
# (environment or .env), else the private cluster scripts/run.sh keeps in .data/postgres (started if needed).
configured_database() {
  if [ -z "${DATABASE_CONNECTION_STRING:-}" ] && [ -f "$ROOT_DIR/.env" ]; then
    DATABASE_CONNECTION_STRING=$(set -a; source "$ROOT_DIR/.env"; printf %s "${DATABASE_CONNECTION_STRING:-}")
  fi
  if [ -n "${DATABASE_CONNECTION_STRING:-}" ]; then
    printf %s "$DATABASE_CONNECTION_STRING"
  else
    bash "$ROOT_DIR/scripts/pg.sh" start "$ROOT_DIR/.data/postgres" 5432
  fi
}

# pg_tools — the newest PostgreSQL client binaries (a dump needs a pg_dump at least as new as the server).
pg_tools() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    ensure_packages postgresql-client
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}
