// The checker, off the page's thread: the WebAssembly engine reads the files, checks every
// record and renders the reports, posting its progress; the page never freezes.
import init, { Audit, parserFailed } from "./patronal_web.js";

const ready = init({ module_or_path: new URL("patronal_web_bg.wasm", import.meta.url) });
/** The module's memory, in bytes: it grows and never shrinks, so this is its peak. */
const memory = async () => (await ready).memory.buffer.byteLength;
let audit = null;
/** What to say if the module traps (a parser's panic), rendered while it still can. */
let ifTrapped = "";

const TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv",
  jsonl: "application/jsonl",
  marked: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
};

/** Posts progress at most every 50 ms. */
function progressPoster(type) {
  let last = 0;
  return (records, share) => {
    const now = performance.now();
    if (now - last >= 50) {
      last = now;
      postMessage({ type, records, share });
    }
  };
}

onmessage = async (e) => {
  const m = e.data;
  try {
    await ready;
    if (m.type === "check") {
      ifTrapped = parserFailed(m.rosters.map((r) => r.name).join(", "), m.lang);
      audit = new Audit(m.lang);
      // The columns chosen in the page's form (`--map FIELD=HEADER`).
      for (const [field, header] of m.columns || []) audit.setColumn(field, header);
      for (const c of m.catastros) {
        postMessage({ type: "catastro", line: audit.addCatastro(c.name, new Uint8Array(c.bytes)) });
      }
      for (const r of m.rosters) audit.addRoster(r.name, new Uint8Array(r.bytes));
      const overview = audit.check(progressPoster("progress"));
      postMessage({ type: "done", overview, mapping: audit.mapping(), memory: await memory() });
    } else if (m.type === "lang") {
      audit.setLang(m.lang);
      postMessage({ type: "overview", overview: audit.overview() });
    } else if (m.type === "report") {
      for (const format of [m.format, ...m.then]) {
        if (format === "marked") {
          // The rosters back, marked: one workbook, or a zip of several.
          const parts = [];
          const name = audit.marked(progressPoster("report-progress"), (piece) => parts.push(piece));
          const type = name.endsWith(".zip") ? TYPES.zip : TYPES.marked;
          const blob = new Blob(parts, { type });
          postMessage({ type: "report", format, blob, name, memory: await memory(), generation: m.generation });
          continue;
        }
        // The report arrives in pieces; the Blob made of them is the browser's to keep
        // (on disk when large), not the module's memory.
        const parts = [];
        audit.report(format, progressPoster("report-progress"), (piece) => parts.push(piece));
        const blob = new Blob(parts, { type: TYPES[format] });
        postMessage({ type: "report", format, blob, memory: await memory(), generation: m.generation });
      }
    }
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      // The module stopped: out of memory (WebAssembly's 4 GB), or a parser's panic. It is
      // dead now; the page starts a new worker for the next check.
      const full = (await memory()) > 3.5e9;
      postMessage({ type: "error", trapped: full ? "memory" : "parser", message: ifTrapped });
      return;
    }
    // A roster refused for a missing column: the form of columns, with its headers.
    const mapping = audit ? audit.mapping() : null;
    postMessage({ type: "error", message: err && err.message ? err.message : String(err), mapping });
  }
};
