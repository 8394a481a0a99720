//! The kinds of record: each kind's name in the evidence log, its id field and prefix, its hash field and
//! its material (`docs/domain.md#27-records`).

use super::field;

/// What the material of a kind is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Material {
    /// Exactly these keys.
    Keys(&'static [&'static str]),
    /// Every key but the id and hash fields.
    AllButIdentity,
    /// A connector delivery record: `rcd-{slug(event_id)}-{12 hex}` (`docs/domain.md#27-records`).
    ConnectorDelivery,
}

/// Every kind of record the evidence log holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    // Upstream evidence (docs/domain.md#3-upstream-evidence), seeded by the scenario.
    ReadinessSummary,
    ReadinessApproval,
    ReleaseRecordAttachment,
    ClosurePacketVerification,
    AuditorExport,
    ArchiveReference,
    ArchiveHealth,
    // The ten steps (docs/domain.md#4-the-ten-steps).
    ReadinessBundle,
    ArchiveManifest,
    CloseoutSummary,
    ConnectorDelivery,
    RetentionReview,
    RetentionDecision,
    ArtifactBundle,
    RetentionHealth,
    AlertPlan,
    RetryPlan,
    WorkerRun,
    Execution,
    // Governance (D-12 to D-14): acts of a role that are evidence of their own.
    /// An accepted risk, accepted, changed or withdrawn (D-14).
    AcceptedRisk,
    /// The release manager's approval of a live redelivery (D-13).
    RedeliveryApproval,
    /// The auditor's verification of the chain (D-13).
    Attestation,
    FinalDecision,
}

/// How a kind is identified and hashed.
#[derive(Clone, Copy, Debug)]
pub struct KindSpec {
    /// The `kind` string in the evidence log.
    pub name: &'static str,
    pub id_field: &'static str,
    pub prefix: &'static str,
    /// `None` for kinds with no hash field (alert plan, worker run, connector delivery).
    pub hash_field: Option<&'static str>,
    pub material: Material,
}

const UPSTREAM: Material = Material::AllButIdentity;

impl RecordKind {
    pub const ALL: [RecordKind; 23] = [
        RecordKind::ReadinessSummary,
        RecordKind::ReadinessApproval,
        RecordKind::ReleaseRecordAttachment,
        RecordKind::ClosurePacketVerification,
        RecordKind::AuditorExport,
        RecordKind::ArchiveReference,
        RecordKind::ArchiveHealth,
        RecordKind::ReadinessBundle,
        RecordKind::ArchiveManifest,
        RecordKind::CloseoutSummary,
        RecordKind::ConnectorDelivery,
        RecordKind::RetentionReview,
        RecordKind::RetentionDecision,
        RecordKind::ArtifactBundle,
        RecordKind::RetentionHealth,
        RecordKind::AlertPlan,
        RecordKind::RetryPlan,
        RecordKind::WorkerRun,
        RecordKind::Execution,
        RecordKind::AcceptedRisk,
        RecordKind::RedeliveryApproval,
        RecordKind::Attestation,
        RecordKind::FinalDecision,
    ];

