//! The keys of record fields, named once (`docs/domain.md#27-records`).
//!
//! One constant per key that core reads or writes by name in more than one place, so a typo is a compile
//! error rather than a silently missing field. Each says which records carry it.

// Every record.

/// Every record: the release (or audit case) the closeout is for (`docs/domain.md#25-the-release-record-ref`).
pub const RELEASE_RECORD_REF: &str = "release_record_ref";
/// Readiness bundle, archive manifest, closeout summary, connector delivery, artifact bundle, retention
/// health, alert plan, retry plan and final decision: when the record was made.
pub const GENERATED_AT: &str = "generated_at";
/// Retry plan and worker run: the id of the acting role.
pub const GENERATED_BY: &str = "generated_by";

// Upstream evidence (`docs/domain.md#3-upstream-evidence`).

/// Readiness summary, readiness approval, release record attachment, closure packet verification: the id.
pub const RECORD_ID: &str = "record_id";
/// Every upstream record: the hash field.
pub const RECORD_HASH: &str = "record_hash";
/// Auditor export: the id.
pub const EXPORT_ID: &str = "export_id";
/// Immutable archive reference: the id.
pub const REFERENCE_ID: &str = "reference_id";
/// Every upstream record, and each entry of a readiness bundle's evidence index: when it was made.
pub const CREATED_AT: &str = "created_at";
/// Every upstream record, and each evidence index entry: the made-up upstream service that signed it.
pub const SIGNER: &str = "signer";
/// Readiness summary: its readiness state.
pub const READINESS_STATE: &str = "readiness_state";
/// Readiness approval decision: `approved` passes step 1.
pub const APPROVAL_STATE: &str = "approval_state";
/// Release record attachment: `attached` passes step 1.
pub const ATTACHMENT_STATE: &str = "attachment_state";
/// Closure packet verification: `verified` passes step 1.
pub const VERIFICATION_STATE: &str = "verification_state";
/// Immutable archive reference, and each archive object of a bundle: where the archive is.
pub const ARCHIVE_REF: &str = "archive_ref";
/// Immutable archive reference, and each archive object of a bundle: who keeps the archive.
pub const ARCHIVE_PROVIDER: &str = "archive_provider";
/// Immutable archive reference, and each archive object of a bundle: the archive's hash.
pub const ARCHIVE_HASH: &str = "archive_hash";
/// Archive reference health, retention health and alert plan: `healthy`, `warning` or `critical`.
pub const ALERT_LEVEL: &str = "alert_level";
/// Immutable archive reference and retention review (and each bundle status of a retention health): the
/// date the evidence must be kept until.
pub const RETENTION_UNTIL: &str = "retention_until";
/// Immutable archive reference and retention review: whether a legal hold applies.
pub const LEGAL_HOLD: &str = "legal_hold";

// Step 1: readiness bundle.

/// Readiness bundle: the id; archive manifest and closeout summary: the bundle they name.
pub const BUNDLE_ID: &str = "bundle_id";
/// Readiness bundle: the hash field; archive manifest: the hash of the bundle it names.
pub const BUNDLE_HASH: &str = "bundle_hash";
/// Readiness bundle: kind, id, created_at, signer and ref of every upstream record.
pub const EVIDENCE_INDEX: &str = "evidence_index";
/// Readiness bundle and archive manifest: one object per archive reference.
pub const ARCHIVE_OBJECTS: &str = "archive_objects";
/// Readiness bundle (`ready_for_closeout` or `incomplete`) and closeout summary (`closed` or `open`).
pub const CLOSEOUT_STATE: &str = "closeout_state";
/// Readiness bundle and closeout summary: the blocking codes, sorted.
pub const BLOCKERS: &str = "blockers";
/// Readiness bundle: the ids of the upstream records.
pub const PUBLIC_EVIDENCE_REFS: &str = "public_evidence_refs";

// Step 2: signed archive manifest.

/// Archive manifest: the id; closeout summary: the manifest it names.
pub const MANIFEST_ID: &str = "manifest_id";
/// Archive manifest: the hash field.
pub const MANIFEST_HASH: &str = "manifest_hash";
/// Archive manifest: whether an external signature reference is attached.
pub const SIGNATURE_STATE: &str = "signature_state";
/// Archive manifest: always `false`; keys stay with the operator.
pub const PRIVATE_KEY_STORED: &str = "private_key_stored";
/// Archive manifest: the external signing key's id.
pub const SIGNATURE_KEY_ID: &str = "signature_key_id";
/// Archive manifest: the external signature's algorithm.
pub const SIGNATURE_ALGORITHM: &str = "signature_algorithm";

