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

use crate::cli::{FailOn, parse_delimiter, parse_lang};

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
    threads: Option<u16>,
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

    /// `rosters`, each pattern's matches sorted; a pattern that matches nothing is refused.
    pub fn rosters(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut rosters = Vec::new();
        for pattern in self.file.rosters.iter().flatten() {
            let full = self.join(pattern);
            let full = full.to_string_lossy();
            let mut found: Vec<PathBuf> = glob::glob(&full)
                .map_err(|e| {
                    self.bad(
                        "rosters",
                        errors::MAP_BAD_GLOB
                            .with("pattern", pattern)
                            .with("detail", e),
                    )
                })?
                .filter_map(Result::ok)
                .collect();
            if found.is_empty() {
                return Err(errors::CONFIG_NO_MATCH
                    .with("path", self.path.display())
                    .with("line", key_line(&self.text, "rosters"))
                    .with("pattern", pattern)
                    .into());
            }
            found.sort();
            rosters.extend(found);
        }
        Ok(rosters)
    }

    /// The `[[map]]` tables: the column overrides for the rosters each pattern matches.
    pub fn maps(&self) -> anyhow::Result<Vec<(glob::Pattern, Vec<MapOverride>)>> {
        let mut maps = Vec::with_capacity(self.file.map.len());
        for m in &self.file.map {
            let pattern =
                glob::Pattern::new(&self.join(&m.pattern).to_string_lossy()).map_err(|e| {
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

    pub fn catastro(&self) -> Vec<PathBuf> {
        self.file
            .catastro
            .iter()
            .flatten()
            .map(|c| self.join(c))
            .collect()
    }

    /// `report`, for today; the folders of the reports are created.
    pub fn reports(&self) -> anyhow::Result<Option<Reports>> {
        let Some(reports) = &self.file.report else {
            return Ok(None);
        };
        let patterns: Vec<PathBuf> = reports.list().iter().map(|r| self.join(r)).collect();
        let targets: Vec<PathBuf> = reports
            .list()
            .iter()
            .map(|r| self.join(r.replace("{date}", &self.today)))
            .collect();
        for target in &targets {
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| errors::CANNOT_CREATE_FOLDER.with("path", parent.display()))?;
            }
        }
        Ok(Some(Reports { targets, patterns }))
    }

    /// `compare`: a path, or with `"previous"` the latest of the `reports` written (none
    /// when the run's reports are not the file's).
    pub fn compare(&self, reports: Option<&Reports>) -> Option<PathBuf> {
        match self.file.compare.as_deref()? {
            "previous" => {
                let reports = reports?;
                previous_report(&reports.patterns, &reports.targets, &self.today)
            }
            c => Some(self.join(c.replace("{date}", &self.today))),
        }
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
    pub fn marked(&self) -> Option<PathBuf> {
        let s = self.file.marked.as_ref()?;
        Some(
            self.join(
                s.replace("{date}", &self.today)
                    .replace("{fecha}", &self.today),
            ),
        )
    }

    pub fn summary_json(&self) -> Option<PathBuf> {
        let s = self.file.summary_json.as_ref()?;
        Some(self.join(s.replace("{date}", &self.today)))
    }

    pub fn threads(&self) -> Option<u16> {
        self.file.threads
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

/// The most recent report of any of the report patterns (`{date}` as any date) up to
/// today's, whatever its format: `informes/{date}.xlsx` finds last night's
/// `informes/2026-11-30.jsonl` too; today's own when an earlier run today wrote it (a
/// second run the same day compares with the first, so that it tells only what changed
/// since, and a quiet rerun stays quiet). Of one night's reports, the JSON Lines one is read
/// (the quickest), then JSON, CSV, the workbook.
fn previous_report(patterns: &[PathBuf], targets: &[PathBuf], today: &str) -> Option<PathBuf> {
    use patronal_core::report::Format;
    let rank = |p: &Path| match Format::from_path(p) {
        Some(Format::Jsonl) => 0,
        Some(Format::Json) => 1,
        Some(Format::Csv) => 2,
        _ => 3,
    };
    let mut found: Vec<(String, u8, PathBuf)> = Vec::new();
    for pattern in patterns {
        // Any report format: the pattern's extension, when it names one, becomes `*`.
        let stem = match Format::from_path(pattern) {
            Some(_) => pattern.with_extension(""),
            None => pattern.clone(),
        };
        let dated = stem
            .to_string_lossy()
            .replace("{date}", "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]");
        let glob_pattern = if Format::from_path(pattern).is_some() {
            format!("{dated}.*")
        } else {
            dated
        };
        let Ok(paths) = glob::glob(&glob_pattern) else {
            continue;
        };
        for p in paths.filter_map(Result::ok) {
            if Format::from_path(&p).is_none() {
                continue;
            }
            let date = date_in(&p.to_string_lossy()).unwrap_or_default();
            if date.as_str() > today {
                continue;
            }
            found.push((date, rank(&p), p));
        }
    }
    // The latest night, then the preferred format.
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    // A run on the first night has no previous report: `--compare` then calls every record new.
    Some(match found.pop() {
        Some((_, _, p)) => p,
        None => targets.first()?.with_extension("none"),
    })
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

/// Today's date in the machine's time zone (`TZ`, else `/etc/localtime`), `YYYY-MM-DD`:
/// a run at 23:00 in Guayaquil is dated that day, not the next (as UTC would have it).
pub fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}
