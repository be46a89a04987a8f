//! A list the user can scroll, filter and sort. Rows are kept as they arrived; `order` holds every
//! row index in sort order (merged page by page as rows stream in, re-sorted only when the sort
//! changes), and `visible` the subsequence that passes the filter. A filter keystroke is therefore
//! one linear pass, never a sort, and a 100,000-row table stays cheap to narrow down.

use std::cmp::Ordering;

use cosell_core::partner::types::Millis;

use super::column::{Facet, Quick, QuickContext, Row};

fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    Idle,
    /// Pages are arriving; `replacing` means the rows shown are the previous load's.
    Loading {
        received: usize,
        replacing: bool,
    },
    Loaded,
    Failed(String),
}

/// Every row's lower-cased search text in one buffer: a filter pass over a hundred thousand
/// rows reads one block of memory instead of chasing as many small allocations. A row whose
/// text changes gets the new text appended; the old bytes are reclaimed once they outweigh the
/// live ones.
#[derive(Debug, Clone, Default)]
struct Haystacks {
    text: String,
    spans: Vec<(usize, usize)>,
    dead: usize,
    /// For each ASCII byte, one bit per row whose text holds it: a filter's first keystroke (a
    /// single character) is answered without reading any text.
    bytes: Vec<Vec<u64>>,
}

impl Haystacks {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.dead = 0;
        self.bytes.clear();
    }

    fn push(&mut self, hay: &str) {
        self.mark(self.spans.len(), hay.as_bytes(), true);
        self.spans.push((self.text.len(), hay.len()));
        self.text.push_str(hay);
    }

    fn set(&mut self, index: usize, hay: &str) {
        let (start, len) = self.spans[index];
        let old = self.text.as_bytes()[start..start + len].to_vec();
        self.mark(index, &old, false);
        self.mark(index, hay.as_bytes(), true);
        self.dead += len;
        self.spans[index] = (self.text.len(), hay.len());
        self.text.push_str(hay);
        if self.dead > self.text.len() / 2 {
            self.compact();
        }
    }

    fn mark(&mut self, row: usize, hay: &[u8], on: bool) {
        if self.bytes.is_empty() {
            self.bytes.resize(128, Vec::new());
        }
        let (word, bit) = (row / 64, 1u64 << (row % 64));
        for &b in hay.iter().filter(|b| b.is_ascii()) {
            let bits = &mut self.bytes[b as usize];
            if bits.len() <= word {
                bits.resize(word + 1, 0);
            }
            if on {
                bits[word] |= bit;
            } else {
                bits[word] &= !bit;
            }
        }
    }

    /// Whether row `row`'s text holds the ASCII byte `byte`.
    fn holds_byte(&self, row: usize, byte: u8) -> bool {
        self.bytes
            .get(byte as usize)
            .and_then(|bits| bits.get(row / 64))
            .is_some_and(|word| word & (1u64 << (row % 64)) != 0)
    }

    fn get(&self, index: usize) -> &[u8] {
        let (start, len) = self.spans[index];
        &self.text.as_bytes()[start..start + len]
    }

    fn compact(&mut self) {
        let mut text = String::with_capacity(self.text.len() - self.dead);
        for span in &mut self.spans {
            let (start, len) = *span;
            *span = (text.len(), len);
            text.push_str(&self.text[start..start + len]);
        }
        self.text = text;
        self.dead = 0;
    }
}

