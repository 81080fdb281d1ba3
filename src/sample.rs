//! Synthetic rosters for samples, demos, tests and benchmarks: generated employers with a
//! realistic mix of ready, invalid and in-person records. Every identifier is computed from
//! a seeded generator; none is a real person's.
//!
//! Employers are drawn from a fixed population ([`POPULATION`]), as real rosters are: a
//! roster larger than that repeats employers, which is what the batch checks and the
//! benchmarks at 10 million records see.

use std::io::{self, Write};

use patronal_core::ecuador::{check_digit, company_check_digit, public_check_digit};
use patronal_core::finding::Verdict;

/// How many distinct employers a generated roster draws from: the order of magnitude of the
/// employers registered in Ecuador.
pub(crate) const POPULATION: u64 = 500_000;

/// One generated employer, as a roster would hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Employer {
    /// The employer's name, or company name.
    pub name: String,
    /// The identification as the roster holds it.
    pub id: String,
    /// The RUC as the roster holds it.
    pub ruc: String,
    /// The sucursal as the roster holds it.
    pub sucursal: String,
    /// The e-mail: wrong or missing on purpose for some employers.
    pub email: String,
    /// The RUC status column (`ACTIVO`, other SRI words, or empty).
    pub ruc_status: String,
    /// `sí` (a first key), `no` or empty.
    pub first_time: String,
    /// The employer type word.
    pub employer_type: String,
    /// The status the rules must give this record on its own (batch checks aside).
    pub expected: Verdict,
}

impl Employer {
    /// The employer's cells as the record rules take them.
    #[allow(dead_code, reason = "used by the tests and the rules' benchmarks")]
    pub fn fields(&self) -> patronal_core::rules::Fields<'_> {
        patronal_core::rules::Fields {
            id: &self.id,
            ruc: &self.ruc,
            sucursal: Some(&self.sucursal),
            email: Some(&self.email),
            ruc_status: Some(&self.ruc_status),
            first_time: Some(&self.first_time),
            employer_type: Some(&self.employer_type),
            ..patronal_core::rules::Fields::default()
        }
    }
}

/// The layout of a generated CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// UTF-8, `,`, LF, the header on line 1.
    Utf8,
    /// What Excel writes on a Spanish Windows: `;`, CRLF, Windows-1252, a title line and a
    /// blank line above the header, a running number in the first column.
    ExcelSpanish,
}

/// SplitMix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

const FIRST: &[&str] = &[
    "María",
    "José",
    "Ana",
    "Luis",
    "Sofía",
    "Andrés",
    "Verónica",
    "Iván",
    "Lucía",
    "Martín",
    "Mónica",
    "Raúl",
    "Inés",
    "Jesús",
    "Begoña",
    "Tomás",
];
const LAST: &[&str] = &[
    "Pérez",
    "Núñez",
    "Muñoz",
    "Álvarez",
    "Chávez",
    "Guzmán",
    "Cevallos",
    "Zambrano",
    "Mendoza",
    "Vélez",
    "Ibáñez",
    "Andrade",
    "Ordóñez",
    "Peña",
    "Jácome",
    "Yépez",
];
const COMPANY: &[&str] = &[
    "Comercial {} S.A.",
    "Ferretería {} Cía. Ltda.",
    "Distribuidora {} & Asociados",
    "Constructora {} S.A.",
    "Panadería \"{}\"",
    "Transportes {}, Hijos y Cía.",
];
const CANTON: &[&str] = &[
    "Cuenca",
    "Loja",
    "Machala",
    "Ambato",
    "Riobamba",
    "Ibarra",
    "Portoviejo",
    "Santa Elena",
];
const PROVIDERS: &[&str] = &["gmail.com", "hotmail.com", "outlook.com", "yahoo.es"];

#[derive(Clone, Copy)]
enum Kind {
    Natural,
    Company,
    Public,
    Domestic,
}

fn province(rng: &mut Rng) -> u64 {
    1 + rng.below(24)
}

fn cedula(rng: &mut Rng) -> String {
    let mut s = format!("{:02}{}{}", province(rng), rng.below(6), rng.digits(6));
    s.push(char::from(b'0' + check_digit(s.as_bytes())));
    s
}

