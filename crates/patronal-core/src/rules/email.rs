//! The e-mail rules: IESS sends the recovery code and link to the registered address, so an
//! unusable address means an in-person visit.

use std::borrow::Cow;

use crate::finding::{Code, Finding};
use crate::text::{fold, fold_first};

/// Fillers typed where there is no e-mail, after [`fold`] (`N/A` → `n/a`, `No tiene` → `notiene`).
const PLACEHOLDER_TEXT: &[&str] = &[
    "notiene",
    "n/a",
    "na",
    "ninguno",
    "ninguna",
    "no",
    "sincorreo",
    "sinemail",
    "sinmail",
    "s/n",
    "sn",
    "none",
    "null",
    "nil",
    "x",
    "xx",
    "xxx",
    "noaplica",
    "pendiente",
    "desconocido",
    "noregistra",
    "notienecorreo",
    "0",
];

/// Local parts that say "no mailbox" whatever the domain (`sincorreo@gmail.com`). Each
/// starts with `n` or `s` (a test checks it): the check looks at that letter first.
const PLACEHOLDER_LOCAL: &[&str] = &[
    "sincorreo",
    "noemail",
    "nocorreo",
    "notiene",
    "notienecorreo",
    "ninguno",
    "sinemail",
    "sinmail",
    "nomail",
    "noaplica",
    "none",
    "na",
];

/// Domains reserved for examples or typed as fillers.
const PLACEHOLDER_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "example.ec",
    "test.com",
    "prueba.com",
    "correo.com",
    "dominio.com",
    "domain.com",
    "sincorreo.com",
    "notiene.com",
];

/// The providers most employers use, whose misspellings are worth catching.
pub(crate) const PROVIDERS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "live.com",
    "icloud.com",
    "hotmail.es",
    "outlook.es",
    "yahoo.es",
    "msn.com",
];

/// Real domains one letter away from a provider: never "corrected".
const REAL_NEIGHBOURS: &[&str] = &["mail.com", "email.com", "ymail.com", "gmx.com", "aol.com"];

/// Checks an e-mail cell and returns the address that was checked, lowercased, when it is
/// usable (for the `EMAIL_SHARED` batch check).
pub fn check_email<'a>(raw: &'a str, out: &mut Vec<Finding>) -> Option<Cow<'a, str>> {
    let raw = crate::text::trim(raw);
    if raw.is_empty() {
        out.push(Finding::new(Code::EmailMissing));
        return None;
    }
    // Several addresses need several `@`: most cells have one and skip the split.
    let mut scan = Scan::of(raw);
    let address = if scan.ats > 1 {
        let mut addresses = raw
            .split([';', ',', ' ', '\n', '\t', '/'])
            .filter(|s| s.contains('@'));
        match (addresses.next(), addresses.next()) {
            (Some(first), Some(_)) => {
                out.push(Finding::new(Code::EmailMultiple));
                scan = Scan::of(first);
                first
            }
            _ => raw,
        }
    } else {
        raw
    };
    let address = if scan.upper || !scan.ascii {
        Cow::Owned(address.to_lowercase())
    } else {
        Cow::Borrowed(address)
    };
    let Some((local, domain)) = split_first(&address, b'@') else {
        let folded = fold(&address);
        let code = if folded.is_empty() || PLACEHOLDER_TEXT.contains(&folded.as_str()) {
            Code::EmailPlaceholder
        } else {
            Code::EmailInvalid
        };
        out.push(Finding::new(code));
        return None;
    };
    if is_placeholder(local, domain) {
        out.push(Finding::new(Code::EmailPlaceholder));
        return None;
    }
    if !is_plausible(local, domain, &scan) {
        out.push(Finding::new(Code::EmailInvalid));
        return None;
    }
    if let Some(fix) = domain_fix(domain) {
        out.push(Finding::with_detail(Code::EmailDomainTypo, fix));
        return None;
    }
    Some(address)
}

fn is_placeholder(local: &str, domain: &str) -> bool {
    let name = split_first(domain, b'.').map_or(domain, |(name, _)| name);
    // Placeholders are short; a plain lowercase local part needs no folding.
    // `sincorreo@`, `sincorreo12@`, `Sin.Correo@`: trailing digits and punctuation aside.
    // Every filler starts with `n` or `s`: most local parts are told apart by that alone.
    let is_filler = |l: &str| {
        matches!(l.as_bytes().first(), Some(b'n' | b's'))
            && PLACEHOLDER_LOCAL.contains(&l.trim_end_matches(|c: char| c.is_ascii_digit()))
    };
    let placeholder_local = if local
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        is_filler(local)
    } else {
        local.len() <= 24 && matches!(fold_first(local), Some('n' | 's')) && is_filler(&fold(local))
    };
    placeholder_local
        || PLACEHOLDER_DOMAINS.contains(&domain)
        || domain.starts_with("example.")
        // a@a.com, test@test.com, correo@correo.com
        || (!local.is_empty() && local == name)
}

