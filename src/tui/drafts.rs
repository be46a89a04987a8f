//! Form drafts kept on disk, so text typed into a form survives a crash or an accidental quit:
//! after every batch of messages the open form's text is written (owner-only, replaced
//! atomically) when it changed, and forgotten once the form is sent or deliberately closed while
//! cosell keeps running. The next session offers it back when the same form opens.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::app::Model;
use crate::app::core::form::Draft;

pub struct Drafts {
    path: PathBuf,
    kept: BTreeMap<String, Draft>,
    /// The title of the form open after the last batch, to notice it closing.
    open: Option<String>,
}

impl Drafts {
    /// The drafts an earlier session kept (a missing or unreadable file keeps none).
    pub fn load(path: PathBuf) -> Drafts {
        let kept = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Drafts {
            path,
            kept,
            open: None,
        }
    }

    pub fn kept(&self) -> Vec<Draft> {
        self.kept.values().cloned().collect()
    }

    /// Keeps the open form's text when it changed; forgets a form that closed while cosell runs
    /// on (sent, or discarded on purpose).
    pub fn observe(&mut self, model: &Model) {
        let now_open = model.form.as_ref().map(|f| f.body().title.clone());
        let mut changed = false;
        if let Some(closed) = &self.open
            && now_open.as_ref() != Some(closed)
            && !model.should_quit
        {
            changed |= self.kept.remove(closed).is_some();
        }
        if let Some(draft) = model.draft()
            && self.kept.get(&draft.title).map(|d| &d.values) != Some(&draft.values)
        {
            self.kept.insert(draft.title.clone(), draft);
            changed = true;
        }
        self.open = now_open;
        if changed {
            self.save();
        }
    }

    fn save(&self) {
        let written = serde_json::to_vec(&self.kept)
            .map_err(std::io::Error::other)
            .and_then(|bytes| cosell_core::files::write_private_atomic(&self.path, &bytes));
        if let Err(err) = written {
            tracing::warn!(%err, path = %self.path.display(), "could not keep the form draft");
        }
    }
}
