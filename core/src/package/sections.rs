//! The trial package's sections and their fields (`docs/domain.md#7-the-trial-package`): the one place
//! each field name is written. Import checks the fields from this table, the facts are read by its names
//! and export writes the fields in its order.
//!
//! Each section is a module named after the section: its fields as constants, then `SECTION`.

use crate::steps::StepId;

/// What a field holds, and so how import checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A string, absent or `null`.
    OptionalText,
    /// `true` or `false`.
    Flag,
    /// A whole number from 0.
    Count,
    /// An array of strings.
    Texts,
    /// An object with these fields.
    Object(&'static [Field]),
    /// An object with these fields, absent or `null`.
    OptionalObject(&'static [Field]),
    /// An array of objects, each with these fields.
    Objects(&'static [Field]),
    /// Written by export and kept on import as it stands: nothing reads it.
    Unchecked,
}

/// One field of a section, or of an object inside one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
}

/// One section of the package: an object, or `null` when its step did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// The section's key in the package.
    pub key: &'static str,
    /// The step that writes it (`docs/domain.md#4-the-ten-steps`); `None` for the scenario, which
    /// describes the whole run.
    pub step: Option<StepId>,
    /// The field that names the step's evidence; `None` when the section itself is the evidence.
    pub id: Option<Field>,
    /// The fields, in the order export writes them.
    pub fields: &'static [Field],
}

impl Field {
    /// The fields of an object, or of each object in an array; empty for any other kind.
    pub const fn fields(self) -> &'static [Field] {
        match self.kind {
            Kind::Object(inner) | Kind::OptionalObject(inner) | Kind::Objects(inner) => inner,
            _ => &[],
        }
    }
}

const fn field(key: &'static str, kind: Kind) -> Field {
    Field { key, kind }
}

/// The sections in the order the package lists them: the scenario, then one per step.
pub const TABLE: [Section; 11] = [
    scenario::SECTION,
    final_readiness_bundle::SECTION,
    signed_archive_manifest::SECTION,
    release_closeout_summary::SECTION,
    retention_review::SECTION,
    closeout_artifact_bundle::SECTION,
    retention_health_report::SECTION,
    retention_alert_delivery::SECTION,
    closeout_retry_plan::SECTION,
    retry_worker_run::SECTION,
    release_decision::SECTION,
];

/// The sections in the order import checks them: the steps' in step order, then the scenario. Import
/// has always reported the first fault in this order.
pub fn in_import_order() -> impl Iterator<Item = &'static Section> {
    let steps = TABLE.iter().filter(|s| s.step.is_some());
    steps.chain(TABLE.iter().filter(|s| s.step.is_none()))
}

/// The section keys in import order, at compile time (the public [`super::SECTIONS`]).
pub(super) const fn keys_in_import_order() -> [&'static str; TABLE.len()] {
    let mut keys = [""; TABLE.len()];
    let mut next = 0;
    let mut index = 0;
    while index < TABLE.len() {
        if TABLE[index].step.is_some() {
            keys[next] = TABLE[index].key;
            next += 1;
        }
        index += 1;
    }
    index = 0;
    while index < TABLE.len() {
        if TABLE[index].step.is_none() {
            keys[next] = TABLE[index].key;
            next += 1;
        }
        index += 1;
    }
    keys
}

/// What the run was: all optional texts.
pub mod scenario {
    use super::{field, Field, Kind::OptionalText, Section};
    pub const NAME: Field = field("name", OptionalText);
    pub const EDITION: Field = field("edition", OptionalText);
    pub const PURPOSE: Field = field("purpose", OptionalText);
    pub const DATA_CLASSIFICATION: Field = field("data_classification", OptionalText);
    pub const BOUNDARY_NOTE: Field = field("boundary_note", OptionalText);
    pub const RELEASE_RECORD_REF: Field = field("release_record_ref", OptionalText);
    pub const EVIDENCE_HEAD_DIGEST: Field = field("evidence_head_digest", OptionalText);
    pub const SECTION: Section = Section {
        key: "scenario",
        step: None,
        id: None,
        fields: &[
            NAME,
            EDITION,
            PURPOSE,
            DATA_CLASSIFICATION,
            BOUNDARY_NOTE,
            RELEASE_RECORD_REF,
            EVIDENCE_HEAD_DIGEST,
        ],
    };
}