#[derive(Debug, Clone)]
pub struct Table<T> {
    pub rows: Vec<T>,
    /// Each row's position in `rows` by a hash of its key: finding a record is a lookup, not a
    /// scan, however many rows there are. Only the hash is kept (the key is in the row), and a
    /// lookup checks the row, so a collision costs a scan, never a wrong answer.
    positions: std::collections::HashMap<u64, usize>,
    haystacks: Haystacks,
    order: Vec<usize>,
    pub visible: Vec<usize>,
    /// Position in `visible` of the selected row.
    pub selected: usize,
    /// First position in `visible` drawn at the top of the table.
    pub offset: usize,
    pub filter: String,
    /// Quick filters: a row passes when, for every facet named here, its value is one of the
    /// values chosen for that facet.
    pub quick: Vec<Quick>,
    /// The clock and the user, for derived quick filters, as of the last change to them.
    pub quick_cx: QuickContext,
    /// The sort column and whether it is descending.
    pub sort: Option<(usize, bool)>,
    /// The quick filters Partner Central applied when reading these rows; empty when the rows
    /// are the whole list.
    pub scope: Vec<Quick>,
    /// The scope of the load in flight, which becomes `scope` once its rows are in.
    loading_scope: Vec<Quick>,
    pub load: Load,
    pub request: Option<u64>,
    pub loaded_at: Option<Millis>,
    /// The rows came from the local cache and no live page has replaced them yet.
    pub from_cache: bool,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            positions: Default::default(),
            haystacks: Haystacks::default(),
            order: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            quick: Vec::new(),
            quick_cx: QuickContext::default(),
            sort: None,
            scope: Vec::new(),
            loading_scope: Vec::new(),
            load: Load::Idle,
            request: None,
            loaded_at: None,
            from_cache: false,
        }
    }
}

impl<T: Row> Table<T> {
    /// A table sorted by the column `column` of its descriptor table.
    pub fn with_sort(column: T::Column, descending: bool) -> Self {
        Table {
            sort: Some((Self::position(column), descending)),
            ..Table::default()
        }
    }

    /// Where `column` is in the descriptor table.
    pub fn position(column: T::Column) -> usize {
        T::columns()
            .iter()
            .position(|c| c.id == column)
            .expect("every column id is in its descriptor table")
    }

    /// The column the table is sorted by, and whether descending.
    pub fn sorted_by(&self) -> Option<(T::Column, bool)> {
        self.sort.map(|(i, d)| (T::columns()[i].id, d))
    }

    /// Where the row with `key` is in `rows`.
    pub fn position_of(&self, key: &str) -> Option<usize> {
        match self.positions.get(&key_hash(key)) {
            Some(&i) if self.rows.get(i).is_some_and(|r| r.key() == key) => Some(i),
            // Only a hash collision lands here: another key owns the slot.
            Some(_) => self.rows.iter().position(|r| r.key() == key),
            None => None,
        }
    }

    /// The row with `key`, wherever it is (shown or not).
    pub fn get(&self, key: &str) -> Option<&T> {
        self.position_of(key).map(|i| &self.rows[i])
    }

