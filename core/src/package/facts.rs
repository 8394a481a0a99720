//! What an imported package says: the facts the release decision reads
//! (`docs/domain.md#51-facts`), read by the [section table](super::sections)'s names with each state
//! parsed into its enum (`crate::states`), and the decision they give.

use super::sections::{
    self, closeout_artifact_bundle as artifact_bundle, closeout_retry_plan as retry_plan,
    final_readiness_bundle as readiness, release_closeout_summary as summary, release_decision,
    retention_alert_delivery as alert, retention_health_report as health,
    retention_review as review, retry_worker_run as worker, signed_archive_manifest as manifest,
    Field, Section,
};
use super::TrialPackage;
use crate::decision::{
    decide, AlertFacts, ArtifactFacts, Decision, Facts, HealthFacts, WorkerFacts,
};
use crate::flow::inputs;
use crate::input::Fields;
use crate::json::{self, Value};
use crate::states::{
    CloseoutState, DeliveryState, HealthLevel, ReadinessState, RetentionDecisionState, RetryAction,
    SignatureState, WorkerMode, WorkerRunState,
};
use crate::steps::STEPS;
use crate::time::Timestamp;

/// A section's or an item's text field; empty when absent.
fn text(value: &Value, field: Field) -> &str {
    value.str_at(field.key)
}

fn flag(value: &Value, field: Field) -> Option<bool> {
    value.get(field.key).and_then(Value::as_bool)
}

fn items(value: &Value, field: Field) -> &[Value] {
    value
        .get(field.key)
        .and_then(Value::as_array)
        .unwrap_or_default()
}

impl TrialPackage {
    /// A section that ran: `None` when it is `null`.
    fn section(&self, section: &Section) -> Option<&Value> {
        self.document.get(section.key).filter(|v| !v.is_null())
    }

    /// The state the package states for itself: reported beside the computed one, never trusted.
    pub fn stated_state(&self) -> Option<&str> {
        self.section(&release_decision::SECTION)
            .and_then(|d| d.get(release_decision::STATE.key))
            .and_then(Value::as_str)
    }

    /// The facts the release decision reads (`docs/domain.md#51-facts`).
    pub fn facts(&self) -> Facts {
        let mut facts = Facts {
            evidence_refs: vec![Vec::new(); STEPS.len()],
            ..Facts::default()
        };
        // A step's evidence is its section's id, or the section's path when it has none.
        for section in sections::TABLE {
            let (Some(step), Some(value)) = (section.step, self.section(&section)) else {
                continue;
            };
            let evidence = match section.id {
                Some(id) => text(value, id).to_string(),
                None => format!("$.{}", section.key),
            };
            if let Some(refs) = facts.evidence_refs.get_mut(step.index()) {
                refs.push(evidence);
            }
        }
        facts.readiness = self
            .section(&readiness::SECTION)
            .and_then(|bundle| ReadinessState::parse_package(text(bundle, readiness::STATE)));
        if let Some(m) = self.section(&manifest::SECTION) {
            facts.signature_state = SignatureState::parse(text(m, manifest::SIGNATURE_STATE));
            facts.private_key_stored = flag(m, manifest::PRIVATE_KEY_STORED) == Some(true);
        }
        if let Some(s) = self.section(&summary::SECTION) {
            let count = s
                .get(summary::BLOCKER_COUNT.key)
                .and_then(Value::as_i64)
                .unwrap_or(i64::MAX);
            facts.closeout = Some((
                CloseoutState::parse(text(s, summary::CLOSEOUT_STATE)),
                count,
            ));
            facts.delivery_state = DeliveryState::parse(text(s, summary::DELIVERY_STATE));
        }
        if let Some(r) = self.section(&review::SECTION) {
            facts.retention_decision =
                RetentionDecisionState::parse(text(r, review::DECISION_STATE));
            facts.retention_until = Some(text(r, review::RETENTION_UNTIL).to_string());
            facts.legal_hold = flag(r, review::LEGAL_HOLD);
        }
        if let Some(bundle) = self.section(&artifact_bundle::SECTION) {
            facts.artifact_bundle = Some(ArtifactFacts {
                file_digests: items(bundle, artifact_bundle::FILES)
                    .iter()
                    .map(|file| text(file, artifact_bundle::file::SHA256).to_string())
                    .collect(),
                retention_decision_state: RetentionDecisionState::parse(text(
                    bundle,
                    artifact_bundle::RETENTION_DECISION_STATE,
                )),
            });
        }
        if let Some(report) = self.section(&health::SECTION) {
            facts.health = Some(HealthFacts {
                state: HealthLevel::parse(text(report, health::HEALTH_STATE)),
                severities: items(report, health::FINDINGS)
                    .iter()
                    .filter_map(|f| HealthLevel::parse(text(f, health::finding::SEVERITY)))
                    .collect(),
            });
        }
        if let Some(delivery) = self.section(&alert::SECTION) {
            let providers = items(delivery, alert::PROVIDERS);
            let provider_state =
                |p: &Value| DeliveryState::parse(text(p, alert::provider::DELIVERY_STATE));
            facts.alert_delivery_failed = providers
                .iter()
                .any(|p| provider_state(p) == Some(DeliveryState::Failed));
            facts.alert = Some(AlertFacts {
                any_delivered: providers
                    .iter()
                    .any(|p| provider_state(p) == Some(DeliveryState::Delivered)),
                suppressed_reason: delivery
                    .get(alert::SUPPRESSED_REASON.key)
                    .and_then(Value::as_str)
                    .map(String::from),
            });
        }
        if let Some(plan) = self.section(&retry_plan::SECTION) {
            facts.retry_decisions = vec![RetryAction::parse(text(plan, retry_plan::DECISION))];
        }
        if let Some(run) = self.section(&worker::SECTION) {
            facts.worker_runs = vec![WorkerFacts {
                live: WorkerMode::parse(text(run, worker::MODE)) == Some(WorkerMode::Live),
                completed: WorkerRunState::parse(text(run, worker::STATE))
                    == Some(WorkerRunState::Completed),
                preceded_by_dry_run: !text(run, worker::PRECEDED_BY_DRY_RUN_ID).is_empty(),
            }];
        }
        let risk_key = release_decision::ACCEPTED_RISK.key;
        facts.accepted_risk = self
            .section(&release_decision::SECTION)
            .and_then(|d| d.get(risk_key))
            .filter(|r| !r.is_null())
            .and_then(|risk| {
                let path = format!("$.{}.{risk_key}", release_decision::SECTION.key);
                Fields::new(risk, &path)
                    .ok()
                    .and_then(|f| inputs::accepted_risk(&f).ok())
            });
        facts
    }

