//! The browser's audit, in plain Rust (the wasm-bindgen layer in `lib.rs` only converts):
//! rosters and catastro files held as bytes, checked by the core's sequential run; what the
//! page shows kept small (the summary and the first [`SHOWN`] flagged records), and each
//! report rendered on demand by running the check again into it.

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use patronal_core::Lang;
use patronal_core::catastro::{Catastro, CatastroLoad};
use patronal_core::finding::Field;
use patronal_core::finding::{Finding, Severity, Verdict};
use patronal_core::i18n::{Localized, ui};
use patronal_core::pipeline::{self, RunOptions};
use patronal_core::report::summary::Summary;
use patronal_core::report::{self, Format, ReportError, ReportOptions};
use patronal_core::report::{Record, Sink};
use patronal_core::roster::{self, MapOverride, ReadOptions, RosterError, RowReader, Source};
use serde_json::{Value, json};

/// Flagged records the page lists; the others are counted.
pub const SHOWN: usize = 1000;

/// An error as the CLI gives it: one line, in the user's language.
pub type Error = String;

/// What the page has been given, and what the last check found.
pub struct Audit {
    /// The language of the overview, the errors and the reports.
    pub lang: Lang,
    /// Milliseconds from some start, for the summary's time (std has no clock in the
    /// browser: the page gives its own).
    clock: fn() -> f64,
    rosters: Vec<(PathBuf, Arc<Vec<u8>>)>,
    catastros: Vec<Catastro>,
    loads: Vec<CatastroLoad>,
    /// The merged catastro, made on the first check.
    catastro: Option<Arc<Catastro>>,
    last: Option<Overview>,
    /// The columns chosen in the page's form (`--map FIELD=HEADER`; an empty header: none).
    overrides: Vec<MapOverride>,
    /// The columns of the last check, or of the roster it refused for a missing column.
    mapping: Option<Mapping>,
}

/// The readers of every roster, and the notes on the files skipped.
type Opened = (Vec<Box<dyn RowReader>>, Vec<String>);

/// Records done so far, and the share of the input read (0 to 1).
pub type Progress<'a> = &'a mut dyn FnMut(u64, f64);

impl Audit {
    /// An audit whose texts are in `lang`, timed by `clock`.
    pub fn new(lang: Lang, clock: fn() -> f64) -> Audit {
        Audit {
            lang,
            clock,
            rosters: Vec::new(),
            catastros: Vec::new(),
            loads: Vec::new(),
            catastro: None,
            last: None,
            overrides: Vec::new(),
            mapping: None,
        }
    }

    /// Adds a roster; it is read by the next check.
    pub fn add_roster(&mut self, name: &str, bytes: Vec<u8>) {
        self.rosters.push((PathBuf::from(name), Arc::new(bytes)));
        self.last = None;
    }

    /// Loads a catastro file (CSV, zip of CSV files, a workbook or an index).
    pub fn add_catastro(&mut self, name: &str, bytes: Vec<u8>) -> Result<String, Error> {
        let (catastro, load) = Catastro::open_bytes(&PathBuf::from(name), bytes)
            .map_err(|e| e.message().render(self.lang))?;
        let line = load.describe(self.lang);
        // A catastro merged by an earlier check is a part of the next merge.
        if let Some(merged) = self.catastro.take() {
            self.catastros.insert(0, Arc::unwrap_or_clone(merged));
        }
        self.catastros.push(catastro);
        self.loads.push(load);
        self.last = None;
        Ok(line)
    }

