//! `patronal.toml`: the settings of an unattended `check` (cron), merged under the command
//! line: a flag always wins over the file. Paths in the file are relative to its folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use patronal::roster::{Column, Encoding, MapOverride};
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
    fail_on: Option<FailOnValue>,
    lang: Option<LangValue>,
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

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FailOnValue {
    Any,
    Invalid,
    InPerson,
    New,
    Never,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LangValue {
    En,
    Es,
}

/// Per-roster column maps from the file: rosters matching `pattern` get these overrides.
#[derive(Debug, Default)]
pub struct Maps(Vec<(glob::Pattern, Vec<MapOverride>)>);

impl Maps {
    pub fn for_roster(&self, roster: &Path) -> Vec<MapOverride> {
        self.0
            .iter()
            .filter(|(p, _)| p.matches_path(roster))
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
pub fn apply(path: &Path, args: &mut CheckArgs) -> anyhow::Result<(Maps, Option<LangValue>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| {
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
        anyhow::anyhow!("{}:{line}: {}", path.display(), e.message().trim())
    })?;
    // Paths relative to the file's folder; kept as written when it is the working directory,
    // so that patterns and the rosters they match are spelled alike.
    let base = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && *d != Path::new("."));
    let dir = Rel(base);
    let at = |key: &str| key_line(&text, key);
    let bad = |key: &str, why: String| {
        anyhow::anyhow!(
            "{}:{}: bad value for `{key}`: {why}",
            path.display(),
            at(key)
        )
    };

    if args.rosters.is_empty() {
        for pattern in file.rosters.iter().flatten() {
            let full = dir.join(pattern);
            let full = full.to_string_lossy();
            let mut found: Vec<PathBuf> = glob::glob(&full)
                .map_err(|e| bad("rosters", e.to_string()))?
                .filter_map(Result::ok)
                .collect();
            if found.is_empty() {
                bail!(
                    "{}:{}: `{pattern}` matches no file",
                    path.display(),
                    at("rosters")
                );
            }
            found.sort();
            args.rosters.extend(found);
        }
    }
    let mut maps = Vec::new();
    for m in &file.map {
        let pattern = glob::Pattern::new(&dir.join(&m.pattern).to_string_lossy())
            .map_err(|e| bad("pattern", e.to_string()))?;
        let mut overrides = Vec::new();
        for (field, header) in &m.fields {
            let column = Column::from_name(field)
                .ok_or_else(|| bad("fields", format!("unknown field `{field}`")))?;
            overrides.push(MapOverride {
                column,
                header: header.clone(),
            });
        }
        maps.push((pattern, overrides));
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
                    .with_context(|| format!("{}: cannot create", parent.display()))?;
            }
        }
        if args.compare.is_none() && file.compare.as_deref() == Some("previous") {
            args.compare = previous_report(&patterns, &targets);
        }
        args.output = targets;
    }
    if args.compare.is_none()
        && let Some(c) = file.compare.as_deref().filter(|c| *c != "previous")
    {
        args.compare = Some(dir.join(c.replace("{date}", &today)));
    }
    if args.fail_on.is_none() {
        args.fail_on = file.fail_on.map(|f| match f {
            FailOnValue::Any => FailOn::Any,
            FailOnValue::Invalid => FailOn::Invalid,
            FailOnValue::InPerson => FailOn::InPerson,
            FailOnValue::New => FailOn::New,
            FailOnValue::Never => FailOn::Never,
        });
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
    Ok((Maps(maps), file.lang))
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

/// The most recent earlier report of any of the report patterns (`{date}` as any date),
/// whatever its format: `informes/{date}.xlsx` finds last night's `informes/2026-11-30.jsonl`
/// too. Of one night's reports, the JSON Lines one is read (the quickest), then JSON, CSV,
/// the workbook.
fn previous_report(patterns: &[PathBuf], targets: &[PathBuf]) -> Option<PathBuf> {
    use patronal::report::Format;
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
            if Format::from_path(&p).is_none() || targets.contains(&p) {
                continue;
            }
            let date = date_in(&p.to_string_lossy()).unwrap_or_default();
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
