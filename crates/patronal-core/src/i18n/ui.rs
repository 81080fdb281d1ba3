//! What the terminal shows besides errors: the progress bar, the summary, the news for cron.

texts! {
    // The progress bar. `{records}`, `{rate}`, `{eta}`, `{percent}` are filled by the bar.
    PROGRESS_KNOWN: "{spinner} {percent}% {bar} {records} records · {rate}/s · {eta} left",
        "{spinner} {percent}% {bar} {records} registros · {rate}/s · quedan {eta}";
    PROGRESS_UNKNOWN: "{spinner} {records} records · {rate}/s · {elapsed}",
        "{spinner} {records} registros · {rate}/s · {elapsed}";
    STAGE_WRITING: "writing {path}…", "escribiendo {path}…";

    // The summary (stderr).
    SUMMARY_LINE: "{records} records from {tables} ({blank} blank rows skipped) in {secs} s",
        "{records} registros de {tables} ({blank} filas en blanco omitidas) en {secs} s";
    ONE_TABLE: "1 table", "1 tabla";
    TABLES: "{n} tables", "{n} tablas";
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

    // The SRI catastro's load line: the provinces its files cover.
    CATASTRO_PROVINCES: "; provinces covered: {provinces}", "; provincias cubiertas: {provinces}";
    CATASTRO_PROVINCES_UNSTATED: "; provinces: not stated in the file, every one taken as covered",
        "; provincias: el archivo no las indica, se toman todas como cubiertas";

    // The table of flagged records (stdout, without -o).
    TABLE_HEAD: "ROW|STATUS|EMPLOYER|ID|RUC|CODES", "FILA|ESTADO|EMPLEADOR|ID|RUC|CÓDIGOS";
    REPORT_SKIPPED: "patronal: note: {path}: a patronal report, not a roster: skipped",
        "patronal: nota: {path}: es un informe de patronal, no una nómina: se omite";
    TABLE_MORE: "… and {n} more (write them all with -o informe.xlsx)", "… y {n} más (escríbalos todos con -o informe.xlsx)";
    TABLE_LEGEND: "`patronal codes` explains each code and how to fix it.", "`patronal codes` explica cada código y cómo corregirlo.";

    // `patronal id`.
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
