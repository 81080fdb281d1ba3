//! `patronal.toml`: the settings of an unattended `check` (cron), merged under the command
//! line: a flag always wins over the file. Paths in the file are relative to its folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use patronal_core::Lang;
use patronal_core::i18n::{Message, errors};
use patronal_core::roster::{Column, Encoding, MapOverride};
use serde::Deserialize;

use crate::cli::{CheckArgs, FailOn};

#[derive(Debug, Deserialize)]
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

/// The language a file or flag names: `en`, `es` (`english`, `español` too).
pub fn parse_lang(s: &str) -> Option<Lang> {
    match patronal_core::text::fold(s).as_str() {
        "en" | "english" | "ingles" => Some(Lang::En),
        "es" | "spanish" | "espanol" => Some(Lang::Es),
        _ => None,
    }
}

/// Per-roster column maps from the file: rosters matching `pattern` get these overrides.
#[derive(Debug, Default)]
pub struct Maps(Vec<(Option<glob::Pattern>, Vec<MapOverride>)>);

impl Maps {
    /// Adds overrides for the rosters matching `pattern` (every roster: `None`).
    pub fn push(&mut self, pattern: Option<glob::Pattern>, overrides: Vec<MapOverride>) {
        self.0.push((pattern, overrides));
    }

    /// The overrides for `roster`, the last given first: a `--map` flag (added after the
    /// file's) wins over the file, a later `[[map]]` over an earlier one.
    pub fn for_roster(&self, roster: &Path) -> Vec<MapOverride> {
        self.0
            .iter()
            .rev()
            .filter(|(p, _)| p.as_ref().is_none_or(|p| p.matches_path(roster)))
            .flat_map(|(_, m)| m.iter().cloned())
            .collect()
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

/// Reads the file and fills in what the command line left unset. Returns the per-roster
/// maps and the file's language.
pub fn apply(
    path: &Path,
    args: &mut CheckArgs,
    lang: Lang,
    lang_given: bool,
) -> anyhow::Result<(Maps, Option<Lang>)> {
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
        let Some((_, kind)) = KEYS.iter().find(|(k, _)| k == key) else {
            let keys: Vec<String> = KEYS.iter().map(|(k, _)| format!("`{k}`")).collect();
            return Err(errors::CONFIG_UNKNOWN_KEY
                .with("path", path.display())
                .with("line", key_line(&text, key))
                .with("key", key)
                .with("keys", keys.join(", "))
                .into());
        };
        if !kind.fits(value) {
            return Err(errors::CONFIG_BAD_VALUE
                .with("path", path.display())
                .with("line", key_line(&text, key))
                .with("key", key)
                .with_msg(
                    "why",
                    errors::CONFIG_EXPECTED.with_msg("what", kind.words().msg()),
                )
                .into());
        }
    }
    let file: File = toml::from_str(&text).map_err(syntax)?;
    let lang_of_file = match &file.lang {
        Some(l) => Some(parse_lang(l).ok_or_else(|| {
            errors::CONFIG_BAD_VALUE
                .with("path", path.display())
                .with("line", key_line(&text, "lang"))
                .with("key", "lang")
                .with_msg(
                    "why",
                    errors::CONFIG_ONE_OF
                        .with("value", format!("{l:?}"))
                        .with("values", "en, es"),
                )
        })?),
        None => None,
    };
    // The file's language decides its own messages unless --lang was given.
    let lang = if lang_given {
        lang
    } else {
        lang_of_file.unwrap_or(lang)
    };
    // Paths relative to the file's folder; kept as written when it is the working directory,
    // so that patterns and the rosters they match are spelled alike.
    let base = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && *d != Path::new("."));
    let dir = Rel(base);
    let at = |key: &str| key_line(&text, key);
    let bad = |key: &str, why: Message| {
        anyhow::Error::from(
            errors::CONFIG_BAD_VALUE
                .with("path", path.display())
                .with("line", at(key))
                .with("key", key)
                .with_msg("why", why),
        )
    };
    let one_of = |value: &str, values: &str| {
        errors::CONFIG_ONE_OF
            .with("value", format!("{value:?}"))
            .with("values", values)
    };

