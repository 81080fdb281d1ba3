// The page: files in, the worker checks them, the overview out. Every text a person reads
// is in English and Spanish: the page's own words here; the data's (statuses, codes,
// messages, hints, errors) from the engine's catalog, in the worker.

const WORDS = {
  en: {
    tagline: "Check an employer roster before an IESS clave patronal recovery.",
    private: "Your file never leaves this computer: it is checked here, in your browser.",
    inputs: "Files",
    drop: "Drop a roster here, or choose it",
    formats: "CSV (any encoding and delimiter), .xlsx, .xlsm, .xlsb, .xls or .ods",
    catastro: "SRI catastro files (optional: CSV or zip)",
    summary: "Summary",
    top: "Most frequent codes",
    downloads: "Reports",
    xlsx: "Workbook (.xlsx)",
    marked: "Marked roster (.xlsx)",
    csv: "CSV",
    jsonl: "JSON Lines",
    flagged: "Flagged records",
    "by-status": "Status",
    "by-code": "Code",
    "col-place": "Row",
    "col-name": "Employer",
    "col-id": "ID",
    "col-ruc": "RUC",
    "col-status": "Status",
    "col-codes": "Codes and messages",
    footer: "patronal runs entirely in this page (WebAssembly). It works offline once loaded.",
    all: "all",
    allFlagged: "all flagged",
    loading: "Loading the checker…",
    reading: "Reading {name}…",
    checking: "{n} records checked",
    checking1: "{n} record checked",
    checked: "{n} records checked in {s} s",
    checked1: "{n} record checked in {s} s",
    records: "{n} records from {tables} ({blank})",
    records1: "{n} record from {tables} ({blank})",
    blank: "{n} blank rows skipped",
    blank1: "{n} blank row skipped",
    shown: "{n} shown",
    more: "… and {n} more flagged records: download a report to see them all.",
    more1: "… and {n} more flagged record: download a report to see it.",
    none: "No record is flagged: every employer should go through online.",
    preparing: "Preparing {what}…",
    ready: "Ready.",
    switchTo: "Español",
    outOfMemory: "The file is too large for this browser's memory: check it with the command line (patronal check).",
    tooBig: "A workbook of more than {n} records is too large to build in a browser: take the CSV report, or write the workbook with the command line (patronal check … -o informe.xlsx).",
    tooBigMarked: "A marked copy of more than {n} records is too large to build in a browser: write it with the command line (patronal check … --marked revisadas).",
    chart: "Records by status",
    "for-scripts": "For scripts",
    columns: "Columns",
    "columns-help": "The column of the roster read for each field. Change one, then check again.",
    recheck: "Check again",
    noColumn: "— none —",
    required: "required",
    f_id: "Identification (cédula)",
    f_ruc: "RUC",
    f_sucursal: "Branch (sucursal)",
    f_email: "E-mail",
    f_ruc_status: "RUC status",
    f_first_time: "First time",
    f_has_key: "Has a key",
    f_employer_type: "Employer type",
    f_id_type: "ID type",
    f_name: "Name (razón social)",
    "columns-used": "Columns used",
    fixEmail: "To check it here: name the e-mail column Correo or Email in the roster.",
    fixStatus: "To check it here: add the SRI catastro files above.",
    fixFirst: "To check it here: add a column Primera vez or Tiene clave to the roster.",
  },
  es: {
    tagline: "Revise una nómina de empleadores antes de recuperar la clave patronal del IESS.",
    private: "Su archivo nunca sale de este computador: se revisa aquí, en su navegador.",
    inputs: "Archivos",
    drop: "Suelte aquí una nómina, o elíjala",
    formats: "CSV (cualquier codificación y separador), .xlsx, .xlsm, .xlsb, .xls u .ods",
    catastro: "Archivos del catastro del SRI (opcional: CSV o zip)",
    summary: "Resumen",
    top: "Códigos más frecuentes",
    downloads: "Informes",
    xlsx: "Libro de Excel (.xlsx)",
    marked: "Nómina marcada (.xlsx)",
    csv: "CSV",
    jsonl: "JSON Lines",
    flagged: "Registros con problemas",
    "by-status": "Estado",
    "by-code": "Código",
    "col-place": "Fila",
    "col-name": "Empleador",
    "col-id": "ID",
    "col-ruc": "RUC",
    "col-status": "Estado",
    "col-codes": "Códigos y mensajes",
    footer: "patronal funciona por completo en esta página (WebAssembly). Sin conexión también, una vez cargada.",
    all: "todos",
    allFlagged: "todos con problemas",
    loading: "Cargando el revisor…",
    reading: "Leyendo {name}…",
    checking: "{n} registros revisados",
    checking1: "{n} registro revisado",
    checked: "{n} registros revisados en {s} s",
    checked1: "{n} registro revisado en {s} s",
    records: "{n} registros de {tables} ({blank})",
    records1: "{n} registro de {tables} ({blank})",
    blank: "{n} filas en blanco omitidas",
    blank1: "{n} fila en blanco omitida",
    shown: "{n} mostrados",
    more: "… y {n} registros más con problemas: descargue un informe para verlos todos.",
    more1: "… y {n} registro más con problemas: descargue un informe para verlo.",
    none: "Ningún registro tiene problemas: todos los empleadores deberían pasar en línea.",
    preparing: "Preparando {what}…",
    ready: "Listo.",
    switchTo: "English",
    outOfMemory: "El archivo es demasiado grande para la memoria de este navegador: revíselo con la línea de comandos (patronal check).",
    tooBig: "Un libro de Excel de más de {n} registros es demasiado grande para armarlo en un navegador: descargue el informe CSV, o escriba el libro con la línea de comandos (patronal check … -o informe.xlsx).",
    tooBigMarked: "Una copia marcada de más de {n} registros es demasiado grande para armarla en un navegador: escríbala con la línea de comandos (patronal check … --marked revisadas).",
    chart: "Registros por estado",
    "for-scripts": "Para programas",
    columns: "Columnas",
    "columns-help": "La columna de la nómina que se lee para cada campo. Cambie una y revise de nuevo.",
    recheck: "Revisar de nuevo",
    noColumn: "— ninguna —",
    required: "obligatoria",
    f_id: "Identificación (cédula)",
    f_ruc: "RUC",
    f_sucursal: "Sucursal",
    f_email: "Correo electrónico",
    f_ruc_status: "Estado del RUC",
    f_first_time: "Primera vez",
    f_has_key: "Tiene clave",
    f_employer_type: "Tipo de empleador",
    f_id_type: "Tipo de identificación",
    f_name: "Razón social",
    "columns-used": "Columnas usadas",
    fixEmail: "Para revisarlo aquí: nombre la columna del correo Correo o Email en la nómina.",
    fixStatus: "Para revisarlo aquí: agregue arriba los archivos del catastro del SRI.",
    fixFirst: "Para revisarlo aquí: agregue a la nómina una columna Primera vez o Tiene clave.",
  },
};