fn company_ruc(rng: &mut Rng) -> String {
    loop {
        let head = format!("{:02}9{}", province(rng), rng.digits(6));
        if let Some(c) = company_check_digit(head.as_bytes()) {
            return format!("{head}{c}001");
        }
    }
}

fn public_ruc(rng: &mut Rng) -> String {
    loop {
        let head = format!("{:02}6{}", province(rng), rng.digits(5));
        if let Some(c) = public_check_digit(head.as_bytes()) {
            return format!("{head}{c}0001");
        }
    }
}

/// `1.79001E+12`, as Excel shows a 13-digit number.
fn scientific(ruc: &str) -> String {
    let digits = ruc.trim_start_matches('0');
    format!("{}.{}E+{}", &digits[..1], &digits[1..6], digits.len() - 1)
}

fn slug(name: &str) -> String {
    patronal_core::text::fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect()
}

/// The `k`-th employer of the population for `seed`: the same arguments give the same
/// employer, so a roster larger than the population repeats employers exactly.
pub(crate) fn employer(seed: u64, k: u64) -> Employer {
    let mut rng = Rng(seed ^ k.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    rng.next();
    let kind = match rng.below(100) {
        0..55 => Kind::Natural,
        55..85 => Kind::Company,
        85..90 => Kind::Public,
        _ => Kind::Domestic,
    };
    let owner = cedula(&mut rng);
    let person = format!("{} {} {}", rng.pick(FIRST), rng.pick(LAST), rng.pick(LAST));
    let (name, ruc, employer_type) = match kind {
        Kind::Natural => (person, format!("{owner}001"), "Persona natural"),
        Kind::Company => {
            let name = rng.pick(COMPANY).replace("{}", rng.pick(LAST));
            (name, company_ruc(&mut rng), "Sociedad")
        }
        Kind::Public => {
            let name = format!("GAD Municipal de {}", rng.pick(CANTON));
            (name, public_ruc(&mut rng), "Entidad pública")
        }
        Kind::Domestic => (person, format!("{owner}000"), "Servicio doméstico"),
    };
    let email = match (kind, rng.below(3)) {
        (Kind::Company | Kind::Public, 0) => format!("nomina{k}@{}.com.ec", slug(&name)),
        _ => format!("{}{k}@{}", slug(&name), rng.pick(PROVIDERS)),
    };
    let mut e = Employer {
        name,
        id: owner,
        ruc,
        sucursal: match (kind, rng.below(20)) {
            (Kind::Domestic, _) => "0001",
            (_, 0..3) => "1",
            (_, 3..5) => "",
            (Kind::Company, 5) => "0002",
            _ => "0001",
        }
        .to_owned(),
        email,
        ruc_status: rng.pick(&["ACTIVO", "ACTIVO", "ACTIVO", ""]).to_owned(),
        first_time: rng.pick(&["no", "no", ""]).to_owned(),
        employer_type: employer_type.to_owned(),
        expected: Verdict::Ready,
    };
    match rng.below(100) {
        0..70 => {
            // Excel dropped the leading zero of a Guayas-style natural RUC and cédula: only
            // warnings, still ready.
            if matches!(kind, Kind::Natural) && e.id.starts_with('0') && rng.below(10) == 0 {
                e.id.remove(0);
                e.ruc.remove(0);
            }
        }
        85.. => {
            e.expected = Verdict::InPerson;
            match rng.below(6) {
                0 => e.email.clear(),
                1 => e.email = "no tiene".to_owned(),
                2 => e.email = format!("sincorreo{k}@gmail.com"),
                3 => {
                    e.email = e
                        .email
                        .replace("@gmail.com", "@gmial.com")
                        .replace("@hotmail.com", "@hotmial.com")
                        .replace("@outlook.com", "@outlok.com")
                        .replace("@yahoo.es", "@yaho.es")
                        .replace(".com.ec", ".con")
                }
                4 => e.ruc_status = rng.pick(&["SUSPENDIDO", "PASIVO"]).to_owned(),
                _ => e.first_time = "sí".to_owned(),
            }
        }
        _ => {
            e.expected = Verdict::Invalid;
            match (kind, rng.below(7)) {
                (_, 0) => {
                    // One digit typed wrong in the cédula.
                    let last = e.id.pop().map_or(0, |c| c as u8 - b'0');
                    e.id.push(char::from(b'0' + (last + 1) % 10));
                }
                (Kind::Natural, 1) => e.ruc = format!("{}001", cedula(&mut rng)),
                (Kind::Company, 1) => e.ruc = format!("{}000", &e.ruc[..10]),
                (_, 2) => e.ruc = scientific(&e.ruc),
                (Kind::Domestic, 3) => e.ruc = format!("{}001", e.id),
                (_, 4) => e.sucursal = "0000".to_owned(),
                (_, 5) => e.ruc.clear(),
                // A province that does not exist (typed 99).
                _ => e.id.replace_range(..2, "99"),
            }
        }
    }
    e
}

/// The employers of a roster: the population's, in a seeded order, repeating after
/// [`POPULATION`] records.
pub fn employers(seed: u64) -> impl Iterator<Item = Employer> {
    (0..).map(move |i: u64| employer(seed, i % POPULATION))
}

/// Quotes a CSV field when it holds the delimiter, a quote or a line break.
fn quoted(field: &str, delimiter: char) -> String {
    if field.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Writes a roster of `rows` employers, streaming: memory does not grow with `rows`.
pub fn write_csv(out: &mut impl Write, rows: u64, seed: u64, style: Style) -> io::Result<()> {
    let (delimiter, eol) = match style {
        Style::Utf8 => (',', "\n"),
        Style::ExcelSpanish => (';', "\r\n"),
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut line = String::new();
    let emit = |out: &mut io::BufWriter<_>, line: &str| -> io::Result<()> {
        match style {
            Style::Utf8 => out.write_all(line.as_bytes()),
            Style::ExcelSpanish => out.write_all(&encoding_rs::WINDOWS_1252.encode(line).0),
        }
    };
    match style {
        Style::Utf8 => line.push_str(
            "Razón social,Cédula,RUC,Sucursal,Correo,Estado RUC,Primera vez,Tipo empleador\n",
        ),
        Style::ExcelSpanish => line.push_str(
            "Nómina de empleadores - Estudio contable (datos generados);;;;;;;;\r\n;;;;;;;;\r\n\
             Nº;Razón social;Identificación;Nro. RUC;Sucursal;E-mail;Estado;Primera vez;Tipo\r\n",
        ),
    }
    emit(&mut out, &line)?;
    for (n, e) in employers(seed).take(rows as usize).enumerate() {
        line.clear();
        let fields = [
            &e.name,
            &e.id,
            &e.ruc,
            &e.sucursal,
            &e.email,
            &e.ruc_status,
            &e.first_time,
            &e.employer_type,
        ];
        if style == Style::ExcelSpanish {
            line.push_str(&(n + 1).to_string());
            line.push(delimiter);
        }
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(delimiter);
            }
            line.push_str(&quoted(f, delimiter));
        }
        line.push_str(eol);
        emit(&mut out, &line)?;
    }
    out.flush()
}

/// Writes a roster as Excel keeps them: identifiers stored as numbers (some with a
/// zero-padded number format that shows their leading zero, most without), a numeric
/// sucursal, a title row above the header, the employers split over `sheets` sheets (1 or
/// 2). Streams (constant-memory worksheets): a sheet of Excel's maximum size fits.
pub fn write_xlsx(
    out: impl io::Write + io::Seek + Send,
    rows: u64,
    seed: u64,
    sheets: u8,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};

    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let id_format = Format::new().set_num_format("0000000000");
    let ruc_format = Format::new().set_num_format("0000000000000");
    let header = [
        "Razón social",
        "Cédula",
        "RUC",
        "Sucursal",
        "Correo",
        "Estado RUC",
        "Primera vez",
        "Tipo empleador",
    ];
    let first = if sheets > 1 { rows.div_ceil(2) } else { rows };
    let mut employers = employers(seed);
    let split = [("Clientes", first), ("Nuevos clientes", rows - first)];
    for &(sheet, count) in &split[..usize::from(sheets.clamp(1, 2))] {
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet)?;
        ws.write_string_with_format(0, 0, "Nómina de empleadores (datos generados)", &bold)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &bold)?;
        }
        for i in 0..count {
            let e = employers.next().expect("employers never end");
            let r = 3 + i as u32;
            let padded = i % 3 == 0;
            for (c, (value, format)) in [
                (&e.name, None),
                (&e.id, padded.then_some(&id_format)),
                (&e.ruc, padded.then_some(&ruc_format)),
                (&e.sucursal, None),
                (&e.email, None),
                (&e.ruc_status, None),
                (&e.first_time, None),
                (&e.employer_type, None),
            ]
            .into_iter()
            .enumerate()
            {
                let c = c as u16;
                let numeric = (1..=3).contains(&c) && is_digits(value) && value.len() <= 15;
                match (numeric, format) {
                    (true, Some(f)) => ws.write_number_with_format(
                        r,
                        c,
                        value.parse::<f64>().unwrap_or_default(),
                        f,
                    )?,
                    (true, None) => {
                        ws.write_number(r, c, value.parse::<f64>().unwrap_or_default())?
                    }
                    (false, _) if value.is_empty() => ws,
                    (false, _) => ws.write_string(r, c, value)?,
                };
            }
        }
    }
    book.save_to_writer(out)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The SRI catastro's header, verbatim: 21 columns.
