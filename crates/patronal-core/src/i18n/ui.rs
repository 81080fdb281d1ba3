//! What the terminal shows besides errors: the progress bar, the summary, the news for cron.

use crate::finding::Field;

/// A field as people read it in the summary: `correo`, `estado del RUC`.
pub fn field_label(field: Field) -> crate::i18n::Text {
    match field {
        Field::Id => COLUMNS_ID,
        Field::Ruc => COLUMNS_RUC,
        Field::Sucursal => COLUMNS_SUCURSAL,
        Field::Email => COLUMNS_EMAIL,
        Field::RucStatus => COLUMNS_RUC_STATUS,
        Field::FirstTime => COLUMNS_FIRST_TIME,
        Field::HasKey => COLUMNS_HAS_KEY,
        Field::EmployerType => COLUMNS_EMPLOYER_TYPE,
        Field::IdType => COLUMNS_ID_TYPE,
        Field::Name => COLUMNS_NAME,
        Field::Row => COLUMNS_ROW,
    }
}

/// What a field's values are called, for a column found by its cells.
pub fn cells_look_like(field: Field) -> crate::i18n::Text {
    match field {
        Field::Ruc => LOOK_RUCS,
        Field::Email => LOOK_EMAILS,
        _ => LOOK_CEDULAS,
    }
}

/// How to check an unchecked condition with the command line.
pub fn fix_for(condition: Field) -> crate::i18n::Text {
    match condition {
        Field::Email => FIX_EMAIL,
        Field::RucStatus => FIX_STATUS,
        _ => FIX_FIRST_KEY,
    }
}

