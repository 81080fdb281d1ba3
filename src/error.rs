//! An error as the user reads it: one line, in the run's language.

use patronal_core::Lang;
use patronal_core::catastro::CatastroError;
use patronal_core::compare::CompareError;
use patronal_core::i18n::{Localized, Message, clip, io_reason};
use patronal_core::pipeline::RunError;
use patronal_core::report::ReportError;
use patronal_core::roster::RosterError;

/// The most characters of one value quoted in an error line (a header list, a config
/// value, a path): longer ones keep their start and end around `…`. Cron mails the line.
pub const CLIP: usize = 200;

/// An error as one line in `lang`: the messages of the catalog in that language, the
/// library's typed errors through their message, system errors by kind. Context added with
/// a `Message` is followed by its cause. Values quoted are clipped to about [`CLIP`]
/// characters.
pub fn render(err: &anyhow::Error, lang: Lang) -> String {
    let mut chain = err.chain();
    // Context of an `anyhow` error is reached through the error itself, not the chain.
    let first = match err.downcast_ref::<Message>() {
        Some(m) => {
            chain.next();
            m.render_clipped(lang, CLIP)
        }
        None => match chain.next() {
            Some(e) => match localize(e) {
                Some((m, typed)) if typed => return m.render_clipped(lang, CLIP),
                Some((m, _)) => m.render_clipped(lang, CLIP),
                None => clip(&e.to_string(), CLIP).into_owned(),
            },
            None => return String::new(),
        },
    };
    let mut parts = vec![first];
    for e in chain {
        let (text, typed) = match localize(e) {
            Some((m, typed)) => (m.render_clipped(lang, CLIP), typed),
            None => (clip(&e.to_string(), CLIP).into_owned(), false),
        };
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
        // Typed errors already say their cause.
        if typed {
            break;
        }
    }
    parts.join(": ")
}

/// The message of one error of a chain: a [`Message`], one of the library's typed errors
/// (which say their cause too: `true`), or a system error by its kind; `None` for another
/// error, shown as it displays itself.
fn localize(e: &(dyn std::error::Error + 'static)) -> Option<(Message, bool)> {
    fn typed<E: Localized + std::error::Error + 'static>(
        e: &(dyn std::error::Error + 'static),
    ) -> Option<(Message, bool)> {
        e.downcast_ref::<E>().map(|e| (e.message(), true))
    }
    if let Some(m) = e.downcast_ref::<Message>() {
        return Some((m.clone(), false));
    }
    if let Some(e) = e.downcast_ref::<std::io::Error>() {
        return Some((io_reason(e), false));
    }
    typed::<RosterError>(e)
        .or_else(|| typed::<CatastroError>(e))
        .or_else(|| typed::<ReportError>(e))
        .or_else(|| typed::<RunError>(e))
        .or_else(|| typed::<CompareError>(e))
}

/// Prints one line on stderr; a closed or failing stderr is ignored (`eprintln!` panics
/// there, and the exit status is what cron reads).
pub fn note(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `patronal codes | head` closes the pipe early: that is a quiet success.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The user stopped the run (Ctrl-C, SIGTERM): exit status 130.
pub fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| matches!(e.downcast_ref::<RunError>(), Some(RunError::Interrupted)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronal_core::i18n::errors;

    #[test]
    fn errors_render_in_the_language_asked() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let err = anyhow::Error::new(io).context(errors::CANNOT_READ.with("path", "a.csv"));
        assert_eq!(render(&err, Lang::En), "a.csv: cannot read: not found");
        assert_eq!(render(&err, Lang::Es), "a.csv: no se puede leer: no existe");
    }

    #[test]
    fn a_report_error_says_its_cause_once() {
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let err = anyhow::Error::new(ReportError::Io(io))
            .context(errors::REPORT_CANNOT_WRITE.with("path", "informe.csv"));
        let text = render(&err, Lang::En);
        assert!(
            text.starts_with("informe.csv: cannot write the report: "),
            "{text}"
        );
        assert_eq!(text.matches(": ").count(), 2, "the cause once: {text}");
        let stopped = anyhow::Error::new(RunError::Interrupted);
        assert!(is_interrupted(&stopped) && !is_broken_pipe(&stopped));
    }
}
