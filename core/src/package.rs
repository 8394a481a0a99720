//! The trial package `cavra.final_closeout_trial.v1` (`docs/domain.md#7-the-trial-package`): validated
//! import that keeps unknown fields, the release decision of a package, and export of a session with
//! real digests.

use crate::decision::{
    decide, AlertFacts, ArtifactFacts, Decision, Facts, HealthFacts, WorkerFacts,
};
use crate::flow::inputs::{self, AcceptedRisk};
use crate::flow::{closeout_deliveries, summary_delivery_state, Session};
use crate::guard::{check_value, UnsafeValue};
use crate::input::{Fields, InputError};
use crate::json::{self, strings, JsonError, Value};
use crate::record::RecordKind;
use crate::states::{
    CloseoutState, DeliveryState, HealthLevel, ReadinessState, RetentionDecisionState, RetryAction,
    SignatureState, WorkerMode, WorkerRunState,
};
use crate::time::Timestamp;
use std::fmt;

/// The schema a trial package declares.
pub const PACKAGE_SCHEMA: &str = "cavra.final_closeout_trial.v1";
/// Where the release criteria are written down.
pub const CRITERIA_DOCUMENT: &str = "docs/release-governance-final-closeout-release-criteria.md";

/// The step sections, in order. Each is an object, or `null` when its step did not run.
pub const SECTIONS: [&str; 11] = [
    "final_readiness_bundle",
    "signed_archive_manifest",
    "release_closeout_summary",
    "retention_review",
    "closeout_artifact_bundle",
    "retention_health_report",
    "retention_alert_delivery",
    "closeout_retry_plan",
    "retry_worker_run",
    "release_decision",
    "scenario",
];

/// The largest package file accepted.
pub const MAX_PACKAGE_BYTES: usize = 8 * 1024 * 1024;

/// Why a package was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageError {
    /// Larger than [`MAX_PACKAGE_BYTES`].
    TooLarge(usize),
    Json(JsonError),
    Invalid(InputError),
    Unsafe(UnsafeValue),
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::TooLarge(bytes) => write!(
                f,
                "the file is {:.1} MB; a trial package may be at most {} MB",
                *bytes as f64 / 1_048_576.0,
                MAX_PACKAGE_BYTES / 1_048_576
            ),
            PackageError::Json(e) => write!(f, "not valid JSON: {e}"),
            PackageError::Invalid(e) => write!(f, "not a valid trial package: {e}"),
            PackageError::Unsafe(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PackageError {}

impl From<InputError> for PackageError {
    fn from(e: InputError) -> Self {
        PackageError::Invalid(e)
    }
}

/// A validated trial package. The document is kept whole, unknown fields included.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialPackage {
    pub document: Value,
    pub generated_at: Timestamp,
}

impl TrialPackage {
    /// Parses, guards (`docs/domain.md#6-the-public-safe-guard`) and validates a package file.
    pub fn import(bytes: &[u8]) -> Result<TrialPackage, PackageError> {
        if bytes.len() > MAX_PACKAGE_BYTES {
            return Err(PackageError::TooLarge(bytes.len()));
        }
        let document = json::parse_bytes(bytes).map_err(PackageError::Json)?;
        TrialPackage::from_value(document)
    }

    /// Guards and validates a parsed package.
    pub fn from_value(document: Value) -> Result<TrialPackage, PackageError> {
        let root = Fields::new(&document, "$")?;
        let schema = root.str("schema_version")?;
        if schema != PACKAGE_SCHEMA {
            return Err(root
                .error(
                    "schema_version",
                    format!("{schema:?} is not {PACKAGE_SCHEMA:?}"),
                )
                .into());
        }
        check_value(&document, "$").map_err(PackageError::Unsafe)?;
        let generated_at = root.time("generated_at")?;
        for section in SECTIONS {
            let value = root.present(section)?;
            if value.is_null() {
                continue;
            }
            let path = format!("$.{section}");
            validate_section(section, &Fields::new(value, &path)?)?;
        }
        Ok(TrialPackage {
            document,
            generated_at,
        })
    }

    fn section(&self, name: &str) -> Option<&Value> {
        self.document.get(name).filter(|v| !v.is_null())
    }