const $ = (id) => document.getElementById(id);
const FORMATS = ["xlsx", "csv", "jsonl", "marked"];
/** The order reports are rendered in after a check: the marked copy first. */
const EAGER = ["marked", "xlsx", "csv", "jsonl"];
const STATUSES = ["ready", "invalid", "in_person"];

/** The user's choice, else the browser's first language (Spanish for any `es-…`). */
let lang = (localStorage.getItem("patronal-lang") ||
  (navigator.languages && navigator.languages[0]) || navigator.language || "en")
  .toLowerCase().startsWith("es") ? "es" : "en";
let overview = null;
let started = 0;
let elapsed = 0;
let files = { rosters: [], catastros: [] };
/** Per format: the Blob URL once rendered; `pending` while the worker renders it. */
let downloads = {};
let wanted = null;
let worker = null;
/** Reports asked for before the last reset (a language switch) are stale when they arrive. */
let generation = 0;

function say(key, values = {}) {
  let text = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(`{${k}}`, v);
  return text;
}

/** A text whose noun follows the count `n`: the key's singular form (`key1`) for one. */
function sayCount(key, n, values = {}) {
  const one = Number(n) === 1 && WORDS[lang][`${key}1`] !== undefined;
  return say(one ? `${key}1` : key, { ...values, n: number(n) });
}

