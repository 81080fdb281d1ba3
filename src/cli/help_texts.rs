//! The texts of `--help`, in English and Spanish: headings, what each command does with an
//! example, what each option does. `command(path)`, `arg(path, id)` and `value_name(name)`
//! say which text goes where; the tests of [`super::help`] check that every command and
//! option has one, and that every text has both languages and the same placeholders.

use patronal_core::i18n::Text;

/// Declares texts: `NAME: "English {x}", "Español {x}";`, and `ALL`, the list of them (the
/// core's `texts!`, which is private to it, for the binary's catalog).
macro_rules! texts {
    ($($name:ident: $en:expr, $es:expr;)*) => {
        $(pub const $name: Text = Text {
            key: stringify!($name),
            en: $en,
            es: $es,
        };)*
        /// Every text of this file, for the catalog's tests.
        #[cfg(test)]
        pub const ALL: &[Text] = &[$($name),*];
    };
}

texts! {
    // Headings and the flags every command has.
    USAGE: "Usage:", "Uso:";
    ARGUMENTS: "Arguments", "Argumentos";
    OPTIONS: "Options", "Opciones";
    COMMANDS: "Commands", "Comandos";
    EXAMPLES: "Examples:", "Ejemplos:";
    HELP: "Print this help", "Muestra esta ayuda";
    VERSION: "Print the version", "Muestra la versión";
    LANG: "Language of messages, help and reports: en or es [default: from the locale: LANG=es_EC.UTF-8 → es; on Windows, the user's region]",
        "Idioma de mensajes, ayuda e informes: en o es [predeterminado: según el idioma del sistema: LANG=es_EC.UTF-8 → es; en Windows, la región del usuario]";

    // The value names shown after options.
    V_FILE: "FILE", "ARCHIVO";
    V_REPORT: "REPORT", "INFORME";
    V_ROSTER: "ROSTER", "NÓMINA";
    V_NUMBER: "NUMBER", "NÚMERO";
    V_NAME: "NAME", "NOMBRE";
    V_PATH: "PATH", "RUTA";
    V_WHICH: "WHICH", "CUÁLES";
    V_SECONDS: "SECONDS", "SEGUNDOS";
    V_MAP: "[GLOB:]FIELD=HEADER", "[PATRÓN:]CAMPO=ENCABEZADO";
    V_INDEX: "INDEX", "ÍNDICE";
    V_PREVIOUS: "PREVIOUS", "ANTERIOR";
    V_CODE: "CODE", "CÓDIGO";
    V_FORMAT: "FORMAT", "FORMATO";
    V_STYLE: "STYLE", "ESTILO";
    V_COMMAND: "COMMAND", "COMANDO";
    V_LANG: "LANG", "IDIOMA";
    V_DIR: "DIR", "CARPETA";

    // patronal
    ROOT_ABOUT: "Checks Ecuadorian employer rosters before an IESS employer-key (\"clave patronal\") recovery: ready, invalid (fix the data) or in person, with the reasons.",
        "Revisa nóminas de empleadores ecuatorianos antes de recuperar la clave patronal del IESS: cada empleador lista, inválida (corrija los datos) o presencial, con los motivos.";
    ROOT_USAGE: "patronal [OPTIONS] <COMMAND>", "patronal [OPCIONES] <COMANDO>";
    ROOT_EXAMPLES: "  patronal check clientes.csv                 the flagged employers, as a table\n  patronal check clientes/*.csv -o informe.xlsx\n  patronal id 0912345678 0912345678001\n  patronal codes RUC_ID_MISMATCH\n\nGuide: README.md (English), README.es.md (Spanish).",
        "  patronal check clientes.csv                 los empleadores con problemas, en una tabla\n  patronal check clientes/*.csv -o informe.xlsx\n  patronal id 0912345678 0912345678001\n  patronal codes RUC_ID_MISMATCH\n\nGuía: README.es.md (español), README.md (inglés).";

    // patronal check
    CHECK_ABOUT: "Check rosters (CSV or Excel): every employer ready, invalid or in person, with the reasons",
        "Revisa nóminas (CSV o Excel): cada empleador lista, inválida o presencial, con los motivos";
    CHECK_LONG: "Check rosters (CSV or Excel): every employer ready, invalid or in person, with the reasons.\n\nWithout -o, the flagged records are shown as a table and the summary on stderr.\n\nExit status: 0 nothing flagged (warnings allowed); 1 at least one record flagged, as --fail-on says; 2 unusable input or usage error (missing or unreadable file, no required column, bad option), with a one-line message naming the file and the reason.",
        "Revisa nóminas (CSV o Excel): cada empleador lista, inválida o presencial, con los motivos.\n\nSin -o, los registros con problemas se muestran en una tabla y el resumen en la salida de errores.\n\nEstado de salida: 0 ningún registro con problemas (se permiten avisos); 1 al menos un registro con problemas, según --fail-on; 2 entrada inutilizable o error de uso (archivo que falta o no se puede leer, sin columna obligatoria, opción errónea), con un mensaje de una línea que nombra el archivo y el motivo.";
    CHECK_USAGE: "patronal check [OPTIONS] [ROSTER]...", "patronal check [OPCIONES] [NÓMINA]...";
    CHECK_EXAMPLES: "  patronal check clientes.csv\n  patronal check clientes/*.csv nomina.xlsx -o informe.xlsx\n  patronal check clientes.xlsx --marked revisadas/\n  patronal check nomina.xlsx --sheet clientes --map id=\"Cédula del dueño\"\n  patronal check clientes/*.csv --map 'clientes/ferreteria-*:ruc=No. RUC' -o informe.csv\n  cat clientes.csv | patronal check - -o informe.jsonl\n  patronal check --quiet --config /srv/nominas/patronal.toml      (cron: prints only news and errors)",
        "  patronal check clientes.csv\n  patronal check clientes/*.csv nomina.xlsx -o informe.xlsx\n  patronal check clientes.xlsx --marked revisadas/\n  patronal check nomina.xlsx --sheet clientes --map id=\"Cédula del dueño\"\n  patronal check clientes/*.csv --map 'clientes/ferreteria-*:ruc=No. RUC' -o informe.csv\n  cat clientes.csv | patronal check - -o informe.jsonl\n  patronal check --quiet --config /srv/nominas/patronal.toml      (cron: solo muestra novedades y errores)";
    CHECK_ROSTERS: "Roster files: CSV, or workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods); several allowed (clientes/*.csv); - reads a CSV roster from standard input. Without rosters, the config file's (--config, or ./patronal.toml) are checked",
        "Archivos de nómina: CSV, o libros (.xlsx, .xlsm, .xlsb, .xls, .ods); se admiten varios (clientes/*.csv); - lee una nómina CSV de la entrada estándar. Sin nóminas, se revisan las del archivo de configuración (--config, o ./patronal.toml)";
    CHECK_CONFIG: "Settings for unattended runs; options given here override it [default: ./patronal.toml when no roster is given]",
        "Configuración para ejecuciones desatendidas; las opciones dadas aquí tienen prioridad [predeterminado: ./patronal.toml cuando no se da ninguna nómina]";
    CHECK_OUTPUT: "Write the report here (- for standard output); the format follows the extension: .xlsx (the workbook, for people), .csv, .jsonl, .json. Repeatable: -o informe.xlsx -o informe.jsonl writes both from one run",
        "Escribe el informe aquí (- para la salida estándar); el formato sigue la extensión: .xlsx (el libro de Excel, para personas), .csv, .jsonl, .json. Repetible: -o informe.xlsx -o informe.jsonl escribe ambos en una ejecución";
    CHECK_CSV_DELIMITER: "Between the fields of a CSV report: , ; | or tab [default: ; in Spanish (a Spanish Excel's list separator), , otherwise]",
        "Separador de campos de un informe CSV: , ; | o tab [predeterminado: ; en español (el separador de listas de un Excel en español), , en inglés]";
    CHECK_FORMAT: "Report format, whatever the extension: jsonl, json, csv or xlsx",
        "Formato del informe, sea cual sea la extensión: jsonl, json, csv o xlsx";
    CHECK_MAP: "Also accept this header for a field: --map id=\"Cédula del dueño\"; a roster without it is read as usual. GLOB: limits it to the rosters that match (--map 'ferreteria-*.csv:ruc=No. RUC'). Fields: id, ruc, sucursal, email, ruc_status, first_time, has_key, employer_type, id_type, name",
        "Acepta también este encabezado para un campo: --map id=\"Cédula del dueño\"; una nómina sin él se lee como siempre. PATRÓN: lo limita a las nóminas que coinciden (--map 'ferreteria-*.csv:ruc=No. RUC'). Campos: id, ruc, sucursal, email, ruc_status, first_time, has_key, employer_type, id_type, name";
    CHECK_SHEET: "Check only this sheet of a workbook (repeatable; case and accents ignored) [default: every sheet with a header]",
        "Revisa solo esta hoja de un libro (repetible; sin importar mayúsculas ni tildes) [predeterminado: cada hoja con encabezados]";
    CHECK_DELIMITER: "CSV delimiter: , ; | or tab [default: detected]", "Delimitador del CSV: , ; | o tab [predeterminado: detectado]";
    CHECK_ENCODING: "CSV encoding: utf-8, windows-1252, utf-16le, utf-16be [default: detected]",
        "Codificación del CSV: utf-8, windows-1252, utf-16le, utf-16be [predeterminado: detectada]";
    CHECK_CATASTRO: "SRI catastro files to check each RUC's status against: the zips every province is published in, the CSV files inside, copies saved as .xlsx or .ods, or an index built with `patronal catastro build`",
        "Archivos del catastro del SRI con los que comprobar el estado de cada RUC: los zip en que se publica cada provincia, los CSV que contienen, copias guardadas como .xlsx u .ods, o un índice creado con `patronal catastro build`";
    CHECK_FAIL_ON: "Which records make the exit status 1: any (cualquiera): invalid or in person; invalid (inválido); in-person (presencial); new (nuevo): only employers that became flagged since --compare's report; never (nunca) [default: any]",
        "Qué registros hacen que el estado de salida sea 1: cualquiera (any): inválido o presencial; inválido (invalid); presencial (in-person); nuevo (new): solo empleadores con problemas nuevos desde el informe de --compare; nunca (never) [predeterminado: cualquiera]";
    CHECK_COMPARE: "Compare with the previous run's report (any format patronal writes: .jsonl, .json, .csv, .xlsx): each record gets a change (new, same, worse, better); the summary lists newly flagged and newly fixed employers and those that disappeared. The file must exist (exit 2 otherwise); compare = \"previous\" in patronal.toml finds none on a first night, and then every record is new",
        "Compara con el informe de la ejecución anterior (cualquier formato que escribe patronal: .jsonl, .json, .csv, .xlsx): cada registro recibe un cambio (nuevo, igual, peor, mejor); el resumen lista los empleadores con problemas nuevos, los corregidos y los desaparecidos. El archivo debe existir (si no, salida 2); compare = \"previous\" en patronal.toml no encuentra ninguno la primera noche, y entonces todo registro es nuevo";
    CHECK_LOCK_WAIT: "How long to wait for another run writing the same report before giving up (exit 2) [default: 60]",
        "Cuánto esperar a otra ejecución que escribe el mismo informe antes de desistir (salida 2) [predeterminado: 60]";
    CHECK_ONLY_FLAGGED: "Report only the flagged records (invalid or in person)",
        "Informa solo los registros con problemas (inválidos o presenciales)";
    CHECK_MARKED: "Also write each roster back, marked, into this folder (created if missing): every problem on its cell (red error, amber in person, yellow warning, with a note saying the fix) and the columns Result, Reasons, How to fix, Suggested value after the roster's last column. An .xlsx or .xlsm keeps its formats, formulas and sheets; CSV, .xls, .xlsb and .ods become a values-only .xlsx. Never writes over a roster",
        "Escribe además cada nómina de vuelta, marcada, en esta carpeta (se crea si no existe): cada problema en su celda (rojo error, ámbar presencial, amarillo aviso, con una nota que dice cómo corregirlo) y las columnas Resultado, Motivos, Cómo corregir, Valor sugerido tras la última columna de la nómina. Un .xlsx o .xlsm conserva sus formatos, fórmulas y hojas; CSV, .xls, .xlsb y .ods pasan a ser un .xlsx solo con valores. Nunca escribe sobre una nómina";
    CHECK_MARKED_FILE: "The one roster's marked copy, at this file (what a roster dropped onto patronal.exe gets beside it); for several rosters, --marked DIR",
        "La copia marcada de la única nómina, en este archivo (lo que recibe a su lado una nómina arrastrada sobre patronal.exe); para varias nóminas, --marked CARPETA";
    CHECK_SUMMARY_JSON: "Also write the summary as JSON to this file", "Escribe además el resumen en JSON en este archivo";
    CHECK_QUIET: "For cron: print nothing unless there is news (by --fail-on: one line per newly flagged employer, at most 50) or an error",
        "Para cron: no muestra nada salvo que haya novedades (según --fail-on: una línea por empleador con problemas nuevos, 50 como máximo) o un error";
    CHECK_THREADS: "Worker threads, 1 to {max} [default: one per core]", "Hilos de trabajo, de 1 a {max} [predeterminado: uno por núcleo]";

    // patronal id
    ID_ABOUT: "Check standalone numbers: 10 digits → cédula, 13 → RUC, letters → foreigner code",
        "Revisa números sueltos: 10 dígitos → cédula, 13 → RUC, letras → código de extranjero";
    ID_LONG: "Check standalone numbers: 10 digits → cédula, 13 → RUC, letters → foreigner code.\n\nExit status: 0 every number valid (warnings allowed), 1 any invalid, 2 usage error.",
        "Revisa números sueltos: 10 dígitos → cédula, 13 → RUC, letras → código de extranjero.\n\nEstado de salida: 0 todos los números válidos (se permiten avisos), 1 alguno inválido, 2 error de uso.";
    ID_USAGE: "patronal id [OPTIONS] <NUMBER>...", "patronal id [OPCIONES] <NÚMERO>...";
    ID_EXAMPLES: "  patronal id 0912345678 0912345678-001 1790011674001\n  patronal id --json 912345678",
        "  patronal id 0912345678 0912345678-001 1790011674001\n  patronal id --json 912345678";
    ID_NUMBERS: "The numbers to check (0912345678, 0912345678-001, 1790011674001)",
        "Los números que revisar (0912345678, 0912345678-001, 1790011674001)";
    ID_JSON: "Print one JSON object per number, one per line", "Imprime un objeto JSON por número, uno por línea";

    // patronal sample
    SAMPLE_ABOUT: "Write a synthetic roster (generated identifiers, never real ones) for demos, tests and benchmarks",
        "Escribe una nómina sintética (identificadores generados, nunca reales) para demostraciones, pruebas y mediciones";
    SAMPLE_LONG: "Write a synthetic roster (generated identifiers, never real ones) for demos, tests and benchmarks: about 70% ready, 15% invalid, 15% in person.",
        "Escribe una nómina sintética (identificadores generados, nunca reales) para demostraciones, pruebas y mediciones: cerca de 70% lista, 15% inválida, 15% presencial.";
    SAMPLE_USAGE: "patronal sample [OPTIONS] --output <FILE>", "patronal sample [OPCIONES] --output <ARCHIVO>";
    SAMPLE_EXAMPLES: "  patronal sample --rows 500 -o prueba.csv\n  patronal sample --rows 80 --style excel -o nomina_excel.csv\n  patronal sample --rows 1000000 -o grande.xlsx",
        "  patronal sample --rows 500 -o prueba.csv\n  patronal sample --rows 80 --style excel -o nomina_excel.csv\n  patronal sample --rows 1000000 -o grande.xlsx";
    SAMPLE_ROWS: "Records to write [default: 1000]", "Registros que escribir [predeterminado: 1000]";
    SAMPLE_SEED: "Seed: the same seed writes the same roster [default: 1]", "Semilla: la misma semilla escribe la misma nómina [predeterminado: 1]";
    SAMPLE_STYLE: "CSV style: utf8 (, and UTF-8) or excel (what Excel writes on a Spanish Windows: ;, Windows-1252, CRLF, a title line above the header); a workbook refuses it [default: utf8]",
        "Estilo del CSV: utf8 (, y UTF-8) o excel (lo que escribe Excel en un Windows en español: ;, Windows-1252, CRLF, una línea de título sobre los encabezados); un libro lo rechaza [predeterminado: utf8]";
    SAMPLE_FORMAT: "csv; xlsx (numeric identifiers, some zero-padded, a title row, two sheets); or catastro: an SRI catastro file covering the RUCs of the roster with the same rows and seed [default: from the output's extension]",
        "csv; xlsx (identificadores numéricos, algunos con ceros a la izquierda, una fila de título, dos hojas); o catastro: un archivo de catastro del SRI con los RUC de la nómina de iguales filas y semilla [predeterminado: según la extensión de la salida]";
    SAMPLE_SHEETS: "Sheets of an xlsx sample: 1 or 2 [default: 2]", "Hojas de una muestra xlsx: 1 o 2 [predeterminado: 2]";
    SAMPLE_OUTPUT: "Where to write it (- for standard output)", "Dónde escribirla (- para la salida estándar)";

    // patronal catastro
    CATASTRO_ABOUT: "The SRI catastro: build the index that `check --catastro` loads in milliseconds",
        "El catastro del SRI: crea el índice que `check --catastro` carga en milisegundos";
    CATASTRO_USAGE: "patronal catastro <COMMAND>", "patronal catastro <COMANDO>";
    CATASTRO_EXAMPLES: "  patronal catastro build SRI_RUC_*.csv SRI_RUC_*.zip -o registro.idx\n  patronal check clientes/*.csv --catastro registro.idx -o informe.csv",
        "  patronal catastro build SRI_RUC_*.csv SRI_RUC_*.zip -o registro.idx\n  patronal check clientes/*.csv --catastro registro.idx -o informe.csv";
    BUILD_ABOUT: "Read the SRI's catastro files (the zips every province is published in, the CSV inside, or a copy saved as .xlsx or .ods) and write a compact index: RUC, status and kind of taxpayer only, nothing else of the registry",
        "Lee los archivos del catastro del SRI (los zip en que se publica cada provincia, el CSV que contienen, o una copia guardada como .xlsx u .ods) y escribe un índice compacto: solo RUC, estado y tipo de contribuyente, nada más del registro";
    BUILD_USAGE: "patronal catastro build --output <INDEX> <FILE>...", "patronal catastro build --output <ÍNDICE> <ARCHIVO>...";
    BUILD_EXAMPLES: "  patronal catastro build SRI_RUC_Guayas.zip SRI_RUC_Azuay.csv -o registro.idx",
        "  patronal catastro build SRI_RUC_Guayas.zip SRI_RUC_Azuay.csv -o registro.idx";
    BUILD_FILES: "The catastro files: SRI_RUC_<Provincia>.zip, .csv, .xlsx or .ods", "Los archivos del catastro: SRI_RUC_<Provincia>.zip, .csv, .xlsx u .ods";
    BUILD_OUTPUT: "Where to write the index", "Dónde escribir el índice";

    // patronal codes
    CODES_ABOUT: "Explain finding codes: severity, field, message and how to fix it (every code, or those given)",
        "Explica los códigos de hallazgos: gravedad, campo, mensaje y cómo corregirlo (todos, o los indicados)";
    CODES_USAGE: "patronal codes [OPTIONS] [CODE]...", "patronal codes [OPCIONES] [CÓDIGO]...";
    CODES_EXAMPLES: "  patronal codes RUC_ID_MISMATCH EMAIL_PLACEHOLDER\n  patronal codes --markdown",
        "  patronal codes RUC_ID_MISMATCH EMAIL_PLACEHOLDER\n  patronal codes --markdown";
    CODES_CODES: "The codes to explain, as reports show them (RUC_ID_MISMATCH); case ignored [default: every code]",
        "Los códigos que explicar, como los muestran los informes (RUC_ID_MISMATCH); sin importar mayúsculas [predeterminado: todos]";
    CODES_JSON: "Print the catalog as one JSON array", "Imprime el catálogo como un arreglo JSON";
    CODES_MARKDOWN: "Print the catalog as a Markdown table (the README's)", "Imprime el catálogo como una tabla Markdown (la del README)";
}

