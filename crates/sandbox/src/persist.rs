//! The `--state` file, persisted incrementally: a change costs a line appended to the file, not
//! a rewrite of every record (100,000 opportunities are about 200 MB of JSON).
//!
//! The file is JSON Lines. Each line holds the state without its opportunities, some
//! opportunities, or both; loading applies the lines in order, a later record replacing an
//! earlier one. A full write (at start, and once the appended lines outgrow the last full
//! write) puts the state on the first line and the opportunities after it in batches, through a
//! new temporary file renamed over the old one. An append is one line written with one call and
//! synced, so a crash loses at most the line being written, which loading then ignores. A file
//! written by an older sandbox (one JSON object holding everything) is read as well.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::state::State;
use super::store::{Rng, StoredOpportunity};

/// Opportunities per line in a full write: lines of a few megabytes, so loading never holds a
/// huge intermediate value.
const BATCH: usize = 1_000;

/// Appended lines may grow to this size, or to the size of the last full write if larger,
/// before the next save compacts: writing stays proportional to what changed, amortized.
const MIN_APPENDED_BEFORE_COMPACTING: u64 = 8 << 20;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LineOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a State>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    opportunities: BTreeMap<&'a str, Vec<&'a StoredOpportunity>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct LineIn {
    #[serde(default)]
    state: Option<State>,
    #[serde(default)]
    opportunities: BTreeMap<String, Vec<StoredOpportunity>>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Parse(#[from] serde_json::Error),
}

/// Reads a state file; the indexes are rebuilt by the caller.
pub fn load(path: &Path) -> Result<State, LoadError> {
    let bytes = std::fs::read(path)?;
    let mut lines = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let Ok(LineIn {
        state: Some(mut state),
        opportunities,
    }) = serde_json::from_slice::<LineIn>(first)
    else {
        // An older sandbox's file: one object holding everything, possibly over many lines.
        return Ok(serde_json::from_slice(&bytes)?);
    };
    apply_opportunities(&mut state, opportunities);
    for line in lines {
        // Only the last line can be incomplete (a crash while appending); it is dropped, and
        // the full write at the next start removes it from the file.
        let Ok(line) = serde_json::from_slice::<LineIn>(line) else {
            tracing::warn!(path = %path.display(), "ignoring an incomplete last line of the state file");
            break;
        };
        if let Some(mut newer) = line.state {
            for (name, catalog) in &mut state.catalogs {
                if let Some(target) = newer.catalogs.get_mut(name) {
                    target.opportunities = std::mem::take(&mut catalog.opportunities);
                }
            }
            state = newer;
        }
        apply_opportunities(&mut state, line.opportunities);
    }
    Ok(state)
}

fn apply_opportunities(state: &mut State, lines: BTreeMap<String, Vec<StoredOpportunity>>) {
    for (catalog, records) in lines {
        let catalog = state.catalog(&catalog);
        for record in records {
            catalog.next_opportunity = catalog.next_opportunity.max(record.id + 1);
            catalog.opportunities.insert(record.id, record);
        }
    }
}

/// Where the state file stands: how much has been appended since the last full write.
#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    full_bytes: u64,
    appended_bytes: u64,
}

/// What a save wrote, for logs and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Full { bytes: u64 },
    Appended { bytes: u64 },
}

impl Persister {
    pub fn new(path: PathBuf) -> Persister {
        Persister {
            path,
            full_bytes: 0,
            appended_bytes: 0,
        }
    }

    fn compaction_due(&self) -> bool {
        self.appended_bytes > self.full_bytes.max(MIN_APPENDED_BEFORE_COMPACTING)
    }

