#!/usr/bin/env python3
"""What csv::Writer would change in a CSV report: it quotes a whole writer one way, and with
its usual style (QuoteStyle::Necessary) it quotes a field only when it holds the delimiter,
a quote, CR or LF. patronal's report quotes its messages field always (docs/decisions.md,
"Hand-written on purpose"): every record whose messages need no quoting would lose two bytes.

Usage: csv_quoting.py REPORT.csv [DELIMITER]   (DELIMITER: , by default; ; for Spanish)

    patronal sample --rows 200000 --seed 7 -o r.csv
    patronal --lang en check r.csv -o en.csv && python3 bench/csv_quoting.py en.csv
    patronal --lang es check r.csv -o es.csv && python3 bench/csv_quoting.py es.csv ';'
"""
import csv
import sys


def main():
    path = sys.argv[1]
    delimiter = sys.argv[2] if len(sys.argv) > 2 else ","
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, delimiter=delimiter)
        header = next(rows)
        column = header.index("messages" if "messages" in header else "mensajes")
        records = needed = empty = 0
        for row in rows:
            records += 1
            cell = row[column]
            if any(c in cell for c in (delimiter, '"', "\r", "\n")):
                needed += 1
            elif not cell:
                empty += 1
    unquoted = records - needed
    print(
        f"{path}: {records} records; messages that need quotes: {needed} "
        f"({100 * needed / records:.1f}%); records csv::Writer would change: {unquoted} "
        f"({100 * unquoted / records:.1f}%, {empty} of them with no message), "
        f"{2 * unquoted} bytes"
    )


if __name__ == "__main__":
    main()
