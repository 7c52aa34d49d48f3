#!/usr/bin/env bash
# API and start-up benchmark of the packaged hub (target/backup-hub.jar), side by side with nginx serving the same
# bytes. Seeds a catalog of 100,000 backup_instances (two customers, interleaved) and 1,000 backups of one instance,
# starts the jar in its own JVM on a free loopback port, runs wrk against the two list operations, saves their bodies
# and serves them with nginx on another free port, runs wrk the same way, then measures start-up (median of 5 starts
# to the ready line on an empty data folder, without and with the class-data-sharing archive) and idle RSS.
#
# Prints BENCH|<figure>|<hub>|<floor>|<unit>|<ratio> lines and a table: req/s, p99 and the server's CPU time per
# request (user + system, from /proc), which tells the cost of a request apart from what else the machine runs.
#
# Environment: JAR (default target/backup-hub.jar), CDS (its archive, default target/backup-hub.jsa), INSTANCES (100000), BACKUPS (1000), DURATION (10s),
# THREADS (2), CONNECTIONS (32), WARMUP (20s per operation), STARTS (5), JFR=1 to record the hub under load (hot methods printed),
# FLOOR=0 to leave nginx out (two builds compared side by side), JVM_OPTIONS (an options file, default jvm.options; empty for none), JAVA_OPTS (more options for the hub's JVM), KEEP=1 to keep the work folder, CATALOG_CACHE (a folder: the seeded
# catalog is kept there and reused by later runs; a newer hub migrates it at start).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$here/target/backup-hub.jar}
# the class-data-sharing archive the build writes beside the jar; the starts are measured with it too when it is there
CDS=${CDS:-${JAR%.jar}.jsa}
INSTANCES=${INSTANCES:-100000}
BACKUPS=${BACKUPS:-1000}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
STARTS=${STARTS:-5}
WARMUP=${WARMUP:-20s}
TOKEN=bench-token
# the hub's JVM options as the README and the Docker image give them (JVM_OPTIONS= for none)
JVM_OPTIONS=${JVM_OPTIONS-$here/jvm.options}
jvm_options=${JVM_OPTIONS:+@$JVM_OPTIONS}
[ -f "$JAR" ] || { echo "no $JAR: build it first (mvn -o -q package -DskipTests)" >&2; exit 2; }

