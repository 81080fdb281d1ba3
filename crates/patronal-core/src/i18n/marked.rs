//! The marked copy of a roster (`--marked`): its verdict columns, notes and suggested
//! values, and what the run says about the copies.

texts! {
    // The verdict columns appended after the roster's last column, on its header row.
    MARKED_RESULT: "Result", "Resultado";
    MARKED_REASONS: "Reasons", "Motivos";
    MARKED_FIX: "How to fix", "Cómo corregir";
    MARKED_SUGGESTED: "Suggested value", "Valor sugerido";
    /// In a cell's note, before the hint.
    MARKED_NOTE_FIX: "How to fix: {hint}", "Cómo corregir: {hint}";
    /// A suggested value: the column's header, the value, why.
    MARKED_SUGGESTION: "{column}: {value} ({why})", "{column}: {value} ({why})";
    WHY_ZERO_RESTORED: "leading zero restored", "cero inicial restaurado";
    WHY_SUCURSAL_PADDED: "padded to 4 digits", "completada a 4 dígitos";
    WHY_DOMESTIC_RUC: "domestic service: the cédula followed by 000", "servicio doméstico: la cédula seguida de 000";
    WHY_DOMESTIC_SUCURSAL: "domestic service: sucursal 0001", "servicio doméstico: sucursal 0001";
    WHY_EMAIL_PROVIDER: "known provider, misspelt as {domain}", "proveedor conocido, escrito {domain}";
    WHY_SCIENTIFIC: "probable: the employer's cédula followed by 001; Excel had turned the RUC into {raw}",
        "probable: la cédula del empleador seguida de 001; Excel había convertido el RUC en {raw}";
    /// The note on cell A1 of the first sheet of a values-only copy.
    MARKED_VALUES_ONLY: "patronal: a marked copy of {name}, values only: a {format} roster cannot be edited in place, so this workbook holds its cells as text at the same addresses, without formats or formulas. The verdict columns are after the roster's last column.",
        "patronal: copia marcada de {name}, solo valores: una nómina {format} no se puede editar en su lugar, así que este libro tiene sus celdas como texto en las mismas direcciones, sin formatos ni fórmulas. Las columnas del veredicto están después de la última columna de la nómina.";

    // The page's download: one roster's copy, or a zip of several.
    MARKED_DOWNLOAD_ONE: "{stem} (marked).{ext}", "{stem} (marcada).{ext}";
    MARKED_DOWNLOAD_ZIP: "marked rosters.zip", "nominas marcadas.zip";

    // The run.
    MARKED_COLLISION: "patronal: note: {path} would be marked as {taken}, like {other}: its copy is {name}",
        "patronal: nota: {path} se marcaría como {taken}, igual que {other}: su copia es {name}";
    MARKED_WROTE: "Marked copies: {list}", "Copias marcadas: {list}";
    MARKED_NEEDS_FILE: "{path}: --marked needs roster files: standard input and pipes cannot be read a second time for the copy",
        "{path}: --marked necesita nóminas en archivos: la entrada estándar y las tuberías no se pueden leer una segunda vez para la copia";
    MARKED_FILE_ONE_ROSTER: "{path}: a marked copy named as a file is for one roster: use --marked DIR for several",
        "{path}: una copia marcada con nombre de archivo es para una nómina: use --marked CARPETA para varias";
    MARKED_NOT_FOLDER: "{path}: --marked needs a folder, and this is a file", "{path}: --marked necesita una carpeta, y esto es un archivo";
    MARKED_CANNOT_EDIT: "{path}: the workbook could not be edited in place ({detail}): its marked copy holds the values only",
        "{path}: el libro no se pudo editar en su lugar ({detail}): su copia marcada tiene solo los valores";
}
