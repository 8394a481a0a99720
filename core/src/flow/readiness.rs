//! Step 1: the final readiness bundle, which indexes the upstream evidence and names what is missing.

use crate::evidence::{Entry, EvidenceLog};
use crate::json::{strings, Value};
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;
use crate::states::{
    ApprovalState, AttachmentState, HealthLevel, ReadinessState, VerificationState,
};
use crate::time::Timestamp;

/// Step 1: the final readiness bundle. Always appends a bundle; it is `incomplete` with blockers when
/// upstream evidence is missing, and the step is then marked blocked.
pub fn readiness_bundle(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    now: Timestamp,
) -> Option<String> {
    let reference = scenario.release_record_ref.as_str();
    let latest = |kind| log.latest(kind, reference);
    let mut blockers = Vec::new();
    let state_of = |kind, key| latest(kind).map(|e: &Entry| e.record.str_at(key));
    if state_of(RecordKind::ReadinessApproval, field::APPROVAL_STATE).and_then(ApprovalState::parse)
        != Some(ApprovalState::Approved)
    {
        blockers.push("approved_readiness_decision");
    }
    if state_of(RecordKind::ReleaseRecordAttachment, field::ATTACHMENT_STATE)
        .and_then(AttachmentState::parse)
        != Some(AttachmentState::Attached)
    {
        blockers.push("release_record_attachment");
    }
    if state_of(
        RecordKind::ClosurePacketVerification,
        field::VERIFICATION_STATE,
    )
    .and_then(VerificationState::parse)
        != Some(VerificationState::Verified)
    {
        blockers.push("verified_closure_packet");
    }
    if latest(RecordKind::AuditorExport).is_none() {
        blockers.push("auditor_export");
    }
    let references: Vec<&Entry> = log.all(RecordKind::ArchiveReference, reference).collect();
    if references.is_empty() {
        blockers.push("immutable_archive_reference");
    }
    let health_ok = latest(RecordKind::ArchiveHealth).is_some_and(|e| {
        matches!(
            HealthLevel::parse(e.record.str_at(field::ALERT_LEVEL)),
            Some(HealthLevel::Healthy | HealthLevel::Warning)
        )
    });
    if !health_ok && references.is_empty() {
        blockers.push("archive_reference_health");
    }
    let evidence_kinds = RecordKind::ALL.into_iter().filter(|k| k.is_upstream());
    let evidence: Vec<&Entry> = evidence_kinds
        .flat_map(|kind| log.all(kind, reference))
        .collect();
    let evidence_index: Vec<Value> = evidence
        .iter()
        .map(|e| evidence_index_entry(e, reference))
        .collect();
    let archive_objects: Vec<Value> = references.iter().map(|e| archive_object(e)).collect();
    let closeout_state = if blockers.is_empty() {
        ReadinessState::ReadyForCloseout
    } else {
        ReadinessState::Incomplete
    };
    let record = Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (field::CLOSEOUT_STATE, Value::from(closeout_state.as_str())),
        (field::BLOCKERS, strings(&blockers)),
        ("evidence_count", Value::from(evidence_index.len())),
        ("archive_object_count", Value::from(archive_objects.len())),
        (
            field::PUBLIC_EVIDENCE_REFS,
            strings(evidence.iter().map(|e| e.id())),
        ),
        (field::EVIDENCE_INDEX, Value::Array(evidence_index)),
        (field::ARCHIVE_OBJECTS, Value::Array(archive_objects)),
    ]);
    log.append_sealed(RecordKind::ReadinessBundle, record);
    (!blockers.is_empty()).then(|| {
        format!(
            "the readiness bundle is incomplete: {}",
            blockers.join(", ")
        )
    })
}

/// One upstream record as the bundle's evidence index lists it.
fn evidence_index_entry(entry: &Entry, reference: &str) -> Value {
    Value::object([
        ("kind", Value::from(entry.kind.spec().name)),
        ("id", Value::from(entry.id())),
        (
            field::CREATED_AT,
            Value::from(entry.record.str_at(field::CREATED_AT)),
        ),
        (
            field::SIGNER,
            Value::from(entry.record.str_at(field::SIGNER)),
        ),
        ("ref", Value::from(reference)),
    ])
}

/// One immutable archive reference as the bundle's archive objects list it.
fn archive_object(entry: &Entry) -> Value {
    let copied = |key: &'static str| (key, Value::from(entry.record.str_at(key)));
    Value::object([
        (field::REFERENCE_ID, Value::from(entry.id())),
        copied(field::ARCHIVE_REF),
        copied(field::ARCHIVE_PROVIDER),
        copied(field::ARCHIVE_HASH),
        copied(field::RETENTION_UNTIL),
        (
            field::LEGAL_HOLD,
            entry
                .record
                .get(field::LEGAL_HOLD)
                .cloned()
                .unwrap_or(Value::Bool(false)),
        ),
    ])
}
