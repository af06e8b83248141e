#!/usr/bin/env bash
# Starts, stops and reports the real services the test suite and development use:
#   PostgreSQL from Debian's postgresql package, on a private port and socket;
#   Elasticsearch from Maven Central's integ-test-zip distribution, run with a Temurin/OpenJDK JDK;
#   Redis from Debian's redis-server package, on a private port (the Celery broker and shared cache).
# Usage: scripts/services.sh start|stop|status|env [postgres|elasticsearch|redis]
# Everything lives under $SERVICES_DIR (default /var/tmp/sangsaeng-services); downloads are cached there
# and in Maven's local repository, so a second start is quick.
set -euo pipefail

SERVICES_DIR=${SERVICES_DIR:-/var/tmp/sangsaeng-services}
SERVICE_USER=${SERVICE_USER:-sangsaeng}
PG_PORT=${PG_PORT:-54329}
PG_DB=${PG_DB:-sangsaeng}
ES_VERSION=${ES_VERSION:-8.19.21}
ES_PORT=${ES_PORT:-9251}
ES_HEAP=${ES_HEAP:-512m}
REDIS_PORT=${REDIS_PORT:-63799}
WAIT_SECONDS=${WAIT_SECONDS:-180}

PG_DIR="$SERVICES_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCKET="$PG_DIR/socket"
ES_HOME="$SERVICES_DIR/elasticsearch-$ES_VERSION"
ES_RUN="$SERVICES_DIR/elasticsearch-run"
REDIS_DIR="$SERVICES_DIR/redis"

DATABASE_URL_VALUE="postgres://$SERVICE_USER@127.0.0.1:$PG_PORT/$PG_DB"
ELASTICSEARCH_URL_VALUE="http://127.0.0.1:$ES_PORT"
REDIS_URL_VALUE="redis://127.0.0.1:$REDIS_PORT/0"

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

as_service_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$SERVICE_USER" -- "$@"
    else
        "$@"
    fi
}

ensure_user() {
    [ "$(id -u)" = 0 ] || return 0
    if ! id "$SERVICE_USER" >/dev/null 2>&1; then
        say "creating system user $SERVICE_USER"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    mkdir -p "$SERVICES_DIR"
    chown "$SERVICE_USER" "$SERVICES_DIR"
}

# ---------------------------------------------------------------- PostgreSQL
pg_bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/pg_ctl" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "PostgreSQL server not found; installing Debian's postgresql package"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
            dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
        fi
    fi
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || die "no PostgreSQL server found (apt-get install postgresql)"
    echo "$dir"
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }

pg_start() {
    if pg_ready; then say "PostgreSQL already running on port $PG_PORT"; return 0; fi
    local bin; bin=$(pg_bin_dir)
    ensure_user
    mkdir -p "$PG_DIR" "$PG_SOCKET"
    [ "$(id -u)" = 0 ] && chown -R "$SERVICE_USER" "$PG_DIR"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "initialising PostgreSQL cluster in $PG_DATA"
        as_service_user "$bin/initdb" -D "$PG_DATA" -U "$SERVICE_USER" -A trust -E UTF8 \
            --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # fsync off: a throwaway cluster for tests and development, where speed beats crash safety.
    as_service_user "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t "$WAIT_SECONDS" \
        -o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { tail -n 30 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
    if ! as_service_user psql -h 127.0.0.1 -p "$PG_PORT" -d postgres -Atc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1; then
        as_service_user createdb -h 127.0.0.1 -p "$PG_PORT" "$PG_DB"
    fi
    say "PostgreSQL ready: $DATABASE_URL_VALUE"
}

pg_stop() {
    if [ -f "$PG_DATA/postmaster.pid" ]; then
        local bin; bin=$(pg_bin_dir)
        as_service_user "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
    else
        say "PostgreSQL not running"
    fi
}

# ------------------------------------------------------------- Elasticsearch
find_jdk() {
    local candidate
    for candidate in "${ES_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
        /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-amd64 "${JAVA_HOME:-}"; do
        if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then echo "$candidate"; return 0; fi
    done
    die "no JDK found: install a JDK >= 17 (e.g. openjdk-17-jdk-headless) or set ES_JAVA_HOME"
}

es_ready() { curl -fsS -m 3 "$ELASTICSEARCH_URL_VALUE/_cluster/health" >/dev/null 2>&1; }