/// Step 1.
pub mod final_readiness_bundle {
    use super::{field, Field, Kind::*, Section};
    pub const BUNDLE_ID: Field = field("bundle_id", Text);
    pub const RELEASE_ID: Field = field("release_id", Text);
    pub const STATE: Field = field("state", Text);
    pub const EVIDENCE_REFS: Field = field("evidence_refs", Texts);
    pub const SECTION: Section = Section {
        key: "final_readiness_bundle",
        step: Some(super::StepId::ReadinessBundle),
        id: Some(BUNDLE_ID),
        fields: &[BUNDLE_ID, RELEASE_ID, STATE, EVIDENCE_REFS],
    };
}

/// Step 2.
pub mod signed_archive_manifest {
    use super::{field, Field, Kind::*, Section};
    pub const MANIFEST_ID: Field = field("manifest_id", Text);
    pub const SIGNATURE_STATE: Field = field("signature_state", Text);
    pub const SIGNATURE_ALGORITHM: Field = field("signature_algorithm", Text);
    pub const KEY_REFERENCE: Field = field("key_reference", Text);
    pub const PRIVATE_KEY_STORED: Field = field("private_key_stored", Flag);
    /// `"sha256:"` and the manifest's hash.
    pub const MANIFEST_DIGEST: Field = field("manifest_digest", Text);
    pub const SECTION: Section = Section {
        key: "signed_archive_manifest",
        step: Some(super::StepId::ArchiveManifest),
        id: Some(MANIFEST_ID),
        fields: &[
            MANIFEST_ID,
            SIGNATURE_STATE,
            SIGNATURE_ALGORITHM,
            KEY_REFERENCE,
            PRIVATE_KEY_STORED,
            MANIFEST_DIGEST,
        ],
    };
}

/// Step 3.
pub mod release_closeout_summary {
    use super::{field, Field, Kind::*, Section};
    pub const CLOSEOUT_ID: Field = field("closeout_id", Text);
    pub const CLOSEOUT_STATE: Field = field("closeout_state", Text);
    pub const BLOCKER_COUNT: Field = field("blocker_count", Count);
    pub const DELIVERY_STATE: Field = field("delivery_state", Text);
    pub const PUBLIC_EVIDENCE_REFS: Field = field("public_evidence_refs", Texts);
    /// Each delivery of the summary with the event it sent: what every provider received.
    pub const DELIVERY_EVENTS: Field = field("delivery_events", Unchecked);
    pub const SECTION: Section = Section {
        key: "release_closeout_summary",
        step: Some(super::StepId::CloseoutSummary),
        id: Some(CLOSEOUT_ID),
        fields: &[
            CLOSEOUT_ID,
            CLOSEOUT_STATE,
            BLOCKER_COUNT,
            DELIVERY_STATE,
            PUBLIC_EVIDENCE_REFS,
            DELIVERY_EVENTS,
        ],
    };
}

/// Step 4.
pub mod retention_review {
    use super::{field, Field, Kind::*, Section};
    pub const REVIEW_ID: Field = field("review_id", Text);
    pub const REQUEST_STATE: Field = field("request_state", Text);
    pub const DECISION_STATE: Field = field("decision_state", Text);
    pub const APPROVED_BY: Field = field("approved_by", Text);
    pub const RETENTION_UNTIL: Field = field("retention_until", Text);
    pub const LEGAL_HOLD: Field = field("legal_hold", Flag);
    pub const NOTES: Field = field("notes", OptionalText);
    pub const SECTION: Section = Section {
        key: "retention_review",
        step: Some(super::StepId::RetentionReview),
        id: Some(REVIEW_ID),
        fields: &[
            REVIEW_ID,
            REQUEST_STATE,
            DECISION_STATE,
            APPROVED_BY,
            RETENTION_UNTIL,
            LEGAL_HOLD,
            NOTES,
        ],
    };
}

/// Step 5.
pub mod closeout_artifact_bundle {
    use super::{field, Field, Kind::*, Section};
    pub const ARTIFACT_BUNDLE_ID: Field = field("artifact_bundle_id", Text);
    pub const DOWNLOAD_STATE: Field = field("download_state", Text);
    pub const RETENTION_DECISION_STATE: Field = field("retention_decision_state", Text);
    pub const FILES: Field = field("files", Objects(&[file::NAME, file::SHA256]));
    pub const SECTION: Section = Section {
        key: "closeout_artifact_bundle",
        step: Some(super::StepId::ArtifactBundle),
        id: Some(ARTIFACT_BUNDLE_ID),
        fields: &[
            ARTIFACT_BUNDLE_ID,
            DOWNLOAD_STATE,
            RETENTION_DECISION_STATE,
            FILES,
        ],
    };

    /// One of [`FILES`].
    pub mod file {
        use super::super::{field, Field, Kind::Text};
        pub const NAME: Field = field("name", Text);
        pub const SHA256: Field = field("sha256", Text);
    }
}

