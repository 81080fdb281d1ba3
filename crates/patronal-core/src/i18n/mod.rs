//! The message catalog: every text a person reads outside the findings (errors, notes, the
//! progress bar, the summary, the cron news), in English and Spanish, in one place. (The
//! finding messages live in [`crate::finding::CATALOG`]; the texts of `--help`, which only
//! the command line shows, live in the `patronal` binary.)
//!
//! A [`Text`] is a pair of templates with `{name}` placeholders, declared with `texts!` in
//! the file of its area: [`errors`], [`ui`], [`labels`] (the reports' columns, sheets and
//! headings). A [`Message`] is a text with its
//! arguments; it is rendered in a language only when shown, so errors raised deep in the
//! library travel as values ([`Message`], or typed errors that give one) and the command
//! line renders them in the run's language, each error of a chain by its [`Localized`]
//! message.
//!
//! ```
//! use patronal_core::Lang;
//! use patronal_core::i18n::errors;
//!
//! let m = errors::NO_SUCH_SHEET.with("sheet", "\"Clientes\"").with("sheets", "\"Hoja1\"");
//! assert_eq!(m.render(Lang::Es), "no hay una hoja llamada \"Clientes\"; hojas: \"Hoja1\"");
//! ```
//!
//! To add a message: declare it in the `texts!` block of its area (both languages, the same
//! placeholders), then `errors::MY_TEXT.with("path", path.display())` where it is raised.
//! The unit tests check that every text has both languages and the same placeholders.

use std::fmt;

use crate::finding::Lang;

