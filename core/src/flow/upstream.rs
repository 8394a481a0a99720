//! The upstream evidence a closeout rests on (`docs/domain.md#3-upstream-evidence`), seeded from the
//! scenario when a session starts.

use crate::evidence::EvidenceLog;
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;

/// Appends the scenario's upstream evidence (`docs/domain.md#3-upstream-evidence`), stamped at its
/// `generated_at`.
pub fn seed_upstream(log: &mut EvidenceLog, scenario: &Scenario) {
    let at = scenario.generated_at.isoformat();
    let reference = scenario.release_record_ref.as_str();
    let upstream = &scenario.upstream;
    let base = |signer: &str, pairs: Vec<(&str, Value)>| {
        let mut all = vec![
            (field::RELEASE_RECORD_REF, Value::from(reference)),
            (field::CREATED_AT, Value::from(at.as_str())),
            (field::SIGNER, Value::from(signer)),
            ("synthetic", Value::from(true)),
        ];
        all.extend(pairs);
        Value::object(all)
    };
    // The scenario names each upstream state by the key of the record field it becomes.
    let state = |key: &'static str| (key, Value::from(upstream.str_at(key)));
    let mut seed = |kind: RecordKind, record: Value| {
        log.append_sealed(kind, record);
    };
    seed(
        RecordKind::ReadinessSummary,
        base(
            "upstream-readiness-service",
            vec![state(field::READINESS_STATE)],
        ),
    );
    seed(
        RecordKind::ReadinessApproval,
        base(
            "upstream-approval-service",
            vec![state(field::APPROVAL_STATE)],
        ),
    );
    seed(
        RecordKind::ReleaseRecordAttachment,
        base(
            "upstream-release-record",
            vec![state(field::ATTACHMENT_STATE)],
        ),
    );
    seed(
        RecordKind::ClosurePacketVerification,
        base(
            "upstream-closure-packet",
            vec![state(field::VERIFICATION_STATE)],
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
            field::ARCHIVE_REF,
            field::ARCHIVE_PROVIDER,
            field::ARCHIVE_HASH,
            field::RETENTION_UNTIL,
        ] {
            fields.push((key, Value::from(reference.str_at(key))));
        }
        fields.push((
            field::LEGAL_HOLD,
            Value::from(reference.get(field::LEGAL_HOLD).and_then(Value::as_bool) == Some(true)),
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
                vec![(field::ALERT_LEVEL, Value::from(level))],
            ),
        );
    }
}
