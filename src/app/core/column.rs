//! Column descriptors: one table per list says, for each column, its title, its width, when it
//! is dropped on a narrow screen, how it sorts and how its cell reads. Sorting (`app`) and
//! drawing (`ui`) both read the same table, so a column is added in one place.

use std::cmp::Ordering;

use cosell_core::partner::types::{Millis, Money};

/// A quick-filter dimension: which of a row's values a quick filter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Stage,
    ReviewStatus,
    InvitationStatus,
    PayloadType,
    SolutionStatus,
}

impl Facet {
    /// How the quick-filter picker and the table title name it.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Stage => "Stage",
            Facet::ReviewStatus => "Review",
            Facet::InvitationStatus => "Status",
            Facet::PayloadType => "Type",
            Facet::SolutionStatus => "Status",
        }
    }
}

/// One quick filter: the rows whose `facet` is `value` (as the API spells it).
pub type Quick = (Facet, String);

/// What a table needs from its rows.
pub trait Row: Sized + 'static {
    /// The list's column ids, named in its descriptor table.
    type Column: Copy + Eq + std::fmt::Debug + 'static;
    /// The descriptor table: titles, widths, sorting and cells.
    fn columns() -> &'static [Column<Self>];
    /// Stable identity, to keep the selection on the same record across reloads.
    fn key(&self) -> &str;
    /// Lower-case text the `/` filter searches.
    fn haystack(&self) -> String;
    /// The row's value for a quick filter, if the list filters on that facet.
    fn facet(&self, _facet: Facet) -> Option<&str> {
        None
    }
    /// The quick-filter facets of this list and the values each can take.
    fn quick_groups() -> Vec<(Facet, &'static [&'static str])> {
        Vec::new()
    }
}

/// The text the `/` filter searches: the present parts, lower-cased, one space apart.
pub fn haystack<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut text = String::new();
    for part in parts.into_iter().flatten() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(part);
    }
    text.to_lowercase()
}

/// How much room a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Exactly this many cells.
    Fixed(u16),
    /// A share of what the fixed columns leave, but never fewer than `min` cells.
    Fill { weight: u16, min: u16 },
}

impl Width {
    /// The fewest cells the column needs to be worth showing.
    pub fn min(self) -> u16 {
        match self {
            Width::Fixed(n) => n,
            Width::Fill { min, .. } => min,
        }
    }
}

/// How a cell is drawn; the UI maps each tone to its theme's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Dim,
    Good,
    Warn,
    Bad,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            tone: Tone::Normal,
        }
    }

    pub fn toned(text: impl Into<String>, tone: Tone) -> Cell {
        Cell {
            text: text.into(),
            tone,
        }
    }

    pub fn opt(text: Option<&str>) -> Cell {
        Cell::new(text.unwrap_or_default())
    }
}

/// What a cell may need beyond its row: the clock, and the row's in-flight change or mark.
#[derive(Debug, Clone, Copy)]
pub struct CellContext<'a> {
    pub now: Millis,
    /// `YYYY-MM-DD` of `now`.
    pub today: &'a str,
    /// What is being changed on this record right now, if anything (shown as a spinner).
    pub pending: Option<&'a str>,
    /// The row is marked for a batch action.
    pub marked: bool,
}

pub struct Column<R: Row> {
    pub id: R::Column,
    pub title: &'static str,
    pub width: Width,
    /// On a narrow screen columns are left out lowest rank first; `None` is never left out.
    pub drop_rank: Option<u8>,
    pub compare: fn(&R, &R) -> Ordering,
    pub cell: fn(&R, &CellContext) -> Cell,
}

/// The columns of `columns` that fit in `width` cells, in order: the lowest drop ranks go first
/// until the rest fit (each column also takes one cell of spacing).
pub fn fitting<R: Row>(columns: &[Column<R>], width: u16) -> Vec<usize> {
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    let needed = |kept: &[usize]| -> u16 {
        kept.iter()
            .map(|&i| columns[i].width.min() + 1)
            .sum::<u16>()
    };
    let mut droppable: Vec<(u8, usize)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.drop_rank.map(|rank| (rank, i)))
        .collect();
    droppable.sort();
    let mut drops = droppable.into_iter();
    while needed(&kept) > width {
        match drops.next() {
            Some((_, drop)) => kept.retain(|&i| i != drop),
            None => break,
        }
    }
    kept
}

/// Monthly spend, as every list that shows it orders it: by amount, missing last.
pub fn spend_order(a: Option<&Money>, b: Option<&Money>) -> Ordering {
    cmp_opt(&a.map(Money::value), &b.map(Money::value))
}

/// Monthly spend as every list draws it (`USD 1,250`).
pub fn spend_cell(spend: Option<&Money>) -> Cell {
    Cell::new(spend.map(Money::short).unwrap_or_default())
}

/// Orders two optional values with the missing ones last, as every column does.
pub fn cmp_opt<T: PartialOrd>(a: &Option<T>, b: &Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The number in an id such as `O1234567` or `S-0001234`, so ids sort as numbers.
pub fn id_number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(0)
}
