//! Whom to escalate to, and why, from the same facts as the release decision.

use crate::decision::Facts;
use crate::roles::Role;
use crate::states::{HealthLevel, RetentionDecisionState, RetryAction};
use crate::time::Timestamp;

/// One escalation: to whom, a stable code, and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub to: Role,
    pub code: &'static str,
    pub why: &'static str,
}

/// The escalations the facts call for at `now`; `regulated` says whether the scenario marks its
/// evidence as regulated (legal hold expected).
pub fn escalations(facts: &Facts, regulated: bool, now: Timestamp) -> Vec<Escalation> {
    let mut out = Vec::new();
    let mut to = |role, code, why| {
        out.push(Escalation {
            to: role,
            code,
            why,
        })
    };
    let manager = Role::ReleaseManager;
    let security = Role::SecurityArchitect;
    if !facts.closeout_closed() {
        to(
            manager,
            "closeout_open",
            "The closeout summary is not closed: the release manager resolves its blockers.",
        );
    }
    if facts.retention_decision != Some(RetentionDecisionState::Approved) {
        to(manager, "retention_not_approved", "Retention is not approved: the release manager drives the retention review to a decision.");
    }
    if facts.artifact_bundle.is_none() {
        to(manager, "artifact_bundle_missing", "There is no artifact bundle for the auditor: the release manager produces it once retention is approved.");
    }
    if facts
        .health
        .as_ref()
        .is_some_and(|h| h.has(HealthLevel::Critical))
    {
        to(
            manager,
            "health_critical",
            "Retention health is critical: the release manager owns the response.",
        );
    }
    if facts.delivery_failed() && facts.retry_decisions.is_empty() {
        to(
            manager,
            "failed_delivery_without_retry_plan",
            "A closeout delivery failed and has no retry plan.",
        );
    }
    if facts.retry_decisions.contains(&Some(RetryAction::Retry))
        && !facts.worker_runs.iter().any(|run| run.completed)
    {
        to(
            manager,
            "retry_worker_not_run",
            "The retry plan says retry, but the retry worker has not run.",
        );
    }
    if facts.alert_delivery_failed {
        to(
            manager,
            "alert_delivery_failed",
            "A retention alert could not be delivered.",
        );
    }
    if facts
        .retention_until
        .as_deref()
        .and_then(Timestamp::parse)
        .is_some_and(|until| until <= now)
    {
        to(security, "retention_expired", "Approved retention has expired: the security architect reviews what happens to the evidence.");
    }
    if regulated && facts.legal_hold == Some(false) {
        to(
            security,
            "legal_hold_off_for_regulated_evidence",
            "The evidence is regulated but legal hold is off.",
        );
    }
    if facts.worker_runs.iter().any(|run| run.live) {
        to(
            security,
            "enterprise_enforcement_expected",
            "A live redelivery ran here against the simulated connector: real delivery, like private retention and archive writes, is enforced only by Enterprise or an operator-owned system.",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::facts_from_log;
    use crate::flow::Session;
    use crate::scenario::Scenario;
    use crate::steps::StepId;

    fn codes(name: &str, steps: &[u8], days_later: i64) -> Vec<(Role, &'static str)> {
        let steps: Vec<StepId> = steps
            .iter()
            .map(|n| StepId::from_number(*n).unwrap())
            .collect();
        let scenario = Scenario::built_in(name).unwrap();
        let now = scenario.generated_at;
        let regulated = scenario.regulated_evidence;
        let mut session = Session::start(scenario);
        if steps.is_empty() {
            session.run_remaining(now);
        }
        for step in steps {
            let input = session.input_for(step);
            let _ = session.run_step_by_owners(step, &input, now);
        }
        let facts = facts_from_log(session.log(), session.release_record_ref());
        escalations(&facts, regulated, now.plus_days(days_later))
            .into_iter()
            .map(|e| (e.to, e.code))
            .collect()
    }

    #[test]
    fn a_complete_ready_closeout_needs_no_escalation() {
        assert_eq!(codes("ready", &[], 0), vec![]);
    }

    #[test]
    fn the_denied_review_of_regulated_evidence_goes_to_both_roles() {
        let found = codes("blocked", &[], 0);
        assert!(found.contains(&(Role::ReleaseManager, "retention_not_approved")));
        assert!(found.contains(&(Role::ReleaseManager, "artifact_bundle_missing")));
        assert!(found.contains(&(
            Role::SecurityArchitect,
            "legal_hold_off_for_regulated_evidence"
        )));
    }

    #[test]
    fn expiry_and_an_unrun_worker_are_escalated() {
        let found = codes("accepted-risk", &[1, 2, 3, 4, 5, 6, 7, 8], 400);
        assert!(
            found.contains(&(Role::ReleaseManager, "retry_worker_not_run")),
            "{found:?}"
        );
        assert!(
            found.contains(&(Role::SecurityArchitect, "retention_expired")),
            "{found:?}"
        );
        assert_eq!(
            codes("accepted-risk", &[1], 0)[0],
            (Role::ReleaseManager, "closeout_open")
        );
    }
}
