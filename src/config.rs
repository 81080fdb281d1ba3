//! `patronal.toml`: the settings of an unattended `check` (cron), read into a [`Config`]:
//! every key checked for its kind when the file is read, each value read and checked when
//! asked for (`settings` asks only for what no flag gives). Paths in the file are relative
//! to its folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use patronal_core::Lang;
use patronal_core::finding::Field;
use patronal_core::i18n::{Message, errors};
use patronal_core::roster::{Encoding, MapOverride};
use serde::Deserialize;

use crate::cli::{FailOn, parse_delimiter, parse_lang, threads_count};
use crate::pattern::{self, Expansion, PatternError};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    rosters: Option<Vec<String>>,
    #[serde(default)]
    map: Vec<MapEntry>,
    catastro: Option<Vec<String>>,
    report: Option<OneOrMany>,
    compare: Option<String>,
    fail_on: Option<String>,
    lang: Option<String>,
    only_flagged: Option<bool>,
    summary_json: Option<String>,
    threads: Option<u64>,
    delimiter: Option<String>,
    encoding: Option<String>,
    sheets: Option<Vec<String>>,
    lock_wait: Option<u64>,
    marked: Option<String>,
}

/// `report = "informes/{date}.xlsx"`, or several: `report = ["….xlsx", "….jsonl"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> &[String] {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one),
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapEntry {
    pattern: String,
    fields: BTreeMap<String, String>,
}

/// The keys of the file, with what each holds, for messages about them.
const KEYS: &[(&str, Kind)] = &[
    ("rosters", Kind::Texts),
    ("map", Kind::Tables),
    ("catastro", Kind::Texts),
    ("report", Kind::TextOrTexts),
    ("compare", Kind::Text),
    ("fail-on", Kind::Text),
    ("lang", Kind::Text),
    ("only-flagged", Kind::Bool),
    ("summary-json", Kind::Text),
    ("threads", Kind::Number),
    ("delimiter", Kind::Text),
    ("encoding", Kind::Text),
    ("sheets", Kind::Texts),
    ("lock-wait", Kind::Number),
    ("marked", Kind::Text),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Texts,
    TextOrTexts,
    Bool,
    Number,
    Tables,
}

impl Kind {
    fn fits(self, v: &toml::Value) -> bool {
        match (self, v) {
            (Kind::Text, toml::Value::String(_)) => true,
            (Kind::Texts | Kind::TextOrTexts, toml::Value::Array(a)) => {
                a.iter().all(toml::Value::is_str)
            }
            (Kind::TextOrTexts, toml::Value::String(_)) => true,
            (Kind::Bool, toml::Value::Boolean(_)) => true,
            (Kind::Number, toml::Value::Integer(n)) => *n >= 0,
            (Kind::Tables, toml::Value::Array(a)) => a.iter().all(toml::Value::is_table),
            _ => false,
        }
    }

    fn words(self) -> patronal_core::i18n::Text {
        match self {
            Kind::Text => errors::CONFIG_TEXT,
            Kind::Texts => errors::CONFIG_TEXTS,
            Kind::TextOrTexts => errors::CONFIG_TEXT_OR_TEXTS,
            Kind::Bool => errors::CONFIG_BOOL,
            Kind::Number => errors::CONFIG_NUMBER,
            Kind::Tables => errors::CONFIG_TABLE,
        }
    }
}

/// Where the config is: `--config FILE`, or `./patronal.toml` when `check` has no roster.
pub fn locate(explicit: Option<&Path>, has_rosters: bool) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_owned()),
        None if !has_rosters && Path::new("patronal.toml").is_file() => {
            Some("patronal.toml".into())
        }
        None => None,
    }
}

/// `patronal.toml` as read; the default is no file, whose every value is unset.
#[derive(Debug, Default)]
pub struct Config {
    path: PathBuf,
    text: String,
    file: File,
    /// The file's folder, which its paths are relative to.
    dir: Option<PathBuf>,
    /// Today, for `{date}` in paths.
    today: String,
    /// `lang`.
    pub lang: Option<Lang>,
}

/// The reports the file names (`report`), for today.
pub struct Reports {
    /// With today's date for `{date}`.
    pub targets: Vec<PathBuf>,
    /// As written, `{date}` and all: where earlier runs' reports are.
    patterns: Vec<PathBuf>,
}

