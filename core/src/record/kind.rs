//! Records: what each kind is called, how its id and hash derive from its material
//! (`docs/domain.md#27-records`), and the cross-links verification follows.
//!
//! A record is a JSON object built by a step. Its id is `prefix + first 16 hex` of the digest of its
//! material (exactly the listed keys); its hash field, where it has one, is the full digest.

use crate::json::{digest, Value};
use sha2::{Digest, Sha256};

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
    pub const ALL: [RecordKind; 20] = [
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
        RecordKind::FinalDecision,
    ];

    /// This kind's identity and hashing rules (`docs/domain.md#27-records`).
    pub fn spec(self) -> KindSpec {
        use RecordKind::*;
        let (name, id_field, prefix, hash_field, material) = match self {
            ReadinessSummary => (
                "readiness_summary",
                "record_id",
                "readinesssummary-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ReadinessApproval => (
                "readiness_approval",
                "record_id",
                "approvaldecision-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ReleaseRecordAttachment => (
                "release_record_attachment",
                "record_id",
                "recordattachment-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ClosurePacketVerification => (
                "closure_packet_verification",
                "record_id",
                "closurepacket-",
                Some("record_hash"),
                UPSTREAM,
            ),
            AuditorExport => (
                "auditor_export",
                "export_id",
                "auditorexport-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ArchiveReference => (
                "archive_reference",
                "reference_id",
                "archiveref-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ArchiveHealth => (
                "archive_health",
                "health_id",
                "archivehealth-",
                Some("record_hash"),
                UPSTREAM,
            ),
            ReadinessBundle => (
                "readiness_bundle",
                "bundle_id",
                "gordackfinalbundle-",
                Some("bundle_hash"),
                Material::Keys(&[
                    "generated_at",
                    "release_record_ref",
                    "evidence_index",
                    "archive_objects",
                    "closeout_state",
                ]),
            ),
            ArchiveManifest => (
                "archive_manifest",
                "manifest_id",
                "gordackfinalmanifest-",
                Some("manifest_hash"),
                Material::Keys(&[
                    "generated_at",
                    "bundle_id",
                    "bundle_hash",
                    "release_record_ref",
                    "archive_objects",
                ]),
            ),
            CloseoutSummary => (
                "closeout_summary",
                "summary_id",
                "gordackfinalcloseout-",
                Some("summary_hash"),
                Material::Keys(&[
                    "generated_at",
                    "bundle_id",
                    "manifest_id",
                    "blockers",
                    "closeout_state",
                ]),
            ),
            ConnectorDelivery => (
                "connector_delivery",
                "delivery_id",
                "rcd-",
                None,
                Material::ConnectorDelivery,
            ),
            RetentionReview => (
                "retention_review",
                "review_id",
                "gordackfinalretention-",
                Some("review_hash"),
                Material::Keys(&[
                    "summary_id",
                    "summary_hash",
                    "release_record_ref",
                    "retention_until",
                    "legal_hold",
                    "requested_at",
                    "requested_by",
                ]),
            ),
            RetentionDecision => (
                "retention_decision",
                "decision_id",
                "gordackfinalretentiondecision-",
                Some("decision_hash"),
                Material::Keys(&[
                    "review_id",
                    "decision_state",
                    "decided_at",
                    "decided_by",
                    "external_ref",
                ]),
            ),
            ArtifactBundle => (
                "artifact_bundle",
                "artifact_bundle_id",
                "gordackfinalartifact-",
                Some("artifact_bundle_hash"),
                Material::Keys(&[
                    "generated_at",
                    "summary_id",
                    "file_hashes",
                    "retention_decision_id",
                ]),
            ),
            RetentionHealth => (
                "retention_health",
                "health_id",
                "gordackfinalretentionhealth-",
                Some("health_hash"),
                Material::Keys(&["generated_at", "bundle_statuses", "finding_categories"]),
            ),
            AlertPlan => (
                "alert_plan",
                "plan_id",
                "gordackfinalretenalert-",
                None,
                Material::Keys(&["health_id", "generated_at", "provider", "selected"]),
            ),
            RetryPlan => (
                "retry_plan",
                "retry_plan_id",
                "gordackfinalcloseoutretry-",
                Some("retry_hash"),
                Material::Keys(&["generated_at", "generated_by", "decisions"]),
            ),
            WorkerRun => (
                "worker_run",
                "run_id",
                "gordackfinalcloseoutworker-",
                None,
                Material::Keys(&[
                    "window_start",
                    "generated_by",
                    "dry_run",
                    "retry_plan_id",
                    "selected",
                ]),
            ),
            Execution => (
                "execution",
                "execution_id",
                "gordackfinalcloseoutexec-",
                Some("execution_hash"),
                Material::Keys(&["run_id", "delivery_id", "executed_at", "status"]),
            ),
            FinalDecision => (
                "final_decision",
                "decision_id",
                "gordackfinaldecision-",
                Some("decision_hash"),
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

/// The material of a record of this kind: the object that is hashed.
pub fn material_of(kind: RecordKind, record: &Value) -> Value {
    let spec = kind.spec();
    match spec.material {
        Material::Keys(keys) => Value::object(
            keys.iter()
                .map(|key| (*key, record.get(key).cloned().unwrap_or(Value::Null))),
        ),
        Material::AllButIdentity | Material::ConnectorDelivery => {
            let mut material = record.clone();
            material.remove(spec.id_field);
            if let Some(hash_field) = spec.hash_field {
                material.remove(hash_field);
            }
            material
        }
    }
}

/// What a record's id and hash fields must hold: `(id, Some(hash))`.
pub fn identity_of(kind: RecordKind, record: &Value) -> (String, Option<String>) {
    let spec = kind.spec();
    if spec.material == Material::ConnectorDelivery {
        return (connector_delivery_id(record), None);
    }
    let hash = digest(&material_of(kind, record));
    let id = format!("{}{}", spec.prefix, &hash[..16]);
    (id, spec.hash_field.map(|_| hash))
}

/// Fills in a freshly built record's id and hash fields, at the front of the object.
pub fn seal(kind: RecordKind, mut record: Value) -> Value {
    let spec = kind.spec();
    let (id, hash) = identity_of(kind, &record);
    record.remove(spec.id_field);
    let mut sealed = vec![(spec.id_field.to_string(), Value::String(id))];
    if let (Some(field), Some(hash)) = (spec.hash_field, hash) {
        record.remove(field);
        sealed.push((field.to_string(), Value::String(hash)));
    }
    if let Value::Object(pairs) = record {
        sealed.extend(pairs);
    }
    Value::Object(sealed)
}

/// `rcd-{slug(event_id)}-{first 12 hex of sha256("{event_id}|{generated_at}|{providers comma-joined}")}`.
pub fn connector_delivery_id(record: &Value) -> String {
    let event_id = record.str_at("event_id");
    let generated_at = record.str_at("generated_at");
    let providers: Vec<&str> = record
        .get("providers")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|p| p.str_at("provider"))
        .collect();
    let material = format!("{event_id}|{generated_at}|{}", providers.join(","));
    let hash = hex::encode(Sha256::digest(material.as_bytes()));
    format!("rcd-{}-{}", slug(event_id), &hash[..12])
}

/// Lowercase, every non-alphanumeric character to `-`, trimmed of `-` (`docs/domain.md#27-records`).
///
/// Alphanumeric means ASCII letters and digits: the text slugged is an event id, and every event id the
/// spec defines is a record id (an ASCII prefix and hex digits). Unicode case mapping and letter tables
/// would cost the app's first load about 8 KB gzip for text no conforming chain holds; a non-ASCII
/// character becomes `-` like any other character outside `[a-z0-9]`.
pub fn slug(text: &str) -> String {
    let lowered: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    lowered.trim_matches('-').to_string()
}

/// A field of one kind that names a record of another kind, which must come earlier in the log; with
/// the field that must then equal the named record's hash, where there is one.
pub struct CrossLink {
    pub from: RecordKind,
    /// Whether the link applies only when the record has the field (a connector delivery names either a
    /// summary or an alert plan).
    pub optional: bool,
    pub field: &'static str,
    pub to: RecordKind,
    pub hash_field: Option<&'static str>,
}

/// Every cross-link verification follows (D-2, `docs/domain.md#28-cross-links`).
pub const CROSS_LINKS: &[CrossLink] = &[
    link(
        RecordKind::ArchiveManifest,
        "bundle_id",
        RecordKind::ReadinessBundle,
        Some("bundle_hash"),
    ),
    link(
        RecordKind::CloseoutSummary,
        "bundle_id",
        RecordKind::ReadinessBundle,
        None,
    ),
    link(
        RecordKind::CloseoutSummary,
        "manifest_id",
        RecordKind::ArchiveManifest,
        None,
    ),
    optional_link(
        RecordKind::ConnectorDelivery,
        "summary_id",
        RecordKind::CloseoutSummary,
    ),
    optional_link(
        RecordKind::ConnectorDelivery,
        "plan_id",
        RecordKind::AlertPlan,
    ),
    link(
        RecordKind::RetentionReview,
        "summary_id",
        RecordKind::CloseoutSummary,
        Some("summary_hash"),
    ),
    link(
        RecordKind::RetentionDecision,
        "review_id",
        RecordKind::RetentionReview,
        None,
    ),
    link(
        RecordKind::ArtifactBundle,
        "summary_id",
        RecordKind::CloseoutSummary,
        None,
    ),
    link(
        RecordKind::ArtifactBundle,
        "retention_decision_id",
        RecordKind::RetentionDecision,
        None,
    ),
    link(
        RecordKind::AlertPlan,
        "health_id",
        RecordKind::RetentionHealth,
        None,
    ),
    link(
        RecordKind::WorkerRun,
        "retry_plan_id",
        RecordKind::RetryPlan,
        None,
    ),
    link(RecordKind::Execution, "run_id", RecordKind::WorkerRun, None),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn summary_id_matches_the_shared_vector() {
        let record = parse(
            r#"{"generated_at": "2026-05-31T08:30:00+00:00", "bundle_id": "gordackfinalbundle-0000000000000000",
                "manifest_id": "gordackfinalmanifest-0000000000000000", "blockers": [], "closeout_state": "closed",
                "delivery_state": "not_delivered"}"#,
        )
        .unwrap();
        let sealed = seal(RecordKind::CloseoutSummary, record);
        assert_eq!(
            sealed.str_at("summary_id"),
            "gordackfinalcloseout-a2735f16ec4f0d8c"
        );
        assert_eq!(
            sealed.str_at("summary_hash"),
            "a2735f16ec4f0d8c867e2fb8b2d447f69a2e3635481ab78e8cc406e0f800b87c"
        );
        assert_eq!(
            identity_of(RecordKind::CloseoutSummary, &sealed).0,
            sealed.str_at("summary_id")
        );
    }

    #[test]
    fn connector_delivery_id_follows_the_spec() {
        let record = parse(
            r#"{"event_id": "Closeout Summary/ABC!", "generated_at": "2026-05-31T08:30:00+00:00",
                "providers": [{"provider": "webhook"}, {"provider": "splunk"}]}"#,
        )
        .unwrap();
        let expected = hex::encode(Sha256::digest(
            b"Closeout Summary/ABC!|2026-05-31T08:30:00+00:00|webhook,splunk",
        ));
        assert_eq!(
            connector_delivery_id(&record),
            format!("rcd-closeout-summary-abc-{}", &expected[..12])
        );
        assert_eq!(slug("--A b--"), "a-b");
        // Only ASCII letters and digits are kept (see `slug`).
        assert_eq!(slug("Été-42"), "t--42");
    }

    #[test]
    fn kind_names_are_unique_and_round_trip() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_name(kind.spec().name), Some(kind));
        }
    }
}