    /// Every roster opened, its header found: the same errors as the CLI, before any record
    /// is read. A patronal report given as a roster is skipped, as the CLI skips it.
    fn open(&mut self) -> Result<Opened, Error> {
        let lang = self.lang;
        if self.rosters.is_empty() {
            return Err(patronal_core::i18n::errors::NO_ROSTER.msg().render(lang));
        }
        let options = self.read_options();
        let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
        let mut notes = Vec::new();
        for (name, bytes) in &self.rosters {
            let opened = match roster::open_bytes_noted(name, Arc::clone(bytes), &options) {
                Ok(opened) => opened,
                Err(e) => {
                    // A missing column: the form of columns, with this roster's headers.
                    self.mapping = Mapping::of_refused(&e, &self.overrides);
                    return Err(refused(&e, lang));
                }
            };
            if opened
                .readers
                .iter()
                .any(|r| patronal_core::report::is_report_header(&r.source().headers))
            {
                let path = name.display().to_string();
                notes.push(ui::REPORT_SKIPPED.with("path", path).render(lang));
                continue;
            }
            // An "Excel" file that is an HTML table or text, read as such: said, as the
            // command line says it.
            if let Some(note) = opened.note {
                let note = patronal_core::i18n::errors::NOTE.with_msg("note", note);
                notes.push(format!("patronal: {}", note.render(lang)));
            }
            readers.extend(opened.readers);
        }
        if readers.is_empty() {
            return Err(patronal_core::i18n::errors::NO_ROSTER_ONLY_REPORTS
                .msg()
                .render(lang));
        }
        self.mapping = Some(Mapping::of_readers(&readers, &self.overrides));
        Ok((readers, notes))
    }