    /// Saves `state`: the changes since the last save appended, or everything rewritten when
    /// `full` is asked for or the appended lines have grown past the last full write.
    pub fn save(&mut self, state: &mut State, full: bool) -> std::io::Result<Saved> {
        // Appending goes through the path, so it must still be the file this sandbox wrote:
        // a link planted in its place (or a file removed) gets a full write, which replaces it.
        let ours = std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.file_type().is_file());
        if full || !ours || self.compaction_due() {
            let bytes = self.write_full(state)?;
            self.full_bytes = bytes;
            self.appended_bytes = 0;
            return Ok(Saved::Full { bytes });
        }
        let mut changed: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (name, catalog) in &mut state.catalogs {
            let ids = catalog.take_changed();
            if !ids.is_empty() {
                changed.insert(name.clone(), ids.into_iter().collect());
            }
        }
        let line = LineOut {
            state: Some(state),
            opportunities: changed
                .iter()
                .map(|(name, ids)| {
                    let records = &state.catalogs[name].opportunities;
                    (
                        name.as_str(),
                        ids.iter().filter_map(|id| records.get(id)).collect(),
                    )
                })
                .collect(),
        };
        let mut bytes = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        let mut file = OpenOptions::new().append(true).open(&self.path)?;
        file.write_all(&bytes)?;
        file.sync_data()?;
        self.appended_bytes += bytes.len() as u64;
        Ok(Saved::Appended {
            bytes: bytes.len() as u64,
        })
    }

    fn write_full(&self, state: &mut State) -> std::io::Result<u64> {
        for catalog in state.catalogs.values_mut() {
            catalog.take_changed();
        }
        let state = &*state;
        write_atomically(&self.path, |out| {
            let mut written = write_line(
                out,
                &LineOut {
                    state: Some(state),
                    opportunities: BTreeMap::new(),
                },
            )?;
            for (name, catalog) in &state.catalogs {
                let records: Vec<&StoredOpportunity> = catalog.opportunities.values().collect();
                for batch in records.chunks(BATCH) {
                    written += write_line(
                        out,
                        &LineOut {
                            state: None,
                            opportunities: BTreeMap::from([(name.as_str(), batch.to_vec())]),
                        },
                    )?;
                }
            }
            Ok(written)
        })
    }
}

fn write_line(out: &mut BufWriter<File>, line: &LineOut) -> std::io::Result<u64> {
    let bytes = serde_json::to_vec(line).map_err(std::io::Error::other)?;
    out.write_all(&bytes)?;
    out.write_all(b"\n")?;
    Ok(bytes.len() as u64 + 1)
}

