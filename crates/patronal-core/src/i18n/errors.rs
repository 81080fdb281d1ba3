//! Errors and notes on stderr. An error names the file first (`{path}: …`) and says the
//! reason; a note says what was done.

texts! {
    // System errors, by kind (`io_reason`).
    IO_NOT_FOUND: "not found", "no existe";
    IO_PERMISSION: "permission denied", "permiso denegado";
    IO_IS_DIRECTORY: "is a directory", "es una carpeta";
    IO_NOT_DIRECTORY: "a part of the path is not a folder", "una parte de la ruta no es una carpeta";
    IO_DISK_FULL: "no space left on the disk", "no queda espacio en el disco";
    IO_READ_ONLY: "the disk is read-only", "el disco es de solo lectura";
    IO_EXISTS: "already exists", "ya existe";
    IO_INVALID_DATA: "invalid data", "datos no válidos";
    IO_TRUNCATED: "the file ends too early (truncated)", "el archivo termina antes de tiempo (truncado)";
    IO_BROKEN_PIPE: "the reader closed the pipe", "el lector cerró la tubería";
    IO_TIMED_OUT: "timed out", "se agotó el tiempo de espera";
    IO_TOO_LARGE: "the file is too large", "el archivo es demasiado grande";
    IO_OTHER: "system error: {system}", "error del sistema: {system}";

    // Files in general.
    CANNOT_READ: "{path}: cannot read", "{path}: no se puede leer";
    CANNOT_READ_BECAUSE: "{path}: cannot read: {reason}", "{path}: no se puede leer: {reason}";
    CANNOT_WRITE: "{path}: cannot write", "{path}: no se puede escribir";
    CANNOT_CREATE_FOLDER: "{path}: cannot create the folder", "{path}: no se puede crear la carpeta";
    STDIN_TERMINAL: "-: standard input is a terminal: pipe a CSV roster into it (`cat clientes.csv | patronal check -`)",
        "-: la entrada estándar es una terminal: envíe una nómina CSV por ella (`cat clientes.csv | patronal check -`)";
    STDIN_TWICE: "-: standard input can be read only once", "-: la entrada estándar solo se puede leer una vez";

    // Rosters.
    ROSTER_DIRECTORY: "{path}: is a directory, not a roster file", "{path}: es una carpeta, no un archivo de nómina";
    ROSTER_REASON: "{path}: {reason}", "{path}: {reason}";
    ROSTER_MISSING_COLUMNS: "{path}: no column for {missing} (required); headers found: {found}. Use --map {first}=HEADER",
        "{path}: no hay columna para {missing} (obligatoria); encabezados encontrados: {found}. Use --map {first}=ENCABEZADO";
    /// The page's words for the same: its form of columns, not `--map`.
    ROSTER_MISSING_COLUMNS_PAGE: "{path}: no column for {missing} (required); headers found: {found}. Choose its column in \"Columns\" below, then \"Check again\"",
        "{path}: no hay columna para {missing} (obligatoria); encabezados encontrados: {found}. Elija su columna en \"Columnas\", abajo, y luego \"Revisar de nuevo\"";
    ROSTER_CHANGED: "the file changed while the run was reading other rosters (its header or sheets are not the ones checked): run again",
        "el archivo cambió mientras se leían otras nóminas (su encabezado u hojas no son los revisados): vuelva a ejecutar";
    ROSTER_TIED_COLUMNS: "{path}: several columns could be {field} ({columns}), and none is guessed: choose one with --map {field}=HEADER",
        "{path}: varias columnas podrían ser {field} ({columns}) y no se adivina ninguna: elija una con --map {field}=ENCABEZADO";
    /// The page's words for the same: its form of columns, not `--map`.
    ROSTER_TIED_COLUMNS_PAGE: "{path}: several columns could be {field} ({columns}), and none is guessed: choose one in \"Columns\" below, then \"Check again\"",
        "{path}: varias columnas podrían ser {field} ({columns}) y no se adivina ninguna: elija una en \"Columnas\", abajo, y luego \"Revisar de nuevo\"";
    TWO: "{a} and {b}", "{a} y {b}";
    ONE: "{a}", "{a}";
    NONE: "none", "ninguno";
    NOT_TEXT: "not a text file (binary data): export the roster as CSV, or give the workbook itself",
        "no es un archivo de texto (datos binarios): exporte la nómina como CSV, o dé el libro de Excel mismo";
    NO_HEADER_ROW: "no header row: the file is empty or has no text lines",
        "sin fila de encabezados: el archivo está vacío o no tiene líneas de texto";
    HEADER_TOO_LONG: "the first line is longer than {mb} MB: not a roster",
        "la primera línea tiene más de {mb} MB: no es una nómina";
    AT_LINE: "line {line}: {reason}", "línea {line}: {reason}";
    NO_SUCH_SHEET: "no sheet named {sheet}; sheets: {sheets}", "no hay una hoja llamada {sheet}; hojas: {sheets}";
    NO_SHEET_WITH_HEADER: "no sheet has a header row with id and RUC columns; sheets: {sheets}",
        "ninguna hoja tiene una fila de encabezados con columnas de cédula y RUC; hojas: {sheets}";
    WORKBOOK_ENCRYPTED: "password-protected (encrypted) workbook, or an old .xls renamed: open it in Excel and save it as .xlsx without a password",
        "libro protegido con contraseña (cifrado), o un .xls antiguo renombrado: ábralo en Excel y guárdelo como .xlsx sin contraseña";
    WORKBOOK_NOT_ZIP: "not a valid workbook (damaged or not a zip: {detail})", "no es un libro válido (dañado o no es un zip: {detail})";
    WORKBOOK_DAMAGED: "damaged workbook: {detail}", "libro dañado: {detail}";
    WORKBOOK_BOMB: "the workbook would expand to {gb} GB: refused (a zip bomb, or not a roster)",
        "el libro ocuparía {gb} GB al descomprimirse: rechazado (una bomba zip, o no es una nómina)";
    WORKBOOK_TOO_MANY_CELLS: "its sheets would expand to {cells} cells in memory (the limit for .xls and .ods is {max}): save it as .xlsx, which is read as a stream",
        "sus hojas ocuparían {cells} celdas en memoria (el límite para .xls y .ods es {max}): guárdelo como .xlsx, que se lee por partes";
    WORKBOOK_TOO_MUCH_MEMORY: "its sheets and their text would take {mb} MB or more in memory once loaded (a string repeated over many cells, or a very large sheet; the limit for .xls and .ods is {max} MB): save it as .xlsx, which is read as a stream",
        "sus hojas y su texto ocuparían {mb} MB o más en memoria al cargarse (un texto repetido en muchas celdas, o una hoja muy grande; el límite para .xls y .ods es {max} MB): guárdelo como .xlsx, que se lee por partes";
    WORKBOOK_DAMAGED_CONTENT: "damaged content.xml: {detail}", "content.xml dañado: {detail}";
    XLS_DAMAGED: "the .xls file's structure is damaged ({detail}): open it in Excel and save it again, or save it as .xlsx",
        "la estructura del archivo .xls está dañada ({detail}): ábralo en Excel y guárdelo de nuevo, o guárdelo como .xlsx";
    REPEAT_NOT_NUMBER: "a repeat count that is not a number", "un número de repeticiones que no es un número";
    WORKBOOK_FORMAT_WIDTH: "row {row}, column {column}: the cell's number format pads numbers to {width} digits (more than {max}): the workbook is damaged",
        "fila {row}, columna {column}: el formato de número de la celda rellena los números a {width} dígitos (más de {max}): el libro está dañado";
    WORKBOOK_UNREADABLE: "cannot read the workbook: {detail}", "no se puede leer el libro: {detail}";
    WORKBOOK_PARSER_FAILED: "the workbook parser failed on damaged data", "el lector de libros falló con datos dañados";
    WORKBOOK_BEYOND_LAST_ROW: "row {row}: beyond Excel's last row ({max}): the workbook is damaged",
        "fila {row}: más allá de la última fila de Excel ({max}): el libro está dañado";
    WORKBOOK_TEXT_BOMB: "its cells would expand to more than {max} MB of text (a string repeated over many cells): refused (a bomb, or not a roster)",
        "sus celdas ocuparían más de {max} MB de texto (un texto repetido en muchas celdas): rechazado (una bomba, o no es una nómina)";
    WORKBOOK_ROW_TEXT: "row {row}: its cells hold more than {max} MB of text: refused (a bomb, or not a roster)",
        "fila {row}: sus celdas contienen más de {max} MB de texto: rechazado (una bomba, o no es una nómina)";
    WORKBOOK_SHARED_STRINGS: "its table of shared strings ({items} strings or more) would take more than {max} MB in memory: refused (a bomb, or not a roster)",
        "su tabla de textos compartidos ({items} textos o más) ocuparía más de {max} MB en memoria: rechazado (una bomba, o no es una nómina)";
    XLSB_SHORT_RECORD: "row {row}: a cell record of {len} bytes, where its kind needs {min}: the workbook is damaged",
        "fila {row}: un registro de celda de {len} bytes, donde su tipo necesita {min}: el libro está dañado";
    XLSB_SHARED_INDEX: "row {row}: a cell uses shared string {index}, and the table holds {count}: the workbook is damaged",
        "fila {row}: una celda usa el texto compartido {index}, y la tabla tiene {count}: el libro está dañado";
    IN_PART: "{part}: {reason}", "{part}: {reason}";
    WORKBOOK_LONG_VALUE: "a single cell or value of more than {max} MB: refused (a bomb, or not a roster)",
        "una sola celda o valor de más de {max} MB: rechazado (una bomba, o no es una nómina)";
    WORKBOOK_BEYOND_LAST_COLUMN: "row {row}: a cell in column {column}, beyond Excel's last column ({max}): the workbook is damaged",
        "fila {row}: una celda en la columna {column}, más allá de la última columna de Excel ({max}): el libro está dañado";
    ENCODING_UNKNOWN: "unknown encoding {value}; use utf-8, windows-1252, utf-16le or utf-16be",
        "codificación desconocida {value}; use utf-8, windows-1252, utf-16le o utf-16be";
    DELIMITER_BAD: "expected one ASCII character or `tab`, got {value}", "se esperaba un carácter ASCII o `tab`, se recibió {value}";
    CSV_DELIMITER_BAD: "expected `,` `;` `|` or `tab`, got {value}", "se esperaba `,` `;` `|` o `tab`, se recibió {value}";
    MAP_SYNTAX: "expected FIELD=HEADER or GLOB:FIELD=HEADER, got {value}",
        "se esperaba CAMPO=ENCABEZADO o PATRÓN:CAMPO=ENCABEZADO, se recibió {value}";
    MAP_UNKNOWN_FIELD: "unknown field {field}; fields are {fields}", "campo desconocido {field}; los campos son {fields}";
    MAP_BAD_GLOB: "bad pattern {pattern}: {detail}", "patrón no válido {pattern}: {detail}";
    NUMBER_RANGE: "expected a whole number from {min} to {max}, got {value}",
        "se esperaba un número entero de {min} a {max}, se recibió {value}";

    // The SRI catastro.
    CATASTRO_UNREADABLE: "not a readable catastro: {detail}", "no es un catastro legible: {detail}";
    CATASTRO_EMPTY: "empty file: no header row", "archivo vacío: sin fila de encabezados";
    CATASTRO_NO_COLUMNS: "not an SRI catastro: no NUMERO_RUC and ESTADO_CONTRIBUYENTE columns in {place}",
        "no es un catastro del SRI: no hay columnas NUMERO_RUC y ESTADO_CONTRIBUYENTE en {place}";
    IN_THE_FIRST_ROW: "the first row", "la primera fila";
    IN_ANY_SHEET: "the first rows of any sheet", "las primeras filas de ninguna hoja";
    CATASTRO_DIRECTORY: "is a directory, not a catastro file", "es una carpeta, no un archivo de catastro";
    CATASTRO_TOO_MANY_RUCS: "more than {max} RUCs: not a catastro (Ecuador has a few million taxpayers)",
        "más de {max} RUC: no es un catastro (Ecuador tiene unos pocos millones de contribuyentes)";
    CATASTRO_LINE_TOO_LONG: "line {line} is longer than {mb} MB: not a catastro (or a damaged one)",
        "la línea {line} mide más de {mb} MB: no es un catastro (o está dañado)";
    CATASTRO_ZIP_BOMB: "the zip would expand to more than {max} GB ({gb} GB): refused (a zip bomb, or not a catastro)",
        "el zip ocuparía más de {max} GB al descomprimirse ({gb} GB): rechazado (una bomba zip, o no es un catastro)";
    CATASTRO_INDEX_EMPTY: "the index holds no RUC: rebuild it with `patronal catastro build`",
        "el índice no contiene ningún RUC: vuelva a crearlo con `patronal catastro build`";
    CATASTRO_NO_ROWS: "no RUC: the catastro has a header and no rows", "ningún RUC: el catastro tiene encabezados y ninguna fila";
    CATASTRO_NO_RUC: "no RUC in {rows} rows ({reasons})", "ningún RUC en {rows} filas ({reasons})";
    NONE_USABLE: "none usable", "ninguna utilizable";
    COUNT_OF: "{n} {what}", "{n} {what}";
    ZIP_DAMAGED: "damaged zip: {detail}", "zip dañado: {detail}";
    ZIP_NO_CSV: "the zip holds no .csv file", "el zip no contiene ningún archivo .csv";
    INDEX_REFUSED: "not a usable catastro index: {why}; rebuild it with `patronal catastro build`",
        "no es un índice de catastro utilizable: {why}; vuelva a crearlo con `patronal catastro build`";
    INDEX_FOREIGN: "not a patronal index", "no es un índice de patronal";
    INDEX_VERSION: "format version {version}, this patronal reads {ours}", "versión de formato {version}, este patronal lee la {ours}";
    INDEX_VERSION_OLDER: "format version {version} (made by an older patronal, without the kind of taxpayer), this patronal reads {ours}",
        "versión de formato {version} (hecho por un patronal anterior, sin el tipo de contribuyente), este patronal lee la {ours}";
    INDEX_STATUS_TABLE: "damaged status table", "tabla de estados dañada";
    INDEX_TRUNCATED: "truncated or padded", "truncado o con bytes de más";
    INDEX_TOO_LARGE: "too large", "demasiado grande";
    INDEX_TOO_MANY: "its header claims {count} RUCs, more than a catastro holds ({max})",
        "su encabezado declara {count} RUC, más de los que tiene un catastro ({max})";
    INDEX_CHECKSUM: "damaged (checksum mismatch)", "dañado (la suma de verificación no coincide)";
    INDEX_ORDER: "entries out of order", "entradas fuera de orden";
    CATASTRO_BUILT: "patronal: {rucs} RUCs from {files} file(s), {mb} MB in {secs} s ({rate} MB/s) → {path}",
        "patronal: {rucs} RUC de {files} archivo(s), {mb} MB en {secs} s ({rate} MB/s) → {path}";

    // Reports.
    REPORT_CANNOT_CREATE: "{path}: cannot create the report", "{path}: no se puede crear el informe";
    REPORT_CANNOT_WRITE: "{path}: cannot write the report", "{path}: no se puede escribir el informe";
    REPORT_UNKNOWN_FORMAT: "{path}: unknown report format; name the report .xlsx (workbook), .csv, .jsonl or .json, or give --format xlsx|csv|jsonl|json",
        "{path}: formato de informe desconocido; use un nombre .xlsx (libro de Excel), .csv, .jsonl o .json, o indique --format xlsx|csv|jsonl|json";
    REPORT_IS_FOLDER: "{path}: is a folder; give a file name for the report",
        "{path}: es una carpeta; indique un nombre de archivo para el informe";
    REPORT_NO_FOLDER: "{path}: cannot create the report: the folder {folder} does not exist",
        "{path}: no se puede crear el informe: la carpeta {folder} no existe";
    INPUT_OVERWRITE: "{path}: will not write there: it is {what} ({input}); nothing was read or written",
        "{path}: no se escribe allí: es {what} ({input}); no se leyó ni escribió nada";
    ROLE_ROSTER: "a roster of this run", "una nómina de esta ejecución";
    ROLE_CATASTRO: "a catastro file of this run", "un archivo de catastro de esta ejecución";
    ROLE_PREVIOUS: "the previous report this run compares with", "el informe anterior con el que se compara";
    ROLE_OUTPUT: "another output of this run", "otra salida de esta ejecución";
    ROLE_CONFIG: "the config file of this run", "el archivo de configuración de esta ejecución";
    LOCK_IS_INPUT: "{lock}: will not use it as the lock of {path}: it is {what} ({input}); nothing was read or written",
        "{lock}: no se usa como bloqueo de {path}: es {what} ({input}); no se leyó ni escribió nada";
    LOCK_NOT_OURS: "{lock}: will not use it as the lock of {path}: the file exists and patronal did not make it; move it away, or name the report otherwise",
        "{lock}: no se usa como bloqueo de {path}: el archivo existe y no lo creó patronal; muévalo, o dé otro nombre al informe";
    NO_ROSTER_ONLY_REPORTS: "no roster to check: every file given is a patronal report",
        "no hay nómina que revisar: todos los archivos son informes de patronal";
    PREVIOUS_UNUSABLE: "{path}: cannot use as the previous report: {reason}",
        "{path}: no se puede usar como informe anterior: {reason}";
    PREVIOUS_LONG_LINE: "a line longer than 1 MB (not a patronal report)",
        "una línea de más de 1 MB (no es un informe de patronal)";
    PREVIOUS_BAD_LINE: "line {line}: not a patronal report", "línea {line}: no es un informe de patronal";
    PREVIOUS_BAD_ROW: "row {line}: not a patronal report", "fila {line}: no es un informe de patronal";
    PREVIOUS_NO_COLUMNS: "not a patronal report (no result and row columns)",
        "no es un informe de patronal (no tiene las columnas de resultado y fila)";
    WORKBOOK_TO_TERMINAL: "will not write a workbook to the terminal: redirect it, or give -o FILE.xlsx",
        "no se escribe un libro de Excel en la terminal: rediríjalo, o dé -o ARCHIVO.xlsx";
    REPORT_PIPE_CLOSED: "{path}: the report's reader closed the pipe before the end: the report is incomplete",
        "{path}: el lector del informe cerró la tubería antes del final: el informe está incompleto";
    STANDARD_OUTPUT: "standard output", "salida estándar";
    WORKBOOK_TEMP_FAILED: "{path}: cannot write the report: its records sheet's temporary file in {folder} (TMPDIR)",
        "{path}: no se puede escribir el informe: el archivo temporal de su hoja de registros en {folder} (TMPDIR)";
    WORKBOOK_WRITER_FAILED: "the workbook writer failed", "falló el escritor del libro";
    LOCK_CREATE: "{path}: cannot create the report (its lock {lock})", "{path}: no se puede crear el informe (su bloqueo {lock})";
    LOCK_BUSY: "{path}: another patronal run is writing this report (waited {secs} s; see --lock-wait)",
        "{path}: otra ejecución de patronal está escribiendo este informe (se esperó {secs} s; vea --lock-wait)";
    LOCK_FAILED: "{path}: cannot lock", "{path}: no se puede bloquear";
    PREVIOUS_CANNOT_READ: "{path}: cannot read the previous report: {reason}", "{path}: no se puede leer el informe anterior: {reason}";
    PREVIOUS_NOT_JSONL: "{path}: line {line}: not a patronal JSON Lines report",
        "{path}: línea {line}: no es un informe JSON Lines de patronal";

    // The run.
    NO_ROSTER: "no roster to check: give roster files, or a patronal.toml (see --config)",
        "no hay nómina que revisar: dé archivos de nómina, o un patronal.toml (vea --config)";
    NO_ROSTER_AFTER_CATASTRO: "no roster to check: --catastro takes every path after it; give the rosters first: patronal check ROSTER... --catastro FILE...",
        "no hay nómina que revisar: --catastro toma todas las rutas que le siguen; dé primero las nóminas: patronal check NÓMINA... --catastro ARCHIVO...";
    SIGNAL_HANDLER: "cannot install the signal handler", "no se puede instalar el manejador de señales";
    CANNOT_PRINT: "cannot print to the terminal", "no se puede escribir en la terminal";
    INTERRUPTED: "interrupted; no report was written", "interrumpido; no se escribió ningún informe";
    UNKNOWN_CODE: "unknown code {code}; `patronal codes` lists them all", "código desconocido {code}; `patronal codes` los lista todos";
    SAMPLE_STYLE_WORKBOOK: "--style excel is for CSV samples (delimiter, encoding, line ends); a workbook has none of them: drop --style, or write a .csv",
        "--style excel es para muestras CSV (delimitador, codificación, fin de línea); un libro de Excel no tiene nada de eso: quite --style, o escriba un .csv";

    // The machine's time zone.
    TZ_NOT_A_ZONE: "{tz}: not a time-zone file ({why}): set TZ to a zone name, such as TZ=America/Guayaquil",
        "{tz}: no es un archivo de zona horaria ({why}): ponga en TZ el nombre de una zona, como TZ=America/Guayaquil";
    TZ_FOLDER: "a folder", "una carpeta";
    TZ_DEVICE: "a device or a pipe", "un dispositivo o una tubería";
    TZ_TOO_LARGE: "larger than 1 MB", "más de 1 MB";

    // patronal.toml.
    CONFIG_SYNTAX: "{path}:{line}: not a valid TOML file: {detail}", "{path}:{line}: no es un archivo TOML válido: {detail}";
    CONFIG_UNKNOWN_KEY: "{path}:{line}: unknown key `{key}`; keys: {keys}", "{path}:{line}: clave desconocida `{key}`; claves: {keys}";
    CONFIG_BAD_VALUE: "{path}:{line}: bad value for `{key}`: {why}", "{path}:{line}: valor no válido para `{key}`: {why}";
    CONFIG_EXPECTED: "expected {what}", "se esperaba {what}";
    CONFIG_TEXT: "a text in quotes", "un texto entre comillas";
    CONFIG_TEXTS: "a list of texts: [\"a\", \"b\"]", "una lista de textos: [\"a\", \"b\"]";
    CONFIG_TEXT_OR_TEXTS: "a text in quotes, or a list of texts: [\"a\", \"b\"]",
        "un texto entre comillas, o una lista de textos: [\"a\", \"b\"]";
    CONFIG_BOOL: "true or false", "true o false";
    CONFIG_NUMBER: "a whole number", "un número entero";
    CONFIG_TABLE: "[[map]] entries with pattern and fields", "entradas [[map]] con pattern y fields";
    CONFIG_ONE_OF: "{value}; values: {values}", "{value}; valores: {values}";
    CONFIG_EMPTY_PATH: "an empty file name", "un nombre de archivo vacío";
    CONFIG_NO_MATCH: "{path}:{line}: `{pattern}` matches no file", "{path}:{line}: `{pattern}` no coincide con ningún archivo";
    NO_MATCH: "`{pattern}` matches no file", "`{pattern}` no coincide con ningún archivo";

    // Usage errors (the command line).
    USAGE_INVALID_VALUE: "invalid value {value} for {arg}", "valor no válido {value} para {arg}";
    USAGE_POSSIBLE_VALUES: "possible values: {values}", "valores posibles: {values}";
    USAGE_UNKNOWN_ARG: "unexpected argument {arg}", "argumento inesperado {arg}";
    USAGE_SIMILAR_ARG: "a similar argument exists: {arg}", "existe un argumento parecido: {arg}";
    USAGE_AS_VALUE: "to pass {arg} as a value, use `-- {arg}`", "para pasar {arg} como valor, use `-- {arg}`";
    USAGE_MISSING: "required arguments were not given: {args}", "faltan argumentos obligatorios: {args}";
    USAGE_UNKNOWN_COMMAND: "unknown command {name}; commands: {names}", "comando desconocido {name}; comandos: {names}";
    USAGE_CONFLICT: "{arg} cannot be used with {other}", "{arg} no se puede usar con {other}";
    USAGE_NO_VALUE: "{arg} needs a value", "{arg} necesita un valor";
    USAGE_EXTRA_VALUE: "unexpected value {value} for {arg}", "valor inesperado {value} para {arg}";
    USAGE_TWICE: "{arg} cannot be given more than once", "{arg} no se puede dar más de una vez";
    USAGE_NO_COMMAND: "a command is needed: {names}", "falta un comando: {names}";
    USAGE_OTHER: "the command line could not be read: {detail}", "no se pudo leer la línea de comandos: {detail}";
    USAGE_MORE: "For more information, try `{command} --help`.", "Para más información, pruebe `{command} --help`.";
}
