#!/usr/bin/env bash
# Runs the whole suite against PostgreSQL + Elasticsearch + Redis + Chromium, then again on SQLite, the embedded
# default (minus the Elasticsearch, browser and image tests, which do not depend on the database engine). Services are
# started by scripts/services.sh unless DATABASE_URL / ELASTICSEARCH_URL / REDIS_URL already
# point at reachable ones. With REQUIRE_SERVICES=1 a service that cannot be started fails the run;
# otherwise the tests that need it are skipped and say so.
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p test-output
status=0

ruff check . || status=1
ruff format --check . || status=1

if [ -z "${DATABASE_URL:-}" ] || [ -z "${ELASTICSEARCH_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
    if scripts/services.sh start; then
        eval "$(scripts/services.sh env)"
    elif [ "${REQUIRE_SERVICES:-0}" = 1 ]; then
        echo "services could not be started and REQUIRE_SERVICES=1" >&2
        exit 1
    else
        echo "services could not be started; tests that need them will be skipped" >&2
    fi
fi
# The job tests run a real Celery worker against this Redis; a missing one fails them under
# REQUIRE_SERVICES=1 (tests/jobs), and fails the run here before any test starts.
if [ "${REQUIRE_SERVICES:-0}" = 1 ] && [ -z "${REDIS_URL:-}" ]; then
    echo "REDIS_URL is not set and REQUIRE_SERVICES=1" >&2
    exit 1
fi
if chromium=$(scripts/ensure-browser.sh); then
    export CHROMIUM_PATH=$chromium
elif [ "${REQUIRE_SERVICES:-0}" = 1 ]; then
    echo "Chromium could not be installed and REQUIRE_SERVICES=1" >&2
    exit 1
fi

export ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:9251}
# SEARCH_BACKEND stays at its default here: tests choose backends explicitly.
unset SEARCH_BACKEND

# the production image test (engine-independent) runs once: with the PostgreSQL run, or else on SQLite
sqlite_marks="not elasticsearch and not browser"
if [ -n "${DATABASE_URL:-}" ]; then
    sqlite_marks="$sqlite_marks and not image"
    echo "== pytest on PostgreSQL ($DATABASE_URL) =="
    EXPECT_DB_VENDOR=postgresql python -m pytest "$@" --junitxml=test-output/junit-postgres.xml || status=1
fi

# Elasticsearch, browser and production image tests do not depend on the database engine and already ran
# above; on SQLite the rest of the suite proves the embedded default works.
echo "== pytest on SQLite (without the elasticsearch, browser and image tests) =="
DATABASE_URL= EXPECT_DB_VENDOR=sqlite python -m pytest -m "$sqlite_marks" "$@" --junitxml=test-output/junit-sqlite.xml || status=1

exit $status
