#!/usr/bin/env bash
# Run a command beside a throw-away PostgreSQL server, for the team-store tests:
#
#     scripts/with_postgres.sh make test
#
# Finds PostgreSQL's programs (on PATH, else /usr/lib/postgresql/*/bin); when they are
# missing and this runs as root with apt-get, installs the distribution's packages. Then it
# creates a cluster in a temporary folder, starts it on a free local port (TCP on 127.0.0.1
# and a socket in that folder) as a user who is not root, exports
# SCORECARD_STUDIO_TEST_PG_URL for the command, and stops the server and removes the folder
# however the command ends. Without PostgreSQL the command still runs, and the team-store
# tests skip and say why; with PostgreSQL installed, a server that does not start is an error.
set -euo pipefail

say() { echo "with_postgres: $*" >&2; }

pg_bindir() {
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if [ "$#" -eq 0 ]; then
    say "usage: scripts/with_postgres.sh COMMAND [ARG…]"
    exit 2
fi

BIN="$(pg_bindir || true)"
if [ -z "$BIN" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing PostgreSQL from the distribution's packages"
    # The package's own service is not wanted (and cannot start in a container): a cluster of
    # our own is started below.
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends postgresql >/dev/null) \
        || say "PostgreSQL could not be installed; the team-store tests will be skipped"
    BIN="$(pg_bindir || true)"
fi
if [ -z "$BIN" ]; then
    say "no PostgreSQL found; the team-store tests will be skipped"
    exec "$@"
fi

# The server refuses to run as root: run it as the invoking user, or as a system user.
RUN_AS=""
if [ "$(id -u)" = "0" ]; then
    RUN_AS="scorecard-pg"
    if ! id "$RUN_AS" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /bin/sh "$RUN_AS"
    fi
fi
as_server() {
    if [ -n "$RUN_AS" ]; then
        su -s /bin/sh "$RUN_AS" -c "$*"
    else
        sh -c "$*"
    fi
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/scorecard-pg.XXXXXX")"
chmod 700 "$WORK"
[ -z "$RUN_AS" ] || chown "$RUN_AS" "$WORK"
# A port the kernel says is free (else a random high one, should python3 be missing).
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 30000)))"

stop() {
    if [ -f "$WORK/data/postmaster.pid" ]; then
        as_server "'$BIN/pg_ctl' -D '$WORK/data' -m immediate -w -t 30 stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT TERM

if ! as_server "'$BIN/initdb' -D '$WORK/data' -U postgres -A trust -E UTF8 --no-sync" \
        >"$WORK/initdb.log" 2>&1 \
    || ! as_server "'$BIN/pg_ctl' -D '$WORK/data' -l '$WORK/server.log' -w -t 60 \
        -o \"-p $PORT -k '$WORK' -c listen_addresses=127.0.0.1 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=100\" start" \
        >/dev/null 2>&1; then
    say "PostgreSQL is installed ($BIN) but a test server could not be started:"
    tail -n 20 "$WORK/initdb.log" "$WORK/server.log" 2>/dev/null >&2 || true
    exit 1
fi

export SCORECARD_STUDIO_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
say "test server at $SCORECARD_STUDIO_TEST_PG_URL ($("$BIN/postgres" --version))"
status=0
"$@" || status=$?
exit "$status"