/// Step 6.
pub mod retention_health_report {
    use super::{field, Field, Kind::*, Section};
    pub const REPORT_ID: Field = field("report_id", Text);
    pub const HEALTH_STATE: Field = field("health_state", Text);
    pub const SUMMARY: Field = field(
        "summary",
        Object(&[
            summary::CRITICAL_FINDINGS,
            summary::WARNING_FINDINGS,
            summary::HEALTHY_CHECKS,
        ]),
    );
    pub const FINDINGS: Field = field(
        "findings",
        Objects(&[
            finding::FINDING_ID,
            finding::SEVERITY,
            finding::CATEGORY,
            finding::MESSAGE,
        ]),
    );
    pub const SECTION: Section = Section {
        key: "retention_health_report",
        step: Some(super::StepId::RetentionHealth),
        id: Some(REPORT_ID),
        fields: &[REPORT_ID, HEALTH_STATE, SUMMARY, FINDINGS],
    };

    /// The counts in [`SUMMARY`].
    pub mod summary {
        use super::super::{field, Field, Kind::Count};
        pub const CRITICAL_FINDINGS: Field = field("critical_findings", Count);
        pub const WARNING_FINDINGS: Field = field("warning_findings", Count);
        pub const HEALTHY_CHECKS: Field = field("healthy_checks", Count);
    }

    /// One of [`FINDINGS`].
    pub mod finding {
        use super::super::{field, Field, Kind::Text};
        pub const FINDING_ID: Field = field("finding_id", Text);
        pub const SEVERITY: Field = field("severity", Text);
        pub const CATEGORY: Field = field("category", Text);
        pub const MESSAGE: Field = field("message", Text);
    }
}

/// Step 7.
pub mod retention_alert_delivery {
    use super::{field, Field, Kind::*, Section};
    pub const ALERT_ID: Field = field("alert_id", Text);
    pub const PROVIDERS: Field = field(
        "providers",
        Objects(&[
            provider::PROVIDER,
            provider::ROUTE,
            provider::DELIVERY_STATE,
            provider::REDACTED,
        ]),
    );
    pub const SUPPRESSED_REASON: Field = field("suppressed_reason", OptionalText);
    /// Each delivery of the alert plan with the event it sent: what every provider received.
    pub const DELIVERY_EVENTS: Field = field("delivery_events", Unchecked);
    pub const SECTION: Section = Section {
        key: "retention_alert_delivery",
        step: Some(super::StepId::RetentionAlerts),
        id: Some(ALERT_ID),
        fields: &[ALERT_ID, PROVIDERS, SUPPRESSED_REASON, DELIVERY_EVENTS],
    };

    /// One of [`PROVIDERS`].
    pub mod provider {
        use super::super::{field, Field, Kind::*};
        pub const PROVIDER: Field = field("provider", Text);
        pub const ROUTE: Field = field("route", Text);
        pub const DELIVERY_STATE: Field = field("delivery_state", Text);
        pub const REDACTED: Field = field("redacted", Flag);
    }
}

/// Step 8.
pub mod closeout_retry_plan {
    use super::{field, Field, Kind::Text, Section};
    pub const RETRY_PLAN_ID: Field = field("retry_plan_id", Text);
    pub const SOURCE_DELIVERY_ID: Field = field("source_delivery_id", Text);
    pub const DECISION: Field = field("decision", Text);
    pub const MODE: Field = field("mode", Text);
    pub const OWNER: Field = field("owner", Text);
    pub const TARGET_RESOLUTION_DATE: Field = field("target_resolution_date", Text);
    pub const SECTION: Section = Section {
        key: "closeout_retry_plan",
        step: Some(super::StepId::RetryPlan),
        id: Some(RETRY_PLAN_ID),
        fields: &[
            RETRY_PLAN_ID,
            SOURCE_DELIVERY_ID,
            DECISION,
            MODE,
            OWNER,
            TARGET_RESOLUTION_DATE,
        ],
    };
}

/// Step 9.
pub mod retry_worker_run {
    use super::{field, Field, Kind::*, Section};
    pub const WORKER_RUN_ID: Field = field("worker_run_id", Text);
    pub const MODE: Field = field("mode", Text);
    pub const STATE: Field = field("state", Text);
    pub const WOULD_RETRY_DELIVERY_IDS: Field = field("would_retry_delivery_ids", Texts);
    pub const LIVE_CONNECTOR_USED: Field = field("live_connector_used", Flag);
    pub const PRECEDED_BY_DRY_RUN_ID: Field = field("preceded_by_dry_run_id", OptionalText);
    pub const SECTION: Section = Section {
        key: "retry_worker_run",
        step: Some(super::StepId::RetryWorker),
        id: Some(WORKER_RUN_ID),
        fields: &[
            WORKER_RUN_ID,
            MODE,
            STATE,
            WOULD_RETRY_DELIVERY_IDS,
            LIVE_CONNECTOR_USED,
            PRECEDED_BY_DRY_RUN_ID,
        ],
    };
}