/// `s` around its first `byte` (an ASCII byte, so both sides are text).
fn split_first(s: &str, byte: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == byte)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `s` around its last `byte` (ASCII).
fn split_last(s: &str, byte: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|b| b == byte)?;
    Some((&s[..i], &s[i + 1..]))
}

/// What one pass over an address finds.
struct Scan {
    ats: usize,
    upper: bool,
    ascii: bool,
    /// An ASCII space or control character.
    blank: bool,
}

impl Scan {
    fn of(s: &str) -> Scan {
        let bytes = s.as_bytes();
        // Most addresses fit in 32 bytes: padded with a letter (which counts for nothing),
        // the block is scanned in vector registers, with no loop left over.
        let (ats, flags) = match bytes.len() {
            0..=32 => {
                let mut block = [b'a'; 32];
                block[..bytes.len()].copy_from_slice(bytes);
                scan_bytes(&block)
            }
            _ => scan_bytes(bytes),
        };
        Scan {
            ats,
            upper: flags & 1 != 0,
            ascii: flags & 2 == 0,
            blank: flags & 4 != 0,
        }
    }
}

/// The `@` count, and an OR of flags: 1 uppercase, 2 not ASCII, 4 a space or control
/// character. Branch-free, so that the compiler makes vector code of it.
fn scan_bytes(bytes: &[u8]) -> (usize, u8) {
    let ats = bytes.iter().map(|&b| usize::from(b == b'@')).sum();
    let flags = bytes.iter().fold(0u8, |f, &b| {
        f | u8::from(b.is_ascii_uppercase())
            | (u8::from(b >= 0x80) << 1)
            | (u8::from(b <= b' ' || b == 0x7f) << 2)
    });
    (ats, flags)
}

/// One `@`, a non-empty local part, a domain with a dot and a TLD of 2+ letters, no spaces.
/// `scan` is that of the address `local@domain`.
fn is_plausible(local: &str, domain: &str, scan: &Scan) -> bool {
    let no_space = if scan.ascii {
        !scan.blank
    } else {
        ![local, domain]
            .iter()
            .any(|s| s.chars().any(|c| c.is_whitespace() || c.is_control()))
    };
    let Some((host, tld)) = split_last(domain, b'.') else {
        return false;
    };
    !local.is_empty()
        && no_space
        && scan.ats == 1
        && !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.as_bytes().windows(2).any(|w| w == b"..")
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// The provider a misspelt domain most likely meant (`gmial.con` → `gmail.com`).
fn domain_fix(domain: &str) -> Option<Cow<'static, str>> {
    if PROVIDERS.contains(&domain) || REAL_NEIGHBOURS.contains(&domain) {
        return None;
    }
    if let Some(p) = PROVIDERS.iter().find(|p| one_edit(domain, p)) {
        return Some(Cow::Borrowed(p));
    }
    let (host, tld) = split_last(domain, b'.')?;
    if !MISTYPED_COM.contains(&tld) {
        return None;
    }
    // Both the name and the TLD misspelt (`gmial.con`), else just the TLD (`empresa.con`).
    let provider = PROVIDERS.iter().filter(|p| p.ends_with(".com")).find(|p| {
        let pname = &p[..p.len() - 4];
        pname.len() >= 5 && one_edit(host, pname)
    });
    Some(match provider {
        Some(p) => Cow::Borrowed(p),
        None => Cow::Owned(format!("{host}.com")),
    })
}

/// TLDs that are `.com` mistyped, never a real domain's.
const MISTYPED_COM: &[&str] = &["con", "cmo", "cpm", "comm", "coom", "vom", "xom", "ocm"];