/**
 * One number format per language, as the command line and the workbook write them
 * (crates/patronal-core/src/i18n/number.rs): English `200,000` and `73.3`, Spanish
 * `200.000` and `73,3`.
 */
function decimal(x, places) {
  const [whole, fraction] = Math.abs(Number(x)).toFixed(places).split(".");
  const sep = lang === "es" ? "." : ",";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const sign = Number(x) < 0 && /[1-9]/.test(whole + (fraction || "")) ? "-" : "";
  return fraction === undefined ? sign + grouped : `${sign}${grouped}${lang === "es" ? "," : "."}${fraction}`;
}

function number(n) {
  return decimal(n, 0);
}

function startWorker() {
  if (worker) worker.terminate();
  worker = new Worker("worker.js", { type: "module" });
  worker.onmessage = (e) => onMessage(e.data);
  worker.onerror = (e) => showError(e.message || String(e));
}

function onMessage(m) {
  switch (m.type) {
    case "progress":
      $("progress").value = m.share;
      $("progress-text").textContent = sayCount("checking", m.records);
      break;
    case "catastro":
      addLine($("catastro-lines"), m.line);
      break;
    case "done":
      elapsed = (performance.now() - started) / 1000;
      // For benchmarks: the checker's memory (its peak), and the check's time.
      document.body.dataset.wasmMemory = m.memory;
      document.body.dataset.seconds = elapsed.toFixed(3);
      overview = JSON.parse(m.overview);
      showMapping(m.mapping);
      $("progress").value = 1;
      $("progress-text").textContent = sayCount("checked", overview.records, { s: decimal(elapsed, 2) });
      show();
      // Small runs: every report rendered at once, ready to download. Large ones: on demand.
      if (overview.records <= EAGER_RECORDS) render(EAGER);
      break;
    case "overview":
      overview = JSON.parse(m.overview);
      show();
      if (overview.records <= EAGER_RECORDS) render(EAGER);
      break;
    case "report-progress":
      if (wanted) $("download-note").textContent = `${say("preparing", { what: say(wanted) })} ${sayCount("checking", m.records)}`;
      break;
    case "report":
      document.body.dataset.wasmMemory = m.memory;
      if (m.generation === generation) got(m.format, m.blob, m.name);
      break;
    case "error":
      showError(m.trapped === "memory" ? say("outOfMemory") : m.message);
      if (m.mapping) showMapping(m.mapping);
      if (m.trapped) startWorker();
      break;
  }
}

/** Above this many records the reports are rendered only when asked for (memory). */
const EAGER_RECORDS = 100000;
/**
 * The workbook is built whole in the checker's memory (it seeks): a 1,000,000-record one
 * took 4.1 GB, WebAssembly's limit. Above this many records the page offers the CSV report.
 */
const WORKBOOK_MAX = 500000;

function addLine(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.append(li);
}

function showError(text) {
  $("status").hidden = true;
  $("error").textContent = text;
  $("error").hidden = false;
  document.body.classList.remove("busy");
}