/// Step 10. The section is itself the step's evidence, so it has no id.
pub mod release_decision {
    use super::{field, Field, Kind::*, Section};
    pub const CRITERIA_DOCUMENT: Field = field("criteria_document", Text);
    /// The state the package states for itself, never trusted.
    pub const STATE: Field = field("state", OptionalText);
    /// Its fields are those of an accepted risk as a step input (`crate::flow::inputs`).
    pub const ACCEPTED_RISK: Field = field(
        "accepted_risk",
        OptionalObject(&[
            accepted_risk::OWNER,
            accepted_risk::REASON,
            accepted_risk::EXPIRES_AT,
            accepted_risk::EXTERNAL_REF,
            accepted_risk::COMPENSATING_CONTROL,
        ]),
    );
    /// When export decided; the decision is made again on import.
    pub const EVALUATED_AT: Field = field("evaluated_at", Unchecked);
    pub const SECTION: Section = Section {
        key: "release_decision",
        step: Some(super::StepId::FinalDecision),
        id: None,
        fields: &[CRITERIA_DOCUMENT, STATE, ACCEPTED_RISK, EVALUATED_AT],
    };

    /// The fields of [`ACCEPTED_RISK`].
    pub mod accepted_risk {
        use super::super::{field, Field, Kind::OptionalText};
        pub const OWNER: Field = field("owner", OptionalText);
        pub const REASON: Field = field("reason", OptionalText);
        pub const EXPIRES_AT: Field = field("expires_at", OptionalText);
        pub const EXTERNAL_REF: Field = field("external_ref", OptionalText);
        pub const COMPENSATING_CONTROL: Field = field("compensating_control", OptionalText);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::STEPS;

    fn nested(fields: &[Field]) -> Vec<&'static [Field]> {
        fields
            .iter()
            .map(|f| f.fields())
            .filter(|inner| !inner.is_empty())
            .collect()
    }

    fn unique(fields: &[Field]) -> bool {
        unique_keys(fields.iter().map(|f| f.key))
    }

    fn unique_keys<'a>(keys: impl Iterator<Item = &'a str>) -> bool {
        let mut keys: Vec<&str> = keys.collect();
        keys.sort_unstable();
        keys.windows(2).all(|pair| pair[0] != pair[1])
    }

    #[test]
    fn the_scenario_then_one_section_per_step_in_step_order() {
        assert_eq!(TABLE[0].key, "scenario");
        assert_eq!(TABLE[0].step, None);
        let steps: Vec<u8> = TABLE[1..]
            .iter()
            .filter_map(|s| s.step.map(StepId::number))
            .collect();
        let numbers: Vec<u8> = STEPS.iter().map(|s| s.number).collect();
        assert_eq!(steps, numbers);
        let keys: Vec<&str> = TABLE.iter().map(|s| s.key).collect();
        assert!(
            unique(&TABLE.map(|s| field(s.key, Kind::Unchecked))),
            "{keys:?}"
        );
    }

    #[test]
    fn import_checks_the_steps_sections_then_the_scenario() {
        let order: Vec<&str> = in_import_order().map(|s| s.key).collect();
        assert_eq!(order, keys_in_import_order());
        assert_eq!(order.last(), Some(&"scenario"));
        assert_eq!(order[0], "final_readiness_bundle");
        assert_eq!(order.len(), TABLE.len());
    }

    #[test]
    fn field_names_are_unique_within_each_object_and_ids_are_fields() {
        for section in TABLE {
            assert!(unique(section.fields), "{}", section.key);
            for inner in nested(section.fields) {
                assert!(unique(inner), "{}", section.key);
                assert!(nested(inner).is_empty(), "{}: one level deep", section.key);
            }
            if let Some(id) = section.id {
                assert!(section.fields.contains(&id), "{}", section.key);
                assert_eq!(id.kind, Kind::Text, "{}", section.key);
            }
        }
        // Every step's section names its evidence by an id, but the final decision, which is itself
        // the evidence.
        let without_id: Vec<&str> = TABLE
            .iter()
            .filter(|s| s.step.is_some() && s.id.is_none())
            .map(|s| s.key)
            .collect();
        assert_eq!(without_id, ["release_decision"]);
    }
}
