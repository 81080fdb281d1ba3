//! How tall a row must be for its wrapped text to show whole. Spreadsheets do not grow a
//! row by themselves when a file sets its height (and a row left at the default shows one
//! line), so every row with wrapped text gets the height of its tallest cell: each line of
//! the cell, wrapped at word boundaries at the column's width, 15 points a line (Calibri 11,
//! the workbook's font, in Excel; its metric twin Carlito in LibreOffice needs less).
//!
//! A character's width is estimated from above, in units of the column width (the width of
//! the font's digit): Calibri's own widths, 3% wider; and a line is never counted as fewer
//! lines than its characters ÷ the column's width. Too tall a row shows a blank line; too
//! short a row hides the first, most serious, finding.

/// Points a line of the workbook's font takes.
pub(crate) const LINE_HEIGHT: f64 = 15.0;

/// Excel's tallest row, in points.
pub(crate) const MAX_ROW_HEIGHT: f64 = 409.0;

/// Calibri's advance widths (units per em: 2048) of the printable ASCII characters, from
/// the space to `~`; Carlito, LibreOffice's stand-in, has the same metrics.
const ASCII: [u16; 95] = [
    463, 533, 717, 1019, 1038, 1467, 1400, 451, 621, 621, 1019, 1019, 511, 627, 517,
    799, // ␠ to /
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, // 0 to 9
    548, 548, 1019, 1019, 1019, 945, 1823, // : to @
    1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, // A to M
    1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, // N to Z
    628, 799, 628, 1019, 1019, 511, // [ to `
    981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, // a to m
    1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, // n to z
    1019, 799, 1019, 1019, // { to ~
];

/// The width of `c`, in column-width units (the default font's digit as Excel rounds it, 7
/// pixels), 3% above Calibri's: an accented letter as its base letter, other scripts wide.
fn char_width(c: char) -> f64 {
    // 11 points at 96 dpi: 14.667 pixels an em; a unit is 7 pixels.
    const UNIT: f64 = 2048.0 * 7.0 / 14.667;
    let advance = match c {
        ' '..='~' => ASCII[c as usize - 32],
        '—' | '…' => 1815,
        '–' => 1019,
        '→' => 1600,
        'Ñ' | 'Ü' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' => 1356,
        c if c.is_uppercase() => 1400,
        c if (c as u32) < 0x2E80 => 1080,
        _ => 2048,
    };
    f64::from(advance) / UNIT * 1.03
}

/// The width of `text`, in column-width units.
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().map(char_width).sum()
}

/// Lines `text` takes in a column `width` units wide, each of its lines wrapped at spaces
/// (a word wider than the column is broken, as spreadsheets break it).
pub(crate) fn lines(text: &str, width: f64) -> usize {
    // The cell's padding on both sides.
    let room = (width - 0.4).max(1.0);
    text.split('\n').map(|line| wrapped(line, room)).sum()
}

fn wrapped(line: &str, room: f64) -> usize {
    let chars = line.chars().count();
    let naive = (chars as f64 / (room + 0.4)).ceil().max(1.0) as usize;
    let space = char_width(' ');
    let mut lines = 1;
    let mut used = 0.0;
    for word in line.split(' ') {
        let w = text_width(word);
        if used > 0.0 && used + space + w <= room {
            used += space + w;
            continue;
        }
        if used > 0.0 {
            lines += 1;
        }
        // A word wider than the line is broken across lines.
        let spans = (w / room).ceil().max(1.0);
        lines += spans as usize - 1;
        used = (w - (spans - 1.0) * room).max(f64::MIN_POSITIVE);
    }
    lines.max(naive)
}

/// The height of a row whose tallest cell takes `lines` lines; `None` for one line (the
/// default height).
pub(crate) fn height(lines: usize) -> Option<f64> {
    (lines > 1).then(|| (LINE_HEIGHT * lines as f64).min(MAX_ROW_HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_wrapped_at_words_and_counted_from_above() {
        assert_eq!(lines("", 10.0), 1);
        assert_eq!(lines("corto", 10.0), 1);
        assert_eq!(lines("a\nb\nc", 10.0), 3);
        // Never below characters ÷ width.
        let text = "i ".repeat(50);
        assert!(lines(&text, 10.0) >= 10);
        // Capitals are wider than digits.
        assert!(lines("RUC_ID_MISMATCH", 15.0) >= 2);
        assert_eq!(lines("0428813992001", 16.0), 1);
        assert_eq!(lines("0428813992", 13.0), 1);
        // A word wider than the column is broken.
        assert_eq!(lines(&"x".repeat(35), 11.0), 4);
        let message =
            "RUC_ID_MISMATCH — El RUC de persona natural debe empezar con la cédula del empleador";
        assert_eq!(lines(message, 200.0), 1);
        assert!(lines(message, 60.0) >= 2);
    }

    #[test]
    fn heights_follow_the_lines() {
        assert_eq!(height(1), None);
        assert_eq!(height(6), Some(90.0));
        assert_eq!(height(1000), Some(MAX_ROW_HEIGHT));
    }
}
