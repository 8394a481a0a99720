//! The log itself: entries appended in order, indexed by id, by (kind, release) and by link, so that
//! queries cost what they return and a failed step can be rolled back.

use super::entry::{entry_digest_of, DigestedFields, Entry, GENESIS};
use crate::json::{digest, Value};
use crate::record::{field, RecordKind};
use crate::roles::{Identities, Role};
use std::collections::HashMap;

/// An append-only hash chain of records, with an index from id to position and one from (kind, release
/// record ref) to positions, so "the latest record of a kind" never walks the log.
#[derive(Clone, Debug)]
pub struct EvidenceLog {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    by_kind: HashMap<KindKey, Vec<usize>>,
    by_link: HashMap<LinkKey, Vec<usize>>,
    /// For an entry whose id an earlier entry already had: that earlier entry's position.
    shadowed: HashMap<usize, usize>,
    /// The role appending now (D-12). The session sets it once per act, before the act appends anything,
    /// so every record of an act names the role that did it and no step can append as another role.
    actor: Role,
    /// Each role's identity in the session (D-12), written into the chain file's `actors`.
    identities: Identities,
    /// `identities` as the chain's `actors`, built once: every entry digest covers it.
    actors: Value,
}

/// Two logs are equal when they hold the same entries for the same identities; the role appending
/// now is not part of what a log holds.
impl PartialEq for EvidenceLog {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
            && self.identities == other.identities
            && self.by_id == other.by_id
            && self.by_kind == other.by_kind
            && self.by_link == other.by_link
            && self.shadowed == other.shadowed
    }
}

impl Default for EvidenceLog {
    fn default() -> Self {
        EvidenceLog {
            entries: Vec::new(),
            by_id: HashMap::new(),
            by_kind: HashMap::new(),
            by_link: HashMap::new(),
            shadowed: HashMap::new(),
            actor: Role::ReleaseManager,
            actors: Identities::demo().to_value(),
            identities: Identities::demo(),
        }
    }
}