es_fetch() {
    [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
    command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Elasticsearch from Maven Central"
    say "fetching Elasticsearch $ES_VERSION (integ-test-zip) from Maven Central"
    mkdir -p "$SERVICES_DIR"
    # The plugin keeps "already unpacked" markers under the working directory; a throwaway one keeps
    # them out of the checkout and never makes it skip a real unpack.
    local scratch; scratch=$(mktemp -d)
    (cd "$scratch" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:unpack \
        -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
        -DoutputDirectory="$SERVICES_DIR" -DmarkersDirectory="$scratch/markers" >&2) \
        || { rm -rf "$scratch"; die "could not fetch Elasticsearch $ES_VERSION from Maven Central"; }
    rm -rf "$scratch"
    [ -x "$ES_HOME/bin/elasticsearch" ] || die "Elasticsearch archive did not unpack to $ES_HOME"
}

es_start() {
    if es_ready; then say "Elasticsearch already running on port $ES_PORT"; return 0; fi
    local jdk; jdk=$(find_jdk)
    ensure_user
    es_fetch
    mkdir -p "$ES_RUN/data" "$ES_RUN/logs"
    if [ "$(id -u)" = 0 ]; then chown -R "$SERVICE_USER" "$ES_HOME" "$ES_RUN"; fi
    say "starting Elasticsearch $ES_VERSION on 127.0.0.1:$ES_PORT (JDK $jdk, heap $ES_HEAP)"
    rm -f "$ES_RUN/es.pid"
    as_service_user env ES_JAVA_HOME="$jdk" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
        "$ES_HOME/bin/elasticsearch" -d -p "$ES_RUN/es.pid" \
        -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$ES_PORT" \
        -Etransport.port=$((ES_PORT + 100)) -Expack.security.enabled=false \
        -Epath.data="$ES_RUN/data" -Epath.logs="$ES_RUN/logs" \
        -Ecluster.routing.allocation.disk.threshold_enabled=false \
        -Eaction.destructive_requires_name=false \
        >"$ES_RUN/start.log" 2>&1 || { tail -n 40 "$ES_RUN/start.log" >&2; die "Elasticsearch failed to start"; }
    local waited=0
    until curl -fsS -m 5 "$ELASTICSEARCH_URL_VALUE/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; do
        if [ -f "$ES_RUN/es.pid" ] && ! kill -0 "$(cat "$ES_RUN/es.pid")" 2>/dev/null; then
            tail -n 40 "$ES_RUN/logs/"*.log >&2 2>/dev/null || true
            die "Elasticsearch exited during start-up"
        fi
        waited=$((waited + 2))
        [ "$waited" -lt "$WAIT_SECONDS" ] || { tail -n 40 "$ES_RUN/start.log" >&2; die "Elasticsearch not healthy after ${WAIT_SECONDS}s"; }
        sleep 2
    done
    say "Elasticsearch ready: $ELASTICSEARCH_URL_VALUE"
}

# stop_pidfile NAME PIDFILE SECONDS: TERM the process in PIDFILE and wait for it to exit
stop_pidfile() {
    if [ -f "$2" ] && kill -0 "$(cat "$2")" 2>/dev/null; then
        local pid; pid=$(cat "$2")
        kill "$pid"
        for _ in $(seq 1 "$3"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        say "$1 stopped"
    else
        say "$1 not running"
    fi
}

es_stop() { stop_pidfile Elasticsearch "$ES_RUN/es.pid" 60; }

# --------------------------------------------------------------------- Redis
redis_bin() {
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "Redis not found; installing Debian's redis-server package"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
        fi
    fi
    command -v redis-server >/dev/null || die "no Redis server found (apt-get install redis-server)"
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

redis_start() {
    redis_bin
    if redis_ready; then say "Redis already running on port $REDIS_PORT"; return 0; fi
    ensure_user
    mkdir -p "$REDIS_DIR"
    [ "$(id -u)" = 0 ] && chown -R "$SERVICE_USER" "$REDIS_DIR"
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    # No persistence: a throwaway broker for tests and development; the jobs' state lives in the database.
    as_service_user redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" \
        --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
        --save "" --appendonly no \
        || { tail -n 30 "$REDIS_DIR/redis.log" >&2 2>/dev/null; die "Redis failed to start"; }
    local waited=0
    until redis_ready; do
        waited=$((waited + 1))
        [ "$waited" -lt "$WAIT_SECONDS" ] || { tail -n 30 "$REDIS_DIR/redis.log" >&2; die "Redis not ready after ${WAIT_SECONDS}s"; }
        sleep 1
    done
    say "Redis ready: $REDIS_URL_VALUE"
}

redis_stop() { stop_pidfile Redis "$REDIS_DIR/redis.pid" 30; }

status() {
    if pg_ready; then echo "postgres: up ($DATABASE_URL_VALUE)"; else echo "postgres: down"; fi
    if es_ready; then echo "elasticsearch: up ($ELASTICSEARCH_URL_VALUE)"; else echo "elasticsearch: down"; fi
    if command -v redis-cli >/dev/null && redis_ready; then echo "redis: up ($REDIS_URL_VALUE)"; else echo "redis: down"; fi
}

command=${1:-status}
which_service=${2:-all}
case "$command" in
    start)
        case "$which_service" in
            postgres) pg_start ;;
            elasticsearch) es_start ;;
            redis) redis_start ;;
            all) pg_start; es_start; redis_start ;;
            *) die "unknown service $which_service" ;;
        esac ;;
    stop)
        case "$which_service" in
            postgres) pg_stop ;;
            elasticsearch) es_stop ;;
            redis) redis_stop ;;
            all) redis_stop; es_stop; pg_stop ;;
            *) die "unknown service $which_service" ;;
        esac ;;
    status) status ;;
    env)
        echo "export DATABASE_URL=$DATABASE_URL_VALUE"
        echo "export ELASTICSEARCH_URL=$ELASTICSEARCH_URL_VALUE"
        echo "export REDIS_URL=$REDIS_URL_VALUE" ;;
    *) die "usage: $0 start|stop|status|env [postgres|elasticsearch|redis]" ;;
esac