#[macro_use]
mod macros {
    /// Declares texts: `NAME: "English {x}", "Español {x}";`, and `ALL`, the list of them.
    macro_rules! texts {
        ($($(#[$doc:meta])* $name:ident: $en:expr, $es:expr;)*) => {
            // The English text verbatim, in a block: it may hold `[…]`, `<…>` and blank lines.
            $($(#[$doc])* #[doc = concat!("`", stringify!($name), "`:\n\n```text\n", $en, "\n```")]
            pub const $name: $crate::i18n::Text = $crate::i18n::Text {
                key: stringify!($name),
                en: $en,
                es: $es,
            };)*
            /// Every text of this file, for the catalog's tests.
            pub(crate) const ALL: &[$crate::i18n::Text] = &[$($name),*];
        };
    }
}

pub mod errors;
pub mod labels;
pub mod marked;
pub mod number;
pub mod ui;

pub use number::Plural;

/// A text in both languages. Placeholders are `{name}`; any other brace is literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// The constant's name: what tests and the catalog call it.
    pub key: &'static str,
    /// The English text.
    pub en: &'static str,
    /// The Spanish text.
    pub es: &'static str,
}

impl Text {
    /// The template in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }

    /// A message with one argument.
    pub fn with(self, name: &'static str, value: impl fmt::Display) -> Message {
        self.msg().with(name, value)
    }

    /// A message with one count, grouped as the language groups thousands.
    pub fn count(self, name: &'static str, n: u64) -> Message {
        self.msg().count(name, n)
    }

    /// A message with one argument that is itself a message.
    pub fn with_msg(self, name: &'static str, value: Message) -> Message {
        self.msg().with_msg(name, value)
    }

    /// The message with no argument.
    pub fn msg(self) -> Message {
        Message {
            text: self,
            args: Vec::new(),
        }
    }

    /// The text rendered, with no argument.
    pub fn render(self, lang: Lang) -> String {
        fill(self.get(lang), &[], lang, None)
    }

    /// Whether the text is whole: both languages, with the same placeholders. Every catalog's
    /// tests ask it of every text (the core's here, the binary's `--help` texts).
    pub fn check(self) -> Result<(), String> {
        fn placeholders_of(t: &str) -> Vec<&str> {
            let mut p = placeholders(t);
            p.sort_unstable();
            p.dedup();
            p
        }
        if self.en.trim().is_empty() {
            Err(format!("{}: no English", self.key))
        } else if self.es.trim().is_empty() {
            Err(format!("{}: no Spanish", self.key))
        } else if placeholders_of(self.en) != placeholders_of(self.es) {
            Err(format!("{}: placeholders differ", self.key))
        } else {
            Ok(())
        }
    }

    /// Every text of the catalog.
    pub fn all() -> impl Iterator<Item = Text> {
        errors::ALL
            .iter()
            .chain(ui::ALL)
            .chain(labels::ALL)
            .chain(marked::ALL)
            .copied()
    }
}

/// An argument of a message: text as it is (a path, a number, a value from a roster), or a
/// message rendered in the same language.
#[derive(Clone, Debug)]
enum Arg {
    Plain(String),
    Message(Message),
    List(Vec<Message>),
    /// A count, grouped as the language groups thousands.
    Count(u64),
    /// A number with this many decimals, in the language's marks.
    Decimal(f64, usize),
}

/// A text with its arguments, rendered when shown. `Display` renders it in English.
#[derive(Clone, Debug)]
pub struct Message {
    text: Text,
    args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// Fills `{name}` with `value`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Message {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// Fills `{name}` with another message, rendered in the same language.
    pub fn with_msg(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((name, Arg::Message(value)));
        self
    }

    /// Fills `{name}` with a count, its thousands grouped in the language rendered
    /// (`200,000`, `200.000`).
    pub fn count(mut self, name: &'static str, n: u64) -> Message {
        self.args.push((name, Arg::Count(n)));
        self
    }

    /// Fills `{name}` with a number of `places` decimals, in the language's marks
    /// (`0.02`, `0,02`).
    pub fn decimal(mut self, name: &'static str, x: f64, places: usize) -> Message {
        self.args.push((name, Arg::Decimal(x, places)));
        self
    }

    /// Fills `{reason}` with a system error, in the user's language where it is known.
    pub(crate) fn with_io(self, error: &std::io::Error) -> Message {
        self.with_msg("reason", io_reason(error))
    }

    /// Messages joined by `, `, each rendered in the language of the whole.
    pub(crate) fn list(items: Vec<Message>) -> Message {
        Message {
            text: errors::ONE,
            args: vec![("a", Arg::List(items))],
        }
    }

    /// The text in `lang`, its placeholders filled in.
    pub fn render(&self, lang: Lang) -> String {
        fill(self.text.get(lang), &self.args, lang, None)
    }

    /// The text in `lang` for one line a person reads (an error on a terminal, in a cron
    /// mail): every value quoted from a file or the command line (a list of 100,000
    /// headers, a 5 MB value of a config file) clipped to about `max` characters, its
    /// middle left out (`…`); the catalog's own words are kept whole.
    pub fn render_clipped(&self, lang: Lang, max: usize) -> String {
        fill(self.text.get(lang), &self.args, lang, Some(max))
    }
}

/// `text` clipped to about `max` characters: its start and its end (a path's file name, a
/// closing quote), the middle left out with `…`. Unchanged when it is not longer.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let tail = max / 4;
    let head = max.saturating_sub(tail + 1);
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    std::borrow::Cow::Owned(format!("{start}…{end}"))
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Message {}

/// `template` with its `{name}` placeholders filled; unknown ones are left as written. With
/// `clip`, values from outside the catalog are clipped to about that many characters.
fn fill(template: &str, args: &[(&'static str, Arg)], lang: Lang, clip: Option<usize>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after.find('}').filter(|&end| {
            end > 0
                && after[..end]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
        });
        let arg = name_end.and_then(|end| args.iter().find(|(n, _)| *n == &after[..end]));
        match (name_end, arg) {
            (Some(end), Some((_, arg))) => {
                let render = |m: &Message| fill(m.text.get(lang), &m.args, lang, clip);
                match (arg, clip) {
                    (Arg::Plain(s), None) => out.push_str(s),
                    (Arg::Plain(s), Some(max)) => out.push_str(&self::clip(s, max)),
                    (Arg::Message(m), _) => out.push_str(&render(m)),
                    (Arg::List(items), _) => {
                        let items: Vec<String> = items.iter().map(render).collect();
                        let joined = items.join(", ");
                        match clip {
                            Some(max) => out.push_str(&self::clip(&joined, max)),
                            None => out.push_str(&joined),
                        }
                    }
                    (Arg::Count(n), _) => out.push_str(&number::count(*n, lang)),
                    (Arg::Decimal(x, places), _) => {
                        out.push_str(&number::decimal(*x, *places, lang))
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(end)
                if end > 0
                    && after[..end]
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// A system error in words: the known kinds in the catalog, others as the system says it.
pub fn io_reason(error: &std::io::Error) -> Message {
    use std::io::ErrorKind as K;
    let text = match error.kind() {
        K::NotFound => errors::IO_NOT_FOUND,
        K::PermissionDenied => errors::IO_PERMISSION,
        K::IsADirectory => errors::IO_IS_DIRECTORY,
        K::NotADirectory => errors::IO_NOT_DIRECTORY,
        K::StorageFull | K::QuotaExceeded => errors::IO_DISK_FULL,
        K::ReadOnlyFilesystem => errors::IO_READ_ONLY,
        K::AlreadyExists => errors::IO_EXISTS,
        K::InvalidData => errors::IO_INVALID_DATA,
        K::UnexpectedEof => errors::IO_TRUNCATED,
        K::BrokenPipe => errors::IO_BROKEN_PIPE,
        K::TimedOut => errors::IO_TIMED_OUT,
        K::FileTooLarge => errors::IO_TOO_LARGE,
        _ => return errors::IO_OTHER.with("system", error),
    };
    text.msg()
}

/// A typed error of the library that knows its message.
pub trait Localized {
    /// The message this error shows, in either language.
    fn message(&self) -> Message;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_the_same_placeholders() {
        let mut keys = std::collections::HashSet::new();
        for t in Text::all() {
            assert!(keys.insert(t.key), "{} declared twice", t.key);
            t.check().unwrap();
        }
        let broken = Text {
            key: "T",
            en: "{a} and {b}",
            es: "{a}",
        };
        assert_eq!(broken.check(), Err("T: placeholders differ".into()));
    }

    #[test]
    fn quoted_values_are_clipped_for_one_line() {
        let long = format!("\"{}\"", "x".repeat(5_000_000));
        let m = errors::CONFIG_ONE_OF
            .with("value", &long)
            .with("values", "en, es");
        let line = m.render_clipped(Lang::En, 200);
        assert!(line.chars().count() < 260, "{}", line.len());
        assert!(
            line.contains('…') && line.ends_with("\"; values: en, es"),
            "{line}"
        );
        assert_eq!(
            m.render(Lang::En).len(),
            long.len() + "; values: en, es".len()
        );
        assert_eq!(clip("short", 200), "short");
        assert_eq!(clip("abcdefghij", 5).chars().count(), 5);
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let t = Text {
            key: "T",
            en: "{a} and {b} in {date} {}",
            es: "{a} y {b}",
        };
        let m = t
            .with("a", 1)
            .with_msg("b", t.with("a", "x").with("b", "y"));
        assert_eq!(
            m.render(Lang::En),
            "1 and x and y in {date} {} in {date} {}"
        );
        assert_eq!(m.render(Lang::Es), "1 y x y y");
    }
}
