//! Path patterns (`clientes/*.csv`), expanded by patronal itself: the same engine for
//! `patronal.toml`'s `rosters` and for the paths given on the command line (rosters,
//! `--catastro`, `catastro build`), so that `cmd` and PowerShell, which pass `*` through
//! as it is, and a quoted pattern in a Unix shell, get what a Unix shell would give.
//!
//! A path that exists is always taken as it is, brackets and all (`Nómina [EC].csv`); an
//! argument holding `*`, `?` or `[` that is not one is a pattern, and its matches come
//! sorted; a pattern that matches nothing is refused, naming it.

use std::path::{Path, PathBuf};

use patronal_core::i18n::errors;

/// What one argument names.
pub enum Expansion {
    /// A path to take as it is: it exists, or it holds no pattern character (its absence is
    /// then the reader's to report, as `cannot read`).
    Literal(PathBuf),
    /// The files a pattern matched, sorted; never empty.
    Matches(Vec<PathBuf>),
}

/// Why a pattern gave no path.
pub enum PatternError {
    /// Not a valid pattern (`[a-`): the glob engine's reason.
    Bad(String),
    /// A valid pattern that matches no file.
    NoMatch,
}

/// Does `s` hold a pattern character (`*`, `?`, `[`)?
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands `pattern` (as given; `literal` is the same path as the reader would open it, and
/// `full` the pattern to match, both joined to the config file's folder when it is one of
/// the file's). On Windows, whose file names ignore case, the pattern does too.
pub fn expand(full: &str, literal: &Path) -> Result<Expansion, PatternError> {
    if literal.exists() || !is_pattern(full) {
        return Ok(Expansion::Literal(literal.to_owned()));
    }
    let options = glob::MatchOptions {
        case_sensitive: !cfg!(windows),
        require_literal_separator: false,
        require_literal_leading_dot: false,
    };
    let mut found: Vec<PathBuf> = glob::glob_with(full, options)
        .map_err(|e| PatternError::Bad(e.to_string()))?
        .filter_map(Result::ok)
        .collect();
    if found.is_empty() {
        return Err(PatternError::NoMatch);
    }
    found.sort();
    Ok(Expansion::Matches(found))
}

/// The paths of the command line with their patterns expanded, in the order given.
/// `-` (standard input) and any path that is not valid Unicode are taken as they are.
pub fn expand_args(paths: Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let Some(text) = path.to_str().filter(|t| is_pattern(t)) else {
            out.push(path);
            continue;
        };
        match expand(text, &path) {
            Ok(Expansion::Literal(p)) => out.push(p),
            Ok(Expansion::Matches(found)) => out.extend(found),
            Err(PatternError::Bad(detail)) => {
                return Err(errors::MAP_BAD_GLOB
                    .with("pattern", text)
                    .with("detail", detail)
                    .into());
            }
            Err(PatternError::NoMatch) => {
                return Err(errors::NO_MATCH.with("pattern", text).into());
            }
        }
    }
    Ok(out)
}
