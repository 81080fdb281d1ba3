//! Spanish wherever a person reads: every command's help and every error path, in both
//! languages, with no English left in the Spanish ones.

use std::process::{Output, Stdio};

use patronal_core::finding::CATALOG;
use patronal_core::i18n::Text;

use crate::util::{Workdir, describe, run, stderr, stdout};

/// The texts of `--help`, which live in the binary (its functions are not used here).
#[allow(dead_code)]
#[path = "../src/cli/help_texts.rs"]
mod help_texts;

/// clap's own English, which the help and usage errors must not show in Spanish.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "possible values",
    "For more information",
    "tip:",
    "error:",
    "[OPTIONS]",
    "<COMMAND>",
    "<FILE>",
    "<REPORT>",
    "<ROSTER>",
];

/// English words that Spanish text does not use.
const ENGLISH_WORDS: &[&str] = &[
    "the", "cannot", "with", "and", "of", "is", "not", "found", "records", "rows", "file", "files",
    "for", "from", "this", "which", "when", "only", "every", "missing", "unknown", "invalid",
    "should", "will", "report", "column", "header", "headers", "value", "values", "expected",
    "got", "or", "more", "sheet", "sheets", "such", "default", "options", "usage", "print", "help",
    "run", "where", "write", "read", "given",
];

/// Pieces of the catalogs' English texts (between placeholders, two words or more) that the
/// Spanish texts do not share.
fn english_fragments() -> Vec<String> {
    let catalogs = Text::all().chain(help_texts::ALL.iter().copied());
    let mut texts: Vec<(&str, &str)> = catalogs.map(|t| (t.en, t.es)).collect();
    for c in CATALOG {
        texts.push((c.message_en, c.message_es));
        texts.push((c.hint_en, c.hint_es));
    }
    let mut pieces = Vec::new();
    for (en, es) in texts {
        let mut rest = en;
        let mut parts = Vec::new();
        while let Some(open) = rest.find('{') {
            parts.push(&rest[..open]);
            rest = rest[open..]
                .find('}')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        parts.push(rest);
        for p in parts {
            for line in p.lines() {
                let piece = line
                    .trim()
                    .trim_matches(|c: char| ":;,.()".contains(c))
                    .trim();
                if piece.split_whitespace().count() >= 2 && piece.len() >= 10 && !es.contains(piece)
                {
                    pieces.push(piece.to_owned());
                }
            }
        }
    }
    pieces
}

/// What in `text` is English: clap's words, the catalogs' English, English words outside
/// quotes, code spans, options and one-word glosses in parentheses (`nunca (never)`).
/// `third_party`: the text quotes a library's own (English) reason: skip the word check.
fn english_in(text: &str, third_party: bool) -> Vec<String> {
    let mut found: Vec<String> = CLAP_ENGLISH
        .iter()
        .filter(|w| text.contains(*w))
        .map(|w| (*w).to_owned())
        .collect();
    found.extend(
        english_fragments()
            .into_iter()
            .filter(|f| text.contains(f.as_str())),
    );
    if third_party {
        return found;
    }
    let mut plain = String::new();
    let mut skip: Option<char> = None;
    for c in text.chars() {
        match skip {
            Some(end) if c == end => skip = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => skip = Some(c),
            None => plain.push(c),
        }
    }
    for word in plain.split(|c: char| c.is_whitespace() || ",;:.[]<>=|→".contains(c)) {
        if word.starts_with('-') || word.contains('/') || word.contains('_') {
            continue;
        }
        // A gloss: `presencial (in-person)`.
        if word.starts_with('(') && word.ends_with(')') {
            continue;
        }
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        if ENGLISH_WORDS.contains(&w.to_lowercase().as_str()) {
            found.push(w.to_owned());
        }
    }
    found
}

fn assert_spanish(what: &str, text: &str, third_party: bool) {
    let english = english_in(text, third_party);
    assert!(
        english.is_empty(),
        "{what}: English in the Spanish output: {english:?}\n{text}"
    );
}

const COMMANDS: &[&[&str]] = &[
    &[],
    &["check"],
    &["id"],
    &["sample"],
    &["catastro"],
    &["catastro", "build"],
    &["codes"],
];

#[test]
fn every_help_is_in_the_language_asked_with_an_example() {
    let wd = Workdir::new();
    for path in COMMANDS {
        for flag in ["-h", "--help"] {
            let mut args: Vec<&str> = path.to_vec();
            args.push(flag);
            let en = stdout(&wd.expect(&[&["--lang", "en"], &args[..]].concat(), 0));
            assert!(en.contains("Usage: patronal"), "{args:?}\n{en}");
            assert!(en.contains("Examples:\n  patronal "), "{args:?}\n{en}");
            assert!(en.contains("Options"), "{args:?}\n{en}");
            // Spanish by the flag and by the locale alike.
            let es = stdout(&wd.expect(&[&["--lang", "es"], &args[..]].concat(), 0));
            let by_locale = stdout(&run(wd.command(&args).env("LANG", "es_EC.UTF-8")));
            assert_eq!(es, by_locale, "{args:?}");
            assert!(es.contains("Uso: patronal"), "{args:?}\n{es}");
            assert!(es.contains("Ejemplos:\n  patronal "), "{args:?}\n{es}");
            assert!(es.contains("Opciones"), "{args:?}\n{es}");
            assert_spanish(&format!("patronal {}", args.join(" ")), &es, false);
            // `patronal help check` is `patronal check --help`, in the same language.
            if flag == "--help" {
                let mut help: Vec<&str> = vec!["--lang", "es", "help"];
                help.extend(path.iter());
                assert_eq!(stdout(&wd.expect(&help, 0)), es, "{help:?}");
            }
        }
    }
}

/// An error path: files to create, the arguments, standard input; whether the message quotes
/// a library's English reason.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    stdin: Option<&'static [u8]>,
    third_party: bool,
}

