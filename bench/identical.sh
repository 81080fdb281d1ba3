#!/usr/bin/env bash
# Reports byte-identical between two builds: a restructuring must not change a byte.
#
#   bench/identical.sh BASE [NEW]     # NEW defaults to target/release/patronal
#
# Both binaries run from the same scratch folder with the same relative paths (reports
# name their source as given) on samples/clientes.csv, samples/nomina_excel.csv,
# samples/clientes.xlsx and a 200,000-row `patronal sample --seed 7` roster; to JSON Lines,
# CSV, JSON and a workbook; with and without --catastro, with and without --compare
# against a previous report; and with --summary-json. Every output, the exit status and
# stdout/stderr are compared with cmp. What varies from run to run by nature is
# neutralised first, and only that:
#   - the summary's "elapsed_seconds" (--summary-json and the JSON report's summary) and
#     the "in N.NN s" of the summary on stderr are replaced by a fixed text;
#   - a workbook is compared part by part (unzipped), except docProps/core.xml (its
#     creation time), with the Summary sheet's date and time (a string) and its duration
#     (cell B5, seconds) masked.
# Exit 0 when everything is identical; otherwise the differing files are listed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
base=$(realpath "${1:?usage: bench/identical.sh BASE [NEW]}")
new=$(realpath "${2:-$repo/target/release/patronal}")
rows=${ROWS:-200000}
work=${IDENTICAL_DIR:-$(mktemp -d /tmp/patronal-identical.XXXXXX)}
mkdir -p "$work"
cd "$work"
rm -rf samples out && cp -r "$repo/samples" samples
[[ -f big.csv && $(wc -l <big.csv) -gt $rows ]] ||
    "$base" sample --rows "$rows" --seed 7 -o big.csv >/dev/null 2>&1

rosters=(samples/clientes.csv samples/nomina_excel.csv samples/clientes.xlsx big.csv)
catastro=samples/catastro/SRI_RUC_Muestra.csv

# neutralise FILE: the run-to-run variable parts, in place.
neutralise() {
    sed -i -E -e 's/"elapsed_seconds": ?[0-9.e+-]+/"elapsed_seconds":0/g' \
        -e 's/ in [0-9]+\.[0-9]+ s$/ in T s/' \
        -e 's/ en [0-9]+[.,][0-9]+ s$/ en T s/' "$1"
}

# unpack_xlsx FILE DIR: the workbook's parts, without the creation time, and with the
# Summary sheet's date and elapsed time masked.
unpack_xlsx() {
    rm -rf "$2" && mkdir -p "$2"
    (cd "$2" && unzip -q "$1" && rm -f docProps/core.xml)
    for sheet in "$2"/xl/worksheets/*.xml "$2"/xl/sharedStrings.xml; do
        [[ -f $sheet ]] || continue
        sed -i -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?/DATE/g' \
            -e 's/[0-9]+\.[0-9]+ s</T s</g' "$sheet"
    done
    sed -i -E 's|(<c r="B5"[^>]*><v>)[^<]*(</v>)|\1T\2|' "$2/xl/worksheets/sheet1.xml"
}

# run WHO ID ARGS...: runs binary WHO's check into out/WHO/ID.*, keeping the status.
run() {
    local who=$1 id=$2 bin
    shift 2
    [[ $who == base ]] && bin=$base || bin=$new
    mkdir -p "out/$who"
    set +e
    "$bin" check "$@" >"out/$who/$id.stdout" 2>"out/$who/$id.stderr"
    echo $? >"out/$who/$id.status"
    set -e
    neutralise "out/$who/$id.stdout"
    neutralise "out/$who/$id.stderr"
}

# The previous report of each roster for --compare: the base's, without the catastro, so
# that the catastro's verdicts show up as changes.
mkdir -p out
n=0
for roster in "${rosters[@]}"; do
    n=$((n + 1))
    "$base" check "$roster" -o "out/prev$n.jsonl" -q >/dev/null 2>&1 || [[ $? == 1 ]]
done

runs=0
for who in base new; do
    n=0
    for roster in "${rosters[@]}"; do
        n=$((n + 1))
        prev=out/prev$n.jsonl
        for cat in no yes; do
            for cmp in no yes; do
                args=("$roster")
                [[ $cat == yes ]] && args+=(--catastro "$catastro")
                [[ $cmp == yes ]] && args+=(--compare "$prev")
                id="r$n-cat_$cat-cmp_$cmp"
                o=out/$who/$id
                run "$who" "$id" "${args[@]}" -o "$o.jsonl" -o "$o.csv" -o "$o.json" \
                    -o "$o.xlsx" --summary-json "$o.summary.json"
                run "$who" "$id.es" "${args[@]}" --lang es -o "$o.es.csv" --only-flagged
                run "$who" "$id.term" "${args[@]}"
                for f in "$o.json" "$o.summary.json"; do [[ -f $f ]] && neutralise "$f"; done
                [[ -f $o.xlsx ]] && unpack_xlsx "$work/$o.xlsx" "$o.xlsx.d" && rm "$o.xlsx"
                runs=$((runs + 3))
            done
        done
    done
done

status=0
compared=0
while IFS= read -r f; do
    rel=${f#out/base/}
    compared=$((compared + 1))
    if ! cmp -s "$f" "out/new/$rel"; then
        echo "DIFFERENT: $rel" >&2
        status=1
    fi
done < <(find out/base -type f | sort)
extra=$(comm -13 <(cd out/base && find . -type f | sort) <(cd out/new && find . -type f | sort))
[[ -z $extra ]] || { echo "only in new: $extra" >&2; status=1; }
echo "$runs runs, $compared files compared with cmp: $([[ $status == 0 ]] && echo identical || echo DIFFERENT) ($work)"
exit $status
