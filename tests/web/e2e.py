#!/usr/bin/env python3
"""The browser version, end to end, in headless Chromium: loads web/dist from a local
server; drops rosters on input#roster (the samples, a generated 20,000-row roster, a bad
file, one with the sample catastro on input#catastro); checks #summary's counts against the
CLI's; downloads the JSON Lines report and compares it with the CLI's byte for byte (the
`source` path aside); downloads the workbook and compares its cells with the CLI's (the
audit's date and time aside); and asserts that no request left the page's origin.

    python3 tests/web/e2e.py [--cli target/release/patronal] [--dist web/dist]

Needs chromium and chromium-driver (Debian), a built web/dist (web/build.sh) and the CLI
(cargo build --release). Exit status 0 when every check passed.
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Browser, Server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCE = re.compile(rb'"source":"(?:[^"\\]|\\.)*"')
# Summary-sheet rows whose value is the run's own: when, and how long it took.
OWN_ROWS = {"Audit date and time", "Time taken (s)", "Fecha y hora de la auditoría", "Tiempo (s)"}

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def cli(args, cwd):
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True)


def cli_report(roster, fmt, lang="en", catastro=None):
    """The CLI's report of `roster` (run from its folder, so that `source` is its name)."""
    folder, name = os.path.split(roster)
    out = os.path.join(WORK, f"cli-{name}-{lang}.{fmt}")
    args = ["check", name, "-o", out, "--lang", lang]
    if catastro:
        args += ["--catastro", catastro]
    run = cli(args, folder)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"patronal {' '.join(args)}: {run.stderr.decode()}")
    with open(out, "rb") as f:
        return f.read()


def counts_of(jsonl):
    c = {"records": 0, "ready": 0, "invalid": 0, "in_person": 0}
    for line in jsonl.splitlines():
        status = json.loads(line)["status"]
        c["records"] += 1
        c[status] += 1
    return c


def open_page(b):
    b.get(SERVER.origin + "/")
    b.wait("return !!document.getElementById('roster')")


def drop(b, roster, catastro=None):
    """Chooses the files on a fresh page and waits for the summary (or an error)."""
    open_page(b)
    if catastro:
        b.send_file("input#catastro", catastro)
    b.send_file("input#roster", roster)
    return b.wait(
        "const s = document.getElementById('summary').dataset;"
        "const e = document.getElementById('error');"
        "if (!e.hidden) return {error: e.textContent};"
        "return s.records !== undefined && {records: +s.records, ready: +s.ready,"
        " invalid: +s.invalid, in_person: +s.inPerson};"
    )


def download(b, fmt):
    for f in os.listdir(b.downloads):
        os.remove(os.path.join(b.downloads, f))
    b.click(f"a#download-{fmt}")
    with open(b.download("." + fmt), "rb") as f:
        return f.read()


