//! `patronal` in the browser: a thin wasm-bindgen layer over `patronal-core`. The page
//! (`web/`) runs it in a Web Worker: files go in as bytes, the overview comes out as JSON,
//! and each report is rendered when the user asks for it. Nothing leaves the machine: the
//! module has no network access, and the page makes no request to another origin.
//!
//! The audit itself ([`audit::Audit`]) is plain Rust, tested natively; this file only
//! converts between JavaScript and Rust.

#![forbid(unsafe_code)]

pub mod audit;

use patronal_core::Lang;
use patronal_core::report::Format;
use wasm_bindgen::prelude::*;

/// `es…` is Spanish, anything else English (the page passes `navigator.language` or the
/// user's choice).
fn lang_of(tag: &str) -> Lang {
    if tag.to_ascii_lowercase().starts_with("es") {
        Lang::Es
    } else {
        Lang::En
    }
}

/// What the page says when the module stops on a panic of a workbook parser (in the browser
/// a panic cannot become an error, as the CLI makes it: the module traps): the CLI's own
/// words for that case, `NAME: the workbook parser failed on damaged data`. The page asks
/// for them before the check, while the module can still answer.
#[wasm_bindgen(js_name = parserFailed)]
pub fn parser_failed(name: &str, lang: &str) -> String {
    use patronal_core::i18n::{Localized, errors};
    let error = patronal_core::roster::RosterError::Unusable {
        path: name.to_owned(),
        reason: errors::WORKBOOK_PARSER_FAILED.msg(),
    };
    error.message().render(lang_of(lang))
}

/// `progress(records, share)` in JavaScript, as the audit calls it.
fn calls(progress: &js_sys::Function) -> impl FnMut(u64, f64) + '_ {
    |records, share| {
        // The page's callback only posts a message: nothing to do if it throws.
        let _ = progress.call2(
            &JsValue::NULL,
            &JsValue::from_f64(records as f64),
            &JsValue::from_f64(share),
        );
    }
}

/// The audit of the files dropped on the page.
#[wasm_bindgen]
pub struct Audit(audit::Audit);

#[wasm_bindgen]
impl Audit {
    /// An empty audit in `lang` (`en`, `es`, or a browser language tag).
    #[wasm_bindgen(constructor)]
    pub fn new(lang: &str) -> Audit {
        Audit(audit::Audit::new(lang_of(lang), js_sys::Date::now))
    }

    /// Switches the language of what is rendered next.
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: &str) {
        self.0.lang = lang_of(lang);
    }

    /// Adds a roster file, by its name and bytes.
    #[wasm_bindgen(js_name = addRoster)]
    pub fn add_roster(&mut self, name: &str, bytes: Vec<u8>) {
        self.0.add_roster(name, bytes);
    }

    /// Loads an SRI catastro file; returns its load line, or throws its one-line reason.
    #[wasm_bindgen(js_name = addCatastro)]
    pub fn add_catastro(&mut self, name: &str, bytes: Vec<u8>) -> Result<String, JsError> {
        self.0
            .add_catastro(name, bytes)
            .map_err(|e| JsError::new(&e))
    }

    /// Checks the rosters; `progress(records, share)` is called after each chunk. Returns
    /// the overview as JSON, or throws the one-line reason the CLI would give.
    pub fn check(&mut self, progress: &js_sys::Function) -> Result<String, JsError> {
        let mut report = calls(progress);
        self.0.check(&mut report).map_err(|e| JsError::new(&e))
    }

    /// A report of every record, as `patronal check -o informe.FORMAT` writes it: `xlsx`,
    /// `csv`, `jsonl` or `json`. The check runs again into it; `progress` as for
    /// [`Audit::check`]; `piece(bytes)` receives the report in order, in pieces (a
    /// `Uint8Array` each: a `Blob` made of them never sits whole in the module's memory).
    pub fn report(
        &mut self,
        format: &str,
        progress: &js_sys::Function,
        piece: &js_sys::Function,
    ) -> Result<(), JsError> {
        let format = match format {
            "xlsx" => Format::Xlsx,
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            "json" => Format::Json,
            other => return Err(JsError::new(&format!("unknown report format {other:?}"))),
        };
        let mut report = calls(progress);
        let mut pieces = |bytes: &[u8]| {
            let _ = piece.call1(&JsValue::NULL, &js_sys::Uint8Array::from(bytes));
        };
        self.0
            .report(format, &mut report, &mut pieces)
            .map_err(|e| JsError::new(&e))
    }

    /// The marked copy of the rosters (`patronal check --marked`): one roster's copy, or a
    /// zip of several. `piece(bytes)` receives it whole; returns its file name.
    pub fn marked(
        &mut self,
        progress: &js_sys::Function,
        piece: &js_sys::Function,
    ) -> Result<String, JsError> {
        let mut report = calls(progress);
        let (name, bytes) = self.0.marked(&mut report).map_err(|e| JsError::new(&e))?;
        let _ = piece.call1(&JsValue::NULL, &js_sys::Uint8Array::from(bytes.as_slice()));
        Ok(name)
    }

    /// Reads `field` from the column headed `header` in the next checks (`--map
    /// FIELD=HEADER`); an empty header: no column (the form's "none").
    #[wasm_bindgen(js_name = setColumn)]
    pub fn set_column(&mut self, field: &str, header: &str) -> Result<(), JsError> {
        self.0
            .set_column(field, header)
            .map_err(|e| JsError::new(&e))
    }

    /// The form of columns of the last check, or of the roster it refused, as JSON.
    pub fn mapping(&self) -> String {
        self.0.mapping()
    }

    /// The last check's overview as JSON, in the current language.
    pub fn overview(&self) -> String {
        self.0.overview()
    }
}
