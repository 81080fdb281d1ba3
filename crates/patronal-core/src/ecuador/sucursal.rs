//! The IESS branch number ("sucursal"): 4 digits, `0001` for the head office.

use super::Value;
use super::normalize::{Cleaned, clean, is_ascii_digits};
use crate::finding::{Code, Field, Finding};

/// The sucursal assumed when the roster has none.
pub(crate) const HEAD_OFFICE: &str = "0001";

/// Checks a sucursal cell; `None` means the roster has no sucursal column. Returns the
/// normalised value (padded to 4 digits), or the trimmed raw text when it is unusable.
pub(crate) fn check_sucursal(raw: Option<&str>, out: &mut Vec<Finding>) -> Value {
    let value = match raw.map(clean) {
        None | Some(Cleaned::Empty) => {
            out.push(Finding::new(Code::SucursalAssumed));
            return Value::const_new(HEAD_OFFICE);
        }
        Some(Cleaned::Scientific) => {
            let raw = raw.unwrap_or_default().trim();
            out.push(Finding::with_detail(Code::ExcelScientific, raw).on(Field::Sucursal));
            return raw.into();
        }
        Some(Cleaned::Value(v)) => v,
    };
    if is_ascii_digits(&value) && value.len() <= 4 && value.bytes().any(|b| b != b'0') {
        if value.len() < 4 {
            out.push(Finding::new(Code::SucursalPadded));
        }
        return super::zero_pad(&value, 4);
    }
    out.push(Finding::new(Code::SucursalFormat));
    value.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(raw: Option<&str>) -> (String, Vec<&'static str>) {
        let mut out = Vec::new();
        let v = check_sucursal(raw, &mut out);
        (v.to_string(), out.iter().map(|f| f.code.name()).collect())
    }

    #[test]
    fn padding_and_assumption() {
        assert_eq!(codes(Some("0001")), ("0001".into(), vec![]));
        assert_eq!(codes(Some("1")), ("0001".into(), vec!["SUCURSAL_PADDED"]));
        assert_eq!(codes(Some("001")), ("0001".into(), vec!["SUCURSAL_PADDED"]));
        assert_eq!(codes(Some("12")), ("0012".into(), vec!["SUCURSAL_PADDED"]));
        assert_eq!(codes(Some("1.0")), ("0001".into(), vec!["SUCURSAL_PADDED"]));
        assert_eq!(codes(Some(" ")), ("0001".into(), vec!["SUCURSAL_ASSUMED"]));
        assert_eq!(codes(None), ("0001".into(), vec!["SUCURSAL_ASSUMED"]));
    }

    #[test]
    fn format_errors() {
        for bad in ["0000", "0", "00001", "12345", "A1", "matriz"] {
            assert_eq!(codes(Some(bad)).1, ["SUCURSAL_FORMAT"], "{bad}");
        }
        assert_eq!(codes(Some("1E+3")).1, ["EXCEL_SCIENTIFIC"]);
    }
}
