//! The facts the release decision reads, gathered from a live session's latest records.

use crate::evidence::EvidenceLog;
use crate::flow::governance::current_risk;
use crate::flow::inputs::AcceptedRisk;
use crate::flow::{closeout_deliveries, summary_delivery_state};
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::roles::Role;
use crate::states::{
    CloseoutState, DeliveryState, HealthLevel, ReadinessState, RetentionDecisionState, RetryAction,
    SignatureState, WorkerRunState,
};

/// What the artifact bundle says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArtifactFacts {
    pub file_digests: Vec<String>,
    /// The state of the retention decision it rests on; `None` when none is attached or its state is
    /// one the spec does not name (neither is approved).
    pub retention_decision_state: Option<RetentionDecisionState>,
}

/// What the latest retention health report says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthFacts {
    /// The report's level; `None` for one the spec does not name, which is neither healthy, warning
    /// nor critical.
    pub state: Option<HealthLevel>,
    /// The severity of each finding the spec names (no rule reads another).
    pub severities: Vec<HealthLevel>,
}

impl HealthFacts {
    /// Whether the report's level or any finding's severity is `level`.
    pub fn has(&self, level: HealthLevel) -> bool {
        self.state == Some(level) || self.severities.contains(&level)
    }
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

/// Everything section 5 looks at; `None` means the evidence is missing or, for a state, that it names
/// none the spec does (a rule treats both alike: neither is the state it asks for).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The readiness bundle's state.
    pub readiness: Option<ReadinessState>,
    pub signature_state: Option<SignatureState>,
    pub private_key_stored: bool,
    /// The summary's state and blocker count.
    pub closeout: Option<(Option<CloseoutState>, i64)>,
    /// The summary's delivery state.
    pub delivery_state: Option<DeliveryState>,
    pub retention_decision: Option<RetentionDecisionState>,
    pub retention_until: Option<String>,
    pub artifact_bundle: Option<ArtifactFacts>,
    pub health: Option<HealthFacts>,
    /// Each retry decision of the latest plan; `None` for one the spec does not name (a package's
    /// `none`), which still counts as a decision recorded.
    pub retry_decisions: Vec<Option<RetryAction>>,
    pub worker_runs: Vec<WorkerFacts>,
    pub alert: Option<AlertFacts>,
    pub accepted_risk: Option<AcceptedRisk>,
    /// The `accepted_risk` record it comes from (a live log; a package's risk has none).
    pub accepted_risk_id: Option<String>,
    /// Who recorded it, where the records say (a live log): an exception for a critical finding counts
    /// only when the security architect recorded it (D-13). `None` for a package, which names no actor.
    pub accepted_risk_role: Option<Role>,
    /// Whether the retention review asked for legal hold.
    pub legal_hold: Option<bool>,
    /// Whether an alert delivery failed for the latest health report.
    pub alert_delivery_failed: bool,
    /// For each of the ten criteria, the records or sections it rests on.
    pub evidence_refs: Vec<Vec<String>>,
}

impl Facts {
    /// Whether the summary is closed with no blockers.
    pub fn closeout_closed(&self) -> bool {
        self.closeout == Some((Some(CloseoutState::Closed), 0))
    }

    /// Whether the summary's delivery failed or partially failed.
    pub fn delivery_failed(&self) -> bool {
        self.delivery_state.is_some_and(DeliveryState::failed)
    }
}