async function check() {
  if (!files.rosters.length) return;
  startWorker();
  resetDownloads();
  overview = null;
  const s = $("summary");
  for (const a of ["records", "ready", "invalid", "in-person"]) s.removeAttribute(`data-${a}`);
  $("results").hidden = true;
  $("mapping").hidden = true;
  $("error").hidden = true;
  $("notes").replaceChildren();
  $("unchecked").replaceChildren();
  $("catastro-lines").replaceChildren();
  $("status").hidden = false;
  $("progress").value = 0;
  $("progress-text").textContent = say("reading", { name: files.rosters.map((f) => f.name).join(", ") });
  document.body.classList.add("busy");
  started = performance.now();
  const read = async (list) => Promise.all(list.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
  const rosters = await read(files.rosters);
  const catastros = await read(files.catastros);
  const transfer = [...rosters, ...catastros].map((f) => f.bytes);
  const columns = Object.entries(chosenColumns);
  worker.postMessage({ type: "check", lang, rosters, catastros, columns }, transfer);
}

function resetDownloads() {
  for (const f of FORMATS) {
    const d = downloads[f];
    if (d && d.url) URL.revokeObjectURL(d.url);
    const a = $(`download-${f}`);
    a.href = "#";
    a.removeAttribute("data-ready");
  }
  downloads = {};
  wanted = null;
  generation += 1;
  $("download-note").textContent = "";
}

function reportName(format) {
  const first = files.rosters[0] ? files.rosters[0].name.replace(/\.[^.]*$/, "") : "informe";
  return `${lang === "es" ? "informe" : "report"}-${first}.${format}`;
}

function got(format, blob, name) {
  const url = URL.createObjectURL(blob);
  downloads[format] = { url };
  const a = $(`download-${format}`);
  a.href = url;
  // The marked copy is named after the roster (a zip of copies for several).
  a.download = name || reportName(format);
  a.dataset.ready = "";
  if (!Object.values(downloads).some((d) => d.pending)) $("download-note").textContent = "";
  if (wanted === format) {
    wanted = null;
    a.click();
  }
}

/** Asks the worker for these reports, one after the other. */
function render(formats) {
  for (const f of formats) downloads[f] = { pending: true };
  worker.postMessage({ type: "report", format: formats[0], then: formats.slice(1), generation });
}

function onDownload(e, format) {
  const d = downloads[format];
  if (d && d.url) return; // the browser downloads the Blob.
  e.preventDefault();
  if (!overview) return;
  if ((format === "xlsx" || format === "marked") && overview.records > WORKBOOK_MAX) {
    const why = format === "marked" ? "tooBigMarked" : "tooBig";
    $("download-note").textContent = say(why, { n: number(WORKBOOK_MAX) });
    return;
  }
  wanted = format;
  $("download-note").textContent = say("preparing", { what: say(format) });
  if (!d) {
    // Large runs keep one report in memory at a time.
    if (overview.records > EAGER_RECORDS) {
      for (const f of FORMATS) {
        const old = downloads[f];
        if (old && old.url) {
          URL.revokeObjectURL(old.url);
          $(`download-${f}`).href = "#";
          $(`download-${f}`).removeAttribute("data-ready");
          delete downloads[f];
        }
      }
    }
    render([format]);
  }
}

function translate() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = say(el.dataset.t);
  $("lang").textContent = lang === "es" ? "EN" : "ES";
  $("lang").setAttribute("aria-label", say("switchTo"));
  $("lang").lang = lang === "es" ? "en" : "es";
}

function show() {
  const o = overview;
  document.body.classList.remove("busy");
  $("results").hidden = false;
  const s = $("summary");
  s.dataset.records = o.records;
  s.dataset.ready = o.ready;
  s.dataset.invalid = o.invalid;
  s.dataset.inPerson = o.in_person;
  $("records-line").textContent = sayCount("records", o.records, { tables: o.tables, blank: sayCount("blank", o.blank_rows) });
  const pct = (n) => (o.records ? (100 * n) / o.records : 0);
  const rows = STATUSES.map((k) => {
    const tr = document.createElement("tr");
    tr.className = k;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = o.labels[k];
    const n = document.createElement("td");
    n.textContent = number(o[k]);
    const p = document.createElement("td");
    p.textContent = `${decimal(pct(o[k]), 1)}%`;
    tr.append(th, n, p);
    return tr;
  });
  $("by-status").replaceChildren(...rows);
  chart(o, pct);
  const codes = o.codes.slice(0, 8).map((c) => {
    const li = document.createElement("li");
    const head = document.createElement("div");
    head.className = "code-head";
    const code = document.createElement("code");
    code.textContent = c.code;
    const n = document.createElement("span");
    n.className = "count";
    n.textContent = number(c.count);
    const sev = document.createElement("span");
    sev.className = `severity ${c.severity}`;
    sev.textContent = c.severity_label;
    head.append(code, n, sev);
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = c.hint;
    li.append(head, hint);
    return li;
  });
  $("codes").replaceChildren(...codes);
  $("notes").replaceChildren();
  for (const n of o.notes) addLine($("notes"), n);
  unchecked(o);
  columns(o);
  const lines = $("catastro-lines");
  lines.replaceChildren();
  for (const n of o.catastro) addLine(lines, n);
  filters();
  table();
}

