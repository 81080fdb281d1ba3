#!/usr/bin/env bash
# The Windows build under Wine, against the Linux binary: unzips the zip dist/windows.sh
# wrote, runs patronal.exe on the samples with wildcard arguments (expanded by patronal
# itself: cmd and PowerShell pass `*` through, and so does Wine), and checks that its JSON
# Lines report is the Linux binary's, record for record (`source` aside: `samples\x.csv`
# there), that it reads the Windows user locale, and the drop-a-roster mode.
#
#   tests/windows/wine.sh target/dist/patronal-windows-x86_64.zip target/debug/patronal
#
# Installs Debian's wine and wine64 when missing (as root). Debian's Wine 8 lacks
# ProcessPrng (bcryptprimitives.dll), which Rust's standard library calls at start: a
# stand-in over RtlGenRandom (processprng.c) is built with MinGW beside the copy under test
# only; real Windows 10 and 11 have it, and the zip never holds it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
zip_path=$(realpath "$1")
linux=$(realpath "$2")

if ! command -v wine >/dev/null || ! { command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ]; }; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine wine64 >/dev/null
fi
command -v unzip >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip >/dev/null

work=$(mktemp -d)
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
unzip -q "$zip_path" -d "$work/zip"
for f in patronal.exe README.md README.es.md samples/clientes.csv samples/catastro/SRI_RUC_Muestra.csv; do
    [ -e "$work/zip/$f" ] || { echo "error: the zip lacks $f" >&2; exit 1; }
done
if unzip -l "$zip_path" | grep -qi '\.dll'; then
    echo "error: the zip holds a DLL" >&2
    exit 1
fi
run=$work/run
mkdir -p "$run"
cp -r "$work/zip/." "$run/"
x86_64-w64-mingw32-gcc -O2 -shared -o "$run/bcryptprimitives.dll" "$here/processprng.c" -ladvapi32

export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEARCH=win64
# The stand-in beside the exe, not Wine's own; no Mono or Gecko installer at the first start.
export WINEDLLOVERRIDES="bcryptprimitives=n;mscoree=;mshtml="
unset DISPLAY
wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineboot -i >/dev/null 2>&1 || true

win() { (cd "$run" && "$wine64" patronal.exe "$@"); }

status=0
win check 'samples\*.csv' 'samples\*.xlsx' --catastro 'samples\catastro\SRI_*.csv' --lang en \
    -o windows.jsonl 2>"$work/windows.err" || status=$?
if [ "$status" != 1 ]; then
    echo "error: patronal.exe check: exit $status (expected 1)" >&2
    cat "$work/windows.err" >&2
    exit 1
fi
(cd "$run" && LC_ALL=C; "$linux" check samples/*.csv samples/*.xlsx \
    --catastro samples/catastro/SRI_RUC_Muestra.csv --lang en -o linux.jsonl 2>/dev/null) || [ $? = 1 ]

python3 - "$run/windows.jsonl" "$run/linux.jsonl" <<'PY'
import json, sys
def records(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.append((r.pop("source").replace("\\", "/"), r))
    return out
win, lin = records(sys.argv[1]), records(sys.argv[2])
assert len(win) == len(lin) and win, (len(win), len(lin))
for (ws, w), (ls, l) in zip(win, lin):
    assert ws == ls, (ws, ls)
    assert w == l, (ws, w, l)
print(f"wine: patronal.exe's report is the Linux binary's: {len(win)} records, "
      f"{len(set(s for s, _ in win))} rosters from wildcard arguments")
PY

# A pattern that matches nothing: the Linux binary's message.
out=$(win check 'nada\*.csv' --lang en 2>&1) && { echo "error: no match gave exit 0" >&2; exit 1; }
case "$out" in
    *'`nada\*.csv` matches no file'*) ;;
    *) echo "error: no match: $out" >&2; exit 1 ;;
esac

# Spanish from the Windows user locale (LANG is not what the program reads here: cmd
# clears it), and the version in the exe's resources.
out=$(cd "$run" && LANG=es_EC.UTF-8 LC_ALL=es_EC.UTF-8 "$wine64" cmd /c "set LANG=&& set LC_ALL=&& patronal.exe codes EMAIL_MISSING" 2>&1 | tr -d '\r')
case "$out" in
    *'correo'*) ;;
    *) echo "error: the Windows user locale es_EC did not give Spanish: $out" >&2; exit 1 ;;
esac

# A roster dropped onto patronal.exe: one path, no subcommand, the workbook beside it, a
# second drop never overwrites the first's.
cp "$run/samples/clientes.csv" "$run/nomina.csv"
for n in 1 2; do
    win 'nomina.csv' </dev/null >"$work/drop.out" 2>&1 || [ $? = 1 ] || {
        cat "$work/drop.out" >&2
        exit 1
    }
done
[ -s "$run/nomina.informe.xlsx" ] && [ -s "$run/nomina.informe (2).xlsx" ] \
    && [ -s "$run/nomina.marcada.xlsx" ] && [ -s "$run/nomina.marcada (2).xlsx" ] || {
    echo "error: dropping a roster did not write nomina.informe.xlsx, nomina.marcada.xlsx and their (2)" >&2
    ls "$run" >&2
    cat "$work/drop.out" >&2
    exit 1
}
grep -Eq "120 (records|registros)" "$work/drop.out" && grep -q "nomina.informe (2).xlsx" "$work/drop.out" || {
    cat "$work/drop.out" >&2
    exit 1
}
echo "wine: dropped roster: nomina.informe.xlsx and nomina.marcada.xlsx, then their (2); Spanish from the user locale"