/// The language the file names (`lang = "es"`), read before anything else in it is checked,
/// so that the file's own errors are in its language: from the TOML when it parses, else
/// from the line that sets it (a syntax error elsewhere in the file).
pub fn file_lang(path: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(path).ok()?;
    if let Ok(table) = toml::from_str::<toml::Table>(&text) {
        return table.get("lang")?.as_str().and_then(parse_lang);
    }
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != "lang" {
            return None;
        }
        let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
        parse_lang(value)
    })
}

/// An office program's lock file beside a document, never a roster: Excel's owner file
/// (`~$clientes.xlsx`, while the workbook is open) and LibreOffice's (`.~lock.clientes.xlsx#`).
pub fn is_lock_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

/// The placeholders a path of the file may hold: `{date}` (`{fecha}` in Spanish), today.
const DATE_PLACEHOLDERS: [&str; 2] = ["{date}", "{fecha}"];

impl Config {
    /// Reads the file: its syntax, its keys and the kind of each value, and `lang`.
    pub fn read(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| errors::CANNOT_READ.with("path", path.display()))?;
        let syntax = |e: toml::de::Error| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].lines().count().max(1)
            });
            let line = if e
                .span()
                .is_some_and(|s| text[..s.start.min(text.len())].ends_with('\n'))
            {
                line + 1
            } else {
                line
            };
            errors::CONFIG_SYNTAX
                .with("path", path.display())
                .with("line", line)
                .with("detail", e.message().trim())
        };
        // Keys and kinds of values first, in the user's language; then the values.
        let table: toml::Table = toml::from_str(&text).map_err(syntax)?;
        for (key, value) in &table {
            check_key(path, &text, key, value)?;
        }
        let file: File = toml::from_str(&text).map_err(syntax)?;
        // Paths relative to the file's folder; kept as written when it is the working
        // directory, so that patterns and the rosters they match are spelled alike.
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && *d != Path::new("."))
            .map(Path::to_owned);
        let mut config = Config {
            path: path.to_owned(),
            text,
            file,
            dir,
            today: today(),
            lang: None,
        };
        config.lang = match &config.file.lang {
            Some(l) => Some(parse_lang(l).ok_or_else(|| config.bad("lang", one_of(l, "en, es")))?),
            None => None,
        };
        Ok(config)
    }

    /// `rosters`, each pattern's matches sorted (lock files of office programs left out),
    /// and a note for each pattern that matches nothing; when no pattern matches anything,
    /// the first such pattern is refused.
    pub fn rosters(&self) -> anyhow::Result<(Vec<PathBuf>, Vec<Message>)> {
        let mut rosters = Vec::new();
        let mut unmatched = Vec::new();
        for pattern in self.file.rosters.iter().flatten() {
            self.path_value("rosters", pattern)?;
            let full = self.join_pattern(pattern);
            // The command line's engine (crate::pattern): a file named as it is, brackets
            // and all (`Nómina [EC].csv`), else the pattern's matches, sorted.
            let found = match pattern::expand(&full, &self.join(pattern)) {
                Ok(Expansion::Literal(path)) if path.exists() => vec![path],
                // An office program's lock file beside a workbook is never a roster.
                Ok(Expansion::Matches(found)) => {
                    found.into_iter().filter(|p| !is_lock_file(p)).collect()
                }
                Err(PatternError::Bad(detail)) => {
                    return Err(self.bad(
                        "rosters",
                        errors::MAP_BAD_GLOB
                            .with("pattern", pattern)
                            .with("detail", detail),
                    ));
                }
                // A path of the file names a file: one that is not there matches none.
                Ok(Expansion::Literal(_)) | Err(PatternError::NoMatch) => Vec::new(),
            };
            if found.is_empty() {
                unmatched.push(
                    errors::CONFIG_NO_MATCH
                        .with("path", self.path.display())
                        .with("line", key_line(&self.text, "rosters"))
                        .with("pattern", pattern),
                );
            }
            rosters.extend(found);
        }
        if rosters.is_empty() && !unmatched.is_empty() {
            return Err(unmatched.swap_remove(0).into());
        }
        let notes = unmatched
            .into_iter()
            .map(|m| errors::NOTE.with_msg("note", m))
            .collect();
        Ok((rosters, notes))
    }

    /// The `[[map]]` tables: the column overrides for the rosters each pattern matches.
    pub fn maps(&self) -> anyhow::Result<Vec<(glob::Pattern, Vec<MapOverride>)>> {
        let mut maps = Vec::with_capacity(self.file.map.len());
        for m in &self.file.map {
            let pattern = glob::Pattern::new(&self.join_pattern(&m.pattern)).map_err(|e| {
                self.bad(
                    "pattern",
                    errors::MAP_BAD_GLOB
                        .with("pattern", &m.pattern)
                        .with("detail", e),
                )
            })?;
            let mut overrides = Vec::new();
            for (field, header) in &m.fields {
                let column = Field::from_name(field).ok_or_else(|| {
                    let names: Vec<_> = Field::ALL.iter().map(|c| c.as_str()).collect();
                    self.bad(
                        "fields",
                        errors::MAP_UNKNOWN_FIELD
                            .with("field", format!("{field:?}"))
                            .with("fields", names.join(", ")),
                    )
                })?;
                overrides.push(MapOverride {
                    column,
                    header: header.clone(),
                });
            }
            maps.push((pattern, overrides));
        }
        Ok(maps)
    }

    pub fn catastro(&self) -> anyhow::Result<Vec<PathBuf>> {
        let paths = self.file.catastro.iter().flatten();
        paths.map(|c| self.path_value("catastro", c)).collect()
    }

    /// `report`, for today; the folders of the reports are created.
    pub fn reports(&self) -> anyhow::Result<Option<Reports>> {
        let Some(reports) = &self.file.report else {
            return Ok(None);
        };
        for r in reports.list() {
            self.path_value("report", r)?;
            self.placeholders("report", r)?;
        }
        let patterns: Vec<PathBuf> = reports
            .list()
            .iter()
            .map(|r| self.join(r.replace("{fecha}", "{date}")))
            .collect();
        let targets: Vec<PathBuf> = reports
            .list()
            .iter()
            .map(|r| self.join(self.dated(r)))
            .collect();
        for target in &targets {
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| errors::CANNOT_CREATE_FOLDER.with("path", parent.display()))?;
            }
        }
        Ok(Some(Reports { targets, patterns }))
    }

    /// `compare`: a path, or with `"previous"` (`"anterior"`) the latest of the `reports`
    /// written (`Some(None)` when there is none yet: a first night; `None` when the run's
    /// reports are not the file's).
    pub fn compare(&self, reports: Option<&Reports>) -> anyhow::Result<Option<Option<PathBuf>>> {
        let Some(compare) = self.file.compare.as_deref() else {
            return Ok(None);
        };
        Ok(match compare {
            "previous" | "anterior" => reports.map(|r| previous_report(&r.patterns, &self.today)),
            c => {
                self.placeholders("compare", c)?;
                Some(Some(self.path_value("compare", &self.dated(c))?))
            }
        })
    }

    /// `text` with today for `{date}` (`{fecha}`).
    fn dated(&self, text: &str) -> String {
        DATE_PLACEHOLDERS
            .iter()
            .fold(text.to_owned(), |t, p| t.replace(p, &self.today))
    }

    /// Refuses a placeholder other than `{date}` (`{fecha}`) in the value of `key`: a
    /// report named `{fcha}.jsonl` is a typo, not a file to write.
    fn placeholders(&self, key: &str, value: &str) -> anyhow::Result<()> {
        let mut rest = value;
        while let Some(open) = rest.find('{') {
            let after = &rest[open..];
            let end = after.find('}').map_or(after.len(), |e| e + 1);
            let found = &after[..end];
            if !DATE_PLACEHOLDERS.contains(&found) {
                return Err(self.bad(
                    key,
                    errors::CONFIG_PLACEHOLDER
                        .with("found", found)
                        .with("known", "`{date}` (`{fecha}`)"),
                ));
            }
            rest = &after[end..];
        }
        Ok(())
    }

    /// `fail-on`, in either language; a bad value lists the values in `lang`.
    pub fn fail_on(&self, lang: Lang) -> anyhow::Result<Option<FailOn>> {
        let Some(f) = &self.file.fail_on else {
            return Ok(None);
        };
        let fail_on = FailOn::parse(f)
            .ok_or_else(|| self.bad("fail-on", one_of(f, &FailOn::values(lang))))?;
        Ok(Some(fail_on))
    }

    pub fn only_flagged(&self) -> bool {
        self.file.only_flagged.unwrap_or(false)
    }

    /// `marked`, the folder of the marked copies, with today's date for `{date}` or
    /// `{fecha}`.
    pub fn marked(&self) -> anyhow::Result<Option<PathBuf>> {
        let Some(s) = &self.file.marked else {
            return Ok(None);
        };
        let dir = s
            .replace("{date}", &self.today)
            .replace("{fecha}", &self.today);
        Ok(Some(self.path_value("marked", &dir)?))
    }

    pub fn summary_json(&self) -> anyhow::Result<Option<PathBuf>> {
        let Some(s) = &self.file.summary_json else {
            return Ok(None);
        };
        self.placeholders("summary-json", s)?;
        let path = self.path_value("summary-json", &self.dated(s))?;
        Ok(Some(path))
    }

    /// `threads`, within the limits of `--threads`, refused with its message.
    pub fn threads(&self) -> anyhow::Result<Option<u16>> {
        let Some(n) = self.file.threads else {
            return Ok(None);
        };
        let threads = threads_count(&n.to_string()).map_err(|e| self.bad("threads", e))?;
        Ok(Some(threads))
    }

    pub fn delimiter(&self) -> anyhow::Result<Option<u8>> {
        let Some(d) = &self.file.delimiter else {
            return Ok(None);
        };
        Ok(Some(
            parse_delimiter(d).map_err(|e| self.bad("delimiter", e))?,
        ))
    }

    pub fn encoding(&self) -> anyhow::Result<Option<Encoding>> {
        let Some(e) = &self.file.encoding else {
            return Ok(None);
        };
        Ok(Some(
            e.parse::<Encoding>().map_err(|e| self.bad("encoding", e))?,
        ))
    }

    pub fn sheets(&self) -> Vec<String> {
        self.file.sheets.clone().unwrap_or_default()
    }

    pub fn lock_wait(&self) -> Option<u64> {
        self.file.lock_wait
    }

    /// Joins a pattern of the file (`rosters`, `[[map]]`) to its folder, as a pattern: the
    /// folder's own `[`, `]`, `*` and `?` are escaped (`Nóminas [EC]/patronal.toml`), only
    /// the user's pattern matches.
    fn join_pattern(&self, pattern: &str) -> String {
        match &self.dir {
            Some(dir) => {
                let dir = glob::Pattern::escape(&dir.to_string_lossy());
                Path::new(&dir).join(pattern).to_string_lossy().into_owned()
            }
            None => pattern.to_owned(),
        }
    }

    /// A path of the file (`key`'s value), joined to its folder; an empty one is refused
    /// (`summary-json = ""` named no file, and the message named none).
    fn path_value(&self, key: &str, value: &str) -> anyhow::Result<PathBuf> {
        if value.trim().is_empty() {
            return Err(self.bad(key, errors::CONFIG_EMPTY_PATH.msg()));
        }
        Ok(self.join(value))
    }

    /// Joins a path of the file to its folder.
    fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join(p),
            None => p.as_ref().to_owned(),
        }
    }

    /// The value of `key` is refused, for `why`.
    fn bad(&self, key: &str, why: Message) -> anyhow::Error {
        errors::CONFIG_BAD_VALUE
            .with("path", self.path.display())
            .with("line", key_line(&self.text, key))
            .with("key", key)
            .with_msg("why", why)
            .into()
    }
}

