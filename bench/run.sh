#!/usr/bin/env bash
# Side by side, in one run, on the same generated rosters: `patronal check` to a CSV and to a
# JSON Lines report, a parse-only pass (`xsv count`, the floor), and the python-stdnum
# baseline (bench/baseline.py, the program users write today). Wall time is the best of
# three runs; peak memory (max RSS) comes from /usr/bin/time -v. Prints a Markdown table.
#
#   bench/run.sh                 # 200,000 and 1,000,000 records
#   ROWS="10000000" bench/run.sh # other sizes
#   SEED=11 bench/run.sh         # other generated rosters (a held-out roster: not seed 7)
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${ROWS:-"200000 1000000"}
seed=${SEED:-7}
dir=${BENCH_DIR:-/tmp/patronal-bench}
mkdir -p "$dir"

cargo build --release --locked --quiet
patronal=target/release/patronal
command -v xsv >/dev/null || cargo install --locked --quiet xsv
python3 -c 'import stdnum' 2>/dev/null || python3 -m pip install --quiet python-stdnum

# best_of3 CMD...: prints "seconds peak_kb" of the fastest of three runs. Wall time from
# bash's microsecond clock (time(1) rounds to hundredths, too coarse for a 0.02 s run),
# peak memory from /usr/bin/time.
best_of3() {
    local best="" mem="" start end secs kb
    for _ in 1 2 3; do
        start=$EPOCHREALTIME
        /usr/bin/time -f "%M" -o "$dir/time" "$@" >/dev/null 2>&1 || true
        end=$EPOCHREALTIME
        secs=$(printf "%.3f" "$(echo "$end - $start" | bc)")
        read -r kb <"$dir/time"
        if [[ -z $best ]] || (($(echo "$secs < $best" | bc))); then best=$secs; fi
        if [[ -z $mem ]] || ((kb > mem)); then mem=$kb; fi
    done
    echo "$best $mem"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d); rosters from patronal sample --seed $seed"
echo
echo "| records | run | seconds | records/s | peak memory | vs python-stdnum | vs parse floor |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in $rows; do
    roster="$dir/roster-$n-seed$seed.csv"
    [[ -f $roster ]] || $patronal sample --rows "$n" --seed "$seed" -o "$roster"
    read -r floor floor_kb < <(best_of3 xsv count "$roster")
    read -r py py_kb < <(best_of3 python3 bench/baseline.py "$roster" "$dir/python.csv")
    read -r csv csv_kb < <(best_of3 $patronal check "$roster" -o "$dir/report.csv" -q --fail-on never)
    read -r jsonl jsonl_kb < <(best_of3 $patronal check "$roster" -o "$dir/report.jsonl" -q --fail-on never)
    row() { # label secs kb
        local rate ratio_py ratio_floor
        rate=$(echo "$n / $2" | bc)
        ratio_py=$(echo "scale=1; $py / $2" | bc)
        ratio_floor=$(echo "scale=1; $2 / $floor" | bc)
        printf "| %'d | %s | %s | %'d | %d MB | %s× faster | %s× |\n" "$n" "$1" "$2" "$rate" $(($3 / 1024)) "$ratio_py" "$ratio_floor"
    }
    row "patronal check → CSV report" "$csv" "$csv_kb"
    row "patronal check → JSON Lines" "$jsonl" "$jsonl_kb"
    row "xsv count (parse only)" "$floor" "$floor_kb"
    row "python-stdnum baseline" "$py" "$py_kb"
done

# Excel: a sheet of Excel's maximum size (1,048,576 rows: title, blank, header, records),
# against calamine's own streaming read of the same cells.
xlsx="$dir/roster-excel-max-seed$seed.xlsx"
[[ -f $xlsx ]] || $patronal sample --rows 1048573 --sheets 1 --seed "$seed" -o "$xlsx"
cargo build --release --locked --quiet --example calamine_read
read -r cal cal_kb < <(best_of3 target/release/examples/calamine_read "$xlsx")
read -r xcsv xcsv_kb < <(best_of3 $patronal check "$xlsx" -o "$dir/report-x.csv" -q --fail-on never)
read -r xjsonl xjsonl_kb < <(best_of3 $patronal check "$xlsx" -o "$dir/report-x.jsonl" -q --fail-on never)
echo
echo "| xlsx, 1,048,573 records | seconds | peak memory | vs calamine's read |"
echo "|---|---:|---:|---:|"
for run in "patronal check → CSV report:$xcsv:$xcsv_kb" "patronal check → JSON Lines:$xjsonl:$xjsonl_kb" "calamine streaming read (cells only):$cal:$cal_kb"; do
    IFS=: read -r label secs kb <<<"$run"
    printf "| %s | %s | %d MB | %s× |\n" "$label" "$secs" $((kb / 1024)) "$(echo "scale=2; $secs / $cal" | bc)"
done