/// Writes via a new, uniquely named temporary file beside `path` (created exclusively, so it
/// never follows a link someone placed there), synced, then renamed over it: a crash never
/// leaves a half-written state, and a reader sees the old file or the new one.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<u64>,
) -> std::io::Result<u64> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let now = super::clock::now_millis();
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        Rng(now as u64 ^ u64::from(std::process::id())).below(u64::MAX)
    ));
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        // The state may hold a partner's own test records: readable by its owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&tmp)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let bytes = write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(bytes)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpportunityRecord;

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cosell-persist-{}-{}",
            std::process::id(),
            super::super::clock::now_millis()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn with_steps(state: &mut State, id: u64, steps: &str) {
        state
            .catalog("AWS")
            .modify_opportunity(id, |r| {
                r.doc["LifeCycle"]["NextSteps"] = serde_json::json!(steps);
            })
            .unwrap();
    }

    fn steps(state: &State, id: u64) -> String {
        let record = state.catalogs["AWS"].opportunities[&id].open();
        record.lifecycle_str("NextSteps").unwrap().to_string()
    }

    #[test]
    fn a_change_is_appended_and_read_back_over_the_full_write() {
        let path = dir().join("state.json");
        // Enough records that the demo's referral inbox is at its cap: what an append repeats
        // (invitations, tasks, solutions) no longer grows with the pipeline.
        let mut state = crate::demo::generate(7, 8_000, 1_800_000_000_000);
        let ids: Vec<u64> = state.catalogs["AWS"]
            .opportunities
            .keys()
            .copied()
            .collect();
        assert_eq!(ids.len(), 8_000);
        let mut persister = Persister::new(path.clone());
        let Saved::Full { bytes: full } = persister.save(&mut state, true).unwrap() else {
            panic!("the first save is a full write");
        };
        with_steps(&mut state, ids[10], "Call the CTO on Monday");
        state.catalog("AWS").next_opportunity += 5;
        let Saved::Appended { bytes: appended } = persister.save(&mut state, false).unwrap() else {
            panic!("a change is appended");
        };
        assert!(
            appended * 30 < full,
            "one change costs {appended} bytes against {full} for everything"
        );
        assert_eq!(std::fs::metadata(&path).unwrap().len(), full + appended);

        let loaded = load(&path).unwrap();
        assert_eq!(steps(&loaded, ids[10]), "Call the CTO on Monday");
        assert_eq!(steps(&loaded, ids[11]), steps(&state, ids[11]));
        assert_eq!(
            loaded.catalogs["AWS"].next_opportunity,
            state.catalogs["AWS"].next_opportunity
        );
        assert_eq!(loaded.catalogs["AWS"].opportunities.len(), 8_000);
        assert_eq!(
            loaded.catalogs["Sandbox"].opportunities.len(),
            state.catalogs["Sandbox"].opportunities.len()
        );
    }

    #[test]
    fn an_incomplete_last_line_is_ignored_and_earlier_changes_kept() {
        let path = dir().join("state.json");
        let mut state = crate::demo::generate(7, 200, 1_800_000_000_000);
        let id = *state.catalogs["AWS"].opportunities.keys().next().unwrap();
        let mut persister = Persister::new(path.clone());
        persister.save(&mut state, true).unwrap();
        with_steps(&mut state, id, "first");
        persister.save(&mut state, false).unwrap();
        with_steps(&mut state, id, "second");
        persister.save(&mut state, false).unwrap();
        // A crash in the middle of the last append.
        let length = std::fs::metadata(&path).unwrap().len();
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(length - 40).unwrap();
        assert_eq!(steps(&load(&path).unwrap(), id), "first");
    }

    #[test]
    fn appends_are_compacted_once_they_outgrow_the_full_write() {
        let path = dir().join("state.json");
        let mut state = crate::demo::generate(7, 50, 1_800_000_000_000);
        let id = *state.catalogs["AWS"].opportunities.keys().next().unwrap();
        let mut persister = Persister::new(path.clone());
        persister.save(&mut state, true).unwrap();
        let mut saves = Vec::new();
        // Each append repeats the small rest of the state; enough of them pass the threshold.
        for round in 0..4_000 {
            with_steps(&mut state, id, &format!("round {round}"));
            saves.push(persister.save(&mut state, false).unwrap());
            if matches!(saves.last(), Some(Saved::Full { .. })) {
                break;
            }
        }
        let fulls = saves
            .iter()
            .filter(|s| matches!(s, Saved::Full { .. }))
            .count();
        assert_eq!(
            fulls,
            1,
            "compacted once, after {} appends",
            saves.len() - 1
        );
        let Some(Saved::Full { bytes }) = saves.last() else {
            panic!("{saves:?}")
        };
        assert_eq!(std::fs::metadata(&path).unwrap().len(), *bytes);
        assert_eq!(steps(&load(&path).unwrap(), id), steps(&state, id));
    }

    #[test]
    fn a_state_file_from_before_incremental_saves_is_read() {
        let path = dir().join("old.json");
        let mut state = State::empty(1, "123456789012");
        let record = OpportunityRecord {
            id: 1_000_123,
            doc: serde_json::from_value(serde_json::json!({
                "Customer": {"Account": {"CompanyName": "Old Format Inc"}},
                "LifeCycle": {"Stage": "Prospect", "NextSteps": "kept"}
            }))
            .unwrap(),
            created: 1,
            last_modified: 2,
            involvement: None,
            visibility: None,
            submitted_at: None,
        };
        // The old layout: every catalog's opportunities inside the one state object.
        let mut old = serde_json::to_value(&state).unwrap();
        old["catalogs"]["AWS"]["opportunities"] =
            serde_json::json!({ "1000123": serde_json::to_value(&record).unwrap() });
        std::fs::write(&path, serde_json::to_vec_pretty(&old).unwrap()).unwrap();
        state.catalog("AWS").insert_opportunity(record);
        let loaded = load(&path).unwrap();
        assert_eq!(steps(&loaded, 1_000_123), "kept");
        assert_eq!(
            loaded.catalogs["AWS"].opportunities[&1_000_123].company_lower(),
            "old format inc"
        );
    }
    #[cfg(unix)]
    #[test]
    fn a_link_planted_in_place_of_the_state_file_is_replaced_not_followed() {
        let dir = dir();
        let path = dir.join("state.json");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "untouched").unwrap();
        let mut state = crate::demo::generate(7, 20, 1_800_000_000_000);
        let id = *state.catalogs["AWS"].opportunities.keys().next().unwrap();
        let mut persister = Persister::new(path.clone());
        persister.save(&mut state, true).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        with_steps(&mut state, id, "after the link");
        assert!(matches!(
            persister.save(&mut state, false).unwrap(),
            Saved::Full { .. }
        ));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(
            std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_file()
        );
        assert_eq!(steps(&load(&path).unwrap(), id), "after the link");
    }

    #[cfg(unix)]
    #[test]
    fn the_state_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let path = dir().join("state.json");
        let mut state = crate::demo::generate(7, 5, 1_800_000_000_000);
        Persister::new(path.clone()).save(&mut state, true).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
