//! Numbers as a person reads them, one format per language everywhere (the terminal, the
//! progress bar, the workbook's texts, the page): English groups thousands with `,` and
//! writes decimals with `.` (`200,000`, `73.3`); Spanish groups with `.` and writes
//! decimals with `,` (`200.000`, `73,3`), as Excel shows numbers on a Spanish Windows
//! (Ecuador's regional settings). Counts take the singular for one and the plural otherwise
//! ([`Plural`]). Machine outputs (JSON, the CSV report, row numbers in `file:row`) are never
//! grouped.

use crate::finding::Lang;

use super::{Message, Text};

/// The thousands separator and the decimal mark of `lang`.
fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::Es => ('.', ','),
    }
}

/// A whole number with its thousands grouped: `200,000` (English), `200.000` (Spanish).
pub fn count(n: u64, lang: Lang) -> String {
    let digits = itoa::Buffer::new().format(n).to_owned();
    group(&digits, marks(lang).0)
}

fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A number with `places` decimals, its whole part grouped: `1,234.5` / `1.234,5`.
pub fn decimal(x: f64, places: usize, lang: Lang) -> String {
    let (sep, mark) = marks(lang);
    let text = format!("{:.*}", places, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    out.push_str(&group(whole, sep));
    if !fraction.is_empty() {
        out.push(mark);
        out.push_str(fraction);
    }
    out
}

/// A file's size for a person: kilobytes below a megabyte (`35 KB`), megabytes above
/// (`12 MB`, `1.5 MB` below 10), never `0 MB`.
pub fn size(bytes: u64, lang: Lang) -> String {
    const KB: f64 = 1_000.0;
    const MB: f64 = 1_000_000.0;
    let b = bytes as f64;
    if b < MB {
        let kb = (b / KB).ceil().max(if bytes == 0 { 0.0 } else { 1.0 });
        format!("{} KB", count(kb as u64, lang))
    } else if b < 10.0 * MB {
        format!("{} MB", decimal(b / MB, 1, lang))
    } else {
        format!("{} MB", count((b / MB).round() as u64, lang))
    }
}

/// A count with its noun, singular for one and plural otherwise, in both languages: `1
/// record`, `2 records`, `0 registros`. Both texts hold `{n}`.
#[derive(Clone, Copy, Debug)]
pub struct Plural {
    /// For exactly one.
    pub one: Text,
    /// For any other count (zero included).
    pub many: Text,
}

impl Plural {
    /// The message for `n`, the count grouped in the language it is rendered in.
    pub fn of(self, n: u64) -> Message {
        let text = if n == 1 { self.one } else { self.many };
        text.msg().count("n", n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_format_per_language() {
        assert_eq!(count(0, Lang::En), "0");
        assert_eq!(count(999, Lang::Es), "999");
        assert_eq!(count(1_000, Lang::En), "1,000");
        assert_eq!(count(200_000, Lang::En), "200,000");
        assert_eq!(count(200_000, Lang::Es), "200.000");
        assert_eq!(count(1_234_567, Lang::Es), "1.234.567");
        assert_eq!(decimal(73.25, 1, Lang::En), "73.2");
        assert_eq!(decimal(73.35, 1, Lang::Es), "73,3");
        assert_eq!(decimal(12345.678, 2, Lang::Es), "12.345,68");
        assert_eq!(decimal(0.02, 2, Lang::Es), "0,02");
        assert_eq!(decimal(-0.001, 2, Lang::En), "0.00");
    }

    #[test]
    fn sizes_below_a_megabyte_are_in_kilobytes() {
        assert_eq!(size(0, Lang::En), "0 KB");
        assert_eq!(size(1, Lang::En), "1 KB");
        assert_eq!(size(35_200, Lang::Es), "36 KB");
        assert_eq!(size(999_999, Lang::Es), "1.000 KB");
        assert_eq!(size(1_500_000, Lang::Es), "1,5 MB");
        assert_eq!(size(123_456_789, Lang::En), "123 MB");
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        let p = Plural {
            one: Text {
                key: "ONE",
                en: "{n} record",
                es: "{n} registro",
            },
            many: Text {
                key: "MANY",
                en: "{n} records",
                es: "{n} registros",
            },
        };
        assert_eq!(p.of(1).render(Lang::Es), "1 registro");
        assert_eq!(p.of(0).render(Lang::Es), "0 registros");
        assert_eq!(p.of(200_000).render(Lang::En), "200,000 records");
        assert_eq!(p.of(200_000).render(Lang::Es), "200.000 registros");
    }
}
