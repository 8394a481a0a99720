//! The cross-links: the fields by which a record names an earlier record, which verification follows
//! (D-2, `docs/domain.md#28-cross-links`).

use super::field;
use super::RecordKind;

/// A field of one kind that names a record of another kind, which must come earlier in the log; with
/// the field that must then equal the named record's hash, where there is one.
pub struct CrossLink {
    pub from: RecordKind,
    /// Whether the link applies only when the record names something in the field (a connector delivery
    /// names either a summary or an alert plan; an open summary may name no bundle): absent, `null` and
    /// `""` name nothing.
    pub optional: bool,
    pub field: &'static str,
    pub to: RecordKind,
    pub hash_field: Option<&'static str>,
}

/// Every cross-link verification follows (D-2, `docs/domain.md#28-cross-links`).
pub const CROSS_LINKS: &[CrossLink] = &[
    link(
        RecordKind::ArchiveManifest,
        field::BUNDLE_ID,
        RecordKind::ReadinessBundle,
        Some(field::BUNDLE_HASH),
    ),
    // An open summary made before its bundle or manifest names none ("").
    optional_link(
        RecordKind::CloseoutSummary,
        field::BUNDLE_ID,
        RecordKind::ReadinessBundle,
    ),
    optional_link(
        RecordKind::CloseoutSummary,
        field::MANIFEST_ID,
        RecordKind::ArchiveManifest,
    ),
    optional_link(
        RecordKind::ConnectorDelivery,
        field::SUMMARY_ID,
        RecordKind::CloseoutSummary,
    ),
    optional_link(
        RecordKind::ConnectorDelivery,
        field::PLAN_ID,
        RecordKind::AlertPlan,
    ),
    link(
        RecordKind::RetentionReview,
        field::SUMMARY_ID,
        RecordKind::CloseoutSummary,
        Some(field::SUMMARY_HASH),
    ),
    link(
        RecordKind::RetentionDecision,
        field::REVIEW_ID,
        RecordKind::RetentionReview,
        None,
    ),
    link(
        RecordKind::ArtifactBundle,
        field::SUMMARY_ID,
        RecordKind::CloseoutSummary,
        None,
    ),
    link(
        RecordKind::ArtifactBundle,
        field::RETENTION_DECISION_ID,
        RecordKind::RetentionDecision,
        None,
    ),
    link(
        RecordKind::AlertPlan,
        field::HEALTH_ID,
        RecordKind::RetentionHealth,
        None,
    ),
    link(
        RecordKind::WorkerRun,
        field::RETRY_PLAN_ID,
        RecordKind::RetryPlan,
        None,
    ),
    link(
        RecordKind::Execution,
        field::RUN_ID,
        RecordKind::WorkerRun,
        None,
    ),
    // Governance records (D-13, D-14): a field present only when there is something to name.
    link(
        RecordKind::RedeliveryApproval,
        field::RETRY_PLAN_ID,
        RecordKind::RetryPlan,
        Some(field::RETRY_HASH),
    ),
    optional_link(
        RecordKind::WorkerRun,
        field::APPROVAL_ID,
        RecordKind::RedeliveryApproval,
    ),
    optional_link(
        RecordKind::AcceptedRisk,
        field::SUPERSEDES_RISK_ID,
        RecordKind::AcceptedRisk,
    ),
    optional_link(
        RecordKind::FinalDecision,
        field::ACCEPTED_RISK_ID,
        RecordKind::AcceptedRisk,
    ),
];

const fn link(
    from: RecordKind,
    field: &'static str,
    to: RecordKind,
    hash_field: Option<&'static str>,
) -> CrossLink {
    CrossLink {
        from,
        optional: false,
        field,
        to,
        hash_field,
    }
}

const fn optional_link(from: RecordKind, field: &'static str, to: RecordKind) -> CrossLink {
    CrossLink {
        from,
        optional: true,
        field,
        to,
        hash_field: None,
    }
}