need() {
    command -v "$1" >/dev/null 2>&1 && return
    command -v "$2" >/dev/null 2>&1 || true
    if command -v apt-get >/dev/null 2>&1; then
        echo "installing $3 (Debian package)" >&2
        apt-get install -y -qq "$3" >/dev/null
    fi
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || { echo "$1 is missing" >&2; exit 2; }
}
need wrk wrk wrk
need nginx nginx nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d -t hub-api-bench.XXXXXX)
hub_pid=
nginx_started=
cleanup() {
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null || true
    [ -n "$nginx_started" ] && "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] && echo "work folder kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

port=$(free_port)
# start the hub in $work; sets hub_pid and start_ms (milliseconds from launch to the ready line)
start_hub() {
    local extra=${1:-}
    local t0 t1
    rm -f "$work/hub.log"
    t0=$(date +%s%N)
    (cd "$work" && exec env HUB_API_PORT="$port" HUB_API_CLIENTS="$TOKEN=bench" HUB_NODE_NAME=bench \
        java $jvm_options ${JAVA_OPTS:-} $extra -jar "$JAR" >"$work/hub.log" 2>&1) &
    hub_pid=$!
    until grep -q "Backup Hub ready" "$work/hub.log" 2>/dev/null; do
        kill -0 "$hub_pid" 2>/dev/null || { echo "the hub did not start:" >&2; tail -20 "$work/hub.log" >&2; exit 1; }
        sleep 0.02
    done
    t1=$(date +%s%N)
    start_ms=$(( (t1 - t0) / 1000000 ))
    # and the CPU it took (user + system of every thread): start-up's cost apart from what else the machine runs
    start_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$hub_pid/stat")
}
stop_hub() {
    kill "$hub_pid"
    wait "$hub_pid" 2>/dev/null || true
    hub_pid=
}

# ---------------------------------------------------------------- seed
if [ -n "${CATALOG_CACHE:-}" ] && [ -f "$CATALOG_CACHE/catalog.mv.db" ]; then
    mkdir -p "$work/data" && cp "$CATALOG_CACHE/catalog.mv.db" "$work/data/"
    echo "catalog copied from $CATALOG_CACHE" >&2
else
    echo "creating the catalog (first start) ..." >&2
    start_hub
    stop_hub
    cat >"$work/seed.sql" <<SQL
MERGE INTO customers (name, created_at) KEY (name) VALUES ('bench', CURRENT_TIMESTAMP), ('other', CURRENT_TIMESTAMP);
MERGE INTO backup_definitions (id, provider, name, description, created_at) KEY (id)
    VALUES ('vprotect-vm', 'vprotect', 'vProtect VM', 'virtual machines', CURRENT_TIMESTAMP);
INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, source_json, name,
        backup_frequency, status, last_backup_at, created_at, updated_at)
    SELECT (SELECT id FROM customers WHERE name = CASE WHEN MOD(x, 10) = 0 THEN 'other' ELSE 'bench' END),
        'vprotect-vm', 'vprotect', 'vprotect', 'entity-' || x,
        '{"protected_entity_guid":"entity-' || x || '","connection":"vprotect"}', 'vm-' || x, NULL, 'active',
        CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
    FROM SYSTEM_RANGE(1, $INSTANCES);
