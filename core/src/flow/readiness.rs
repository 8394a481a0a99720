//! Steps 1 to 5 and the upstream evidence they rest on: the readiness bundle, the signed archive
//! manifest, the closeout summary and its delivery, the retention review, the artifact bundle.

use super::connector::{self, Event};
use super::inputs;
use super::{require, StepError};
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{digest, strings, Value};
use crate::record::{seal, RecordKind};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::states::{
    CloseoutState, HealthLevel, ReadinessState, RetentionDecisionState, SignatureState,
};
use crate::steps::StepId;
use crate::time::Timestamp;

/// Appends the scenario's upstream evidence (`docs/domain.md#3-upstream-evidence`), stamped at its
/// `generated_at`.
pub fn seed_upstream(log: &mut EvidenceLog, scenario: &Scenario) {
    let at = scenario.generated_at.isoformat();
    let reference = scenario.release_record_ref.as_str();
    let upstream = &scenario.upstream;
    let base = |signer: &str, pairs: Vec<(&str, Value)>| {
        let mut all = vec![
            ("release_record_ref", Value::from(reference)),
            ("created_at", Value::from(at.as_str())),
            ("signer", Value::from(signer)),
            ("synthetic", Value::from(true)),
        ];
        all.extend(pairs);
        Value::object(all)
    };
    let state = |key: &str| Value::from(upstream.str_at(key));
    let mut seed = |kind: RecordKind, record: Value| {
        log.append_sealed(kind, record);
    };
    seed(
        RecordKind::ReadinessSummary,
        base(
            "upstream-readiness-service",
            vec![("readiness_state", state("readiness_state"))],
        ),
    );
    seed(
        RecordKind::ReadinessApproval,
        base(
            "upstream-approval-service",
            vec![("approval_state", state("approval_state"))],
        ),
    );
    seed(
        RecordKind::ReleaseRecordAttachment,
        base(
            "upstream-release-record",
            vec![("attachment_state", state("attachment_state"))],
        ),
    );
    seed(
        RecordKind::ClosurePacketVerification,
        base(
            "upstream-closure-packet",
            vec![("verification_state", state("verification_state"))],
        ),
    );
    if upstream.get("auditor_export").and_then(Value::as_bool) == Some(true) {
        seed(
            RecordKind::AuditorExport,
            base(
                "upstream-auditor-export",
                vec![("export_format", Value::from("cavra.auditor_export.v1"))],
            ),
        );
    }
    for reference in upstream
        .get("archive_references")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        let mut fields = vec![];
        for key in [
            "archive_ref",
            "archive_provider",
            "archive_hash",
            "retention_until",
        ] {
            fields.push((key, Value::from(reference.str_at(key))));
        }
        fields.push((
            "legal_hold",
            Value::from(reference.get("legal_hold").and_then(Value::as_bool) == Some(true)),
        ));
        seed(
            RecordKind::ArchiveReference,
            base("upstream-archive", fields),
        );
    }
    if let Some(level) = upstream.get("archive_health").and_then(Value::as_str) {
        seed(
            RecordKind::ArchiveHealth,
            base(
                "upstream-archive-health",
                vec![("alert_level", Value::from(level))],
            ),
        );
    }
}

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
    if latest(RecordKind::ReadinessApproval).map(|e| e.record.str_at("approval_state"))
        != Some("approved")
    {
        blockers.push("approved_readiness_decision");
    }
    if latest(RecordKind::ReleaseRecordAttachment).map(|e| e.record.str_at("attachment_state"))
        != Some("attached")
    {
        blockers.push("release_record_attachment");
    }
    if latest(RecordKind::ClosurePacketVerification).map(|e| e.record.str_at("verification_state"))
        != Some("verified")
    {
        blockers.push("verified_closure_packet");
    }
    if latest(RecordKind::AuditorExport).is_none() {
        blockers.push("auditor_export");
    }
    let references: Vec<&crate::evidence::Entry> =
        log.all(RecordKind::ArchiveReference, reference).collect();
    if references.is_empty() {
        blockers.push("immutable_archive_reference");
    }
    let health_ok = latest(RecordKind::ArchiveHealth).is_some_and(|e| {
        matches!(
            HealthLevel::parse(e.record.str_at("alert_level")),
            Some(HealthLevel::Healthy | HealthLevel::Warning)
        )
    });
    if !health_ok && references.is_empty() {
        blockers.push("archive_reference_health");
    }
    let evidence_kinds = RecordKind::ALL.into_iter().filter(|k| k.is_upstream());
    let evidence: Vec<&crate::evidence::Entry> = evidence_kinds
        .flat_map(|kind| log.all(kind, reference))
        .collect();
    let evidence_index: Vec<Value> = evidence
        .iter()
        .map(|e| {
            Value::object([
                ("kind", Value::from(e.kind.spec().name)),
                ("id", Value::from(e.id())),
                ("created_at", Value::from(e.record.str_at("created_at"))),
                ("signer", Value::from(e.record.str_at("signer"))),
                ("ref", Value::from(reference)),
            ])
        })
        .collect();
    let archive_objects: Vec<Value> = references
        .iter()
        .map(|e| {
            Value::object([
                ("reference_id", Value::from(e.id())),
                ("archive_ref", Value::from(e.record.str_at("archive_ref"))),
                (
                    "archive_provider",
                    Value::from(e.record.str_at("archive_provider")),
                ),
                ("archive_hash", Value::from(e.record.str_at("archive_hash"))),
                (
                    "retention_until",
                    Value::from(e.record.str_at("retention_until")),
                ),
                (
                    "legal_hold",
                    e.record
                        .get("legal_hold")
                        .cloned()
                        .unwrap_or(Value::Bool(false)),
                ),
            ])
        })
        .collect();
    let closeout_state = if blockers.is_empty() {
        ReadinessState::ReadyForCloseout
    } else {
        ReadinessState::Incomplete
    };
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("release_record_ref", Value::from(reference)),
        ("closeout_state", Value::from(closeout_state.as_str())),
        ("blockers", strings(&blockers)),
        ("evidence_count", Value::from(evidence_index.len())),
        ("archive_object_count", Value::from(archive_objects.len())),
        (
            "public_evidence_refs",
            strings(evidence.iter().map(|e| e.id())),
        ),
        ("evidence_index", Value::Array(evidence_index)),
        ("archive_objects", Value::Array(archive_objects)),
    ]);
    log.append_sealed(RecordKind::ReadinessBundle, record);
    (!blockers.is_empty()).then(|| {
        format!(
            "the readiness bundle is incomplete: {}",
            blockers.join(", ")
        )
    })
}

