//! The vocabulary every rule speaks, below every rule: a [`Finding`] is one [`Code`] of the
//! catalog ([`CATALOG`]: its [`Severity`], [`Field`], English and Spanish message and hint)
//! raised on one field of one record, and a record's findings give its [`Verdict`]. This
//! module imports nothing else of the crate (docs/rules.md, "Finding codes").

use std::borrow::Cow;

use serde::Serialize;

mod catalog;
mod lang;

pub use catalog::{CATALOG, Code, CodeInfo, Field, Severity};
pub use lang::Lang;

/// One problem (or remark) about a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What was found: the catalog entry gives its severity, message and hint.
    pub code: Code,
    /// Usually the code's own field; `EXCEL_SCIENTIFIC` and the format codes say which column.
    pub field: Field,
    /// What the message says in particular: a row number, a value, a suggestion.
    pub detail: Option<Detail>,
}

/// A finding's particulars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Language-neutral text: a value, a place in another table, a domain.
    Text(Box<str>),
    /// A row of the same table (the batch checks' earlier record).
    Row(u64),
    /// A row with `found` cells under a header of `expected`.
    Cells {
        /// The cells the row has.
        found: usize,
        /// The cells the header row has.
        expected: usize,
    },
    /// An unclosed quote would have merged lines `first` to `last`, or more when `cut` (the
    /// reader stopped following it there).
    Quote {
        /// The line whose quote is unclosed.
        first: u64,
        /// The last line it would have taken in.
        last: u64,
        /// The reader stopped at its limit: the quote may have gone on.
        cut: bool,
    },
    /// A status the SRI catastro gives that is not one of the SRI's words: the value as
    /// written there (blank included).
    Catastro(Box<str>),
    /// Words of the catalog's own, in both languages (why a check digit is wrong, which
    /// file to load).
    Words {
        /// In English.
        en: &'static str,
        /// In Spanish.
        es: &'static str,
    },
    /// What cleaning took out of an identifier (`-1723468565`, `0912345678-001`).
    Removed(Removed),
}

/// What cleaning took out of an identifier: each of these is named in the warning.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// A sign before the digits (`-1723468565`: a damaged Excel cell).
    pub sign: Option<char>,
    /// The characters removed between the digits (`-`, `.`), each once, in order; a space
    /// is named as spaces.
    pub chars: Vec<char>,
    /// The fraction of a number written by a program (`.0` of `912345678.0`).
    pub fraction: Option<Box<str>>,
}

impl Removed {
    /// Nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.sign.is_none() && self.chars.is_empty() && self.fraction.is_none()
    }

    /// The parts named, in `lang`: `the sign "-", "." "-", spaces`.
    fn render(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(sign) = self.sign {
            parts.push(match lang {
                Lang::En => format!("the sign \"{sign}\""),
                Lang::Es => format!("el signo \"{sign}\""),
            });
        }
        let quoted: Vec<String> = self
            .chars
            .iter()
            .filter(|&&c| c != ' ')
            .map(|c| format!("\"{c}\""))
            .collect();
        if !quoted.is_empty() {
            parts.push(quoted.join(" "));
        }
        if self.chars.contains(&' ') {
            parts.push(match lang {
                Lang::En => "spaces".to_owned(),
                Lang::Es => "espacios".to_owned(),
            });
        }
        if let Some(fraction) = &self.fraction {
            parts.push(match lang {
                Lang::En => format!("the fraction \"{fraction}\""),
                Lang::Es => format!("la fracción \"{fraction}\""),
            });
        }
        parts.join(", ")
    }
}