    /// The state the package states for itself: reported beside the computed one, never trusted.
    pub fn stated_state(&self) -> Option<&str> {
        self.section("release_decision")
            .and_then(|d| d.get("state"))
            .and_then(Value::as_str)
    }

    /// The facts section 5 reads.
    pub fn facts(&self) -> Facts {
        let text =
            |section: &str, key: &str| self.section(section).map(|s| s.str_at(key).to_string());
        let mut facts = Facts {
            evidence_refs: vec![Vec::new(); 10],
            ..Facts::default()
        };
        let ids = [
            ("final_readiness_bundle", "bundle_id"),
            ("signed_archive_manifest", "manifest_id"),
            ("release_closeout_summary", "closeout_id"),
            ("retention_review", "review_id"),
            ("closeout_artifact_bundle", "artifact_bundle_id"),
            ("retention_health_report", "report_id"),
            ("retention_alert_delivery", "alert_id"),
            ("closeout_retry_plan", "retry_plan_id"),
            ("retry_worker_run", "worker_run_id"),
            ("release_decision", "state"),
        ];
        for (index, (section, key)) in ids.iter().enumerate() {
            if let Some(id) = text(section, key) {
                facts.evidence_refs[index].push(if *section == "release_decision" {
                    format!("$.{section}")
                } else {
                    id
                });
            }
        }
        facts.readiness =
            text("final_readiness_bundle", "state").and_then(|s| ReadinessState::parse_package(&s));
        if let Some(manifest) = self.section("signed_archive_manifest") {
            facts.signature_state = SignatureState::parse(manifest.str_at("signature_state"));
            facts.private_key_stored =
                manifest.get("private_key_stored").and_then(Value::as_bool) == Some(true);
        }
        if let Some(summary) = self.section("release_closeout_summary") {
            let count = summary
                .get("blocker_count")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MAX);
            facts.closeout = Some((
                CloseoutState::parse(summary.str_at("closeout_state")),
                count,
            ));
            facts.delivery_state = DeliveryState::parse(summary.str_at("delivery_state"));
        }
        if let Some(review) = self.section("retention_review") {
            facts.retention_decision =
                RetentionDecisionState::parse(review.str_at("decision_state"));
            facts.retention_until = Some(review.str_at("retention_until").to_string());
            facts.legal_hold = review.get("legal_hold").and_then(Value::as_bool);
        }
        if let Some(bundle) = self.section("closeout_artifact_bundle") {
            let files = bundle
                .get("files")
                .and_then(Value::as_array)
                .unwrap_or_default();
            facts.artifact_bundle = Some(ArtifactFacts {
                file_digests: files
                    .iter()
                    .map(|f| f.str_at("sha256").to_string())
                    .collect(),
                retention_decision_state: RetentionDecisionState::parse(
                    bundle.str_at("retention_decision_state"),
                ),
            });
        }
        if let Some(health) = self.section("retention_health_report") {
            let findings = health
                .get("findings")
                .and_then(Value::as_array)
                .unwrap_or_default();
            facts.health = Some(HealthFacts {
                state: HealthLevel::parse(health.str_at("health_state")),
                severities: findings
                    .iter()
                    .filter_map(|f| HealthLevel::parse(f.str_at("severity")))
                    .collect(),
            });
        }
        if let Some(alert) = self.section("retention_alert_delivery") {
            let providers = alert
                .get("providers")
                .and_then(Value::as_array)
                .unwrap_or_default();
            let provider_state = |p: &Value| DeliveryState::parse(p.str_at("delivery_state"));
            facts.alert_delivery_failed = providers
                .iter()
                .any(|p| provider_state(p) == Some(DeliveryState::Failed));
            facts.alert = Some(AlertFacts {
                any_delivered: providers
                    .iter()
                    .any(|p| provider_state(p) == Some(DeliveryState::Delivered)),
                suppressed_reason: alert
                    .get("suppressed_reason")
                    .and_then(Value::as_str)
                    .map(String::from),
            });
        }
        if let Some(plan) = self.section("closeout_retry_plan") {
            facts.retry_decisions = vec![RetryAction::parse(plan.str_at("decision"))];
        }
        if let Some(run) = self.section("retry_worker_run") {
            facts.worker_runs = vec![WorkerFacts {
                live: WorkerMode::parse(run.str_at("mode")) == Some(WorkerMode::Live),
                completed: WorkerRunState::parse(run.str_at("state"))
                    == Some(WorkerRunState::Completed),
                preceded_by_dry_run: !run.str_at("preceded_by_dry_run_id").is_empty(),
            }];
        }
        facts.accepted_risk = self
            .section("release_decision")
            .and_then(|d| d.get("accepted_risk"))
            .filter(|r| !r.is_null())
            .and_then(|risk| {
                Fields::new(risk, "$.release_decision.accepted_risk")
                    .ok()
                    .and_then(|f| inputs::accepted_risk(&f).ok())
            });
        facts
    }

    /// The release decision at `now` (default: the package's `generated_at`).
    pub fn decide(&self, now: Option<Timestamp>) -> Decision {
        decide(&self.facts(), now.unwrap_or(self.generated_at))
    }

    /// `{"state", "blocking", "warnings", "stated_state", "evaluated_at"}`.
    pub fn decision_value(&self, now: Option<Timestamp>) -> Value {
        let decision = self.decide(now);
        let mut value = decision.summary_value();
        value.set("stated_state", Value::from(self.stated_state()));
        let Value::Object(pairs) = value else {
            return Value::Null;
        };
        let order = [
            "state",
            "blocking",
            "warnings",
            "stated_state",
            "evaluated_at",
        ];
        Value::object(order.iter().filter_map(|k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(key, v)| (key.clone(), v.clone()))
        }))
    }
}