/// Why a value is refused: it is none of `values`.
fn one_of(value: &str, values: &str) -> Message {
    errors::CONFIG_ONE_OF
        .with("value", format!("{value:?}"))
        .with("values", values)
}

/// Refuses a key the file cannot have, or a value of the wrong kind.
fn check_key(path: &Path, text: &str, key: &str, value: &toml::Value) -> anyhow::Result<()> {
    let Some((_, kind)) = KEYS.iter().find(|(k, _)| *k == key) else {
        let keys: Vec<String> = KEYS.iter().map(|(k, _)| format!("`{k}`")).collect();
        return Err(errors::CONFIG_UNKNOWN_KEY
            .with("path", path.display())
            .with("line", key_line(text, key))
            .with("key", key)
            .with("keys", keys.join(", "))
            .into());
    };
    if !kind.fits(value) {
        return Err(errors::CONFIG_BAD_VALUE
            .with("path", path.display())
            .with("line", key_line(text, key))
            .with("key", key)
            .with_msg(
                "why",
                errors::CONFIG_EXPECTED.with_msg("what", kind.words().msg()),
            )
            .into());
    }
    Ok(())
}

/// The line where `key` is set, for messages about its value.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start().starts_with(key)
                && l[l.find(key).unwrap_or(0) + key.len()..]
                    .trim_start()
                    .starts_with('=')
        })
        .map_or(1, |i| i + 1)
}

