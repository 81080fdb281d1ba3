//! Windows as accountants use it, from Explorer rather than a terminal:
//!
//! - the language of the run follows the Windows user locale (`es-EC` → Spanish) when no
//!   `LC_ALL`, `LC_MESSAGES` or `LANG` says otherwise;
//! - a roster dropped onto `patronal.exe` (one path, no command) is checked: the workbook
//!   report and the roster marked are written beside it under names that are free
//!   (`nomina.informe.xlsx` and `nomina.marcada.xlsx`, then `nomina.informe (2).xlsx`, ...),
//!   and the summary printed;
//! - started with no argument, it prints a short how-to in both languages;
//! - in either case, when the console window is its own (Explorer opened it for this
//!   program alone), it waits for Enter before the window closes with it.
//!
//! The drop works on every platform (`patronal nomina.csv`); the how-to and the wait only
//! where a console can be the program's own.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use patronal_core::Lang;
use patronal_core::i18n::ui;

/// The language of the locale: `LC_ALL`, `LC_MESSAGES`, `LANG` when one is set; else, on
/// Windows, the user's locale (Settings › Time & language › Region).
pub fn locale_lang() -> Lang {
    let set = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()));
    if set {
        return Lang::from_env();
    }
    match user_locale() {
        Some(l) if l.to_ascii_lowercase().starts_with("es") => Lang::Es,
        _ => Lang::En,
    }
}

/// What the command line asks for, seen before clap: a dropped roster, or nothing at all.
pub enum Launch {
    /// `patronal ROSTER`: check it into a workbook beside it.
    Dropped(PathBuf),
    /// `patronal` alone, in a console window of its own.
    HowTo,
    /// Anything else: the command line as usual.
    CommandLine,
}

/// The commands, which a dropped file's name is never taken for.
const COMMANDS: [&str; 6] = ["check", "id", "codes", "sample", "catastro", "help"];

pub fn launch(args: &[OsString]) -> Launch {
    match args {
        [_] if own_console() => Launch::HowTo,
        [_, one] => {
            let text = one.to_string_lossy();
            let path = PathBuf::from(one);
            if !text.starts_with('-') && !COMMANDS.contains(&text.as_ref()) && path.is_file() {
                Launch::Dropped(path)
            } else {
                Launch::CommandLine
            }
        }
        _ => Launch::CommandLine,
    }
}

/// The command line a dropped roster stands for, `patronal check ROSTER -o REPORT` with
/// its marked copy beside it, and the report.
pub fn check_args(program: &OsString, roster: &Path) -> (Vec<OsString>, PathBuf) {
    let report = free_name(roster, "informe");
    let copy = free_name(roster, "marcada");
    let args = vec![
        program.clone(),
        "check".into(),
        roster.as_os_str().to_owned(),
        "-o".into(),
        report.clone().into_os_string(),
        "--marked-file".into(),
        copy.into_os_string(),
    ];
    (args, report)
}

/// Says where the workbook of a dropped roster is, once written.
pub fn tell_report(report: &Path, lang: Lang) {
    if report.is_file() {
        let line = ui::REPORT_WRITTEN
            .with("path", report.display())
            .render(lang);
        let _ = writeln!(std::io::stderr().lock(), "\n{line}");
    }
}

/// `nomina.csv` → `nomina.informe.xlsx` beside it (`kind` "informe"; "marcada" for the
/// marked copy), or `nomina.informe (2).xlsx`, (3), ...: the first that does not exist, so
/// that an earlier report or copy is never replaced.
pub fn free_name(roster: &Path, kind: &str) -> PathBuf {
    let stem = roster
        .file_stem()
        .map_or_else(|| "nomina".into(), |s| s.to_string_lossy().into_owned());
    let dir = roster.parent().unwrap_or(Path::new(""));
    let mut n = 1u32;
    loop {
        let name = if n == 1 {
            format!("{stem}.{kind}.xlsx")
        } else {
            format!("{stem}.{kind} ({n}).xlsx")
        };
        let path = dir.join(name);
        // A dangling link counts as taken too: nothing is written through it.
        if path.symlink_metadata().is_err() {
            return path;
        }
        n += 1;
    }
}

/// The how-to of a double-click: what to do with this program, in both languages.
pub fn print_how_to() {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}\n\n{}",
        ui::HOW_TO.render(Lang::Es),
        ui::HOW_TO.render(Lang::En)
    );
}

/// Waits for Enter when the console window is this program's own (opened by Explorer for
/// it, and closed with it); in a terminal, or with standard input redirected, returns at
/// once.
pub fn pause(lang: Lang) {
    if !own_console() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\n{} ", ui::PRESS_ENTER.render(lang));
    let _ = err.flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

/// Is the console window this process's alone? Explorer starts a console program in a new
/// window that lists one process; `cmd` and PowerShell list themselves too.
#[cfg(windows)]
fn own_console() -> bool {
    let mut ids = [0u32; 4];
    // SAFETY: the buffer is valid for `ids.len()` u32s, as the call is told.
    let count = unsafe { ffi::GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    count == 1
}

#[cfg(not(windows))]
fn own_console() -> bool {
    false
}

#[cfg(windows)]
fn user_locale() -> Option<String> {
    let mut name = [0u16; 85]; // LOCALE_NAME_MAX_LENGTH
    // SAFETY: the buffer is valid for `name.len()` u16s, as the call is told.
    let len = unsafe { ffi::GetUserDefaultLocaleName(name.as_mut_ptr(), name.len() as i32) };
    let len = usize::try_from(len).ok().filter(|&l| l > 1)?;
    Some(String::from_utf16_lossy(&name[..len - 1]))
}

#[cfg(not(windows))]
fn user_locale() -> Option<String> {
    None
}

#[cfg(windows)]
mod ffi {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        pub fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
        pub fn GetUserDefaultLocaleName(name: *mut u16, len: i32) -> i32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("nomina.csv");
        std::fs::write(&roster, "x").unwrap();
        let first = free_name(&roster, "informe");
        assert_eq!(first, dir.path().join("nomina.informe.xlsx"));
        std::fs::write(&first, "x").unwrap();
        assert_eq!(
            free_name(&roster, "informe"),
            dir.path().join("nomina.informe (2).xlsx")
        );
        std::fs::write(dir.path().join("nomina.informe (2).xlsx"), "x").unwrap();
        assert_eq!(
            free_name(&roster, "informe"),
            dir.path().join("nomina.informe (3).xlsx")
        );
        assert_eq!(
            free_name(&roster, "marcada"),
            dir.path().join("nomina.marcada.xlsx")
        );
    }
}
