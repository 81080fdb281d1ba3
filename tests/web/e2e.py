#!/usr/bin/env python3
"""The browser version, end to end, in headless Chromium: loads web/dist from a local
server; drops rosters on input#roster (the samples, a generated 20,000-row roster, a bad
file, one with the sample catastro on input#catastro); checks #summary's counts against the
CLI's; checks that the page says first what could not be checked, the columns used and the
footer rows skipped, in the CLI's words, in both languages; downloads the JSON Lines report
and compares it with the CLI's byte for byte (the `source` path aside); downloads the
workbook and compares its cells with the CLI's (the audit's date and time aside); downloads
the marked copy of the rosters (a workbook, or a zip of several) and compares its cells,
fills and notes with `patronal check --marked`'s, in both languages and with the columns
chosen in the form; and asserts that no request left the page's origin.

    python3 tests/web/e2e.py [--cli target/release/patronal] [--dist web/dist]

Needs chromium and chromium-driver (Debian), a built web/dist (web/build.sh) and the CLI
(cargo build --release). Exit status 0 when every check passed.
"""

import argparse
import base64
import csv
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


def download(b, fmt, ext=None):
    """Clicks a#download-FMT and returns the file it downloads (named `*.EXT`, FMT's own
    extension unless said: the marked copy is an .xlsx, or a .zip of several)."""
    for f in os.listdir(b.downloads):
        os.remove(os.path.join(b.downloads, f))
    b.click(f"a#download-{fmt}")
    with open(b.download("." + (ext or fmt)), "rb") as f:
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


def cli_marked(rosters, lang="en", args=()):
    """The CLI's marked copies of `rosters` (run from their folder, with `args`):
    {copy name: bytes}."""
    folder = os.path.dirname(rosters[0])
    out = os.path.join(WORK, f"marked-{lang}")
    shutil.rmtree(out, ignore_errors=True)
    names = [os.path.basename(r) for r in rosters]
    run = cli(["check", *names, *args, "--marked", out, "--lang", lang], folder)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"patronal check --marked: {run.stderr.decode()}")
    copies = {}
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as f:
            copies[name] = f.read()
    return copies


def flagged_counts(b):
    return b.wait(
        "const s = document.getElementById('summary').dataset;"
        "const e = document.getElementById('error');"
        "if (!e.hidden) return {error: e.textContent};"
        "return s.records !== undefined && {records: +s.records, ready: +s.ready,"
        " invalid: +s.invalid, in_person: +s.inPerson};"
    )


def choose_columns(b, choices):
    """Chooses a column for each field in form#mapping, as a person would, and submits."""
    b.js("for (const [field, header] of Object.entries(arguments[0])) {"
         " const s = document.querySelector(`form#mapping select[name=${field}]`);"
         " s.value = header; s.dispatchEvent(new Event('change', {bubbles: true})); }",
         choices)
    b.click("#recheck")
    return flagged_counts(b)