/// Step 2: the signed archive manifest, from the latest bundle and external signature metadata.
pub fn archive_manifest(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::manifest(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let bundle = require(
        log,
        RecordKind::ReadinessBundle,
        reference,
        StepId::ArchiveManifest,
        "a final readiness bundle (step 1)",
    )?;
    let signature_state = if input.signature.is_some() {
        SignatureState::ExternalSignatureAttached
    } else {
        SignatureState::ExternalSignatureRequired
    };
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("bundle_id", Value::from(bundle.id())),
        ("bundle_hash", Value::from(bundle.record.str_at("bundle_hash"))),
        ("release_record_ref", Value::from(reference)),
        ("archive_objects", bundle.record.get("archive_objects").cloned().unwrap_or(Value::Array(vec![]))),
        ("signature", Value::from(input.signature.clone())),
        ("signature_key_id", Value::from(input.signature_key_id)),
        ("signature_algorithm", Value::from(input.signature_algorithm)),
        ("signature_state", Value::from(signature_state.as_str())),
        ("private_key_stored", Value::from(false)),
        (
            "verification_note",
            Value::from("Not cryptographically verified: the manifest records who signs and where. Key custody stays with the operator's KMS."),
        ),
    ]);
    log.append_sealed(RecordKind::ArchiveManifest, record);
    Ok(input
        .signature
        .is_none()
        .then(|| "no external signature reference was given".to_string()))
}