/** What could not be checked, first and plain: a ready record may still need the visit. */
function unchecked(o) {
  const fix = { email: "fixEmail", ruc_status: "fixStatus", first_time: "fixFirst" };
  const items = o.unchecked.map((u) => {
    const li = document.createElement("li");
    li.dataset.condition = u.condition;
    const text = document.createElement("strong");
    text.textContent = u.text;
    const how = document.createElement("span");
    how.textContent = say(fix[u.condition]);
    li.append(text, " ", how);
    return li;
  });
  $("unchecked").replaceChildren(...items);
}

/** The column each field was read from, per group of tables. */
function columns(o) {
  const groups = o.columns.map((g) => {
    const div = document.createElement("div");
    const title = document.createElement("p");
    title.textContent = g.title;
    const dl = document.createElement("dl");
    for (const f of g.fields) {
      const dt = document.createElement("dt");
      dt.textContent = f.label;
      const dd = document.createElement("dd");
      dd.textContent = f.text;
      dd.dataset.field = f.field;
      if (!f.found) dd.className = "missing";
      dl.append(dt, dd);
    }
    div.append(title, dl);
    return div;
  });
  $("column-groups").replaceChildren(...groups);
  // Open when something the checks need is missing.
  $("columns").open = o.unchecked.length > 0;
}

function chart(o, pct) {
  const svg = $("chart");
  const ns = "http://www.w3.org/2000/svg";
  const parts = [];
  let x = 0;
  const title = document.createElementNS(ns, "title");
  title.textContent = `${say("chart")}: ` + STATUSES.map((k) => `${o.labels[k]} ${decimal(pct(o[k]), 1)}%`).join(", ");
  parts.push(title);
  for (const k of STATUSES) {
    const w = (300 * pct(o[k])) / 100;
    if (w <= 0) continue;
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", x);
    r.setAttribute("y", 0);
    r.setAttribute("width", w);
    r.setAttribute("height", 24);
    r.setAttribute("class", k);
    parts.push(r);
    x += w;
  }
  svg.replaceChildren(...parts);
  svg.setAttribute("aria-label", title.textContent);
}

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}

function filters() {
  const o = overview;
  const status = $("filter-status");
  const keepStatus = status.value;
  status.replaceChildren(option("", say("allFlagged")), option("invalid", o.labels.invalid), option("in_person", o.labels.in_person));
  status.value = keepStatus;
  const code = $("filter-code");
  const keepCode = code.value;
  const seen = new Set();
  for (const r of o.flagged) for (const f of r.findings) seen.add(f.code);
  const list = [...seen].sort();
  code.replaceChildren(option("", say("all")), ...list.map((c) => option(c, c)));
  code.value = list.includes(keepCode) ? keepCode : "";
}

