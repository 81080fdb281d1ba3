//! The checked settings each command runs on, built once from the parsed command line and,
//! for `check`, `patronal.toml`: a flag wins over the file, the file over the default. The
//! commands read these, never clap's types; every bad value is refused here (exit 2).

use std::path::{Path, PathBuf};

use crate::sample::Style;
use patronal_core::Lang;
use patronal_core::finding::CATALOG;
use patronal_core::finding::CodeInfo;
use patronal_core::i18n::errors;
use patronal_core::report::{Format, ReportOptions};
use patronal_core::roster::{MapOverride, ReadOptions};

pub use crate::cli::FailOn;
use crate::cli::{self, CatastroCommand, CheckArgs, Cli, MapArg, SampleFormat};
use crate::config::Config;

/// What to run, and in which language.
pub struct Settings {
    pub lang: Lang,
    pub command: Command,
}

/// A command with its settings.
pub enum Command {
    Check(Box<CheckSettings>),
    Id(IdSettings),
    Codes(CodesSettings),
    Sample(SampleSettings),
    CatastroBuild(CatastroBuildSettings),
}

/// `patronal check`.
pub struct CheckSettings {
    pub rosters: Vec<PathBuf>,
    /// `patronal.toml`, when one was read: an input of the run, never written.
    pub config: Option<PathBuf>,
    /// The reports, each with its format; none: the flagged records as a table.
    pub reports: Vec<(PathBuf, Format)>,
    pub summary_json: Option<PathBuf>,
    /// `--marked DIR`: the folder of the rosters' marked copies.
    pub marked: Option<PathBuf>,
    /// The one roster's marked copy, named (a roster dropped onto `patronal.exe`).
    pub marked_file: Option<PathBuf>,
    /// `--delimiter`, `--encoding`, `--sheet`; the column maps are per roster: [`Self::read_options`].
    read: ReadOptions,
    maps: Maps,
    pub catastro: Vec<PathBuf>,
    pub compare: Option<Compare>,
    pub fail_on: FailOn,
    pub only_flagged: bool,
    pub quiet: bool,
    pub threads: Option<usize>,
    /// Seconds to wait for another run's lock on a report.
    pub lock_wait: u64,
    /// Between the fields of a CSV report: `--csv-delimiter`, else by the language.
    pub csv_delimiter: u8,
    /// The options of the run as a person would type them, for the workbook's summary.
    pub options: Vec<String>,
    /// Notes on the settings (a `rosters` pattern of the file that matches nothing, when
    /// others match), shown unless `--quiet`.
    pub notes: Vec<patronal_core::i18n::Message>,
}

/// Seconds a run waits for another one writing the same report, unless told.
pub const LOCK_WAIT: u64 = 60;

/// The previous report `--compare` reads.
pub struct Compare {
    /// The file; `None`: `compare = "previous"` found no report yet (a first night: every
    /// record is new, and the run says so). A file named (by the flag or the file) must
    /// exist.
    pub path: Option<PathBuf>,
    /// Named on the command line (not picked by the config file): refused as an output.
    pub given: bool,
}

/// `patronal id`.
pub struct IdSettings {
    pub numbers: Vec<String>,
    pub json: bool,
}

/// `patronal codes`.
pub struct CodesSettings {
    /// The codes asked for, in the order given; every code when none was.
    pub codes: Vec<&'static CodeInfo>,
    pub form: CodesForm,
}

/// How `patronal codes` prints the catalog.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CodesForm {
    Table,
    Json,
    Markdown,
}

/// `patronal sample`.
pub struct SampleSettings {
    pub rows: u64,
    pub seed: u64,
    pub output: PathBuf,
    pub kind: SampleKind,
}

/// What `patronal sample` writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SampleKind {
    Csv(Style),
    Workbook { sheets: u8 },
    Catastro,
}

/// `patronal catastro build`.
pub struct CatastroBuildSettings {
    pub files: Vec<PathBuf>,
    pub output: PathBuf,
}

