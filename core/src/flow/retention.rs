//! Step 4: the retention review request and its decision, for a closed summary.

use super::inputs;
use super::summary::is_closed;
use super::StepError;
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::Value;
use crate::record::{field, seal, RecordKind};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::states::RetentionDecisionState;
use crate::steps::StepId;
use crate::time::Timestamp;

/// Step 4: the retention review request and its decision.
pub fn retention_review(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    role: Role,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::retention(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let summary = log
        .latest(RecordKind::CloseoutSummary, reference)
        .filter(|s| is_closed(&s.record))
        .ok_or_else(|| StepError::MissingPrerequisite {
            step: StepId::RetentionReview,
            missing: "a closed closeout summary (step 3)".into(),
        })?;
    // D-11: a retention date that does not lie after now is an error, not a silent expiry. (The keys
    // here name the step's input, not a record field.)
    let until = fields.time("retention_until")?;
    if until <= now {
        return Err(StepError::Input(fields.error(
            "retention_until",
            format!(
                "{} is not after the sandbox clock ({}); choose a later date",
                input.retention_until,
                now.isoformat()
            ),
        )));
    }
    let request = Value::object([
        (field::SUMMARY_ID, Value::from(summary.id())),
        (
            field::SUMMARY_HASH,
            Value::from(summary.record.str_at(field::SUMMARY_HASH)),
        ),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (
            field::RETENTION_UNTIL,
            Value::from(input.retention_until.as_str()),
        ),
        (field::LEGAL_HOLD, Value::from(input.legal_hold)),
        (field::REQUESTED_AT, Value::from(now.isoformat())),
        (field::REQUESTED_BY, Value::from(role.id())),
        ("review_reason", Value::from(input.review_reason.as_str())),
        ("review_state", Value::from("pending")),
    ]);
    let request = seal(RecordKind::RetentionReview, request);
    let review_id = request.str_at(field::REVIEW_ID).to_string();
    log.append(RecordKind::RetentionReview, request);
    let decision = Value::object([
        (field::REVIEW_ID, Value::from(review_id)),
        (field::DECISION_STATE, Value::from(input.decision.as_str())),
        (field::DECIDED_AT, Value::from(now.isoformat())),
        (field::DECIDED_BY, Value::from(input.decided_by.as_str())),
        (
            field::EXTERNAL_REF,
            Value::from(input.external_ref.as_str()),
        ),
        ("notes", Value::from(input.notes.as_str())),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
    ]);
    log.append_sealed(RecordKind::RetentionDecision, decision);
    Ok((input.decision != RetentionDecisionState::Approved)
        .then(|| format!("the retention review was {}", input.decision.as_str())))
}
