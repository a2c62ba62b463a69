#!/bin/sh
# Container entrypoint: wait for the database, apply migrations, then run the
# command (gunicorn by default, or whatever `docker compose run web ...` names).
#
# Migrations run on every start, whatever the command, unless
# DJANGO_MIGRATE_ON_START=false (as in deploy/kubernetes/, where a Job migrates).
# Replicas that start together migrate once: on PostgreSQL the project's `migrate`
# holds an advisory lock (ump_portal/management/commands/migrate.py), so the first
# applies the migrations and the others wait, then find none left.
#
# Nothing is skipped silently: each step says what it does, and a database that
# does not answer within DJANGO_DB_WAIT_SECONDS, or a failing migration, stops the
# container with a non-zero status instead of starting a site without its tables.
# tests/test_container.py runs this script for real.
set -eu

: "${DJANGO_SETTINGS_MODULE:=ump_portal.settings}"
export DJANGO_SETTINGS_MODULE
cd "$(dirname "$0")/.."

wait_seconds="${DJANGO_DB_WAIT_SECONDS:-60}"

wait_for_database() {
    deadline=$(( $(date +%s) + wait_seconds ))
    while ! error=$(python -c '
import django
django.setup()
from django.db import connection
connection.ensure_connection()
' 2>&1); do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "entrypoint: the database did not answer within ${wait_seconds}s:" >&2
            # The exception and its message, without the traceback above it.
            echo "$error" | awk '/^[A-Za-z_.]*(Error|Exception)/ { last = "" } { last = last $0 "\n" } END { printf "%s", last }' >&2
            exit 1
        fi
        echo "entrypoint: waiting for the database..."
        sleep 2
    done
}

if [ "${DJANGO_MIGRATE_ON_START:-true}" = "false" ]; then
    echo "entrypoint: DJANGO_MIGRATE_ON_START=false, not applying migrations"
else
    wait_for_database
    echo "entrypoint: applying migrations"
    python manage.py migrate --no-input
fi

if [ "$#" -eq 0 ]; then
    set -- gunicorn --config gunicorn.conf.py
fi
echo "entrypoint: starting $*"
exec "$@"