def cells(xlsx_bytes):
    """Every sheet of a workbook: {sheet name: {cell ref: text}}, strings shared or inline."""
    z = zipfile.ZipFile(__import__("io").BytesIO(xlsx_bytes))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    book = {}
    for sheet in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
        target = rels[sheet.get(f"{{{ns['r']}}}id")].lstrip("/")
        path = target if target.startswith("xl/") else "xl/" + target
        values = {}
        for c in ET.fromstring(z.read(path)).iter(f"{{{ns['m']}}}c"):
            kind, v = c.get("t"), c.find("m:v", ns)
            if kind == "s":
                text = shared[int(v.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t"))
            else:
                text = v.text if v is not None else ""
            values[c.get("r")] = text
        book[sheet.get("name")] = values
    return book


def same_workbook(web, ours):
    """None when the workbooks hold the same cells, else the first difference."""
    a, b = cells(web), cells(ours)
    if list(a) != list(b):
        return f"sheets {list(a)} != {list(b)}"
    if sum(map(len, b.values())) < 100:
        return f"only {sum(map(len, b.values()))} cells"
    for name in a:
        own = {re.sub(r"\D", "", ref) for ref, text in b[name].items() if text in OWN_ROWS}
        for ref in sorted(set(a[name]) | set(b[name])):
            if re.sub(r"\D", "", ref) in own:
                continue
            if a[name].get(ref) != b[name].get(ref):
                return f"{name}!{ref}: {a[name].get(ref)!r} != {b[name].get(ref)!r}"
    return None


def marks(xlsx_bytes):
    """A marked copy's marks, sheet by sheet: {sheet: {cell: (fill, note)}} for every cell
    that has a fill or a note, and its cells' values."""
    z = zipfile.ZipFile(__import__("io").BytesIO(xlsx_bytes))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fills = []
    for fill in styles.find("m:fills", ns):
        fg = fill.find(".//m:fgColor", ns)
        fills.append(fg.get("rgb") if fg is not None else None)
    xfs = [int(xf.get("fillId", "0")) for xf in styles.find("m:cellXfs", ns)]
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = {}
    for sheet in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
        target = rels[sheet.get(f"{{{ns['r']}}}id")].lstrip("/")
        path = target if target.startswith("xl/") else "xl/" + target
        found = {}
        for c in ET.fromstring(z.read(path)).iter(f"{{{ns['m']}}}c"):
            fill = fills[xfs[int(c.get("s", "0"))]]
            if fill:
                found[c.get("r")] = [fill, None]
        folder, name = path.rsplit("/", 1)
        rels_path = f"{folder}/_rels/{name}.rels"
        if rels_path in z.namelist():
            for r in ET.fromstring(z.read(rels_path)):
                if r.get("Type").endswith("/comments"):
                    t = r.get("Target")
                    t = t.lstrip("/") if t.startswith("/") else "xl/" + t.replace("../", "")
                    for c in ET.fromstring(z.read(t)).iter(f"{{{ns['m']}}}comment"):
                        text = "".join(x.text or "" for x in c.iter(f"{{{ns['m']}}}t"))
                        found.setdefault(c.get("ref"), [None, None])[1] = text
        out[sheet.get("name")] = {k: tuple(v) for k, v in found.items()}
    return out, cells(xlsx_bytes)


def cli_marked(rosters, lang="en"):
    """The CLI's marked copies of `rosters` (run from their folder): {copy name: bytes}."""
    folder = os.path.dirname(rosters[0])
    out = os.path.join(WORK, f"marked-{lang}")
    shutil.rmtree(out, ignore_errors=True)
    run = cli(["check", *[os.path.basename(r) for r in rosters], "--marked", out, "--lang", lang], folder)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"patronal check --marked: {run.stderr.decode()}")
    copies = {}
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as f:
            copies[name] = f.read()
    return copies


def main():
    global CLI, WORK, SERVER
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "patronal"))
    p.add_argument("--dist", default=os.path.join(ROOT, "web", "dist"))
    a = p.parse_args()
    CLI = os.path.abspath(a.cli)
    WORK = tempfile.mkdtemp(prefix="patronal-e2e-")
    SERVER = Server(os.path.abspath(a.dist))
    b = Browser()
    started = time.monotonic()
    try:
        # Inputs: the samples, and a generated roster of 20,000 records.
        rosters = []
        for name in ["clientes.csv", "clientes.xlsx", "nomina_excel.csv"]:
            shutil.copy(os.path.join(ROOT, "samples", name), WORK)
            rosters.append(os.path.join(WORK, name))
        big = os.path.join(WORK, "generada.csv")
        cli(["sample", "--rows", "20000", "--seed", "7", "-o", big], WORK)
        rosters.append(big)
        # Every workbook format, and a UTF-16 roster with tabs.
        for name in ["small.ods", "small.xls", "small.xlsx"]:
            shutil.copy(os.path.join(ROOT, "tests", "data", name), WORK)
            rosters.append(os.path.join(WORK, name))
        with open(os.path.join(ROOT, "samples", "nomina_excel.csv"), "rb") as f:
            text = f.read().decode("cp1252").replace(";", "\t")
        with open(os.path.join(WORK, "utf16.csv"), "wb") as f:
            f.write(b"\xff\xfe" + text.encode("utf-16-le"))
        rosters.append(os.path.join(WORK, "utf16.csv"))
        b.network_log()

        for roster in rosters:
            name = os.path.basename(roster)
            ours = cli_report(roster, "jsonl")
            got = drop(b, roster)
            check(got == counts_of(ours), f"{name}: #summary {got} = CLI {counts_of(ours)}")
            web = download(b, "jsonl")
            same = SOURCE.sub(b'"source":""', web) == SOURCE.sub(b'"source":""', ours)
            check(same, f"{name}: JSON Lines report = CLI's byte for byte ({len(ours)} bytes)")

        # Dropped on the page (a drop event carrying the file), rather than chosen.
        open_page(b)
        with open(rosters[0], "rb") as f:
            data = base64.b64encode(f.read()).decode()
        b.js("const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));"
             "const t = new DataTransfer();"
             "t.items.add(new File([bytes], 'clientes.csv'));"
             "document.querySelector('main').dispatchEvent("
             " new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));", data)
        got = b.wait("const s = document.getElementById('summary').dataset;"
                     "return s.records !== undefined && {records: +s.records, ready: +s.ready,"
                     " invalid: +s.invalid, in_person: +s.inPerson};")
        check(got == counts_of(cli_report(rosters[0], "jsonl")), f"dropped on the page: {got}")

        # The workbook, as the CLI writes it with -o informe.xlsx.
        for roster in rosters[:2]:
            name = os.path.basename(roster)
            drop(b, roster)
            web = download(b, "xlsx")
            diff = same_workbook(web, cli_report(roster, "xlsx"))
            check(diff is None, f"{name}: workbook opens, its sheets and cells = CLI's ({diff or 'same'})")
            csv_web = download(b, "csv")
            check(csv_web == cli_report(roster, "csv"), f"{name}: CSV report = CLI's")

        # The rosters back, marked: the page's copy has the CLI's marks, notes and cells.
        for roster in [rosters[1], rosters[0]]:
            name = os.path.basename(roster)
            drop(b, roster)
            for f in os.listdir(b.downloads):
                os.remove(os.path.join(b.downloads, f))
            b.click("a#download-marked")
            with open(b.download(".xlsx"), "rb") as f:
                web = f.read()
            ours = cli_marked([roster])
            copy = next(iter(ours.values()))
            web_marks, web_cells = marks(web)
            cli_marks, cli_cells = marks(copy)
            n = sum(map(len, cli_marks.values()))
            check(n > 10 and web_marks == cli_marks,
                  f"{name}: the marked copy's {n} marks and notes = the CLI's copy's")
            check(web_cells == cli_cells, f"{name}: the marked copy's cells = the CLI's copy's")
        # Several rosters: one zip of their copies, named as the CLI names them.
        open_page(b)
        b.send_file("input#roster", *rosters[:3])
        b.wait("return document.getElementById('summary').dataset.records !== undefined")
        for f in os.listdir(b.downloads):
            os.remove(os.path.join(b.downloads, f))
        b.click("a#download-marked")
        with open(b.download(".zip"), "rb") as f:
            z = zipfile.ZipFile(__import__("io").BytesIO(f.read()))
        ours = cli_marked(rosters[:3])
        check(sorted(z.namelist()) == sorted(ours),
              f"three rosters: a zip of {sorted(z.namelist())} = the CLI's {sorted(ours)}")
        check(all(marks(z.read(n)) == marks(ours[n]) for n in ours if n in z.namelist()),
              "three rosters: each copy's marks and cells = the CLI's")

        # In Spanish, with the catastro: the switch re-renders, the reports follow.
        catastro = os.path.join(ROOT, "samples", "catastro", "SRI_RUC_Muestra.csv")
        shutil.copy(catastro, WORK)
        roster = rosters[0]
        got = drop(b, roster, os.path.join(WORK, "SRI_RUC_Muestra.csv"))
        b.click("#lang")
        b.wait("return document.documentElement.lang === 'es'"
               " && !!document.querySelector('a#download-jsonl[data-ready]')")
        ours = cli_report(roster, "jsonl", "es", "SRI_RUC_Muestra.csv")
        check(got == counts_of(ours), f"with the catastro: #summary {got} = CLI {counts_of(ours)}")
        web = download(b, "jsonl")
        same = SOURCE.sub(b'"source":""', web) == SOURCE.sub(b'"source":""', ours)
        check(same, "with the catastro, in Spanish: JSON Lines report = CLI's")
        flagged = b.js("return document.querySelectorAll('table#flagged tbody tr').length")
        check(flagged == counts_of(ours)["invalid"] + counts_of(ours)["in_person"],
              f"table#flagged lists the {flagged} flagged records")
        b.click("#lang")  # back to English, which the page remembers.

        # Bad files: the CLI's one-line reason.
        with open(os.path.join(WORK, "dañado.xlsx"), "wb") as f:
            f.write(b"PK\x03\x04 not a workbook at all")
        for name in ["damaged_cfb.xls", "far_cell.xls"]:
            shutil.copy(os.path.join(ROOT, "tests", "data", name), WORK)
        shutil.copy(os.path.join(ROOT, "crates", "patronal-core", "tests", "data", "ids.csv"), WORK)
        for name in ["dañado.xlsx", "damaged_cfb.xls", "far_cell.xls", "ids.csv"]:
            run = cli(["check", name, "--lang", "en"], WORK)
            reason = run.stderr.decode().strip().removeprefix("patronal: ")
            got = drop(b, os.path.join(WORK, name))
            check(run.returncode == 2 and got == {"error": reason},
                  f"a bad file: the CLI's reason {reason!r} (page: {got})")

        # Nothing left the page's origin.
        urls = b.network_log()
        away = [u for u in urls if not (u.startswith(SERVER.origin) or u.startswith(("blob:", "data:")))]
        check(len(urls) > 0 and not away, f"{len(urls)} requests, none to another origin {away[:3]}")

        # Offline once loaded: the server gone, the page reloads from its cache and checks.
        b.wait("return navigator.serviceWorker.controller !== null || (location.reload(), false)",
               timeout=30, every=1)
        SERVER.close()
        got = drop(b, rosters[0])
        check(got == counts_of(cli_report(rosters[0], "jsonl")), f"offline, the server gone: {got}")
    finally:
        b.close()
        SERVER.close()  # again after the offline check: a no-op.
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"{len(failures)} failed, in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