// Step 3: closeout summary and its delivery.

/// Closeout summary: the id; connector delivery, retention review, artifact bundle and each retry decision:
/// the summary they name.
pub const SUMMARY_ID: &str = "summary_id";
/// Closeout summary: the hash field; retention review: the hash of the summary it names.
pub const SUMMARY_HASH: &str = "summary_hash";
/// Closeout summary: how many blockers it has.
pub const BLOCKER_COUNT: &str = "blocker_count";
/// Connector delivery (overall, and per provider): `delivered`, `partial_failure`, `failed` or
/// `not_delivered`.
pub const DELIVERY_STATE: &str = "delivery_state";
/// Connector delivery: the id; each retry decision and execution record: the delivery they name.
pub const DELIVERY_ID: &str = "delivery_id";
/// Connector delivery: the id of the delivered record.
pub const EVENT_ID: &str = "event_id";
/// Connector delivery: one entry per provider called.
pub const PROVIDERS: &str = "providers";
/// Each provider entry of a connector delivery, each retry decision and execution record: the provider;
/// alert plan: the providers comma-joined.
pub const PROVIDER: &str = "provider";
/// Each provider entry of a connector delivery: whether the call succeeded.
pub const SUCCESS: &str = "success";
/// Connector delivery and worker run: `true`; the sandbox delivers nothing for real.
pub const SIMULATED: &str = "simulated";
/// Connector delivery: the delivery event it sent (`docs/domain.md#41-delivery-events`).
pub const EVENT: &str = "event";
/// Connector delivery (`release_closeout_summary`, …) and delivery event (CAVRA's): the event's type.
pub const EVENT_TYPE: &str = "event_type";
/// Delivery event: CAVRA's session id, the event id again.
pub const SESSION_ID: &str = "session_id";
/// Delivery event: the body for each provider, by provider.
pub const PROVIDER_PAYLOADS: &str = "provider_payloads";
/// Readiness bundle, and the closeout event and its public summary: how many evidence records.
pub const EVIDENCE_COUNT: &str = "evidence_count";
/// Readiness bundle, and the closeout event and its public summary: how many archive objects.
pub const ARCHIVE_OBJECT_COUNT: &str = "archive_object_count";

// Step 4: retention review and decision.

/// Retention review: the id; retention decision: the review it decides.
pub const REVIEW_ID: &str = "review_id";
/// Retention review: the hash field.
pub const REVIEW_HASH: &str = "review_hash";
/// Retention review: when it was requested.
pub const REQUESTED_AT: &str = "requested_at";
/// Retention review: the identity of the requesting role (D-12).
pub const REQUESTED_BY: &str = "requested_by";
/// Retention decision and final decision: the id.
pub const DECISION_ID: &str = "decision_id";
/// Retention decision and final decision: the hash field.
pub const DECISION_HASH: &str = "decision_hash";
/// Retention decision: `approved`, `denied`, `deferred` or `expired`.
pub const DECISION_STATE: &str = "decision_state";
/// Retention decision: when it was decided.
pub const DECIDED_AT: &str = "decided_at";
/// Retention decision and final decision: the identity of the role that decided (D-12).
pub const DECIDED_BY: &str = "decided_by";
/// Retention decision: the reference of the decision outside the sandbox.
pub const EXTERNAL_REF: &str = "external_ref";

// Step 5: closeout artifact bundle.

/// Artifact bundle: the id.
pub const ARTIFACT_BUNDLE_ID: &str = "artifact_bundle_id";
/// Artifact bundle: the hash field.
pub const ARTIFACT_BUNDLE_HASH: &str = "artifact_bundle_hash";
/// Artifact bundle: the digests of its files, in order.
pub const FILE_HASHES: &str = "file_hashes";
/// Artifact bundle: the retention decision it rests on.
pub const RETENTION_DECISION_ID: &str = "retention_decision_id";
/// Artifact bundle: its files, each `{path, media_type, sha256, content}`.
pub const FILES: &str = "files";
/// Artifact bundle: its files without their content.
pub const DOWNLOAD_MANIFEST: &str = "download_manifest";
/// Each file of an artifact bundle (and of its download manifest): the file's name.
pub const PATH: &str = "path";
/// Each file of an artifact bundle (and of its download manifest): the digest of its content.
pub const SHA256: &str = "sha256";
/// Each file of an artifact bundle (and of its download manifest): its media type.
pub const MEDIA_TYPE: &str = "media_type";

// Step 6: retention health.