impl Settings {
    /// The settings of the command line; `lang` is the one its help was printed in
    /// (`--lang`, else the locale). `check` reads `patronal.toml` too.
    pub fn new(cli: Cli, lang: Lang) -> anyhow::Result<Settings> {
        let lang_given = cli.lang.is_some();
        let (command, lang) = match cli.command {
            cli::Command::Check(args) => {
                let (check, lang) = CheckSettings::new(*args, lang_given, lang)?;
                (Command::Check(Box::new(check)), lang)
            }
            cli::Command::Id { numbers, json } => (Command::Id(IdSettings { numbers, json }), lang),
            cli::Command::Codes {
                codes,
                json,
                markdown,
            } => (
                Command::Codes(CodesSettings::new(&codes, json, markdown)?),
                lang,
            ),
            cli::Command::Sample {
                rows,
                seed,
                style,
                format,
                sheets,
                output,
            } => {
                let kind = SampleKind::new(style, format, sheets, &output)?;
                let sample = SampleSettings {
                    rows,
                    seed,
                    output,
                    kind,
                };
                (Command::Sample(sample), lang)
            }
            cli::Command::Catastro(CatastroCommand::Build { files, output }) => {
                let files = crate::pattern::expand_args(files)?;
                (
                    Command::CatastroBuild(CatastroBuildSettings { files, output }),
                    lang,
                )
            }
        };
        Ok(Settings { lang, command })
    }
}

impl CheckSettings {
    /// The flags over `patronal.toml`, when there is one (`--config FILE`, or
    /// `./patronal.toml` when no roster is given); and the run's language: `--lang`, else
    /// the file's `lang`, else `lang` (the locale's).
    fn new(
        mut args: CheckArgs,
        lang_given: bool,
        lang: Lang,
    ) -> anyhow::Result<(CheckSettings, Lang)> {
        let catastro_flag = !args.catastro.is_empty();
        // Patterns on the command line are expanded by patronal, as the file's are (cmd and
        // PowerShell pass `*` through; so does a quoted pattern in a Unix shell).
        args.rosters = crate::pattern::expand_args(std::mem::take(&mut args.rosters))?;
        args.catastro = crate::pattern::expand_args(std::mem::take(&mut args.catastro))?;
        rosters_after_catastro(&mut args);
        let config = crate::config::locate(args.config.as_deref(), !args.rosters.is_empty());
        let file = match &config {
            Some(path) => {
                // The file's own errors are in its language (cron has no LANG).
                if !lang_given && let Some(lang) = crate::config::file_lang(path) {
                    cli::set_lang(lang);
                }
                Config::read(path)?
            }
            None => Config::default(),
        };
        let file_lang = file.lang.filter(|_| !lang_given);
        let lang = file_lang.unwrap_or(lang);
        let format = args.format;
        let (mut settings, outputs) = CheckSettings::merge(args, &file, lang)?;
        settings.config = config;
        // From here on, errors are in the run's language.
        if let Some(lang) = file_lang {
            cli::set_lang(lang);
        }
        if settings.rosters.is_empty() {
            // `check --catastro sri.idx a.csv`: the roster went to the catastro.
            if catastro_flag {
                return Err(errors::NO_ROSTER_AFTER_CATASTRO.msg().into());
            }
            return Err(errors::NO_ROSTER.msg().into());
        }
        settings.reports = report_formats(outputs, format)?;
        Ok((settings, lang))
    }