    if args.rosters.is_empty() {
        for pattern in file.rosters.iter().flatten() {
            let full = dir.join(pattern);
            let full = full.to_string_lossy();
            let mut found: Vec<PathBuf> = glob::glob(&full)
                .map_err(|e| {
                    bad(
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
                    .with("path", path.display())
                    .with("line", at("rosters"))
                    .with("pattern", pattern)
                    .into());
            }
            found.sort();
            args.rosters.extend(found);
        }
    }
    let mut maps = Vec::new();
    for m in &file.map {
        let pattern = glob::Pattern::new(&dir.join(&m.pattern).to_string_lossy()).map_err(|e| {
            bad(
                "pattern",
                errors::MAP_BAD_GLOB
                    .with("pattern", &m.pattern)
                    .with("detail", e),
            )
        })?;
        let mut overrides = Vec::new();
        for (field, header) in &m.fields {
            let column = Column::from_name(field).ok_or_else(|| {
                let names: Vec<_> = Column::ALL.iter().map(|c| c.as_str()).collect();
                bad(
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
        maps.push((Some(pattern), overrides));
    }
    if args.catastro.is_empty() {
        args.catastro = file
            .catastro
            .iter()
            .flatten()
            .map(|c| dir.join(c))
            .collect();
    }
    let today = today();
    if args.output.is_empty()
        && let Some(reports) = &file.report
    {
        let patterns: Vec<PathBuf> = reports.list().iter().map(|r| dir.join(r)).collect();
        let targets: Vec<PathBuf> = reports
            .list()
            .iter()
            .map(|r| dir.join(r.replace("{date}", &today)))
            .collect();
        for target in &targets {
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| errors::CANNOT_CREATE_FOLDER.with("path", parent.display()))?;
            }
        }
        if args.compare.is_none() && file.compare.as_deref() == Some("previous") {
            args.compare = previous_report(&patterns, &targets, &today);
        }
        args.output = targets;
    }
    if args.compare.is_none()
        && let Some(c) = file.compare.as_deref().filter(|c| *c != "previous")
    {
        args.compare = Some(dir.join(c.replace("{date}", &today)));
    }
    if args.fail_on.is_none()
        && let Some(f) = &file.fail_on
    {
        args.fail_on =
            Some(FailOn::parse(f).ok_or_else(|| bad("fail-on", one_of(f, &FailOn::values(lang))))?);
    }
    args.only_flagged |= file.only_flagged.unwrap_or(false);
    if args.summary_json.is_none() {
        args.summary_json = file
            .summary_json
            .map(|s| dir.join(s.replace("{date}", &today)));
    }
    if args.threads.is_none() {
        args.threads = file.threads;
    }
    if args.delimiter.is_none()
        && let Some(d) = &file.delimiter
    {
        args.delimiter = Some(crate::cli::parse_delimiter(d).map_err(|e| bad("delimiter", e))?);
    }
    if args.encoding.is_none()
        && let Some(e) = &file.encoding
    {
        args.encoding = Some(e.parse::<Encoding>().map_err(|e| bad("encoding", e))?);
    }
    if args.sheets.is_empty() {
        args.sheets = file.sheets.unwrap_or_default();
    }
    if let Some(wait) = file.lock_wait {
        args.lock_wait = wait;
    }
    Ok((Maps(maps), lang_of_file))
}

/// Joins paths of the file to its folder.
#[derive(Clone, Copy)]
struct Rel<'a>(Option<&'a Path>);

impl Rel<'_> {
    fn join(self, p: impl AsRef<Path>) -> PathBuf {
        match self.0 {
            Some(dir) => dir.join(p),
            None => p.as_ref().to_owned(),
        }
    }
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
