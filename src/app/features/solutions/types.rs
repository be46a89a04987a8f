//! The Solutions feature's vocabulary. A leaf module.

use crate::app::core::popup::{Picker, PickerControl};

#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    /// The opportunity (by id) to link `solution` to.
    LinkOpportunity {
        solution: String,
        picker: Picker<String>,
    },
}

impl Pick {
    pub fn control(&self) -> &dyn PickerControl {
        match self {
            Pick::LinkOpportunity { picker, .. } => picker,
        }
    }

    pub fn control_mut(&mut self) -> &mut dyn PickerControl {
        match self {
            Pick::LinkOpportunity { picker, .. } => picker,
        }
    }
}