    /// Each setting from its flag, else from the file: a value of the file is read, and
    /// checked, only when no flag gives it. The reports' paths come back apart, their
    /// formats still to be checked.
    fn merge(
        args: CheckArgs,
        file: &Config,
        lang: Lang,
    ) -> anyhow::Result<(CheckSettings, Vec<PathBuf>)> {
        let mut notes = Vec::new();
        let rosters = or_file(args.rosters, || {
            let (rosters, unmatched) = file.rosters()?;
            notes = unmatched;
            Ok(rosters)
        })?;
        let mut maps = Maps::default();
        for (pattern, overrides) in file.maps()? {
            maps.push(Some(pattern), overrides);
        }
        let catastro = or_file(args.catastro, || file.catastro())?;
        // The file's reports, and with them `compare = "previous"`, only without `-o`.
        let file_reports = if args.output.is_empty() {
            file.reports()?
        } else {
            None
        };
        let compare = match args.compare {
            Some(path) => Some(Compare {
                path: Some(path),
                given: true,
            }),
            None => file
                .compare(file_reports.as_ref())?
                .map(|path| Compare { path, given: false }),
        };
        let outputs = file_reports.map_or(args.output, |r| r.targets);
        let fail_on = or_file(args.fail_on, || file.fail_on(lang))?.unwrap_or(FailOn::Any);
        let only_flagged = args.only_flagged || file.only_flagged();
        let summary_json = or_file(args.summary_json, || file.summary_json())?;
        let marked = or_file(args.marked, || file.marked())?;
        let threads = or_file(args.threads, || file.threads())?.map(usize::from);
        let delimiter = or_file(args.delimiter, || file.delimiter())?;
        let encoding = or_file(args.encoding, || file.encoding())?;
        let sheets = or_file(args.sheets, || Ok(file.sheets()))?;
        let lock_wait = or_file(args.lock_wait, || Ok(file.lock_wait()))?.unwrap_or(LOCK_WAIT);
        // `--map` adds header names, for the rosters its glob matches (every one without a
        // glob), over the file's.
        for m in &args.maps {
            maps.push(m.pattern.clone(), vec![m.map.clone()]);
        }
        let mut settings = CheckSettings {
            rosters,
            config: None,
            reports: Vec::new(),
            summary_json,
            marked,
            marked_file: args.marked_file,
            read: ReadOptions {
                delimiter,
                encoding,
                overrides: Vec::new(),
                sheets,
            },
            maps,
            catastro,
            compare,
            fail_on,
            only_flagged,
            quiet: args.quiet,
            threads,
            lock_wait,
            csv_delimiter: args
                .csv_delimiter
                .unwrap_or_else(|| ReportOptions::default_delimiter(lang)),
            options: Vec::new(),
            notes,
        };
        settings.options = settings.options_used(&args.maps, lang);
        Ok((settings, outputs))
    }

    /// How to open `roster`: the column maps its path matches, the rest as for every roster.
    pub fn read_options(&self, roster: &Path) -> ReadOptions {
        ReadOptions {
            overrides: self.maps.for_roster(roster),
            ..self.read.clone()
        }
    }

    /// The options of the run as a person would type them, for the workbook's summary: the
    /// `--map` flags, the rest whether from a flag or the file; values in the run's language
    /// where they have one (`--fail-on nuevo`).
    fn options_used(&self, map_flags: &[MapArg], lang: Lang) -> Vec<String> {
        let mut o = Vec::new();
        for m in map_flags {
            o.push(format!("--map {m}"));
        }
        for s in &self.read.sheets {
            o.push(format!("--sheet {s}"));
        }
        for c in &self.catastro {
            o.push(format!("--catastro {}", c.display()));
        }
        if let Some(d) = self.read.delimiter {
            o.push(format!("--delimiter {}", char::from(d).escape_default()));
        }
        if let Some(e) = self.read.encoding {
            o.push(format!("--encoding {}", e.as_str()));
        }
        if self.only_flagged {
            o.push("--only-flagged".to_owned());
        }
        if let Some(dir) = &self.marked {
            o.push(format!("--marked {}", dir.display()));
        }
        match self.compare.as_ref().map(|c| c.path.as_ref()) {
            Some(Some(path)) => o.push(format!("--compare {}", path.display())),
            Some(None) => o.push("--compare previous".to_owned()),
            None => {}
        }
        o.push(format!("--fail-on {}", self.fail_on.name(lang)));
        o
    }
}