impl Detail {
    /// The text that goes into the message, in `lang`.
    pub fn render(&self, lang: Lang) -> Cow<'_, str> {
        match (self, lang) {
            (Detail::Text(t), _) => Cow::Borrowed(t),
            (Detail::Row(row), _) => Cow::Owned(row.to_string()),
            (Detail::Cells { found, expected }, Lang::En) => {
                Cow::Owned(format!("{found} cells, the header has {expected}"))
            }
            (Detail::Cells { found, expected }, Lang::Es) => {
                Cow::Owned(format!("{found} celdas, el encabezado tiene {expected}"))
            }
            (Detail::Catastro(raw), Lang::En) if raw.is_empty() => {
                Cow::Borrowed("blank in the SRI catastro")
            }
            (Detail::Catastro(raw), Lang::Es) if raw.is_empty() => {
                Cow::Borrowed("en blanco en el catastro del SRI")
            }
            (Detail::Catastro(raw), Lang::En) => {
                Cow::Owned(format!("\"{raw}\" in the SRI catastro"))
            }
            (Detail::Catastro(raw), Lang::Es) => {
                Cow::Owned(format!("\"{raw}\" en el catastro del SRI"))
            }
            (&Detail::Words { en, .. }, Lang::En) => Cow::Borrowed(en),
            (&Detail::Words { es, .. }, Lang::Es) => Cow::Borrowed(es),
            (Detail::Removed(removed), lang) => Cow::Owned(removed.render(lang)),
            (&Detail::Quote { first, last, cut }, lang) => Cow::Owned(match lang {
                Lang::En => format!(
                    "an unclosed quote on line {first} would have merged lines {first}–{last}{}: each was read on its own",
                    if cut { " or more" } else { "" }
                ),
                Lang::Es => format!(
                    "unas comillas sin cerrar en la línea {first} habrían unido las líneas {first}–{last}{}: se leyó cada una por separado",
                    if cut { " o más" } else { "" }
                ),
            }),
        }
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl Finding {
    /// A finding of `code` on the code's own field, with no detail.
    pub fn new(code: Code) -> Finding {
        Finding {
            code,
            field: code.info().field,
            detail: None,
        }
    }

    /// A finding of `code` whose detail is language-neutral text ([`Detail::Text`]).
    pub fn with_detail(code: Code, detail: impl Into<Box<str>>) -> Finding {
        Finding::with(code, Detail::Text(detail.into()))
    }

    /// A finding of `code` with `detail`.
    pub fn with(code: Code, detail: Detail) -> Finding {
        Finding {
            detail: Some(detail),
            ..Finding::new(code)
        }
    }

    /// `ROW_MALFORMED` for a row with the wrong number of cells.
    pub(crate) fn malformed_cells(found: usize, expected: usize) -> Finding {
        Finding {
            detail: Some(Detail::Cells { found, expected }),
            ..Finding::new(Code::RowMalformed)
        }
    }

    /// `ROW_MALFORMED` for a line whose unclosed quote would have swallowed the next ones.
    pub(crate) fn unclosed_quote(first: u64, last: u64, cut: bool) -> Finding {
        Finding {
            detail: Some(Detail::Quote { first, last, cut }),
            ..Finding::new(Code::RowMalformed)
        }
    }

    /// The same finding, on `field` instead of the code's own.
    pub fn on(mut self, field: Field) -> Finding {
        self.field = field;
        self
    }

    /// Its code's severity.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The message in `lang`, with the detail filled in.
    pub fn message(&self, lang: Lang) -> Cow<'static, str> {
        let template = self.code.info().message(lang);
        match (&self.detail, placeholder(template)) {
            (None, None) => Cow::Borrowed(template),
            (None, Some(_)) => Cow::Owned(template.replacen(" ({})", "", 1).replacen("{}", "?", 1)),
            (Some(_), _) => {
                let mut message = String::with_capacity(template.len() + 16);
                self.write_message(lang, &mut |piece| message.push_str(piece));
                Cow::Owned(message)
            }
        }
    }

    /// [`Finding::message`] a piece at a time into `out`, without building the string: for
    /// renderers that escape text as they copy it.
    pub fn write_message(&self, lang: Lang, out: &mut impl FnMut(&str)) {
        let template = self.code.info().message(lang);
        let Some(detail) = &self.detail else {
            out(&self.message(lang));
            return;
        };
        let at = placeholder(template);
        let (before, after) = match at {
            Some(i) => (&template[..i], &template[i + 2..]),
            None => (template, ""),
        };
        let appended = at.is_none();
        out(before);
        if appended {
            out(" (");
        }
        match detail {
            Detail::Text(text) => out(text),
            Detail::Row(row) => out(itoa::Buffer::new().format(*row)),
            other => out(&other.render(lang)),
        }
        if appended {
            out(")");
        }
        out(after);
    }
}

/// Where a message template has its `{}` (a byte search: templates are short).
fn placeholder(template: &str) -> Option<usize> {
    let bytes = template.as_bytes();
    memchr::memchr_iter(b'{', bytes).find(|&i| bytes.get(i + 1) == Some(&b'}'))
}