/// Gathers the facts from the latest records for a release record ref (D-9).
pub fn facts_from_log(log: &EvidenceLog, reference: &str) -> Facts {
    let latest = |kind| log.latest(kind, reference);
    let risk = current_risk(log, reference);
    let mut facts = Facts {
        accepted_risk_id: risk.as_ref().map(|(entry, _)| entry.id().to_string()),
        accepted_risk_role: risk.as_ref().map(|(entry, _)| entry.actor_role),
        accepted_risk: risk.map(|(_, risk)| risk),
        evidence_refs: vec![Vec::new(); 10],
        ..Facts::default()
    };
    if let Some(id) = facts.accepted_risk_id.clone() {
        facts_cite(&mut facts.evidence_refs, 10, &id);
    }
    let mut cite = |criterion: usize, id: &str| facts_cite(&mut facts.evidence_refs, criterion, id);

    if let Some(bundle) = latest(RecordKind::ReadinessBundle) {
        facts.readiness = ReadinessState::parse(bundle.record.str_at(field::CLOSEOUT_STATE));
        cite(1, bundle.id());
    }
    if let Some(manifest) = latest(RecordKind::ArchiveManifest) {
        facts.signature_state =
            SignatureState::parse(manifest.record.str_at(field::SIGNATURE_STATE));
        facts.private_key_stored = manifest
            .record
            .get(field::PRIVATE_KEY_STORED)
            .and_then(Value::as_bool)
            == Some(true);
        cite(2, manifest.id());
    }
    if let Some(summary) = latest(RecordKind::CloseoutSummary) {
        let blockers = summary
            .record
            .get(field::BLOCKERS)
            .and_then(Value::as_array)
            .map_or(0, <[Value]>::len);
        facts.closeout = Some((
            CloseoutState::parse(summary.record.str_at(field::CLOSEOUT_STATE)),
            blockers as i64,
        ));
        facts.delivery_state = Some(summary_delivery_state(log, reference, summary.id()));
        cite(3, summary.id());
        for delivery in closeout_deliveries(log, reference, summary.id()) {
            cite(8, delivery.id());
        }
    }
    if let Some(decision) = latest(RecordKind::RetentionDecision) {
        facts.retention_decision =
            RetentionDecisionState::parse(decision.record.str_at(field::DECISION_STATE));
        cite(4, decision.id());
        if let Some(review) = log.by_id(decision.record.str_at(field::REVIEW_ID)) {
            facts.retention_until = Some(review.record.str_at(field::RETENTION_UNTIL).to_string());
            facts.legal_hold = review
                .record
                .get(field::LEGAL_HOLD)
                .and_then(Value::as_bool);
            cite(4, review.id());
        }
    }
    if let Some(bundle) = latest(RecordKind::ArtifactBundle) {
        let file_digests = bundle
            .record
            .get(field::FILES)
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|f| f.str_at(field::SHA256).to_string())
            .collect();
        let decision_state = log
            .by_id(bundle.record.str_at(field::RETENTION_DECISION_ID))
            .and_then(|d| RetentionDecisionState::parse(d.record.str_at(field::DECISION_STATE)));
        facts.artifact_bundle = Some(ArtifactFacts {
            file_digests,
            retention_decision_state: decision_state,
        });
        cite(5, bundle.id());
    }
    if let Some(health) = latest(RecordKind::RetentionHealth) {
        let severities = health
            .record
            .get(field::FINDINGS)
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| HealthLevel::parse(f.str_at(field::SEVERITY)))
            .collect();
        facts.health = Some(HealthFacts {
            state: HealthLevel::parse(health.record.str_at(field::ALERT_LEVEL)),
            severities,
        });
        cite(6, health.id());
        let health_id = health.id();
        if let Some(plan) = log
            .linked(
                RecordKind::AlertPlan,
                reference,
                field::HEALTH_ID,
                health_id,
            )
            .last()
        {
            let suppressed_reason = plan
                .record
                .get(field::SUPPRESSED_REASON)
                .and_then(Value::as_str)
                .map(String::from);
            let alert_deliveries: Vec<Option<DeliveryState>> = log
                .linked(
                    RecordKind::ConnectorDelivery,
                    reference,
                    field::PLAN_ID,
                    plan.id(),
                )
                .map(|d| DeliveryState::parse(d.record.str_at(field::DELIVERY_STATE)))
                .collect();
            let any_delivered = alert_deliveries
                .iter()
                .flatten()
                .any(|s| s.reached_a_provider());
            facts.alert_delivery_failed = alert_deliveries.iter().flatten().any(|s| s.failed());
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
            .get(field::DECISIONS)
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|d| RetryAction::parse(d.str_at(field::DECISION)))
            .collect();
        cite(8, plan.id());
        let plan_id = plan.id();
        let mut dry_run_done = false;
        for run in log.linked(
            RecordKind::WorkerRun,
            reference,
            field::RETRY_PLAN_ID,
            plan_id,
        ) {
            let live = run.record.get(field::DRY_RUN).and_then(Value::as_bool) == Some(false);
            let completed = WorkerRunState::parse(run.record.str_at(field::STATE))
                == Some(WorkerRunState::Completed);
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
    cite_what_made_a_criterion_unneeded(log, reference, &mut facts);
    facts
}