    /// This kind's identity and hashing rules (`docs/domain.md#27-records`).
    pub fn spec(self) -> KindSpec {
        use RecordKind::*;
        let (name, id_field, prefix, hash_field, material) = match self {
            ReadinessSummary => (
                "readiness_summary",
                field::RECORD_ID,
                "readinesssummary-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ReadinessApproval => (
                "readiness_approval",
                field::RECORD_ID,
                "approvaldecision-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ReleaseRecordAttachment => (
                "release_record_attachment",
                field::RECORD_ID,
                "recordattachment-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ClosurePacketVerification => (
                "closure_packet_verification",
                field::RECORD_ID,
                "closurepacket-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            AuditorExport => (
                "auditor_export",
                field::EXPORT_ID,
                "auditorexport-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ArchiveReference => (
                "archive_reference",
                field::REFERENCE_ID,
                "archiveref-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ArchiveHealth => (
                "archive_health",
                field::HEALTH_ID,
                "archivehealth-",
                Some(field::RECORD_HASH),
                UPSTREAM,
            ),
            ReadinessBundle => (
                "readiness_bundle",
                field::BUNDLE_ID,
                "gordackfinalbundle-",
                Some(field::BUNDLE_HASH),
                Material::Keys(&[
                    field::GENERATED_AT,
                    field::RELEASE_RECORD_REF,
                    field::EVIDENCE_INDEX,
                    field::ARCHIVE_OBJECTS,
                    field::CLOSEOUT_STATE,
                ]),
            ),
            ArchiveManifest => (
                "archive_manifest",
                field::MANIFEST_ID,
                "gordackfinalmanifest-",
                Some(field::MANIFEST_HASH),
                Material::Keys(&[
                    field::GENERATED_AT,
                    field::BUNDLE_ID,
                    field::BUNDLE_HASH,
                    field::RELEASE_RECORD_REF,
                    field::ARCHIVE_OBJECTS,
                ]),
            ),
            CloseoutSummary => (
                "closeout_summary",
                field::SUMMARY_ID,
                "gordackfinalcloseout-",
                Some(field::SUMMARY_HASH),
                Material::Keys(&[
                    field::GENERATED_AT,
                    field::BUNDLE_ID,
                    field::MANIFEST_ID,
                    field::BLOCKERS,
                    field::CLOSEOUT_STATE,
                ]),
            ),
            ConnectorDelivery => (
                "connector_delivery",
                field::DELIVERY_ID,
                "rcd-",
                None,
                Material::ConnectorDelivery,
            ),
            RetentionReview => (
                "retention_review",
                field::REVIEW_ID,
                "gordackfinalretention-",
                Some(field::REVIEW_HASH),
                Material::Keys(&[
                    field::SUMMARY_ID,
                    field::SUMMARY_HASH,
                    field::RELEASE_RECORD_REF,
                    field::RETENTION_UNTIL,
                    field::LEGAL_HOLD,
                    field::REQUESTED_AT,
                    field::REQUESTED_BY,
                ]),
            ),
            RetentionDecision => (
                "retention_decision",
                field::DECISION_ID,
                "gordackfinalretentiondecision-",
                Some(field::DECISION_HASH),
                Material::Keys(&[
                    field::REVIEW_ID,
                    field::DECISION_STATE,
                    field::DECIDED_AT,
                    field::DECIDED_BY,
                    field::EXTERNAL_REF,
                ]),
            ),
            ArtifactBundle => (
                "artifact_bundle",
                field::ARTIFACT_BUNDLE_ID,
                "gordackfinalartifact-",
                Some(field::ARTIFACT_BUNDLE_HASH),
                Material::Keys(&[
                    field::GENERATED_AT,
                    field::SUMMARY_ID,
                    field::FILE_HASHES,
                    field::RETENTION_DECISION_ID,
                ]),
            ),
            RetentionHealth => (
                "retention_health",
                field::HEALTH_ID,
                "gordackfinalretentionhealth-",
                Some(field::HEALTH_HASH),
                Material::Keys(&[
                    field::GENERATED_AT,
                    field::BUNDLE_STATUSES,
                    field::FINDING_CATEGORIES,
                ]),
            ),
            AlertPlan => (
                "alert_plan",
                field::PLAN_ID,
                "gordackfinalretenalert-",
                None,
                Material::Keys(&[
                    field::HEALTH_ID,
                    field::GENERATED_AT,
                    field::PROVIDER,
                    field::SELECTED,
                ]),
            ),
            RetryPlan => (
                "retry_plan",
                field::RETRY_PLAN_ID,
                "gordackfinalcloseoutretry-",
                Some(field::RETRY_HASH),
                Material::Keys(&[field::GENERATED_AT, field::GENERATED_BY, field::DECISIONS]),
            ),
            WorkerRun => (
                "worker_run",
                field::RUN_ID,
                "gordackfinalcloseoutworker-",
                None,
                Material::Keys(&[
                    field::WINDOW_START,
                    field::GENERATED_BY,
                    field::DRY_RUN,
                    field::RETRY_PLAN_ID,
                    field::SELECTED,
                ]),
            ),
            Execution => (
                "execution",
                field::EXECUTION_ID,
                "gordackfinalcloseoutexec-",
                Some(field::EXECUTION_HASH),
                Material::Keys(&[
                    field::RUN_ID,
                    field::DELIVERY_ID,
                    field::EXECUTED_AT,
                    field::STATUS,
                ]),
            ),
            AcceptedRisk => (
                "accepted_risk",
                field::RISK_ID,
                "gordackfinalacceptedrisk-",
                Some(field::RISK_HASH),
                Material::AllButIdentity,
            ),
            RedeliveryApproval => (
                "redelivery_approval",
                field::APPROVAL_ID,
                "gordackfinalredeliveryapproval-",
                Some(field::APPROVAL_HASH),
                Material::AllButIdentity,
            ),
            Attestation => (
                "attestation",
                field::ATTESTATION_ID,
                "gordackfinalattestation-",
                Some(field::ATTESTATION_HASH),
                Material::AllButIdentity,
            ),
            FinalDecision => (
                "final_decision",
                field::DECISION_ID,
                "gordackfinaldecision-",
                Some(field::DECISION_HASH),
                Material::AllButIdentity,
            ),
        };
        KindSpec {
            name,
            id_field,
            prefix,
            hash_field,
            material,
        }
    }

    /// The kind with this evidence-log name.
    pub fn from_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.spec().name == name)
    }

    /// Whether the scenario seeds this kind before step 1.
    pub fn is_upstream(self) -> bool {
        self < RecordKind::ReadinessBundle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_unique_and_round_trip() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_name(kind.spec().name), Some(kind));
        }
    }
}
