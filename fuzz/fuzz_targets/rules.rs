//! The identifier and record rules on arbitrary text: no panic, and normalising is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal_core::ecuador::check_number;
use patronal_core::rules::{Fields, check_record};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1f}');
    let mut next = || parts.next().unwrap_or_default();
    let (id, ruc, suc, email, status, first, key, kind, id_type) =
        (next(), next(), next(), next(), next(), next(), next(), next(), next());
    let checked = check_record(&Fields {
        id,
        ruc,
        sucursal: Some(suc),
        email: Some(email),
        ruc_status: Some(status),
        first_time: Some(first),
        has_key: Some(key),
        employer_type: Some(kind),
        id_type: Some(id_type),
        registry: None,
    });
    let _ = checked.verdict();
    let number = check_number(&text);
    // A valid number normalises to itself.
    if number.is_valid() && !number.value.is_empty() {
        let again = check_number(&number.value);
        assert_eq!(again.value, number.value);
    }
});