    /// How the rosters are read: with the columns chosen in the form, as the check read
    /// them (the marked copy reads them again so).
    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            overrides: self.overrides.clone(),
            ..ReadOptions::default()
        }
    }

    /// The catastro files merged into one, as the CLI merges its `--catastro` files.
    fn catastro(&mut self) -> Option<Arc<Catastro>> {
        if self.catastro.is_none() && !self.catastros.is_empty() {
            let parts = std::mem::take(&mut self.catastros);
            let merged = if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                Catastro::merge(parts)
            };
            self.catastro = Some(Arc::new(merged));
        }
        self.catastro.clone()
    }

    /// Runs the check of `readers` into `sink`, as `patronal check` does: the summary with the run's options and catastro loads.
    fn run(
        &mut self,
        readers: Vec<Box<dyn RowReader>>,
        sink: &mut dyn Sink,
        progress: Progress,
    ) -> Result<Summary, Error> {
        let started = (self.clock)();
        let opts = RunOptions {
            catastro: self.catastro(),
            ..RunOptions::default()
        };
        let mut summary = pipeline::run_sequential(readers, &opts, sink, progress)
            .map_err(|e| e.message().render(self.lang))?;
        summary.options = self.options();
        summary.catastro = self.loads.clone();
        summary.elapsed =
            std::time::Duration::from_secs_f64(((self.clock)() - started).max(0.0) / 1000.0);
        Ok(summary)
    }

    /// Renders a report of every record, as `patronal check -o informe.FORMAT` writes it
    /// (in the current language, the CSV report with its language's delimiter): the check
    /// runs again into it. The report's bytes go to `piece` in order: a text report a piece
    /// after each chunk of records, so that memory does not hold it whole (a million
    /// records make half a gigabyte of JSON Lines); the workbook, which seeks, at its end.
    pub fn report(
        &mut self,
        format: Format,
        progress: Progress,
        piece: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        let lang = self.lang;
        let failed = |e: ReportError| e.message().render(lang);
        let (readers, _) = self.open()?;
        let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
        let opts = ReportOptions {
            lang,
            compare: false,
            csv_delimiter: ReportOptions::default_delimiter(lang),
        };
        if format == Format::Xlsx {
            let mut writer =
                report::create(format, Cursor::new(Vec::new()), &sources, opts).map_err(failed)?;
            let summary = self.run(readers, &mut writer, progress)?;
            piece(writer.finish(&summary).map_err(failed)?.get_ref());
            return Ok(());
        }
        let pending = Pieces::default();
        let mut writer =
            report::create_text(format, pending.clone(), &sources, opts).map_err(failed)?;
        let mut each_chunk = |records: u64, share: f64| {
            pending.drain(piece);
            progress(records, share);
        };
        let summary = self.run(readers, &mut writer, &mut each_chunk)?;
        writer.finish(&summary).map_err(failed)?.drain(piece);
        Ok(())
    }

    /// The marked copy of each roster (`patronal check --marked`): the check runs again into
    /// the marks, then each roster's copy is made from its bytes, edited in place for an
    /// `.xlsx` or `.xlsm`, values only for the others. One roster: its copy, named
    /// `(name, bytes)`; several: a zip of them.
    pub fn marked(&mut self, progress: Progress) -> Result<(String, Vec<u8>), Error> {
        use patronal_core::report::marked::{self, Marks, Original};
        let lang = self.lang;
        let (readers, _) = self.open()?;
        let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
        let mut marks = Marks::new(&sources);
        self.run(readers, &mut marks, progress)?;
        let read: Vec<std::path::PathBuf> =
            marks.rosters().into_iter().map(|p| p.to_owned()).collect();
        let paths: Vec<&std::path::Path> = read.iter().map(|p| p.as_path()).collect();
        let names = marked::copy_names(&paths);
        let options = self.read_options();
        let mut copies = Vec::new();
        for (path, name) in paths.iter().zip(names) {
            let Some((_, bytes)) = self.rosters.iter().find(|(p, _)| p == path) else {
                continue;
            };
            let original = Original::Bytes(Arc::clone(bytes));
            let copy = marked::copy_bytes(&marks, path, &original, &options, lang)
                .map_err(|e| e.message().render(lang))?;
            copies.push((name, copy));
        }
        use patronal_core::i18n::marked as texts;
        match copies.len() {
            1 => {
                let (name, bytes) = copies.pop().unwrap_or_default();
                let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "xlsx"));
                let name = texts::MARKED_DOWNLOAD_ONE
                    .with("stem", stem)
                    .with("ext", ext)
                    .render(lang);
                Ok((name, bytes))
            }
            _ => {
                let zip = marked::zip_copies(&copies).map_err(|e| e.message().render(lang))?;
                Ok((texts::MARKED_DOWNLOAD_ZIP.render(lang), zip))
            }
        }
    }

    /// The options a person would have typed for the same run of the CLI, for the
    /// workbook's summary: `--map FIELD=HEADER` for each column chosen in the form,
    /// `--catastro NAME` for each catastro file, and the default
    /// `--fail-on any` (`--fail-on cualquiera` in Spanish, as the CLI writes it).
    fn options(&self) -> Vec<String> {
        let maps = self
            .overrides
            .iter()
            .map(|o| format!("--map {}={}", o.column.as_str(), o.header));
        let catastros = self.loads.iter().map(|l| format!("--catastro {}", l.file));
        let mut options: Vec<String> = maps.chain(catastros).collect();
        options.push(match self.lang {
            Lang::En => "--fail-on any".to_owned(),
            Lang::Es => "--fail-on cualquiera".to_owned(),
        });
        options
    }

    /// Checks the rosters: the overview the page shows, as JSON.
    pub fn check(&mut self, progress: Progress) -> Result<String, Error> {
        let mut sink = FirstFlagged::default();
        let (readers, notes) = self.open()?;
        let summary = self.run(readers, &mut sink, progress)?;
        self.last = Some(Overview {
            summary,
            flagged: sink.records,
            more: sink.more,
            notes,
        });
        Ok(self.overview())
    }

    /// The last check's overview, in the current language ("null" before any).
    pub fn overview(&self) -> String {
        match &self.last {
            Some(o) => o.to_json(self.lang).to_string(),
            None => "null".to_owned(),
        }
    }
}

// The columns: the page's form#mapping, the `--map` of the page.

impl Audit {
    /// Reads `field` from the column headed `header` in the next checks, as `--map
    /// FIELD=HEADER`; an empty header reads no column for it (the form's "none"). A field
    /// chosen again replaces its earlier choice.
    pub fn set_column(&mut self, field: &str, header: &str) -> Result<(), Error> {
        let column = Field::from_name(field).ok_or_else(|| {
            patronal_core::i18n::errors::MAP_UNKNOWN_FIELD
                .with("field", format!("{field:?}"))
                .with("fields", Field::ALL.map(Field::as_str).join(", "))
                .render(self.lang)
        })?;
        self.overrides.retain(|o| o.column != column);
        self.overrides.push(MapOverride {
            column,
            header: header.trim().to_owned(),
        });
        self.last = None;
        Ok(())
    }

