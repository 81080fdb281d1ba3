//! The labels of reports: the CSV report's column names (stable machine names, which
//! `--compare` and scripts read back), the headings of the roster's recognised fields, and
//! every word of the workbook (sheets, headings, the Plan, the changes).

texts! {
    // The recognised fields' headings in the CSV report and the workbook. Each is a header
    // the roster reader recognises for its field, so that a report read back (`--compare`)
    // finds its columns.
    FIELD_ID: "ID", "Identificación";
    FIELD_RUC: "RUC", "RUC";
    FIELD_SUCURSAL: "Sucursal", "Sucursal";
    FIELD_NAME: "Name", "Nombre";
    FIELD_EMAIL: "Email", "Correo";
    FIELD_RUC_STATUS: "RUC status", "Estado RUC";
    FIELD_FIRST_TIME: "First time", "Primera vez";
    FIELD_HAS_KEY: "Has key", "Tiene clave";
    FIELD_EMPLOYER_TYPE: "Employer type", "Tipo empleador";
    FIELD_ID_TYPE: "ID type", "Tipo identificación";
    FIELD_ROW: "Row", "Fila";

    // The CSV report's verdict columns: machine names, stable (scripts and `--compare` read
    // them). The status column is "result", so that it is not taken for a roster's own
    // "Status"/"Estado" (the RUC's status).
    CSV_RESULT: "result", "resultado";
    CSV_CODES: "codes", "códigos";
    CSV_MESSAGES: "messages", "mensajes";
    CSV_NORMALIZED_ID: "normalized_id", "id_normalizado";
    CSV_NORMALIZED_RUC: "normalized_ruc", "ruc_normalizado";
    CSV_NORMALIZED_SUCURSAL: "normalized_sucursal", "sucursal_normalizada";
    CSV_SOURCE: "source", "archivo";
    CSV_ROW: "row", "fila";
    CSV_CHANGE: "change", "cambio";
    CSV_EXTRA: "extra_cells", "celdas_extra";
    /// How a record changed since the previous report (the CSV report's and the workbook's
    /// change column).
    CHANGE_NEW: "new", "nuevo";
    CHANGE_SAME: "same", "igual";
    CHANGE_WORSE: "worse", "peor";
    CHANGE_BETTER: "better", "mejor";

    // The workbook's records sheets: headings a person reads.
    REC_RESULT: "Result", "Resultado";
    REC_FINDINGS: "Findings (code — message)", "Hallazgos (código — mensaje)";
    REC_FIX: "How to fix", "Cómo corregir";
    REC_NORMALIZED_ID: "Normalized ID", "Cédula normalizada";
    REC_NORMALIZED_RUC: "Normalized RUC", "RUC normalizado";
    REC_NORMALIZED_SUCURSAL: "Normalized sucursal", "Sucursal normalizada";
    REC_FILE: "File", "Archivo";
    REC_ROW: "Row", "Fila";
    REC_CHANGE: "Change", "Cambio";
    REC_EXTRA: "Cells beyond the header", "Celdas de más";

    // The workbook's sheets.
    SHEET_PLAN: "Plan", "Plan";
    SHEET_SUMMARY: "Summary", "Resumen";
    SHEET_CHANGES: "Changes", "Cambios";
    SHEET_TO_RESOLVE: "To resolve", "Por resolver";
    SHEET_RECORDS: "Records", "Registros";
    /// The n-th records sheet past Excel's rows: "Records 2".
    SHEET_RECORDS_N: "Records {n}", "Registros {n}";
    /// The printed page's footer: the sheet's name left, "Page 3 of 45" right (Excel's
    /// codes: `&A` the sheet, `&P` the page, `&N` the pages).
    FOOTER: "&L&A&RPage &P of &N", "&L&A&RPágina &P de &N";

    // The Summary sheet.
    SUMMARY_TITLE: "patronal: clave patronal audit", "patronal: auditoría de clave patronal";
    SUMMARY_AUDITED: "Audit date and time", "Fecha y hora de la auditoría";
    SUMMARY_VERSION: "patronal version", "Versión de patronal";
    SUMMARY_TIME: "Time taken (s)", "Tiempo (s)";
    SUMMARY_TIME_NOTE: "reading, checking and writing, up to this workbook's saving",
        "lectura, revisión y escritura, hasta guardar este libro";
    SUMMARY_INPUTS: "Inputs read", "Entradas leídas";
    SUMMARY_CATASTRO: "SRI catastro read", "Catastro del SRI leído";
    SUMMARY_SHEET: "Sheet", "Hoja";
    SUMMARY_RECORDS: "Records", "Registros";
    SUMMARY_BLANK: "Blank rows", "Filas en blanco";
    SUMMARY_BY_STATUS: "Records by status", "Registros por estado";
    SUMMARY_SHARE: "Share", "Porcentaje";
    SUMMARY_BY_CODE: "Records by code, the most serious first", "Registros por código, lo más grave primero";
    SUMMARY_CODE: "Code", "Código";
    SUMMARY_SEVERITY: "Severity", "Gravedad";
    SUMMARY_MESSAGE: "Message", "Mensaje";
    SUMMARY_HINT: "How to fix it", "Cómo corregirlo";
    SUMMARY_BLOCKING: "What blocks the recovery (records)", "Lo que impide la recuperación (registros)";
    SUMMARY_OPTIONS: "Options", "Opciones";
    SUMMARY_RECORDS_SHEETS: "Records sheets", "Hojas de registros";
    SUMMARY_TOTAL: "Total", "Total";
    SUMMARY_NONE_BLOCKED: "No record is blocked: every one is ready.",
        "Ningún registro está bloqueado: todos están listos.";
    SUMMARY_NO_OPTIONS: "(none: every default)", "(ninguna: todo lo predeterminado)";
    SUMMARY_SKIPPED: "Rosters not checked (the run exits with 2)", "Nóminas no revisadas (la ejecución sale con 2)";
    SUMMARY_SKIPPED_FILE: "Roster", "Nómina";
    SUMMARY_SKIPPED_REASON: "Why", "Motivo";
    SUMMARY_CHANGES: "Changes since the previous report", "Cambios desde el informe anterior";
    SUMMARY_CHANGES_SEE: "each one by name on the {sheet} sheet", "cada uno con su nombre en la hoja {sheet}";

    // The Plan sheet: what the office does, in order.
    PLAN_TITLE: "Plan: what to do, employer by employer", "Plan: qué hacer, empleador por empleador";
    PLAN_EFFORT: "Effort: {online} online × 10–20 min ≈ {time}; {visits} × 1–3 business days each; {fix} to fix first.",
        "Esfuerzo: {online} en línea × 10–20 min ≈ {time}; {visits} × 1–3 días hábiles cada una; {fix} por corregir antes.";
    PLAN_SOURCE: "Source: the IESS guidance on the clave patronal: online, about 10–20 minutes with a valid e-mail and matching identifiers; in person, 1–3 business days (appointment and visit).",
        "Fuente: la guía del IESS para la clave patronal: en línea, unos 10–20 minutos con un correo válido e identificadores que coinciden; presencial, 1–3 días hábiles (cita y visita).";
    PLAN_HOURS: "{low}–{high} h", "{low}–{high} h";
    PLAN_MINUTES_RANGE: "{low}–{high} min", "{low}–{high} min";
    PLAN_ONLINE_ONE: "{n} recovery", "{n} recuperación";
    PLAN_ONLINE_MANY: "{n} recoveries", "{n} recuperaciones";
    PLAN_VISITS_ONE: "{n} in-person visit", "{n} visita presencial";
    PLAN_VISITS_MANY: "{n} in-person visits", "{n} visitas presenciales";
    PLAN_FIX_ONE: "{n} record", "{n} registro";
    PLAN_FIX_MANY: "{n} records", "{n} registros";
    PLAN_WHERE: "Where", "Dónde";
    PLAN_EMPLOYER: "Employer", "Empleador";
    PLAN_ID: "Identification", "Identificación";
    PLAN_RUC: "RUC", "RUC";
    PLAN_SUCURSAL: "Sucursal", "Sucursal";
    PLAN_EMAIL: "E-mail (the link goes there)", "Correo (llega el enlace)";
    PLAN_FIELD: "Field / reason", "Campo / motivo";
    PLAN_FOUND: "Value found", "Valor encontrado";
    PLAN_FIX: "How to fix / next step", "Cómo corregir / siguiente paso";
    PLAN_SUGGESTED: "Suggested value / appointment", "Valor sugerido / cita";
    PLAN_DONE: "Done", "Hecho";
    PLAN_READY: "1. Ready for the online recovery ({n}): type identification, RUC and sucursal in this order; the link goes to the e-mail",
        "1. Listos para la recuperación en línea ({n}): escriba identificación, RUC y sucursal en este orden; el enlace llega al correo";
    PLAN_FIX_FIRST: "2. Fix first ({n}): the field, the value found, how to fix it, and the value to write when it is certain",
        "2. Corregir antes ({n}): el campo, el valor encontrado, cómo corregirlo y el valor que hay que escribir cuando es seguro";
    PLAN_IN_PERSON: "3. In person ({n}): the reason, the next step, and room for the appointment",
        "3. Presencial ({n}): el motivo, el siguiente paso y espacio para la cita";
    PLAN_NONE: "(none)", "(ninguno)";
    PLAN_MORE: "… and {n} more: see the {sheet} sheet", "… y {n} más: vea la hoja {sheet}";
    PLAN_APPOINTMENT: "Date, time, office:", "Fecha, hora, oficina:";

    // The next step, by what the record needs (in person: the reason is the finding's
    // message).
    PLAN_STEP_FIRST_KEY: "Book the appointment at an IESS attention center; take the employer's cédula and RUC",
        "Agende la cita en un centro de atención del IESS; lleve la cédula y el RUC del empleador";
    PLAN_STEP_RUC: "Reactivate the RUC at the SRI first; then book the IESS appointment",
        "Reactive primero el RUC en el SRI; luego agende la cita en el IESS";
    PLAN_STEP_EMAIL: "Update the e-mail at an IESS office (or correct it in the roster, if IESS has the right one)",
        "Actualice el correo en una oficina del IESS (o corríjalo en la nómina, si el IESS tiene el correcto)";
    PLAN_EMPTY: "(empty)", "(vacío)";
    PLAN_NOT_LISTED: "… and {n} more, not listed (--only-flagged)", "… y {n} más, sin listar (--only-flagged)";

    // The Cambios sheet.
    CHANGES_TITLE: "Changes since the previous report", "Cambios desde el informe anterior";
    CHANGES_NEW: "Newly flagged ({n})", "Nuevos con problemas ({n})";
    CHANGES_FIXED: "Fixed ({n})", "Corregidos ({n})";
    CHANGES_GONE: "Gone: in the previous report, not in this run ({n})", "Desaparecidos: en el informe anterior, no en esta ejecución ({n})";
    CHANGES_BEFORE_AFTER: "Before → after", "Antes → después";
    CHANGES_NOT_BEFORE: "(not before)", "(no estaba)";
    CHANGES_NOT_NOW: "(gone)", "(ya no está)";
    CHANGES_COUNT_LINE: "newly flagged {new}, fixed {fixed}, gone {gone}; records new {all_new}, worse {worse}, better {better}, same {same}",
        "nuevos con problemas {new}, corregidos {fixed}, desaparecidos {gone}; registros nuevos {all_new}, peores {worse}, mejores {better}, iguales {same}";

    // The Por resolver sheet.
    TO_RESOLVE_HEADER: "&C&\"-,Bold\"To resolve: invalid and in-person records", "&C&\"-,Bold\"Por resolver: registros inválidos y presenciales";
    TO_RESOLVE_NONE: "Nothing to resolve: every record is ready.", "Nada por resolver: todos los registros están listos.";
}
