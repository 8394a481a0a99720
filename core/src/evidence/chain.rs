//! The chain file, `evidence-chain.json`: writing a log to it, and reading and verifying one.

use super::binding::{self, Seen};
use super::entry::{entry_digest_of, DigestedFields, Entry, GENESIS};
use super::log::EvidenceLog;
use crate::json::{digest, Value};
use crate::record::{field, identity_of, RecordKind, CROSS_LINKS};
use crate::roles::{Identities, Role};
use std::collections::HashMap;
use std::fmt;

/// The schema of `evidence-chain.json` this build writes: format 2, whose entries name the role that
/// appended them (`actor_role`, D-12) and whose header names each role's identity (`actors`).
pub const CHAIN_SCHEMA: &str = "closeout.evidence_chain.v2";
/// The schema of a format 1 chain, written before actors were bound: read and verified, never written.
pub const CHAIN_SCHEMA_V1: &str = "closeout.evidence_chain.v1";

/// A chain file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainFormat {
    /// Entries without `actor_role`; `*_by` fields hold whatever was typed. Verifiable, but it cannot
    /// say who appended each record.
    V1,
    /// Entries name the role that appended them, and verification checks every record against it.
    V2,
}

impl ChainFormat {
    /// The format's number, as reports print it.
    pub fn number(self) -> u32 {
        match self {
            ChainFormat::V1 => 1,
            ChainFormat::V2 => 2,
        }
    }

    /// The format a chain file declares.
    pub fn of(chain: &Value) -> Option<ChainFormat> {
        match chain.get("schema_version").and_then(Value::as_str) {
            Some(CHAIN_SCHEMA) => Some(ChainFormat::V2),
            Some(CHAIN_SCHEMA_V1) => Some(ChainFormat::V1),
            _ => None,
        }
    }
}

impl EvidenceLog {
    /// The chain file, `evidence-chain.json`.
    pub fn to_chain_value(&self, release_record_ref: &str) -> Value {
        Value::object([
            ("schema_version", Value::from(CHAIN_SCHEMA)),
            ("release_record_ref", Value::from(release_record_ref)),
            ("actors", self.actors().clone()),
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

    /// Reads and verifies a format 2 chain file, returning the log it holds. A format 1 chain verifies
    /// (`verify_chain`) but is not read as a log: it cannot say who appended its records, so a session
    /// is rebuilt from its actions instead (`stored`).
    pub fn from_chain_value(chain: &Value) -> Result<EvidenceLog, ChainError> {
        let report = verify_chain(chain)?;
        if report.format != ChainFormat::V2 {
            return Err(ChainError::unreadable(format!(
                "it is a format 1 chain ({CHAIN_SCHEMA_V1}), written before entries named who appended them; it verifies, but only a format 2 chain can be continued"
            )));
        }
        let identities = chain_identities(chain)?;
        // Verification has just recomputed every digest, so the entries are taken as they are rather
        // than hashed a second time.
        let mut log = EvidenceLog::with_identities(identities);
        for (seq, item) in chain
            .get("entries")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let kind = RecordKind::from_name(item.str_at("kind"))
                .ok_or_else(|| ChainError::unreadable("unknown kind"))?;
            let actor_role = Role::from_id(item.str_at("actor_role"))
                .ok_or_else(|| ChainError::unreadable("an entry names no role"))?;
            log.push(Entry {
                seq,
                kind,
                actor_role,
                record: item.get("record").cloned().unwrap_or(Value::Null),
                record_digest: item.str_at("record_digest").to_string(),
                prev_entry_digest: item.str_at("prev_entry_digest").to_string(),
                entry_digest: item.str_at("entry_digest").to_string(),
            });
        }
        Ok(log)
    }
}

/// The `actors` of a format 2 chain.
fn chain_identities(chain: &Value) -> Result<Identities, ChainError> {
    let actors = chain
        .get("actors")
        .filter(|a| a.as_object().is_some())
        .ok_or_else(|| {
            ChainError::unreadable("$.actors must be an object naming each role's identity")
        })?;
    for role in Role::ALL {
        if actors.get(role.id()).and_then(Value::as_str).is_none() {
            return Err(ChainError::unreadable(format!(
                "$.actors.{} must be the {}'s identity",
                role.id(),
                role.noun()
            )));
        }
    }
    Identities::from_value(actors).map_err(|e| ChainError::unreadable(format!("$.actors: {e}")))
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
    /// The chain's format: a format 1 chain cannot say who appended its records.
    pub format: ChainFormat,
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
    /// How a chain ends whose facts (entries but trailing attestations) number `entries` and whose last
    /// final decision, if any, is at `last_final_decision`.
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
    let format = ChainFormat::of(chain).ok_or_else(|| {
        ChainError::unreadable(format!(
            "$.schema_version must be \"{CHAIN_SCHEMA}\" (or \"{CHAIN_SCHEMA_V1}\" for a chain written before actors were bound)"
        ))
    })?;
    let identities = match format {
        ChainFormat::V2 => Some(chain_identities(chain)?),
        ChainFormat::V1 => None,
    };
    // The digests cover the actors as this build writes them (every role, in the roles' order).
    let actors_value = identities.as_ref().map(Identities::to_value);
    let entries = chain
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| ChainError::unreadable("$.entries must be an array"))?;
    // Every record must belong to the chain's release; a chain without one is not a chain file.
    let release_record_ref = chain
        .get("release_record_ref")
        .and_then(Value::as_str)
        .ok_or_else(|| ChainError::unreadable("$.release_record_ref must be a string"))?;
    let mut seen: Seen = HashMap::new();
    let mut entry_digests: Vec<String> = Vec::with_capacity(entries.len());
    let mut last_final_decision = None;
    let mut last_fact: Option<usize> = None;
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
        let actor = match &identities {
            Some(_) => Some(Role::from_id(item.str_at("actor_role")).ok_or_else(|| {
                tampered(format!(
                    "actor_role {:?} is not one of the five role ids",
                    item.str_at("actor_role")
                ))
            })?),
            None => None,
        };
        let expected_entry = entry_digest_of(&DigestedFields {
            seq: item.get("seq").unwrap_or(&Value::Null),
            kind: item.get("kind").unwrap_or(&Value::Null),
            actor_role: match format {
                ChainFormat::V2 => Some(item.get("actor_role").unwrap_or(&Value::Null)),
                ChainFormat::V1 => None,
            },
            actors: actors_value.as_ref(),
            record,
            record_digest: item.get("record_digest").unwrap_or(&Value::Null),
            prev: item.get("prev_entry_digest").unwrap_or(&Value::Null),
        });
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
            let names_nothing = match record.get(link.field) {
                None | Some(Value::Null) => true,
                Some(value) => value.as_str() == Some(""),
            };
            link.from == kind && !(link.optional && names_nothing)
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
        if let (Some(identities), Some(actor)) = (&identities, actor) {
            binding::check(kind, actor, record, identities, &seen).map_err(tampered)?;
        }
        seen.insert(id, (kind, record.clone()));
        if kind == RecordKind::FinalDecision {
            last_final_decision = Some(index);
        }
        // An auditor's attestation reads the chain; it changes no fact a decision rests on, so one after
        // the final decision leaves the decision the chain's last word.
        if kind != RecordKind::Attestation {
            last_fact = Some(index);
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
        format,
        entries: entries.len(),
        head_digest,
        ending: ChainEnding::of(last_fact.map_or(0, |seq| seq + 1), last_final_decision),
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
            log.set_actor(entry.actor_role);
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