texts! {
    // The progress bar. `{records}` (the count and its noun, `1 record`, `200,000
    // records`), `{rate}`, `{eta}`, `{percent}` are filled by the bar.
    PROGRESS_KNOWN: "{spinner} {percent}% {bar} {records} · {rate}/s · {eta} left",
        "{spinner} {percent}% {bar} {records} · {rate}/s · quedan {eta}";
    PROGRESS_UNKNOWN: "{spinner} {records} · {rate}/s · {elapsed}",
        "{spinner} {records} · {rate}/s · {elapsed}";
    STAGE_WRITING: "writing {path}…", "escribiendo {path}…";

    // The summary (stderr).
    SUMMARY_LINE: "{records} from {tables} ({blank}) in {secs} s",
        "{records} de {tables} ({blank}) en {secs} s";
    RECORDS_ONE: "{n} record", "{n} registro";
    RECORDS_MANY: "{n} records", "{n} registros";
    ONE_TABLE: "{n} table", "{n} tabla";
    TABLES: "{n} tables", "{n} tablas";
    BLANK_ONE: "{n} blank row skipped", "{n} fila en blanco omitida";
    BLANK_MANY: "{n} blank rows skipped", "{n} filas en blanco omitidas";
    // What a catastro file gave: its rows, its RUCs by status (per RUC, not per row).
    CATASTRO_FILE_LINE: "catastro {file}: {rows}, {rucs} ({statuses})", "catastro {file}: {rows}, {rucs} ({statuses})";
    CATASTRO_INDEX_LINE: "catastro {file}: index, {rucs} ({statuses})", "catastro {file}: índice, {rucs} ({statuses})";
    ROWS_ONE: "{n} row", "{n} fila";
    ROWS_MANY: "{n} rows", "{n} filas";
    RUCS_ONE: "{n} RUC", "{n} RUC";
    RUCS_MANY: "{n} RUCs", "{n} RUC";
    /// The rosters the run could not use (the terminal, the cron mail); the run exits 2.
    NOT_CHECKED: "rosters not checked (exit 2): {n}", "nóminas no revisadas (salida 2): {n}";
    /// In the cron mail of a night that set a roster aside: the report still written.
    OTHERS_CHECKED: "the other rosters were checked: {report}", "las demás nóminas se revisaron: {report}";
    TOP_CODES: "most frequent codes:", "códigos más frecuentes:";
    NEWLY_FLAGGED: "newly flagged: {n}", "nuevos con problemas: {n}";
    FLAGGED: "flagged: {n}", "con problemas: {n}";
    NEWLY_FIXED: "newly fixed: {n}", "corregidos: {n}";
    DISAPPEARED: "disappeared: {n}", "desaparecidos: {n}";
    CHANGES: "changes: new {new}, worse {worse}, better {better}, same {same}",
        "cambios: nuevos {new}, peores {worse}, mejores {better}, iguales {same}";
    MORE_IN_REPORT: "… and {n} more in {report}", "… y {n} más en {report}";
    MORE: "… and {n} more", "… y {n} más";
    /// The terminal's report when there is no `-o`.
    THE_TABLE_ABOVE: "the table above", "la tabla de arriba";
    NO_NAME: "(no name)", "(sin nombre)";
    NO_RUC: "(no RUC)", "(sin RUC)";

    // Windows, from Explorer (the binary's desktop.rs): started with no argument, and the
    // last line before its own window closes.
    HOW_TO: "patronal checks employer rosters (CSV or Excel) before an IESS clave patronal recovery.\n\n  - Drag a roster onto patronal.exe: the workbook report and the roster\n    marked are written beside it (nomina.informe.xlsx, nomina.marcada.xlsx) and the\n    summary shown here.\n  - Or open PowerShell in this folder (Shift + right click) and type:\n      .\\patronal check clientes\\*.xlsx -o informe.xlsx\n      .\\patronal check --help\n\nGuide: README.md.",
        "patronal revisa nóminas de empleadores (CSV o Excel) antes de recuperar la clave patronal del IESS.\n\n  - Arrastre una nómina sobre patronal.exe: el informe (libro de Excel) y la nómina\n    marcada se escriben a su lado (nomina.informe.xlsx, nomina.marcada.xlsx) y el resumen\n    se muestra aquí.\n  - O abra PowerShell en esta carpeta (Mayús + clic derecho) y escriba:\n      .\\patronal check clientes\\*.xlsx -o informe.xlsx\n      .\\patronal check --help\n\nGuía: README.es.md.";
    PRESS_ENTER: "Press Enter to close this window.", "Pulse Intro para cerrar esta ventana.";
    REPORT_WRITTEN: "The report (workbook): {path}", "El informe (libro de Excel): {path}";
    // What a run could not check: the summary's first lines, the workbook's Summary, the
    // page. `{tables}`: the tables without the column.
    NOT_CHECKED_EMAIL: "NOT CHECKED: the e-mail (no e-mail column in {tables}). IESS sends the recovery link to the registered e-mail: a missing or invalid one means an in-person visit, so a record shown ready may still need it.",
        "SIN REVISAR: el correo (no hay columna de correo en {tables}). El IESS envía el enlace de recuperación al correo registrado: si falta o no es válido hay que ir en persona, así que un registro «lista» aún puede necesitarlo.";
    NOT_CHECKED_STATUS: "NOT CHECKED: the RUC's status at the SRI (no RUC status column in {tables}, and no SRI catastro). A suspended or closed RUC means an in-person visit.",
        "SIN REVISAR: el estado del RUC en el SRI (no hay columna de estado del RUC en {tables}, ni catastro del SRI). Un RUC suspendido o cerrado obliga a ir en persona.";
    NOT_CHECKED_FIRST_KEY: "NOT CHECKED: whether it is the employer's first key (no first-time or has-key column in {tables}). A first key always means an in-person visit.",
        "SIN REVISAR: si es la primera clave del empleador (no hay columna de primera vez ni de tiene clave en {tables}). La primera clave siempre obliga a ir en persona.";
    /// How to check it with the command line, below each note on the terminal.
    FIX_EMAIL: "To check it: name the column with --map email=HEADER, or add one to the roster.",
        "Para revisarlo: indique la columna con --map email=ENCABEZADO, o agregue una a la nómina.";
    FIX_STATUS: "To check it: load the SRI catastro with --catastro, or add a RUC status column.",
        "Para revisarlo: cargue el catastro del SRI con --catastro, o agregue una columna de estado del RUC.";
    FIX_FIRST_KEY: "To check it: name the column with --map first_time=HEADER (or has_key), or add one.",
        "Para revisarlo: indique la columna con --map first_time=ENCABEZADO (o has_key), o agregue una.";
    TABLES_AND_MORE: "{tables} and {n} more", "{tables} y {n} más";

    // The columns used.
    COLUMNS_OF: "columns of {tables}:", "columnas de {tables}:";
    COLUMN_FROM_HEADER: "← {header}", "← {header}";
    COLUMN_BY_MAP: "← {header} (--map)", "← {header} (--map)";
    COLUMN_FROM_CELLS: "← {header} (by its cells: {matching} of {of} look like {what})",
        "← {header} (por su contenido: {matching} de {of} celdas parecen {what})";
    COLUMN_NOT_FOUND: "not found", "no encontrada";
    COLUMN_TIED: "not chosen: several columns could be it ({columns}); choose one with --map {name}=HEADER",
        "sin elegir: varias columnas podrían serlo ({columns}); elija una con --map {name}=ENCABEZADO";
    COLUMN_NUMBER: "column {n}", "columna {n}";
    LOOK_CEDULAS: "cédulas", "cédulas";
    LOOK_RUCS: "RUCs", "RUC";
    LOOK_EMAILS: "e-mail addresses", "correos";
    COLUMNS_ID: "ID", "identificación";
    COLUMNS_RUC: "RUC", "RUC";
    COLUMNS_SUCURSAL: "sucursal", "sucursal";
    COLUMNS_EMAIL: "e-mail", "correo";
    COLUMNS_RUC_STATUS: "RUC status", "estado del RUC";
    COLUMNS_FIRST_TIME: "first time", "primera vez";
    COLUMNS_HAS_KEY: "has key", "tiene clave";
    COLUMNS_EMPLOYER_TYPE: "employer type", "tipo de empleador";
    COLUMNS_ID_TYPE: "ID type", "tipo de identificación";
    COLUMNS_NAME: "name", "nombre";
    COLUMNS_ROW: "row", "fila";

    // The workbook's Summary.
    WORKBOOK_NOTES: "Read first", "Lea primero";
    WORKBOOK_COLUMNS: "Columns used", "Columnas usadas";

    // Footer rows skipped below the last employer.
    FOOTER_ROW: "{table}: 1 footer row below the last employer skipped: {texts}",
        "{table}: 1 fila de pie omitida bajo el último empleador: {texts}";
    FOOTER_ROWS: "{table}: {n} footer rows below the last employer skipped: {texts}",
        "{table}: {n} filas de pie omitidas bajo el último empleador: {texts}";

    // The SRI catastro's load line: the provinces its files cover.
    CATASTRO_PROVINCES: "; provinces covered: {provinces}", "; provincias cubiertas: {provinces}";
    CATASTRO_PROVINCES_UNSTATED: "; provinces: not stated in the file, every one taken as covered",
        "; provincias: el archivo no las indica, se toman todas como cubiertas";

    // The table of flagged records (stdout, without -o).
    TABLE_HEAD: "ROW|STATUS|EMPLOYER|ID|RUC|CODES", "FILA|ESTADO|EMPLEADOR|ID|RUC|CÓDIGOS";
    HEADER_REPEATED: "patronal: note: {place}: the header row repeats on row {row} ({n} rows in all): skipped, not checked as records",
        "patronal: nota: {place}: la fila de encabezados se repite en la fila {row} ({n} filas en total): omitidas, no se revisan como registros";
    REPORT_SKIPPED: "patronal: note: {path}: a patronal report, not a roster: skipped",
        "patronal: nota: {path}: es un informe de patronal, no una nómina: se omite";
    NO_PREVIOUS_REPORT: "patronal: note: compare = \"previous\": no earlier report matches `report`: a first night, every employer is new",
        "patronal: nota: compare = \"previous\": ningún informe anterior coincide con `report`: primera noche, todos los empleadores son nuevos";
    TABLE_MORE: "… and {n} more (write them all with -o informe.xlsx)", "… y {n} más (escríbalos todos con -o informe.xlsx)";
    TABLE_LEGEND: "`patronal codes` explains each code and how to fix it.", "`patronal codes` explica cada código y cómo corregirlo.";

    // `patronal id`.
    ID_DOMESTIC_FORM: "the IESS domestic-service form: the cédula {cedula} followed by 000; use sucursal 0001",
        "formato de servicio doméstico del IESS: la cédula {cedula} seguida de 000; use la sucursal 0001";
    ID_VALID: "valid", "válido";
    ID_INVALID: "INVALID", "INVÁLIDO";
    KIND_CEDULA: "cédula", "cédula";
    KIND_FOREIGN: "foreigner code", "código de extranjero";
    KIND_NATURAL: "RUC, natural person", "RUC, persona natural";
    KIND_PUBLIC: "RUC, public entity", "RUC, entidad pública";
    KIND_COMPANY: "RUC, company", "RUC, sociedad";
    KIND_DOMESTIC: "RUC, domestic-service form", "RUC, formato de servicio doméstico";
    KIND_RUC: "RUC", "RUC";
    KIND_UNKNOWN: "unknown", "desconocido";

    // `patronal codes`.
    CODES_CODE: "CODE", "CÓDIGO";
    CODES_SEVERITY: "SEVERITY", "GRAVEDAD";
    CODES_FIELD: "FIELD", "CAMPO";
    CODES_MESSAGE: "MESSAGE", "MENSAJE";
    CODES_FIX: "fix", "solución";
}