    fn reindex(&mut self) {
        self.positions = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (key_hash(r.key()), i))
            .collect();
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.visible.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.load, Load::Loading { .. })
    }

    /// Starts a (re)load under `request`; the current rows stay until the first page arrives.
    pub fn begin_load(&mut self, request: u64) {
        self.begin_scoped_load(request, Vec::new());
    }

    /// Starts a reload of only the rows Partner Central finds under `scope`.
    pub fn begin_scoped_load(&mut self, request: u64, scope: Vec<Quick>) {
        // Every reload replaces the rows on its first page, so rows of another scope never mix
        // with this one's.
        self.loading_scope = scope;
        self.request = Some(request);
        let replacing = !self.rows.is_empty();
        self.load = Load::Loading {
            received: 0,
            replacing,
        };
    }

    /// Shows rows from the local cache before the live load arrives: the live load's first page
    /// replaces them.
    pub fn prefill(&mut self, rows: Vec<T>) {
        // A larger read of the cache may follow a first-screen one; live rows always win.
        if !self.rows.is_empty() && !self.from_cache {
            return;
        }
        let keep = self.selected_row().map(|r| r.key().to_string());
        self.from_cache = true;
        self.scope.clear();
        self.haystacks.clear();
        for row in &rows {
            self.haystacks.push(&row.haystack());
        }
        self.rows = rows;
        self.reindex();
        self.resort();
        let keep = keep.and_then(|k| self.position_of(&k));
        self.refresh_visible(keep);
        if let Load::Loading { replacing, .. } = &mut self.load {
            *replacing = true;
        }
    }

    /// Appends a page of the load `request`; pages of a superseded load are ignored.
    pub fn add_page(&mut self, request: u64, page: Vec<T>) -> bool {
        if self.request != Some(request) {
            return false;
        }
        let selected_key = self.selected_row().map(|r| r.key().to_string());
        let mut keep = self.visible.get(self.selected).copied();
        if let Load::Loading {
            received,
            replacing,
        } = &mut self.load
        {
            if *replacing {
                keep = None;
                self.from_cache = false;
                self.rows.clear();
                self.positions.clear();
                self.haystacks.clear();
                self.order.clear();
                *replacing = false;
            }
            if *received == 0 {
                // From the first page on, the rows are this load's.
                self.scope = self.loading_scope.clone();
            }
            *received += page.len();
        }
        let first_new = self.rows.len();
        for row in &page {
            self.haystacks.push(&row.haystack());
        }
        for (i, row) in page.iter().enumerate() {
            self.positions.insert(key_hash(row.key()), first_new + i);
        }
        self.rows.extend(page);
        self.merge_into_order(first_new);
        // After a replacement the selected record is found again by its key.
        let keep = keep.or_else(|| {
            let key = selected_key?;
            self.position_of(&key)
        });
        self.refresh_visible(keep);
        true
    }

    pub fn finish_load(&mut self, request: u64, now: Millis) -> bool {
        if self.request != Some(request) {
            return false;
        }
        if let Load::Loading {
            replacing: true, ..
        } = self.load
        {
            // The new load returned nothing: the old rows are gone too.
            self.rows.clear();
            self.positions.clear();
            self.haystacks.clear();
            self.order.clear();
            self.refresh_visible(None);
        }
        self.load = Load::Loaded;
        self.scope = std::mem::take(&mut self.loading_scope);
        self.loaded_at = Some(now);
        true
    }

    pub fn fail_load(&mut self, request: u64, error: String) -> bool {
        if self.request != Some(request) {
            return false;
        }
        self.load = Load::Failed(error);
        true
    }

    /// Replaces one row (matched by key), keeping order and selection.
    pub fn upsert(&mut self, row: T) {
        let key = row.key().to_string();
        let keep = self.visible.get(self.selected).copied();
        let index = match self.position_of(&key) {
            Some(i) => {
                self.haystacks.set(i, &row.haystack());
                self.rows[i] = row;
                self.order.retain(|&o| o != i);
                i
            }
            None => {
                self.haystacks.push(&row.haystack());
                self.positions.insert(key_hash(&key), self.rows.len());
                self.rows.push(row);
                self.rows.len() - 1
            }
        };
        // Only this row may have moved: put it back in place by binary search rather than
        // sorting the whole table (this runs on every detail read and change result).
        let place = self
            .order
            .partition_point(|&o| !self.compare_indices(index, o).is_lt());
        self.order.insert(place, index);
        self.refresh_visible(keep);
    }

    pub fn set_filter(&mut self, filter: String) {
        let keep = self.visible.get(self.selected).copied();
        let before = self.filter.to_lowercase();
        let after = filter.to_lowercase();
        self.filter = filter;
        if !before.is_empty() && after.contains(&before) {
            // Typing on narrows: a row that holds the longer text holds the shorter one too, so
            // only the rows shown now need looking at, not every row.
            let finder = memchr::memmem::Finder::new(after.as_bytes());
            let haystacks = &self.haystacks;
            self.visible
                .retain(|&i| finder.find(haystacks.get(i)).is_some());
            self.reselect(keep);
            return;
        }
        self.refresh_visible(keep);
    }

    pub fn set_quick(&mut self, quick: Vec<Quick>) {
        let keep = self.visible.get(self.selected).copied();
        self.quick = quick;
        self.refresh_visible(keep);
    }

    /// Quick filters with the clock and user the derived ones compare against.
    pub fn set_quick_with(&mut self, quick: Vec<Quick>, cx: QuickContext) {
        self.quick_cx = cx;
        self.set_quick(quick);
    }

    /// A row passes when, for every facet the quick filters name, one of that facet's values
    /// matches (any within a facet, all across facets).
    fn passes_quick(&self, row: &T) -> bool {
        let mut facets: Vec<Facet> = self.quick.iter().map(|(f, _)| *f).collect();
        facets.sort_by_key(|f| *f as u8);
        facets.dedup();
        facets.iter().all(|facet| {
            self.quick
                .iter()
                .any(|(f, v)| f == facet && row.passes(*facet, v, &self.quick_cx))
        })
    }

    pub fn sort_by(&mut self, column: T::Column, descending: bool) {
        self.set_sort(Some((Self::position(column), descending)));
    }

    pub fn set_sort(&mut self, sort: Option<(usize, bool)>) {
        let keep = self.visible.get(self.selected).copied();
        self.sort = sort;
        self.resort();
        self.refresh_visible(keep);
    }

    fn compare_indices(&self, a: usize, b: usize) -> Ordering {
        match self.sort {
            Some((column, descending)) => {
                let (ra, rb) = (&self.rows[a], &self.rows[b]);
                // Equal values keep a stable order by record, whichever way the column runs.
                let o = (T::columns()[column].compare)(ra, rb).then_with(|| ra.key().cmp(rb.key()));
                if descending { o.reverse() } else { o }
            }
            None => a.cmp(&b),
        }
    }

    fn resort(&mut self) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by(|&a, &b| self.compare_indices(a, b));
        self.order = order;
    }

    /// Sorts the rows from `first_new` on and merges them into `order`: each new row's place is
    /// found by binary search, so a page costs O(page × log rows) comparisons plus one copy.
    fn merge_into_order(&mut self, first_new: usize) {
        let mut fresh: Vec<usize> = (first_new..self.rows.len()).collect();
        fresh.sort_by(|&a, &b| self.compare_indices(a, b));
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut start = 0;
        for &row in &fresh {
            let place =
                start + old[start..].partition_point(|&o| !self.compare_indices(row, o).is_lt());
            merged.extend_from_slice(&old[start..place]);
            merged.push(row);
            start = place;
        }
        merged.extend_from_slice(&old[start..]);
        self.order = merged;
    }

    /// Recomputes `visible`, keeping the selection on row `keep` if it is still shown.
    fn refresh_visible(&mut self, keep: Option<usize>) {
        let needle = self.filter.to_lowercase();
        self.visible.clear();
        if needle.is_empty() && self.quick.is_empty() {
            self.visible.extend_from_slice(&self.order);
        } else {
            // One searcher for the whole pass: a hundred thousand haystacks are searched with
            // the needle's tables built once.
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            let single = match needle.as_bytes() {
                [b] if b.is_ascii() => Some(*b),
                _ => None,
            };
            let hit = |i: usize| match single {
                Some(b) => self.haystacks.holds_byte(i, b),
                None => needle.is_empty() || finder.find(self.haystacks.get(i)).is_some(),
            };
            let mut visible = std::mem::take(&mut self.visible);
            visible.extend(self.order.iter().copied().filter(|&i| {
                hit(i) && (self.quick.is_empty() || self.passes_quick(&self.rows[i]))
            }));
            self.visible = visible;
        }
        self.reselect(keep);
    }

    /// Puts the selection back on row `keep` if it is still shown, else keeps its place.
    fn reselect(&mut self, keep: Option<usize>) {
        let found = keep.and_then(|k| self.visible.iter().position(|&i| i == k));
        self.selected = match (keep, found) {
            (_, Some(position)) => position,
            // The selected row left the view (a filter took it out): start at the top, where a
            // new view's first row is, rather than at whatever position the old one had.
            (Some(_), None) => 0,
            (None, None) if self.visible.is_empty() => 0,
            (None, None) => self.selected.min(self.visible.len() - 1),
        };
        if self.selected < self.offset {
            self.offset = self.selected;
        }
    }

    /// Moves the selection by `delta` rows and scrolls so it stays inside a window of `height`.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        if self.visible.is_empty() {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        let last = self.visible.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
        self.scroll_into_view(height);
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.visible.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// What the router and the UI do with any list, whatever its rows: navigation, filtering,
/// sorting, and what the title and the scroll bar show.
pub trait ListView {
    /// Rows held.
    fn row_count(&self) -> usize;
    /// Rows that pass the filters, in order.
    fn shown(&self) -> usize;
    /// Position of the selected row among the shown ones.
    fn selected(&self) -> usize;
    /// Position of the first shown row drawn.
    fn offset(&self) -> usize;
    fn filter(&self) -> &str;
    fn set_filter(&mut self, filter: String);
    fn quick(&self) -> &[Quick];
    fn set_quick(&mut self, quick: Vec<Quick>);
    fn set_quick_with(&mut self, quick: Vec<Quick>, cx: QuickContext);
    fn quick_groups(&self) -> Vec<(Facet, &'static [&'static str])>;
    /// The quick filters Partner Central applied when reading the rows.
    fn scope(&self) -> &[Quick];
    fn load(&self) -> &Load;
    fn loaded_at(&self) -> Option<Millis>;
    fn move_by(&mut self, delta: isize, height: usize);
    fn scroll_into_view(&mut self, height: usize);
    fn column_titles(&self) -> Vec<&'static str>;
    fn sort(&self) -> Option<(usize, bool)>;
    fn set_sort(&mut self, sort: Option<(usize, bool)>);
    fn selected_key(&self) -> Option<&str>;
    /// Whether a record with this key is held (shown or not).
    fn contains_key(&self, key: &str) -> bool;
    /// Selects the record with this key, clearing the filters if they hide it.
    fn select_key(&mut self, key: &str, height: usize) -> bool;
    /// A load's life, whatever the rows: started (under the quick filters Partner Central
    /// applies), finished, failed. Each answers whether `request` is the load awaited.
    fn begin_scoped_load(&mut self, request: u64, scope: Vec<Quick>);
    fn finish_load(&mut self, request: u64, now: Millis) -> bool;
    fn fail_load(&mut self, request: u64, error: String) -> bool;
}

