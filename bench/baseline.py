#!/usr/bin/env python3
"""The program users write today: read the roster with the csv module, validate each
cédula and RUC with python-stdnum, write a CSV report. The baseline `bench/run.sh` compares
patronal against, side by side on the same roster.

Usage: baseline.py ROSTER.csv REPORT.csv
"""
import csv
import sys

from stdnum.ec import ci, ruc


def verdict(row):
    problems = []
    if not ci.is_valid(row["Cédula"]):
        problems.append("cedula")
    if not ruc.is_valid(row["RUC"]):
        problems.append("ruc")
    if not row["Correo"].strip():
        problems.append("correo")
    return "invalid" if problems else "ready", " ".join(problems)


def main(src, dst):
    with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(f)
        writer = csv.writer(out)
        writer.writerow(reader.fieldnames + ["status", "problems"])
        for row in reader:
            status, problems = verdict(row)
            writer.writerow(list(row.values()) + [status, problems])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