type KindKey = (RecordKind, String);
type LinkKey = (RecordKind, &'static str, String);

/// Where an entry is indexed: its kind and release, and each link field it carries.
fn index_keys(entry: &Entry) -> (KindKey, Vec<LinkKey>) {
    let kind_key = (
        entry.kind,
        entry.record.str_at(field::RELEASE_RECORD_REF).to_string(),
    );
    let link_keys = LINK_FIELDS
        .into_iter()
        .filter_map(|field| {
            let value = entry.record.get(field).and_then(Value::as_str)?;
            Some((entry.kind, field, value.to_string()))
        })
        .collect();
    (kind_key, link_keys)
}

/// Takes the last-appended position `index` out of an index (positions are kept in append order, so it
/// is the last one).
fn forget<K: Eq + std::hash::Hash>(index_map: &mut HashMap<K, Vec<usize>>, key: K, index: usize) {
    if let Some(positions) = index_map.get_mut(&key) {
        if positions.last() == Some(&index) {
            positions.pop();
        }
        if positions.is_empty() {
            index_map.remove(&key);
        }
    }
}

/// The fields by which records name the record they follow from (a delivery its summary or alert plan, a
/// worker run its retry plan, an alert plan its health report), indexed so that following a link costs
/// the records linked, not the log.
pub const LINK_FIELDS: [&str; 4] = [
    field::SUMMARY_ID,
    field::PLAN_ID,
    field::RETRY_PLAN_ID,
    field::HEALTH_ID,
];

impl EvidenceLog {
    pub fn new() -> EvidenceLog {
        EvidenceLog::default()
    }

    /// An empty log for a session whose roles have these identities.
    pub fn with_identities(identities: Identities) -> EvidenceLog {
        EvidenceLog {
            actors: identities.to_value(),
            identities,
            ..EvidenceLog::default()
        }
    }

    /// Each role's identity in the session.
    pub fn identities(&self) -> &Identities {
        &self.identities
    }

    /// The identities as the chain file's `actors`.
    pub fn actors(&self) -> &Value {
        &self.actors
    }

    /// The acting role's identity: what a record's `*_by` field holds (D-12).
    pub fn actor_identity(&self) -> &str {
        self.identities.of(self.actor)
    }

    /// Sets the role that appends from now on (D-12): the session's acting role for one act.
    pub(crate) fn set_actor(&mut self, role: Role) {
        self.actor = role;
    }

    /// The role appending now.
    pub fn actor(&self) -> Role {
        self.actor
    }

    /// Appends a sealed record as the acting role; returns its entry. Cost is independent of the log's
    /// length.
    pub fn append(&mut self, kind: RecordKind, record: Value) -> &Entry {
        let seq = self.entries.len();
        let prev = self
            .entries
            .last()
            .map_or(GENESIS.to_string(), |e| e.entry_digest.clone());
        let record_digest = digest(&record);
        let actor_role = self.actor;
        let entry_digest = entry_digest_of(&DigestedFields {
            seq: &Value::from(seq),
            kind: &Value::from(kind.spec().name),
            actor_role: Some(&Value::from(actor_role.id())),
            actors: Some(&self.actors),
            record: &record,
            record_digest: &Value::from(&record_digest),
            prev: &Value::from(&prev),
        });
        self.push(Entry {
            seq,
            kind,
            actor_role,
            record,
            record_digest,
            prev_entry_digest: prev,
            entry_digest,
        })
    }

    /// Adds an entry whose digests are already known to be right, indexing its id, kind and release.
    pub(super) fn push(&mut self, entry: Entry) -> &Entry {
        let index = self.entries.len();
        if let Some(earlier) = self.by_id.insert(entry.id().to_string(), index) {
            // The same id again (a step re-run at the same time): `by_id` names the latest, and a
            // roll-back must give the earlier one its place back.
            self.shadowed.insert(index, earlier);
        }
        let (kind_key, link_keys) = index_keys(&entry);
        self.by_kind.entry(kind_key).or_default().push(index);
        for key in link_keys {
            self.by_link.entry(key).or_default().push(index);
        }
        self.entries.push(entry);
        &self.entries[index]
    }

    /// Forgets the entries from `len` on, as if they had never been appended: a step that fails part-way
    /// leaves the log as it was. Costs what was appended since `len`, not the log's length.
    pub(crate) fn roll_back_to(&mut self, len: usize) {
        while self.entries.len() > len {
            let Some(entry) = self.entries.pop() else {
                break;
            };
            let index = self.entries.len();
            if self.by_id.get(entry.id()) == Some(&index) {
                match self.shadowed.remove(&index) {
                    Some(earlier) => self.by_id.insert(entry.id().to_string(), earlier),
                    None => self.by_id.remove(entry.id()),
                };
            }
            let (kind_key, link_keys) = index_keys(&entry);
            forget(&mut self.by_kind, kind_key, index);
            for key in link_keys {
                forget(&mut self.by_link, key, index);
            }
        }
    }

    /// Seals a freshly built record (fills in its id and hash) and appends it.
    pub fn append_sealed(&mut self, kind: RecordKind, record: Value) -> &Entry {
        self.append(kind, crate::record::seal(kind, record))
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The record with this id.
    pub fn by_id(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&index| &self.entries[index])
    }

    /// The latest record of a kind for a release record ref (D-9: always scoped to the ref).
    pub fn latest(&self, kind: RecordKind, release_record_ref: &str) -> Option<&Entry> {
        self.positions(kind, release_record_ref)
            .last()
            .map(|&index| &self.entries[index])
    }

    /// Every record of a kind for a release record ref, oldest first (`rev()` reads newest first).
    pub fn all(
        &self,
        kind: RecordKind,
        release_record_ref: &str,
    ) -> impl DoubleEndedIterator<Item = &Entry> {
        self.positions(kind, release_record_ref)
            .iter()
            .map(|&index| &self.entries[index])
    }

    /// Every record of a kind for a release record ref whose link `field` (one of [`LINK_FIELDS`]) names
    /// `id`, oldest first.
    pub fn linked<'a>(
        &'a self,
        kind: RecordKind,
        release_record_ref: &'a str,
        field: &'static str,
        id: &str,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        debug_assert!(LINK_FIELDS.contains(&field), "{field} is not indexed");
        self.by_link
            .get(&(kind, field, id.to_string()))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&index| &self.entries[index])
            .filter(move |e| e.record.str_at(field::RELEASE_RECORD_REF) == release_record_ref)
    }

    fn positions(&self, kind: RecordKind, release_record_ref: &str) -> &[usize] {
        // The key borrows nothing, so it is built once per query (a short string), never per entry.
        self.by_kind
            .get(&(kind, release_record_ref.to_string()))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use crate::flow::Session;
    use crate::scenario::Scenario;

    #[test]
    fn rolling_back_leaves_the_log_as_if_nothing_had_been_appended() {
        let scenario = Scenario::built_in("accepted-risk").expect("built-in");
        let now = scenario.generated_at;
        let mut session = Session::start(scenario.clone());
        session.run_remaining(now);
        let full = session.log().clone();
        let seeded = Session::start(scenario).log().clone();
        let mut rolled = full.clone();
        rolled.roll_back_to(seeded.len());
        // Entries and all three indexes are those of the seeded log.
        assert_eq!(rolled, seeded);
        // And the same records appended again give the same log, digests included.
        for entry in &full.entries()[seeded.len()..] {
            rolled.set_actor(entry.actor_role);
            rolled.append(entry.kind, entry.record.clone());
        }
        assert_eq!(rolled, full);
    }

    #[test]
    fn rolling_back_a_repeated_id_gives_the_earlier_record_its_place_back() {
        let scenario = Scenario::built_in("accepted-risk").expect("built-in");
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        let mut log = session.log().clone();
        let before = log.clone();
        let last = log.entries()[log.len() - 1].clone();
        // The same record again: the same id, a new entry.
        log.append(last.kind, last.record.clone());
        assert_eq!(log.by_id(last.id()).map(|e| e.seq), Some(before.len()));
        log.roll_back_to(before.len());
        assert_eq!(log.by_id(last.id()).map(|e| e.seq), Some(last.seq));
        assert_eq!(log, before);
    }

    #[test]
    fn latest_all_and_linked_are_scoped_to_the_release() {
        let scenario = Scenario::built_in("accepted-risk").expect("built-in");
        let reference = scenario.release_record_ref.clone();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        let log = session.log();
        let summary = log
            .latest(crate::record::RecordKind::CloseoutSummary, &reference)
            .expect("a summary");
        let linked: Vec<_> = log
            .linked(
                crate::record::RecordKind::ConnectorDelivery,
                &reference,
                "summary_id",
                summary.id(),
            )
            .map(|e| e.seq)
            .collect();
        let scanned: Vec<_> = log
            .entries()
            .iter()
            .filter(|e| {
                e.kind == crate::record::RecordKind::ConnectorDelivery
                    && e.record.str_at("summary_id") == summary.id()
            })
            .map(|e| e.seq)
            .collect();
        assert!(!linked.is_empty());
        assert_eq!(linked, scanned);
        assert!(log
            .latest(
                crate::record::RecordKind::CloseoutSummary,
                "another-release"
            )
            .is_none());
        assert_eq!(
            log.linked(
                crate::record::RecordKind::ConnectorDelivery,
                "another-release",
                "summary_id",
                summary.id()
            )
            .count(),
            0
        );
    }
}
