//! The acts that are evidence of their own (D-13, D-14): an accepted risk recorded, changed or withdrawn;
//! the release manager's approval of a live redelivery; the auditor's attestation of the chain.

use super::inputs::{self, AcceptedRisk};
use super::StepError;
use crate::evidence::{verify_chain, ChainEnding, Entry, EvidenceLog};
use crate::input::Fields;
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;
use crate::states::RiskAction;
use crate::steps::StepId;
use crate::time::Timestamp;

/// The accepted risk in force for a release: the latest `accepted_risk` record, unless it withdrew the
/// risk. Its entry says who recorded it and when.
pub fn current_risk<'a>(
    log: &'a EvidenceLog,
    reference: &str,
) -> Option<(&'a Entry, AcceptedRisk)> {
    let entry = log.latest(RecordKind::AcceptedRisk, reference)?;
    if RiskAction::parse(entry.record.str_at(field::RISK_ACTION)) == Some(RiskAction::Withdrawn) {
        return None;
    }
    let risk = Fields::new(&entry.record, "$")
        .and_then(|fields| inputs::accepted_risk(&fields))
        .ok()?;
    Some((entry, risk))
}

/// Records `risk` as the release's accepted risk (`None`: withdraws the one in force), as the acting
/// role, unless it is already the one in force. Returns the new record's id when one was appended.
pub fn record_risk(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    risk: Option<&AcceptedRisk>,
    now: Timestamp,
) -> Option<String> {
    let reference = scenario.release_record_ref.as_str();
    let current = current_risk(log, reference);
    let latest_id = log
        .latest(RecordKind::AcceptedRisk, reference)
        .map(|e| e.id().to_string());
    let (action, shown) = match (current, risk) {
        (Some((_, held)), Some(new)) if held == *new => return None,
        (None, None) => return None,
        (Some(_), Some(new)) => (RiskAction::Changed, new.clone()),
        (None, Some(new)) => (RiskAction::Accepted, new.clone()),
        (Some((_, held)), None) => (RiskAction::Withdrawn, held),
    };
    let mut pairs = vec![
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (field::RISK_ACTION, Value::from(action.as_str())),
        ("owner", Value::from(&shown.owner)),
        ("reason", Value::from(&shown.reason)),
        ("expires_at", Value::from(&shown.expires_at)),
        (field::EXTERNAL_REF, Value::from(shown.external_ref.clone())),
        (
            "compensating_control",
            Value::from(shown.compensating_control.clone()),
        ),
        (field::RECORDED_BY, Value::from(log.actor_identity())),
        (field::RECORDED_AT, Value::from(now.isoformat())),
    ];
    // Named only when there is one, so the cross-link is followed exactly when it means something.
    if let Some(id) = latest_id {
        pairs.push((field::SUPERSEDES_RISK_ID, Value::from(id)));
    }
    let entry = log.append_sealed(RecordKind::AcceptedRisk, Value::object(pairs));
    Some(entry.id().to_string())
}

/// The latest redelivery approval of a retry plan.
pub fn approval_of<'a>(log: &'a EvidenceLog, reference: &str, plan_id: &str) -> Option<&'a Entry> {
    log.all(RecordKind::RedeliveryApproval, reference)
        .rev()
        .find(|e| e.record.str_at(field::RETRY_PLAN_ID) == plan_id)
}

/// Step 9, release manager: approves a live redelivery of the latest retry plan (D-13).
pub fn approve_redelivery(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let reference = scenario.release_record_ref.as_str();
    let plan = log
        .latest(RecordKind::RetryPlan, reference)
        .ok_or_else(|| StepError::MissingPrerequisite {
            step: StepId::RetryWorker,
            missing: "a retry plan (step 8) to approve".into(),
        })?;
    let approval = Value::object([
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (field::RETRY_PLAN_ID, Value::from(plan.id())),
        (
            field::RETRY_HASH,
            Value::from(plan.record.str_at(field::RETRY_HASH)),
        ),
        (field::APPROVED_BY, Value::from(log.actor_identity())),
        (field::APPROVED_AT, Value::from(now.isoformat())),
        (
            "scope",
            Value::from("live redelivery of this retry plan's retry decisions, through the simulated connector"),
        ),
    ]);
    log.append_sealed(RecordKind::RedeliveryApproval, approval);
    Ok(None)
}

/// The auditor's attestation: verifies the session's chain as it stands and appends what was found
/// (head, entry count, how it ends, when, by whom).
pub fn attest(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    now: Timestamp,
) -> Result<String, StepError> {
    let reference = scenario.release_record_ref.as_str();
    let report =
        verify_chain(&log.to_chain_value(reference)).map_err(|error| StepError::Refused {
            step: StepId::FinalDecision,
            reason: format!("the chain does not verify, so it cannot be attested: {error}"),
        })?;
    let ending = match report.ending {
        ChainEnding::FinalDecision => "final_decision",
        ChainEnding::AfterFinalDecision { .. } => "entries_after_final_decision",
        ChainEnding::NoFinalDecision => "no_final_decision",
    };
    let attestation = Value::object([
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (
            field::VERIFIED_HEAD_DIGEST,
            Value::from(report.head_digest.as_str()),
        ),
        (field::VERIFIED_ENTRY_COUNT, Value::from(report.entries)),
        ("result", Value::from("intact")),
        ("chain_ending", Value::from(ending)),
        (field::ATTESTED_BY, Value::from(log.actor_identity())),
        (field::ATTESTED_AT, Value::from(now.isoformat())),
    ]);
    let entry = log.append_sealed(RecordKind::Attestation, attestation);
    Ok(entry.id().to_string())
}