    /// Forgets the columns chosen: every field found by its usual names again.
    pub fn clear_columns(&mut self) {
        self.overrides.clear();
        self.last = None;
    }

    /// The form of columns as JSON ("null" before any roster was opened): the headers of the
    /// rosters, and for each field `--map` knows the column used (`null`: none).
    pub fn mapping(&self) -> String {
        match &self.mapping {
            Some(m) => m.to_json().to_string(),
            None => "null".to_owned(),
        }
    }
}

/// The error the page shows for a roster it cannot open: the CLI's, except that a missing
/// column points to the page's form rather than to `--map`.
fn refused(e: &RosterError, lang: Lang) -> Error {
    use patronal_core::i18n::errors::{ROSTER_MISSING_COLUMNS_PAGE, ROSTER_TIED_COLUMNS_PAGE};
    e.missing_columns_message(ROSTER_MISSING_COLUMNS_PAGE, ROSTER_TIED_COLUMNS_PAGE)
        .unwrap_or_else(|| e.message())
        .render(lang)
}

/// The rosters' headers and the column each field was read from.
struct Mapping {
    /// Every roster's non-blank headers, in order, each once.
    headers: Vec<String>,
    /// For each field of [`Field::ALL`], the header of its column in the first roster that
    /// has one.
    used: Vec<(Field, Option<String>)>,
    /// The fields chosen in the form, as `--map` would say them.
    chosen: Vec<(Field, String)>,
}

impl Mapping {
    fn of_readers(readers: &[Box<dyn RowReader>], overrides: &[MapOverride]) -> Mapping {
        let sources: Vec<&Source> = readers.iter().map(|r| r.source().as_ref()).collect();
        let mut headers: Vec<String> = Vec::new();
        for source in &sources {
            for h in &source.headers {
                let h = h.trim();
                if !h.is_empty() && !headers.iter().any(|k| k == h) {
                    headers.push(h.to_owned());
                }
            }
        }
        let used = Field::ALL
            .into_iter()
            .map(|field| {
                let header = sources.iter().find_map(|s| {
                    let i = s.map.get(field)?;
                    s.headers.get(i).map(|h| h.trim().to_owned())
                });
                (field, header)
            })
            .collect();
        Mapping {
            headers,
            used,
            chosen: chosen(overrides),
        }
    }

    fn of_refused(e: &RosterError, overrides: &[MapOverride]) -> Option<Mapping> {
        let RosterError::MissingColumns { headers, used, .. } = e else {
            return None;
        };
        // The columns the reader found, by header or by their cells: a RUC column found by
        // its cells shows as chosen, as the next check will read it.
        let used = Field::ALL
            .into_iter()
            .map(|field| {
                let column = used
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, h)| h.clone());
                (field, column)
            })
            .collect();
        Some(Mapping {
            headers: headers.clone(),
            used,
            chosen: chosen(overrides),
        })
    }

    fn to_json(&self) -> Value {
        let fields: Vec<Value> = self
            .used
            .iter()
            .map(|(field, column)| {
                json!({
                    "field": field.as_str(),
                    "required": matches!(field, Field::Id | Field::Ruc),
                    "column": column,
                })
            })
            .collect();
        let chosen: Vec<Value> = self
            .chosen
            .iter()
            .map(|(f, h)| json!([f.as_str(), h]))
            .collect();
        json!({ "headers": self.headers, "fields": fields, "chosen": chosen })
    }
}

fn chosen(overrides: &[MapOverride]) -> Vec<(Field, String)> {
    overrides
        .iter()
        .map(|o| (o.column, o.header.clone()))
        .collect()
}

/// A report's bytes not yet handed on: the writer's destination (which must be `Send`),
/// drained between chunks.
#[derive(Clone, Default)]
struct Pieces(Arc<std::sync::Mutex<Vec<u8>>>);

