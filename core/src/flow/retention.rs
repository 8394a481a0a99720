//! Step 4: the retention review request (release manager) and its decision (security architect), for a
//! closed summary: two acts by two roles, so nobody decides their own request (D-13).

use super::inputs;
use super::summary::is_closed;
use super::StepError;
use crate::evidence::{Entry, EvidenceLog};
use crate::input::Fields;
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::states::RetentionDecisionState;
use crate::steps::StepId;
use crate::time::Timestamp;

/// Step 4, release manager: the retention review request, for the latest closed summary. It waits for
/// the security architect's decision (D-13).
pub fn request_review(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::retention(fields)?;
    let reference = scenario.release_record_ref.as_str();
    if pending_request(log, reference).is_some() {
        return Err(StepError::Refused {
            step: StepId::RetentionReview,
            reason: format!(
                "a retention review request is already waiting for the {}'s decision; act as the {} to decide it",
                Role::SecurityArchitect.noun(),
                Role::SecurityArchitect.noun()
            ),
        });
    }
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
        (field::REQUESTED_BY, Value::from(log.actor_identity())),
        ("review_reason", Value::from(input.review_reason.as_str())),
        ("review_state", Value::from("pending")),
    ]);
    log.append_sealed(RecordKind::RetentionReview, request);
    Ok(Some(format!(
        "waiting for the {}'s decision",
        Role::SecurityArchitect.noun()
    )))
}

/// The latest retention review request that has no decision yet.
pub fn pending_request<'a>(log: &'a EvidenceLog, reference: &str) -> Option<&'a Entry> {
    let request = log.latest(RecordKind::RetentionReview, reference)?;
    let decided = log
        .all(RecordKind::RetentionDecision, reference)
        .any(|d| d.record.str_at(field::REVIEW_ID) == request.id());
    (!decided).then_some(request)
}

/// Step 4, security architect: the decision on the latest request. Nobody decides their own request
/// (D-13): the decider's identity must differ from the requester's.
pub fn decide_review(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::retention(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let request = pending_request(log, reference).ok_or_else(|| StepError::MissingPrerequisite {
        step: StepId::RetentionReview,
        missing: "a retention review request without a decision (the release manager requests it first)"
            .into(),
    })?;
    let decided_by = log.actor_identity().to_string();
    if request.record.str_at(field::REQUESTED_BY) == decided_by {
        return Err(StepError::Refused {
            step: StepId::RetentionReview,
            reason: format!(
                "{decided_by} requested this review, and nobody decides their own request (D-13)"
            ),
        });
    }
    let decision = Value::object([
        (field::REVIEW_ID, Value::from(request.id())),
        (field::DECISION_STATE, Value::from(input.decision.as_str())),
        (field::DECIDED_AT, Value::from(now.isoformat())),
        (field::DECIDED_BY, Value::from(decided_by)),
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