    /// The release decision at `now` (default: the package's `generated_at`).
    pub fn decide(&self, now: Option<Timestamp>) -> Decision {
        decide(&self.facts(), now.unwrap_or(self.generated_at))
    }

    /// `{"state", "blocking", "warnings", "stated_state", "evaluated_at"}`, then `"absent_sections"`
    /// when the package leaves step sections out (D-16: each read as not run).
    pub fn decision_value(&self, now: Option<Timestamp>) -> Value {
        let decision = self.decide(now);
        let mut value = decision.summary_value();
        value.set("stated_state", Value::from(self.stated_state()));
        let absent = self.absent_sections();
        if !absent.is_empty() {
            value.set("absent_sections", json::strings(absent));
        }
        let Value::Object(pairs) = value else {
            return Value::Null;
        };
        let order = [
            "state",
            "blocking",
            "warnings",
            "stated_state",
            "evaluated_at",
            "absent_sections",
        ];
        Value::object(order.iter().filter_map(|k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(key, v)| (key.clone(), v.clone()))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::escalations;
    use crate::flow::Session;
    use crate::package::export_session;
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
    fn an_absent_step_section_gives_the_facts_of_a_null_one() {
        for scenario in ["ready", "accepted-risk", "blocked"] {
            let (document, _) = exported(scenario);
            for section in sections::TABLE.iter().filter(|s| s.step.is_some()) {
                let mut absent = document.clone();
                absent.remove(section.key);
                let mut null = document.clone();
                null.set(section.key, Value::Null);
                assert_eq!(
                    facts_of(&absent),
                    facts_of(&null),
                    "{scenario}: {}",
                    section.key
                );
            }
        }
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

    #[test]
    fn each_step_that_ran_is_evidenced_by_its_sections_id() {
        let (mut document, _) = exported("ready");
        let refs = facts_of(&document).evidence_refs;
        assert_eq!(refs.len(), 10);
        assert_eq!(
            refs[0],
            [document
                .get("final_readiness_bundle")
                .unwrap()
                .str_at("bundle_id")]
        );
        assert_eq!(
            refs[8],
            [document
                .get("retry_worker_run")
                .unwrap()
                .str_at("worker_run_id")]
        );
        // The final decision has no id: its section is the evidence.
        assert_eq!(refs[9], ["$.release_decision"]);
        document.set("retention_review", Value::Null);
        let refs = facts_of(&document).evidence_refs;
        assert!(refs[3].is_empty());
        assert!(refs.iter().enumerate().all(|(i, r)| i == 3 || r.len() == 1));
    }
}