def remap_round_trip(b, screenshots=None):
    """Headers nobody foresaw, over two columns of cédulas (a tie, never guessed): the page
    refuses the roster, its form offers the headers, the columns chosen there give the
    CLI's counts, report and marked copy with the same --map."""
    with open(os.path.join(ROOT, "samples", "clientes.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0][1:3] = ["Doc. del dueño", "Contribuyente"]
    rows = [r[:2] + [r[1] if i else "Socio"] + r[2:] for i, r in enumerate(rows)]
    raro = os.path.join(WORK, "raro.csv")
    with open(raro, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    got = drop(b, raro)
    if screenshots:
        b.js("window.scrollTo(0, 0)")
        b.screenshot(os.path.join(screenshots, "web-columns.png"))
    shown = b.js("const f = document.querySelector('form#mapping');"
                 "return !f.hidden && Object.fromEntries([...f.querySelectorAll('select')]"
                 ".map((s) => [s.name, [s.value, s.options.length]]))")
    fields = ["id", "ruc", "sucursal", "email", "ruc_status", "first_time", "has_key",
              "employer_type", "id_type", "name"]
    check("error" in got and "Doc. del dueño" in got["error"] and shown
          and sorted(shown) == sorted(fields)
          and shown["id"] == ["", 10] and shown["email"] == ["Correo", 10]
          # The RUC column, found by its cells, shows as the one the next check reads.
          and shown["ruc"] == ["Contribuyente", 10],
          f"remap: refused, form#mapping offers the 9 headers and none, the RUC found by its cells ({got}, {shown})")

    maps = {"id": "Doc. del dueño", "ruc": "Contribuyente"}
    for extra in [{}, {"email": ""}, {"name": "Tipo empleador"}]:
        maps.update(extra)
        got = choose_columns(b, extra or maps)
        args = [a for k, v in maps.items() for a in ("--map", f"{k}={v}")]
        out = os.path.join(WORK, "cli-raro.jsonl")
        run = cli(["check", "raro.csv", *args, "-o", out, "--lang", "en"], WORK)
        with open(out, "rb") as f:
            ours = f.read()
        check(run.returncode in (0, 1) and got == counts_of(ours),
              f"remap {' '.join(args)}: #summary {got} = CLI {counts_of(ours)}")
        web = download(b, "jsonl")
        same = SOURCE.sub(b'"source":""', web) == SOURCE.sub(b'"source":""', ours)
        check(same, f"remap {' '.join(args)}: JSON Lines report = CLI's")
        web = marks(download(b, "marked", "xlsx"))
        ours = marks(next(iter(cli_marked([raro], "en", args).values())))
        check(web == ours and len(web[0]["raro"]) > 10,
              f"remap {' '.join(args)}: the marked copy's marks and cells = CLI's")
        selected = b.js("return Object.fromEntries([...document.querySelectorAll("
                        "'form#mapping select')].map((s) => [s.name, s.value]))")
        check(all(selected[k] == v for k, v in maps.items()),
              f"remap: after the check, the form shows the columns used ({selected})")


def viewport_layout(b):
    return b.js(
        "const rows = [...document.querySelectorAll('#flagged [data-row]')].slice(0, 3);"
        "window.scrollTo(0, 0); rows[0].scrollIntoView({block: 'start'});"
        "const box = (el) => { const r = el.getBoundingClientRect();"
        " return [r.left, r.right, r.top, r.bottom]; };"
        "return {width: window.innerWidth, height: window.innerHeight,"
        " scroll: document.documentElement.scrollWidth,"
        " rows: rows.map((r) => ({row: r.dataset.row,"
        "  status: box(r.querySelector('[data-field=status]')),"
        "  reasons: box(r.querySelector('[data-field=reasons]'))}))};")


def phone_layout(b, roster, screenshots):
    """At 390 px (a phone), each flagged record's status and reasons are on screen, with
    nothing to scroll sideways."""
    b.cdp("Emulation.setDeviceMetricsOverride",
          {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        drop(b, roster)
        got = viewport_layout(b)
        inside = lambda r: (r[0] >= 0 and r[1] <= got["width"] and r[2] >= 0
                            and r[3] <= got["height"])
        check(got["width"] == 390 and got["scroll"] <= got["width"],
              f"390 px: no horizontal scrolling (page {got['scroll']} px wide)")
        check(len(got["rows"]) == 3 and all(inside(r["status"]) and inside(r["reasons"])
                                            for r in got["rows"]),
              f"390 px: status and reasons of the first records inside the viewport {got['rows']}")
        if screenshots:
            b.js("window.scrollTo(0, document.getElementById('flagged').offsetTop - 120)")
            b.screenshot(os.path.join(screenshots, "web-phone.png"))
    finally:
        b.cdp("Emulation.clearDeviceMetricsOverride")
    if screenshots:
        drop(b, roster)
        b.js("window.scrollTo(0, document.getElementById('results').offsetTop - 20)")
        b.screenshot(os.path.join(screenshots, "web-desktop.png"))


def spanish_browser(roster):
    """A browser whose language is Spanish opens the page in Spanish."""
    es = Browser(lang="es-EC")
    try:
        open_page(es)
        got = es.wait("return document.documentElement.lang === 'es' &&"
                      " document.querySelector('[data-t=drop]').textContent")
        drop(es, roster)
        label = es.js("return document.querySelector('.for-scripts-label').textContent")
        check(got == "Suelte aquí una nómina, o elíjala" and label == "Para programas",
              f"a Spanish browser: the page in Spanish ({got!r}; JSON Lines under {label!r})")
    finally:
        es.close()


def main():
    global CLI, WORK, SERVER
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "patronal"))
    p.add_argument("--dist", default=os.path.join(ROOT, "web", "dist"))
    p.add_argument("--screenshots", help="write web-phone.png and web-desktop.png here (docs/)")
    a = p.parse_args()
    CLI = os.path.abspath(a.cli)
    WORK = tempfile.mkdtemp(prefix="patronal-e2e-")
    SERVER = Server(os.path.abspath(a.dist))
    b = Browser()
    started = time.monotonic()
    try:
        # Inputs: the samples, and a generated roster of 20,000 records.
        rosters = []
        for name in ["clientes.csv", "clientes.xlsx", "nomina_excel.csv", "nomina_oficina.csv"]:
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

        # What could not be checked, the columns used and the footer rows skipped: the CLI's
        # words, on the page, in both languages.
        oficina = os.path.join(WORK, "nomina_oficina.csv")
        drop(b, oficina)
        for lang, not_checked, footer in [("en", "NOT CHECKED", "footer rows"),
                                          ("es", "SIN REVISAR", "filas de pie")]:
            if lang == "es":
                b.click("#lang")
                b.wait("return document.documentElement.lang === 'es'"
                       " && document.querySelector('#unchecked li strong')"
                       " && document.querySelector('#unchecked li strong').textContent.startsWith('SIN')")
            run = cli(["check", "nomina_oficina.csv", "--lang", lang], WORK)
            said = [l for l in run.stderr.decode().splitlines() if l.startswith(not_checked)]
            shown = b.js("return [...document.querySelectorAll('#unchecked li strong')]"
                         ".map((e) => e.textContent)")
            check(len(said) == 2 and shown == said,
                  f"{lang}: #unchecked says what the CLI says first ({shown} = {said})")
            email = b.js("return document.querySelector('#column-groups dd[data-field=email]').textContent")
            cli_email = [l for l in run.stderr.decode().splitlines() if "Datos de contacto" in l]
            check(len(cli_email) == 1 and cli_email[0].strip().endswith(email),
                  f"{lang}: the e-mail column as the CLI names it: {email!r}")
            missing = b.js("return document.querySelectorAll('#column-groups dd.missing').length")
            check(missing == 6, f"{lang}: the fields without a column are marked ({missing})")
            notes = b.js("return [...document.querySelectorAll('#notes li')].map((e) => e.textContent)")
            check(any(footer in n and "TOTAL EMPLEADORES: 10" in n for n in notes),
                  f"{lang}: the footer rows skipped are listed: {notes}")
            opened = b.js("return document.getElementById('columns').open")
            check(opened, f"{lang}: the columns are shown open when a check could not run")
        b.click("#lang")  # back to English.
        b.wait("return document.documentElement.lang === 'en'")

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
            web = download(b, "marked", "xlsx")
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
        z = zipfile.ZipFile(__import__("io").BytesIO(download(b, "marked", "zip")))
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
        web = download(b, "marked", "xlsx")
        name = b.js("return document.getElementById('download-marked').download")
        copies = cli_marked([roster], "es", ["--catastro", "SRI_RUC_Muestra.csv"])
        web_marks, cli_marks = marks(web), marks(next(iter(copies.values())))
        notes = [n for sheet in web_marks[0].values() for _, n in sheet.values() if n]
        spanish = any("Cómo corregir" in n for n in notes) and not any("How to fix" in n for n in notes)
        check(name == "clientes (marcada).xlsx" and spanish and web_marks == cli_marks,
              f"with the catastro, in Spanish: the marked copy {name!r}, its {len(notes)} notes"
              " in Spanish, its marks and cells = the CLI's")
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
        for name in ["dañado.xlsx", "damaged_cfb.xls", "far_cell.xls"]:
            run = cli(["check", name, "--lang", "en"], WORK)
            reason = run.stderr.decode().strip().removeprefix("patronal: ")
            got = drop(b, os.path.join(WORK, name))
            check(run.returncode == 2 and got == {"error": reason},
                  f"a bad file: the CLI's reason {reason!r} (page: {got})")
        # No id nor RUC column: the CLI's reason, pointing to the page's form, not to --map.
        run = cli(["check", "ids.csv", "--lang", "en"], WORK)
        reason = run.stderr.decode().strip().removeprefix("patronal: ")
        got = drop(b, os.path.join(WORK, "ids.csv"))
        same_start = reason.split(". Use --map")[0]
        form = b.js("const f = document.querySelector('form#mapping');"
                    "return !f.hidden && [...f.querySelectorAll('select[name=id] option')]"
                    ".map((o) => o.value)")
        check(run.returncode == 2 and "error" in got and got["error"].startswith(same_start)
              and "--map" not in got["error"] and '"Columns"' in got["error"]
              and form and form[0] == "" and len(form) == 4,
              f"a missing column points to form#mapping: {got} (its id options: {form})")

        remap_round_trip(b, a.screenshots)
        phone_layout(b, rosters[0], a.screenshots)
        spanish_browser(rosters[0])

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