const ROSTER: &[u8] = "Razón social,Cédula,RUC\nA,0428813992,0428813992001\n".as_bytes();

const CASES: &[Case] = &[
    Case {
        name: "missing roster",
        files: &[],
        args: &["check", "no-existe.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "a folder",
        files: &[("carpeta/x", b"")],
        args: &["check", "carpeta"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "empty roster",
        files: &[("vacio.csv", b"")],
        args: &["check", "vacio.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "binary roster",
        files: &[(
            "binario.csv",
            &[0, 1, 2, 3, 0, 0, 0, 5, 0, 0, 7, 0, 0, 0, 0, 0, 9, 0, 0, 0],
        )],
        args: &["check", "binario.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "no RUC column",
        files: &[("r.csv", "Nombre,Cédula\nA,0428813992\n".as_bytes())],
        args: &["check", "r.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "no id nor RUC column",
        files: &[("r.csv", b"Nombre,Correo\nA,a@b.ec\n")],
        args: &["check", "r.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "encrypted workbook",
        files: &[(
            "cifrado.xlsx",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
        )],
        args: &["check", "cifrado.xlsx"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "workbook over the cell limit",
        files: &[("lejos.xls", include_bytes!("data/far_cell.xls"))],
        args: &["check", "lejos.xls"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "not a workbook",
        files: &[("falso.xlsx", b"esto no es un libro de Excel")],
        args: &["check", "falso.xlsx"],
        stdin: None,
        third_party: true,
    },
    Case {
        name: "no roster at all",
        files: &[],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: unknown key",
        files: &[("patronal.toml", b"colores = 1\n")],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: bad fail-on",
        files: &[
            (
                "patronal.toml",
                b"rosters = [\"r.csv\"]\nfail-on = \"talvez\"\n",
            ),
            ("r.csv", ROSTER),
        ],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: bad kind of value",
        files: &[("patronal.toml", b"rosters = \"r.csv\"\n")],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: no roster matches",
        files: &[("patronal.toml", b"rosters = [\"nada/*.csv\"]\n")],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: bad field in a map",
        files: &[
            (
                "patronal.toml",
                b"rosters = [\"r.csv\"]\n[[map]]\npattern = \"*\"\nfields = { cedula = \"X\" }\n",
            ),
            ("r.csv", ROSTER),
        ],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: syntax",
        files: &[("patronal.toml", b"rosters = [\n")],
        args: &["check"],
        stdin: None,
        third_party: true,
    },
    Case {
        name: "bad --fail-on",
        files: &[("r.csv", ROSTER)],
        args: &["check", "r.csv", "--fail-on", "nuev"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "unknown option",
        files: &[],
        args: &["check", "--colores"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "unknown command",
        files: &[],
        args: &["revisar"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "no command",
        files: &[],
        args: &["--lang"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "option without its value",
        files: &[],
        args: &["check", "r.csv", "-o"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "bad delimiter",
        files: &[],
        args: &["check", "r.csv", "--delimiter", "ab"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "bad encoding",
        files: &[],
        args: &["check", "r.csv", "--encoding", "klingon"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "bad map field",
        files: &[],
        args: &["check", "r.csv", "--map", "cedula=X"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "map without =",
        files: &[],
        args: &["check", "r.csv", "--map", "Cédula"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "bad threads",
        files: &[],
        args: &["check", "r.csv", "--threads", "0"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "too many threads",
        files: &[],
        args: &["check", "r.csv", "--threads", "65535"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "two columns could be the id",
        files: &[(
            "r.csv",
            "Cédula,Identificación,RUC\n0428813992,0428813992,0428813992001\n".as_bytes(),
        )],
        args: &["check", "r.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "missing numbers",
        files: &[],
        args: &["id"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "conflicting options",
        files: &[],
        args: &["codes", "--json", "--markdown"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "unknown code",
        files: &[],
        args: &["codes", "RUC_ID_MISMATCH", "NO_EXISTE"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "style of a workbook sample",
        files: &[],
        args: &["sample", "--style", "excel", "-o", "s.xlsx"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "previous report not JSON Lines",
        files: &[("r.csv", ROSTER), ("ayer.jsonl", b"hola\n")],
        args: &[
            "check",
            "r.csv",
            "--compare",
            "ayer.jsonl",
            "-o",
            "hoy.jsonl",
        ],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "report in a missing folder",
        files: &[("r.csv", ROSTER)],
        args: &["check", "r.csv", "-o", "no-existe/informe.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "standard input twice",
        files: &[],
        args: &["check", "-", "-"],
        stdin: Some(ROSTER),
        third_party: false,
    },
    Case {
        name: "empty catastro",
        files: &[("r.csv", ROSTER), ("SRI_RUC_X.csv", b"")],
        args: &["check", "r.csv", "--catastro", "SRI_RUC_X.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "not a catastro",
        files: &[("r.csv", ROSTER), ("SRI_RUC_X.csv", b"A|B\n1|2\n")],
        args: &["check", "r.csv", "--catastro", "SRI_RUC_X.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "catastro without a RUC",
        files: &[
            ("r.csv", ROSTER),
            (
                "SRI_RUC_X.csv",
                b"NUMERO_RUC|ESTADO_CONTRIBUYENTE\nabc|ACTIVO\n12|PASIVO\n",
            ),
        ],
        args: &["check", "r.csv", "--catastro", "SRI_RUC_X.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "catastro is a folder",
        files: &[("r.csv", ROSTER), ("sri/x", b"")],
        args: &["check", "r.csv", "--catastro", "sri"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "damaged catastro index",
        files: &[("r.csv", ROSTER), ("r.idx", b"PATRONAL\x02\0\0\0garbage")],
        args: &["check", "r.csv", "--catastro", "r.idx"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "a roster at the report's lock",
        files: &[("informe.csv.lock", ROSTER)],
        args: &["check", "informe.csv.lock", "-o", "informe.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "a foreign file at the report's lock",
        files: &[("r.csv", ROSTER), ("informe.csv.lock", b"notas\n")],
        args: &["check", "r.csv", "-o", "informe.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "the config file as an output",
        files: &[
            ("r.csv", ROSTER),
            ("patronal.toml", b"rosters = [\"r.csv\"]\n"),
        ],
        args: &["check", "--summary-json", "patronal.toml"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "bad CSV report delimiter",
        files: &[],
        args: &["check", "r.csv", "--csv-delimiter", "0"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: threads out of range",
        files: &[
            ("r.csv", ROSTER),
            ("patronal.toml", b"rosters = [\"r.csv\"]\nthreads = 0\n"),
        ],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "previous report named that does not exist",
        files: &[("r.csv", ROSTER)],
        args: &[
            "check",
            "r.csv",
            "--compare",
            "ayer.jsonl",
            "-o",
            "hoy.jsonl",
        ],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "config: an empty path",
        files: &[
            ("r.csv", ROSTER),
            (
                "patronal.toml",
                b"rosters = [\"r.csv\"]\nsummary-json = \"\"\n",
            ),
        ],
        args: &["check"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "no roster after --catastro",
        files: &[
            (
                "SRI_RUC_A.csv",
                b"NUMERO_RUC|ESTADO_CONTRIBUYENTE\n1710034065001|ACTIVO\n",
            ),
            (
                "SRI_RUC_B.csv",
                b"NUMERO_RUC|ESTADO_CONTRIBUYENTE\n1710034065001|ACTIVO\n",
            ),
        ],
        args: &["check", "--catastro", "SRI_RUC_A.csv", "SRI_RUC_B.csv"],
        stdin: None,
        third_party: false,
    },
    Case {
        name: "missing catastro file",
        files: &[],
        args: &["catastro", "build", "no-existe.csv", "-o", "r.idx"],
        stdin: None,
        third_party: false,
    },
];

fn run_case(case: &Case, lang: Option<&str>, locale: &str) -> Output {
    let wd = Workdir::new();
    for (name, bytes) in case.files {
        wd.write(name, bytes);
    }
    let mut args: Vec<&str> = Vec::new();
    if let Some(l) = lang {
        args.extend(["--lang", l]);
    }
    args.extend(case.args);
    let mut cmd = wd.command(&args);
    cmd.env("LANG", locale);
    match case.stdin {
        Some(bytes) => {
            let mut child = cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut input = child.stdin.take().unwrap();
            std::io::Write::write_all(&mut input, bytes).unwrap();
            drop(input);
            child.wait_with_output().unwrap()
        }
        None => run(cmd.stdin(Stdio::null())),
    }
}

#[test]
fn every_error_is_in_the_language_asked() {
    for case in CASES {
        let en = run_case(case, Some("en"), "C");
        let es = run_case(case, Some("es"), "C");
        let by_locale = run_case(case, None, "es_EC.UTF-8");
        for (lang, out) in [("en", &en), ("es", &es), ("locale", &by_locale)] {
            assert_eq!(
                out.status.code(),
                Some(2),
                "{} ({lang}): exit 2 expected\n{}",
                case.name,
                describe(out)
            );
            assert!(
                stdout(out).is_empty(),
                "{} ({lang}): {}",
                case.name,
                describe(out)
            );
        }
        let (en, es) = (stderr(&en), stderr(&es));
        assert_eq!(
            es,
            stderr(&by_locale),
            "{}: --lang es and the locale",
            case.name
        );
        assert!(en.starts_with("patronal: "), "{}: {en}", case.name);
        assert!(es.starts_with("patronal: "), "{}: {es}", case.name);
        assert_ne!(en, es, "{}: the same in both languages", case.name);
        assert!(
            !english_in(&en, false).is_empty(),
            "{}: the English message reads as no English: {en}",
            case.name
        );
        assert_spanish(case.name, &es, case.third_party);
    }
}

/// What a run says beyond errors since issue 24, in Spanish: what it could not check, the
/// columns used (one by its cells, one tied), the footer rows skipped, the catastro's
/// provinces, the new findings' messages, `patronal id`'s domestic-service form.
#[test]
fn a_spanish_run_says_it_all_in_spanish() {
    let wd = Workdir::new();
    let dir = env!("CARGO_MANIFEST_DIR");
    wd.write(
        "oficina.csv",
        std::fs::read(format!("{dir}/samples/nomina_oficina.csv")).unwrap(),
    );
    wd.write(
        "SRI_RUC_Muestra.csv",
        std::fs::read(format!("{dir}/samples/catastro/SRI_RUC_Muestra.csv")).unwrap(),
    );
    wd.write(
        "tied.csv",
        "Cédula;RUC;Correo;E-mail\n0428813992;0428813992001;a@correo.ec;b@correo.ec\n",
    );
    for args in [
        &["check", "oficina.csv"][..],
        &["check", "oficina.csv", "--catastro", "SRI_RUC_Muestra.csv"],
        &["check", "tied.csv"],
        &["check", "oficina.csv", "-o", "r.jsonl"],
        &[
            "id",
            "1714307103000",
            "-1723468565",
            "0962893971001",
            "1790011675001",
        ],
    ] {
        let mut cmd = wd.command(args);
        cmd.env("LANG", "es_EC.UTF-8");
        let out = run(&mut cmd);
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert_spanish(&args.join(" "), &text, false);
    }
    let report = wd.read("r.jsonl");
    for line in report.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        for f in record["findings"].as_array().unwrap() {
            assert_spanish("a finding's message", f["message"].as_str().unwrap(), false);
        }
    }
}

#[test]
fn the_detector_finds_english() {
    // The test above is only as good as this: an English message in a Spanish run is found.
    assert!(!english_in("patronal: r.csv: cannot read: not found", false).is_empty());
    assert!(!english_in("error: unexpected argument '--x'\n\nUsage: patronal", false).is_empty());
    assert!(!english_in("10 records from 1 table", false).is_empty());
    assert!(english_in("patronal: r.csv: no se puede leer: no existe", false).is_empty());
    assert!(english_in("valores posibles: nunca (never), nuevo (new)", false).is_empty());
}

/// Errors whose cause is in the environment (the workbook writer's temporary folder): in
/// the language asked too.
#[test]
fn environment_errors_are_in_the_language_asked() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    let no_tmpdir = |lang: &str| {
        let out = run(wd
            .command(&["--lang", lang, "check", "r.csv", "-o", "r.xlsx"])
            .env("TMPDIR", "/no/existe"));
        assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
        stderr(&out)
    };
    let (en, es) = (no_tmpdir("en"), no_tmpdir("es"));
    assert!(!english_in(&en, false).is_empty(), "{en}");
    assert_spanish("workbook temporary folder", &es, false);
    // A time zone that names no zone file.
    let out = run(wd
        .command(&["--lang", "es", "check", "r.csv"])
        .env("TZ", "/dev/null"));
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_spanish("time zone", &stderr(&out), false);
}

/// Notes on stderr of a run that succeeds: in the language asked too.
#[test]
fn notes_are_in_the_language_asked() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nreport = \"hoy.jsonl\"\ncompare = \"previous\"\n",
    );
    let out = run(&mut wd.command(&["--lang", "es", "check", "--quiet"]));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let es = stderr(&out);
    assert!(es.contains("nota"), "{es}");
    assert_spanish("no previous report", &es, false);
}
