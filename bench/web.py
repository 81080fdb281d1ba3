#!/usr/bin/env python3
"""The browser version's speed, memory and size, in headless Chromium beside the CLI, on
generated rosters (patronal sample): a 200,000-record CSV roster (target: 5 s), a
50,000-record .xlsx (10 s), a 1,000,000-record CSV (the tab must not crash: the peak memory
of Chromium's processes is reported), and the .wasm's compressed size (under 3 MB).

Times are wall clock, the best of RUNS, from choosing the file to #summary's counts (the
page reads the file, the worker checks every record); the CLI's is `patronal check FILE`
(the table and the summary, what the page shows) on the same file, in the same run.
Prints a Markdown table. Run by bench/web.sh.
"""

import argparse
import gzip
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "web"))
from driver import Browser, Server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def chromium_rss_mb():
    """The resident memory of every Chromium process (the browser, the tab, its worker)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                if not f.read().strip().startswith("chrom"):
                    continue
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 1e6


class Peak:
    """Samples Chromium's memory every 100 ms while it lives."""

    def __init__(self):
        self.peak = 0.0
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            self.peak = max(self.peak, chromium_rss_mb())
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def page_check(b, origin, path, timeout=600):
    """Seconds from choosing `path` to #summary's counts, and the counts."""
    b.get(origin + "/")
    b.wait("return !!document.getElementById('roster')")
    time.sleep(0.5)
    started = time.monotonic()
    b.send_file("input#roster", path)
    got = b.wait(
        "const s = document.getElementById('summary').dataset;"
        "const e = document.getElementById('error');"
        "if (!e.hidden) return {error: e.textContent};"
        "return s.records !== undefined && {records: +s.records};",
        timeout=timeout, every=0.02,
    )
    seconds = time.monotonic() - started
    if "error" in got:
        raise RuntimeError(f"{path}: {got['error']}")
    return seconds, got["records"]


def cli_check(cli, path):
    started = time.monotonic()
    run = subprocess.run([cli, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"patronal check {path}: exit {run.returncode}")
    return time.monotonic() - started


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "patronal"))
    p.add_argument("--dist", default=os.path.join(ROOT, "web", "dist"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", default="7")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="patronal-bench-web-")
    server = Server(os.path.abspath(a.dist))
    cases = [
        ("200,000-record CSV", "r200k.csv", 200_000, 5.0),
        ("50,000-record .xlsx", "r50k.xlsx", 50_000, 10.0),
        ("1,000,000-record CSV", "r1m.csv", 1_000_000, None),
    ]
    rows = []
    marked = []
    try:
        for _, name, records, _ in cases:
            subprocess.run([a.cli, "sample", "--rows", str(records), "--seed", a.seed,
                            "-o", os.path.join(work, name)], check=True, stderr=subprocess.DEVNULL)
        for label, name, records, target in cases:
            path = os.path.join(work, name)
            runs = a.runs if records < 1_000_000 else 1
            page, cli = [], []
            peak, idle, wasm, download = 0.0, 0.0, 0, None
            for _ in range(runs):
                b = Browser()
                try:
                    b.get(server.origin + "/")
                    b.wait("return !!document.getElementById('roster')")
                    time.sleep(1)
                    idle = chromium_rss_mb()
                    sampler = Peak()
                    seconds, got = page_check(b, server.origin, path)
                    if got != records:
                        raise RuntimeError(f"{name}: {got} records, not {records}")
                    page.append(seconds)
                    chosen = time.monotonic() - seconds
                    if records == 50_000:
                        # The marked copy (rendered first after the check, up to 100,000
                        # records): from choosing the file to its download ready.
                        b.wait("return !!document.querySelector('a#download-marked[data-ready]')",
                               timeout=600, every=0.05)
                        ready = time.monotonic() - chosen
                        b.click("a#download-marked")
                        size = os.path.getsize(b.download(".xlsx", timeout=600))
                        marked.append((ready, size / 1e6))
                    # Above 100,000 records a report is rendered when its link is clicked:
                    # the largest roster's CSV report, the 200,000-record one's workbook.
                    fmt = {1_000_000: "csv", 200_000: "xlsx"}.get(records)
                    wasm = max(wasm, int(b.js("return +document.body.dataset.wasmMemory")))
                    if fmt:
                        started = time.monotonic()
                        b.click(f"a#download-{fmt}")
                        size = os.path.getsize(b.download("." + fmt, timeout=900))
                        after = int(b.js("return +document.body.dataset.wasmMemory")) / 1e6
                        download = (fmt, time.monotonic() - started, size / 1e6, after)
                    peak = max(peak, sampler.stop())
                finally:
                    b.close()
                cli.append(cli_check(a.cli, path))
            best, cli_best = min(page), min(cli)
            verdict = "" if target is None else (" ✓" if best <= target else " ✗")
            rows.append((label, os.path.getsize(path) / 1e6, best, target, verdict, cli_best,
                         best / cli_best, idle, peak, wasm / 1e6, download))
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)
    wasm = os.path.join(a.dist, "patronal_web_bg.wasm")
    raw = os.path.getsize(wasm)
    with open(wasm, "rb") as f:
        gz = len(gzip.compress(f.read(), 9))
    brotli = None
    if shutil.which("brotli"):
        brotli = len(subprocess.run(["brotli", "-c", "-q", "11", wasm], capture_output=True).stdout)
    print(f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()};"
          f" {time.strftime('%Y-%m-%d')}; headless Chromium"
          f" ({subprocess.run(['chromium', '--version'], capture_output=True, text=True).stdout.strip()});"
          f" rosters from patronal sample --seed {a.seed}; best of {a.runs} (1 for 1,000,000)\n")
    print("| roster | MB | page: choose → #summary | target | CLI `check` | page / CLI |"
          " checker's memory after the check | Chromium, all processes: idle → peak |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    notes = []
    for label, mb, best, target, verdict, cli, ratio, idle, peak, wasm, download in rows:
        t = "—" if target is None else f"≤ {target:.0f} s{verdict}"
        print(f"| {label} | {mb:.1f} | {best:.2f} s | {t} | {cli:.2f} s | {ratio:.1f}× |"
              f" {wasm:.0f} MB | {idle:.0f} → {peak:.0f} MB |")
        if download:
            what = "workbook" if download[0] == "xlsx" else "CSV report"
            notes.append(f"{label}: then its {what}, rendered on demand and downloaded:"
                         f" {download[1]:.2f} s, {download[2]:.0f} MB; the checker's memory"
                         f" then {download[3]:.0f} MB; the tab did not crash.")
    for n in notes:
        print("\n" + n)
    if marked:
        ready, mb = min(marked)
        print(f"\n50,000-record .xlsx: choose → its marked copy ready to download (the check,"
              f" then the copy): {ready:.2f} s (target ≤ 10 s"
              f"{' ✓' if ready <= 10 else ' ✗'}), {mb:.1f} MB.")
    size = f"\n.wasm: {raw / 1e6:.2f} MB, {gz / 1e6:.2f} MB gzip -9"
    if brotli:
        size += f", {brotli / 1e6:.2f} MB brotli -q 11"
    print(size + (" (target: under 3 MB compressed ✓)" if gz < 3e6 else " (✗ over 3 MB)"))


if __name__ == "__main__":
    main()