function table() {
  const o = overview;
  const status = $("filter-status").value;
  const code = $("filter-code").value;
  const rows = [];
  for (const r of o.flagged) {
    if (status && r.status !== status) continue;
    if (code && !r.findings.some((f) => f.code === code)) continue;
    const tr = document.createElement("tr");
    tr.className = r.status;
    tr.dataset.row = r.place;
    const cells = [["place", r.place], ["name", r.name], ["id", r.id], ["ruc", r.ruc]];
    for (const [field, text] of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      td.dataset.field = field;
      // The card's label on a phone, where the table has no header (style.css).
      td.dataset.label = say(`col-${field}`);
      tr.append(td);
    }
    const st = document.createElement("td");
    st.dataset.field = "status";
    const badge = document.createElement("span");
    badge.className = `badge ${r.status}`;
    badge.textContent = r.status_label;
    st.append(badge);
    tr.append(st);
    const td = document.createElement("td");
    td.dataset.field = "reasons";
    const ul = document.createElement("ul");
    ul.className = "findings";
    for (const f of r.findings) {
      const li = document.createElement("li");
      li.className = f.severity;
      const c = document.createElement("code");
      c.textContent = f.code;
      li.append(c, " ", f.message);
      ul.append(li);
    }
    td.append(ul);
    tr.append(td);
    rows.push(tr);
  }
  $("flagged").tBodies[0].replaceChildren(...rows);
  $("shown").textContent = say("shown", { n: number(rows.length) });
  $("more").textContent = o.more > 0 ? sayCount("more", o.more) : (o.flagged.length ? "" : say("none"));
}

// The columns: form#mapping shows, after every check (or a roster refused for a missing
// column), the column read for each field `--map` knows; a change re-checks with it, as
// `patronal check --map FIELD=HEADER` would ("none": `--map FIELD=`).

/** The fields of `--map`, in its order. */
const FIELDS = ["id", "ruc", "sucursal", "email", "ruc_status", "first_time", "has_key",
  "employer_type", "id_type", "name"];
/** The columns chosen in the form since the roster was given: {field: header, "" for none}. */
let chosenColumns = {};
/** The last form shown (the worker's JSON, parsed), to redraw it in the other language. */
let mapping = null;

function showMapping(json) {
  const m = typeof json === "string" ? JSON.parse(json) : json;
  if (!m) return;
  mapping = m;
  const fields = m.fields.filter((f) => FIELDS.includes(f.field)).map((f) => {
    const label = document.createElement("label");
    const select = document.createElement("select");
    select.name = f.field;
    select.append(option("", say("noColumn")), ...m.headers.map((h) => option(h, h)));
    const used = f.column ?? "";
    select.value = m.headers.includes(used) ? used : "";
    select.dataset.shown = select.value;
    const text = document.createElement("span");
    text.textContent = `${say(`f_${f.field}`)}${f.required ? ` (${say("required")})` : ""} `;
    const code = document.createElement("code");
    code.textContent = f.field;
    text.append(code);
    if (f.required && !f.column) label.className = "missing";
    label.append(text, select);
    return label;
  });
  $("mapping-fields").replaceChildren(...fields);
  $("mapping").hidden = false;
}

function onMappingSubmit(e) {
  e.preventDefault();
  for (const select of $("mapping-fields").querySelectorAll("select")) {
    if (select.value !== select.dataset.shown) chosenColumns[select.name] = select.value;
  }
  check();
}

function setup() {
  translate();
  startWorker();
  $("roster").addEventListener("change", () => {
    files.rosters = [...$("roster").files];
    chosenColumns = {};
    check();
  });
  $("catastro").addEventListener("change", () => {
    files.catastros = [...$("catastro").files];
    check();
  });
  // A roster dropped anywhere on the page is checked (the drop zone only shows where).
  const drop = $("drop");
  document.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  document.addEventListener("dragleave", (e) => {
    if (!e.relatedTarget) drop.classList.remove("over");
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      files.rosters = [...e.dataTransfer.files];
      chosenColumns = {};
      check();
    }
  });
  $("filter-status").addEventListener("change", table);
  $("filter-code").addEventListener("change", table);
  for (const f of FORMATS) $(`download-${f}`).addEventListener("click", (e) => onDownload(e, f));
  $("mapping").addEventListener("submit", onMappingSubmit);
  $("lang").addEventListener("click", () => {
    lang = lang === "es" ? "en" : "es";
    localStorage.setItem("patronal-lang", lang);
    translate();
    if (mapping) showMapping(mapping);
    if (overview) {
      // The data's texts, and the reports, in the new language.
      resetDownloads();
      worker.postMessage({ type: "lang", lang });
    }
  });
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

setup();
