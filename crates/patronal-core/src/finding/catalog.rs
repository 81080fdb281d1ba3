//! The finding catalog: every code, with its severity, the field it concerns, the English and
//! Spanish message and a hint on how to fix it. `patronal codes` and the README table are
//! printed from this one table.

use serde::Serialize;

use super::Lang;

/// How much a finding matters. The worst severity of a record decides its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational: the record stays ready.
    Warning,
    /// The portal will likely send the employer to finish in person.
    InPerson,
    /// The portal will stop the record at "Validar": the data must be fixed.
    Error,
}

impl Severity {
    /// The word reports for programs use: `warning`, `in_person`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::InPerson => "in_person",
            Severity::Error => "error",
        }
    }

    /// The word people read (the terminal, the workbook); reports for programs keep
    /// [`Severity::as_str`].
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Warning, Lang::En) => "warning",
            (Severity::InPerson, Lang::En) => "in person",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Es) => "aviso",
            (Severity::InPerson, Lang::Es) => "presencial",
            (Severity::Error, Lang::Es) => "error",
        }
    }
}

/// A roster field: a column a roster may have (read by header, `--map field=Header`), and
/// what a finding concerns. One enum for both, so that a finding names the column its cell
/// is in; [`Field::Row`] is the row as a whole, never a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The employer's identification, cédula or foreigner code (`ID_*`). Required.
    Id,
    /// The RUC (`RUC_*` save the status codes, `DOMESTIC_RUC_FORMAT`, `DUPLICATE_EMPLOYER`).
    /// Required.
    Ruc,
    /// The IESS branch number (`SUCURSAL_*`, `DOMESTIC_SUCURSAL`); `0001` is assumed when it
    /// is blank or absent.
    Sucursal,
    /// The e-mail registered at IESS (`EMAIL_*`).
    Email,
    /// The RUC's status at the SRI, from the roster or the SRI catastro (`RUC_NOT_ACTIVE`,
    /// `RUC_STATUS_*`).
    RucStatus,
    /// Yes when the employer asks for the key for the first time (`FIRST_KEY`,
    /// `VALUE_UNPARSEABLE`).
    FirstTime,
    /// Whether the employer already has a key: no means a first registration (`FIRST_KEY`,
    /// `VALUE_UNPARSEABLE` raised on it).
    HasKey,
    /// The kind of employer; the checks only ask whether it says domestic service.
    EmployerType,
    /// The kind of identification: a foreigner code (extranjero, pasaporte) or a cédula.
    IdType,
    /// The employer's name (razón social), for the terminal table and the reports.
    Name,
    /// The row as a whole (`ROW_MALFORMED`): a finding's field, never a column.
    Row,
}

impl Field {
    /// Every column a roster may have, required ones first (reports use their own order).
    pub const ALL: [Field; 10] = [
        Field::Id,
        Field::Ruc,
        Field::Sucursal,
        Field::Email,
        Field::RucStatus,
        Field::FirstTime,
        Field::HasKey,
        Field::EmployerType,
        Field::IdType,
        Field::Name,
    ];

    /// The field's name in reports and in `--map field=Header` (`ruc_status`, `row`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Ruc => "ruc",
            Field::Sucursal => "sucursal",
            Field::Email => "email",
            Field::RucStatus => "ruc_status",
            Field::FirstTime => "first_time",
            Field::HasKey => "has_key",
            Field::EmployerType => "employer_type",
            Field::IdType => "id_type",
            Field::Name => "name",
            Field::Row => "row",
        }
    }

    /// The column named `name` exactly, as [`Field::as_str`] spells it.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// One entry of the catalog.
#[derive(Debug)]
pub struct CodeInfo {
    /// The code itself.
    pub code: Code,
    /// Its stable name, as reports print it (`ID_CHECKSUM`).
    pub name: &'static str,
    /// What a finding with this code does to the record's status.
    pub severity: Severity,
    /// The field its findings concern, unless a finding says otherwise.
    pub field: Field,
    /// The English message; `{}` is where the finding's detail goes.
    pub message_en: &'static str,
    /// The Spanish message; `{}` is where the finding's detail goes.
    pub message_es: &'static str,
    /// How to fix it, in English.
    pub hint_en: &'static str,
    /// How to fix it, in Spanish.
    pub hint_es: &'static str,
}

