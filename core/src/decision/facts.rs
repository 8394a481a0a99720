//! The facts the release decision reads, gathered from a live session's latest records.

use crate::evidence::EvidenceLog;
use crate::flow::inputs::AcceptedRisk;
use crate::flow::{closeout_deliveries, summary_delivery_state};
use crate::json::Value;
use crate::record::RecordKind;

/// What the artifact bundle says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArtifactFacts {
    pub file_digests: Vec<String>,
    pub retention_decision_state: String,
}

/// What the latest retention health report says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthFacts {
    /// `healthy`, `warning` or `critical`.
    pub state: String,
    /// The severity of each finding.
    pub severities: Vec<String>,
}

/// One retry worker run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerFacts {
    pub live: bool,
    pub completed: bool,
    pub preceded_by_dry_run: bool,
}

/// What the latest alert plan and its delivery say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlertFacts {
    pub any_delivered: bool,
    pub suppressed_reason: Option<String>,
}

/// Everything section 5 looks at; `None` means the evidence is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub readiness_ready: Option<bool>,
    pub signature_state: Option<String>,
    pub private_key_stored: bool,
    /// The summary's state and blocker count.
    pub closeout: Option<(String, i64)>,
    pub delivery_state: Option<String>,
    pub retention_decision: Option<String>,
    pub retention_until: Option<String>,
    pub artifact_bundle: Option<ArtifactFacts>,
    pub health: Option<HealthFacts>,
    /// `retry`, `wait` or `suppress` for each retry decision.
    pub retry_decisions: Vec<String>,
    pub worker_runs: Vec<WorkerFacts>,
    pub alert: Option<AlertFacts>,
    pub accepted_risk: Option<AcceptedRisk>,
    /// Whether the retention review asked for legal hold.
    pub legal_hold: Option<bool>,
    /// Whether an alert delivery failed for the latest health report.
    pub alert_delivery_failed: bool,
    /// For each of the ten criteria, the records or sections it rests on.
    pub evidence_refs: Vec<Vec<String>>,
}

/// Gathers the facts from the latest records for a release record ref (D-9).
pub fn facts_from_log(
    log: &EvidenceLog,
    reference: &str,
    accepted_risk: Option<AcceptedRisk>,
) -> Facts {
    let latest = |kind| log.latest(kind, reference);
    let mut facts = Facts {
        accepted_risk,
        evidence_refs: vec![Vec::new(); 10],
        ..Facts::default()
    };
    let mut cite = |criterion: usize, id: &str| facts_cite(&mut facts.evidence_refs, criterion, id);

    if let Some(bundle) = latest(RecordKind::ReadinessBundle) {
        facts.readiness_ready =
            Some(bundle.record.str_at("closeout_state") == "ready_for_closeout");
        cite(1, bundle.id());
    }
    if let Some(manifest) = latest(RecordKind::ArchiveManifest) {
        facts.signature_state = Some(manifest.record.str_at("signature_state").to_string());
        facts.private_key_stored = manifest
            .record
            .get("private_key_stored")
            .and_then(Value::as_bool)
            == Some(true);
        cite(2, manifest.id());
    }
    if let Some(summary) = latest(RecordKind::CloseoutSummary) {
        let blockers = summary
            .record
            .get("blockers")
            .and_then(Value::as_array)
            .map_or(0, <[Value]>::len);
        facts.closeout = Some((
            summary.record.str_at("closeout_state").to_string(),
            blockers as i64,
        ));
        facts.delivery_state =
            Some(summary_delivery_state(log, reference, summary.id()).to_string());
        cite(3, summary.id());
        for delivery in closeout_deliveries(log, reference, summary.id()) {
            cite(8, delivery.id());
        }
    }
    if let Some(decision) = latest(RecordKind::RetentionDecision) {
        facts.retention_decision = Some(decision.record.str_at("decision_state").to_string());
        cite(4, decision.id());
        if let Some(review) = log.by_id(decision.record.str_at("review_id")) {
            facts.retention_until = Some(review.record.str_at("retention_until").to_string());
            facts.legal_hold = review.record.get("legal_hold").and_then(Value::as_bool);
            cite(4, review.id());
        }
    }
    if let Some(bundle) = latest(RecordKind::ArtifactBundle) {
        let file_digests = bundle
            .record
            .get("files")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|f| f.str_at("sha256").to_string())
            .collect();
        let decision_state = log
            .by_id(bundle.record.str_at("retention_decision_id"))
            .map(|d| d.record.str_at("decision_state").to_string())
            .unwrap_or_default();
        facts.artifact_bundle = Some(ArtifactFacts {
            file_digests,
            retention_decision_state: decision_state,
        });
        cite(5, bundle.id());
    }
    if let Some(health) = latest(RecordKind::RetentionHealth) {
        let severities = health
            .record
            .get("findings")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|f| f.str_at("severity").to_string())
            .collect();
        facts.health = Some(HealthFacts {
            state: health.record.str_at("alert_level").to_string(),
            severities,
        });
        cite(6, health.id());
        let health_id = health.id();
        if let Some(plan) = log
            .linked(RecordKind::AlertPlan, reference, "health_id", health_id)
            .last()
        {
            let suppressed_reason = plan
                .record
                .get("suppressed_reason")
                .and_then(Value::as_str)
                .map(String::from);
            let alert_deliveries: Vec<&str> = log
                .linked(
                    RecordKind::ConnectorDelivery,
                    reference,
                    "plan_id",
                    plan.id(),
                )
                .map(|d| d.record.str_at("delivery_state"))
                .collect();
            let any_delivered = alert_deliveries
                .iter()
                .any(|s| matches!(*s, "delivered" | "partial_failure"));
            facts.alert_delivery_failed = alert_deliveries
                .iter()
                .any(|s| matches!(*s, "failed" | "partial_failure"));
            facts.alert = Some(AlertFacts {
                any_delivered,
                suppressed_reason,
            });
            cite(7, plan.id());
        }
    }
    if let Some(plan) = latest(RecordKind::RetryPlan) {
        facts.retry_decisions = plan
            .record
            .get("decisions")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|d| d.str_at("decision").to_string())
            .collect();
        cite(8, plan.id());
        let plan_id = plan.id();
        let mut dry_run_done = false;
        for run in log.linked(RecordKind::WorkerRun, reference, "retry_plan_id", plan_id) {
            let live = run.record.get("dry_run").and_then(Value::as_bool) == Some(false);
            let completed = run.record.str_at("state") == "completed";
            facts.worker_runs.push(WorkerFacts {
                live,
                completed,
                preceded_by_dry_run: dry_run_done,
            });
            if !live && completed {
                dry_run_done = true;
            }
            cite(9, run.id());
        }
    }
    facts
}

fn facts_cite(refs: &mut [Vec<String>], criterion: usize, id: &str) {
    if let Some(list) = refs.get_mut(criterion - 1) {
        if !list.iter().any(|r| r == id) {
            list.push(id.to_string());
        }
    }
}