impl<T: Row> ListView for Table<T> {
    fn begin_scoped_load(&mut self, request: u64, scope: Vec<Quick>) {
        Table::begin_scoped_load(self, request, scope)
    }
    fn finish_load(&mut self, request: u64, now: Millis) -> bool {
        Table::finish_load(self, request, now)
    }
    fn fail_load(&mut self, request: u64, error: String) -> bool {
        Table::fail_load(self, request, error)
    }
    fn row_count(&self) -> usize {
        self.rows.len()
    }
    fn shown(&self) -> usize {
        self.visible.len()
    }
    fn selected(&self) -> usize {
        self.selected
    }
    fn offset(&self) -> usize {
        self.offset
    }
    fn filter(&self) -> &str {
        &self.filter
    }
    fn set_filter(&mut self, filter: String) {
        Table::set_filter(self, filter)
    }
    fn quick(&self) -> &[Quick] {
        &self.quick
    }
    fn set_quick(&mut self, quick: Vec<Quick>) {
        Table::set_quick(self, quick)
    }
    fn set_quick_with(&mut self, quick: Vec<Quick>, cx: QuickContext) {
        Table::set_quick_with(self, quick, cx)
    }
    fn quick_groups(&self) -> Vec<(Facet, &'static [&'static str])> {
        T::quick_groups()
    }
    fn scope(&self) -> &[Quick] {
        &self.scope
    }
    fn load(&self) -> &Load {
        &self.load
    }
    fn loaded_at(&self) -> Option<Millis> {
        self.loaded_at
    }
    fn move_by(&mut self, delta: isize, height: usize) {
        Table::move_by(self, delta, height)
    }
    fn scroll_into_view(&mut self, height: usize) {
        Table::scroll_into_view(self, height)
    }
    fn column_titles(&self) -> Vec<&'static str> {
        T::columns().iter().map(|c| c.title).collect()
    }
    fn sort(&self) -> Option<(usize, bool)> {
        self.sort
    }
    fn set_sort(&mut self, sort: Option<(usize, bool)>) {
        Table::set_sort(self, sort)
    }
    fn selected_key(&self) -> Option<&str> {
        self.selected_row().map(Row::key)
    }
    fn contains_key(&self, key: &str) -> bool {
        self.position_of(key).is_some()
    }
    fn select_key(&mut self, key: &str, height: usize) -> bool {
        let shown = |t: &Table<T>| t.visible.iter().position(|&i| t.rows[i].key() == key);
        if shown(self).is_none() {
            self.set_filter(String::new());
            self.set_quick(Vec::new());
        }
        match shown(self) {
            Some(position) => {
                self.selected = position;
                self.scroll_into_view(height);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_texts_survive_replacement_and_compaction() {
        let mut hay = Haystacks::default();
        for text in ["alpha corp", "beta labs", "gamma bank"] {
            hay.push(text);
        }
        // Replacing one text again and again leaves dead bytes until they are reclaimed.
        for round in 0..50 {
            hay.set(1, &format!("beta labs round {round}"));
        }
        assert!(hay.dead <= hay.text.len() / 2, "compacted along the way");
        assert_eq!(hay.get(0), b"alpha corp");
        assert_eq!(hay.get(1), b"beta labs round 49");
        assert_eq!(hay.get(2), b"gamma bank");
        hay.compact();
        assert_eq!(hay.text, "alpha corpbeta labs round 49gamma bank");
        assert_eq!(hay.get(1), b"beta labs round 49");
        // The byte index follows each row's current text, the replaced ones included.
        let expected = |row: usize, byte: u8| hay.get(row).contains(&byte);
        for row in 0..3 {
            for byte in b"abcdeghlmnoprstuz4 9" {
                assert_eq!(
                    hay.holds_byte(row, *byte),
                    expected(row, *byte),
                    "{row} {}",
                    *byte as char
                );
            }
        }
        assert!(hay.holds_byte(1, b'9') && !hay.holds_byte(0, b'9'));
    }

    use super::*;

    use crate::app::core::column::{Cell, Column, Width};

    #[derive(Debug, Clone)]
    struct R(String, i64);
    const R_COLUMNS: [Column<R>; 1] = [Column {
        id: (),
        title: "value",
        width: Width::Fixed(5),
        drop_rank: None,
        facet: None,
        only_with: None,
        compare: |a, b| a.1.cmp(&b.1),
        cell: |r, _| Cell::new(r.1.to_string()),
    }];
    impl Row for R {
        type Column = ();
        fn columns() -> &'static [Column<Self>] {
            &R_COLUMNS
        }
        fn key(&self) -> &str {
            &self.0
        }
        fn haystack(&self) -> String {
            self.0.to_lowercase()
        }
    }

    #[test]
    fn filter_sort_and_selection_follow_the_record() {
        let mut t: Table<R> = Table::with_sort((), false);
        t.begin_load(1);
        t.add_page(
            1,
            vec![
                R("Beta".into(), 2),
                R("Alpha".into(), 3),
                R("Gamma".into(), 1),
            ],
        );
        assert_eq!(t.selected_row().unwrap().0, "Gamma");
        t.move_by(1, 10);
        assert_eq!(t.selected_row().unwrap().0, "Beta");
        t.set_filter("ta".into());
        assert_eq!(t.visible.len(), 1);
        assert_eq!(t.selected_row().unwrap().0, "Beta");
        t.set_filter(String::new());
        assert_eq!(t.selected_row().unwrap().0, "Beta");
    }

    #[test]
    fn a_selection_the_filter_takes_out_moves_to_the_top_of_the_new_view() {
        let mut t: Table<R> = Table::with_sort((), false);
        t.begin_load(1);
        t.add_page(1, (0..30).map(|n| R(format!("Row {n:02}"), n)).collect());
        t.move_by(29, 10);
        assert_eq!(t.selected_row().unwrap().0, "Row 29");
        // "Row 1x" leaves out the selected row: the new view starts at its first row, not at
        // the old position clamped.
        t.set_filter("row 1".into());
        assert_eq!(t.visible.len(), 10);
        assert_eq!(t.selected, 0);
        assert_eq!(t.offset, 0);
        assert_eq!(t.selected_row().unwrap().0, "Row 10");
    }

    #[test]
    fn every_filter_shows_exactly_the_rows_holding_it_as_it_is_typed_and_after_upserts() {
        let names = [
            "Acme Corp",
            "Globex 42",
            "Initech",
            "Zeta-9 Bank",
            "Hooli",
            "Ümlaut AG",
        ];
        let mut t: Table<R> = Table::with_sort((), false);
        t.begin_load(1);
        t.add_page(
            1,
            names
                .iter()
                .zip(0..)
                .map(|(n, i)| R(n.to_string(), i))
                .collect(),
        );
        // A row's text changes after it was indexed.
        t.upsert(R("Hooli".into(), 4));
        t.upsert(R("Initech".into(), 2));
        let shown = |t: &Table<R>| -> Vec<String> {
            t.visible.iter().map(|&i| t.rows[i].0.clone()).collect()
        };
        for typed in [
            "a", "ac", "acm", "9", "9 ", "ü", "ümlaut", "o", "oo", "zz", " ",
        ] {
            t.set_filter(typed.into());
            let expected: Vec<String> = names
                .iter()
                .filter(|n| n.to_lowercase().contains(typed))
                .map(|n| n.to_string())
                .collect();
            assert_eq!(shown(&t), expected, "/{typed}");
        }
    }

    #[test]
    fn pages_merged_one_by_one_match_a_full_sort() {
        let mut t: Table<R> = Table::with_sort((), true);
        t.begin_load(1);
        let values: Vec<i64> = (0..500).map(|i| (i * 7919) % 613).collect();
        for chunk in values.chunks(37) {
            t.add_page(
                1,
                chunk
                    .iter()
                    .map(|v| R(format!("k{v}-{}", fastrand::u32(..)), *v))
                    .collect(),
            );
        }
        let shown: Vec<i64> = t.visible.iter().map(|&i| t.rows[i].1).collect();
        let mut expected = values.clone();
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(shown, expected);
    }

    #[test]
    fn an_upserted_row_moves_to_its_sorted_place() {
        let mut t: Table<R> = Table::with_sort((), false);
        t.begin_load(1);
        t.add_page(1, (0..10).map(|i| R(format!("r{i}"), i * 10)).collect());
        t.upsert(R("r2".into(), 95));
        t.upsert(R("new".into(), 5));
        let order: Vec<i64> = t.visible.iter().map(|&i| t.rows[i].1).collect();
        assert_eq!(order, vec![0, 5, 10, 30, 40, 50, 60, 70, 80, 90, 95]);
    }

    #[test]
    fn stale_pages_are_ignored_and_reload_replaces_rows() {
        let mut t: Table<R> = Table::default();
        t.begin_load(1);
        t.add_page(1, vec![R("a".into(), 1)]);
        t.finish_load(1, 0);
        t.begin_load(2);
        assert!(!t.add_page(1, vec![R("old".into(), 1)]));
        assert_eq!(
            t.rows.len(),
            1,
            "old rows stay until the new load's first page"
        );
        t.add_page(2, vec![R("b".into(), 1), R("c".into(), 2)]);
        assert_eq!(
            t.rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            vec!["b", "c"]
        );
    }

    #[test]
    fn scrolling_keeps_the_selection_in_the_window() {
        let mut t: Table<R> = Table::default();
        t.begin_load(1);
        t.add_page(1, (0..100).map(|i| R(format!("r{i}"), i)).collect());
        t.move_by(25, 10);
        assert_eq!((t.selected, t.offset), (25, 16));
        t.move_by(-20, 10);
        assert_eq!((t.selected, t.offset), (5, 5));
        t.move_by(1000, 10);
        assert_eq!((t.selected, t.offset), (99, 90));
    }
}
