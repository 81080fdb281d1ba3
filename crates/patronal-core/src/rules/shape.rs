//! The row's shape: `ROW_MALFORMED` when a row has fewer cells than the header, or extra
//! cells with text (extra empty cells are harmless: a stray delimiter at the end of a line).

use super::Checked;
use crate::finding::Finding;

/// Checks a row of `cells` against a header of `expected` columns.
pub(crate) fn check_shape<'a>(
    expected: usize,
    cells: impl ExactSizeIterator<Item = &'a [u8]>,
    checked: &mut Checked,
) {
    let len = cells.len();
    // Most rows have the header's width: no walk over their cells to find none beyond it.
    let extra_text = len > expected && cells.skip(expected).any(|c| !c.trim_ascii().is_empty());
    if len < expected || extra_text {
        checked
            .findings
            .insert(0, Finding::malformed_cells(len, expected));
    }
}