/// A criterion that nothing failed only because its step had nothing to do cites the record that says
/// so, so a passing criterion always names evidence (D-15): alerts for a healthy report (criterion 7),
/// retries when no delivery failed or no retry was decided (criteria 8 and 9).
fn cite_what_made_a_criterion_unneeded(log: &EvidenceLog, reference: &str, facts: &mut Facts) {
    let healthy = facts
        .health
        .as_ref()
        .is_some_and(|h| h.state == Some(HealthLevel::Healthy));
    if facts.evidence_refs[6].is_empty() && healthy {
        if let Some(health) = log.latest(RecordKind::RetentionHealth, reference) {
            facts_cite(&mut facts.evidence_refs, 7, health.id());
        }
    }
    let summary = log.latest(RecordKind::CloseoutSummary, reference);
    if facts.evidence_refs[7].is_empty() && !facts.delivery_failed() {
        if let Some(summary) = summary {
            facts_cite(&mut facts.evidence_refs, 8, summary.id());
        }
    }
    if facts.evidence_refs[8].is_empty()
        && !facts.retry_decisions.contains(&Some(RetryAction::Retry))
    {
        let cited: Vec<String> = facts.evidence_refs[7].clone();
        for id in cited {
            facts_cite(&mut facts.evidence_refs, 9, &id);
        }
    }
}

fn facts_cite(refs: &mut [Vec<String>], criterion: usize, id: &str) {
    if let Some(list) = refs.get_mut(criterion - 1) {
        if !list.iter().any(|r| r == id) {
            list.push(id.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Session;
    use crate::scenario::Scenario;

    fn finished(name: &str) -> Facts {
        let scenario = Scenario::built_in(name).unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        facts_from_log(session.log(), session.release_record_ref())
    }

    #[test]
    fn a_logs_records_are_read_into_the_specs_states() {
        let ready = finished("ready");
        assert_eq!(ready.readiness, Some(ReadinessState::ReadyForCloseout));
        assert_eq!(
            ready.signature_state,
            Some(SignatureState::ExternalSignatureAttached)
        );
        assert!(ready.closeout_closed());
        assert_eq!(ready.delivery_state, Some(DeliveryState::Delivered));
        assert_eq!(
            ready.retention_decision,
            Some(RetentionDecisionState::Approved)
        );
        let bundle = ready.artifact_bundle.as_ref().unwrap();
        assert_eq!(
            bundle.retention_decision_state,
            Some(RetentionDecisionState::Approved)
        );
        let health = ready.health.as_ref().unwrap();
        assert_eq!(health.state, Some(HealthLevel::Healthy));
        assert!(ready.retry_decisions.is_empty());
        let run = &ready.worker_runs[0];
        assert!(!run.live && run.completed);

        let risky = finished("accepted-risk");
        assert_eq!(risky.delivery_state, Some(DeliveryState::PartialFailure));
        assert!(risky.delivery_failed());
        let health = risky.health.as_ref().unwrap();
        assert_eq!(health.state, Some(HealthLevel::Warning));
        assert_eq!(health.severities, [HealthLevel::Warning]);
        assert!(health.has(HealthLevel::Warning) && !health.has(HealthLevel::Critical));
        assert_eq!(risky.retry_decisions, [Some(RetryAction::Retry)]);
        assert!(risky.alert.as_ref().unwrap().any_delivered);

        let blocked = finished("blocked");
        assert_eq!(
            blocked.retention_decision,
            Some(RetentionDecisionState::Denied)
        );
        assert_eq!(blocked.artifact_bundle, None);
    }
}