/// The summary blockers of step 3, sorted and unique.
fn summary_blockers(log: &EvidenceLog, reference: &str) -> (Vec<String>, String, String) {
    let mut blockers: Vec<String> = Vec::new();
    let bundle = log.latest(RecordKind::ReadinessBundle, reference);
    let manifest = log.latest(RecordKind::ArchiveManifest, reference);
    match bundle {
        None => blockers.push("readiness_bundle_missing".into()),
        Some(bundle)
            if ReadinessState::parse(bundle.record.str_at("closeout_state"))
                != Some(ReadinessState::ReadyForCloseout) =>
        {
            blockers.push("readiness_bundle_not_ready".into());
            for blocker in bundle
                .record
                .get("blockers")
                .and_then(Value::as_array)
                .unwrap_or_default()
            {
                blockers.push(blocker.as_str().unwrap_or_default().to_string());
            }
        }
        Some(_) => {}
    }
    match manifest {
        None => blockers.push("archive_manifest_missing".into()),
        Some(manifest) => {
            if manifest
                .record
                .get("archive_objects")
                .and_then(Value::as_array)
                .is_none_or(<[Value]>::is_empty)
            {
                blockers.push("archive_manifest_has_no_archive_objects".into());
            }
            if SignatureState::parse(manifest.record.str_at("signature_state"))
                != Some(SignatureState::ExternalSignatureAttached)
            {
                blockers.push("archive_manifest_external_signature_missing".into());
            }
            // D-3: a manifest that names another bundle does not close this one.
            if bundle.is_some_and(|b| b.id() != manifest.record.str_at("bundle_id")) {
                blockers.push("archive_manifest_bundle_mismatch".into());
            }
        }
    }
    blockers.sort();
    blockers.dedup();
    (
        blockers,
        bundle.map(|b| b.id().to_string()).unwrap_or_default(),
        manifest.map(|m| m.id().to_string()).unwrap_or_default(),
    )
}

/// Whether a closeout summary record is closed.
fn is_closed(summary: &Value) -> bool {
    CloseoutState::parse(summary.str_at("closeout_state")) == Some(CloseoutState::Closed)
}

/// Step 3: the closeout summary, then its delivery through the simulated connector when it is closed.
pub fn closeout_summary(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let routing = inputs::delivery(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let (blockers, bundle_id, manifest_id) = summary_blockers(log, reference);
    let closeout_state = if blockers.is_empty() {
        CloseoutState::Closed
    } else {
        CloseoutState::Open
    };
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("bundle_id", Value::from(bundle_id)),
        ("manifest_id", Value::from(manifest_id)),
        ("blockers", strings(&blockers)),
        ("closeout_state", Value::from(closeout_state.as_str())),
        ("blocker_count", Value::from(blockers.len())),
        ("release_record_ref", Value::from(reference)),
    ]);
    let summary = seal(RecordKind::CloseoutSummary, record);
    let summary_id = summary.str_at("summary_id").to_string();
    log.append(RecordKind::CloseoutSummary, summary);
    if !blockers.is_empty() {
        return Ok(Some(format!(
            "the summary is open ({}); only a closed summary is delivered",
            blockers.join(", ")
        )));
    }
    // D-4: the delivery is its own record; the summary is never edited.
    let prior = |provider: &str| closeout_calls(log, reference, &summary_id, provider);
    let delivery = connector::deliver(
        &Event {
            event_id: &summary_id,
            event_type: "release_closeout_summary",
            link: ("summary_id", &summary_id),
            release_record_ref: reference,
        },
        &routing,
        prior,
        now,
    );
    log.append(RecordKind::ConnectorDelivery, delivery);
    Ok(None)
}