/// The most recent report of any of the report patterns (`{date}` as any date, any report
/// extension) up to today's, by the time it was written: `informes/{date}.xlsx` finds last
/// night's `informes/2026-11-30.jsonl` too; today's own when an earlier run today wrote it
/// (a second run the same day compares with the first, so that it tells only what changed
/// since, and a quiet rerun stays quiet). Only reports count (`guard::is_report`): the
/// summary JSON beside them, or any other file of a matching name, never. The reports of
/// one run are stamped with one time (`output::Ready::stamp`): of those, the first of those
/// that name the employers is read (CSV, then the workbook), so that the employers gone
/// since are named; then JSON Lines, JSON. `None`: there is none (a first night).
fn previous_report(patterns: &[PathBuf], today: &str) -> Option<PathBuf> {
    use patronal_core::report::Format;
    let rank = |p: &Path| match Format::from_path(p) {
        Some(Format::Csv) => 3,
        Some(Format::Xlsx) => 2,
        Some(Format::Jsonl) => 1,
        _ => 0,
    };
    let mut found: Vec<(std::time::SystemTime, u8, PathBuf)> = Vec::new();
    for pattern in patterns {
        // The path is the user's, not a pattern: escaped whole (its folder may hold `[`),
        // then `{date}` (braces are not escaped) becomes any date, and a report
        // extension any extension.
        let named = Format::from_path(pattern).is_some();
        let stem = if named {
            pattern.with_extension("")
        } else {
            pattern.clone()
        };
        let escaped = glob::Pattern::escape(&stem.to_string_lossy());
        let dated = escaped.replace("{date}", "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]");
        let glob_pattern = if named { format!("{dated}.*") } else { dated };
        let Ok(paths) = glob::glob(&glob_pattern) else {
            continue;
        };
        for p in paths.filter_map(Result::ok) {
            if Format::from_path(&p).is_none() {
                continue;
            }
            if date_in(&p.to_string_lossy()).is_some_and(|date| date.as_str() > today) {
                continue;
            }
            let Ok(written) = std::fs::metadata(&p).and_then(|m| m.modified()) else {
                continue;
            };
            if !crate::guard::is_report(&p) {
                continue;
            }
            found.push((written, rank(&p), p));
        }
    }
    // The latest written, then the preferred format; the same file through two patterns once.
    found.sort();
    found.dedup_by(|a, b| a.2 == b.2);
    found.pop().map(|(_, _, p)| p)
}