/// What a command is for (short, for the list of commands), its long text, usage line
/// and examples. `path` is the command's name after `patronal` (`""`, `check`, `catastro build`).
pub fn command(path: &str) -> Option<(Text, Option<Text>, Text, Text)> {
    Some(match path {
        "" => (ROOT_ABOUT, None, ROOT_USAGE, ROOT_EXAMPLES),
        "check" => (CHECK_ABOUT, Some(CHECK_LONG), CHECK_USAGE, CHECK_EXAMPLES),
        "id" => (ID_ABOUT, Some(ID_LONG), ID_USAGE, ID_EXAMPLES),
        "sample" => (
            SAMPLE_ABOUT,
            Some(SAMPLE_LONG),
            SAMPLE_USAGE,
            SAMPLE_EXAMPLES,
        ),
        "catastro" => (CATASTRO_ABOUT, None, CATASTRO_USAGE, CATASTRO_EXAMPLES),
        "catastro build" => (BUILD_ABOUT, None, BUILD_USAGE, BUILD_EXAMPLES),
        "codes" => (CODES_ABOUT, None, CODES_USAGE, CODES_EXAMPLES),
        _ => return None,
    })
}

/// The help of an option or argument of a command; `None` for one without a text (a test
/// finds those).
pub fn arg(path: &str, id: &str) -> Option<Text> {
    Some(match (path, id) {
        (_, "help") => HELP,
        (_, "version") => VERSION,
        (_, "lang") => LANG,
        ("check", "rosters") => CHECK_ROSTERS,
        ("check", "config") => CHECK_CONFIG,
        ("check", "output") => CHECK_OUTPUT,
        ("check", "csv_delimiter") => CHECK_CSV_DELIMITER,
        ("check", "format") => CHECK_FORMAT,
        ("check", "maps") => CHECK_MAP,
        ("check", "sheets") => CHECK_SHEET,
        ("check", "delimiter") => CHECK_DELIMITER,
        ("check", "encoding") => CHECK_ENCODING,
        ("check", "catastro") => CHECK_CATASTRO,
        ("check", "fail_on") => CHECK_FAIL_ON,
        ("check", "compare") => CHECK_COMPARE,
        ("check", "lock_wait") => CHECK_LOCK_WAIT,
        ("check", "only_flagged") => CHECK_ONLY_FLAGGED,
        ("check", "summary_json") => CHECK_SUMMARY_JSON,
        ("check", "marked") => CHECK_MARKED,
        ("check", "marked_file") => CHECK_MARKED_FILE,
        ("check", "quiet") => CHECK_QUIET,
        ("check", "threads") => CHECK_THREADS,
        ("id", "numbers") => ID_NUMBERS,
        ("id", "json") => ID_JSON,
        ("sample", "rows") => SAMPLE_ROWS,
        ("sample", "seed") => SAMPLE_SEED,
        ("sample", "style") => SAMPLE_STYLE,
        ("sample", "format") => SAMPLE_FORMAT,
        ("sample", "sheets") => SAMPLE_SHEETS,
        ("sample", "output") => SAMPLE_OUTPUT,
        ("catastro build", "files") => BUILD_FILES,
        ("catastro build", "output") => BUILD_OUTPUT,
        ("codes", "codes") => CODES_CODES,
        ("codes", "json") => CODES_JSON,
        ("codes", "markdown") => CODES_MARKDOWN,
        _ => return None,
    })
}

/// The value name shown after an option (`--output <FILE>`), by its English name.
pub fn value_name(english: &str) -> Option<Text> {
    [
        V_FILE, V_REPORT, V_ROSTER, V_NUMBER, V_NAME, V_PATH, V_WHICH, V_SECONDS, V_MAP, V_INDEX,
        V_PREVIOUS, V_CODE, V_FORMAT, V_STYLE, V_COMMAND, V_LANG, V_DIR,
    ]
    .into_iter()
    .find(|t| t.en == english)
}