/// How many delivery calls a summary had for a provider (D-5: calls, not the connector's own tries).
pub fn closeout_calls(
    log: &EvidenceLog,
    reference: &str,
    summary_id: &str,
    provider: &str,
) -> usize {
    closeout_deliveries(log, reference, summary_id)
        .map(|e| {
            connector::calls(&e.record)
                .iter()
                .filter(|(p, _)| p == provider)
                .count()
        })
        .sum()
}

/// The delivery records of a summary (first delivery and redeliveries), oldest first.
pub fn closeout_deliveries<'a>(
    log: &'a EvidenceLog,
    reference: &'a str,
    summary_id: &str,
) -> impl Iterator<Item = &'a crate::evidence::Entry> {
    log.linked(
        RecordKind::ConnectorDelivery,
        reference,
        "summary_id",
        summary_id,
    )
}

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
    // D-11: a retention date that does not lie after now is an error, not a silent expiry.
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
        ("summary_id", Value::from(summary.id())),
        (
            "summary_hash",
            Value::from(summary.record.str_at("summary_hash")),
        ),
        ("release_record_ref", Value::from(reference)),
        (
            "retention_until",
            Value::from(input.retention_until.as_str()),
        ),
        ("legal_hold", Value::from(input.legal_hold)),
        ("requested_at", Value::from(now.isoformat())),
        ("requested_by", Value::from(role.id())),
        ("review_reason", Value::from(input.review_reason.as_str())),
        ("review_state", Value::from("pending")),
    ]);
    let request = seal(RecordKind::RetentionReview, request);
    let review_id = request.str_at("review_id").to_string();
    log.append(RecordKind::RetentionReview, request);
    let decision = Value::object([
        ("review_id", Value::from(review_id)),
        ("decision_state", Value::from(input.decision.as_str())),
        ("decided_at", Value::from(now.isoformat())),
        ("decided_by", Value::from(input.decided_by.as_str())),
        ("external_ref", Value::from(input.external_ref.as_str())),
        ("notes", Value::from(input.notes.as_str())),
        ("release_record_ref", Value::from(reference)),
    ]);
    log.append_sealed(RecordKind::RetentionDecision, decision);
    Ok((input.decision != RetentionDecisionState::Approved)
        .then(|| format!("the retention review was {}", input.decision.as_str())))
}

/// The artifact bundle's files, in order: `(path, record kind, record)`.
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
    if RetentionDecisionState::parse(decision.record.str_at("decision_state"))
        != Some(RetentionDecisionState::Approved)
    {
        return Err(missing(&format!(
            "an approved retention decision (step 4); the latest is {}",
            decision.record.str_at("decision_state")
        )));
    }
    let linked = [
        Some(summary),
        log.by_id(summary.record.str_at("bundle_id")),
        log.by_id(summary.record.str_at("manifest_id")),
    ];
    let mut files = Vec::new();
    for ((path, _), entry) in ARTIFACT_FILES.iter().zip(linked) {
        let entry = entry.ok_or_else(|| missing("the bundle and manifest the summary names"))?;
        files.push(Value::object([
            ("path", Value::from(*path)),
            ("media_type", Value::from("application/json")),
            ("sha256", Value::from(digest(&entry.record))),
            ("content", entry.record.clone()),
        ]));
    }
    let download_manifest: Vec<Value> = files
        .iter()
        .map(|f| {
            Value::object(
                ["path", "media_type", "sha256"]
                    .map(|k| (k, f.get(k).cloned().unwrap_or(Value::Null))),
            )
        })
        .collect();
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("summary_id", Value::from(summary.id())),
        (
            "file_hashes",
            strings(files.iter().map(|f| f.str_at("sha256"))),
        ),
        ("retention_decision_id", Value::from(decision.id())),
        ("release_record_ref", Value::from(reference)),
        ("download_state", Value::from("available")),
        ("download_manifest", Value::Array(download_manifest)),
        ("files", Value::Array(files)),
    ]);
    log.append_sealed(RecordKind::ArtifactBundle, record);
    Ok(None)
}
