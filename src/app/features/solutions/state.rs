//! The Solutions feature's slice of the model.

use cosell_core::partner::types::Solution;

use super::columns::SolutionColumn;
use crate::app::core::table::Table;

pub struct Solutions {
    pub table: Table<Solution>,
}

impl Default for Solutions {
    fn default() -> Self {
        Solutions {
            table: Table::with_sort(SolutionColumn::Id, false),
        }
    }
}