/// True when `a` and `b` differ by exactly one edit: an insertion, a deletion, a
/// substitution or a swap of two adjacent characters (`gmial` / `gmail`).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len().abs_diff(b.len()) {
        0 if a.is_empty() => false,
        0 => a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]),
        1 if a.len() > b.len() => a[1..] == *b,
        1 => b[1..] == *a,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(raw: &str) -> (Option<String>, Vec<String>) {
        let mut out = Vec::new();
        let addr = check_email(raw, &mut out).map(Cow::into_owned);
        let codes = out
            .iter()
            .map(|f| match &f.detail {
                Some(d) => format!("{}:{d}", f.code.name()),
                None => f.code.name().to_owned(),
            })
            .collect();
        (addr, codes)
    }

    #[test]
    fn fillers_start_with_n_or_s() {
        for filler in PLACEHOLDER_LOCAL {
            assert!(filler.starts_with(['n', 's']), "{filler}");
        }
    }

    #[test]
    fn scan_of_short_and_long_addresses() {
        // The padded 32-byte block and the plain loop agree, around the block's edge too.
        for len in [0, 1, 31, 32, 33, 70] {
            for byte in [b'@', b'A', 0xC3, b' ', 0x7f] {
                let mut s = "a".repeat(len).into_bytes();
                if len > 0 {
                    s[len - 1] = byte;
                }
                let text = String::from_utf8_lossy(&s).into_owned();
                let scan = Scan::of(&text);
                let bytes = text.as_bytes();
                assert_eq!(
                    scan.ats,
                    bytes.iter().filter(|&&b| b == b'@').count(),
                    "{len} {byte}"
                );
                assert_eq!(
                    scan.upper,
                    bytes.iter().any(u8::is_ascii_uppercase),
                    "{len} {byte}"
                );
                assert_eq!(scan.ascii, bytes.is_ascii(), "{len} {byte}");
                let blank = bytes
                    .iter()
                    .any(|b| b.is_ascii_whitespace() || b.is_ascii_control());
                assert_eq!(scan.blank, blank, "{len} {byte}");
            }
        }
    }

    #[test]
    fn good_addresses() {
        for s in [
            "ana.perez@gmail.com",
            "Contabilidad@Empresa.com.ec",
            "x_y+z@ymail.com",
            "a@mail.com",
        ] {
            let (addr, c) = codes(s);
            assert!(c.is_empty(), "{s}: {c:?}");
            assert_eq!(addr.unwrap(), s.to_lowercase());
        }
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(codes("  ").1, ["EMAIL_MISSING"]);
        for s in [
            "ana.gmail.com",
            "ana@gmail",
            "@gmail.com",
            "ana@@gmail.com",
            "ana perez@gmail.com",
            "ana@gmail.c0m",
            "ana@.com",
        ] {
            assert_eq!(codes(s).1, ["EMAIL_INVALID"], "{s}");
        }
    }

    #[test]
    fn placeholders() {
        for s in [
            "no tiene",
            "N/A",
            "ninguno",
            "sincorreo@gmail.com",
            "sincorreo12@gmail.com",
            "Sin.Correo@gmail.com",
            "noemail@hotmail.com",
            "a@a.com",
            "test@test.com",
            "correo@correo.com",
            "info@example.com",
            "-",
        ] {
            assert_eq!(codes(s).1, ["EMAIL_PLACEHOLDER"], "{s}");
        }
    }

    #[test]
    fn domain_typos_suggest_the_fix() {
        for (s, fix) in [
            ("ana@gmial.com", "gmail.com"),
            ("ana@gmail.con", "gmail.com"),
            ("ana@hotmial.com", "hotmail.com"),
            ("ana@outlok.com", "outlook.com"),
            ("ana@yaho.com", "yahoo.com"),
            ("ana@gmial.con", "gmail.com"),
            ("nomina@empresa.con", "empresa.com"),
        ] {
            assert_eq!(codes(s).1, [format!("EMAIL_DOMAIN_TYPO:{fix}")], "{s}");
        }
        assert!(codes("ana@hotmail.es").1.is_empty());
    }

    #[test]
    fn one_edit_apart() {
        for (a, b) in [
            ("gmial", "gmail"),
            ("gmai", "gmail"),
            ("gmaill", "gmail"),
            ("gnail", "gmail"),
            ("con", "com"),
        ] {
            assert!(one_edit(a, b) && one_edit(b, a), "{a} {b}");
        }
        for (a, b) in [
            ("gmail", "gmail"),
            ("gm", "gmail"),
            ("hotmail", "gmail"),
            ("", ""),
        ] {
            assert!(!one_edit(a, b), "{a} {b}");
        }
    }

    #[test]
    fn several_addresses_check_the_first() {
        let (addr, c) = codes("ana@gmail.com; pedro@hotmail.com");
        assert_eq!(
            (addr.as_deref(), c),
            (Some("ana@gmail.com"), vec!["EMAIL_MULTIPLE".to_owned()])
        );
        assert_eq!(
            codes("ana@gmial.com, b@gmail.com").1,
            ["EMAIL_MULTIPLE", "EMAIL_DOMAIN_TYPO:gmail.com"]
        );
    }
}
