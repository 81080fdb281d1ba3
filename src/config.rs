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
    report: Option<String>,
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
    if args.output.is_none()
        && let Some(report) = &file.report
    {
        let target = dir.join(report.replace("{date}", &today));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        if args.compare.is_none() && file.compare.as_deref() == Some("previous") {
            args.compare = previous_report(&dir.join(report), &target);
        }
        args.output = Some(target);
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

/// The most recent earlier report matching the report pattern (`{date}` as any date).
fn previous_report(pattern: &Path, target: &Path) -> Option<PathBuf> {
    let glob_pattern = pattern
        .to_string_lossy()
        .replace("{date}", "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]");
    let mut found: Vec<PathBuf> = glob::glob(&glob_pattern)
        .ok()?
        .filter_map(Result::ok)
        .filter(|p| p != target)
        .collect();
    found.sort();
    // A run on the first night has no previous report: `--compare` then calls every record new.
    Some(found.pop().unwrap_or_else(|| target.with_extension("none")))
}

/// Today's date in the machine's time zone (`TZ`, else `/etc/localtime`), `YYYY-MM-DD`:
/// a run at 23:00 in Guayaquil is dated that day, not the next (as UTC would have it).
pub fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}