/// Retention health: the id; alert plan: the health report it alerts on. (Archive reference health's id
/// field has the same key.)
pub const HEALTH_ID: &str = "health_id";
/// Retention health: the hash field.
pub const HEALTH_HASH: &str = "health_hash";
/// Retention health: id, retention_until and status per artifact bundle.
pub const BUNDLE_STATUSES: &str = "bundle_statuses";
/// Retention health: the findings' categories, sorted and unique.
pub const FINDING_CATEGORIES: &str = "finding_categories";
/// Retention health: each finding's id, severity, category, message and bundle.
pub const FINDINGS: &str = "findings";
/// Each bundle status of a retention health (`healthy`, …) and execution record (`delivered`, `failed`,
/// `skipped`).
pub const STATUS: &str = "status";
/// Each finding of a retention health: `warning` or `critical`.
pub const SEVERITY: &str = "severity";
/// Each finding of a retention health: what it is about (`retention_expired`, …).
pub const CATEGORY: &str = "category";
/// Each finding of a retention health: the sentence that explains it.
pub const MESSAGE: &str = "message";
/// Retention health and the alert event's public summary: the finding and check counts.
pub const SUMMARY: &str = "summary";

// Step 7: retention alerts.

/// Alert plan: the id; connector delivery: the alert plan it delivers.
pub const PLAN_ID: &str = "plan_id";
/// Alert plan: the providers selected; worker run: the delivery ids selected.
pub const SELECTED: &str = "selected";
/// Alert plan: why nothing was sent (`health_healthy`, or `operator: …`).
pub const SUPPRESSED_REASON: &str = "suppressed_reason";

// Step 8: retry plan.

/// Retry plan: the id; worker run: the retry plan it works on.
pub const RETRY_PLAN_ID: &str = "retry_plan_id";
/// Retry plan: the hash field.
pub const RETRY_HASH: &str = "retry_hash";
/// Retry plan: one decision per failed provider.
pub const DECISIONS: &str = "decisions";
/// Each retry decision of a retry plan: `retry`, `wait` or `suppress`.
pub const DECISION: &str = "decision";
/// Each retry decision of a retry plan, and execution record: why.
pub const REASON: &str = "reason";
/// Retry plan (`dry_run_first`) and worker run (`dry_run` or `live`).
pub const MODE: &str = "mode";

// Step 9: retry worker.

/// Worker run: the id; execution record: the run it belongs to.
pub const RUN_ID: &str = "run_id";
/// Worker run: `now` minus the interval.
pub const WINDOW_START: &str = "window_start";
/// Worker run: whether it delivered nothing.
pub const DRY_RUN: &str = "dry_run";
/// Worker run (`completed`) and final decision (the release decision's state).
pub const STATE: &str = "state";
/// Execution record: the id.
pub const EXECUTION_ID: &str = "execution_id";
/// Execution record: the hash field.
pub const EXECUTION_HASH: &str = "execution_hash";
/// Execution record: when it was executed.
pub const EXECUTED_AT: &str = "executed_at";

// Step 10: final decision.

/// Final decision: the accepted risk it was taken with, or `null`.
pub const ACCEPTED_RISK: &str = "accepted_risk";
/// Final decision: the chain's head digest before it was appended.
pub const EVIDENCE_HEAD_DIGEST: &str = "evidence_head_digest";
/// Final decision: the id of the latest `accepted_risk` record it rests on, or `null`.
pub const ACCEPTED_RISK_ID: &str = "accepted_risk_id";
/// Final decision: the blocking codes, in their listed order.
pub const BLOCKING: &str = "blocking";
/// Final decision: the warning codes, in their listed order.
pub const WARNINGS: &str = "warnings";

// Governance records (D-12 to D-14): accepted risks, redelivery approvals, attestations.

/// Accepted risk: the id.
pub const RISK_ID: &str = "risk_id";
/// Accepted risk: the hash field.
pub const RISK_HASH: &str = "risk_hash";
/// Accepted risk: `accepted`, `changed` or `withdrawn`.
pub const RISK_ACTION: &str = "risk_action";
/// Accepted risk: the id of the accepted risk it replaces, or `null` for the first.
pub const SUPERSEDES_RISK_ID: &str = "supersedes_risk_id";
/// Accepted risk: the identity of the role that recorded it.
pub const RECORDED_BY: &str = "recorded_by";
/// Accepted risk: when it was recorded.
pub const RECORDED_AT: &str = "recorded_at";
/// Redelivery approval: the id.
pub const APPROVAL_ID: &str = "approval_id";
/// Redelivery approval: the hash field.
pub const APPROVAL_HASH: &str = "approval_hash";
/// Redelivery approval and worker run: the release manager's identity.
pub const APPROVED_BY: &str = "approved_by";
/// Redelivery approval: when it was given.
pub const APPROVED_AT: &str = "approved_at";
/// Attestation: the id.
pub const ATTESTATION_ID: &str = "attestation_id";
/// Attestation: the hash field.
pub const ATTESTATION_HASH: &str = "attestation_hash";
/// Attestation: the auditor's identity.
pub const ATTESTED_BY: &str = "attested_by";
/// Attestation: when the chain was verified.
pub const ATTESTED_AT: &str = "attested_at";
/// Attestation: the head digest of the chain it verified.
pub const VERIFIED_HEAD_DIGEST: &str = "verified_head_digest";
/// Attestation: how many entries the chain it verified held.
pub const VERIFIED_ENTRY_COUNT: &str = "verified_entry_count";