fn validate_section(section: &str, fields: &Fields<'_>) -> Result<(), InputError> {
    let strs = |keys: &[&str]| keys.iter().try_for_each(|k| fields.str(k).map(drop));
    match section {
        "final_readiness_bundle" => {
            strs(&["bundle_id", "release_id", "state"])?;
            fields.strings("evidence_refs").map(drop)
        }
        "signed_archive_manifest" => {
            strs(&[
                "manifest_id",
                "signature_state",
                "signature_algorithm",
                "key_reference",
                "manifest_digest",
            ])?;
            fields.bool("private_key_stored").map(drop)
        }
        "release_closeout_summary" => {
            strs(&["closeout_id", "closeout_state", "delivery_state"])?;
            fields.int("blocker_count", 0, i64::MAX)?;
            fields.strings("public_evidence_refs").map(drop)
        }
        "retention_review" => {
            strs(&[
                "review_id",
                "request_state",
                "decision_state",
                "approved_by",
                "retention_until",
            ])?;
            fields.opt_str("notes")?;
            fields.bool("legal_hold").map(drop)
        }
        "closeout_artifact_bundle" => {
            strs(&[
                "artifact_bundle_id",
                "download_state",
                "retention_decision_state",
            ])?;
            each_object(fields, "files", |file| {
                file.str("name")?;
                file.str("sha256").map(drop)
            })
        }
        "retention_health_report" => {
            strs(&["report_id", "health_state"])?;
            let path = fields.path_of("summary");
            let summary = Fields::new(fields.present("summary")?, &path)?;
            for key in ["critical_findings", "warning_findings", "healthy_checks"] {
                summary.int(key, 0, i64::MAX)?;
            }
            each_object(fields, "findings", |finding| {
                ["finding_id", "severity", "category", "message"]
                    .iter()
                    .try_for_each(|k| finding.str(k).map(drop))
            })
        }
        "retention_alert_delivery" => {
            fields.str("alert_id")?;
            fields.opt_str("suppressed_reason")?;
            each_object(fields, "providers", |provider| {
                ["provider", "route", "delivery_state"]
                    .iter()
                    .try_for_each(|k| provider.str(k).map(drop))?;
                provider.bool("redacted").map(drop)
            })
        }
        "closeout_retry_plan" => strs(&[
            "retry_plan_id",
            "source_delivery_id",
            "decision",
            "mode",
            "owner",
            "target_resolution_date",
        ]),
        "retry_worker_run" => {
            strs(&["worker_run_id", "mode", "state"])?;
            fields.opt_str("preceded_by_dry_run_id")?;
            fields.strings("would_retry_delivery_ids")?;
            fields.bool("live_connector_used").map(drop)
        }
        "release_decision" => {
            fields.str("criteria_document")?;
            fields.opt_str("state")?;
            if let Some(risk) = fields.raw("accepted_risk") {
                let path = fields.path_of("accepted_risk");
                let risk = Fields::new(risk, &path)?;
                for key in [
                    "owner",
                    "reason",
                    "expires_at",
                    "external_ref",
                    "compensating_control",
                ] {
                    risk.opt_str(key)?;
                }
            }
            Ok(())
        }
        _ => [
            "name",
            "edition",
            "purpose",
            "data_classification",
            "boundary_note",
            "release_record_ref",
            "evidence_head_digest",
        ]
        .iter()
        .try_for_each(|k| fields.opt_str(k).map(drop)),
    }
}