impl Pieces {
    fn drain(&self, piece: &mut dyn FnMut(&[u8])) {
        let mut bytes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !bytes.is_empty() {
            piece(&bytes);
            bytes.clear();
        }
    }
}

impl std::io::Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One flagged record, as the page's table shows it.
struct Flagged {
    place: String,
    name: String,
    id: String,
    ruc: String,
    status: Verdict,
    findings: Vec<Finding>,
}

/// Keeps the first [`SHOWN`] flagged records, and counts the rest.
#[derive(Default)]
struct FirstFlagged {
    records: Vec<Flagged>,
    more: u64,
}

impl Sink for FirstFlagged {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        if !r.status.is_flagged() {
            return Ok(());
        }
        if self.records.len() >= SHOWN {
            self.more += 1;
            return Ok(());
        }
        self.records.push(Flagged {
            place: r.source.place(r.row),
            name: r.cell(Field::Name).unwrap_or_default().trim().to_owned(),
            id: r.checked.id.to_string(),
            ruc: r.checked.ruc.to_string(),
            status: r.status,
            findings: r.checked.findings.clone(),
        });
        Ok(())
    }
}

/// The last check, kept for the page: rendered in either language.
struct Overview {
    summary: Summary,
    flagged: Vec<Flagged>,
    more: u64,
    notes: Vec<String>,
}