impl CodeInfo {
    /// The message in `lang`, with its `{}` unfilled ([`Finding::message`] fills it).
    ///
    /// [`Finding::message`]: super::Finding::message
    pub fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.message_en,
            Lang::Es => self.message_es,
        }
    }

    /// The message in `lang` said of the code rather than of one finding, its detail shown
    /// as "…" (the summaries, `patronal codes`, the page's table of codes).
    pub fn generic_message(&self, lang: Lang) -> String {
        self.message(lang).replace("{}", "…")
    }

    /// The hint in `lang`.
    pub fn hint(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.hint_en,
            Lang::Es => self.hint_es,
        }
    }
}

macro_rules! catalog {
    ($( $variant:ident $name:literal $sev:ident $field:ident
        en $men:literal es $mes:literal
        hint $hen:literal $hes:literal; )*) => {
        /// A stable finding code. Reports print its `name` (`ID_CHECKSUM`), never the variant.
        /// Each variant's doc is its name and English message; `{}` is where the finding's
        /// detail goes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = concat!("`", $name, "`: ", $men)] $variant),* }

        /// Every code, in the order of the catalog.
        pub static CATALOG: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code::$variant,
                name: $name,
                severity: Severity::$sev,
                field: Field::$field,
                message_en: $men,
                message_es: $mes,
                hint_en: $hen,
                hint_es: $hes,
            }),*
        ];
    };
}

