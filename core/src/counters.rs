//! The dashboard counters, as CAVRA's dashboard counts them: what the evidence log holds for a release.
//! Dry-run executions are counted as dry runs, never as failures (D-6).

use crate::evidence::EvidenceLog;
use crate::flow::connector;
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::states::{CloseoutState, ExecutionStatus, RetentionDecisionState, SignatureState};

/// Counts over one release's evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub bundles: usize,
    pub signed_manifests: usize,
    pub closed_summaries: usize,
    /// Provider calls of closeout deliveries that failed.
    pub failed_deliveries: usize,
    pub approved_retention_reviews: usize,
    /// Alert plans that selected at least one provider.
    pub health_alerts: usize,
    pub retry_plans: usize,
    pub worker_runs: usize,
    pub executions: usize,
    pub executions_delivered: usize,
    pub executions_failed: usize,
    /// Dry-run executions (`skipped`): not failures.
    pub executions_dry_run: usize,
}

impl Counters {
    /// Each counter with its label, in dashboard order.
    pub fn rows(&self) -> [(&'static str, usize); 12] {
        [
            ("Readiness bundles", self.bundles),
            ("Signed manifests", self.signed_manifests),
            ("Closed summaries", self.closed_summaries),
            ("Failed deliveries", self.failed_deliveries),
            (
                "Approved retention reviews",
                self.approved_retention_reviews,
            ),
            ("Health alerts", self.health_alerts),
            ("Retry plans", self.retry_plans),
            ("Worker runs", self.worker_runs),
            ("Executions", self.executions),
            ("Executions delivered", self.executions_delivered),
            ("Executions failed", self.executions_failed),
            ("Dry-run executions (not failures)", self.executions_dry_run),
        ]
    }
}

/// Counts the records of one release.
pub fn count(log: &EvidenceLog, reference: &str) -> Counters {
    let mut counters = Counters::default();
    for entry in log
        .entries()
        .iter()
        .filter(|e| e.record.str_at(field::RELEASE_RECORD_REF) == reference)
    {
        let record = &entry.record;
        match entry.kind {
            RecordKind::ReadinessBundle => counters.bundles += 1,
            RecordKind::ArchiveManifest
                if SignatureState::parse(record.str_at(field::SIGNATURE_STATE))
                    == Some(SignatureState::ExternalSignatureAttached) =>
            {
                counters.signed_manifests += 1
            }
            RecordKind::CloseoutSummary
                if CloseoutState::parse(record.str_at(field::CLOSEOUT_STATE))
                    == Some(CloseoutState::Closed) =>
            {
                counters.closed_summaries += 1
            }
            RecordKind::ConnectorDelivery if record.get(field::SUMMARY_ID).is_some() => {
                counters.failed_deliveries += connector::calls(record)
                    .iter()
                    .filter(|(_, success)| !success)
                    .count();
            }
            RecordKind::RetentionDecision
                if RetentionDecisionState::parse(record.str_at(field::DECISION_STATE))
                    == Some(RetentionDecisionState::Approved) =>
            {
                counters.approved_retention_reviews += 1
            }
            RecordKind::AlertPlan
                if record
                    .get(field::SELECTED)
                    .and_then(Value::as_array)
                    .is_some_and(|s| !s.is_empty()) =>
            {
                counters.health_alerts += 1;
            }
            RecordKind::RetryPlan => counters.retry_plans += 1,
            RecordKind::WorkerRun => counters.worker_runs += 1,
            RecordKind::Execution => {
                counters.executions += 1;
                // A skipped execution, or one whose status the spec does not name, is no failure.
                match ExecutionStatus::parse(record.str_at(field::STATUS)) {
                    Some(ExecutionStatus::Delivered) => counters.executions_delivered += 1,
                    Some(ExecutionStatus::Failed) => counters.executions_failed += 1,
                    _ => counters.executions_dry_run += 1,
                }
            }
            _ => {}
        }
    }
    counters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Session;
    use crate::scenario::Scenario;

    #[test]
    fn the_accepted_risk_story_counts_one_failure_and_a_dry_run_that_is_not_a_failure() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        let counters = count(session.log(), session.release_record_ref());
        assert_eq!(
            counters,
            Counters {
                bundles: 1,
                signed_manifests: 1,
                closed_summaries: 1,
                failed_deliveries: 1,
                approved_retention_reviews: 1,
                health_alerts: 1,
                retry_plans: 1,
                worker_runs: 1,
                executions: 1,
                executions_delivered: 0,
                executions_failed: 0,
                executions_dry_run: 1,
            }
        );
    }
}
