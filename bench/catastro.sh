#!/usr/bin/env bash
# The catastro at national scale, on a synthetic registry (the real files are not in the
# repository): about 3.5 million rows, 2.8 million RUCs, 670 MB. Index build throughput,
# index load time, and `check` on 200,000 records with and without the index.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/patronal-bench}
mkdir -p "$dir"
cargo build --release --locked --quiet
p=target/release/patronal
csv="$dir/SRI_RUC_Sintetico.csv"
[[ -f $csv ]] || $p sample --format catastro --rows 3500000 --seed 7 -o "$csv"
[[ -f $dir/roster-200000.csv ]] || $p sample --rows 200000 --seed 7 -o "$dir/roster-200000.csv"
$p sample --rows 1 --seed 7 -o "$dir/one.csv"
echo "catastro: $(($(wc -l <"$csv") - 1)) rows, $(($(stat -c %s "$csv") / 1000000)) MB"
/usr/bin/time -f "build: %e s, peak %M KB" $p catastro build "$csv" -o "$dir/registry.idx"
ls -l "$dir/registry.idx" | awk '{printf "index: %.1f MB\n", $5 / 1e6}'
for _ in 1 2 3; do
    /usr/bin/time -f "check of 1 record with the index (load + lookup): %e s" $p check "$dir/one.csv" --catastro "$dir/registry.idx" -q --fail-on never
done
for _ in 1 2 3; do
    /usr/bin/time -f "check of 200,000 records without: %e s" $p check "$dir/roster-200000.csv" -o "$dir/r.csv" -q --fail-on never
    /usr/bin/time -f "check of 200,000 records with the index: %e s" $p check "$dir/roster-200000.csv" --catastro "$dir/registry.idx" -o "$dir/r.csv" -q --fail-on never
done