pub const CATASTRO_HEADER: &str = "NUMERO_RUC|RAZON_SOCIAL|CODIGO_JURISDICCION|ESTADO_CONTRIBUYENTE|\
CLASE_CONTRIBUYENTE|FECHA_INICIO_ACTIVIDADES|FECHA_ACTUALIZACION|FECHA_SUSPENSION_DEFINITIVA|\
FECHA_REINICIO_ACTIVIDADES|OBLIGADO|TIPO_CONTRIBUYENTE|NUMERO_ESTABLECIMIENTO|\
NOMBRE_FANTASIA_COMERCIAL|ESTADO_ESTABLECIMIENTO|DESCRIPCION_PROVINCIA_EST|\
DESCRIPCION_CANTON_EST|DESCRIPCION_PARROQUIA_EST|CODIGO_CIIU|ACTIVIDAD_ECONOMICA|\
AGENTE_RETENCION|ESPECIAL";

/// Writes a synthetic SRI catastro in the layout the SRI publishes (its 21-column header,
/// `|`-delimited, CRLF, uppercase names, a field quoted only when it holds a `|`) covering
/// the RUCs of the first `rows` employers of `seed`: the roster `write_csv(rows, seed)`
/// writes checks against it. Most are `ACTIVO`, some `SUSPENDIDO` or `PASIVO`, one in 25
/// absent; one in five has a second establishment. `TIPO_CONTRIBUYENTE` is `PERSONA
/// NATURAL` for a RUC read as a person's, `SOCIEDAD` otherwise.
pub fn write_catastro(out: &mut impl Write, rows: u64, seed: u64) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(CATASTRO_HEADER.as_bytes())?;
    out.write_all(b"\r\n")?;
    let quoted = |s: &str| {
        if s.contains('|') {
            format!("\"{s}\"")
        } else {
            s.to_owned()
        }
    };
    let mut findings = Vec::new();
    for k in 0..rows {
        // Employers past the population are new ones: the registry is larger than any roster.
        let e = employer(seed, k);
        // The employer's true RUC: the roster may show it damaged.
        let ruc = format!("{:0>13}", e.ruc);
        if !is_digits(&ruc) || ruc.len() != 13 || ruc.ends_with("000") || k % 25 == 24 {
            continue;
        }
        let status = match k % 20 {
            7 => "SUSPENDIDO",
            13 => "PASIVO",
            _ if e.ruc_status.is_empty() || e.ruc_status == "ACTIVO" => "ACTIVO",
            _ => e.ruc_status.as_str(),
        };
        findings.clear();
        let person = patronal_core::ecuador::check_ruc(&ruc, &mut findings).kind
            == patronal_core::ecuador::RucKind::Natural;
        let (kind, class, obliged) = match (person, k % 3) {
            (true, 0) => ("PERSONA NATURAL", "RMP", "N"),
            (true, 1) => ("PERSONA NATURAL", "SIM", "N"),
            (true, _) => ("PERSONA NATURAL", "GEN", "N"),
            (false, _) => ("SOCIEDAD", "GEN", "S"),
        };
        let year = 1990 + k % 34;
        let (month, day) = (1 + k % 12, 1 + k % 28);
        let started = format!("{year}-{month:02}-{day:02} 00:00:00");
        let updated = format!("{}-{month:02}-{day:02} 00:00:00", 2020 + k % 5);
        let suspended = if status == "SUSPENDIDO" {
            updated.as_str()
        } else {
            ""
        };
        let name = e.name.replace('"', "").to_uppercase();
        // Now and then a name holds a `|`, as real ones do (`"VINTIMILLA VIVAR PEDRO JOSE|"`).
        let name = if k % 7 == 0 { format!("{name}|") } else { name };
        let withholding = if person { "N" } else { "S" };
        for establishment in 1..=(1 + u64::from(k % 5 == 0)) {
            let open = if status == "ACTIVO" || establishment == 1 {
                "ABI"
            } else {
                "CER"
            };
            let trade = if establishment == 1 {
                quoted(&name)
            } else {
                quoted(&format!("{name} SUCURSAL"))
            };
            write!(
                out,
                "{ruc}|{}|ZONA 9|{status}|{class}|{started}|{updated}|{suspended}||{obliged}|{kind}|{establishment}|{trade}|{open}|PICHINCHA|QUITO|IÑAQUITO|G471101|VENTA AL POR MENOR DE ALIMENTOS EN TIENDAS|{withholding}|N\r\n",
                quoted(&name)
            )?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronal_core::rules::check_record;

    fn status(e: &Employer) -> Verdict {
        check_record(&e.fields()).verdict()
    }

    #[test]
    fn every_employer_gets_its_expected_status_and_the_mix_is_realistic() {
        for seed in [1, 42] {
            let mut counts = [0u32; 3];
            for e in employers(seed).take(20_000) {
                assert_eq!(status(&e), e.expected, "{e:?}");
                counts[e.expected as usize] += 1;
            }
            let pct = |n: u32| f64::from(n) / 200.0;
            assert!(
                (65.0..75.0).contains(&pct(counts[Verdict::Ready as usize])),
                "{counts:?}"
            );
            assert!(
                (12.0..18.0).contains(&pct(counts[Verdict::Invalid as usize])),
                "{counts:?}"
            );
            assert!(
                (12.0..18.0).contains(&pct(counts[Verdict::InPerson as usize])),
                "{counts:?}"
            );
        }
    }

    #[test]
    fn same_seed_same_bytes_and_the_population_repeats() {
        let render = |seed| {
            let mut v = Vec::new();
            write_csv(&mut v, 500, seed, Style::Utf8).unwrap();
            v
        };
        assert_eq!(render(7), render(7));
        assert_ne!(render(7), render(8));
        assert_eq!(
            employer(3, 5),
            employers(3).nth((POPULATION + 5) as usize).unwrap()
        );
    }

    #[test]
    fn styles() {
        let mut utf8 = Vec::new();
        write_csv(&mut utf8, 300, 1, Style::Utf8).unwrap();
        let text = String::from_utf8(utf8).unwrap();
        assert!(text.starts_with("Razón social,Cédula,RUC"));
        assert_eq!(
            csv::Reader::from_reader(text.as_bytes()).records().count(),
            300
        );

        let mut excel = Vec::new();
        write_csv(&mut excel, 300, 1, Style::ExcelSpanish).unwrap();
        assert!(
            std::str::from_utf8(&excel).is_err(),
            "Windows-1252, not UTF-8"
        );
        let text = encoding_rs::WINDOWS_1252.decode(&excel).0;
        assert!(text.starts_with("Nómina de empleadores"));
        assert!(text.contains("\r\nNº;Razón social;Identificación;Nro. RUC"));
        assert_eq!(text.matches("\r\n").count(), 303);
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