INSERT INTO backups (backup_instance_id, provider, source, provider_backup_id, status, type, started_at, completed_at,
        size_bytes, warnings_json, fingerprint, provider_status, created_at, updated_at)
    SELECT (SELECT MIN(id) FROM backup_instances WHERE name = 'vm-1'), 'vprotect', 'vprotect', 'backup-' || x,
        'completed', 'full', DATEADD('MINUTE', x, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'),
        DATEADD('MINUTE', x + 5, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'), 1048576 * x, '[]',
        'fingerprint-' || x, 'SUCCESS', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
    FROM SYSTEM_RANGE(1, $BACKUPS);
SQL
    t0=$(date +%s%N)
    java -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$work/data/catalog" -user sa -script "$work/seed.sql"
    echo "seeded $INSTANCES instances and $BACKUPS backups in $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
    if [ -n "${CATALOG_CACHE:-}" ]; then
        mkdir -p "$CATALOG_CACHE" && cp "$work/data/catalog.mv.db" "$CATALOG_CACHE/"
    fi
fi

# ---------------------------------------------------------------- start-up (an empty data folder each time)
# STARTS starts, each on an empty data folder: their times to ready and CPU into the arrays named $1 and $2, the idle
# RSS of the first into the variable named $3; $4 is an extra JVM option (or none)
measure_starts() {
    local -n ms=$1 cpus=$2 rss=$3
    for _ in $(seq 1 "$STARTS"); do
        start_hub ${4:+"$4"}
        ms+=("$start_ms")
        cpus+=("$start_cpu_ms")
        sleep 5
        [ -z "${rss:-}" ] && rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$hub_pid/status")
        stop_hub
        rm -rf "$work/data"
    done
}
starts=(); start_cpus=(); rss_idle=""
cds_starts=(); cds_cpus=(); rss_idle_cds=""
mv "$work/data" "$work/seeded"
measure_starts starts start_cpus rss_idle
# the same with the class-data-sharing archive the build writes beside the jar (README, Quick start), when there is one
[ -f "$CDS" ] && measure_starts cds_starts cds_cpus rss_idle_cds "-XX:SharedArchiveFile=$CDS"
mv "$work/seeded" "$work/data"
median() { [ "$#" -gt 0 ] && printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' || echo -; }
median_start_ms=$(median "${starts[@]}")
median_start_cpu_ms=$(median "${start_cpus[@]}")
median_cds_start_ms=$(median "${cds_starts[@]}")
median_cds_cpu_ms=$(median "${cds_cpus[@]}")
echo "starts to ready (ms): ${starts[*]}; CPU to ready (ms): ${start_cpus[*]}" >&2
echo "with the archive $CDS: starts to ready (ms): ${cds_starts[*]:-none}; CPU to ready (ms): ${cds_cpus[*]:-none}" >&2

start_hub
sleep 5
rss_catalog=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$hub_pid/status")

base="http://127.0.0.1:$port"
# the first instance of the token's customer is vm-1, the one with the backups
instance=$(curl -s -H "Authorization: Bearer $TOKEN" "$base/v1/backup_instances?per_page=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
paths=("/v1/backup_instances" "/v1/backup_instances/$instance/backups")
names=("GET /v1/backup_instances" "GET /v1/backup_instances/{id}/backups")

mkdir -p "$work/nginx/logs" "$work/nginx/root"
for i in 0 1; do
    curl -s -f -D "$work/nginx/root/h$i" -o "$work/nginx/root/b$i" -H "Authorization: Bearer $TOKEN" "$base${paths[$i]}"
done

# wrk: requests/s and the 99th percentile in ms
run_wrk() {
    local url=$1 out
    # warm-up: the JIT compiles the request path first (on a busy machine that takes a while)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $TOKEN" "$url" >/dev/null 2>&1
    local ticks0 ticks1
    ticks0=$(cpu_ticks)
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$url")
    ticks1=$(cpu_ticks)
    echo "$out" >>"$work/wrk.txt"
    local rps p99 non2xx requests cpu_us=-
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    # CPU the server spent per request (user + system): what the ratio comes from on a machine shared with others
    if [ -n "$ticks0" ] && [ "${requests:-0}" -gt 0 ]; then
        cpu_us=$(awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v n="$requests" \
            'BEGIN {printf "%d", t * 1000000 / hz / n}')
    fi
    rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    [ -n "$non2xx" ] && echo "warning: $non2xx non-2xx answers from $url" >&2
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} \
        else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f", v}' <<<"$out")
    echo "$rps $p99 $cpu_us"
}
# user + system clock ticks of the server under test ($server_pids), summed
cpu_ticks() {
    local total=0 p
    for p in $server_pids; do
        [ -r "/proc/$p/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$total"
}

hub_results=()
server_pids=$hub_pid
if [ "${JFR:-0}" = 1 ]; then
    jcmd "$hub_pid" JFR.start name=api settings=profile >/dev/null
fi
for i in 0 1; do
    hub_results+=("$(run_wrk "$base${paths[$i]}")")
done
rss_loaded=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$hub_pid/status")
if [ "${JFR:-0}" = 1 ]; then
    jcmd "$hub_pid" JFR.dump name=api filename="$work/api.jfr" >/dev/null
    echo "--- hot methods under load: top frames of the execution samples ---"
    jfr print --events jdk.ExecutionSample "$work/api.jfr" \
        | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); n[$0]++; total++}
               END {for (m in n) printf "%6.2f%%  %s\n", 100*n[m]/total, m}' | sort -rn | head -20 || true
    echo "--- the hub's own methods and the main libraries: share of samples with them on the stack ---"
    jfr print --events jdk.ExecutionSample --stack-depth 96 "$work/api.jfr" \
        | awk '/jdk.ExecutionSample/ {if (n) total++; for (m in seen) c[m]++; delete seen; n=0}
               /line:/ {m=$1; sub(/\(.*/, "", m); n++;
                        if (m ~ /^io\.backuphub|AbstractJacksonDataFormat\.marshal|Jdbi\.withHandle|BeanProcessor\.process|NioEventLoop\.run|MicrometerRoutePolicy\.onExchangeDone/) seen[m]=1}
               END {if (n) total++; for (m in seen) c[m]++; for (m in c) printf "%6.2f%%  %s\n", 100*c[m]/total, m}' \
        | sort -rn | head -25 || true
    cp "$work/api.jfr" "${JFR_OUT:-/tmp}/api-$(date +%s).jfr" 2>/dev/null || true
fi
stop_hub

floor_results=("- - -" "- - -")
if [ "${FLOOR:-1}" != 0 ]; then
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp;
    proxy_temp_path $work/nginx/tmp;
    fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp;
    scgi_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/nginx/root;
        default_type application/json;
        add_header X-Total-Count 100000;
        location = ${paths[0]} { try_files /b0 =404; }
        location = ${paths[1]} { try_files /b1 =404; }
    }
}
NGINX
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "user $(id -un);" 2>/dev/null \
    || "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf"
nginx_started=1
sleep 0.5
server_pids="$(cat "$work/nginx/nginx.pid") $(pgrep -P "$(cat "$work/nginx/nginx.pid")" | tr '\n' ' ')"
floor_results=()
for i in 0 1; do
    cmp -s <(curl -s "http://127.0.0.1:$nginx_port${paths[$i]}") "$work/nginx/root/b$i" \
        || { echo "nginx does not serve the same bytes" >&2; exit 1; }
    floor_results+=("$(run_wrk "http://127.0.0.1:$nginx_port${paths[$i]}")")
done
fi

# ---------------------------------------------------------------- report
bench() { # figure hub floor unit ratio
    echo "BENCH|$1|$2|$3|$4|$5"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }
lines=()
for i in 0 1; do
    read -r hub_rps hub_p99 hub_cpu <<<"${hub_results[$i]}"
    read -r floor_rps floor_p99 floor_cpu <<<"${floor_results[$i]}"
    lines+=("$(bench "${names[$i]} req/s" "$hub_rps" "$floor_rps" "req/s" "$(ratio "$floor_rps" "$hub_rps")")")
    lines+=("$(bench "${names[$i]} p99" "$hub_p99" "$floor_p99" "ms" "$(ratio "$hub_p99" "$floor_p99")")")
    lines+=("$(bench "${names[$i]} server CPU per request" "$hub_cpu" "$floor_cpu" "us" "$(ratio "$hub_cpu" "$floor_cpu")")")
done
lines+=("$(bench "start to ready (median of $STARTS)" "$median_start_ms" "-" "ms" "-")")
lines+=("$(bench "CPU to ready (median of $STARTS)" "$median_start_cpu_ms" "-" "ms" "-")")
lines+=("$(bench "start to ready, class-data-sharing archive (median of $STARTS)" "$median_cds_start_ms" "-" "ms" "-")")
lines+=("$(bench "CPU to ready, class-data-sharing archive (median of $STARTS)" "$median_cds_cpu_ms" "-" "ms" "-")")
lines+=("$(bench "RSS idle, class-data-sharing archive" "${rss_idle_cds:--}" "-" "MiB" "-")")
lines+=("$(bench "RSS idle (empty data folder, 5 s after ready)" "$rss_idle" "-" "MiB" "-")")
lines+=("$(bench "RSS idle (100,000 instances)" "$rss_catalog" "-" "MiB" "-")")
lines+=("$(bench "RSS after the API load" "$rss_loaded" "-" "MiB" "-")")
printf '%s\n' "${lines[@]}"
echo
printf '| %-48s | %10s | %10s | %-6s | %s |\n' figure hub floor unit "ratio (floor/hub for req/s, else hub/floor)"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..50})" "------------" "------------" "--------" "---"
printf '%s\n' "${lines[@]}" | while IFS='|' read -r _ figure hub floor unit ratio; do
    printf '| %-48s | %10s | %10s | %-6s | %s |\n' "$figure" "$hub" "$floor" "$unit" "$ratio"
done
