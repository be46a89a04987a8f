//! The profile's slice of the model.

use cosell_core::partner::types::Partner;

use crate::app::core::shell::Loadable;

#[derive(Default)]
pub struct Profile {
    pub partner: Option<Loadable<Partner>>,
}

impl Profile {
    /// The name the header shows.
    pub fn name(&self) -> Option<&str> {
        match &self.partner {
            Some(Loadable::Ready(p)) => Some(p.display_name.as_deref().unwrap_or(&p.legal_name)),
            _ => None,
        }
    }
}