/// The last `YYYY-MM-DD` in `text`.
fn date_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).rev().find_map(|i| {
        let d = &b[i..i + 10];
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&j| d[j].is_ascii_digit());
        (digits && d[4] == b'-' && d[7] == b'-').then(|| text[i..i + 10].to_owned())
    })
}

/// The most a time-zone file may hold: the largest in the tz database is a few KB.
const TZ_FILE_LIMIT: u64 = 1 << 20;

/// Refuses a time zone whose file cannot be one: `TZ=/dev/zero` (a device, read without
/// end: 1 GB and more), a pipe, a folder, a file over 1 MB; `/etc/localtime` the same. Run
/// before anything asks for the time (`{date}`, the workbook's summary). A zone name or a
/// POSIX rule (`America/Guayaquil`, `EST5EDT`) names no file and is left to the time
/// library.
pub fn check_time_zone() -> anyhow::Result<()> {
    let (shown, path) = match std::env::var_os("TZ") {
        Some(tz) => {
            let text = tz.to_string_lossy().into_owned();
            let file = text.strip_prefix(':').unwrap_or(&text).to_owned();
            if file.is_empty() {
                return Ok(());
            }
            (format!("TZ={text}"), PathBuf::from(file))
        }
        None => ("/etc/localtime".to_owned(), PathBuf::from("/etc/localtime")),
    };
    // No such file: a zone name, or a rule.
    let Ok(meta) = std::fs::metadata(&path) else {
        return Ok(());
    };
    let why = if meta.is_dir() {
        errors::TZ_FOLDER
    } else if !meta.is_file() {
        errors::TZ_DEVICE
    } else if meta.len() > TZ_FILE_LIMIT {
        errors::TZ_TOO_LARGE
    } else {
        return Ok(());
    };
    Err(errors::TZ_NOT_A_ZONE
        .with("tz", shown)
        .with_msg("why", why.msg())
        .into())
}

/// Today's date in the machine's time zone (`TZ`, else `/etc/localtime`), `YYYY-MM-DD`:
/// a run at 23:00 in Guayaquil is dated that day, not the next (as UTC would have it).
pub fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}
