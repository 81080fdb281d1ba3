#!/usr/bin/env bash
# The marked copy (`check --marked DIR`) against the workbook report of the same roster
# (`check -o informe.xlsx`), side by side in one run: a generated .xlsx roster (edited in
# place) and the same records as CSV (a values-only copy). Wall time is the best of three
# runs, memory the largest peak (/usr/bin/time). Prints a Markdown table. With UMYA=path
# to a build of bench/umya_eval (see docs/decisions.md), the same .xlsx marked by
# umya-spreadsheet too.
#
#   bench/marked.sh               # 200,000 records
#   ROWS=50000 bench/marked.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${ROWS:-200000}
seed=${SEED:-7}
dir=${BENCH_DIR:-/tmp/patronal-bench-marked}
mkdir -p "$dir"

cargo build --release --locked --quiet
patronal=${CARGO_TARGET_DIR:-$PWD/target}/release/patronal

best_of3() {
    local best="" mem="" start end secs kb
    for _ in 1 2 3; do
        rm -rf "$dir/out"
        start=$EPOCHREALTIME
        /usr/bin/time -f "%M" -o "$dir/time" "$@" >/dev/null 2>&1 || true
        end=$EPOCHREALTIME
        secs=$(printf "%.3f" "$(echo "$end - $start" | bc)")
        kb=$(tail -n 1 "$dir/time")
        if [[ -z $best ]] || (($(echo "$secs < $best" | bc))); then best=$secs; fi
        if [[ -z $mem ]] || ((kb > mem)); then mem=$kb; fi
    done
    echo "$best $mem"
}

cd "$dir"
[[ -f "r$rows.xlsx" ]] || "$patronal" sample --rows "$rows" --seed "$seed" --sheets 1 -o "r$rows.xlsx"
[[ -f "r$rows.csv" ]] || "$patronal" sample --rows "$rows" --seed "$seed" -o "r$rows.csv"

echo "Machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg); rosters from patronal sample --seed $seed"
echo
echo "| roster | run | seconds | peak memory | ÷ the workbook report |"
echo "|---|---|---:|---:|---:|"
for ext in xlsx csv; do
    roster="r$rows.$ext"
    read -r report_s report_kb < <(best_of3 "$patronal" check "$roster" -o out.xlsx --fail-on never)
    read -r marked_s marked_kb < <(best_of3 "$patronal" check "$roster" --marked out --fail-on never)
    echo "| $rows records, .$ext | check -o informe.xlsx | $report_s | $((report_kb / 1024)) MB | 1.00× |"
    echo "| $rows records, .$ext | check --marked DIR | $marked_s | $((marked_kb / 1024)) MB | $(printf "%.2f" "$(echo "$marked_s / $report_s" | bc -l)")× |"
done
if [[ -n ${UMYA:-} ]]; then
    read -r umya_s umya_kb < <(best_of3 "$UMYA" "r$rows.xlsx" umya.xlsx)
    echo "| $rows records, .xlsx | umya-spreadsheet: read, mark, write | $umya_s | $((umya_kb / 1024)) MB | — |"
fi
