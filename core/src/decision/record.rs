//! Step 10's record: the release decision, sealed, linked to every record it rests on and to the head
//! of the chain it was taken on.

use super::Decision;
use crate::evidence::EvidenceLog;
use crate::flow::inputs::AcceptedRisk;
use crate::json::{strings, Value};
use crate::record::{field, seal, RecordKind};
use crate::time::Timestamp;

/// Step 10's record: the decision, linked to every record it rests on.
pub fn final_decision_record(
    decision: &Decision,
    log: &EvidenceLog,
    reference: &str,
    audit_case_ref: &str,
    now: Timestamp,
) -> Value {
    let mut rests_on: Vec<String> = decision
        .criteria
        .iter()
        .flat_map(|c| c.evidence_refs.iter().cloned())
        .collect();
    rests_on.sort();
    rests_on.dedup();
    let mut record = Value::object([
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        ("audit_case_ref", Value::from(audit_case_ref)),
        // The release manager takes the decision (D-12): the identity of the role appending it.
        (field::DECIDED_BY, Value::from(log.actor_identity())),
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::STATE, Value::from(decision.state.code())),
        (field::BLOCKING, strings(&decision.blocking)),
        (field::WARNINGS, strings(&decision.warnings)),
        ("criteria", decision.criteria_value()),
        (
            field::ACCEPTED_RISK,
            decision
                .accepted_risk
                .as_ref()
                .map_or(Value::Null, AcceptedRisk::to_value),
        ),
        ("rests_on", strings(&rests_on)),
        (
            field::EVIDENCE_HEAD_DIGEST,
            Value::from(log.entries().last().map_or("", |e| e.entry_digest.as_str())),
        ),
    ]);
    // Named only when there is one, so the cross-link to the accepted-risk record is followed exactly
    // when the decision rests on one (D-14).
    if let Some(id) = &decision.accepted_risk_id {
        record.set(field::ACCEPTED_RISK_ID, Value::from(id.as_str()));
    }
    seal(RecordKind::FinalDecision, record)
}