impl Code {
    /// Its entry in the [`CATALOG`].
    pub fn info(self) -> &'static CodeInfo {
        &CATALOG[self as usize]
    }

    /// Its stable name (`ID_CHECKSUM`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Its severity, from the catalog.
    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// Looks a code up by its stable name (`"ID_CHECKSUM"`).
    pub fn from_name(name: &str) -> Option<Code> {
        CATALOG.iter().find(|c| c.name == name).map(|c| c.code)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

// A message containing `{}` has the finding's detail put there; otherwise the detail, if
// any, is appended in parentheses.
catalog! {
    IdMissing "ID_MISSING" Error Id
        en "The employer's identification is empty"
        es "La identificación del empleador está vacía"
        hint "Enter the employer's cédula (10 digits) or IESS foreigner code"
             "Ingrese la cédula (10 dígitos) o el código de extranjero del IESS";
    IdFormat "ID_FORMAT" Error Id
        en "The identification is not a cédula (10 digits) nor a foreigner code"
        es "La identificación no es una cédula (10 dígitos) ni un código de extranjero"
        hint "Check the digits; a RUC goes in the RUC column, not here"
             "Revise los dígitos; el RUC va en su propia columna, no aquí";
    IdProvince "ID_PROVINCE" Error Id
        en "The cédula's province (first two digits) does not exist"
        es "La provincia de la cédula (dos primeros dígitos) no existe"
        hint "Provinces are 01-24 and 30; check for a typo"
             "Las provincias son 01-24 y 30; revise si hay un error de digitación";
    IdProvinceUnusual "ID_PROVINCE_UNUSUAL" Warning Id
        en "Cédula province 50 is unusual (used for some foreign residents)"
        es "La provincia 50 en la cédula es inusual (se usa para algunos residentes extranjeros)"
        hint "Confirm the number against the document"
             "Confirme el número con el documento";
    IdThirdDigit "ID_THIRD_DIGIT" Error Id
        en "The cédula's third digit must be 0 to 6"
        es "El tercer dígito de la cédula debe estar entre 0 y 6"
        hint "A third digit 6 or 9 is a RUC of an entity, not a cédula; check the column"
             "Un tercer dígito 6 o 9 corresponde a un RUC de entidad, no a una cédula; revise la columna";
    IdChecksum "ID_CHECKSUM" Error Id
        en "The cédula's check digit does not match"
        es "El dígito verificador de la cédula no coincide"
        hint "One digit is wrong or two are swapped; copy it again from the document"
             "Un dígito está errado o hay dos invertidos; cópielo de nuevo del documento";
    IdForeignUnverified "ID_FOREIGN_UNVERIFIED" Warning Id
        en "Foreigner code: its format is not published, so it cannot be verified"
        es "Código de extranjero: su formato no es público y no se puede verificar"
        hint "Make sure it is the code IESS issued, exactly as IESS shows it"
             "Asegúrese de que sea el código emitido por el IESS, tal como el IESS lo muestra";
    IdLeadingZeroRestored "ID_LEADING_ZERO_RESTORED" Warning Id
        en "The cédula had lost its leading zero (Excel); it was restored"
        es "La cédula había perdido el cero inicial (Excel); se restauró"
        hint "Format the column as text in the roster so the zero is kept"
             "Dé formato de texto a la columna en la nómina para conservar el cero";
    IdCharactersRemoved "ID_CHARACTERS_REMOVED" Warning Id
        en "Characters were removed from the identification: {}"
        es "Se quitaron caracteres de la identificación: {}"
        hint "Check the number against the document: a sign or a stray character often means a damaged cell"
             "Compare el número con el documento: un signo o un carácter suelto suele indicar una celda dañada";
    RucMissing "RUC_MISSING" Error Ruc
        en "The RUC is empty"
        es "El RUC está vacío"
        hint "Enter the employer's 13-digit RUC"
             "Ingrese el RUC de 13 dígitos del empleador";
    RucFormat "RUC_FORMAT" Error Ruc
        en "The RUC is not 13 digits"
        es "El RUC no tiene 13 dígitos"
        hint "Check the digits; the RUC ends in the establishment number (001)"
             "Revise los dígitos; el RUC termina en el número de establecimiento (001)";
    RucConsumidorFinal "RUC_CONSUMIDOR_FINAL" Error Ruc
        en "9999999999999 is \"consumidor final\", not a taxpayer"
        es "9999999999999 es \"consumidor final\", no un contribuyente"
        hint "Enter the employer's real RUC"
             "Ingrese el RUC real del empleador";
    RucProvince "RUC_PROVINCE" Error Ruc
        en "The RUC's province (first two digits) does not exist"
        es "La provincia del RUC (dos primeros dígitos) no existe"
        hint "Provinces are 01-24 and 30; check for a typo"
             "Las provincias son 01-24 y 30; revise si hay un error de digitación";
    RucProvinceUnusual "RUC_PROVINCE_UNUSUAL" Warning Ruc
        en "RUC province 50 is unusual"
        es "La provincia 50 en el RUC es inusual"
        hint "Confirm the RUC at the SRI"
             "Confirme el RUC en el SRI";
    RucThirdDigit "RUC_THIRD_DIGIT" Error Ruc
        en "The RUC's third digit must be 0-5 (person), 6 (public entity) or 9 (company)"
        es "El tercer dígito del RUC debe ser 0-5 (persona), 6 (entidad pública) o 9 (sociedad)"
        hint "Check for a typo in the first three digits"
             "Revise los tres primeros dígitos";
    RucChecksum "RUC_CHECKSUM" Error Ruc
        en "The RUC's check digit does not match: it is probably mistyped"
        es "El dígito verificador del RUC no coincide: probablemente está mal digitado"
        hint "Copy the RUC again from the SRI certificate; a person's RUC is the cédula followed by 001"
             "Copie de nuevo el RUC del certificado del SRI; el RUC de una persona es la cédula seguida de 001";
    RucCheckUnverifiable "RUC_CHECK_UNVERIFIABLE" Warning Ruc
        en "Company or public-entity RUC whose check digit does not verify (the SRI no longer uses a formula)"
        es "RUC de sociedad o entidad pública cuyo dígito verificador no cumple (el SRI ya no usa una fórmula)"
        hint "Confirm it at the SRI, or load the SRI catastro (--catastro)"
             "Confírmelo en el SRI, o cargue el catastro del SRI (--catastro)";
    RucEstablishment "RUC_ESTABLISHMENT" Error Ruc
        en "The RUC's establishment number cannot be 000"
        es "El número de establecimiento del RUC no puede ser 000"
        hint "A RUC ends in 001 (0001 for public entities); 000 is only for domestic-service employers"
             "Un RUC termina en 001 (0001 en entidades públicas); 000 es solo para empleadores de servicio doméstico";
    RucEstablishmentUnusual "RUC_ESTABLISHMENT_UNUSUAL" Warning Ruc
        en "The RUC's establishment number is not 001 (0001): unusual, the RUC ends in the head office's number"
        es "El número de establecimiento del RUC no es 001 (0001): inusual, el RUC termina en el de la matriz"
        hint "Use 001 in the RUC and put the branch in the sucursal column"
             "Use 001 en el RUC y ponga la sucursal en su propia columna";
    RucLeadingZeroRestored "RUC_LEADING_ZERO_RESTORED" Warning Ruc
        en "The RUC had lost its leading zero (Excel); it was restored"
        es "El RUC había perdido el cero inicial (Excel); se restauró"
        hint "Format the column as text in the roster so the zero is kept"
             "Dé formato de texto a la columna en la nómina para conservar el cero";
    RucCharactersRemoved "RUC_CHARACTERS_REMOVED" Warning Ruc
        en "Characters were removed from the RUC: {}"
        es "Se quitaron caracteres del RUC: {}"
        hint "Check the RUC against the SRI certificate: a sign or a stray character often means a damaged cell"
             "Compare el RUC con el certificado del SRI: un signo o un carácter suelto suele indicar una celda dañada";
    RucIdMismatch "RUC_ID_MISMATCH" Error Ruc
        en "The RUC of a natural person must start with the employer's cédula"
        es "El RUC de persona natural debe empezar con la cédula del empleador"
        hint "Check both numbers: one of them belongs to someone else"
             "Revise ambos números: uno de ellos es de otra persona";
    RucNotRegistered "RUC_NOT_REGISTERED" Error Ruc
        en "Unverifiable company or public RUC that is not in the SRI catastro"
        es "RUC de sociedad o entidad pública no verificable que no consta en el catastro del SRI"
        hint "Check the RUC at the SRI: it is probably mistyped"
             "Consulte el RUC en el SRI: probablemente está mal digitado";
    RucNotInCatastro "RUC_NOT_IN_CATASTRO" Warning Ruc
        en "The RUC is not in the loaded SRI catastro"
        es "El RUC no consta en el catastro del SRI cargado"
        hint "The catastro may be older than the RUC; confirm it at the SRI"
             "El catastro puede ser anterior al RUC; confírmelo en el SRI";
    RucProvinceNotLoaded "RUC_PROVINCE_NOT_LOADED" Warning Ruc
        en "The loaded SRI catastro does not cover the RUC's province: load {}"
        es "El catastro del SRI cargado no cubre la provincia del RUC: cargue {}"
        hint "Download that province's file from the SRI (Datos abiertos) and add it with --catastro; until then the RUC's status is not checked"
             "Descargue el archivo de esa provincia del SRI (Datos abiertos) y agréguelo con --catastro; mientras tanto no se revisa el estado del RUC";
    RucNotActive "RUC_NOT_ACTIVE" InPerson RucStatus
        en "The RUC is not active at the SRI ({})"
        es "El RUC no está activo en el SRI ({})"
        hint "Reactivate the RUC at the SRI first; IESS will ask for an in-person visit"
             "Reactive primero el RUC en el SRI; el IESS pedirá acudir en persona";
    RucStatusUnknown "RUC_STATUS_UNKNOWN" Warning RucStatus
        en "Unknown RUC status: {}"
        es "Estado de RUC desconocido: {}"
        hint "Use the SRI's words: ACTIVO, SUSPENDIDO, PASIVO, CERRADO"
             "Use los términos del SRI: ACTIVO, SUSPENDIDO, PASIVO, CERRADO";
    RucStatusConflict "RUC_STATUS_CONFLICT" Warning RucStatus
        en "The roster's RUC status disagrees with the SRI catastro ({}); the catastro wins"
        es "El estado del RUC en la nómina no coincide con el catastro del SRI ({}); prevalece el catastro"
        hint "Update the status in the roster"
             "Actualice el estado en la nómina";
    ExcelScientific "EXCEL_SCIENTIFIC" Error Id
        en "The number is in scientific notation ({}): Excel has lost digits"
        es "El número está en notación científica ({}): Excel perdió dígitos"
        hint "Re-export the column as text from the original source"
             "Vuelva a exportar la columna como texto desde el origen";
    DomesticRucFormat "DOMESTIC_RUC_FORMAT" Error Ruc
        en "Domestic-service employer: the RUC must be the cédula followed by 000"
        es "Empleador de servicio doméstico: el RUC debe ser la cédula seguida de 000"
        hint "Use cédula + 000, not the SRI RUC (cédula + 001)"
             "Use cédula + 000, no el RUC del SRI (cédula + 001)";
    DomesticSucursal "DOMESTIC_SUCURSAL" Error Sucursal
        en "Domestic-service employer: the sucursal must be 0001"
        es "Empleador de servicio doméstico: la sucursal debe ser 0001"
        hint "Set the sucursal to 0001"
             "Ponga la sucursal 0001";
    SucursalPadded "SUCURSAL_PADDED" Warning Sucursal
        en "The sucursal was padded to 4 digits"
        es "La sucursal se completó a 4 dígitos"
        hint "Write the sucursal with 4 digits (0001)"
             "Escriba la sucursal con 4 dígitos (0001)";
    SucursalFormat "SUCURSAL_FORMAT" Error Sucursal
        en "The sucursal must be 1 to 4 digits, not all zero"
        es "La sucursal debe tener de 1 a 4 dígitos, no todos cero"
        hint "The head office is 0001; see the branch number in IESS"
             "La matriz es 0001; vea el número de sucursal en el IESS";
    SucursalAssumed "SUCURSAL_ASSUMED" Warning Sucursal
        en "No sucursal given: 0001 (head office) assumed"
        es "Sin sucursal: se asume 0001 (matriz)"
        hint "Add the sucursal if the employer has branches"
             "Agregue la sucursal si el empleador tiene varias";
    EmailMissing "EMAIL_MISSING" InPerson Email
        en "No e-mail: IESS sends the recovery link by e-mail"
        es "Sin correo: el IESS envía el enlace de recuperación por correo"
        hint "Get the e-mail registered at IESS, or plan the in-person visit"
             "Obtenga el correo registrado en el IESS, o planifique la visita presencial";
    EmailInvalid "EMAIL_INVALID" InPerson Email
        en "The e-mail is not a valid address"
        es "El correo no es una dirección válida"
        hint "Correct the address (name@domain.com)"
             "Corrija la dirección (nombre@dominio.com)";
    EmailPlaceholder "EMAIL_PLACEHOLDER" InPerson Email
        en "The e-mail is a filler, not a mailbox"
        es "El correo es un relleno, no un buzón real"
        hint "Get the employer's real e-mail"
             "Obtenga el correo real del empleador";
    EmailDomainTypo "EMAIL_DOMAIN_TYPO" InPerson Email
        en "The e-mail domain looks misspelt: did you mean {}?"
        es "El dominio del correo parece mal escrito: ¿quiso decir {}?"
        hint "Correct the domain"
             "Corrija el dominio";
    EmailMultiple "EMAIL_MULTIPLE" Warning Email
        en "Several e-mails in one cell: only the first was checked"
        es "Varios correos en una celda: solo se revisó el primero"
        hint "Keep only the e-mail registered at IESS"
             "Deje solo el correo registrado en el IESS";
    EmailShared "EMAIL_SHARED" Warning Email
        en "Same e-mail as row {}, which has a different RUC"
        es "Mismo correo que la fila {}, que tiene otro RUC"
        hint "IESS needs the employer's own e-mail, not the accountant's"
             "El IESS requiere el correo propio del empleador, no el del contador";
    FirstKey "FIRST_KEY" InPerson FirstTime
        en "First key for this employer: IESS requires an in-person visit"
        es "Primera clave del empleador: el IESS exige acudir en persona"
        hint "Book the visit at an IESS attention center"
             "Agende la visita en un centro de atención del IESS";
    ValueUnparseable "VALUE_UNPARSEABLE" Warning FirstTime
        en "Not a yes/no value: {}"
        es "No es un valor sí/no: {}"
        hint "Use sí or no"
             "Use sí o no";
    RowMalformed "ROW_MALFORMED" Error Row
        en "The row is malformed ({})"
        es "La fila está mal formada ({})"
        hint "Check the file for stray delimiters or quotes"
             "Revise el archivo por separadores o comillas sueltas";
    DuplicateEmployer "DUPLICATE_EMPLOYER" Warning Ruc
        en "Same RUC and sucursal as row {}"
        es "Mismo RUC y sucursal que la fila {}"
        hint "Remove the repeated row"
             "Elimine la fila repetida";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_indexed_by_code() {
        for (i, info) in CATALOG.iter().enumerate() {
            assert_eq!(info.code as usize, i, "{}", info.name);
            assert_eq!(Code::from_name(info.name), Some(info.code));
        }
    }

    #[test]
    fn names_are_unique_upper_snake_case() {
        let mut names: Vec<_> = CATALOG.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATALOG.len());
        for n in names {
            assert!(n.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{n}");
        }
    }

    #[test]
    fn every_code_has_both_languages() {
        for c in CATALOG {
            for text in [c.message_en, c.message_es, c.hint_en, c.hint_es] {
                assert!(!text.trim().is_empty(), "{}", c.name);
            }
            assert_eq!(
                c.message_en.contains("{}"),
                c.message_es.contains("{}"),
                "{}: placeholders differ between languages",
                c.name
            );
        }
    }
}
