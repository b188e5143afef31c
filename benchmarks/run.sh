#!/usr/bin/env bash
# One configuration of the benchmarks in one command:
#
#   benchmarks/run.sh LABEL DATABASE_URL DATA_DIR [DOCUMENTS [BASELINE_LABEL]]
#
#   benchmarks/run.sh pg-100k postgres://postgres@127.0.0.1:5432/vanthu_bench_100k /srv/bench/pg-100k 100000
#   benchmarks/run.sh pg-1m postgres://postgres@127.0.0.1:5432/vanthu_seed_1m /tmp/seedwork/data1m 1000000 pg-100k
#   benchmarks/run.sh sqlite-100k sqlite:////srv/bench/sqlite-100k/vanthu.sqlite3 /srv/bench/sqlite-100k 100000
#
# When DOCUMENTS is given and the database holds no document yet, `vanthu seed-scale` fills it first
# (its report in DATA_DIR/seed-report.json; SEED_REPORT=path names an existing one). Then
# `vanthu bench --label LABEL --http 60` writes benchmarks/results/LABEL.json and the LABEL section
# of benchmarks/RESULTS.md. Extra arguments for vanthu bench: BENCH_ARGS="--iterations 50".
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
label=$1 database=$2 data_dir=$3 documents=${4:-} baseline=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
vanthu="$root/.venv/bin/vanthu"
export VANTHU_DATABASE_URL="$database" VANTHU_DATA_DIR="$data_dir"
mkdir -p "$data_dir"
report="${SEED_REPORT:-$data_dir/seed-report.json}"

count=$("$vanthu" manage shell -c "from vanthu.documents.models import Document; print(Document.objects.count())" 2>/dev/null | tail -1 || echo 0)
if [ -n "$documents" ] && [ "${count:-0}" = "0" ]; then
    echo "==> seed-scale --documents $documents into an empty database"
    "$vanthu" seed-scale --documents "$documents" --seed 6 --report "$report"
fi

arguments=(--label "$label" --http 60)
[ -f "$report" ] && arguments+=(--accounts "$report")
[ -n "$baseline" ] && arguments+=(--baseline "$baseline")
cd "$root"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of words
exec "$vanthu" bench "${arguments[@]}" ${BENCH_ARGS:-}
