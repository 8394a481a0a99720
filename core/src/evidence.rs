//! The evidence log (D-2): records appended, never edited, to a hash chain, and its verification.
//!
//! entry = `{seq, kind, record, record_digest, prev_entry_digest, entry_digest}`; `entry_digest` covers the
//! other five fields; the first entry's `prev_entry_digest` is 64 zeros.

use crate::json::{digest, Value};
use crate::record::{identity_of, RecordKind, CROSS_LINKS};
use std::collections::HashMap;
use std::fmt;

/// The `prev_entry_digest` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The schema of `evidence-chain.json`.
pub const CHAIN_SCHEMA: &str = "closeout.evidence_chain.v1";

/// One link of the chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub seq: usize,
    pub kind: RecordKind,
    pub record: Value,
    pub record_digest: String,
    pub prev_entry_digest: String,
    pub entry_digest: String,
}

impl Entry {
    /// The record's id (the value of its kind's id field).
    pub fn id(&self) -> &str {
        self.record.str_at(self.kind.spec().id_field)
    }

    /// The entry as JSON, in the chain file's field order.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("seq", Value::from(self.seq)),
            ("kind", Value::from(self.kind.spec().name)),
            ("record", self.record.clone()),
            ("record_digest", Value::from(&self.record_digest)),
            ("prev_entry_digest", Value::from(&self.prev_entry_digest)),
            ("entry_digest", Value::from(&self.entry_digest)),
        ])
    }
}

fn entry_digest_of(
    seq: &Value,
    kind: &Value,
    record: &Value,
    record_digest: &Value,
    prev: &Value,
) -> String {
    digest(&Value::object([
        ("seq", seq.clone()),
        ("kind", kind.clone()),
        ("record", record.clone()),
        ("record_digest", record_digest.clone()),
        ("prev_entry_digest", prev.clone()),
    ]))
}

/// An append-only hash chain of records, with an index from id to position and one from (kind, release
/// record ref) to positions, so "the latest record of a kind" never walks the log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvidenceLog {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    by_kind: HashMap<KindKey, Vec<usize>>,
    by_link: HashMap<LinkKey, Vec<usize>>,
    /// For an entry whose id an earlier entry already had: that earlier entry's position.
    shadowed: HashMap<usize, usize>,
}

