//! Comparing a chain someone hands over with the session's own: the same, the session's cut short, or
//! another from some entry on. Each entry's digest covers the one before it, so the first entry whose
//! digest differs is where two chains part, and every entry before it is the same.

use crate::evidence::{ChainReport, EvidenceLog};

/// How a verified chain stands to the session's chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainComparison {
    /// Entry for entry the session's chain.
    Same,
    /// The session's first `entries` entries and nothing after: the session has `session_entries`.
    CutShort {
        entries: usize,
        session_entries: usize,
    },
    /// Parts from the session's chain at entry `seq`: a different entry there, or (when `seq` is the
    /// session's length) entries the session does not have.
    DiffersFrom { seq: usize },
}

impl ChainComparison {
    /// One sentence about the file compared: "It is the same as this session's chain."
    pub fn sentence(&self) -> String {
        match self {
            ChainComparison::Same => "It is the same as this session's chain.".into(),
            ChainComparison::CutShort {
                entries,
                session_entries,
            } => format!(
                "It is this session's chain cut short at entry {entries} (this session has {session_entries} {}).",
                if *session_entries == 1 { "entry" } else { "entries" }
            ),
            ChainComparison::DiffersFrom { seq } => {
                format!("It differs from this session's chain from entry {seq} on.")
            }
        }
    }
}

/// Compares a verified chain with the session's log, entry digest by entry digest.
pub fn compare_chains(dropped: &ChainReport, session: &EvidenceLog) -> ChainComparison {
    let session_entries = session.entries();
    let parted = dropped
        .entry_digests
        .iter()
        .zip(session_entries)
        .position(|(digest, entry)| *digest != entry.entry_digest);
    match parted {
        Some(seq) => ChainComparison::DiffersFrom { seq },
        None if dropped.entry_digests.len() == session_entries.len() => ChainComparison::Same,
        None if dropped.entry_digests.len() < session_entries.len() => ChainComparison::CutShort {
            entries: dropped.entry_digests.len(),
            session_entries: session_entries.len(),
        },
        None => ChainComparison::DiffersFrom {
            seq: session_entries.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{chain_value, cut, ran};
    use super::*;
    use crate::evidence::verify_chain;
    use crate::flow::Session;
    use crate::scenario::Scenario;

    #[test]
    fn the_session_s_own_chain_is_the_same() {
        let session = ran();
        let report = verify_chain(&chain_value(&session)).unwrap();
        let comparison = compare_chains(&report, session.log());
        assert_eq!(comparison, ChainComparison::Same);
        assert_eq!(
            comparison.sentence(),
            "It is the same as this session's chain."
        );
    }

    #[test]
    fn a_cut_chain_is_the_session_s_cut_short() {
        let session = ran();
        let entries = session.log().entries().len();
        let report = verify_chain(&cut(&chain_value(&session), 15)).unwrap();
        let comparison = compare_chains(&report, session.log());
        assert_eq!(
            comparison,
            ChainComparison::CutShort {
                entries: 15,
                session_entries: entries
            }
        );
        assert_eq!(
            comparison.sentence(),
            format!("It is this session's chain cut short at entry 15 (this session has {entries} entries).")
        );
    }

    #[test]
    fn an_empty_chain_is_any_session_s_cut_short_and_an_empty_session_s_same() {
        let session = ran();
        let empty = verify_chain(&cut(&chain_value(&session), 0)).unwrap();
        assert_eq!(
            compare_chains(&empty, session.log()),
            ChainComparison::CutShort {
                entries: 0,
                session_entries: session.log().entries().len()
            }
        );
        assert_eq!(
            compare_chains(&empty, &EvidenceLog::new()),
            ChainComparison::Same
        );
        let full = verify_chain(&chain_value(&session)).unwrap();
        assert_eq!(
            compare_chains(&full, &EvidenceLog::new()),
            ChainComparison::DiffersFrom { seq: 0 }
        );
    }

    #[test]
    fn another_session_s_chain_differs_from_where_they_part() {
        let session = ran();
        // The blocked scenario shares nothing with ready's chain: another release, so from entry 0.
        let scenario = Scenario::built_in("blocked").unwrap();
        let now = scenario.generated_at;
        let mut blocked = Session::start(scenario);
        blocked.run_remaining(now);
        let other = verify_chain(&chain_value(&blocked)).unwrap();
        let comparison = compare_chains(&other, session.log());
        assert_eq!(comparison, ChainComparison::DiffersFrom { seq: 0 });
        assert_eq!(
            comparison.sentence(),
            "It differs from this session's chain from entry 0 on."
        );
        // A chain that is the session's plus an entry parts where the session ends.
        let mut longer = session.log().clone();
        let entry = longer.entries()[3].clone();
        longer.append(entry.kind, entry.record);
        let longer = verify_chain(&longer.to_chain_value(session.release_record_ref())).unwrap();
        let entries = session.log().entries().len();
        assert_eq!(
            compare_chains(&longer, session.log()),
            ChainComparison::DiffersFrom { seq: entries }
        );
        // A session's chain with a later entry replaced parts at that entry.
        let mut changed = EvidenceLog::new();
        for entry in &session.log().entries()[..10] {
            changed.append(entry.kind, entry.record.clone());
        }
        let entry = session.log().entries()[2].clone();
        changed.append(entry.kind, entry.record);
        let changed = verify_chain(&changed.to_chain_value(session.release_record_ref())).unwrap();
        assert_eq!(
            compare_chains(&changed, session.log()),
            ChainComparison::DiffersFrom { seq: 10 }
        );
    }
}