impl Overview {
    fn to_json(&self, lang: Lang) -> Value {
        let s = &self.summary;
        let codes: Vec<Value> = s
            .top_codes()
            .into_iter()
            .map(|(code, n)| {
                let info = code.info();
                json!({
                    "code": code.name(),
                    "count": n,
                    "severity": info.severity.as_str(),
                    "severity_label": info.severity.label(lang),
                    "message": info.general(lang),
                    "hint": info.hint(lang),
                })
            })
            .collect();
        let flagged: Vec<Value> = self
            .flagged
            .iter()
            .map(|f| {
                json!({
                    "place": f.place,
                    "name": f.name,
                    "id": f.id,
                    "ruc": f.ruc,
                    "status": f.status.as_str(),
                    "status_label": f.status.label(lang),
                    "findings": f.findings.iter().map(|g| json!({
                        "code": g.code.name(),
                        "severity": g.severity().as_str(),
                        "message": g.message(lang),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let tables = patronal_core::i18n::Plural {
            one: ui::ONE_TABLE,
            many: ui::TABLES,
        }
        .of(s.files.len() as u64)
        .render(lang);
        // What could not be checked, first on the page as on the terminal; the footer rows
        // skipped join the notes.
        let unchecked: Vec<Value> = s
            .unchecked_notes()
            .into_iter()
            .map(|(condition, note)| {
                json!({ "condition": condition.as_str(), "text": note.render(lang) })
            })
            .collect();
        let columns: Vec<Value> = s
            .column_groups(lang)
            .into_iter()
            .map(|(title, columns)| {
                let fields: Vec<Value> = columns
                    .0
                    .iter()
                    .zip(columns.entries(lang))
                    .map(|(c, (label, text))| {
                        json!({
                            "field": c.field.as_str(),
                            "label": label,
                            "text": text,
                            "found": c.header.is_some(),
                        })
                    })
                    .collect();
                json!({ "title": title, "fields": fields })
            })
            .collect();
        let notes: Vec<String> = self
            .notes
            .iter()
            .cloned()
            .chain(s.footer_notes().into_iter().map(|n| n.render(lang)))
            .collect();
        json!({
            "records": s.records,
            "ready": s.ready,
            "invalid": s.invalid,
            "in_person": s.in_person,
            "blank_rows": s.blank_rows,
            "tables": tables,
            "labels": {
                "ready": Verdict::Ready.label(lang),
                "invalid": Verdict::Invalid.label(lang),
                "in_person": Verdict::InPerson.label(lang),
                "warning": Severity::Warning.label(lang),
            },
            "files": s.files,
            "codes": codes,
            "flagged": flagged,
            "more": self.more,
            "notes": notes,
            "unchecked": unchecked,
            "columns": columns,
            "catastro": s.catastro.iter().map(|l| l.describe(lang)).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let path = format!("{}/../../samples/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("the samples are there")
    }

    fn no_clock() -> f64 {
        0.0
    }

    fn counts(overview: &str) -> [u64; 4] {
        let v: Value = serde_json::from_str(overview).expect("JSON");
        ["records", "ready", "invalid", "in_person"].map(|k| v[k].as_u64().expect("a count"))
    }

    #[test]
    fn the_samples_are_checked_as_the_cli_checks_them() {
        // What `patronal check` counts for the samples (the README's run of clientes.csv).
        for (name, expected) in [
            ("clientes.csv", [120, 88, 19, 13]),
            ("clientes.xlsx", [60, 38, 9, 13]),
        ] {
            let mut audit = Audit::new(Lang::En, no_clock);
            audit.add_roster(name, sample(name));
            let mut calls = 0;
            let overview = audit.check(&mut |_, _| calls += 1).expect("checked");
            assert_eq!(counts(&overview), expected, "{name}");
            assert!(calls > 0);
            let v: Value = serde_json::from_str(&overview).expect("JSON");
            let flagged = v["flagged"].as_array().map_or(0, Vec::len) as u64;
            assert_eq!(flagged, expected[2] + expected[3]);
            // In pieces, as the page receives it; the pieces make the report.
            let (mut jsonl, mut pieces) = (Vec::new(), 0);
            audit
                .report(Format::Jsonl, &mut |_, _| {}, &mut |b| {
                    jsonl.extend_from_slice(b);
                    pieces += 1;
                })
                .expect("rendered");
            assert!(pieces >= 1);
            let lines = jsonl
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .count();
            assert_eq!(lines as u64, expected[0]);
        }
    }

    #[test]
    fn catastro_files_merge_before_and_after_a_check() {
        let catastro = sample("catastro/SRI_RUC_Muestra.csv");
        let text = String::from_utf8(catastro.clone()).expect("UTF-8");
        let mut lines = text.lines();
        let header = lines.next().expect("a header");
        let rows: Vec<&str> = lines.collect();
        let half = |part: &[&str]| format!("{header}\n{}\n", part.join("\n")).into_bytes();
        let (first, second) = rows.split_at(rows.len() / 2);
        let check = |audit: &mut Audit| counts(&audit.check(&mut |_, _| {}).expect("checked"));

        let mut whole = Audit::new(Lang::En, no_clock);
        whole.add_roster("clientes.csv", sample("clientes.csv"));
        whole
            .add_catastro("SRI_RUC_Muestra.csv", catastro)
            .expect("loaded");
        let expected = check(&mut whole);
        assert_ne!(
            expected,
            [120, 88, 19, 13],
            "the catastro changes the verdicts"
        );

        let mut halves = Audit::new(Lang::En, no_clock);
        halves.add_roster("clientes.csv", sample("clientes.csv"));
        halves.add_catastro("a.csv", half(first)).expect("loaded");
        let partial = check(&mut halves);
        halves.add_catastro("b.csv", half(second)).expect("loaded");
        assert_eq!(check(&mut halves), expected, "after {partial:?}");
    }

    #[test]
    fn the_page_says_what_was_not_checked_and_the_columns_used() {
        let roster = "Cédula;RUC;Correo IESS\n1714307103;1714307103001;\nTOTAL: 1;;\n";
        for (lang, first) in [(Lang::En, "NOT CHECKED"), (Lang::Es, "SIN REVISAR")] {
            let mut audit = Audit::new(lang, no_clock);
            audit.add_roster("r.csv", roster.as_bytes().to_vec());
            let v: Value =
                serde_json::from_str(&audit.check(&mut |_, _| {}).expect("checked")).expect("JSON");
            let unchecked = v["unchecked"].as_array().expect("a list");
            let conditions: Vec<&str> = unchecked
                .iter()
                .map(|u| u["condition"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(conditions, ["ruc_status", "first_time"], "{lang:?}");
            assert!(
                unchecked[0]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(first)
            );
            let fields = v["columns"][0]["fields"].as_array().expect("fields");
            let email = fields
                .iter()
                .find(|f| f["field"] == "email")
                .expect("email");
            assert!(
                email["text"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("\"Correo IESS\"")
            );
            let notes = v["notes"].as_array().expect("notes");
            assert!(
                notes
                    .iter()
                    .any(|n| n.as_str().unwrap_or_default().contains("TOTAL: 1"))
            );
        }
    }

    #[test]
    fn a_bad_file_gets_the_clis_one_line_reason() {
        let mut audit = Audit::new(Lang::Es, no_clock);
        audit.add_roster("dañado.xlsx", b"PK\x03\x04 no".to_vec());
        let error = audit.check(&mut |_, _| {}).expect_err("refused");
        assert!(error.starts_with("dañado.xlsx: "), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn columns_chosen_in_the_form_are_the_clis_map() {
        // Two columns of cédulas under headers that name no field: a tie, never guessed.
        let csv = "Nombre,Cédula del dueño,Socio,Contribuyente,Correo\n\
                   Ana,0428813992,1710034065,0428813992001,ana@correo.ec\n\
                   Luis,0428813992,1710034065,0428813992001,\n"
            .as_bytes()
            .to_vec();
        let mut audit = Audit::new(Lang::En, no_clock);
        audit.add_roster("raro.csv", csv);
        let error = audit.check(&mut |_, _| {}).expect_err("no id column");
        assert!(
            error.contains("several columns could be id")
                && error.contains("\"Columns\"")
                && !error.contains("--map"),
            "{error}"
        );
        let m: Value = serde_json::from_str(&audit.mapping()).expect("JSON");
        assert_eq!(m["headers"][1], "Cédula del dueño");
        assert_eq!(m["fields"][0]["field"], "id");
        assert_eq!(m["fields"][0]["column"], Value::Null);
        assert_eq!(m["fields"][3]["column"], "Correo");
        // The RUC column, found by its cells, is the one the next check reads.
        assert_eq!(m["fields"][1]["column"], "Contribuyente");

        audit.set_column("id", "Cédula del dueño").expect("a field");
        audit.set_column("ruc", "Contribuyente").expect("a field");
        let overview = audit.check(&mut |_, _| {}).expect("checked");
        let [records, ready, ..] = counts(&overview);
        assert_eq!((records, ready), (2, 1), "Luis has no e-mail");
        // The table of codes says a code, not a finding: no detail left unfilled.
        assert!(overview.contains("DUPLICATE_EMPLOYER") && !overview.contains("{}"));
        let m: Value = serde_json::from_str(&audit.mapping()).expect("JSON");
        assert_eq!(m["fields"][0]["column"], "Cédula del dueño");
        assert_eq!(m["chosen"][0], json!(["id", "Cédula del dueño"]));
        // "none": no e-mail column.
        audit.set_column("email", "").expect("a field");
        audit.check(&mut |_, _| {}).expect("checked");
        let m: Value = serde_json::from_str(&audit.mapping()).expect("JSON");
        assert_eq!(m["fields"][3]["column"], Value::Null);
        assert!(audit.set_column("nope", "x").is_err());
        audit.clear_columns();
        assert!(audit.check(&mut |_, _| {}).is_err());
    }

    #[test]
    fn only_the_first_flagged_records_are_kept() {
        // Ready records and, every other row, an invalid one (a cédula too short).
        let mut csv = String::from("Nombre,Cédula,RUC\n");
        for i in 0..20_000 {
            let row = match i % 2 {
                0 => "0428813992,0428813992001",
                _ => "123,1790011674001",
            };
            csv.push_str(&format!("Empleador {i},{row}\n"));
        }
        let csv = csv.into_bytes();
        let mut audit = Audit::new(Lang::En, no_clock);
        audit.add_roster("grande.csv", csv);
        let overview = audit.check(&mut |_, _| {}).expect("checked");
        let v: Value = serde_json::from_str(&overview).expect("JSON");
        let [records, ready, ..] = counts(&overview);
        assert_eq!(records, 20_000);
        let flagged = v["flagged"].as_array().map_or(0, Vec::len) as u64;
        assert_eq!(flagged, SHOWN as u64);
        assert_eq!(flagged + v["more"].as_u64().unwrap_or(0), records - ready);
        // The report leaves in pieces, none of them the whole report.
        let (mut total, mut largest) = (0, 0);
        audit
            .report(Format::Jsonl, &mut |_, _| {}, &mut |b| {
                total += b.len();
                largest = largest.max(b.len());
            })
            .expect("rendered");
        assert!(total > 4_000_000 && largest < 1 << 20, "{total} {largest}");
    }

    /// The text of every part of a workbook (or of a zip's entries), by name.
    fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).expect("an entry");
                let mut data = Vec::new();
                file.read_to_end(&mut data).expect("read");
                (file.name().expect("a name").into_owned(), data)
            })
            .collect()
    }

    /// Whether a workbook holds `text` in a sheet or its strings, and has notes.
    fn marked_with(workbook: &[u8], text: &str) -> bool {
        let parts = parts(workbook);
        let has_notes = parts.iter().any(|(n, _)| n.contains("comments"));
        let has_text = parts
            .iter()
            .any(|(n, data)| n.starts_with("xl/") && String::from_utf8_lossy(data).contains(text));
        has_notes && has_text
    }

    #[test]
    fn the_marked_copy_is_named_in_the_pages_language() {
        for (lang, name, result) in [
            (Lang::En, "clientes (marked).xlsx", "Result"),
            (Lang::Es, "clientes (marcada).xlsx", "Resultado"),
        ] {
            let mut audit = Audit::new(lang, no_clock);
            audit.add_roster("clientes.csv", sample("clientes.csv"));
            audit.check(&mut |_, _| {}).expect("checked");
            let (got, copy) = audit.marked(&mut |_, _| {}).expect("made");
            assert_eq!(got, name);
            assert!(marked_with(&copy, result), "{lang:?}");
        }
        // Several rosters: one zip of their copies, named as the CLI names them.
        let mut audit = Audit::new(Lang::Es, no_clock);
        audit.add_roster("clientes.csv", sample("clientes.csv"));
        audit.add_roster("clientes.xlsx", sample("clientes.xlsx"));
        audit.check(&mut |_, _| {}).expect("checked");
        let (got, zip) = audit.marked(&mut |_, _| {}).expect("made");
        assert_eq!(got, "nominas marcadas.zip");
        let copies = parts(&zip);
        let names: Vec<&str> = copies.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["clientes.xlsx", "clientes (2).xlsx"]);
        assert!(
            copies
                .iter()
                .all(|(_, copy)| marked_with(copy, "Resultado"))
        );
    }

    #[test]
    fn the_marked_copy_reads_the_columns_chosen_in_the_form() {
        // Two columns of cédulas under headers that name no field: a tie, refused until the
        // form names the id. The copy reads the roster again with the form's columns (read
        // without them, it was refused as the check was).
        let csv = "Nombre,Cédula del dueño,Socio,No. de RUC\n\
                   Ana,0428813992,1710034065,0428813992001\n\
                   Luis,0428813992,1710034065,0428813992001\n"
            .as_bytes()
            .to_vec();
        let mut audit = Audit::new(Lang::En, no_clock);
        audit.add_roster("raro.csv", csv);
        assert!(audit.check(&mut |_, _| {}).is_err());
        audit.set_column("id", "Cédula del dueño").expect("a field");
        audit.set_column("ruc", "No. de RUC").expect("a field");
        audit.check(&mut |_, _| {}).expect("checked");
        let (name, copy) = audit.marked(&mut |_, _| {}).expect("made");
        assert_eq!(name, "raro (marked).xlsx");
        assert!(marked_with(&copy, "Same RUC and sucursal as row 2"));
    }
}
