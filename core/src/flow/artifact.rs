//! Step 5: the closeout artifact bundle, the summary, readiness bundle and manifest as downloadable
//! files, with the summary's deliveries (each with the event its providers received), resting on an
//! approved retention decision.

use super::delivery::closeout_deliveries;
use super::summary::is_closed;
use super::StepError;
use crate::evidence::EvidenceLog;
use crate::json::{digest, strings, Value};
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;
use crate::states::RetentionDecisionState;
use crate::steps::StepId;
use crate::time::Timestamp;

/// The file after [`ARTIFACT_FILES`]: the summary's delivery records, oldest first, each holding the
/// delivery event it sent (`docs/domain.md#41-delivery-events`).
const DELIVERIES_FILE: &str = "closeout-deliveries.json";

/// The artifact bundle's record files, in order: `(path, record kind)`.
const ARTIFACT_FILES: [(&str, RecordKind); 3] = [
    ("release-closeout-summary.json", RecordKind::CloseoutSummary),
    ("readiness-bundle.json", RecordKind::ReadinessBundle),
    ("signed-archive-manifest.json", RecordKind::ArchiveManifest),
];

/// Step 5: the closeout artifact bundle. Needs a closed summary and an approved retention decision.
pub fn artifact_bundle(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let reference = scenario.release_record_ref.as_str();
    let missing = |what: &str| StepError::MissingPrerequisite {
        step: StepId::ArtifactBundle,
        missing: what.to_string(),
    };
    let summary = log
        .latest(RecordKind::CloseoutSummary, reference)
        .filter(|s| is_closed(&s.record))
        .ok_or_else(|| missing("a closed closeout summary (step 3)"))?;
    let decision = log
        .latest(RecordKind::RetentionDecision, reference)
        .ok_or_else(|| missing("a retention decision (step 4)"))?;
    if RetentionDecisionState::parse(decision.record.str_at(field::DECISION_STATE))
        != Some(RetentionDecisionState::Approved)
    {
        return Err(StepError::Refused {
            step: StepId::ArtifactBundle,
            reason: format!(
                "the latest retention decision (step 4) is {}; the bundle needs an approved one",
                decision.record.str_at(field::DECISION_STATE)
            ),
        });
    }
    let linked = [
        Some(summary),
        log.by_id(summary.record.str_at(field::BUNDLE_ID)),
        log.by_id(summary.record.str_at(field::MANIFEST_ID)),
    ];
    let file = |path: &str, content: Value| {
        Value::object([
            (field::PATH, Value::from(path)),
            (field::MEDIA_TYPE, Value::from("application/json")),
            (field::SHA256, Value::from(digest(&content))),
            ("content", content),
        ])
    };
    let mut files = Vec::new();
    for ((path, _), entry) in ARTIFACT_FILES.iter().zip(linked) {
        let entry = entry.ok_or_else(|| missing("the bundle and manifest the summary names"))?;
        files.push(file(path, entry.record.clone()));
    }
    let deliveries = closeout_deliveries(log, reference, summary.id())
        .map(|entry| entry.record.clone())
        .collect();
    files.push(file(DELIVERIES_FILE, Value::Array(deliveries)));
    let download_manifest: Vec<Value> = files
        .iter()
        .map(|f| {
            Value::object(
                [field::PATH, field::MEDIA_TYPE, field::SHA256]
                    .map(|k| (k, f.get(k).cloned().unwrap_or(Value::Null))),
            )
        })
        .collect();
    let record = Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::SUMMARY_ID, Value::from(summary.id())),
        (
            field::FILE_HASHES,
            strings(files.iter().map(|f| f.str_at(field::SHA256))),
        ),
        (field::RETENTION_DECISION_ID, Value::from(decision.id())),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        ("download_state", Value::from("available")),
        (field::DOWNLOAD_MANIFEST, Value::Array(download_manifest)),
        (field::FILES, Value::Array(files)),
    ]);
    log.append_sealed(RecordKind::ArtifactBundle, record);
    Ok(None)
}