#[cfg(test)]
mod tests {
    use super::*;

    /// A key named twice would be two fields behind one name.
    #[test]
    fn every_key_is_named_once() {
        let keys = [
            RELEASE_RECORD_REF,
            GENERATED_AT,
            GENERATED_BY,
            RECORD_ID,
            RECORD_HASH,
            EXPORT_ID,
            REFERENCE_ID,
            CREATED_AT,
            SIGNER,
            READINESS_STATE,
            APPROVAL_STATE,
            ATTACHMENT_STATE,
            VERIFICATION_STATE,
            ARCHIVE_REF,
            ARCHIVE_PROVIDER,
            ARCHIVE_HASH,
            ALERT_LEVEL,
            RETENTION_UNTIL,
            LEGAL_HOLD,
            BUNDLE_ID,
            BUNDLE_HASH,
            EVIDENCE_INDEX,
            ARCHIVE_OBJECTS,
            CLOSEOUT_STATE,
            BLOCKERS,
            PUBLIC_EVIDENCE_REFS,
            MANIFEST_ID,
            MANIFEST_HASH,
            SIGNATURE_STATE,
            PRIVATE_KEY_STORED,
            SIGNATURE_KEY_ID,
            SIGNATURE_ALGORITHM,
            SUMMARY_ID,
            SUMMARY_HASH,
            BLOCKER_COUNT,
            DELIVERY_STATE,
            DELIVERY_ID,
            EVENT_ID,
            PROVIDERS,
            PROVIDER,
            SUCCESS,
            SIMULATED,
            EVENT,
            EVENT_TYPE,
            SESSION_ID,
            PROVIDER_PAYLOADS,
            EVIDENCE_COUNT,
            ARCHIVE_OBJECT_COUNT,
            REVIEW_ID,
            REVIEW_HASH,
            REQUESTED_AT,
            REQUESTED_BY,
            DECISION_ID,
            DECISION_HASH,
            DECISION_STATE,
            DECIDED_AT,
            DECIDED_BY,
            EXTERNAL_REF,
            ARTIFACT_BUNDLE_ID,
            ARTIFACT_BUNDLE_HASH,
            FILE_HASHES,
            RETENTION_DECISION_ID,
            FILES,
            DOWNLOAD_MANIFEST,
            PATH,
            SHA256,
            MEDIA_TYPE,
            HEALTH_ID,
            HEALTH_HASH,
            BUNDLE_STATUSES,
            FINDING_CATEGORIES,
            FINDINGS,
            STATUS,
            SEVERITY,
            CATEGORY,
            MESSAGE,
            SUMMARY,
            PLAN_ID,
            SELECTED,
            SUPPRESSED_REASON,
            RETRY_PLAN_ID,
            RETRY_HASH,
            DECISIONS,
            DECISION,
            REASON,
            MODE,
            RUN_ID,
            WINDOW_START,
            DRY_RUN,
            STATE,
            EXECUTION_ID,
            EXECUTION_HASH,
            EXECUTED_AT,
            ACCEPTED_RISK,
            EVIDENCE_HEAD_DIGEST,
            BLOCKING,
            WARNINGS,
            ACCEPTED_RISK_ID,
            RISK_ID,
            RISK_HASH,
            RISK_ACTION,
            SUPERSEDES_RISK_ID,
            RECORDED_BY,
            RECORDED_AT,
            APPROVAL_ID,
            APPROVAL_HASH,
            APPROVED_BY,
            APPROVED_AT,
            ATTESTATION_ID,
            ATTESTATION_HASH,
            ATTESTED_BY,
            ATTESTED_AT,
            VERIFIED_HEAD_DIGEST,
            VERIFIED_ENTRY_COUNT,
        ];
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len());
    }
}