/// `check --catastro sri.idx clientes.csv`: `--catastro` takes every path after it, the
/// roster too. With no roster otherwise, the last paths given to it that are rosters (their
/// header is found, with id and RUC columns) and do not look like a catastro (an index, a
/// zip, an `SRI_RUC…` name, a `NUMERO_RUC` column) are taken as the rosters.
fn rosters_after_catastro(args: &mut CheckArgs) {
    if !args.rosters.is_empty() {
        return;
    }
    while args.catastro.len() > 1 {
        let Some(last) = args.catastro.last() else {
            break;
        };
        if looks_like_catastro(last)
            || patronal_core::roster::open(last, &ReadOptions::default()).is_err()
        {
            break;
        }
        if let Some(roster) = args.catastro.pop() {
            args.rosters.insert(0, roster);
        }
    }
}

/// A catastro by its name (`.idx`, `.zip`, `SRI_RUC…`) or its first line (`NUMERO_RUC`).
fn looks_like_catastro(path: &Path) -> bool {
    use std::io::Read;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default();
    if name.ends_with(".IDX") || name.ends_with(".ZIP") || name.starts_with("SRI_RUC") {
        return true;
    }
    // Only a regular file is peeked at: a pipe is read once, by its reader.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 << 10).read_to_end(&mut head));
    read.is_ok()
        && head
            .windows(10)
            .any(|w| w.eq_ignore_ascii_case(b"NUMERO_RUC"))
}

/// The flag's value, else the file's, read only then.
fn or_file<T: Given>(flag: T, file: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    if flag.is_given() { Ok(flag) } else { file() }
}

/// A flag's value that may be absent: `None`, or an empty list.
trait Given {
    fn is_given(&self) -> bool;
}

impl<T> Given for Option<T> {
    fn is_given(&self) -> bool {
        self.is_some()
    }
}

impl<T> Given for Vec<T> {
    fn is_given(&self) -> bool {
        !self.is_empty()
    }
}

/// Each report with its format: `--format`, else the extension's (standard output: JSON
/// Lines). A name without a known extension is refused, listing the formats (`-o r.txt`
/// would otherwise be a CSV file that nothing opens as one).
fn report_formats(
    paths: Vec<PathBuf>,
    format: Option<Format>,
) -> anyhow::Result<Vec<(PathBuf, Format)>> {
    let mut reports = Vec::with_capacity(paths.len());
    for path in paths {
        let format = match format {
            Some(format) => format,
            None if path.as_os_str() == "-" => Format::Jsonl,
            None => Format::from_path(&path)
                .ok_or_else(|| errors::REPORT_UNKNOWN_FORMAT.with("path", path.display()))?,
        };
        reports.push((path, format));
    }
    Ok(reports)
}

/// Per-roster column maps: rosters matching a pattern get its overrides.
#[derive(Debug, Default)]
struct Maps(Vec<(Option<glob::Pattern>, Vec<MapOverride>)>);

impl Maps {
    /// Adds overrides for the rosters matching `pattern` (every roster: `None`).
    fn push(&mut self, pattern: Option<glob::Pattern>, overrides: Vec<MapOverride>) {
        self.0.push((pattern, overrides));
    }

    /// The overrides for `roster`, the last given first: a `--map` flag (added after the
    /// file's) wins over the file, a later `[[map]]` over an earlier one.
    fn for_roster(&self, roster: &Path) -> Vec<MapOverride> {
        self.0
            .iter()
            .rev()
            .filter(|(p, _)| p.as_ref().is_none_or(|p| p.matches_path(roster)))
            .flat_map(|(_, m)| m.iter().cloned())
            .collect()
    }
}

impl CodesSettings {
    /// `patronal codes RUC_ID_MISMATCH …`: those codes (case ignored, `-` for `_`), in the
    /// order given; an unknown one is a usage error naming it.
    fn new(names: &[String], json: bool, markdown: bool) -> anyhow::Result<CodesSettings> {
        let mut codes = Vec::with_capacity(names.len());
        for w in names {
            let name = w.trim().replace('-', "_");
            match CATALOG.iter().find(|c| c.name.eq_ignore_ascii_case(&name)) {
                Some(c) => codes.push(c),
                None => {
                    return Err(errors::UNKNOWN_CODE
                        .with("code", format!("{:?}", patronal_core::text::sanitize(w)))
                        .into());
                }
            }
        }
        if codes.is_empty() {
            codes = CATALOG.iter().collect();
        }
        let form = if json {
            CodesForm::Json
        } else if markdown {
            CodesForm::Markdown
        } else {
            CodesForm::Table
        };
        Ok(CodesSettings { codes, form })
    }
}

