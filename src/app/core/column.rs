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
    /// A benefit application's status.
    ApplicationStatus,
    /// A channel handshake's status.
    HandshakeStatus,
    /// What needs the user: questions answered from the record and the clock (past its close
    /// date, untouched for 30 days, mine), filtered here, never by Partner Central.
    Attention,
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
            Facet::ApplicationStatus => "Status",
            Facet::HandshakeStatus => "Status",
            Facet::Attention => "Needs",
        }
    }
}

impl Facet {
    /// Whether Partner Central can apply this facet itself (ListOpportunities' LifeCycle
    /// filters), so a reload under it reads only the matching records.
    pub fn read_by_api(self) -> bool {
        matches!(self, Facet::Stage | Facet::ReviewStatus)
    }
}

/// What derived quick filters compare against: the clock and who the user is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuickContext {
    pub now: Millis,
    /// `YYYY-MM-DD` of `now`.
    pub today: String,
    /// Config `me`, lower-cased: a name or email as opportunity teams show it.
    pub me: Option<String>,
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
    /// Whether the row passes the quick filter `facet` = `value`; derived facets decide from
    /// the row and `cx`.
    fn passes(&self, facet: Facet, value: &str, _cx: &QuickContext) -> bool {
        self.facet(facet) == Some(value)
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
    /// The quick-filter facet the column shows, if any: while the quick filters pin it to one
    /// value, every row would say the same, so the column is left out.
    pub facet: Option<Facet>,
    /// A column that only matters under one quick filter (AWS's review comments under "Action
    /// Required"): shown only while that filter is on.
    pub only_with: Option<(Facet, &'static str)>,
    pub compare: fn(&R, &R) -> Ordering,
    pub cell: fn(&R, &CellContext) -> Cell,
}

/// The columns of `columns` that fit in `width` cells, in order: columns of a facet `quick`
/// pins to one value are left out, then the lowest drop ranks go until the rest fit (each column
/// also takes one cell of spacing). The `sorted` column stays, so the order on screen is
/// always explained by a column on screen.
pub fn fitting<R: Row>(
    columns: &[Column<R>],
    quick: &[Quick],
    sorted: Option<usize>,
    width: u16,
) -> Vec<usize> {
    let pinned = |facet: Facet| quick.iter().filter(|(f, _)| *f == facet).count() == 1;
    let wanted = |c: &Column<R>| {
        c.only_with
            .is_none_or(|(facet, value)| quick.iter().any(|(f, v)| *f == facet && v == value))
    };
    let mut kept: Vec<usize> = (0..columns.len())
        .filter(|&i| !columns[i].facet.is_some_and(pinned) && wanted(&columns[i]))
        .collect();
    let needed = |kept: &[usize]| -> u16 {
        kept.iter()
            .map(|&i| columns[i].width.min() + 1)
            .sum::<u16>()
    };
    let mut droppable: Vec<(u8, usize)> = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != sorted)
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

/// The width of each kept column in `width` cells: fixed columns take their size, fill columns
/// their minimum plus a share of what is left by weight (the last fill column takes the
/// rounding), with one cell of spacing between columns.
pub fn widths<R: Row>(columns: &[Column<R>], kept: &[usize], width: u16) -> Vec<u16> {
    let spacing = kept.len().saturating_sub(1) as u16;
    let taken: u16 = kept.iter().map(|&i| columns[i].width.min()).sum::<u16>() + spacing;
    let mut spare = width.saturating_sub(taken);
    let total_weight: u16 = kept
        .iter()
        .map(|&i| match columns[i].width {
            Width::Fill { weight, .. } => weight,
            Width::Fixed(_) => 0,
        })
        .sum();
    let last_fill = kept
        .iter()
        .rposition(|&i| matches!(columns[i].width, Width::Fill { .. }));
    let share = spare;
    kept.iter()
        .enumerate()
        .map(|(position, &i)| match columns[i].width {
            Width::Fixed(n) => n,
            Width::Fill { weight, min } => {
                let extra = if Some(position) == last_fill {
                    spare
                } else {
                    (u32::from(share) * u32::from(weight) / u32::from(total_weight.max(1))) as u16
                };
                spare -= extra;
                min + extra
            }
        })
        .collect()
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
