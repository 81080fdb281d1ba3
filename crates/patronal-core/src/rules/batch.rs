//! The batch checks, across the whole run and in input order: `DUPLICATE_EMPLOYER` (a RUC
//! and sucursal seen before) and `EMAIL_SHARED` (an address seen before with another RUC),
//! each naming the earlier row.
//!
//! They run on the writer thread, the one sequential stage that touches every record, so
//! they are built for it: keys are small integers (a RUC and sucursal packed in a `u64`, an
//! e-mail's 64-bit hash) hashed with foldhash, and values packed locations. Memory: 16
//! bytes per distinct employer and 32 per distinct address, plus the tables' slack.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use crate::ecuador::normalize::digits_value;
use crate::finding::{Code, Detail, Finding};
use crate::roster::Source;
use crate::rules::Checked;

/// A record's place, for naming the earlier row in a batch finding: the source's index in
/// the high 16 bits, the row below.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Location(u64);

impl Location {
    const ROW_BITS: u32 = 48;

    fn new(source: usize, row: u64) -> Location {
        Location(((source as u64) << Self::ROW_BITS) | (row & ((1 << Self::ROW_BITS) - 1)))
    }

    fn source(self) -> usize {
        (self.0 >> Self::ROW_BITS) as usize
    }

    fn row(self) -> u64 {
        self.0 & ((1 << Self::ROW_BITS) - 1)
    }
}

const NOWHERE: Location = Location(u64::MAX);

/// What the shared-address check keeps of an address: where it was first seen and with
/// which RUC, and the first later place with another RUC (`NOWHERE`: none yet).
#[derive(Clone, Copy)]
struct Address {
    first: Location,
    ruc: u64,
    other: Location,
}

#[derive(Default)]
pub(crate) struct Batch {
    employers: Table<Location>,
    emails: Table<Address>,
}

/// Entries reserved at most before the run: growing a table rehashes every entry and
/// touches fresh memory each time, but a roster of many records may hold few employers.
const RESERVE_MAX: u64 = 1 << 17;

impl Batch {
    /// Tables sized for about `records` records (up to [`RESERVE_MAX`]); they grow past it.
    pub(crate) fn with_capacity(records: u64) -> Batch {
        let n = records.min(RESERVE_MAX) as usize;
        let mut batch = Batch::default();
        batch.employers.0.reserve(n);
        batch.emails.0.reserve(n);
        batch
    }

    /// Checks one chunk's records, found in source `source` at `rows`.
    pub(crate) fn check(
        &mut self,
        source: usize,
        rows: impl Iterator<Item = u64>,
        checked: &mut [Checked],
        sources: &[Arc<Source>],
    ) {
        for (row, checked) in rows.zip(checked) {
            let at = Location::new(source, row);
            let ruc = digits_value(&checked.ruc, 13);
            let employer = ruc.zip(digits_value(&checked.sucursal, 4));
            if let Some((ruc, suc)) = employer {
                let (first, inserted) = self.employers.entry(ruc * 10_000 + suc, at);
                if !inserted {
                    let detail = describe(*first, at, sources);
                    checked
                        .findings
                        .push(Finding::with(Code::DuplicateEmployer, detail));
                }
            }
            if let Some((key, ruc)) = checked.email_key.zip(ruc) {
                let new = Address {
                    first: at,
                    ruc,
                    other: NOWHERE,
                };
                let (seen, inserted) = self.emails.entry(key, new);
                let earlier = if inserted {
                    None
                } else if seen.ruc != ruc {
                    if seen.other == NOWHERE {
                        seen.other = at;
                    }
                    Some(seen.first)
                } else {
                    (seen.other != NOWHERE).then_some(seen.other)
                };
                if let Some(earlier) = earlier {
                    let detail = describe(earlier, at, sources);
                    checked
                        .findings
                        .push(Finding::with(Code::EmailShared, detail));
                }
            }
        }
    }
}

/// `12` in the same table, `other.csv:12` (or `book.xlsx[Hoja2]:12`) elsewhere.
fn describe(earlier: Location, now: Location, sources: &[Arc<Source>]) -> Detail {
    if earlier.source() == now.source() {
        return Detail::Row(earlier.row());
    }
    Detail::Text(sources[earlier.source()].place(earlier.row()).into())
}

/// A hash table of `u64` keys, hashed with foldhash rather than SipHash, which the writer
/// thread cannot afford per record (a hand-written one-multiply hasher measured no faster).
struct Table<V>(HashMap<u64, V, foldhash::fast::RandomState>);

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table(HashMap::default())
    }
}

impl<V: Copy> Table<V> {
    /// The value of `key`, inserting `value` when it is absent (then `true`).
    fn entry(&mut self, key: u64, value: V) -> (&mut V, bool) {
        match self.0.entry(key) {
            Entry::Occupied(e) => (e.into_mut(), false),
            Entry::Vacant(e) => (e.insert(value), true),
        }
    }
}