impl SampleKind {
    /// `--format`, else the extension (a workbook's, else CSV).
    fn new(
        style: Option<Style>,
        format: Option<SampleFormat>,
        sheets: u8,
        output: &Path,
    ) -> anyhow::Result<SampleKind> {
        if format == Some(SampleFormat::Catastro) {
            return Ok(SampleKind::Catastro);
        }
        let workbook = format == Some(SampleFormat::Xlsx)
            || (format.is_none() && patronal_core::roster::excel::Kind::of(output).is_some());
        if !workbook {
            return Ok(SampleKind::Csv(style.unwrap_or(Style::Utf8)));
        }
        // A workbook has no delimiter, encoding or line ends: a style asked for is refused
        // rather than ignored (utf8, the default, is what a workbook is anyway).
        if style == Some(Style::ExcelSpanish) {
            return Err(errors::SAMPLE_STYLE_WORKBOOK.msg().into());
        }
        Ok(SampleKind::Workbook { sheets })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn settings(args: &[&str]) -> anyhow::Result<Settings> {
        let cli = Cli::try_parse_from([&["patronal"], args].concat())?;
        Settings::new(cli, Lang::En)
    }

    fn check(args: &[&str]) -> (CheckSettings, Lang) {
        match settings(args).unwrap() {
            Settings {
                lang,
                command: Command::Check(check),
            } => (*check, lang),
            _ => panic!("not check"),
        }
    }

    fn config(text: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("patronal.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path.display().to_string())
    }

    #[test]
    fn the_file_fills_in_what_the_flags_leave() {
        let (_dir, path) =
            config("fail-on = \"nuevo\"\nlang = \"es\"\nthreads = 3\nsheets = [\"Hoja1\"]\n");
        let (s, lang) = check(&["check", "a.csv", "--config", &path]);
        assert_eq!(lang, Lang::Es);
        assert_eq!(s.fail_on, FailOn::New);
        assert_eq!(s.threads, Some(3));
        assert_eq!(s.read.sheets, ["Hoja1"]);
        // The CSV report's delimiter follows the file's language.
        assert_eq!(s.csv_delimiter, b';');
        // Values in the run's language.
        assert_eq!(s.options, ["--sheet Hoja1", "--fail-on nuevo"]);
    }

    #[test]
    fn a_flag_wins_and_the_value_it_overrides_is_not_read() {
        let (_dir, path) = config(
            "rosters = [\"none-*.csv\"]\nfail-on = \"talvez\"\ndelimiter = \"ab\"\nlang = \"es\"\n",
        );
        let (s, lang) = check(&[
            "--lang",
            "en",
            "check",
            "a.csv",
            "--config",
            &path,
            "--fail-on",
            "never",
            "--delimiter",
            ";",
        ]);
        assert_eq!(lang, Lang::En);
        assert_eq!(s.rosters, [PathBuf::from("a.csv")]);
        assert_eq!(s.fail_on, FailOn::Never);
        assert_eq!(s.read.delimiter, Some(b';'));
        assert_eq!(s.csv_delimiter, b',');
        // Without the flags, the file's values are read, and refused.
        let err = settings(&["check", "a.csv", "--config", &path, "--fail-on", "never"]);
        assert!(err.is_err_and(|e| e.to_string().contains("delimiter")));
    }

    #[test]
    fn lock_wait_from_the_flag_then_the_file() {
        let (_dir, path) = config("lock-wait = 30\n");
        let wait = |args: &[&str]| check(&[&["check", "a.csv"], args].concat()).0.lock_wait;
        assert_eq!(wait(&["--config", &path, "--lock-wait", "1"]), 1);
        assert_eq!(wait(&["--config", &path]), 30);
        assert_eq!(wait(&[]), 60);
    }

    #[test]
    fn a_map_flag_wins_over_the_files_maps() {
        let (dir, path) = config("[[map]]\npattern = \"*.csv\"\nfields = { id = \"Doc\" }\n");
        let (s, _) = check(&["check", "a.csv", "--config", &path, "--map", "id=Cédula X"]);
        let headers: Vec<String> = s
            .read_options(&dir.path().join("a.csv"))
            .overrides
            .into_iter()
            .map(|o| o.header)
            .collect();
        assert_eq!(headers, ["Cédula X", "Doc"]);
        assert_eq!(s.read_options(Path::new("a.xlsx")).overrides.len(), 1);
    }

    #[test]
    fn reports_get_their_format() {
        let (s, _) = check(&["check", "a.csv", "-o", "r.xlsx", "-o", "-"]);
        assert_eq!(
            s.reports,
            [
                (PathBuf::from("r.xlsx"), Format::Xlsx),
                (PathBuf::from("-"), Format::Jsonl)
            ]
        );
        let (s, _) = check(&["check", "a.csv", "-o", "r.out", "--format", "csv"]);
        assert_eq!(s.reports, [(PathBuf::from("r.out"), Format::Csv)]);
        assert!(settings(&["check", "a.csv", "-o", "r.txt"]).is_err());
        assert!(settings(&["check"]).is_err());
    }

    #[test]
    fn core_enums_take_the_flags_spellings() {
        let cli = Cli::try_parse_from(["patronal", "--lang", "español", "id", "1"]).unwrap();
        assert_eq!(cli.lang, Some(Lang::Es));
        assert!(Cli::try_parse_from(["patronal", "--lang", "ES", "id", "1"]).is_err());
        assert!(Cli::try_parse_from(["patronal", "check", "--format", "xls"]).is_err());
    }

    #[test]
    fn sample_kind_from_the_format_and_the_extension() {
        let kind = |args: &[&str]| -> anyhow::Result<SampleKind> {
            match settings(&[&["sample"], args].concat())?.command {
                Command::Sample(s) => Ok(s.kind),
                _ => panic!("not sample"),
            }
        };
        assert_eq!(
            kind(&["-o", "x.csv"]).unwrap(),
            SampleKind::Csv(Style::Utf8)
        );
        assert_eq!(
            kind(&["--style", "excel", "-o", "x.csv"]).unwrap(),
            SampleKind::Csv(Style::ExcelSpanish)
        );
        assert_eq!(
            kind(&["-o", "x.xlsx", "--sheets", "1"]).unwrap(),
            SampleKind::Workbook { sheets: 1 }
        );
        assert_eq!(
            kind(&["--format", "catastro", "--style", "excel", "-o", "x.csv"]).unwrap(),
            SampleKind::Catastro
        );
        // A workbook refuses a style rather than ignore it.
        assert!(kind(&["--style", "excel", "-o", "x.xlsx"]).is_err());
        assert!(kind(&["--style", "excel", "--format", "xlsx", "-o", "x.csv"]).is_err());
    }

    #[test]
    fn codes_by_name_in_the_order_given() {
        let codes = |args: &[&str]| -> anyhow::Result<CodesSettings> {
            match settings(&[&["codes"], args].concat())?.command {
                Command::Codes(c) => Ok(c),
                _ => panic!("not codes"),
            }
        };
        let c = codes(&["email-placeholder", "RUC_ID_MISMATCH", "--json"]).unwrap();
        let names: Vec<_> = c.codes.iter().map(|c| c.name).collect();
        assert_eq!(names, ["EMAIL_PLACEHOLDER", "RUC_ID_MISMATCH"]);
        assert!(c.form == CodesForm::Json);
        assert_eq!(codes(&[]).unwrap().codes.len(), CATALOG.len());
        assert!(codes(&["NOPE"]).is_err());
    }
}