fn each_object(
    fields: &Fields<'_>,
    key: &str,
    check: impl Fn(&Fields<'_>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    for (index, item) in fields.array(key)?.iter().enumerate() {
        let path = format!("{}[{index}]", fields.path_of(key));
        check(&Fields::new(item, &path)?)?;
    }
    Ok(())
}

/// Exports a session as a trial package with real ids and digests. Steps that did not run are `null`.
pub fn export_session(session: &Session, now: Timestamp) -> Value {
    let log = session.log();
    let reference = session.release_record_ref();
    let latest = |kind| log.latest(kind, reference).map(|e| &e.record);
    let decision = session.decision(now);
    let scenario = &session.scenario;
    let readiness = latest(RecordKind::ReadinessBundle).map(|b| {
        Value::object([
            ("bundle_id", Value::from(b.str_at("bundle_id"))),
            ("release_id", Value::from(reference)),
            (
                "state",
                Value::from(
                    if ReadinessState::parse(b.str_at("closeout_state"))
                        == Some(ReadinessState::ReadyForCloseout)
                    {
                        ReadinessState::ReadyForCloseout.package_str()
                    } else {
                        ReadinessState::Incomplete.package_str()
                    },
                ),
            ),
            (
                "evidence_refs",
                b.get("public_evidence_refs")
                    .cloned()
                    .unwrap_or(Value::Array(vec![])),
            ),
        ])
    });
    let manifest = latest(RecordKind::ArchiveManifest).map(|m| {
        Value::object([
            ("manifest_id", Value::from(m.str_at("manifest_id"))),
            ("signature_state", Value::from(m.str_at("signature_state"))),
            (
                "signature_algorithm",
                Value::from(m.str_at("signature_algorithm")),
            ),
            ("key_reference", Value::from(m.str_at("signature_key_id"))),
            ("private_key_stored", Value::from(false)),
            (
                "manifest_digest",
                Value::from(format!("sha256:{}", m.str_at("manifest_hash"))),
            ),
        ])
    });
    let summary = latest(RecordKind::CloseoutSummary).map(|s| {
        let id = s.str_at("summary_id");
        let mut refs = vec![id.to_string()];
        refs.extend(closeout_deliveries(log, reference, id).map(|d| d.id().to_string()));
        Value::object([
            ("closeout_id", Value::from(id)),
            ("closeout_state", Value::from(s.str_at("closeout_state"))),
            (
                "blocker_count",
                Value::from(
                    s.get("blockers")
                        .and_then(Value::as_array)
                        .map_or(0, <[Value]>::len),
                ),
            ),
            (
                "delivery_state",
                Value::from(summary_delivery_state(log, reference, id).as_str()),
            ),
            ("public_evidence_refs", strings(&refs)),
        ])
    });
    let review = latest(RecordKind::RetentionDecision).and_then(|d| {
        let request = log.by_id(d.str_at("review_id"))?;
        Some(Value::object([
            ("review_id", Value::from(request.id())),
            ("request_state", Value::from("submitted")),
            ("decision_state", Value::from(d.str_at("decision_state"))),
            ("approved_by", Value::from(d.str_at("decided_by"))),
            (
                "retention_until",
                Value::from(request.record.str_at("retention_until")),
            ),
            (
                "legal_hold",
                request
                    .record
                    .get("legal_hold")
                    .cloned()
                    .unwrap_or(Value::Bool(false)),
            ),
            ("notes", Value::from(d.str_at("notes"))),
        ]))
    });
    let artifact = latest(RecordKind::ArtifactBundle).map(|a| {
        let decision_state = log
            .by_id(a.str_at("retention_decision_id"))
            .map_or("", |d| d.record.str_at("decision_state"));
        let files = a.get("files").and_then(Value::as_array).unwrap_or_default();
        Value::object([
            (
                "artifact_bundle_id",
                Value::from(a.str_at("artifact_bundle_id")),
            ),
            ("download_state", Value::from(a.str_at("download_state"))),
            ("retention_decision_state", Value::from(decision_state)),
            (
                "files",
                Value::Array(
                    files
                        .iter()
                        .map(|f| {
                            Value::object([
                                ("name", Value::from(f.str_at("path"))),
                                ("sha256", Value::from(f.str_at("sha256"))),
                            ])
                        })
                        .collect(),
                ),
            ),
        ])
    });
    let health = latest(RecordKind::RetentionHealth).map(|h| {
        let findings = h
            .get("findings")
            .and_then(Value::as_array)
            .unwrap_or_default();
        Value::object([
            ("report_id", Value::from(h.str_at("health_id"))),
            ("health_state", Value::from(h.str_at("alert_level"))),
            ("summary", h.get("summary").cloned().unwrap_or(Value::Null)),
            (
                "findings",
                Value::Array(
                    findings
                        .iter()
                        .map(|f| {
                            Value::object(
                                ["finding_id", "severity", "category", "message"]
                                    .map(|k| (k, Value::from(f.str_at(k)))),
                            )
                        })
                        .collect(),
                ),
            ),
        ])
    });
    // Alerts count only for the latest health report, as the live decision reads them.
    let latest_health_id = latest(RecordKind::RetentionHealth).map(|h| h.str_at("health_id"));
    let alert = latest(RecordKind::AlertPlan)
        .filter(|plan| Some(plan.str_at("health_id")) == latest_health_id)
        .map(|plan| {
            let plan_id = plan.str_at("plan_id");
            let providers: Vec<Value> = log
                .linked(RecordKind::ConnectorDelivery, reference, "plan_id", plan_id)
                .flat_map(|d| {
                    d.record
                        .get("providers")
                        .and_then(Value::as_array)
                        .unwrap_or_default()
                        .to_vec()
                })
                .map(|p| {
                    let delivered = p.get("success").and_then(Value::as_bool) == Some(true);
                    Value::object([
                        ("provider", Value::from(p.str_at("provider"))),
                        ("route", Value::from(p.str_at("route"))),
                        (
                            "delivery_state",
                            Value::from(
                                if delivered {
                                    DeliveryState::Delivered
                                } else {
                                    DeliveryState::Failed
                                }
                                .as_str(),
                            ),
                        ),
                        ("redacted", Value::from(true)),
                    ])
                })
                .collect();
            let mut section = Value::object([
                ("alert_id", Value::from(plan_id)),
                ("providers", Value::Array(providers)),
            ]);
            if let Some(reason) = plan.get("suppressed_reason").and_then(Value::as_str) {
                section.set("suppressed_reason", Value::from(reason));
            }
            section
        });
    let retry = latest(RecordKind::RetryPlan).map(|plan| {
        let decisions = plan
            .get("decisions")
            .and_then(Value::as_array)
            .unwrap_or_default();
        // The package names one decision: a retry if any, else a wait, else the first other.
        let rank = |d: &&Value| match RetryAction::parse(d.str_at("decision")) {
            Some(RetryAction::Retry) => 0,
            Some(RetryAction::Wait) => 1,
            _ => 2,
        };
        let first = decisions.iter().min_by_key(rank);
        Value::object([
            ("retry_plan_id", Value::from(plan.str_at("retry_plan_id"))),
            (
                "source_delivery_id",
                Value::from(first.map_or("", |d| d.str_at("delivery_id"))),
            ),
            (
                "decision",
                Value::from(first.map_or("none", |d| d.str_at("decision"))),
            ),
            ("mode", Value::from(plan.str_at("mode"))),
            ("owner", Value::from(plan.str_at("generated_by"))),
            (
                "target_resolution_date",
                Value::from(plan.str_at("target_resolution_date")),
            ),
        ])
    });
    let worker = latest(RecordKind::WorkerRun).map(|run| {
        let mut section = Value::object([
            ("worker_run_id", Value::from(run.str_at("run_id"))),
            ("mode", Value::from(run.str_at("mode"))),
            ("state", Value::from(run.str_at("state"))),
            (
                "would_retry_delivery_ids",
                run.get("selected").cloned().unwrap_or(Value::Array(vec![])),
            ),
            ("live_connector_used", Value::from(false)),
        ]);
        if let Some(dry) = run.get("preceded_by_dry_run_id").and_then(Value::as_str) {
            section.set("preceded_by_dry_run_id", Value::from(dry));
        }
        section
    });
    let mut release_decision = Value::object([
        ("criteria_document", Value::from(CRITERIA_DOCUMENT)),
        ("state", Value::from(decision.state.code())),
        (
            "accepted_risk",
            decision
                .accepted_risk
                .as_ref()
                .map_or(Value::Null, AcceptedRisk::to_value),
        ),
    ]);
    release_decision.set("evaluated_at", Value::from(now.isoformat()));
    Value::object([
        ("schema_version", Value::from(PACKAGE_SCHEMA)),
        ("generated_at", Value::from(now.isoformat())),
        (
            "scenario",
            Value::object([
                ("name", Value::from(scenario.name.as_str())),
                ("edition", Value::from("community")),
                ("purpose", Value::from(scenario.title.as_str())),
                ("data_classification", Value::from("synthetic_public_demo")),
                ("boundary_note", Value::from(crate::BOUNDARY_NOTE)),
                ("release_record_ref", Value::from(reference)),
                ("evidence_head_digest", Value::from(session.head_digest())),
            ]),
        ),
        ("final_readiness_bundle", readiness.into()),
        ("signed_archive_manifest", manifest.into()),
        ("release_closeout_summary", summary.into()),
        ("retention_review", review.into()),
        ("closeout_artifact_bundle", artifact.into()),
        ("retention_health_report", health.into()),
        ("retention_alert_delivery", alert.into()),
        ("closeout_retry_plan", retry.into()),
        ("retry_worker_run", worker.into()),
        ("release_decision", release_decision),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::escalations;
    use crate::scenario::Scenario;
    use crate::states::ReleaseState;

    /// A finished session's package, to read as a package and to edit.
    fn exported(scenario: &str) -> (Value, Timestamp) {
        let scenario = Scenario::built_in(scenario).unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        (export_session(&session, now), now)
    }

    /// Sets `key` of `section` to `value`.
    fn set(document: &mut Value, section: &str, key: &str, value: Value) {
        let mut part = document.remove(section).unwrap();
        part.set(key, value);
        document.set(section, part);
    }

    fn facts_of(document: &Value) -> Facts {
        TrialPackage::from_value(document.clone()).unwrap().facts()
    }

    #[test]
    fn a_packages_states_are_read_into_the_specs_states() {
        let (document, _) = exported("ready");
        let facts = facts_of(&document);
        assert_eq!(facts.readiness, Some(ReadinessState::ReadyForCloseout));
        assert_eq!(
            facts.signature_state,
            Some(SignatureState::ExternalSignatureAttached)
        );
        assert_eq!(facts.closeout, Some((Some(CloseoutState::Closed), 0)));
        assert_eq!(facts.delivery_state, Some(DeliveryState::Delivered));
        assert_eq!(
            facts.retention_decision,
            Some(RetentionDecisionState::Approved)
        );
        let bundle = facts.artifact_bundle.unwrap();
        assert_eq!(
            bundle.retention_decision_state,
            Some(RetentionDecisionState::Approved)
        );
        assert_eq!(facts.health.unwrap().state, Some(HealthLevel::Healthy));
        // The ready scenario's plan has no decision: the package says `none`, which is still a
        // decision recorded, though not one the spec names.
        assert_eq!(
            document
                .get("closeout_retry_plan")
                .unwrap()
                .str_at("decision"),
            "none"
        );
        assert_eq!(facts.retry_decisions, vec![None]);
        let run = &facts.worker_runs[0];
        assert!(!run.live && run.completed);
    }

    #[test]
    fn a_state_the_spec_does_not_name_fails_each_rule_as_the_string_test_did() {
        let (ready, now) = exported("ready");
        let package = |document: &Value| TrialPackage::from_value(document.clone()).unwrap();
        assert_eq!(
            package(&ready).decide(Some(now)).state,
            ReleaseState::ReadyForRelease
        );
        let cases = [
            (
                "final_readiness_bundle",
                "state",
                "ready_for_closeout",
                "readiness_incomplete",
            ),
            (
                "signed_archive_manifest",
                "signature_state",
                "signed",
                "signature_missing",
            ),
            (
                "release_closeout_summary",
                "closeout_state",
                "Closed",
                "closeout_open",
            ),
            (
                "retention_review",
                "decision_state",
                "ok",
                "retention_not_approved",
            ),
            (
                "closeout_artifact_bundle",
                "retention_decision_state",
                "not_attached",
                "artifact_bundle_incomplete",
            ),
        ];
        for (section, key, unknown, code) in cases {
            let mut document = ready.clone();
            set(&mut document, section, key, Value::from(unknown));
            let decision = package(&document).decide(Some(now));
            assert_eq!(decision.blocking, [code], "{section}.{key} = {unknown:?}");
        }
        // An unknown health level is neither critical nor warning, nor healthy: without an alert it
        // needs one.
        let mut document = ready.clone();
        set(
            &mut document,
            "retention_health_report",
            "health_state",
            Value::from("fine"),
        );
        let decision = package(&document).decide(Some(now));
        assert!(decision.blocking.is_empty() && decision.warnings.is_empty());
        document.set("retention_alert_delivery", Value::Null);
        let decision = package(&document).decide(Some(now));
        assert_eq!(decision.blocking, ["alert_not_delivered"]);
        // An unknown delivery state is not a failure; an unknown worker mode is not live, an
        // unknown run state not completed.
        let mut document = ready.clone();
        set(
            &mut document,
            "release_closeout_summary",
            "delivery_state",
            Value::from("lost"),
        );
        set(
            &mut document,
            "retry_worker_run",
            "mode",
            Value::from("Live"),
        );
        let facts = facts_of(&document);
        assert_eq!(facts.delivery_state, None);
        assert!(!facts.delivery_failed());
        assert!(!facts.worker_runs[0].live);
        set(
            &mut document,
            "retry_worker_run",
            "state",
            Value::from("done"),
        );
        assert!(!facts_of(&document).worker_runs[0].completed);
    }

    #[test]
    fn an_unnamed_retry_decision_still_counts_as_a_plan_for_escalation() {
        let (mut document, now) = exported("ready");
        set(
            &mut document,
            "release_closeout_summary",
            "delivery_state",
            Value::from("failed"),
        );
        let facts = facts_of(&document);
        assert!(facts.delivery_failed());
        let codes: Vec<&str> = escalations(&facts, false, now)
            .iter()
            .map(|e| e.code)
            .collect();
        assert!(
            !codes.contains(&"failed_delivery_without_retry_plan"),
            "{codes:?}"
        );
        // ...while the decision, as before, finds no retry decision (`retry`, `wait` or `suppress`).
        let decision = decide(&facts, now);
        assert!(decision
            .blocking
            .contains(&"failed_delivery_without_retry_plan"));
        set(
            &mut document,
            "closeout_retry_plan",
            "decision",
            Value::from("wait"),
        );
        let decision = decide(&facts_of(&document), now);
        assert!(!decision
            .blocking
            .contains(&"failed_delivery_without_retry_plan"));
        assert!(decision
            .warnings
            .contains(&"delivery_failed_with_retry_plan"));
    }

    #[test]
    fn alert_providers_are_read_as_delivery_states() {
        let (mut document, _) = exported("ready");
        let provider = |state: &str| {
            Value::object([
                ("provider", Value::from("webhook")),
                ("route", Value::from("simulated")),
                ("delivery_state", Value::from(state)),
                ("redacted", Value::from(true)),
            ])
        };
        let cases = [
            (vec!["delivered"], true, false),
            (vec!["failed"], false, true),
            (vec!["partial_failure", "sent"], false, false),
            (vec!["delivered", "failed"], true, true),
        ];
        for (states, delivered, failed) in cases {
            let providers = Value::Array(states.iter().map(|s| provider(s)).collect());
            let alert = Value::object([
                ("alert_id", Value::from("alert-1")),
                ("providers", providers),
            ]);
            document.set("retention_alert_delivery", alert);
            let facts = facts_of(&document);
            assert_eq!(facts.alert.unwrap().any_delivered, delivered, "{states:?}");
            assert_eq!(facts.alert_delivery_failed, failed, "{states:?}");
        }
    }
}