type KindKey = (RecordKind, String);
type LinkKey = (RecordKind, &'static str, String);

/// Where an entry is indexed: its kind and release, and each link field it carries.
fn index_keys(entry: &Entry) -> (KindKey, Vec<LinkKey>) {
    let kind_key = (
        entry.kind,
        entry.record.str_at("release_record_ref").to_string(),
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
pub const LINK_FIELDS: [&str; 4] = ["summary_id", "plan_id", "retry_plan_id", "health_id"];

impl EvidenceLog {
    pub fn new() -> EvidenceLog {
        EvidenceLog::default()
    }

    /// Appends a sealed record; returns its entry. Cost is independent of the log's length.
    pub fn append(&mut self, kind: RecordKind, record: Value) -> &Entry {
        let seq = self.entries.len();
        let prev = self
            .entries
            .last()
            .map_or(GENESIS.to_string(), |e| e.entry_digest.clone());
        let record_digest = digest(&record);
        let entry_digest = entry_digest_of(
            &Value::from(seq),
            &Value::from(kind.spec().name),
            &record,
            &Value::from(&record_digest),
            &Value::from(&prev),
        );
        self.push(Entry {
            seq,
            kind,
            record,
            record_digest,
            prev_entry_digest: prev,
            entry_digest,
        })
    }

    /// Adds an entry whose digests are already known to be right, indexing its id, kind and release.
    fn push(&mut self, entry: Entry) -> &Entry {
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
            .filter(move |e| e.record.str_at("release_record_ref") == release_record_ref)
    }

    fn positions(&self, kind: RecordKind, release_record_ref: &str) -> &[usize] {
        // The key borrows nothing, so it is built once per query (a short string), never per entry.
        self.by_kind
            .get(&(kind, release_record_ref.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The chain file, `evidence-chain.json`.
    pub fn to_chain_value(&self, release_record_ref: &str) -> Value {
        Value::object([
            ("schema_version", Value::from(CHAIN_SCHEMA)),
            ("release_record_ref", Value::from(release_record_ref)),
            ("entry_count", Value::from(self.entries.len())),
            (
                "head_digest",
                Value::from(
                    self.entries
                        .last()
                        .map_or(GENESIS, |e| e.entry_digest.as_str()),
                ),
            ),
            (
                "entries",
                Value::Array(self.entries.iter().map(Entry::to_value).collect()),
            ),
        ])
    }

    /// Reads and verifies a chain file, returning the log it holds.
    pub fn from_chain_value(chain: &Value) -> Result<EvidenceLog, ChainError> {
        verify_chain(chain)?;
        // Verification has just recomputed every digest, so the entries are taken as they are rather
        // than hashed a second time.
        let mut log = EvidenceLog::new();
        for (seq, item) in chain
            .get("entries")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let kind = RecordKind::from_name(item.str_at("kind"))
                .ok_or_else(|| ChainError::unreadable("unknown kind"))?;
            log.push(Entry {
                seq,
                kind,
                record: item.get("record").cloned().unwrap_or(Value::Null),
                record_digest: item.str_at("record_digest").to_string(),
                prev_entry_digest: item.str_at("prev_entry_digest").to_string(),
                entry_digest: item.str_at("entry_digest").to_string(),
            });
        }
        Ok(log)
    }
}

/// Why a chain does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainError {
    /// Not a chain file at all (wrong schema, missing fields, wrong types).
    Unreadable { problem: String },
    /// A chain whose content was changed: the first broken entry and what is wrong with it.
    Tampered {
        seq: usize,
        kind: String,
        problem: String,
    },
}

impl ChainError {
    fn unreadable(problem: impl Into<String>) -> ChainError {
        ChainError::Unreadable {
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::Unreadable { problem } => {
                write!(f, "not a readable evidence chain: {problem}")
            }
            ChainError::Tampered { seq, kind, problem } => {
                write!(
                    f,
                    "tampered: entry {seq} ({kind}), $.entries[{seq}]: {problem}"
                )
            }
        }
    }
}

impl std::error::Error for ChainError {}

/// What a verified chain holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: usize,
    pub head_digest: String,
}

/// Verifies a chain file: every record's own id and hash from its material, every record and entry
/// digest, every link to the previous entry, and every cross-link to an earlier record.
pub fn verify_chain(chain: &Value) -> Result<ChainReport, ChainError> {
    if chain.get("schema_version").and_then(Value::as_str) != Some(CHAIN_SCHEMA) {
        return Err(ChainError::unreadable(format!(
            "$.schema_version must be \"{CHAIN_SCHEMA}\""
        )));
    }
    let entries = chain
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| ChainError::unreadable("$.entries must be an array"))?;
    // Every record must belong to the chain's release; a chain without one is not a chain file.
    let release_record_ref = chain
        .get("release_record_ref")
        .and_then(Value::as_str)
        .ok_or_else(|| ChainError::unreadable("$.release_record_ref must be a string"))?;
    let mut seen: HashMap<String, (RecordKind, Value)> = HashMap::new();
    let mut prev = GENESIS.to_string();
    for (index, item) in entries.iter().enumerate() {
        let kind_name = item.str_at("kind").to_string();
        let tampered = |problem: String| ChainError::Tampered {
            seq: index,
            kind: kind_name.clone(),
            problem,
        };
        let Value::Object(_) = item else {
            return Err(tampered("the entry is not an object".into()));
        };
        let kind = RecordKind::from_name(&kind_name)
            .ok_or_else(|| tampered(format!("unknown kind {kind_name:?}")))?;
        if item.get("seq").and_then(Value::as_i64) != Some(index as i64) {
            return Err(tampered(format!(
                "seq must be {index} (entries removed or reordered)"
            )));
        }
        let record = item
            .get("record")
            .filter(|r| r.as_object().is_some())
            .ok_or_else(|| tampered("record must be an object".into()))?;
        if item.str_at("prev_entry_digest") != prev {
            return Err(tampered("prev_entry_digest does not match the previous entry (entries removed or reordered)".into()));
        }
        if item.str_at("record_digest") != digest(record) {
            return Err(tampered("record_digest does not match the record".into()));
        }
        let expected_entry = entry_digest_of(
            item.get("seq").unwrap_or(&Value::Null),
            item.get("kind").unwrap_or(&Value::Null),
            record,
            item.get("record_digest").unwrap_or(&Value::Null),
            item.get("prev_entry_digest").unwrap_or(&Value::Null),
        );
        if item.str_at("entry_digest") != expected_entry {
            return Err(tampered("entry_digest does not match the entry".into()));
        }
        if record.str_at("release_record_ref") != release_record_ref {
            return Err(tampered(
                "the record belongs to another release than the chain's release_record_ref".into(),
            ));
        }
        let spec = kind.spec();
        let (id, hash) = identity_of(kind, record);
        if record.str_at(spec.id_field) != id {
            return Err(tampered(format!(
                "{} does not match the record's material",
                spec.id_field
            )));
        }
        if let (Some(field), Some(hash)) = (spec.hash_field, hash) {
            if record.str_at(field) != hash {
                return Err(tampered(format!(
                    "{field} does not match the record's material"
                )));
            }
        }
        for link in CROSS_LINKS.iter().filter(|link| {
            link.from == kind && !(link.optional && record.get(link.field).is_none())
        }) {
            let target_id = record.str_at(link.field);
            match seen.get(target_id) {
                Some((target_kind, target)) if *target_kind == link.to => {
                    if let (Some(hash_field), Some(target_hash_field)) =
                        (link.hash_field, link.to.spec().hash_field)
                    {
                        if record.str_at(hash_field) != target.str_at(target_hash_field) {
                            return Err(tampered(format!(
                                "{hash_field} does not match the {} it names",
                                link.to.spec().name
                            )));
                        }
                    }
                }
                _ => {
                    return Err(tampered(format!(
                        "{} names no earlier {} record ({target_id:?})",
                        link.field,
                        link.to.spec().name
                    )))
                }
            }
        }
        seen.insert(id, (kind, record.clone()));
        prev = item.str_at("entry_digest").to_string();
    }
    if let Some(head) = chain.get("head_digest") {
        if head.as_str() != Some(prev.as_str()) {
            return Err(ChainError::Tampered {
                seq: entries.len(),
                kind: "head".into(),
                problem: "head_digest does not match the last entry".into(),
            });
        }
    }
    if let Some(count) = chain.get("entry_count") {
        if count.as_i64() != Some(entries.len() as i64) {
            return Err(ChainError::Tampered {
                seq: entries.len(),
                kind: "head".into(),
                problem: "entry_count does not match the entries".into(),
            });
        }
    }
    Ok(ChainReport {
        entries: entries.len(),
        head_digest: prev,
    })
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
