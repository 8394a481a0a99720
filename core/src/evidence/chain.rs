//! The chain file, `evidence-chain.json`: writing a log to it, and reading and verifying one.

use super::entry::{entry_digest_of, Entry, GENESIS};
use super::log::EvidenceLog;
use crate::json::{digest, Value};
use crate::record::{field, identity_of, RecordKind, CROSS_LINKS};
use std::collections::HashMap;
use std::fmt;

/// The schema of `evidence-chain.json`.
pub const CHAIN_SCHEMA: &str = "closeout.evidence_chain.v1";

impl EvidenceLog {
    /// The chain file, `evidence-chain.json`.
    pub fn to_chain_value(&self, release_record_ref: &str) -> Value {
        Value::object([
            ("schema_version", Value::from(CHAIN_SCHEMA)),
            ("release_record_ref", Value::from(release_record_ref)),
            ("entry_count", Value::from(self.entries().len())),
            (
                "head_digest",
                Value::from(
                    self.entries()
                        .last()
                        .map_or(GENESIS, |e| e.entry_digest.as_str()),
                ),
            ),
            (
                "entries",
                Value::Array(self.entries().iter().map(Entry::to_value).collect()),
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
    /// The last entry's `entry_digest` (64 zeros for an empty chain): the head to pin a copy to.
    pub head_digest: String,
    /// Every entry's `entry_digest`, in order, so the chain can be compared with another.
    pub entry_digests: Vec<String>,
    /// Whether the chain ends with its final decision (`docs/domain.md#d-17-a-chain-that-ends-early-says-so`).
    pub ending: ChainEnding,
}

impl ChainReport {
    /// Whether the chain holds a final decision record at all.
    pub fn has_final_decision(&self) -> bool {
        !matches!(self.ending, ChainEnding::NoFinalDecision)
    }

    /// How many entries follow the last final decision (0 when it is the last entry or there is none).
    pub fn entries_after_final_decision(&self) -> usize {
        match self.ending {
            ChainEnding::AfterFinalDecision { entries_after, .. } => entries_after,
            ChainEnding::FinalDecision | ChainEnding::NoFinalDecision => 0,
        }
    }
}

/// How a chain ends. A hash chain cannot show that its last entries were cut off (D-17): a cut that also
/// rewrites `entry_count` and `head_digest` verifies. A chain that does not end with its final decision is
/// the one sign of such a cut the chain itself can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainEnding {
    /// The last entry is a final decision: the decision is the chain's last word.
    FinalDecision,
    /// Entries follow the last final decision (at `final_decision_seq`), so it is not the last word.
    AfterFinalDecision {
        final_decision_seq: usize,
        entries_after: usize,
    },
    /// The chain holds no final decision record (an empty chain included).
    NoFinalDecision,
}

impl ChainEnding {
    /// How a chain of `entries` entries ends whose last final decision, if any, is at `last_final_decision`.
    fn of(entries: usize, last_final_decision: Option<usize>) -> ChainEnding {
        match last_final_decision {
            None => ChainEnding::NoFinalDecision,
            Some(seq) if seq + 1 == entries => ChainEnding::FinalDecision,
            Some(seq) => ChainEnding::AfterFinalDecision {
                final_decision_seq: seq,
                entries_after: entries.saturating_sub(seq + 1),
            },
        }
    }
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
    let mut entry_digests: Vec<String> = Vec::with_capacity(entries.len());
    let mut last_final_decision = None;
    for (index, item) in entries.iter().enumerate() {
        let kind_name = item.str_at("kind").to_string();
        let prev = entry_digests.last().map_or(GENESIS, String::as_str);
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
        if record.str_at(field::RELEASE_RECORD_REF) != release_record_ref {
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
        if kind == RecordKind::FinalDecision {
            last_final_decision = Some(index);
        }
        entry_digests.push(item.str_at("entry_digest").to_string());
    }
    let head_digest = entry_digests
        .last()
        .map_or(GENESIS, String::as_str)
        .to_string();
    if let Some(head) = chain.get("head_digest") {
        if head.as_str() != Some(head_digest.as_str()) {
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
        head_digest,
        ending: ChainEnding::of(entries.len(), last_final_decision),
        entry_digests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verification::fixtures::{cut, ran};

    #[test]
    fn a_finished_session_ends_with_its_final_decision() {
        let session = ran();
        let report =
            verify_chain(&session.log().to_chain_value(session.release_record_ref())).unwrap();
        assert_eq!(report.ending, ChainEnding::FinalDecision);
        assert!(report.has_final_decision());
        assert_eq!(report.entries_after_final_decision(), 0);
        assert_eq!(report.head_digest, session.head_digest());
        let digests: Vec<&str> = session
            .log()
            .entries()
            .iter()
            .map(|e| e.entry_digest.as_str())
            .collect();
        assert_eq!(report.entry_digests, digests);
    }

    #[test]
    fn a_chain_cut_with_its_head_mended_verifies_but_has_no_final_decision() {
        let session = ran();
        let chain = session.log().to_chain_value(session.release_record_ref());
        let report = verify_chain(&cut(&chain, 15)).unwrap();
        assert_eq!(report.entries, 15);
        assert_eq!(report.ending, ChainEnding::NoFinalDecision);
        assert!(!report.has_final_decision());
        assert_eq!(report.entries_after_final_decision(), 0);
        assert_eq!(report.head_digest, session.log().entries()[14].entry_digest);
    }

    #[test]
    fn an_empty_chain_has_no_final_decision_and_the_genesis_head() {
        let session = ran();
        let chain = session.log().to_chain_value(session.release_record_ref());
        let report = verify_chain(&cut(&chain, 0)).unwrap();
        assert_eq!(report.entries, 0);
        assert_eq!(report.head_digest, GENESIS);
        assert!(report.entry_digests.is_empty());
        assert_eq!(report.ending, ChainEnding::NoFinalDecision);
    }

    #[test]
    fn entries_after_the_final_decision_are_counted() {
        let session = ran();
        let chain = session.log().to_chain_value(session.release_record_ref());
        let mut log = EvidenceLog::from_chain_value(&chain).unwrap();
        let last = log.entries().len() - 1;
        // Records appended again after the decision: the chain stays intact, the decision is not last.
        for seq in [last - 1, last - 2] {
            let entry = log.entries()[seq].clone();
            log.append(entry.kind, entry.record);
        }
        let report = verify_chain(&log.to_chain_value(session.release_record_ref())).unwrap();
        assert_eq!(
            report.ending,
            ChainEnding::AfterFinalDecision {
                final_decision_seq: last,
                entries_after: 2
            }
        );
        assert!(report.has_final_decision());
        assert_eq!(report.entries_after_final_decision(), 2);
    }
}
