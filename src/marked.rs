//! `--marked DIR`: where each roster's marked copy goes (named after the roster, a second
//! roster of the same name told and numbered), and the copies written, each into a
//! temporary file beside its target and moved into place with the reports. The copies
//! themselves are the core's (`patronal_core::report::marked`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use patronal_core::Lang;
use patronal_core::i18n::{Localized, errors, marked as texts};
use patronal_core::report::marked::{self, MarkedError, Marks, Original};

use crate::output::{Ready, Spool};
use crate::settings::CheckSettings;

/// Each roster of the run with the path of its marked copy.
pub struct Copies {
    pub dir: PathBuf,
    pub targets: Vec<(PathBuf, PathBuf)>,
}

/// A roster its copy can be made of: a file, read a second time for the copy (standard
/// input and pipes cannot be).
fn readable_twice(roster: &Path) -> anyhow::Result<()> {
    let not_a_file = std::fs::metadata(roster).is_ok_and(|m| !m.is_file());
    if roster.as_os_str() == "-" || not_a_file {
        return Err(texts::MARKED_NEEDS_FILE
            .with("path", roster.display())
            .into());
    }
    Ok(())
}

impl Copies {
    /// The copies of `rosters` in `dir`: `nomina.xlsx` → `dir/nomina.xlsx`, `clientes.csv`
    /// → `dir/clientes.xlsx`; a roster whose copy's name is taken gets `clientes (2).xlsx`,
    /// and a note says so. A roster that cannot be read a second time (standard input, a
    /// pipe) is refused.
    pub fn plan(dir: &Path, rosters: &[&Path], quiet: bool, lang: Lang) -> anyhow::Result<Copies> {
        if dir.is_file() {
            return Err(texts::MARKED_NOT_FOLDER.with("path", dir.display()).into());
        }
        let mut targets: Vec<(PathBuf, PathBuf)> = Vec::new();
        for &roster in rosters {
            readable_twice(roster)?;
            let name = PathBuf::from(marked::copy_file_name(roster));
            let taken = |p: &Path| {
                targets.iter().any(|(_, t)| {
                    t.to_string_lossy().to_lowercase() == p.to_string_lossy().to_lowercase()
                })
            };
            let mut target = dir.join(&name);
            if taken(&target) {
                let first = target.clone();
                let other = targets
                    .iter()
                    .find(|(_, t)| t == &first)
                    .map_or_else(PathBuf::new, |(r, _)| r.clone());
                let stem = name
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let ext = name
                    .extension()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let mut n = 2;
                while taken(&target) {
                    target = dir.join(format!("{stem} ({n}).{ext}"));
                    n += 1;
                }
                if !quiet {
                    let line = texts::MARKED_COLLISION
                        .with("path", roster.display())
                        .with("taken", first.display())
                        .with("other", other.display())
                        .with("name", target.display())
                        .render(lang);
                    crate::error::note(&patronal_core::text::sanitize(&line));
                }
            }
            if target.is_dir() {
                return Err(errors::REPORT_IS_FOLDER
                    .with("path", target.display())
                    .into());
            }
            targets.push((roster.to_owned(), target));
        }
        Ok(Copies {
            dir: dir.to_owned(),
            targets,
        })
    }

    /// The copy of a run's one roster at `file` (a roster dropped onto `patronal.exe` gets
    /// `nomina.marcada.xlsx` beside it).
    /// No roster left to copy (the one given was a report, skipped with its note): no copy,
    /// and the run says why it has nothing to check.
    pub fn one(file: &Path, rosters: &[&Path]) -> anyhow::Result<Copies> {
        let roster = match rosters {
            [] => {
                return Ok(Copies {
                    dir: ".".into(),
                    targets: Vec::new(),
                });
            }
            [roster] => roster,
            _ => {
                return Err(texts::MARKED_FILE_ONE_ROSTER
                    .with("path", file.display())
                    .into());
            }
        };
        readable_twice(roster)?;
        if file.is_dir() {
            return Err(errors::REPORT_IS_FOLDER.with("path", file.display()).into());
        }
        let dir = file.parent().unwrap_or(Path::new("")).to_owned();
        Ok(Copies {
            dir: if dir.as_os_str().is_empty() {
                ".".into()
            } else {
                dir
            },
            targets: vec![(roster.to_path_buf(), file.to_owned())],
        })
    }

    /// The copies' paths, for the guard and the locks.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.targets.iter().map(|(_, t)| t.as_path())
    }

    /// Creates the folder, once nothing is refused.
    pub fn create_dir(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| errors::CANNOT_CREATE_FOLDER.with("path", self.dir.display()))
    }

    /// Writes the copy of every roster the run read, each ready to be moved into place.
    pub fn write(
        &self,
        marks: &Marks,
        settings: &CheckSettings,
        lang: Lang,
        stage: &dyn Fn(&Path),
    ) -> anyhow::Result<Vec<(PathBuf, Ready)>> {
        let mut ready = Vec::new();
        for roster in marks.rosters() {
            let Some((_, target)) = self.targets.iter().find(|(r, _)| r == roster) else {
                continue;
            };
            stage(target);
            ready.push((
                target.clone(),
                write_copy(marks, roster, target, settings, lang)?,
            ));
        }
        Ok(ready)
    }
}

/// One roster's copy: its own workbook edited when it is an `.xlsx` or `.xlsm` that can be
/// edited so (else, with a note, values only), any other roster values only.
fn write_copy(
    marks: &Marks,
    roster: &Path,
    target: &Path,
    settings: &CheckSettings,
    lang: Lang,
) -> anyhow::Result<Ready> {
    let failed = |e: MarkedError| -> anyhow::Error {
        anyhow::Error::msg(e.message().render(lang))
            .context(errors::REPORT_CANNOT_WRITE.with("path", target.display()))
    };
    let original = Original::File(roster.to_owned());
    if marked::edits_in_place(roster) {
        let input = std::fs::File::open(roster)
            .with_context(|| errors::CANNOT_READ.with("path", roster.display()))?;
        let input = std::io::BufReader::new(input);
        let spool = Spool::create(target)?;
        match marked::write_in_place(marks, roster, input, lang, spool) {
            Ok(spool) => return spool.finish(),
            Err(MarkedError::Edit(detail)) => {
                if !settings.quiet {
                    let line = texts::MARKED_CANNOT_EDIT
                        .with("path", roster.display())
                        .with("detail", detail)
                        .render(lang);
                    crate::error::note(&format!(
                        "patronal: {}",
                        patronal_core::text::sanitize(&line)
                    ));
                }
            }
            Err(e) => return Err(failed(e)),
        }
    }
    let spool = Spool::create(target)?;
    let opts = settings.read_options(roster);
    marked::write_values_only(marks, roster, &original, &opts, lang, spool)
        .map_err(failed)?
        .finish()
}