/// A finding as reports and `--json` print it: code, severity, field and message.
#[derive(Debug, Serialize)]
pub struct FindingView<'a> {
    /// The code's stable name (`ID_CHECKSUM`).
    pub code: &'static str,
    /// `warning`, `in_person` or `error`.
    pub severity: &'static str,
    /// The field it concerns (`id`, `ruc`, `row`…).
    pub field: &'static str,
    /// The message, with the detail filled in.
    pub message: Cow<'a, str>,
}

impl Finding {
    /// The finding as reports print it, its message in `lang`.
    pub fn view(&self, lang: Lang) -> FindingView<'static> {
        FindingView {
            code: self.code.name(),
            severity: self.severity().as_str(),
            field: self.field.as_str(),
            message: self.message(lang),
        }
    }
}

/// What a record's findings mean for the key recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No error and no in-person finding: the online path should work.
    Ready,
    /// At least one error: the portal will stop it at "Validar"; fix the data first.
    Invalid,
    /// An in-person finding and no error: the recovery will likely have to be finished at
    /// an IESS office.
    InPerson,
}

impl Verdict {
    /// `error` → invalid; else `in_person` → in person; else ready.
    pub(crate) fn of(findings: &[Finding]) -> Verdict {
        match findings.iter().map(Finding::severity).max() {
            Some(Severity::Error) => Verdict::Invalid,
            Some(Severity::InPerson) => Verdict::InPerson,
            _ => Verdict::Ready,
        }
    }

    /// The word reports for programs use: `ready`, `invalid`, `in_person`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Invalid => "invalid",
            Verdict::InPerson => "in_person",
        }
    }

    /// The word people read (the terminal, the workbook), in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Ready, Lang::En) => "ready",
            (Verdict::Invalid, Lang::En) => "invalid",
            (Verdict::InPerson, Lang::En) => "in person",
            (Verdict::Ready, Lang::Es) => "lista",
            (Verdict::Invalid, Lang::Es) => "inválida",
            (Verdict::InPerson, Lang::Es) => "presencial",
        }
    }

    /// Invalid or in person: the record needs attention.
    pub fn is_flagged(self) -> bool {
        self != Verdict::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::CATALOG;

    #[test]
    fn status_takes_the_worst_severity() {
        assert_eq!(Verdict::of(&[]), Verdict::Ready);
        assert_eq!(
            Verdict::of(&[Finding::new(Code::SucursalAssumed)]),
            Verdict::Ready
        );
        let in_person = [
            Finding::new(Code::SucursalAssumed),
            Finding::new(Code::FirstKey),
        ];
        assert_eq!(Verdict::of(&in_person), Verdict::InPerson);
        let invalid = [Finding::new(Code::FirstKey), Finding::new(Code::IdChecksum)];
        assert_eq!(Verdict::of(&invalid), Verdict::Invalid);
    }

    #[test]
    fn messages_written_in_pieces_are_the_messages() {
        let details = [
            None,
            Some(Detail::Text("x \"y\"".into())),
            Some(Detail::Row(17)),
            Some(Detail::Cells {
                found: 3,
                expected: 5,
            }),
            Some(Detail::Quote {
                first: 2,
                last: 9,
                cut: false,
            }),
            Some(Detail::Words {
                en: "in English",
                es: "en español",
            }),
            Some(Detail::Removed(Removed {
                sign: Some('-'),
                chars: vec!['.', ' '],
                fraction: Some(".0".into()),
            })),
        ];
        for code in CATALOG.iter().map(|c| &c.code) {
            for detail in &details {
                for lang in [Lang::En, Lang::Es] {
                    let f = Finding {
                        detail: detail.clone(),
                        ..Finding::new(*code)
                    };
                    let mut pieces = String::new();
                    f.write_message(lang, &mut |s| pieces.push_str(s));
                    assert_eq!(pieces, f.message(lang), "{code:?} {detail:?}");
                }
            }
        }
    }

    #[test]
    fn messages_fill_or_append_the_detail() {
        let f = Finding::with_detail(Code::EmailDomainTypo, "gmail.com");
        assert_eq!(
            f.message(Lang::En),
            "The e-mail domain looks misspelt: did you mean gmail.com?"
        );
        assert!(f.message(Lang::Es).contains("¿quiso decir gmail.com?"));
        let f = Finding::with_detail(Code::IdFormat, "#N/A");
        assert!(f.message(Lang::En).ends_with(" (#N/A)"));
        let f = Finding::new(Code::RucNotActive);
        assert_eq!(f.message(Lang::En), "The RUC is not active at the SRI");
    }
}
