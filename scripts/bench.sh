#!/usr/bin/env bash
# Every benchmark of the hub, end to end, each against its floor measured in the same run:
#   ingest  - first sync of N vProtect / Cloud66 backups vs a plain client listing the same pages;
#             the no-change poll as the catalog grows; the ingest rate against the catalog's size (chart)
#   copy    - the hub copying 50 MiB files and one 2 GiB file from nginx to a file: target (SHA-256 verified,
#             -Xmx256m) vs rclone copy and curl -o + sha256sum
#   fanout  - one copy run storing the manifests of a large vProtect sync (small copies per second)
#   api     - wrk -t2 -c32 against the list operations with 100,000 instances vs nginx serving the same bytes;
#             start to ready and idle RSS of the packaged jar (scripts/api-bench.sh)
# Prints one table of figures and ratios, and writes it with the chart to target/bench/.
#
#   scripts/bench.sh                 every benchmark, full size (about 25 minutes on 2 cores)
#   HUB_TEST_POSTGRES_URL=jdbc:postgresql://host:5432/postgres HUB_TEST_POSTGRES_USER=... scripts/bench.sh ingest
#                                    also the first sync with the catalog on PostgreSQL (a database made for the run)
#   scripts/bench.sh ingest api      only those
#   BENCH_BACKUPS=20000 scripts/bench.sh ingest     smaller runs
set -euo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(ingest copy fanout api)
backups=${BENCH_BACKUPS:-100000}
copy_files=${BENCH_COPY_FILES:-20}
copy_big=${BENCH_COPY_BIG:-true}
out=target/bench
mkdir -p "$out"

# nginx, rclone and wrk are the floors; gnuplot draws the chart. Debian's packages, installed when missing.
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v rclone >/dev/null 2>&1 || need+=(rclone)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v gnuplot >/dev/null 2>&1 || need+=(gnuplot-nox)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${need[*]} (Debian packages)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"

# the API and start-up benchmarks run the packaged jar, as a user does
[ -f target/backup-hub.jar ] || mvn -B -q package -DskipTests

classes=()
api=false
for suite in "${suites[@]}"; do
  case "$suite" in
    ingest) classes+=(IngestBenchmark) ;;
    copy) classes+=(CopyBenchmark) ;;
    fanout) classes+=(SmallCopiesBenchmark) ;;
    api) api=true ;;
    *) echo "unknown benchmark '$suite' (ingest, copy, fanout, api)" >&2; exit 2 ;;
  esac
done

# one JVM at a time: benchmarks side by side would measure each other
rm -f target/surefire-reports/io.backuphub.bench.*-output.txt "$out/api.txt"
if [ ${#classes[@]} -gt 0 ]; then
  mvn -B -q test -Dsurefire.forks=1 -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest="$(IFS=,; echo "${classes[*]}")" \
    -Dbench.backups="$backups" -Dbench.small.copies="$backups" \
    -Dbench.copy.files="$copy_files" -Dbench.copy.big="$copy_big" \
    -Dbench.postgres-url="${HUB_TEST_POSTGRES_URL:-}" -Dbench.postgres-user="${HUB_TEST_POSTGRES_USER:-postgres}" \
    -Dbench.postgres-password="${HUB_TEST_POSTGRES_PASSWORD:-}"
fi
if $api; then
  scripts/api-bench.sh | tee "$out/api.txt"
fi

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), \
$(java -version 2>&1 | head -1 | cut -d'"' -f2)"
{
  echo "Backup Hub benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'); $machine"
  echo
  echo "| figure | hub | floor | unit | hub / floor |"
  echo "|---|---:|---:|---|---:|"
  outputs=(target/surefire-reports/io.backuphub.bench.*-output.txt "$out/api.txt")
  # a benchmark may print its rows on both streams: each row once
  for f in "${outputs[@]}"; do if [ -f "$f" ]; then grep "^BENCH|" "$f" || true; fi; done \
    | awk -F'|' '!seen[$0]++ { printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6 }'
} > "$out/report.md"
cat "$out/report.md"

if [ -f "$out/ingest-rate.csv" ] && command -v gnuplot >/dev/null 2>&1; then
  gnuplot <<GNUPLOT
set terminal pngcairo size 900,480 font ",11" noenhanced
set output "$out/ingest-rate.png"
set datafile separator ","
set title "First-sync ingest rate against catalog size ($machine)"
set xlabel "backups already in the catalog"
set ylabel "backups ingested per second"
set format x "%.0s%c"
set grid
set key off
set yrange [0:*]
plot "$out/ingest-rate.csv" using 1:2 every ::1 with linespoints lw 2 pt 7
GNUPLOT
  echo "Chart: $out/ingest-rate.png"
fi
